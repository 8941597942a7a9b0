//! `workout_exercises`: the exercises a workout prescribes, in order.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{double_null, integer, uuid};

use super::m20261121_000002_create_workouts::Workouts;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WorkoutExercises {
    Table,
    WorkoutId,
    Position,
    ExerciseId,
    Sets,
    RepMin,
    RepMax,
    TargetLoadKg,
    RestSeconds,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // The (workout_id, position) key also serves the by-workout lookups.
        manager
            .create_table(
                Table::create()
                    .table(WorkoutExercises::Table)
                    .if_not_exists()
                    .col(uuid(WorkoutExercises::WorkoutId))
                    .col(integer(WorkoutExercises::Position))
                    .col(uuid(WorkoutExercises::ExerciseId))
                    .col(integer(WorkoutExercises::Sets))
                    .col(integer(WorkoutExercises::RepMin))
                    .col(integer(WorkoutExercises::RepMax))
                    .col(double_null(WorkoutExercises::TargetLoadKg))
                    .col(integer(WorkoutExercises::RestSeconds))
                    .primary_key(
                        Index::create()
                            .name("pk_workout_exercises")
                            .col(WorkoutExercises::WorkoutId)
                            .col(WorkoutExercises::Position),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_workout_exercises_workout_id")
                            .from(WorkoutExercises::Table, WorkoutExercises::WorkoutId)
                            .to(Workouts::Table, Workouts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(WorkoutExercises::Table).to_owned())
            .await
    }
}
