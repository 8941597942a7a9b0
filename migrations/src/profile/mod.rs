//! The profile subgraph's schema history.

use sea_orm_migration::prelude::*;

mod m20261121_000001_create_users;
mod m20261121_000002_create_user_equipment;
mod m20261121_000003_create_wearable_readings;
mod m20261121_212500_create_account_deletions;

pub struct Migrator;

#[sea_orm_migration::async_trait::async_trait]
impl MigratorTrait for Migrator {
    // Each subgraph keeps its own history table, so two subgraphs can share one
    // PostgreSQL database (a schema each) without clashing.
    fn migration_table_name() -> DynIden {
        Alias::new("seaql_migrations_profile").into_iden()
    }

    fn migrations() -> Vec<Box<dyn MigrationTrait>> {
        vec![
            Box::new(m20261121_000001_create_users::Migration),
            Box::new(m20261121_000002_create_user_equipment::Migration),
            Box::new(m20261121_000003_create_wearable_readings::Migration),
            Box::new(m20261121_212500_create_account_deletions::Migration),
        ]
    }
}
