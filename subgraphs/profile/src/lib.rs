//! The profile subgraph: users created by the onboarding questionnaire, their
//! goals, body stats and equipment, wearable readings, and the recovery band
//! computed from them. `User @key(fields: "id")` is resolved here for the
//! other subgraphs, in batches through DataLoaders.

mod error;
mod graphql;
mod inputs;
mod kinds;
mod loaders;
mod model;
pub mod recovery;
mod seed;
mod service;
mod store;
mod validate;

use async_graphql::dataloader::DataLoader;
use async_graphql::{EmptySubscription, Schema};
use sea_orm::DatabaseConnection;
use subgraph_common::Settings;
use subgraph_common::errors::ErrorCodes;

pub use error::ProfileError;
pub use fitgraph_migrations::profile::Migrator;
pub use graphql::{Mutation, Query};
pub use kinds::{ReadingKind, RecoveryBand, Sex, TimeOfDay};
pub use seed::seed_demo_users;

use loaders::{EquipmentLoader, RecoveryReadingsLoader, UserLoader};

pub type ProfileSchema = Schema<Query, Mutation, EmptySubscription>;

/// The schema over `db`. The profile subgraph calls no other subgraph, so it
/// needs nothing from `settings`.
pub fn schema(db: DatabaseConnection, _settings: &Settings) -> ProfileSchema {
    schema_builder()
        .data(DataLoader::new(UserLoader(db.clone()), tokio::spawn))
        .data(DataLoader::new(EquipmentLoader(db.clone()), tokio::spawn))
        .data(DataLoader::new(
            RecoveryReadingsLoader(db.clone()),
            tokio::spawn,
        ))
        .data(db)
        .finish()
}

fn schema_builder() -> async_graphql::SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query, Mutation, EmptySubscription)
        .enable_federation()
        .extension(ErrorCodes)
}

/// POST/GET `/graphql` and `/health`.
pub fn router(schema: ProfileSchema) -> axum::Router {
    subgraph_common::server::graphql_router(schema)
}

/// The federation SDL, exactly what `{ _service { sdl } }` returns (async-graphql
/// answers that field with `federation().compose_directive()`, which differs from
/// `federation()` alone by a trailing newline).
pub fn sdl() -> String {
    subgraph_common::server::federation_sdl(&schema_builder().finish())
}
