//! What every fitgraph subgraph shares: the vocabulary several of them expose,
//! layered configuration, database connection, the HTTP server around a schema,
//! client-facing error codes, and (behind the `testing` feature) the test rig.

pub mod access;
pub mod batching;
pub mod cache;
pub mod catalog;
pub mod clock;
pub mod config;
pub mod date;
pub mod db;
pub mod errors;
pub mod events;
pub mod progress;
pub mod server;
pub mod telemetry;
pub mod vocab;

#[cfg(feature = "testing")]
pub mod testing;

pub use access::{AccessError, Identity};
pub use config::{
    ApiKeySettings, AuthSettings, EventSettings, GatewaySettings, RecommendSettings, Settings,
    SubgraphName, SubgraphSettings, TrustSettings,
};
pub use errors::{CodedError, ErrorCode, GqlResultExt};
pub use progress::{Progress, Silent};
