//! The profile subgraph: users created by the onboarding questionnaire, their
//! goals, body stats and equipment, wearable readings, and the recovery band
//! computed from them. `User @key(fields: "id")` is resolved here for the
//! other subgraphs, in batches through DataLoaders. Every user's data is served
//! to that user only. It also owns `PersonalData @key(fields: "userId")`, the
//! caller's data export the other subgraphs add to, and account deletion, which
//! asks the other subgraphs to purge until they have.

mod deletion;
mod error;
mod export;
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

use std::sync::Arc;

use async_graphql::{EmptySubscription, Schema};
use sea_orm::DatabaseConnection;
use subgraph_common::Settings;
use subgraph_common::batching::Batched;
use subgraph_common::errors::ErrorCodes;
use subgraph_common::events::{self, EventBus};

pub use deletion::{DeletionConfig, PurgeTarget, run_pending_deletions, spawn_deletion_worker};
pub use error::ProfileError;
pub use fitgraph_migrations::profile::Migrator;
pub use graphql::{AccountDeletion, Mutation, PersonalData, Query};
pub use kinds::{ReadingKind, RecoveryBand, Sex, TimeOfDay};
pub use seed::{DEMO_USERS, DemoUser, seed_demo_users};

use loaders::{EquipmentLoader, RecoveryReadingsLoader, UserLoader};

pub type ProfileSchema = Schema<Query, Mutation, EmptySubscription>;

/// The schema over `db`; account deletion asks the other subgraphs configured in
/// `settings` to purge, signed with its gateway credential. Profile changes are
/// announced on an event bus of its own.
pub fn schema(db: DatabaseConnection, settings: &Settings) -> ProfileSchema {
    schema_with_deletion(db, DeletionConfig::from_settings(settings))
}

/// [`schema`], announcing profile changes on `bus`.
pub fn schema_with_bus(
    db: DatabaseConnection,
    settings: &Settings,
    bus: Arc<dyn EventBus>,
) -> ProfileSchema {
    schema_with(db, DeletionConfig::from_settings(settings), bus)
}

/// The schema over `db`, with account deletion configured by `deletion`, on a bus of
/// its own. Run [`spawn_deletion_worker`] with the same configuration to retry failed
/// purges.
pub fn schema_with_deletion(db: DatabaseConnection, deletion: DeletionConfig) -> ProfileSchema {
    schema_with(db, deletion, events::in_process())
}

/// The schema over `db`, with account deletion configured by `deletion`, announcing
/// profile changes on `bus`.
pub fn schema_with(
    db: DatabaseConnection,
    deletion: DeletionConfig,
    bus: Arc<dyn EventBus>,
) -> ProfileSchema {
    schema_builder()
        .data(Batched::new(UserLoader(db.clone())))
        .data(Batched::new(EquipmentLoader(db.clone())))
        .data(Batched::new(RecoveryReadingsLoader(db.clone())))
        .data(db)
        .data(deletion)
        .data(bus)
        .finish()
}

fn schema_builder() -> async_graphql::SchemaBuilder<Query, Mutation, EmptySubscription> {
    let builder = Schema::build(Query, Mutation, EmptySubscription)
        .enable_federation()
        .extension(ErrorCodes);
    subgraph_common::telemetry::with_resolver_spans(builder)
}

/// The HTTP router, POST/GET `/graphql` and `/health`; operations are accepted
/// only with the gateway's `credential`.
pub fn router(
    schema: ProfileSchema,
    credential: subgraph_common::access::GatewayCredential,
) -> axum::Router {
    subgraph_common::server::graphql_router("profile", schema, credential)
}

/// The federation SDL, exactly what `{ _service { sdl } }` returns (async-graphql
/// answers that field with `federation().compose_directive()`, which differs from
/// `federation()` alone by a trailing newline).
pub fn sdl() -> String {
    subgraph_common::server::federation_sdl(&schema_builder().finish())
}
