//! `wearable_readings`: HRV, resting heart rate and sleep readings from wearables.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{double, pk_uuid, string, timestamp_with_time_zone, uuid};

use super::m20261121_000001_create_users::Users;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum WearableReadings {
    Table,
    Id,
    UserId,
    Kind,
    Value,
    RecordedAt,
    Source,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(WearableReadings::Table)
                    .if_not_exists()
                    .col(pk_uuid(WearableReadings::Id))
                    .col(uuid(WearableReadings::UserId))
                    .col(string(WearableReadings::Kind))
                    .col(double(WearableReadings::Value))
                    .col(timestamp_with_time_zone(WearableReadings::RecordedAt))
                    .col(string(WearableReadings::Source))
                    .col(timestamp_with_time_zone(WearableReadings::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_wearable_readings_user_id")
                            .from(WearableReadings::Table, WearableReadings::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // The identity that makes recording idempotent (ON CONFLICT target); it also
        // serves one user's readings of one kind in a time range.
        manager
            .create_index(
                Index::create()
                    .name("uq_wearable_readings_identity")
                    .table(WearableReadings::Table)
                    .col(WearableReadings::UserId)
                    .col(WearableReadings::Kind)
                    .col(WearableReadings::RecordedAt)
                    .col(WearableReadings::Source)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Recovery and the unfiltered reading list read users' recent readings by time.
        manager
            .create_index(
                Index::create()
                    .name("idx_wearable_readings_user_id_recorded_at")
                    .table(WearableReadings::Table)
                    .col(WearableReadings::UserId)
                    .col(WearableReadings::RecordedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(
                Table::drop()
                    .table(WearableReadings::Table)
                    .if_exists()
                    .to_owned(),
            )
            .await
    }
}
