//! Fixture subgraphs for gateway tests.
//!
//! A [`FixtureSubgraph`] is a small Apollo Federation v2 subgraph defined by
//! its SDL plus JSON fixture data. [`FixtureSubgraph::spawn`] serves it over
//! real HTTP on `127.0.0.1` (an ephemeral port), so planner and executor tests
//! can send it requests, count them, and make it misbehave on demand.
//!
//! Execution is apollo-compiler's own executor; this crate only supplies
//! field values from the JSON fixtures, the federation `_entities` and
//! `_service` fields, and the HTTP plumbing.
//!
//! ```no_run
//! # async fn example() {
//! use fitgraph_gateway_testkit::FixtureSubgraph;
//! use serde_json::json;
//!
//! let products = FixtureSubgraph::new(
//!     "products",
//!     r#"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
//!        type Query { topProducts: [Product!]! }
//!        type Product @key(fields: "upc") { upc: String! name: String }"#,
//! )
//! .query(json!({ "topProducts": [{ "upc": "1", "name": "Table" }] }))
//! .entities("Product", json!([{ "upc": "1", "name": "Table" }]))
//! .spawn()
//! .await;
//! println!("serving {} at {}", products.name(), products.url());
//! # }
//! ```
//!
//! The server task runs on the Tokio runtime that called `spawn` and lives as
//! long as that runtime, even after every handle is dropped.

mod resolve;
mod schema;
mod server;
mod subscriptions;
mod supergraph;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::{Map, Value};

use crate::resolve::Fixtures;
use crate::server::{Shared, lock};

pub use crate::supergraph::supergraph_with_urls;

/// Why a fixture subgraph could not be started.
#[derive(Debug, thiserror::Error)]
pub enum FixtureError {
    /// The SDL (with the federation definitions added) does not build or validate.
    #[error("invalid subgraph SDL:\n{0}")]
    InvalidSdl(String),
    /// Binding the listening socket failed.
    #[error("cannot bind a local port: {0}")]
    Bind(#[from] std::io::Error),
}

/// How a running fixture subgraph answers its next requests.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Behavior {
    /// Execute the request and answer with the GraphQL response.
    #[default]
    Normal,
    /// Answer with this HTTP status and a plain-text body.
    Status(u16),
    /// Wait this long, then answer normally.
    Delay(Duration),
    /// Answer `200` with a body that is not JSON (labelled `application/json`).
    Malformed,
    /// Act as an unavailable service: answer `503` with a plain-text body.
    Down,
}

/// One POST received on `/graphql`, as the client sent it.
#[derive(Debug, Clone, PartialEq)]
pub struct RecordedRequest {
    /// The `query` text; the raw body if it was not a JSON request.
    pub query: String,
    /// The `variables` object, or `Value::Null` when absent.
    pub variables: Value,
    /// The `operationName`, when present.
    pub operation_name: Option<String>,
    /// Every header, to check what the gateway forwards (identity, credential).
    pub headers: axum::http::HeaderMap,
    /// The body exactly as received, to check a signature over it.
    pub body: Vec<u8>,
}

/// Builder for a fixture subgraph. See the [crate documentation](crate).
pub struct FixtureSubgraph {
    name: String,
    fixtures: Fixtures,
}

fn expect_object(value: Value, what: &str) -> Map<String, Value> {
    match value {
        Value::Object(map) => map,
        other => panic!("{what} must be a JSON object, got {other}"),
    }
}

impl FixtureSubgraph {
    /// Starts a fixture subgraph named `name` (the name used in the
    /// supergraph's `@join__graph`) from a Federation v2 subgraph SDL, e.g.
    /// starting with
    /// `extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])`.
    ///
    /// Federation directives are understood under their plain (imported)
    /// names and with the `federation__` prefix.
    pub fn new(name: &str, sdl: &str) -> Self {
        let fixtures = Fixtures {
            sdl: sdl.to_owned(),
            ..Fixtures::default()
        };
        Self {
            name: name.to_owned(),
            fixtures,
        }
    }

    /// The value of the root Query object: a JSON object whose keys are
    /// Query field names. Nested JSON objects are GraphQL objects of the
    /// field's type, or of their `"__typename"` when they have one (required
    /// for interface and union fields). Scalar and enum values are served
    /// as stored, so store `ID`s as strings. A missing key resolves to null, and
    /// `{"__error": "message"}` in place of any value is a field error.
    ///
    /// # Panics
    ///
    /// If `root` is not a JSON object.
    pub fn query(mut self, root: Value) -> Self {
        self.fixtures.query = expect_object(root, "the Query root");
        self
    }

    /// The value of the root Mutation object, like [`query`](Self::query).
    /// Mutation fields may also be computed with [`resolver`](Self::resolver).
    ///
    /// # Panics
    ///
    /// If `root` is not a JSON object.
    pub fn mutation(mut self, root: Value) -> Self {
        self.fixtures.mutation = expect_object(root, "the Mutation root");
        self
    }

