//! The exercises subgraph's schema history.

use sea_orm_migration::prelude::*;

mod m20261121_000001_create_exercises;
mod m20261121_000002_create_exercise_muscles;
mod m20261121_000003_create_exercise_substitutions;
mod m20261121_000004_create_workout_templates;
mod m20261121_000005_create_template_slots;
mod m20261121_212000_create_exercise_edits;

pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    // Each subgraph keeps its own history table, so two subgraphs can share one
    // PostgreSQL database (a schema each) without clashing.
    fn migration_table_name() -> DynIden {
        Alias::new("seaql_migrations_exercises").into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_create_exercises::Migration),
            Box::new(m20261121_000002_create_exercise_muscles::Migration),
            Box::new(m20261121_000003_create_exercise_substitutions::Migration),
            Box::new(m20261121_000004_create_workout_templates::Migration),
            Box::new(m20261121_000005_create_template_slots::Migration),
            Box::new(m20261121_212000_create_exercise_edits::Migration),
        ]
    }
}
