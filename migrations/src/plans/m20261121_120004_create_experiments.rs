//! `experiments`: A/B tests of recommendation strategies, with weighted named variants.

use sea_orm_migration::prelude::*;
use sea_orm_migration::schema::{boolean, string, string_uniq, text, timestamp_with_time_zone};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Experiments {
    Table,
    Id,
    Description,
    Salt,
    Variants,
    Control,
    Active,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Experiments::Table)
                    .if_not_exists()
                    .col(string_uniq(Experiments::Id).primary_key())
                    .col(text(Experiments::Description))
                    .col(string(Experiments::Salt))
                    .col(text(Experiments::Variants))
                    .col(string(Experiments::Control))
                    .col(boolean(Experiments::Active))
                    .col(timestamp_with_time_zone(Experiments::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Experiments::Table).to_owned())
            .await
    }
}
