//! `workout_exercises` gains what a generated prescription says beyond the range: the
//! reps to aim for today, the unit of the range and why the exercise was chosen.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{integer_null, string_null, text_null};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WorkoutExercises {
    Table,
    TargetReps,
    RepUnit,
    Reason,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // One column per statement: SQLite cannot add several in one ALTER.
        for column in [
            integer_null(WorkoutExercises::TargetReps),
            string_null(WorkoutExercises::RepUnit),
            text_null(WorkoutExercises::Reason),
        ] {
            let mut column = column;
            manager
                .alter_table(
                    Table::alter()
                        .table(WorkoutExercises::Table)
                        .add_column(&mut column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            WorkoutExercises::TargetReps,
            WorkoutExercises::RepUnit,
            WorkoutExercises::Reason,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(WorkoutExercises::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
