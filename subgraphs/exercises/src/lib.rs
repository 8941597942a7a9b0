//! The exercises subgraph: the exercise library (a generated catalog, imports and
//! editor additions), alternatives between exercises, and workout templates.
//! Federation v2; `Exercise` is an entity keyed by `id`, and the subgraph adds
//! the editor's own edits to profile's `PersonalData` entity.
//!
//! Reading the library is public; changing it needs the `editor` scope, and each
//! change records who made it (the only personal data held here).

pub mod catalog;
mod editor;
mod error;
mod graphql;
mod import;
mod listing;
mod listing_cache;
mod loaders;
mod model;
mod personal;
mod seed;
mod service;
pub mod similarity;
mod slug;
mod store;

use std::sync::Arc;

use async_graphql::{EmptySubscription, Schema};
use sea_orm::DatabaseConnection;
use subgraph_common::Settings;
use subgraph_common::errors::ErrorCodes;
use subgraph_common::events::{self, EventBus};

pub use editor::{
    Attribution, ExerciseDraft, ExercisePatch, SUBSTITUTES_PER_EXERCISE, create_exercise,
    deprecate_exercise, update_exercise,
};
pub use error::ExercisesError;
pub use fitgraph_migrations::exercises::Migrator;
pub use graphql::{Mutation, Query};
pub use import::{ImportError, ImportReport, Rejection, import_free_exercise_db};
pub use listing::{ExerciseFilter, MAX_PAGE_SIZE, Page, list as list_exercises};
pub use listing_cache::ListingCache;
pub use model::{ExerciseRecord, MuscleSet, SlotTarget, TemplateSlot, WorkoutTemplate};
pub use seed::{SeedReport, is_seeded, rebuild_substitutions, seed};
pub use service::{MAX_ALTERNATIVES, alternatives, templates};

pub type ExercisesSchema = Schema<Query, Mutation, EmptySubscription>;

/// The subgraph's schema over its database, media served from `settings.cdn_base_url`;
/// library changes are announced on an event bus of its own.
pub fn schema(db: DatabaseConnection, settings: &Settings) -> ExercisesSchema {
    schema_with_bus(db, settings, events::in_process())
}

/// [`schema`], announcing library changes on `bus`.
pub fn schema_with_bus(
    db: DatabaseConnection,
    settings: &Settings,
    bus: Arc<dyn EventBus>,
) -> ExercisesSchema {
    let (exercises, muscles, substitutions) = loaders::loaders(&db);
    let pages = ListingCache::default();
    // Outside a runtime (printing the SDL) nothing is served, so nothing to follow.
    if tokio::runtime::Handle::try_current().is_ok() {
        pages.follow(bus.clone());
    }
    let builder = Schema::build(Query, Mutation, EmptySubscription)
        .enable_federation()
        .extension(ErrorCodes);
    subgraph_common::telemetry::with_resolver_spans(builder)
        .data(graphql::MediaUrls::new(&settings.cdn_base_url))
        .data(exercises)
        .data(muscles)
        .data(substitutions)
        .data(pages)
        .data(db)
        .data(bus)
        .finish()
}

/// The HTTP router (`POST/GET /graphql` and `/health`); operations are accepted
/// only with the gateway's `credential`.
pub fn router(
    schema: ExercisesSchema,
    credential: subgraph_common::access::GatewayCredential,
) -> axum::Router {
    subgraph_common::server::graphql_router("exercises", schema, credential)
}

/// The federation SDL, exactly as `{ _service { sdl } }` returns it (which also
/// asks for composed directives; there are none, but the layout follows).
pub fn sdl() -> String {
    subgraph_common::server::federation_sdl(
        &Schema::build(Query, Mutation, EmptySubscription)
            .enable_federation()
            .finish(),
    )
}
