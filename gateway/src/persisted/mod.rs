//! Persisted queries: requests that name their document instead of sending it.
//!
//! - **Trusted documents** for partners: each partner client (an API key) may
//!   have a manifest of the operations it may run, and then runs only those, by
//!   `documentId` or `extensions.persistedQuery.sha256Hash`. Manifests are
//!   checked against the supergraph when the gateway starts; one invalid
//!   operation stops the start.
//! - **Automatic persisted queries** (see [`crate::apq`]) for first-party apps.
//!
//! Other callers may also run any manifest operation by its id.

mod build;
mod manifest;
mod resolve;

pub use build::{BuildError, Source, build_manifest, read_sources};
pub use manifest::{
    ClientManifest, FORMAT, Manifest, ManifestError, ManifestProblem, OperationKind,
    PersistedOperation, VERSION, check_manifest, load_manifests,
};
pub(crate) use resolve::resolve;
pub use resolve::{TrustedDocuments, names_a_document, parse_document_id};

use crate::apq::ApqConfig;

/// Persisted queries in a gateway's configuration. The default has no partner
/// manifests and APQ on with an in-process store.
#[derive(Debug, Clone, Default)]
pub struct PersistedConfig {
    /// Partner clients' manifests, checked when the gateway is built.
    pub manifests: Vec<ClientManifest>,
    pub apq: ApqConfig,
}

#[cfg(test)]
mod test_support {
    use crate::{Gateway, GatewayConfig};

    /// `greeting(id: ID!): Greeting` (`id`, `text`) and `greet(name: String!)`.
    const SUPERGRAPH: &str = include_str!("../../tests/fixtures/server/supergraph.graphql");

    pub(super) fn gateway() -> Gateway {
        Gateway::new(SUPERGRAPH, GatewayConfig::default()).expect("the fixture supergraph is valid")
    }
}
