//! `workout_outcomes`: how each prescribed exercise went, copied from the feedback
//! subgraph's completions (a read model; feedback owns the data) for training and
//! experiment analysis; `sync_cursors` remembers how far the copy has read.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{boolean, integer_null, string, timestamp_with_time_zone, uuid};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WorkoutOutcomes {
    Table,
    WorkoutId,
    ExerciseId,
    UserId,
    Completed,
    Skipped,
    Difficulty,
    CompletedAt,
}

#[derive(DeriveIden)]
enum SyncCursors {
    Table,
    Feed,
    Cursor,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WorkoutOutcomes::Table)
                    .if_not_exists()
                    .col(uuid(WorkoutOutcomes::WorkoutId))
                    .col(uuid(WorkoutOutcomes::ExerciseId))
                    .col(uuid(WorkoutOutcomes::UserId))
                    .col(boolean(WorkoutOutcomes::Completed))
                    .col(boolean(WorkoutOutcomes::Skipped))
                    .col(integer_null(WorkoutOutcomes::Difficulty))
                    .col(timestamp_with_time_zone(WorkoutOutcomes::CompletedAt))
                    .primary_key(
                        Index::create()
                            .name("pk_workout_outcomes")
                            .col(WorkoutOutcomes::WorkoutId)
                            .col(WorkoutOutcomes::ExerciseId),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SyncCursors::Table)
                    .if_not_exists()
                    .col(string(SyncCursors::Feed).primary_key())
                    .col(string(SyncCursors::Cursor))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(SyncCursors::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(WorkoutOutcomes::Table).to_owned())
            .await
    }
}
