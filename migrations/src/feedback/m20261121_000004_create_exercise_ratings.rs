//! `exercise_ratings`: what a user thinks of an exercise.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    integer, pk_uuid, string_len, text_null, timestamp_with_time_zone, uuid,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ExerciseRatings {
    Table,
    Id,
    IdempotencyKey,
    UserId,
    ExerciseId,
    Rating,
    Comment,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ExerciseRatings::Table)
                    .if_not_exists()
                    .col(pk_uuid(ExerciseRatings::Id))
                    .col(string_len(ExerciseRatings::IdempotencyKey, 128))
                    .col(uuid(ExerciseRatings::UserId))
                    .col(uuid(ExerciseRatings::ExerciseId))
                    .col(integer(ExerciseRatings::Rating))
                    .col(text_null(ExerciseRatings::Comment))
                    .col(timestamp_with_time_zone(ExerciseRatings::CreatedAt))
                    .to_owned(),
            )
            .await?;
        // The idempotency guard for rateExercise retries.
        manager
            .create_index(
                Index::create()
                    .name("ux_exercise_ratings_idempotency_key")
                    .table(ExerciseRatings::Table)
                    .col(ExerciseRatings::IdempotencyKey)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Training signals read one user's recent ratings.
        manager
            .create_index(
                Index::create()
                    .name("idx_exercise_ratings_user_id_created_at")
                    .table(ExerciseRatings::Table)
                    .col(ExerciseRatings::UserId)
                    .col(ExerciseRatings::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ExerciseRatings::Table).to_owned())
            .await
    }
}
