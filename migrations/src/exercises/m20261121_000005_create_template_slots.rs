//! The slots of each workout template, in order.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261121_000004_create_workout_templates::WorkoutTemplates;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum TemplateSlots {
    Table,
    TemplateId,
    Position,
    TargetKind,
    Target,
    Sets,
    RepMin,
    RepMax,
    RestSeconds,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(TemplateSlots::Table)
                    .col(uuid(TemplateSlots::TemplateId))
                    .col(integer(TemplateSlots::Position))
                    .col(string(TemplateSlots::TargetKind))
                    .col(string(TemplateSlots::Target))
                    .col(integer(TemplateSlots::Sets))
                    .col(integer(TemplateSlots::RepMin))
                    .col(integer(TemplateSlots::RepMax))
                    .col(integer(TemplateSlots::RestSeconds))
                    .primary_key(
                        Index::create()
                            .col(TemplateSlots::TemplateId)
                            .col(TemplateSlots::Position),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_template_slots_template")
                            .from(TemplateSlots::Table, TemplateSlots::TemplateId)
                            .to(WorkoutTemplates::Table, WorkoutTemplates::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(TemplateSlots::Table).to_owned())
            .await
    }
}
