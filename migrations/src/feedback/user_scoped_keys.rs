//! Idempotency keys unique per user rather than across all users: a key one user
//! picked must neither block another user's write nor hand them the first user's
//! row back as a "retry". Shared by the three migrations that re-key a table.

use sea_orm_migration::prelude::*;

/// The idempotency indexes of one table, before and after.
pub(super) struct KeyIndexes {
    pub table: &'static str,
    /// Unique on `idempotency_key` alone (what the table was created with).
    pub global: &'static str,
    /// Unique on `(user_id, idempotency_key)`.
    pub per_user: &'static str,
}

pub(super) async fn scope_to_user(
    manager: &SchemaManager<'_>,
    keys: &KeyIndexes,
) -> Result<(), DbErr> {
    // The new guard goes in before the old one goes, so no write slips between them.
    manager
        .create_index(
            Index::create()
                .name(keys.per_user)
                .table(Alias::new(keys.table))
                .col(Alias::new("user_id"))
                .col(Alias::new("idempotency_key"))
                .unique()
                .to_owned(),
        )
        .await?;
    manager
        .drop_index(
            Index::drop()
                .name(keys.global)
                .table(Alias::new(keys.table))
                .to_owned(),
        )
        .await
}

/// Fails when two users have meanwhile used the same key, which the old index forbids.
pub(super) async fn scope_globally(
    manager: &SchemaManager<'_>,
    keys: &KeyIndexes,
) -> Result<(), DbErr> {
    manager
        .create_index(
            Index::create()
                .name(keys.global)
                .table(Alias::new(keys.table))
                .col(Alias::new("idempotency_key"))
                .unique()
                .to_owned(),
        )
        .await?;
    manager
        .drop_index(
            Index::drop()
                .name(keys.per_user)
                .table(Alias::new(keys.table))
                .to_owned(),
        )
        .await
}
