//! What every fitgraph subgraph shares: the vocabulary several of them expose,
//! layered configuration, database connection, the HTTP server around a schema,
//! client-facing error codes, and (behind the `testing` feature) the test rig.

pub mod cache;
pub mod catalog;
pub mod config;
pub mod db;
pub mod errors;
pub mod progress;
pub mod server;
pub mod vocab;

#[cfg(feature = "testing")]
pub mod testing;

pub use config::{GatewaySettings, Settings, SubgraphName, SubgraphSettings};
pub use errors::{CodedError, ErrorCode, GqlResultExt};
pub use progress::{Progress, Silent};
