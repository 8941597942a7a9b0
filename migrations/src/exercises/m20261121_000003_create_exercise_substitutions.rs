//! The precomputed best alternatives of each exercise.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261121_000001_create_exercises::Exercises;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ExerciseSubstitutions {
    Table,
    ExerciseId,
    SubstituteId,
    Rank,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ExerciseSubstitutions::Table)
                    .col(uuid(ExerciseSubstitutions::ExerciseId))
                    .col(uuid(ExerciseSubstitutions::SubstituteId))
                    .col(integer(ExerciseSubstitutions::Rank))
                    .primary_key(
                        Index::create()
                            .col(ExerciseSubstitutions::ExerciseId)
                            .col(ExerciseSubstitutions::SubstituteId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_exercise_substitutions_exercise")
                            .from(
                                ExerciseSubstitutions::Table,
                                ExerciseSubstitutions::ExerciseId,
                            )
                            .to(Exercises::Table, Exercises::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_exercise_substitutions_substitute")
                            .from(
                                ExerciseSubstitutions::Table,
                                ExerciseSubstitutions::SubstituteId,
                            )
                            .to(Exercises::Table, Exercises::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Lets the cascade from a deleted substitute find its rows.
        manager
            .create_index(
                Index::create()
                    .name("ix_exercise_substitutions_substitute")
                    .table(ExerciseSubstitutions::Table)
                    .col(ExerciseSubstitutions::SubstituteId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ExerciseSubstitutions::Table).to_owned())
            .await
    }
}
