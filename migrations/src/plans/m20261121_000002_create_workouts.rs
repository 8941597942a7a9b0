//! `workouts`: a workout scheduled for a day, optionally within a program.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    date, pk_uuid, string, timestamp_with_time_zone, timestamp_with_time_zone_null, uuid, uuid_null,
};

use super::m20261121_000001_create_programs::Programs;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub(super) enum Workouts {
    Table,
    Id,
    UserId,
    ProgramId,
    ScheduledDate,
    Title,
    Status,
    StartedAt,
    CompletedAt,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Workouts::Table)
                    .if_not_exists()
                    .col(pk_uuid(Workouts::Id))
                    .col(uuid(Workouts::UserId))
                    .col(uuid_null(Workouts::ProgramId))
                    .col(date(Workouts::ScheduledDate))
                    .col(string(Workouts::Title))
                    .col(string(Workouts::Status))
                    .col(timestamp_with_time_zone_null(Workouts::StartedAt))
                    .col(timestamp_with_time_zone_null(Workouts::CompletedAt))
                    .col(timestamp_with_time_zone(Workouts::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_workouts_program_id")
                            .from(Workouts::Table, Workouts::ProgramId)
                            .to(Programs::Table, Programs::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        // User.workouts(from, to) reads one user's date range.
        manager
            .create_index(
                Index::create()
                    .name("idx_workouts_user_id_scheduled_date")
                    .table(Workouts::Table)
                    .col(Workouts::UserId)
                    .col(Workouts::ScheduledDate)
                    .to_owned(),
            )
            .await?;
        // Program.workouts lists a program's workouts.
        manager
            .create_index(
                Index::create()
                    .name("idx_workouts_program_id")
                    .table(Workouts::Table)
                    .col(Workouts::ProgramId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Workouts::Table).to_owned())
            .await
    }
}
