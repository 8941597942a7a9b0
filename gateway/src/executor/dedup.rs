//! Request deduplication: identical subgraph requests in flight at the same
//! moment are sent once and the answer shared. Identical means the same
//! subgraph, operation text, variables and forwarded identity, so one user's
//! answer never reaches another. Mutations are never shared.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};

use futures::FutureExt;
use futures::future::{BoxFuture, Shared};

use super::fetch::{SubgraphFailure, SubgraphResponse};
use fitgraph_auth::Identity;

type Answer = Result<SubgraphResponse, SubgraphFailure>;
type InFlight = Shared<BoxFuture<'static, Answer>>;

/// Which subgraph requests may be shared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DedupConfig {
    /// On by default: identical queries in flight together go out once.
    pub enabled: bool,
    /// Subgraphs whose requests are always sent one by one.
    pub exempt_subgraphs: HashSet<String>,
}

impl Default for DedupConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            exempt_subgraphs: HashSet::new(),
        }
    }
}

/// What makes two requests the same request: the body holds the operation and
/// its variables, serialised in key order, so equal requests have equal bytes.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct RequestKey {
    service: String,
    body: bytes::Bytes,
    identity: Arc<Identity>,
}

/// The requests in flight right now, shared by every clone of a client.
#[derive(Clone, Default)]
pub(crate) struct Deduplicator {
    config: Arc<DedupConfig>,
    in_flight: Arc<Mutex<HashMap<RequestKey, InFlight>>>,
}

impl std::fmt::Debug for Deduplicator {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Deduplicator")
            .field("config", &self.config)
            .finish_non_exhaustive()
    }
}

impl Deduplicator {
    pub(crate) fn new(config: DedupConfig) -> Self {
        Self {
            config: Arc::new(config),
            in_flight: Arc::default(),
        }
    }

    pub(crate) fn applies(&self, service: &str, operation: &str) -> bool {
        self.config.enabled
            && !self.config.exempt_subgraphs.contains(service)
            && !operation.trim_start().starts_with("mutation")
    }

    /// Runs `send`, or joins an identical request already in flight; only for
    /// requests that [`applies`](Self::applies) to.
    pub(crate) async fn run(
        &self,
        service: &str,
        body: bytes::Bytes,
        caller: &Arc<Identity>,
        send: BoxFuture<'static, Answer>,
    ) -> Answer {
        let key = RequestKey {
            service: service.to_owned(),
            body,
            identity: Arc::clone(caller),
        };
        self.join_or_start(key, send).await
    }

    fn join_or_start(&self, key: RequestKey, send: BoxFuture<'static, Answer>) -> InFlight {
        let mut in_flight = self
            .in_flight
            .lock()
            .expect("the in-flight map's lock is never poisoned");
        if let Some(running) = in_flight.get(&key) {
            metrics::counter!("fitgraph_gateway_subgraph_fetches_shared_total", "subgraph" => key.service.clone())
                .increment(1);
            return running.clone();
        }
        let registry = Arc::clone(&self.in_flight);
        let forget = key.clone();
        // A task of its own, so the request finishes (and leaves the map) even
        // when every caller waiting for it has gone.
        let task = tokio::spawn(async move {
            let answer = send.await;
            registry
                .lock()
                .expect("the in-flight map's lock is never poisoned")
                .remove(&forget);
            answer
        });
        let service = key.service.clone();
        let running = async move {
            task.await.unwrap_or_else(|_| {
                Err(SubgraphFailure::Http {
                    service,
                    detail: "the shared request ended without an answer".to_owned(),
                })
            })
        }
        .boxed()
        .shared();
        in_flight.insert(key, running.clone());
        running
    }

    /// Requests in flight now (for tests and metrics).
    pub(crate) fn in_flight(&self) -> usize {
        self.in_flight
            .lock()
            .expect("the in-flight map's lock is never poisoned")
            .len()
    }
}
