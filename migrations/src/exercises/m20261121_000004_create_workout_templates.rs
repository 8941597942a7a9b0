//! Ready-made workouts per goal and difficulty.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub(super) enum WorkoutTemplates {
    Table,
    Id,
    Slug,
    Name,
    Goal,
    Difficulty,
    DurationMinutes,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WorkoutTemplates::Table)
                    .col(pk_uuid(WorkoutTemplates::Id))
                    .col(string_uniq(WorkoutTemplates::Slug))
                    .col(string(WorkoutTemplates::Name))
                    .col(string(WorkoutTemplates::Goal))
                    .col(string(WorkoutTemplates::Difficulty))
                    .col(integer(WorkoutTemplates::DurationMinutes))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_workout_templates_goal_difficulty")
                    .table(WorkoutTemplates::Table)
                    .col(WorkoutTemplates::Goal)
                    .col(WorkoutTemplates::Difficulty)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WorkoutTemplates::Table).to_owned())
            .await
    }
}
