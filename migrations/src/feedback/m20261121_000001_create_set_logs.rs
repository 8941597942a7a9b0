//! `set_logs`: one performed set.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    double, integer, integer_null, pk_uuid, string_len, timestamp_with_time_zone, uuid,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum SetLogs {
    Table,
    Id,
    IdempotencyKey,
    UserId,
    WorkoutId,
    ExerciseId,
    SetIndex,
    Reps,
    LoadKg,
    RepsInReserve,
    LoggedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(SetLogs::Table)
                    .if_not_exists()
                    .col(pk_uuid(SetLogs::Id))
                    .col(string_len(SetLogs::IdempotencyKey, 128))
                    .col(uuid(SetLogs::UserId))
                    .col(uuid(SetLogs::WorkoutId))
                    .col(uuid(SetLogs::ExerciseId))
                    .col(integer(SetLogs::SetIndex))
                    .col(integer(SetLogs::Reps))
                    .col(double(SetLogs::LoadKg))
                    .col(integer_null(SetLogs::RepsInReserve))
                    .col(timestamp_with_time_zone(SetLogs::LoggedAt))
                    .to_owned(),
            )
            .await?;
        // The idempotency guard: a retried logSet collides here instead of writing twice.
        manager
            .create_index(
                Index::create()
                    .name("ux_set_logs_idempotency_key")
                    .table(SetLogs::Table)
                    .col(SetLogs::IdempotencyKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Training signals read one user's recent sets.
        manager
            .create_index(
                Index::create()
                    .name("idx_set_logs_user_id_logged_at")
                    .table(SetLogs::Table)
                    .col(SetLogs::UserId)
                    .col(SetLogs::LoggedAt)
                    .to_owned(),
            )
            .await?;
        // Workout.setLogs lists one workout's sets.
        manager
            .create_index(
                Index::create()
                    .name("idx_set_logs_workout_id")
                    .table(SetLogs::Table)
                    .col(SetLogs::WorkoutId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SetLogs::Table).to_owned())
            .await
    }
}
