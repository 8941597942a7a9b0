//! Everything feedback holds about one user, exported as one JSON document (the
//! profile subgraph's data export) or deleted at once (account deletion).

use std::collections::HashMap;

use fitgraph_entities::feedback::{
    exercise_outcomes, exercise_ratings, set_logs, workout_completions,
};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::error::FeedbackError;

/// The user's logged sets, completed workouts (with how each exercise went) and ratings.
pub async fn export(db: &DatabaseConnection, user_id: Uuid) -> Result<Value, FeedbackError> {
    let sets = set_logs::Entity::find()
        .filter(set_logs::Column::UserId.eq(user_id))
        .order_by_asc(set_logs::Column::LoggedAt)
        .order_by_asc(set_logs::Column::Id)
        .all(db)
        .await?;
    let completions = workout_completions::Entity::find()
        .filter(workout_completions::Column::UserId.eq(user_id))
        .order_by_asc(workout_completions::Column::CompletedAt)
        .order_by_asc(workout_completions::Column::Id)
        .all(db)
        .await?;
    let outcomes = exercise_outcomes::Entity::find()
        .filter(exercise_outcomes::Column::CompletionId.in_subquery(completion_ids_of(user_id)))
        .order_by_asc(exercise_outcomes::Column::Position)
        .all(db)
        .await?;
    let ratings = exercise_ratings::Entity::find()
        .filter(exercise_ratings::Column::UserId.eq(user_id))
        .order_by_asc(exercise_ratings::Column::CreatedAt)
        .order_by_asc(exercise_ratings::Column::Id)
        .all(db)
        .await?;
    let mut outcomes_by_completion: HashMap<Uuid, Vec<Value>> = HashMap::new();
    for outcome in &outcomes {
        outcomes_by_completion
            .entry(outcome.completion_id)
            .or_default()
            .push(outcome_json(outcome));
    }
    let completions: Vec<Value> = completions
        .iter()
        .map(|row| {
            let outcomes = outcomes_by_completion.remove(&row.id).unwrap_or_default();
            completion_json(row, outcomes)
        })
        .collect();
    Ok(json!({
        "userId": user_id,
        "setLogs": sets.iter().map(set_json).collect::<Vec<_>>(),
        "completions": completions,
        "ratings": ratings.iter().map(rating_json).collect::<Vec<_>>(),
    }))
}

/// Deletes every row of the user, children first, all or nothing; returns how many
/// rows went. A second call finds nothing and returns 0.
pub async fn purge(db: &DatabaseConnection, user_id: Uuid) -> Result<u64, FeedbackError> {
    let txn = db.begin().await?;
    let removed = delete_all_of(&txn, user_id).await?;
    txn.commit().await?;
    Ok(removed)
}

async fn delete_all_of(db: &impl ConnectionTrait, user_id: Uuid) -> Result<u64, FeedbackError> {
    let outcomes = exercise_outcomes::Entity::delete_many()
        .filter(exercise_outcomes::Column::CompletionId.in_subquery(completion_ids_of(user_id)))
        .exec(db)
        .await?
        .rows_affected;
    let completions = workout_completions::Entity::delete_many()
        .filter(workout_completions::Column::UserId.eq(user_id))
        .exec(db)
        .await?
        .rows_affected;
    let sets = set_logs::Entity::delete_many()
        .filter(set_logs::Column::UserId.eq(user_id))
        .exec(db)
        .await?
        .rows_affected;
    let ratings = exercise_ratings::Entity::delete_many()
        .filter(exercise_ratings::Column::UserId.eq(user_id))
        .exec(db)
        .await?
        .rows_affected;
    Ok(outcomes + completions + sets + ratings)
}

/// `SELECT id FROM workout_completions WHERE user_id = ?`: outcomes carry no user.
fn completion_ids_of(user_id: Uuid) -> SelectStatement {
    Query::select()
        .column(workout_completions::Column::Id)
        .from(workout_completions::Entity)
        .and_where(workout_completions::Column::UserId.eq(user_id))
        .to_owned()
}

fn set_json(row: &set_logs::Model) -> Value {
    json!({
        "id": row.id,
        "idempotencyKey": row.idempotency_key,
        "workoutId": row.workout_id,
        "exerciseId": row.exercise_id,
        "setIndex": row.set_index,
        "reps": row.reps,
        "loadKg": row.load_kg,
        "repsInReserve": row.reps_in_reserve,
        "loggedAt": row.logged_at,
    })
}

fn completion_json(row: &workout_completions::Model, exercises: Vec<Value>) -> Value {
    json!({
        "id": row.id,
        "idempotencyKey": row.idempotency_key,
        "workoutId": row.workout_id,
        "sessionRpe": row.session_rpe,
        "completedAt": row.completed_at,
        "exercises": exercises,
    })
}

fn outcome_json(row: &exercise_outcomes::Model) -> Value {
    json!({
        "exerciseId": row.exercise_id,
        "completed": row.completed,
        "skipped": row.skipped,
        "difficulty": row.difficulty,
        "notes": row.notes,
    })
}

fn rating_json(row: &exercise_ratings::Model) -> Value {
    json!({
        "id": row.id,
        "idempotencyKey": row.idempotency_key,
        "exerciseId": row.exercise_id,
        "rating": row.rating,
        "comment": row.comment,
        "createdAt": row.created_at,
    })
}
