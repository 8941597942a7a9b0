//! `workout_completions`: a workout marked done, once.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    integer_null, pk_uuid, string_len, timestamp_with_time_zone, uuid,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub(super) enum WorkoutCompletions {
    Table,
    Id,
    IdempotencyKey,
    UserId,
    WorkoutId,
    SessionRpe,
    CompletedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WorkoutCompletions::Table)
                    .if_not_exists()
                    .col(pk_uuid(WorkoutCompletions::Id))
                    .col(string_len(WorkoutCompletions::IdempotencyKey, 128))
                    .col(uuid(WorkoutCompletions::UserId))
                    .col(uuid(WorkoutCompletions::WorkoutId))
                    .col(integer_null(WorkoutCompletions::SessionRpe))
                    .col(timestamp_with_time_zone(WorkoutCompletions::CompletedAt))
                    .to_owned(),
            )
            .await?;
        // The idempotency guard for completeWorkout retries.
        manager
            .create_index(
                Index::create()
                    .name("ux_workout_completions_idempotency_key")
                    .table(WorkoutCompletions::Table)
                    .col(WorkoutCompletions::IdempotencyKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // A workout is completed once; this also serves Workout.completion.
        manager
            .create_index(
                Index::create()
                    .name("ux_workout_completions_workout_id")
                    .table(WorkoutCompletions::Table)
                    .col(WorkoutCompletions::WorkoutId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Training signals read one user's recent completions.
        manager
            .create_index(
                Index::create()
                    .name("idx_workout_completions_user_id_completed_at")
                    .table(WorkoutCompletions::Table)
                    .col(WorkoutCompletions::UserId)
                    .col(WorkoutCompletions::CompletedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WorkoutCompletions::Table).to_owned())
            .await
    }
}
