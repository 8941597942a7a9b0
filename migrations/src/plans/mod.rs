//! The plans subgraph's schema history.

use sea_orm_migration::prelude::*;

mod m20261121_000001_create_programs;
mod m20261121_000002_create_workouts;
mod m20261121_000003_create_workout_exercises;
mod m20261121_120001_create_recommendations;
mod m20261121_120002_add_prescription_details;
mod m20261121_120003_create_ranker_models;
mod m20261121_120004_create_experiments;
mod m20261121_120005_create_workout_outcomes;

pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    // Each subgraph keeps its own history table, so two subgraphs can share one
    // PostgreSQL database (a schema each) without clashing.
    fn migration_table_name() -> DynIden {
        Alias::new("seaql_migrations_plans").into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_create_programs::Migration),
            Box::new(m20261121_000002_create_workouts::Migration),
            Box::new(m20261121_000003_create_workout_exercises::Migration),
            Box::new(m20261121_120001_create_recommendations::Migration),
            Box::new(m20261121_120002_add_prescription_details::Migration),
            Box::new(m20261121_120003_create_ranker_models::Migration),
            Box::new(m20261121_120004_create_experiments::Migration),
            Box::new(m20261121_120005_create_workout_outcomes::Migration),
        ]
    }
}
