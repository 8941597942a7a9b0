//! The feedback subgraph: what users did (sets, completed workouts) and what they thought
//! of it (difficulty, ratings), and the training signals derived from that history.
//! Everything is read and written for the caller the gateway forwards, never for a user an
//! argument names; `PersonalData.feedback` and `purgeFeedbackData` serve data export and
//! account deletion, and `trainingOutcomes` lists everyone's completions to services
//! holding the `admin` scope.

mod error;
pub mod graphql;
mod live;
mod loaders;
mod outcomes;
mod personal_data;
mod service;
mod set_writer;
pub mod signals;
mod store;
mod validate;

use std::sync::Arc;

use async_graphql::{EmptySubscription, Schema};
use sea_orm::DatabaseConnection;
use subgraph_common::catalog::CatalogClient;
use subgraph_common::errors::ErrorCodes;
use subgraph_common::events::{self, EventBus};
use subgraph_common::{Settings, SubgraphName};

pub use error::FeedbackError;
pub use fitgraph_migrations::feedback::Migrator;
pub use graphql::{Mutation, Query};

pub type FeedbackSchema = Schema<Query, Mutation, EmptySubscription>;

/// The schema over the feedback database. The exercise catalog is read from the exercises
/// subgraph's GraphQL API, lazily on the first request that needs it. Live workout
/// events go to an event bus of its own.
pub fn schema(db: DatabaseConnection, settings: &Settings) -> FeedbackSchema {
    schema_with_bus(db, settings, events::in_process())
}

/// [`schema`], announcing live workout events on `bus`.
pub fn schema_with_bus(
    db: DatabaseConnection,
    settings: &Settings,
    bus: Arc<dyn EventBus>,
) -> FeedbackSchema {
    let mut catalog = CatalogClient::new(settings.subgraph_url(SubgraphName::Exercises));
    if let Ok(credential) = settings.gateway_credential() {
        catalog = catalog.with_credential(credential);
    }
    let catalog = Arc::new(catalog);
    // Outside a runtime (printing the SDL) there is no copy to keep fresh.
    if tokio::runtime::Handle::try_current().is_ok() {
        refresh_on_exercise_changes(bus.clone(), catalog.clone());
    }
    let builder = Schema::build(Query, Mutation, EmptySubscription)
        .enable_federation()
        .extension(ErrorCodes);
    subgraph_common::telemetry::with_resolver_spans(builder)
        .data(loaders::Loaders::new(&db))
        .data(set_writer::SetLogWriter::start(db.clone()))
        .data(catalog)
        .data(db)
        .data(bus)
        .finish()
}

/// Reloads the catalog copy when the library changes, rather than a day later.
fn refresh_on_exercise_changes(bus: Arc<dyn EventBus>, catalog: Arc<CatalogClient>) {
    events::follow_exercise_changes(bus, move || {
        let catalog = catalog.clone();
        async move {
            if let Err(error) = catalog.refresh().await {
                tracing::warn!(%error, "cannot reload the exercise catalog after a change");
            }
        }
    });
}

/// The HTTP router; operations are accepted only with the gateway's `credential`.
pub fn router(
    schema: FeedbackSchema,
    credential: subgraph_common::access::GatewayCredential,
) -> axum::Router {
    subgraph_common::server::graphql_router("feedback", schema, credential)
}

/// The federation SDL, exactly what `{ _service { sdl } }` returns.
pub fn sdl() -> String {
    subgraph_common::server::federation_sdl(
        &Schema::build(Query, Mutation, EmptySubscription)
            .enable_federation()
            .finish(),
    )
}
