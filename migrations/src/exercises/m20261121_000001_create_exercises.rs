//! The exercise library itself.

use sea_orm_migration::{prelude::*, schema::*};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
pub(super) enum Exercises {
    Table,
    Id,
    Slug,
    Name,
    NameSearch,
    Instructions,
    Category,
    Mechanic,
    Force,
    Difficulty,
    Equipment,
    MovementPattern,
    Deprecated,
    Source,
    SourceId,
    CreatedAt,
    UpdatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Exercises::Table)
                    .col(pk_uuid(Exercises::Id))
                    .col(string_uniq(Exercises::Slug))
                    .col(string(Exercises::Name))
                    .col(string(Exercises::NameSearch))
                    .col(text(Exercises::Instructions))
                    .col(string(Exercises::Category))
                    .col(string_null(Exercises::Mechanic))
                    .col(string_null(Exercises::Force))
                    .col(string(Exercises::Difficulty))
                    .col(string(Exercises::Equipment))
                    .col(string(Exercises::MovementPattern))
                    .col(boolean(Exercises::Deprecated).default(false))
                    .col(string(Exercises::Source))
                    .col(string(Exercises::SourceId))
                    .col(timestamp_with_time_zone(Exercises::CreatedAt))
                    .col(timestamp_with_time_zone(Exercises::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        // Imports match records by their id in the source.
        manager
            .create_index(
                Index::create()
                    .name("ux_exercises_source_source_id")
                    .table(Exercises::Table)
                    .col(Exercises::Source)
                    .col(Exercises::SourceId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        // Listing pages walk the library in (name, id) order.
        manager
            .create_index(
                Index::create()
                    .name("ix_exercises_name_id")
                    .table(Exercises::Table)
                    .col(Exercises::Name)
                    .col(Exercises::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("ix_exercises_equipment")
                    .table(Exercises::Table)
                    .col(Exercises::Equipment)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Exercises::Table).to_owned())
            .await
    }
}
