//! Batched writes that keep what exists: multi-row `INSERT … ON CONFLICT DO NOTHING`,
//! so a row whose key (or any unique column) is taken is skipped, on SQLite and
//! PostgreSQL alike.

use std::collections::HashSet;

use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, IntoActiveModel, Iterable, QueryFilter,
    QuerySelect,
};
use subgraph_common::SubgraphName;
use uuid::Uuid;

use super::ScaleError;

/// Rows per statement at most; large enough that round trips stop mattering.
const ROWS_PER_STATEMENT: usize = 1000;

/// Bound parameters per statement at most: SQLite allows 32,766 and PostgreSQL 65,535.
const PARAMETERS_PER_STATEMENT: usize = 30_000;

/// Ids asked about per `IN (…)` list.
const IDS_PER_QUERY: usize = 1000;

/// The table a write goes to, for error messages.
#[derive(Debug, Clone, Copy)]
pub struct Table {
    pub subgraph: SubgraphName,
    pub table: &'static str,
}

pub fn place(subgraph: SubgraphName, table: &'static str) -> Table {
    Table { subgraph, table }
}

impl Table {
    /// Turns a database error into one that names this table.
    pub fn failed(self) -> impl FnOnce(DbErr) -> ScaleError {
        move |source| ScaleError::Database {
            subgraph: self.subgraph,
            table: self.table,
            source,
        }
    }
}

/// Inserts `rows`, skipping every row that conflicts with one already stored; returns
/// how many it wrote.
pub async fn insert_new<E, C>(db: &C, rows: Vec<E::Model>, table: Table) -> Result<u64, ScaleError>
where
    E: EntityTrait,
    E::Model: IntoActiveModel<E::ActiveModel>,
    C: ConnectionTrait,
{
    let columns = E::Column::iter().count().max(1);
    let per_statement = (PARAMETERS_PER_STATEMENT / columns).clamp(1, ROWS_PER_STATEMENT);
    let mut rows = rows.into_iter().peekable();
    let mut written = 0;
    while rows.peek().is_some() {
        let batch: Vec<E::ActiveModel> = rows
            .by_ref()
            .take(per_statement)
            .map(IntoActiveModel::into_active_model)
            .collect();
        // No conflict target: any unique index (a key, an email, one completion per
        // workout) makes the row count as existing.
        written += E::insert_many(batch)
            .on_conflict(OnConflict::new().do_nothing().to_owned())
            .exec_without_returning(db)
            .await
            .map_err(table.failed())?;
    }
    Ok(written)
}

/// Which of `ids` are stored in `column`.
pub async fn existing<E, C>(
    db: &C,
    column: E::Column,
    ids: &[Uuid],
    table: Table,
) -> Result<HashSet<Uuid>, ScaleError>
where
    E: EntityTrait,
    C: ConnectionTrait,
{
    let mut found = HashSet::with_capacity(ids.len());
    for chunk in ids.chunks(IDS_PER_QUERY) {
        let stored: Vec<Uuid> = E::find()
            .select_only()
            .column(column)
            .filter(column.is_in(chunk.iter().copied()))
            .distinct()
            .into_tuple()
            .all(db)
            .await
            .map_err(table.failed())?;
        found.extend(stored);
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use fitgraph_entities::feedback::workout_completions;
    use sea_orm::{DbBackend, QueryTrait};

    use super::*;

    #[test]
    fn a_conflict_on_any_unique_index_skips_the_row_on_both_backends() {
        let row = workout_completions::Model {
            id: Uuid::nil(),
            idempotency_key: "scale-key".to_owned(),
            user_id: Uuid::nil(),
            workout_id: Uuid::nil(),
            session_rpe: None,
            completed_at: chrono::DateTime::UNIX_EPOCH,
        };
        for backend in [DbBackend::Sqlite, DbBackend::Postgres] {
            let sql = workout_completions::Entity::insert_many([row.clone().into_active_model()])
                .on_conflict(OnConflict::new().do_nothing().to_owned())
                .build(backend)
                .to_string();
            let words: Vec<&str> = sql.split_whitespace().collect();
            assert!(
                words.ends_with(&["ON", "CONFLICT", "DO", "NOTHING"]),
                "no conflict target: {sql}"
            );
        }
    }
}
