//! The feedback subgraph's schema history.

use sea_orm_migration::prelude::*;

mod m20261121_000001_create_set_logs;
mod m20261121_000002_create_workout_completions;
mod m20261121_000003_create_exercise_outcomes;
mod m20261121_000004_create_exercise_ratings;
mod m20261121_213000_alter_set_logs;
mod m20261121_213001_alter_workout_completions;
mod m20261121_213002_alter_exercise_ratings;
mod user_scoped_keys;

pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    // Each subgraph keeps its own history table, so two subgraphs can share one
    // PostgreSQL database (a schema each) without clashing.
    fn migration_table_name() -> DynIden {
        Alias::new("seaql_migrations_feedback").into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_create_set_logs::Migration),
            Box::new(m20261121_000002_create_workout_completions::Migration),
            Box::new(m20261121_000003_create_exercise_outcomes::Migration),
            Box::new(m20261121_000004_create_exercise_ratings::Migration),
            Box::new(m20261121_213000_alter_set_logs::Migration),
            Box::new(m20261121_213001_alter_workout_completions::Migration),
            Box::new(m20261121_213002_alter_exercise_ratings::Migration),
        ]
    }
}
