//! `ranker_models`: the model registry. Every trained artifact is kept with its held-out
//! metrics and whether it was promoted; at most one is `PROMOTED` at a time.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{
    blob, date, pk_uuid, string, string_uniq, text, timestamp_with_time_zone,
    timestamp_with_time_zone_null,
};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum RankerModels {
    Table,
    Id,
    Version,
    Family,
    FeatureSchemaHash,
    TrainedAt,
    WindowFrom,
    WindowTo,
    HoldoutFrom,
    Metrics,
    Artifact,
    Status,
    Decision,
    PromotedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(RankerModels::Table)
                    .if_not_exists()
                    .col(pk_uuid(RankerModels::Id))
                    .col(string_uniq(RankerModels::Version))
                    .col(string(RankerModels::Family))
                    .col(string(RankerModels::FeatureSchemaHash))
                    .col(timestamp_with_time_zone(RankerModels::TrainedAt))
                    .col(date(RankerModels::WindowFrom))
                    .col(date(RankerModels::WindowTo))
                    .col(date(RankerModels::HoldoutFrom))
                    .col(text(RankerModels::Metrics))
                    .col(blob(RankerModels::Artifact))
                    .col(string(RankerModels::Status))
                    .col(text(RankerModels::Decision))
                    .col(timestamp_with_time_zone_null(RankerModels::PromotedAt))
                    .to_owned(),
            )
            .await?;
        // Serving looks up the promoted model every few seconds.
        manager
            .create_index(
                Index::create()
                    .name("idx_ranker_models_status")
                    .table(RankerModels::Table)
                    .col(RankerModels::Status)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(RankerModels::Table).to_owned())
            .await
    }
}
