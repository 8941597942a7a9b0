//! Writes, each idempotent under the client's key.
//!
//! The unique index on `(user_id, idempotency_key)` is the guard: a write is simply
//! inserted, and when the index refuses it the caller's row holding the key is read back.
//! The same payload means a retry, answered with the first result; another payload is a
//! CONFLICT. Two concurrent retries therefore cannot both write: the database lets exactly
//! one insert through. Keys are per user, so one user's key never reaches another's row.
//!
//! Workouts live in the plans subgraph; feedback knows whose a workout is only from what
//! was recorded against it. A workout another user has logged sets on or completed is
//! theirs, and a write on it answers "not found" as if it did not exist.

use fitgraph_entities::feedback::{
    exercise_outcomes, exercise_ratings, set_logs, workout_completions,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel,
    PaginatorTrait, QueryFilter, QueryOrder, TransactionTrait,
};
use uuid::Uuid;

use crate::error::{FeedbackError, is_unique_violation};
use crate::validate::{NewCompletion, NewOutcome, NewRating, NewSetLog, storable};

/// What a write stored, and whether this call wrote it or replayed an earlier one.
#[derive(Debug, Clone, PartialEq)]
pub enum Stored<T> {
    Written(T),
    Replayed(T),
}

impl<T> Stored<T> {
    pub fn into_inner(self) -> T {
        match self {
            Stored::Written(value) | Stored::Replayed(value) => value,
        }
    }
}

/// A completed workout with its outcomes in the order the client listed them.
#[derive(Debug, Clone, PartialEq)]
pub struct Completion {
    pub row: workout_completions::Model,
    pub outcomes: Vec<exercise_outcomes::Model>,
}

pub async fn log_set(
    db: &DatabaseConnection,
    new: NewSetLog,
) -> Result<Stored<set_logs::Model>, FeedbackError> {
    ensure_not_anothers_workout(db, new.workout_id, new.user_id).await?;
    let row = set_log_row(&new);
    match set_logs::Entity::insert(row.clone().into_active_model())
        .exec_without_returning(db)
        .await
    {
        Ok(_) => Ok(Stored::Written(row)),
        Err(err) if is_unique_violation(&err) => {
            replay_set_log(db, &new).await.map(Stored::Replayed)
        }
        Err(err) => Err(err.into()),
    }
}

/// The row a logged set is stored as, under a new id.
pub fn set_log_row(new: &NewSetLog) -> set_logs::Model {
    set_logs::Model {
        id: Uuid::now_v7(),
        idempotency_key: new.idempotency_key.clone(),
        user_id: new.user_id,
        workout_id: new.workout_id,
        exercise_id: new.exercise_id,
        set_index: new.set_index,
        reps: new.reps,
        load_kg: new.load_kg,
        reps_in_reserve: new.reps_in_reserve,
        logged_at: new
            .logged_at
            .unwrap_or_else(|| storable(subgraph_common::clock::now())),
    }
}

/// The caller's row holding `new`'s key, if it records the same set; else a CONFLICT.
pub async fn replay_set_log(
    db: &DatabaseConnection,
    new: &NewSetLog,
) -> Result<set_logs::Model, FeedbackError> {
    let existing = set_logs::Entity::find()
        .filter(set_logs::Column::UserId.eq(new.user_id))
        .filter(set_logs::Column::IdempotencyKey.eq(&new.idempotency_key))
        .one(db)
        .await?
        .ok_or(FeedbackError::VanishedDuplicate("set log"))?;
    let same = (existing.user_id, existing.workout_id, existing.exercise_id)
        == (new.user_id, new.workout_id, new.exercise_id)
        && (existing.set_index, existing.reps, existing.reps_in_reserve)
            == (new.set_index, new.reps, new.reps_in_reserve)
        && existing.load_kg == new.load_kg
        && new.logged_at.is_none_or(|at| at == existing.logged_at);
    if same {
        Ok(existing)
    } else {
        Err(key_reused(new.idempotency_key.clone(), "logSet"))
    }
}

