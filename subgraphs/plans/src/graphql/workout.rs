//! `Workout` (an entity plans owns), its exercises, and the `Exercise` reference.

use async_graphql::{Context, ID, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use fitgraph_entities::plans::{workout_exercises, workouts};
use subgraph_common::GqlResultExt;

use crate::graphql::Program;
use crate::graphql::recommendation::{RepUnit, WorkoutKind};
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

    /// TRAINING for workouts the user scheduled.
    async fn kind(&self, ctx: &Context<'_>) -> Result<WorkoutKind> {
        let rec = loaders::recommendation_of(ctx, self.0.id).await?;
        Ok(rec.map_or(WorkoutKind::Training, |rec| WorkoutKind::parse(&rec.kind)))
    }

    /// Why a generated workout looks like this; null for one the user scheduled.
    async fn reason(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(loaders::recommendation_of(ctx, self.0.id)
            .await?
            .map(|rec| rec.reason))
    }

    /// The experiment variant that generated it; null for one the user scheduled.
    async fn variant(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        Ok(loaders::recommendation_of(ctx, self.0.id)
            .await?
            .map(|rec| rec.variant))
    }

    /// The experiment it was generated under, if any.
    async fn experiment_id(&self, ctx: &Context<'_>) -> Result<Option<ID>> {
        let rec = loaders::recommendation_of(ctx, self.0.id).await?;
        Ok(rec.and_then(|rec| rec.experiment_id).map(ID))
    }

    /// The ranker model that ordered its exercises; null when rules alone chose.
    async fn model_version(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        let rec = loaders::recommendation_of(ctx, self.0.id).await?;
        Ok(rec.and_then(|rec| rec.model_version))
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

    /// The reps (or seconds) to aim for in each set today.
    async fn reps(&self) -> i32 {
        self.0.target_reps.unwrap_or(self.0.rep_max)
    }

    /// The load in kilograms; null for bodyweight, timed work or when the user
    /// should pick it.
    async fn load(&self) -> Option<f64> {
        self.0.target_load_kg
    }

    /// What `repMin`, `repMax` and `reps` count.
    async fn unit(&self) -> RepUnit {
        match self.0.rep_unit.as_deref() {
            Some("SECONDS") => RepUnit::Seconds,
            _ => RepUnit::Reps,
        }
    }

    /// Why this exercise; null for workouts the user scheduled.
    async fn reason(&self) -> Option<&str> {
        self.0.reason.as_deref()
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
