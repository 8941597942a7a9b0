//! The outbox of deleted accounts: one row per (deletion request, other subgraph),
//! pending until that subgraph confirms it purged the user's data.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "account_deletions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// The deleted user; no foreign key, since the user row is already gone.
    pub user_id: Uuid,
    /// The subgraph that must purge, e.g. `plans`.
    pub subgraph: String,
    /// Purge calls started so far; also the row's version, so that only the
    /// process that claimed an attempt records its outcome.
    pub attempts: i32,
    /// Not to be tried before this; while an attempt runs, the end of its lease.
    pub next_attempt_at: DateTimeUtc,
    #[sea_orm(column_type = "Text", nullable)]
    pub last_error: Option<String>,
    /// Set once the subgraph has purged; the row is kept as a record.
    pub completed_at: Option<DateTimeUtc>,
    /// When the deletion was requested.
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
