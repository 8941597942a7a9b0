//! The HTTP face of a subgraph: `POST /graphql` for operations from the gateway,
//! `GET /graphql` upgraded to a WebSocket for subscriptions (`graphql-transport-ws` or
//! the legacy `graphql-ws`), a plain `GET /graphql` for the GraphiQL explorer, and
//! `GET /health` for liveness.
//!
//! Operations are accepted only with the gateway's credential; the identity the
//! gateway forwards becomes the request's (or the WebSocket connection's) [`Identity`]
//! data. A WebSocket is authenticated once, on its upgrade request, whose headers the
//! gateway signs over an empty body.

use std::future::Future;
use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use async_graphql::http::{ALL_WEBSOCKET_PROTOCOLS, GraphiQLSource};
use async_graphql::parser::types::ExecutableDocument;
use async_graphql::{Data, ObjectType, Schema, SubscriptionType};
use async_graphql_axum::{GraphQLProtocol, GraphQLWebSocket};
use axum::Router;
use axum::body::Bytes;
use axum::extract::ws::rejection::WebSocketUpgradeRejection;
use axum::extract::{State, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use fitgraph_auth::GatewayCredential;
use serde_json::json;
use tokio::net::TcpListener;
use tracing::Instrument;

/// Parsed operations kept at most. The gateway sends a subgraph the same few documents
/// (one per fetch of each cached plan) over and over, and parsing one is a good share of
/// a small request's cost, so each text is parsed once while it keeps coming.
const PARSED_DOCUMENTS: u64 = 1_000;

struct Served<Q, M, S> {
    /// The subgraph's name, in spans and metrics.
    name: &'static str,
    schema: Schema<Q, M, S>,
    credential: GatewayCredential,
    parsed: moka::future::Cache<String, Arc<ExecutableDocument>>,
}

/// The routes of subgraph `name`: `/graphql`, `/health`, `/health/live` and `/metrics`
/// (`/health/ready` comes from [`readiness_router`], which knows what to check).
pub fn graphql_router<Q, M, S>(
    name: &'static str,
    schema: Schema<Q, M, S>,
    credential: GatewayCredential,
) -> Router
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    crate::telemetry::metrics();
    let served = Arc::new(Served {
        name,
        schema,
        credential,
        parsed: moka::future::Cache::new(PARSED_DOCUMENTS),
    });
    Router::new()
        .route(
            "/graphql",
            get(upgrade_or_explore::<Q, M, S>).post(execute::<Q, M, S>),
        )
        .route("/health", get(live))
        .route("/health/live", get(live))
        .route("/metrics", get(crate::telemetry::render_metrics))
        .with_state(served)
}

async fn live() -> Response {
    axum::Json(json!({ "status": "ok" })).into_response()
}

async fn execute<Q, M, S>(
    State(served): State<Arc<Served<Q, M, S>>>,
    headers: HeaderMap,
    body: Bytes,
) -> Response
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    let identity = match served.credential.verify(&headers, &body, SystemTime::now()) {
        Ok(identity) => identity,
        Err(error) => return not_from_gateway(&error),
    };
    let request: async_graphql::Request = match serde_json::from_slice(&body) {
        Ok(request) => request,
        Err(error) => {
            return refusal(
                StatusCode::BAD_REQUEST,
                "BAD_REQUEST",
                &format!("the body is not a GraphQL request: {error}"),
            );
        }
    };
    let span = request_span(served.name, request.operation_name.as_deref());
    crate::telemetry::continue_trace(&span, &headers);
    let started = Instant::now();
    let request = with_parsed_query(&served.parsed, request).await;
    let response = served
        .schema
        .execute(request.data(identity))
        .instrument(span)
        .await;
    record_request(served.name, started, &response);
    axum::Json(response).into_response()
}

fn request_span(subgraph: &'static str, operation: Option<&str>) -> tracing::Span {
    tracing::info_span!(
        target: crate::telemetry::SPANS,
        "subgraph request",
        otel.name = format!("{subgraph} {}", operation.unwrap_or("anonymous")),
        otel.kind = "server",
        subgraph,
        graphql.operation.name = operation.unwrap_or_default(),
    )
}

/// Requests, their latency and their errors by code, per subgraph.
fn record_request(subgraph: &'static str, started: Instant, response: &async_graphql::Response) {
    metrics::counter!("fitgraph_subgraph_requests_total", "subgraph" => subgraph).increment(1);
    metrics::histogram!("fitgraph_subgraph_request_duration_seconds", "subgraph" => subgraph)
        .record(started.elapsed().as_secs_f64());
    for error in &response.errors {
        let code = error
            .extensions
            .as_ref()
            .and_then(|extensions| extensions.get("code"))
            .and_then(|code| match code {
                async_graphql::Value::String(code) => Some(code.clone()),
                async_graphql::Value::Enum(code) => Some(code.to_string()),
                _ => None,
            })
            .unwrap_or_else(|| "INTERNAL_SERVER_ERROR".to_owned());
        metrics::counter!("fitgraph_subgraph_errors_total", "subgraph" => subgraph, "code" => code)
            .increment(1);
    }
}

