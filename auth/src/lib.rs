//! Who is asking.
//!
//! The gateway authenticates clients (bearer JWTs, API keys), then forwards the
//! verified [`Identity`] to subgraphs in headers covered by its
//! [`GatewayCredential`]. Subgraphs accept identity only with a valid credential,
//! so a client can never forge it by calling a subgraph directly.

pub mod identity;
pub mod jwks;
pub mod jwt;
pub mod trust;

pub use identity::{Identity, scopes};
pub use trust::{GatewayCredential, TrustError, TrustMode};
