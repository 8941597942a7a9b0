//! The feedback subgraph's schema history.

use sea_orm_migration::prelude::*;

pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    // Each subgraph keeps its own history table, so two subgraphs can share one
    // PostgreSQL database (a schema each) without clashing.
    fn migration_table_name() -> DynIden {
        Alias::new("seaql_migrations_feedback").into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![]
    }
}