/// `request` with its document parsed, from `parsed` when the text was seen before. A
/// text that does not parse is left to the schema, which reports the syntax error.
async fn with_parsed_query(
    parsed: &moka::future::Cache<String, Arc<ExecutableDocument>>,
    mut request: async_graphql::Request,
) -> async_graphql::Request {
    if let Some(document) = parsed.get(&request.query).await {
        request.set_parsed_query(ExecutableDocument::clone(&document));
        return request;
    }
    if let Ok(document) = async_graphql::parser::parse_query(&request.query) {
        parsed
            .insert(request.query.clone(), Arc::new(document.clone()))
            .await;
        request.set_parsed_query(document);
    }
    request
}

/// A WebSocket upgrade carrying the gateway's credential (signed over an empty body)
/// becomes a subscription connection for the identity it forwards; without one it is
/// refused before upgrading. A GET that asks for no upgrade gets the explorer.
async fn upgrade_or_explore<Q, M, S>(
    State(served): State<Arc<Served<Q, M, S>>>,
    headers: HeaderMap,
    protocol: Result<GraphQLProtocol, StatusCode>,
    upgrade: Result<WebSocketUpgrade, WebSocketUpgradeRejection>,
) -> Response
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    let Ok(upgrade) = upgrade else {
        return explorer().await.into_response();
    };
    let identity = match served.credential.verify(&headers, b"", SystemTime::now()) {
        Ok(identity) => identity,
        Err(error) => return not_from_gateway(&error),
    };
    let Ok(protocol) = protocol else {
        return refusal(
            StatusCode::BAD_REQUEST,
            "BAD_REQUEST",
            "ask for the graphql-transport-ws or graphql-ws subprotocol",
        );
    };
    let schema = served.schema.clone();
    let span = tracing::info_span!(
        target: crate::telemetry::SPANS,
        "subscription connection",
        otel.kind = "server",
        subgraph = served.name,
    );
    crate::telemetry::continue_trace(&span, &headers);
    let subgraph = served.name;
    upgrade
        .protocols(ALL_WEBSOCKET_PROTOCOLS)
        .on_upgrade(move |socket| {
            let mut data = Data::default();
            data.insert(identity);
            let connection = GraphQLWebSocket::new(socket, schema, protocol)
                .with_data(data)
                .serve();
            async move {
                let active =
                    metrics::gauge!("fitgraph_subgraph_websockets_active", "subgraph" => subgraph);
                active.increment(1.0);
                connection.await;
                active.decrement(1.0);
            }
            .instrument(span)
        })
        .into_response()
}

fn not_from_gateway(error: &fitgraph_auth::TrustError) -> Response {
    tracing::warn!(%error, "refused a request without the gateway's credential");
    refusal(
        StatusCode::UNAUTHORIZED,
        "UNAUTHENTICATED",
        "this service answers only the fitgraph gateway",
    )
}

fn refusal(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "errors": [{ "message": message, "extensions": { "code": code } }] });
    (status, axum::Json(body)).into_response()
}

async fn explorer() -> Html<String> {
    Html(GraphiQLSource::build().endpoint("/graphql").finish())
}

/// One thing `/health/ready` checks: `Err` says what is wrong.
pub type ReadyCheck =
    Arc<dyn Fn() -> futures::future::BoxFuture<'static, Result<(), String>> + Send + Sync>;

/// What `/health/ready` answers: ready when every check passes and the process is
/// not shutting down (a draining process turns unready first, so load balancers
/// stop sending it work while it finishes what it has).
#[derive(Clone, Default)]
pub struct Readiness {
    checks: Vec<(&'static str, ReadyCheck)>,
    draining: Arc<std::sync::atomic::AtomicBool>,
}

impl std::fmt::Debug for Readiness {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let checks: Vec<&str> = self.checks.iter().map(|(name, _)| *name).collect();
        f.debug_struct("Readiness")
            .field("checks", &checks)
            .field("draining", &self.draining)
            .finish()
    }
}

/// A check that takes longer counts as failed.
const READY_CHECK_TIMEOUT: Duration = Duration::from_secs(2);

