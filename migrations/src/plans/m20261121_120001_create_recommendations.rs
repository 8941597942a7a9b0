//! `recommendations`: the generated workout of one user for one day, with what it was
//! generated from (so a repeat request returns it and training sees what serving saw).

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    date, pk_uuid, string, string_null, text, timestamp_with_time_zone, uuid,
};

use super::m20261121_000002_create_workouts::Workouts;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Recommendations {
    Table,
    WorkoutId,
    UserId,
    Day,
    Kind,
    Reason,
    ExperimentId,
    Variant,
    ModelVersion,
    InputsHash,
    Snapshot,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Recommendations::Table)
                    .if_not_exists()
                    .col(pk_uuid(Recommendations::WorkoutId))
                    .col(uuid(Recommendations::UserId))
                    .col(date(Recommendations::Day))
                    .col(string(Recommendations::Kind))
                    .col(text(Recommendations::Reason))
                    .col(string_null(Recommendations::ExperimentId))
                    .col(string(Recommendations::Variant))
                    .col(string_null(Recommendations::ModelVersion))
                    .col(string(Recommendations::InputsHash))
                    .col(text(Recommendations::Snapshot))
                    .col(timestamp_with_time_zone(Recommendations::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_recommendations_workout_id")
                            .from(Recommendations::Table, Recommendations::WorkoutId)
                            .to(Workouts::Table, Workouts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // One generated workout per user and day; regenerating replaces it.
        manager
            .create_index(
                Index::create()
                    .name("idx_recommendations_user_id_day")
                    .table(Recommendations::Table)
                    .col(Recommendations::UserId)
                    .col(Recommendations::Day)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Training and experiment results read a window of days.
        manager
            .create_index(
                Index::create()
                    .name("idx_recommendations_day")
                    .table(Recommendations::Table)
                    .col(Recommendations::Day)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Recommendations::Table).to_owned())
            .await
    }
}
