//! `programs`: one row per training program a user follows.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{date, integer, pk_uuid, string, timestamp_with_time_zone, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub(super) enum Programs {
    Table,
    Id,
    UserId,
    Goal,
    StartDate,
    CurrentWeek,
    DeloadEveryWeeks,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Programs::Table)
                    .if_not_exists()
                    .col(pk_uuid(Programs::Id))
                    .col(uuid(Programs::UserId))
                    .col(string(Programs::Goal))
                    .col(date(Programs::StartDate))
                    .col(
                        integer(Programs::CurrentWeek)
                            .default(1)
                            .check(Expr::col(Programs::CurrentWeek).gte(1)),
                    )
                    .col(integer(Programs::DeloadEveryWeeks).default(4))
                    .col(timestamp_with_time_zone(Programs::CreatedAt))
                    .to_owned(),
            )
            .await?;
        // User.programs lists a user's programs.
        manager
            .create_index(
                Index::create()
                    .name("idx_programs_user_id")
                    .table(Programs::Table)
                    .col(Programs::UserId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Programs::Table).to_owned())
            .await
    }
}
