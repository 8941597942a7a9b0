//! How generated workouts went, copied from the feedback subgraph's completions feed
//! into plans' own read model (feedback owns the data; plans never reads its database).
//! A completion also moves the plans workout to COMPLETED.

use chrono::{DateTime, Utc};
use fitgraph_entities::plans::{sync_cursors, workout_outcomes, workouts};
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, TransactionTrait,
};
use serde::Deserialize;
use serde_json::json;
use uuid::Uuid;

use super::error::{RecommendError, Result};
use super::service_client::ServiceClient;
use crate::types::WorkoutStatus;

const FEED: &str = "feedback.trainingOutcomes";
const PAGE_SIZE: u32 = 1000;
const QUERY: &str = "query Outcomes($after: String, $first: Int) { \
    trainingOutcomes(after: $after, first: $first) { endCursor hasNextPage \
    outcomes { workoutId userId completedAt exercises { exerciseId completed skipped difficulty } } } }";

#[derive(Deserialize)]
struct Data {
    #[serde(rename = "trainingOutcomes")]
    page: Page,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    end_cursor: Option<String>,
    has_next_page: bool,
    outcomes: Vec<Outcome>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Outcome {
    workout_id: Uuid,
    user_id: Uuid,
    completed_at: DateTime<Utc>,
    exercises: Vec<ExerciseOutcome>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExerciseOutcome {
    exercise_id: Uuid,
    completed: bool,
    skipped: bool,
    difficulty: Option<i32>,
}

/// Reads the feed from where the last sync stopped until it is drained; returns how
/// many completions were copied. Each page and its cursor are committed together, so
/// an interrupted sync resumes without losing or repeating anything.
pub async fn sync(db: &DatabaseConnection, feedback: &ServiceClient) -> Result<usize> {
    let mut cursor = sync_cursors::Entity::find_by_id(FEED.to_owned())
        .one(db)
        .await?
        .map(|row| row.cursor);
    let mut copied = 0;
    loop {
        let data: Data = feedback
            .query(QUERY, json!({ "after": cursor, "first": PAGE_SIZE }))
            .await
            .map_err(RecommendError::Feed)?;
        copied += data.page.outcomes.len();
        let next = data.page.end_cursor.clone().or(cursor.clone());
        store_page(db, data.page.outcomes, next.as_deref()).await?;
        if !data.page.has_next_page || next == cursor {
            return Ok(copied);
        }
        cursor = next;
    }
}

async fn store_page(
    db: &DatabaseConnection,
    outcomes: Vec<Outcome>,
    cursor: Option<&str>,
) -> Result<()> {
    let txn = db.begin().await?;
    for outcome in &outcomes {
        let rows = outcome.exercises.iter().map(|exercise| {
            workout_outcomes::Model {
                workout_id: outcome.workout_id,
                exercise_id: exercise.exercise_id,
                user_id: outcome.user_id,
                completed: exercise.completed,
                skipped: exercise.skipped,
                difficulty: exercise.difficulty,
                completed_at: outcome.completed_at,
            }
            .into_active_model()
        });
        // A page read again after an interruption repeats rows already copied.
        workout_outcomes::Entity::insert_many(rows)
            .on_conflict_do_nothing_on([
                workout_outcomes::Column::WorkoutId,
                workout_outcomes::Column::ExerciseId,
            ])
            .exec(&txn)
            .await?;
        workouts::Entity::update_many()
            .col_expr(
                workouts::Column::Status,
                Expr::value(WorkoutStatus::Completed.as_str()),
            )
            .col_expr(
                workouts::Column::CompletedAt,
                Expr::value(outcome.completed_at),
            )
            .filter(workouts::Column::Id.eq(outcome.workout_id))
            .filter(workouts::Column::UserId.eq(outcome.user_id))
            .exec(&txn)
            .await?;
    }
    if let Some(cursor) = cursor {
        let row = sync_cursors::Model {
            feed: FEED.to_owned(),
            cursor: cursor.to_owned(),
        };
        sync_cursors::Entity::insert(row.into_active_model())
            .on_conflict(
                OnConflict::column(sync_cursors::Column::Feed)
                    .update_column(sync_cursors::Column::Cursor)
                    .to_owned(),
            )
            .exec_without_returning(&txn)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}