pub async fn complete_workout(
    db: &DatabaseConnection,
    new: NewCompletion,
) -> Result<Stored<Completion>, FeedbackError> {
    ensure_not_anothers_workout(db, new.workout_id, new.user_id).await?;
    let row = workout_completions::Model {
        id: Uuid::now_v7(),
        idempotency_key: new.idempotency_key.clone(),
        user_id: new.user_id,
        workout_id: new.workout_id,
        session_rpe: new.session_rpe,
        completed_at: new
            .completed_at
            .unwrap_or_else(|| storable(subgraph_common::clock::now())),
    };
    let outcomes: Vec<_> = new
        .exercises
        .iter()
        .enumerate()
        .map(|(position, outcome)| outcome_row(row.id, position, outcome))
        .collect();
    match insert_completion(db, &row, &outcomes).await {
        Ok(()) => Ok(Stored::Written(Completion { row, outcomes })),
        Err(err) if is_unique_violation(&err) => {
            replay_completion(db, &new).await.map(Stored::Replayed)
        }
        Err(err) => Err(err.into()),
    }
}

fn outcome_row(
    completion_id: Uuid,
    position: usize,
    outcome: &NewOutcome,
) -> exercise_outcomes::Model {
    exercise_outcomes::Model {
        completion_id,
        exercise_id: outcome.exercise_id,
        position: i32::try_from(position).expect("validation caps a workout at 100 exercises"),
        completed: outcome.completed,
        skipped: outcome.skipped,
        difficulty: outcome.difficulty,
        notes: outcome.notes.clone(),
    }
}

/// The completion and all its outcomes, or nothing.
async fn insert_completion(
    db: &DatabaseConnection,
    row: &workout_completions::Model,
    outcomes: &[exercise_outcomes::Model],
) -> Result<(), DbErr> {
    let txn = db.begin().await?;
    workout_completions::Entity::insert(row.clone().into_active_model())
        .exec_without_returning(&txn)
        .await?;
    exercise_outcomes::Entity::insert_many(
        outcomes
            .iter()
            .cloned()
            .map(IntoActiveModel::into_active_model),
    )
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await
}

async fn replay_completion(
    db: &DatabaseConnection,
    new: &NewCompletion,
) -> Result<Completion, FeedbackError> {
    let existing = workout_completions::Entity::find()
        .filter(workout_completions::Column::UserId.eq(new.user_id))
        .filter(workout_completions::Column::IdempotencyKey.eq(&new.idempotency_key))
        .one(db)
        .await?;
    // The key is unused, so the other unique index refused: the workout's completion.
    let Some(existing) = existing else {
        return Err(completed_by_whom(db, new).await?);
    };
    let outcomes = exercise_outcomes::Entity::find()
        .filter(exercise_outcomes::Column::CompletionId.eq(existing.id))
        .order_by_asc(exercise_outcomes::Column::Position)
        .all(db)
        .await?;
    let stored_outcomes: Vec<NewOutcome> = outcomes.iter().map(as_new_outcome).collect();
    let same = (existing.user_id, existing.workout_id, existing.session_rpe)
        == (new.user_id, new.workout_id, new.session_rpe)
        && new
            .completed_at
            .is_none_or(|at| at == existing.completed_at)
        && stored_outcomes == new.exercises;
    if same {
        Ok(Completion {
            row: existing,
            outcomes,
        })
    } else {
        Err(key_reused(new.idempotency_key.clone(), "completeWorkout"))
    }
}

