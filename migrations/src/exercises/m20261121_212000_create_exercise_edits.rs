//! Who changed the library: one row per editor write. `editor_id` is the only
//! personal data the exercises subgraph holds.

use sea_orm_migration::{prelude::*, schema::*};

use super::m20261121_000001_create_exercises::Exercises;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ExerciseEdits {
    Table,
    Id,
    ExerciseId,
    EditorId,
    Client,
    Action,
    CreatedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ExerciseEdits::Table)
                    .col(pk_uuid(ExerciseEdits::Id))
                    .col(uuid(ExerciseEdits::ExerciseId))
                    // Null for an API-key client, and once the editor's account is deleted.
                    .col(uuid_null(ExerciseEdits::EditorId))
                    .col(string_null(ExerciseEdits::Client))
                    .col(string(ExerciseEdits::Action))
                    .col(timestamp_with_time_zone(ExerciseEdits::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .name("fk_exercise_edits_exercise")
                            .from(ExerciseEdits::Table, ExerciseEdits::ExerciseId)
                            .to(Exercises::Table, Exercises::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        // Exporting and purging a user's data look their edits up by editor.
        manager
            .create_index(
                Index::create()
                    .name("ix_exercise_edits_editor_id")
                    .table(ExerciseEdits::Table)
                    .col(ExerciseEdits::EditorId)
                    .to_owned(),
            )
            .await?;
        // Lets the cascade from a deleted exercise find its rows.
        manager
            .create_index(
                Index::create()
                    .name("ix_exercise_edits_exercise_id")
                    .table(ExerciseEdits::Table)
                    .col(ExerciseEdits::ExerciseId)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ExerciseEdits::Table).to_owned())
            .await
    }
}
