//! `exercise_outcomes`: how each exercise of a completed workout went.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{boolean, integer, integer_null, text_null, uuid};

use super::m20261121_000002_create_workout_completions::WorkoutCompletions;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ExerciseOutcomes {
    Table,
    CompletionId,
    ExerciseId,
    Position,
    Completed,
    Skipped,
    Difficulty,
    Notes,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The primary key (completion_id, exercise_id) also serves reading one completion's outcomes.
        manager
            .create_table(
                Table::create()
                    .table(ExerciseOutcomes::Table)
                    .if_not_exists()
                    .col(uuid(ExerciseOutcomes::CompletionId))
                    .col(uuid(ExerciseOutcomes::ExerciseId))
                    .col(integer(ExerciseOutcomes::Position))
                    .col(boolean(ExerciseOutcomes::Completed))
                    .col(boolean(ExerciseOutcomes::Skipped))
                    .col(integer_null(ExerciseOutcomes::Difficulty))
                    .col(text_null(ExerciseOutcomes::Notes))
                    .primary_key(
                        Index::create()
                            .name("pk_exercise_outcomes")
                            .col(ExerciseOutcomes::CompletionId)
                            .col(ExerciseOutcomes::ExerciseId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_exercise_outcomes_completion_id")
                            .from(ExerciseOutcomes::Table, ExerciseOutcomes::CompletionId)
                            .to(WorkoutCompletions::Table, WorkoutCompletions::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ExerciseOutcomes::Table).to_owned())
            .await
    }
}
