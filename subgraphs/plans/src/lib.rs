//! The plans subgraph: training programs and the workouts scheduled in them.
//!
//! It owns `Workout` and contributes `User.workouts` / `User.programs` and
//! `PersonalData.plans`; the exercises a workout prescribes are references to the
//! exercises subgraph. Everything is read and written for the caller the gateway
//! forwards, never for a user an argument names.

mod error;
mod graphql;
mod loaders;
mod personal_data;
mod store;
mod types;
mod validate;

use async_graphql::{EmptySubscription, Schema, SchemaBuilder};
use sea_orm::DatabaseConnection;
use subgraph_common::Settings;
use subgraph_common::errors::ErrorCodes;

pub use error::PlansError;
pub use fitgraph_migrations::plans::Migrator;
pub use graphql::{Mutation, Query};
pub use types::{Date, WorkoutStatus};

pub type PlansSchema = Schema<Query, Mutation, EmptySubscription>;

/// The schema over `db`. Plans needs no settings today; the parameter keeps the
/// signature every subgraph shares.
pub fn schema(db: DatabaseConnection, _settings: &Settings) -> PlansSchema {
    let builder = loaders::register(builder(), &db);
    builder.extension(ErrorCodes).data(db).finish()
}

/// `POST/GET /graphql` and `/health`. The HTTP router; operations are accepted only with the gateway's `credential`.
pub fn router(
    schema: PlansSchema,
    credential: subgraph_common::access::GatewayCredential,
) -> axum::Router {
    subgraph_common::server::graphql_router(schema, credential)
}

/// The federation SDL, as `{ _service { sdl } }` returns it.
pub fn sdl() -> String {
    subgraph_common::server::federation_sdl(&builder().finish())
}

fn builder() -> SchemaBuilder<Query, Mutation, EmptySubscription> {
    Schema::build(Query, Mutation, EmptySubscription).enable_federation()
}
