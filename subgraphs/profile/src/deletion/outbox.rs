//! Reads and writes of `account_deletions`. A row is claimed before its purge is
//! called by bumping `attempts` from the value last read; the outcome is then
//! recorded only where `attempts` still has the claimed value. So two processes
//! (or the mutation and the worker) never record over each other, and a row
//! replaced by a newer deletion request is left alone.

use chrono::{DateTime, Utc};
use fitgraph_entities::profile::account_deletions::{ActiveModel, Column, Entity, Model};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use uuid::Uuid;

use crate::error::ProfileError;

/// Replaces the user's pending rows with one fresh row per subgraph, created `now` and
/// due at `due`.
pub async fn record(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    subgraphs: &[String],
    now: DateTime<Utc>,
    due: DateTime<Utc>,
) -> Result<Vec<Model>, ProfileError> {
    // The new request's purges cover the old one's; keeping both would only
    // call every subgraph twice.
    Entity::delete_many()
        .filter(Column::UserId.eq(user_id))
        .filter(Column::CompletedAt.is_null())
        .exec(db)
        .await?;
    let rows: Vec<Model> = subgraphs
        .iter()
        .map(|subgraph| Model {
            id: Uuid::now_v7(),
            user_id,
            subgraph: subgraph.clone(),
            attempts: 0,
            next_attempt_at: due,
            last_error: None,
            completed_at: None,
            created_at: now,
        })
        .collect();
    if rows.is_empty() {
        return Ok(rows);
    }
    Entity::insert_many(rows.iter().map(new_row))
        .exec_without_returning(db)
        .await?;
    Ok(rows)
}

fn new_row(row: &Model) -> ActiveModel {
    ActiveModel {
        id: Set(row.id),
        user_id: Set(row.user_id),
        subgraph: Set(row.subgraph.clone()),
        attempts: Set(row.attempts),
        next_attempt_at: Set(row.next_attempt_at),
        last_error: Set(row.last_error.clone()),
        completed_at: Set(row.completed_at),
        created_at: Set(row.created_at),
    }
}

/// Pending rows due at `now`, the longest waiting first.
pub async fn due(
    db: &impl ConnectionTrait,
    now: DateTime<Utc>,
    limit: u64,
) -> Result<Vec<Model>, ProfileError> {
    Ok(Entity::find()
        .filter(Column::CompletedAt.is_null())
        .filter(Column::NextAttemptAt.lte(now))
        .order_by_asc(Column::NextAttemptAt)
        .limit(limit)
        .all(db)
        .await?)
}

/// When the next pending row falls due, if any is pending.
pub async fn next_due(db: &impl ConnectionTrait) -> Result<Option<DateTime<Utc>>, ProfileError> {
    let next = Entity::find()
        .filter(Column::CompletedAt.is_null())
        .order_by_asc(Column::NextAttemptAt)
        .one(db)
        .await?;
    Ok(next.map(|row| row.next_attempt_at))
}

/// Takes `row` for one attempt until `lease_until`; false when another process
/// took it (or completed it) since it was read.
pub async fn claim(
    db: &impl ConnectionTrait,
    row: &Model,
    lease_until: DateTime<Utc>,
) -> Result<bool, ProfileError> {
    let result = Entity::update_many()
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .col_expr(Column::NextAttemptAt, Expr::value(lease_until))
        .filter(Column::Id.eq(row.id))
        .filter(Column::Attempts.eq(row.attempts))
        .filter(Column::CompletedAt.is_null())
        .exec(db)
        .await?;
    Ok(result.rows_affected == 1)
}

/// Records that the claimed attempt `attempts` purged.
pub async fn complete(
    db: &impl ConnectionTrait,
    id: Uuid,
    attempts: i32,
    now: DateTime<Utc>,
) -> Result<(), ProfileError> {
    Entity::update_many()
        .col_expr(Column::CompletedAt, Expr::value(Some(now)))
        .col_expr(Column::LastError, Expr::value(Option::<String>::None))
        .filter(Column::Id.eq(id))
        .filter(Column::Attempts.eq(attempts))
        .exec(db)
        .await?;
    Ok(())
}

/// Records that the claimed attempt `attempts` failed, and when to try again.
pub async fn fail(
    db: &impl ConnectionTrait,
    id: Uuid,
    attempts: i32,
    retry_at: DateTime<Utc>,
    error: &str,
) -> Result<(), ProfileError> {
    Entity::update_many()
        .col_expr(Column::NextAttemptAt, Expr::value(retry_at))
        .col_expr(Column::LastError, Expr::value(Some(error.to_owned())))
        .filter(Column::Id.eq(id))
        .filter(Column::Attempts.eq(attempts))
        .filter(Column::CompletedAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