/// Why a completion of a workout that already has one was refused: the caller completed
/// it before (a CONFLICT), or another user did, since the check before the insert
/// (their workout, "not found").
async fn completed_by_whom(
    db: &DatabaseConnection,
    new: &NewCompletion,
) -> Result<FeedbackError, FeedbackError> {
    let holder = workout_completions::Entity::find()
        .filter(workout_completions::Column::WorkoutId.eq(new.workout_id))
        .one(db)
        .await?;
    Ok(match holder {
        Some(row) if row.user_id == new.user_id => FeedbackError::AlreadyCompleted(new.workout_id),
        Some(_) => FeedbackError::WorkoutNotFound(new.workout_id),
        None => FeedbackError::VanishedDuplicate("completion"),
    })
}

/// How many sets `user_id` has logged in `workout_id`.
pub async fn sets_logged(
    db: &DatabaseConnection,
    user_id: Uuid,
    workout_id: Uuid,
) -> Result<u64, FeedbackError> {
    Ok(set_logs::Entity::find()
        .filter(set_logs::Column::WorkoutId.eq(workout_id))
        .filter(set_logs::Column::UserId.eq(user_id))
        .count(db)
        .await?)
}

/// Refuses a write on a workout that another user has recorded sets on or completed.
pub async fn ensure_not_anothers_workout(
    db: &impl ConnectionTrait,
    workout_id: Uuid,
    user_id: Uuid,
) -> Result<(), FeedbackError> {
    let completed_by_another = workout_completions::Entity::find()
        .filter(workout_completions::Column::WorkoutId.eq(workout_id))
        .filter(workout_completions::Column::UserId.ne(user_id))
        .one(db)
        .await?
        .is_some();
    if completed_by_another {
        return Err(FeedbackError::WorkoutNotFound(workout_id));
    }
    let logged_by_another = set_logs::Entity::find()
        .filter(set_logs::Column::WorkoutId.eq(workout_id))
        .filter(set_logs::Column::UserId.ne(user_id))
        .one(db)
        .await?
        .is_some();
    if logged_by_another {
        return Err(FeedbackError::WorkoutNotFound(workout_id));
    }
    Ok(())
}

fn as_new_outcome(outcome: &exercise_outcomes::Model) -> NewOutcome {
    NewOutcome {
        exercise_id: outcome.exercise_id,
        completed: outcome.completed,
        skipped: outcome.skipped,
        difficulty: outcome.difficulty,
        notes: outcome.notes.clone(),
    }
}

pub async fn rate_exercise(
    db: &DatabaseConnection,
    new: NewRating,
) -> Result<exercise_ratings::Model, FeedbackError> {
    let row = exercise_ratings::Model {
        id: Uuid::now_v7(),
        idempotency_key: new.idempotency_key.clone(),
        user_id: new.user_id,
        exercise_id: new.exercise_id,
        rating: new.rating,
        comment: new.comment.clone(),
        created_at: storable(subgraph_common::clock::now()),
    };
    match exercise_ratings::Entity::insert(row.clone().into_active_model())
        .exec_without_returning(db)
        .await
    {
        Ok(_) => Ok(row),
        Err(err) if is_unique_violation(&err) => replay_rating(db, &new).await,
        Err(err) => Err(err.into()),
    }
}

async fn replay_rating(
    db: &DatabaseConnection,
    new: &NewRating,
) -> Result<exercise_ratings::Model, FeedbackError> {
    let existing = exercise_ratings::Entity::find()
        .filter(exercise_ratings::Column::UserId.eq(new.user_id))
        .filter(exercise_ratings::Column::IdempotencyKey.eq(&new.idempotency_key))
        .one(db)
        .await?
        .ok_or(FeedbackError::VanishedDuplicate("rating"))?;
    let same = (existing.user_id, existing.exercise_id, existing.rating)
        == (new.user_id, new.exercise_id, new.rating)
        && existing.comment == new.comment;
    if same {
        Ok(existing)
    } else {
        Err(key_reused(new.idempotency_key.clone(), "rateExercise"))
    }
}

fn key_reused(key: String, operation: &'static str) -> FeedbackError {
    FeedbackError::KeyReused { key, operation }
}
