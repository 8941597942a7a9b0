//! What clients read.

use std::sync::Arc;

use async_graphql::{Context, ID, Json, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use fitgraph_entities::feedback::{exercise_outcomes, exercise_ratings, set_logs};
use subgraph_common::GqlResultExt;
use subgraph_common::access::require_user;
use subgraph_common::catalog::CatalogClient;
use uuid::Uuid;

use crate::error::FeedbackError;
use crate::loaders::{Loaders, UsersWorkout};
use crate::personal_data;
use crate::service;
use crate::store::Completion;

use super::signals::TrainingSignals;

/// An exercise of the exercises subgraph, referenced by id; the gateway resolves its fields there.
#[derive(SimpleObject)]
#[graphql(name = "Exercise", unresolvable = "id")]
pub struct ExerciseRef {
    pub id: ID,
}

impl ExerciseRef {
    pub(crate) fn new(id: Uuid) -> ExerciseRef {
        ExerciseRef { id: ID::from(id) }
    }
}

/// A user of the profile subgraph, extended with what their training history says.
pub struct User {
    pub id: Uuid,
}

#[Object]
impl User {
    async fn id(&self) -> ID {
        ID::from(self.id)
    }

    /// What the user's recent training says about them, computed from the history before
    /// `asOf` (default: now). For anyone but the user themself, the signals of someone
    /// without history.
    async fn training_signals(
        &self,
        ctx: &Context<'_>,
        as_of: Option<DateTime<Utc>>,
    ) -> Result<TrainingSignals> {
        let caller = require_user(ctx).gql()?;
        let loaders = ctx.data::<Loaders>()?;
        let catalog = ctx.data::<Arc<CatalogClient>>()?;
        let as_of = as_of.unwrap_or_else(subgraph_common::clock::now);
        let signals = service::training_signals(loaders, catalog, caller, self.id, as_of)
            .await
            .gql()?;
        Ok(TrainingSignals::from(signals))
    }
}

/// A workout of the plans subgraph, extended with how it went.
pub struct Workout {
    pub id: Uuid,
}

#[Object]
impl Workout {
    async fn id(&self) -> ID {
        ID::from(self.id)
    }

    /// How the workout went; null until the caller completes it.
    async fn completion(&self, ctx: &Context<'_>) -> Result<Option<WorkoutCompletion>> {
        let key = self.of_caller(ctx)?;
        let completion = ctx
            .data::<Loaders>()?
            .completion(key)
            .await
            .map_err(FeedbackError::from)
            .gql()?;
        Ok(completion.map(WorkoutCompletion::from))
    }

    /// Every set the caller logged against this workout, oldest first.
    async fn set_logs(&self, ctx: &Context<'_>) -> Result<Vec<SetLog>> {
        let key = self.of_caller(ctx)?;
        let sets = ctx
            .data::<Loaders>()?
            .sets_of_workout(key)
            .await
            .map_err(FeedbackError::from)
            .gql()?;
        Ok(sets.into_iter().map(SetLog::from).collect())
    }
}

impl Workout {
    /// The caller's records on this workout: another user's workout shows none.
    fn of_caller(&self, ctx: &Context<'_>) -> Result<UsersWorkout> {
        Ok(UsersWorkout {
            user_id: require_user(ctx).gql()?,
            workout_id: self.id,
        })
    }
}

/// What fitgraph holds about one user, assembled from every subgraph.
pub struct PersonalData {
    pub user_id: Uuid,
}

#[Object]
impl PersonalData {
    async fn user_id(&self) -> ID {
        ID::from(self.user_id)
    }

    /// The user's logged sets, completed workouts (with how each exercise went) and
    /// exercise ratings as one JSON document.
    async fn feedback(&self, ctx: &Context<'_>) -> Result<Json<serde_json::Value>> {
        let caller = require_user(ctx).gql()?;
        // The entity resolver already answers null for other users; this keeps the
        // field safe should a PersonalData ever be built another way.
        if caller != self.user_id {
            return Err(FeedbackError::NotTheCaller { field: "userId" }).gql();
        }
        let document = personal_data::export(ctx.data::<sea_orm::DatabaseConnection>()?, caller)
            .await
            .gql()?;
        Ok(Json(document))
    }
}

/// One performed set.
#[derive(SimpleObject)]
pub struct SetLog {
    pub id: ID,
    pub user_id: ID,
    pub workout_id: ID,
    pub exercise_id: ID,
    pub exercise: ExerciseRef,
    /// 1 for the first set of this exercise in the workout.
    pub set_index: i32,
    pub reps: i32,
    /// External load in kilograms, 0 for bodyweight.
    pub load_kg: f64,
    pub reps_in_reserve: Option<i32>,
    pub logged_at: DateTime<Utc>,
}

impl From<set_logs::Model> for SetLog {
    fn from(row: set_logs::Model) -> SetLog {
        SetLog {
            id: ID::from(row.id),
            user_id: ID::from(row.user_id),
            workout_id: ID::from(row.workout_id),
            exercise_id: ID::from(row.exercise_id),
            exercise: ExerciseRef::new(row.exercise_id),
            set_index: row.set_index,
            reps: row.reps,
            load_kg: row.load_kg,
            reps_in_reserve: row.reps_in_reserve,
            logged_at: row.logged_at,
        }
    }
}

/// A workout marked done.
#[derive(SimpleObject)]
pub struct WorkoutCompletion {
    pub id: ID,
    pub user_id: ID,
    pub workout_id: ID,
    /// Session rating of perceived exertion, 1-10.
    pub session_rpe: Option<i32>,
    pub completed_at: DateTime<Utc>,
    /// One entry per prescribed exercise, in the order the client sent them.
    pub exercises: Vec<ExerciseOutcome>,
}

impl From<Completion> for WorkoutCompletion {
    fn from(completion: Completion) -> WorkoutCompletion {
        let row = completion.row;
        WorkoutCompletion {
            id: ID::from(row.id),
            user_id: ID::from(row.user_id),
            workout_id: ID::from(row.workout_id),
            session_rpe: row.session_rpe,
            completed_at: row.completed_at,
            exercises: completion
                .outcomes
                .into_iter()
                .map(ExerciseOutcome::from)
                .collect(),
        }
    }
}

/// How one prescribed exercise went.
#[derive(SimpleObject)]
pub struct ExerciseOutcome {
    pub exercise_id: ID,
    pub exercise: ExerciseRef,
    pub completed: bool,
    pub skipped: bool,
    /// 1 (far too easy) to 5 (far too hard).
    pub difficulty: Option<i32>,
    pub notes: Option<String>,
}

impl From<exercise_outcomes::Model> for ExerciseOutcome {
    fn from(row: exercise_outcomes::Model) -> ExerciseOutcome {
        ExerciseOutcome {
            exercise_id: ID::from(row.exercise_id),
            exercise: ExerciseRef::new(row.exercise_id),
            completed: row.completed,
            skipped: row.skipped,
            difficulty: row.difficulty,
            notes: row.notes,
        }
    }
}

/// A user's opinion of an exercise.
#[derive(SimpleObject)]
pub struct ExerciseRating {
    pub id: ID,
    pub user_id: ID,
    pub exercise_id: ID,
    pub exercise: ExerciseRef,
    /// 1 (dislike) to 5 (love).
    pub rating: i32,
    pub comment: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl From<exercise_ratings::Model> for ExerciseRating {
    fn from(row: exercise_ratings::Model) -> ExerciseRating {
        ExerciseRating {
            id: ID::from(row.id),
            user_id: ID::from(row.user_id),
            exercise_id: ID::from(row.exercise_id),
            exercise: ExerciseRef::new(row.exercise_id),
            rating: row.rating,
            comment: row.comment,
            created_at: row.created_at,
        }
    }
}

/// A live-screen action, announced to the workout's subscribers.
#[derive(SimpleObject)]
pub struct LiveEvent {
    /// When it happened.
    pub at: DateTime<Utc>,
}