    /// Entities of `type_name` that `_entities` can find: a JSON array of
    /// objects with their fields. Calling this again for the same type adds
    /// more entities.
    ///
    /// A representation finds the first stored object that agrees with it on
    /// every key (other than `__typename`) the stored object has; keys the
    /// stored object lacks, such as `@requires` inputs, are merged into the
    /// result instead. Numbers and strings compare by their text, so `"1"`
    /// finds an object stored with `1`. For an entity interface, register
    /// objects under the interface name with their concrete `"__typename"`.
    ///
    /// # Panics
    ///
    /// If `objects` is not an array of JSON objects.
    pub fn entities(mut self, type_name: &str, objects: Value) -> Self {
        let Value::Array(objects) = objects else {
            panic!("entities of {type_name} must be a JSON array, got {objects}");
        };
        let what = format!("an entity of {type_name}");
        let objects = objects.into_iter().map(|o| expect_object(o, &what));
        self.fixtures
            .entities
            .entry(type_name.to_owned())
            .or_default()
            .extend(objects);
        self
    }

    /// A computed field, which wins over the fixture data for `type_name.field`.
    /// `f` is called with the parent object (JSON, including fields merged in
    /// from the entity representation, e.g. `@requires` fields) and the field
    /// arguments (a JSON object). Returning `{"__error": "message"}` produces
    /// a field error at that path.
    pub fn resolver(
        mut self,
        type_name: &str,
        field: &str,
        f: impl Fn(&Value, &Value) -> Value + Send + Sync + 'static,
    ) -> Self {
        let key = (type_name.to_owned(), field.to_owned());
        self.fixtures.resolvers.insert(key, Arc::new(f));
        self
    }

    /// Builds the schema and serves it on `127.0.0.1` at an ephemeral port.
    ///
    /// # Panics
    ///
    /// If the SDL is invalid or no port can be bound; see
    /// [`try_spawn`](Self::try_spawn) for the fallible version.
    pub async fn spawn(self) -> RunningSubgraph {
        let name = self.name.clone();
        match self.try_spawn().await {
            Ok(running) => running,
            Err(err) => panic!("fixture subgraph {name}: {err}"),
        }
    }

    /// Like [`spawn`](Self::spawn), but reports failures instead of panicking.
    pub async fn try_spawn(self) -> Result<RunningSubgraph, FixtureError> {
        let schema = schema::subgraph_schema(&self.name, &self.fixtures.sdl)?;
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0)).await?;
        let url = format!("http://{}/graphql", listener.local_addr()?);
        let shared = Arc::new(Shared {
            name: self.name,
            schema,
            fixtures: self.fixtures,
            requests: Mutex::new(Vec::new()),
            behavior: Mutex::new(Behavior::Normal),
            events: tokio::sync::broadcast::channel(1024).0,
            open_sockets: std::sync::atomic::AtomicUsize::new(0),
        });
        let app = server::router(Arc::clone(&shared));
        tokio::spawn(async move {
            // Serving only ends with the runtime; an accept error has nobody to report to.
            let _ = axum::serve(listener, app).await;
        });
        Ok(RunningSubgraph { shared, url })
    }
}

/// A served fixture subgraph. Clones are handles to the same server.
#[derive(Clone)]
pub struct RunningSubgraph {
    shared: Arc<Shared>,
    url: String,
}

impl std::fmt::Debug for RunningSubgraph {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RunningSubgraph")
            .field("name", &self.shared.name)
            .field("url", &self.url)
            .finish_non_exhaustive()
    }
}

impl RunningSubgraph {
    /// The subgraph name given to [`FixtureSubgraph::new`].
    pub fn name(&self) -> &str {
        &self.shared.name
    }

    /// The GraphQL endpoint, `http://127.0.0.1:PORT/graphql`.
    pub fn url(&self) -> String {
        self.url.clone()
    }

    /// How many POSTs `/graphql` received since spawning or the last [`reset`](Self::reset).
    pub fn request_count(&self) -> usize {
        lock(&self.shared.requests).len()
    }

    /// The requests received since spawning or the last [`reset`](Self::reset), oldest first.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }

    /// Forgets the recorded requests. The behavior is left as it is.
    pub fn reset(&self) {
        lock(&self.shared.requests).clear();
    }

    /// Changes how the following requests are answered.
    pub fn set_behavior(&self, behavior: Behavior) {
        *lock(&self.shared.behavior) = behavior;
    }

    /// Sends `event` (a Subscription root object, like a [`query`](FixtureSubgraph::query)
    /// root) to every open subscription, which answers it with its selection.
    pub fn emit(&self, event: Value) {
        // Nobody subscribed is fine: the event is simply not seen.
        let _ = self.shared.events.send(Some(event));
    }

    /// Completes every open subscription from the subgraph's side.
    pub fn complete_subscriptions(&self) {
        let _ = self.shared.events.send(None);
    }

    /// Subscription WebSockets open right now.
    pub fn open_subscriptions(&self) -> usize {
        self.shared
            .open_sockets
            .load(std::sync::atomic::Ordering::SeqCst)
    }

    /// How many subscribers would see an [`emit`](Self::emit) now: sockets that
    /// have started their subscription.
    pub fn subscribers(&self) -> usize {
        self.shared.events.receiver_count()
    }

    /// The subgraph SDL exactly as given, which `_service { sdl }` also returns.
    pub fn sdl(&self) -> &str {
        &self.shared.fixtures.sdl
    }
}
