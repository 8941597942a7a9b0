//! The fitgraph federation gateway: the supergraph model and its API schema,
//! composition of a supergraph from subgraph SDLs, the pure query planner, the
//! executor that runs plans over HTTP, and the pipeline that ties them together.

pub mod access;
pub mod apq;
pub mod auth;
pub mod compose;
pub mod executor;
pub mod limits;
pub mod live;
mod observe;
pub mod persisted;
pub mod pipeline;
pub mod planner;
pub mod ratelimit;
pub mod request;
pub mod server;
pub mod subscription;
pub mod supergraph;
pub mod validate;
pub mod websocket;

pub use pipeline::{AnonymousAccess, Gateway, GatewayConfig, GatewayError};
pub use request::{GraphQLRequest, GraphQLResponse, Outcome, Transport};
