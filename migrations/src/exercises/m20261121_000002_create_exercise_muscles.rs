//! The muscles each exercise works.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261121_000001_create_exercises::Exercises;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ExerciseMuscles {
    Table,
    ExerciseId,
    Muscle,
    IsPrimary,
    Position,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ExerciseMuscles::Table)
                    .col(uuid(ExerciseMuscles::ExerciseId))
                    .col(string(ExerciseMuscles::Muscle))
                    .col(boolean(ExerciseMuscles::IsPrimary))
                    .col(integer(ExerciseMuscles::Position))
                    .primary_key(
                        Index::create()
                            .col(ExerciseMuscles::ExerciseId)
                            .col(ExerciseMuscles::Muscle),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_exercise_muscles_exercise")
                            .from(ExerciseMuscles::Table, ExerciseMuscles::ExerciseId)
                            .to(Exercises::Table, Exercises::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Filtering by muscle and finding alternatives start from the muscle.
        manager
            .create_index(
                Index::create()
                    .name("ix_exercise_muscles_muscle")
                    .table(ExerciseMuscles::Table)
                    .col(ExerciseMuscles::Muscle)
                    .col(ExerciseMuscles::IsPrimary)
                    .col(ExerciseMuscles::ExerciseId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ExerciseMuscles::Table).to_owned())
            .await
    }
}
