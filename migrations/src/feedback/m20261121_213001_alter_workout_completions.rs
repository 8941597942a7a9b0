//! `workout_completions`: idempotency keys become unique per user (see `user_scoped_keys`).

use sea_orm_migration::prelude::*;

use super::user_scoped_keys::{KeyIndexes, scope_globally, scope_to_user};

#[derive(DeriveMigrationName)]
pub struct Migration;

const KEYS: KeyIndexes = KeyIndexes {
    table: "workout_completions",
    global: "ux_workout_completions_idempotency_key",
    per_user: "ux_workout_completions_user_id_idempotency_key",
};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        scope_to_user(manager, &KEYS).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        scope_globally(manager, &KEYS).await
    }
}
