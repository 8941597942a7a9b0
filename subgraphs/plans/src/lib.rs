//! The plans subgraph: training programs, the workouts scheduled in them, and the
//! recommendation of today's workout (rules, a learned ranker, experiments).
//!
//! It owns `Workout` and contributes `User.workouts` / `User.programs` /
//! `User.todayWorkout` / `User.upcoming` and `PersonalData.plans`; the exercises a workout prescribes are references to the
//! exercises subgraph. Everything is read and written for the caller the gateway
//! forwards, never for a user an argument names. Subscriptions follow a workout as it
//! happens and today's workout as it changes, from the events on the shared bus.

mod error;
mod graphql;
mod live;
mod loaders;
mod personal_data;
pub mod recommend;
mod store;
mod types;
mod validate;

use std::sync::Arc;
use std::time::Duration;

use async_graphql::{Schema, SchemaBuilder};
use sea_orm::DatabaseConnection;
use subgraph_common::catalog::CatalogClient;
use subgraph_common::errors::ErrorCodes;
use subgraph_common::events::{self, EventBus};
use subgraph_common::{Settings, SubgraphName};

pub use error::PlansError;
pub use fitgraph_migrations::plans::Migrator;
pub use graphql::{Mutation, Query, Subscription};
pub use recommend::{LibrarySource, Recommender, ServiceClient};
pub use types::{Date, WorkoutStatus};

pub type PlansSchema = Schema<Query, Mutation, Subscription>;

/// The schema over `db`, recommending with a recommender built from `settings`
/// (without a gateway credential there is none, and `todayWorkout` says so), on an
/// event bus of its own.
pub fn schema(db: DatabaseConnection, settings: &Settings) -> PlansSchema {
    let recommender = recommender(db.clone(), settings);
    schema_with(db, recommender, events::in_process())
}

/// [`schema`] on `bus`, shared with the other subgraphs of the deployment.
pub fn schema_with_bus(
    db: DatabaseConnection,
    settings: &Settings,
    bus: Arc<dyn EventBus>,
) -> PlansSchema {
    let recommender = recommender(db.clone(), settings);
    schema_with(db, recommender, bus)
}

/// The schema over `db` with the given recommender, publishing and subscribing on `bus`.
pub fn schema_with(
    db: DatabaseConnection,
    recommender: Option<Arc<Recommender>>,
    bus: Arc<dyn EventBus>,
) -> PlansSchema {
    let mut builder = loaders::register(builder(), &db)
        .extension(ErrorCodes)
        .data(bus)
        .data(db);
    if let Some(recommender) = recommender {
        builder = builder.data(recommender);
    }
    builder.finish()
}

/// The recommender: it reads the library from the exercises subgraph and outcomes
/// from the feedback subgraph, both under the gateway credential.
pub fn recommender(db: DatabaseConnection, settings: &Settings) -> Option<Arc<Recommender>> {
    let credential = match settings.gateway_credential() {
        Ok(credential) => credential,
        Err(err) => {
            tracing::warn!(error = %err, "no gateway credential: recommendations are off");
            return None;
        }
    };
    let exercises_url = settings.subgraph_url(SubgraphName::Exercises);
    let catalog = CatalogClient::new(exercises_url.clone()).with_credential(credential.clone());
    let library = LibrarySource::new(
        catalog,
        ServiceClient::as_plans_service(exercises_url, credential.clone()),
    );
    let feedback =
        ServiceClient::as_plans_service(settings.subgraph_url(SubgraphName::Feedback), credential);
    Some(Arc::new(Recommender::new(
        db,
        library,
        feedback,
        settings.recommend.clone(),
    )))
}

/// The recommender's background work: installs the default experiment on a fresh
/// database, reloads the promoted model as it changes, reloads the exercise library when
/// an exercise changes, and trains on a schedule.
pub async fn start_recommender_jobs(
    recommender: Arc<Recommender>,
    bus: Arc<dyn EventBus>,
) -> Vec<tokio::task::JoinHandle<()>> {
    if let Err(err) = recommend::experiments::ensure_default(recommender.db()).await {
        tracing::warn!(error = %err, "cannot install the default experiment");
    }
    if let Err(err) = recommender.serving().reload(recommender.db()).await {
        tracing::warn!(error = %err, "cannot read the model registry; serving rules only for now");
    }
    let settings = recommender.settings().clone();
    let mut jobs = vec![recommend::serving::spawn_reloader(
        recommender.serving().clone(),
        recommender.db().clone(),
        Duration::from_secs(settings.model_reload_secs.max(1)),
    )];
    let library_owner = recommender.clone();
    jobs.push(subgraph_common::events::follow_exercise_changes(
        bus,
        move || {
            let recommender = library_owner.clone();
            async move { recommender.invalidate_library().await }
        },
    ));
    if settings.training_enabled {
        let hours = i64::try_from(settings.training_interval_hours.max(1)).unwrap_or(24);
        jobs.push(recommend::spawn_training_scheduler(
            recommender,
            chrono::Duration::hours(hours),
            Duration::from_secs(settings.training_check_secs.max(1)),
        ));
    }
    jobs
}

/// `POST/GET /graphql` (GET upgrades to a subscription WebSocket) and `/health`;
/// operations are accepted only with the gateway's `credential`.
pub fn router(
    schema: PlansSchema,
    credential: subgraph_common::access::GatewayCredential,
) -> axum::Router {
    subgraph_common::server::graphql_router("plans", schema, credential)
}

/// The federation SDL, as `{ _service { sdl } }` returns it.
pub fn sdl() -> String {
    subgraph_common::server::federation_sdl(&builder().finish())
}

fn builder() -> SchemaBuilder<Query, Mutation, Subscription> {
    // The gateway composes and serves the subscriptions, so they belong in the SDL.
    let builder = Schema::build(Query::default(), Mutation::default(), Subscription)
        .enable_federation()
        .enable_subscription_in_federation();
    subgraph_common::telemetry::with_resolver_spans(builder)
}
