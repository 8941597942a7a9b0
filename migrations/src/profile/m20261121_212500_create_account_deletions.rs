//! `account_deletions`: the outbox of a deleted account. Deleting an account
//! removes the profile rows and writes one row here per other subgraph in the same
//! transaction; a row stays pending until that subgraph has purged the user's data.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    integer, pk_uuid, string, text_null, timestamp_with_time_zone, timestamp_with_time_zone_null,
    uuid,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AccountDeletions {
    Table,
    Id,
    UserId,
    Subgraph,
    Attempts,
    NextAttemptAt,
    LastError,
    CompletedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // No foreign key to users: the row must outlive the user it is about.
        manager
            .create_table(
                Table::create()
                    .table(AccountDeletions::Table)
                    .if_not_exists()
                    .col(pk_uuid(AccountDeletions::Id))
                    .col(uuid(AccountDeletions::UserId))
                    .col(string(AccountDeletions::Subgraph))
                    .col(integer(AccountDeletions::Attempts).default(0))
                    .col(timestamp_with_time_zone(AccountDeletions::NextAttemptAt))
                    .col(text_null(AccountDeletions::LastError))
                    .col(timestamp_with_time_zone_null(AccountDeletions::CompletedAt))
                    .col(timestamp_with_time_zone(AccountDeletions::CreatedAt))
                    .to_owned(),
            )
            .await?;
        // The worker's scan: pending rows in the order they fall due.
        manager
            .create_index(
                Index::create()
                    .name("idx_account_deletions_pending")
                    .table(AccountDeletions::Table)
                    .col(AccountDeletions::CompletedAt)
                    .col(AccountDeletions::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        // A repeated deletion replaces the user's pending rows.
        manager
            .create_index(
                Index::create()
                    .name("idx_account_deletions_user_id")
                    .table(AccountDeletions::Table)
                    .col(AccountDeletions::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(AccountDeletions::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await
    }
}
