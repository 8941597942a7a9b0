//! What clients read.

use std::sync::Arc;

use async_graphql::{Context, ID, Json, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use fitgraph_entities::feedback::{exercise_outcomes, exercise_ratings, set_logs};
use subgraph_common::GqlResultExt;
use subgraph_common::access::require_user;
use subgraph_common::catalog::CatalogClient;
use subgraph_common::vocab::{Category, Muscle};
use uuid::Uuid;

use crate::error::FeedbackError;
use crate::loaders::{Loaders, UsersWorkout};
use crate::personal_data;
use crate::service;
use crate::signals;
use crate::store::Completion;

/// An exercise of the exercises subgraph, referenced by id; the gateway resolves its fields there.
#[derive(SimpleObject)]
#[graphql(name = "Exercise", unresolvable = "id")]
pub struct ExerciseRef {
    pub id: ID,
}

impl ExerciseRef {
    fn new(id: Uuid) -> ExerciseRef {
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
        let as_of = as_of.unwrap_or_else(Utc::now);
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

/// What a user's recent training says about them.
#[derive(SimpleObject)]
pub struct TrainingSignals {
    /// The instant the signals describe; every window ends here.
    pub as_of: DateTime<Utc>,
    /// Per primary muscle trained in the last 90 days (sorted by muscle).
    pub muscle_groups: Vec<MuscleSignal>,
    /// Per exercise category with evidence in the last 90 days: the mean of one vote per
    /// piece of evidence, where a completed exercise votes +1, a skipped one -1, a partly
    /// done one 0, and a rating r votes (r - 3) / 2. From -1 (avoids) to 1 (loves).
    pub category_affinities: Vec<CategoryAffinity>,
    /// Mean reported difficulty (1-5) over the last 14 days; null without reports.
    pub recent_difficulty: Option<f64>,
    /// Share (0-1) of prescribed exercises completed over the last 28 days; skipped and
    /// partly done ones are not completed. Null without completed workouts.
    #[graphql(name = "adherence28Days")]
    pub adherence_28_days: Option<f64>,
    /// Per exercise: the best Epley estimate over the last 90 days.
    pub estimated_one_rep_maxes: Vec<OneRepMax>,
}

impl From<signals::TrainingSignals> for TrainingSignals {
    fn from(signals: signals::TrainingSignals) -> TrainingSignals {
        TrainingSignals {
            as_of: signals.as_of,
            muscle_groups: signals
                .muscle_groups
                .into_iter()
                .map(MuscleSignal::from)
                .collect(),
            category_affinities: signals
                .category_affinities
                .into_iter()
                .map(CategoryAffinity::from)
                .collect(),
            recent_difficulty: signals.recent_difficulty,
            adherence_28_days: signals.adherence_28_days,
            estimated_one_rep_maxes: signals
                .estimated_one_rep_maxes
                .into_iter()
                .map(OneRepMax::from)
                .collect(),
        }
    }
}

#[derive(SimpleObject)]
pub struct MuscleSignal {
    pub muscle: Muscle,
    /// The latest logged set or completed exercise with this muscle as a primary mover.
    pub last_trained_at: DateTime<Utc>,
    /// Logged sets in the last 7 days; a set counts for each primary muscle of its exercise.
    #[graphql(name = "setsLast7Days")]
    pub sets_last_7_days: i32,
}

impl From<signals::MuscleSignal> for MuscleSignal {
    fn from(signal: signals::MuscleSignal) -> MuscleSignal {
        MuscleSignal {
            muscle: signal.muscle,
            last_trained_at: signal.last_trained_at,
            sets_last_7_days: signal.sets_last_7_days,
        }
    }
}

#[derive(SimpleObject)]
pub struct CategoryAffinity {
    pub category: Category,
    /// From -1 (avoids) to 1 (loves); see `TrainingSignals.categoryAffinities`.
    pub score: f64,
}

impl From<signals::CategoryAffinity> for CategoryAffinity {
    fn from(affinity: signals::CategoryAffinity) -> CategoryAffinity {
        CategoryAffinity {
            category: affinity.category,
            score: affinity.score,
        }
    }
}

/// An estimated one-rep max: Epley's `w * (1 + r / 30)` (w itself for a single) from the
/// best loaded set of 1-12 reps.
#[derive(SimpleObject)]
pub struct OneRepMax {
    pub exercise_id: ID,
    pub exercise: ExerciseRef,
    pub kg: f64,
    /// When the set the estimate comes from was logged.
    pub from_set_logged_at: DateTime<Utc>,
}

impl From<signals::OneRepMax> for OneRepMax {
    fn from(estimate: signals::OneRepMax) -> OneRepMax {
        OneRepMax {
            exercise_id: ID::from(estimate.exercise_id),
            exercise: ExerciseRef::new(estimate.exercise_id),
            kg: estimate.kg,
            from_set_logged_at: estimate.from_set_logged_at,
        }
    }
}