impl Readiness {
    /// Adds the check `name`.
    pub fn check<F, Fut>(mut self, name: &'static str, check: F) -> Self
    where
        F: Fn() -> Fut + Send + Sync + 'static,
        Fut: Future<Output = Result<(), String>> + Send + 'static,
    {
        self.checks
            .push((name, Arc::new(move || Box::pin(check()))));
        self
    }

    /// From now on the process answers unready.
    pub fn drain(&self) {
        self.draining
            .store(true, std::sync::atomic::Ordering::Relaxed);
    }

    /// Runs every check; `(ready, body)` where the body names each check's result.
    pub async fn report(&self) -> (bool, serde_json::Value) {
        let results =
            futures::future::join_all(self.checks.iter().map(|(name, check)| async move {
                let outcome = tokio::time::timeout(READY_CHECK_TIMEOUT, check())
                    .await
                    .unwrap_or_else(|_| Err("no answer within 2 s".to_owned()));
                (*name, outcome)
            }))
            .await;
        let draining = self.draining.load(std::sync::atomic::Ordering::Relaxed);
        let mut ready = !draining;
        let mut checks = serde_json::Map::new();
        for (name, outcome) in results {
            let value = match outcome {
                Ok(()) => json!("ok"),
                Err(reason) => {
                    ready = false;
                    json!(reason)
                }
            };
            checks.insert(name.to_owned(), value);
        }
        let status = match (ready, draining) {
            (true, _) => "ready",
            (false, true) => "draining",
            (false, false) => "unready",
        };
        (ready, json!({ "status": status, "checks": checks }))
    }
}

/// `GET /health/ready`: 200 when `readiness` passes, else 503; the body says why.
pub fn readiness_router(readiness: Readiness) -> Router {
    Router::new().route(
        "/health/ready",
        get(move || {
            let readiness = readiness.clone();
            async move { ready_response(&readiness).await }
        }),
    )
}

/// The `/health/ready` answer for `readiness`.
pub async fn ready_response(readiness: &Readiness) -> Response {
    let (ready, body) = readiness.report().await;
    let status = if ready {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, axum::Json(body)).into_response()
}

/// Binds `host:port`; port 0 picks a free one (tests).
pub async fn bind(host: &str, port: u16) -> std::io::Result<TcpListener> {
    TcpListener::bind((host, port)).await
}

/// Serves `router` on `listener` until `shutdown` completes, then drains in-flight requests.
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Completes on Ctrl-C or SIGTERM.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(err) = tokio::signal::ctrl_c().await {
            tracing::warn!(%err, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut signal) => {
                signal.recv().await;
            }
            Err(err) => {
                tracing::warn!(%err, "cannot listen for SIGTERM");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// Logs to stderr, filtered by `RUST_LOG` (else `default_level`, e.g. "info"),
/// with no trace export: for tests and tools (servers use [`crate::telemetry::init`]).
pub fn init_tracing(default_level: &str) {
    let settings = crate::telemetry::TelemetrySettings::default();
    // Without an exporter there is nothing to keep alive or flush.
    let _ = crate::telemetry::init(&settings, "fitgraph", default_level);
}

/// The federation SDL exactly as `{ _service { sdl } }` answers it (async-graphql
/// serves it with the compose-directive section, which differs from plain
/// federation output by a trailing newline).
pub fn federation_sdl<Q, M, S>(schema: &Schema<Q, M, S>) -> String
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    schema.sdl_with_options(
        async_graphql::SDLExportOptions::new()
            .federation()
            .compose_directive(),
    )
}

#[cfg(test)]
mod tests {
    use async_graphql::{EmptyMutation, EmptySubscription, Object};

    use super::*;

    struct Query;

    #[Object]
    impl Query {
        async fn ping(&self, n: i32) -> i32 {
            n + 1
        }
    }

    #[tokio::test]
    async fn a_document_is_parsed_once_and_a_broken_one_is_left_to_the_schema() {
        let schema = Schema::new(Query, EmptyMutation, EmptySubscription);
        let parsed = moka::future::Cache::new(PARSED_DOCUMENTS);
        for n in [1, 2] {
            let request = async_graphql::Request::new("query Ping($n: Int!) { ping(n: $n) }")
                .variables(async_graphql::Variables::from_json(
                    serde_json::json!({ "n": n }),
                ));
            let request = with_parsed_query(&parsed, request).await;
            let answer = schema
                .execute(request)
                .await
                .into_result()
                .expect("it runs");
            assert_eq!(
                answer.data.into_json().expect("json"),
                json!({ "ping": n + 1 })
            );
        }
        parsed.run_pending_tasks().await;
        assert_eq!(parsed.entry_count(), 1, "one text, parsed once");

        let broken = with_parsed_query(&parsed, async_graphql::Request::new("{ ping(")).await;
        let errors = schema.execute(broken).await.errors;
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].message.contains("expected"),
            "{:?}",
            errors[0].message
        );
        parsed.run_pending_tasks().await;
        assert_eq!(parsed.entry_count(), 1, "nothing broken is kept");
    }
}
