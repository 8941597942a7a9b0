//! `Workout` (an entity plans owns), its exercises, and the `Exercise` reference.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use fitgraph_entities::plans::{workout_exercises, workouts};
use subgraph_common::GqlResultExt;

use crate::graphql::Program;
use crate::loaders;
use crate::store::{Owned, parse_status};
use crate::types::{Date, WorkoutStatus};

pub struct Workout(pub workouts::Model);

/// A workout scheduled for one day.
#[Object]
impl Workout {
    async fn id(&self) -> ID {
        ID::from(self.0.id)
    }

    async fn user_id(&self) -> ID {
        ID::from(self.0.user_id)
    }

    /// The day it is scheduled for.
    async fn date(&self) -> Date {
        Date(self.0.scheduled_date)
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    async fn status(&self) -> Result<WorkoutStatus> {
        parse_status(&self.0.status).gql()
    }

    /// The program it belongs to, if any.
    async fn program(&self, ctx: &Context<'_>) -> Result<Option<Program>> {
        let Some(program_id) = self.0.program_id else {
            return Ok(None);
        };
        // A workout only ever belongs to a program of its own user.
        let key = Owned {
            user_id: self.0.user_id,
            id: program_id,
        };
        Ok(loaders::program(ctx, key).await?.map(Program))
    }

    /// In the order they are performed.
    async fn exercises(&self, ctx: &Context<'_>) -> Result<Vec<WorkoutExercise>> {
        let rows = loaders::exercises_of(ctx, self.0.id).await?;
        Ok(rows.into_iter().map(WorkoutExercise).collect())
    }

    async fn started_at(&self) -> Option<DateTime<Utc>> {
        self.0.started_at
    }

    async fn completed_at(&self) -> Option<DateTime<Utc>> {
        self.0.completed_at
    }
}

pub struct WorkoutExercise(pub workout_exercises::Model);

/// One exercise of a workout with its prescription.
#[Object]
impl WorkoutExercise {
    /// 1-based order within the workout.
    async fn position(&self) -> i32 {
        self.0.position
    }

    async fn sets(&self) -> i32 {
        self.0.sets
    }

    async fn rep_min(&self) -> i32 {
        self.0.rep_min
    }

    async fn rep_max(&self) -> i32 {
        self.0.rep_max
    }

    async fn target_load_kg(&self) -> Option<f64> {
        self.0.target_load_kg
    }

    async fn rest_seconds(&self) -> i32 {
        self.0.rest_seconds
    }

    /// Resolved by the exercises subgraph.
    async fn exercise(&self) -> Exercise {
        Exercise {
            id: ID::from(self.0.exercise_id),
        }
    }
}

/// An exercise the exercises subgraph owns; plans only refers to it.
#[derive(Debug, Clone, SimpleObject)]
#[graphql(unresolvable = "id")]
pub struct Exercise {
    pub id: ID,
}
