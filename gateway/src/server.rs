//! The gateway over HTTP, following the GraphQL-over-HTTP spec: `POST /graphql`
//! and `GET /graphql` run operations, `GET /` (and `GET /graphql` from a browser)
//! is the GraphiQL explorer, `GET /health` answers liveness probes.

use std::future::Future;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use async_graphql::http::GraphiQLSource;
use axum::Extension;
use axum::Router;
use axum::body::Bytes;
use std::convert::Infallible;

use axum::extract::rejection::BytesRejection;
use axum::extract::ws::WebSocketUpgrade;
use axum::extract::{ConnectInfo, DefaultBodyLimit, FromRequestParts, Query, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::sse::{Event, KeepAlive, Sse};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use futures::StreamExt;
use serde::Deserialize;
use serde_json::{Map, Value, json};
use tokio::net::TcpListener;
use tower_http::trace::TraceLayer;

use fitgraph_auth::Identity;

use crate::Gateway;
use crate::auth::{AuthError, Authenticator};
use crate::live::LiveGateway;
use crate::ratelimit::{ClientKey, RateLimiter};
use crate::request::{GraphQLRequest, GraphQLResponse, Outcome, Transport};
use crate::websocket::protocol::{self, Protocol};
use crate::websocket::{self, WebSocketConfig};
use subgraph_common::server::{Readiness, readiness_router};
use tokio::sync::watch;
use tracing::Instrument;

/// The request body limit when none is configured: 2 MiB.
pub const DEFAULT_MAX_BODY_BYTES: usize = 2 * 1024 * 1024;

/// How the HTTP server treats requests before they reach the gateway.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    /// Larger request bodies are refused with 413 `PAYLOAD_TOO_LARGE`.
    pub max_body_bytes: usize,
    pub websocket: WebSocketConfig,
    /// What `/health/ready` checks besides the gateway itself.
    pub readiness: Readiness,
    /// Turns true when the server shuts down: WebSockets then close with 1001.
    pub shutdown: Option<watch::Receiver<bool>>,
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            max_body_bytes: DEFAULT_MAX_BODY_BYTES,
            websocket: WebSocketConfig::default(),
            readiness: Readiness::default(),
            shutdown: None,
        }
    }
}

/// What every request passes before the gateway runs it: authentication, then
/// the caller's rate limit.
pub struct FrontDoor {
    pub authenticator: Authenticator,
    /// `None` lets every request through.
    pub rate_limiter: Option<RateLimiter>,
}

impl FrontDoor {
    /// No credentials accepted, no rate limits: every caller is anonymous.
    pub fn anonymous_only() -> Self {
        Self {
            authenticator: Authenticator::anonymous_only(),
            rate_limiter: None,
        }
    }
}

/// How often idle rate-limit buckets are dropped.
const FORGET_IDLE_EVERY: Duration = Duration::from_secs(60);

/// The gateway's routes.
pub fn router(
    gateway: impl Into<LiveGateway>,
    front_door: FrontDoor,
    config: &ServerConfig,
) -> Router {
    subgraph_common::telemetry::metrics();
    let gateway = gateway.into();
    let front_door = Arc::new(front_door);
    if front_door.rate_limiter.is_some() {
        tokio::spawn(forget_idle_clients(Arc::downgrade(&front_door)));
    }
    let graphql = Router::new()
        .route("/graphql", get(graphql_get).post(graphql_post))
        .route_layer(middleware::from_fn_with_state(front_door.clone(), admit))
        .layer(Extension(front_door))
        .layer(Extension(config.websocket.clone()))
        .layer(Extension(Closing(config.shutdown.clone())));
    graphql
        .route("/health", get(health))
        .route("/health/live", get(health))
        .route("/metrics", get(subgraph_common::telemetry::render_metrics))
        .route("/", get(explorer))
        .layer(DefaultBodyLimit::max(config.max_body_bytes))
        .layer(TraceLayer::new_for_http())
        .with_state(gateway)
        .merge(readiness_router(config.readiness.clone()))
}

/// Serves `router` on `listener` until `shutdown` completes, then lets in-flight
/// requests finish. Peer addresses reach the handlers (per-IP rate limits).
pub async fn serve(
    listener: TcpListener,
    router: Router,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(
        listener,
        router.into_make_service_with_connect_info::<SocketAddr>(),
    )
    .with_graceful_shutdown(shutdown)
    .await
}

/// Drops idle rate-limit buckets now and then, until the router is gone.
async fn forget_idle_clients(front_door: std::sync::Weak<FrontDoor>) {
    let mut ticks = tokio::time::interval(FORGET_IDLE_EVERY);
    loop {
        ticks.tick().await;
        let Some(front_door) = front_door.upgrade() else {
            return;
        };
        if let Some(limiter) = &front_door.rate_limiter {
            limiter.forget_idle();
        }
    }
}

/// Authenticates the caller and applies their rate limit, handing the identity
/// on; answers 401 for refused credentials and 429 over the limit.
async fn admit(
    State(front_door): State<Arc<FrontDoor>>,
    mut request: Request,
    next: Next,
) -> Response {
    let format = ResponseFormat::negotiate(request.headers());
    let identity = match front_door
        .authenticator
        .authenticate(request.headers())
        .await
    {
        Ok(identity) => identity,
        Err(error) => return unauthenticated(format, &error),
    };
    if let Some(limiter) = &front_door.rate_limiter {
        let peer = request
            .extensions()
            .get::<ConnectInfo<SocketAddr>>()
            .map(|info| info.0.ip());
        if let Err(retry) = limiter.check(&rate_limit_key(&identity, peer)) {
            return too_many_requests(format, retry.seconds());
        }
    }
    request.extensions_mut().insert(identity);
    next.run(request).await
}

/// Whose bucket a request draws from: the API-key client's, else the user's,
/// else the peer address's.
fn rate_limit_key(identity: &Identity, peer: Option<IpAddr>) -> ClientKey {
    match (&identity.client, &identity.user_id) {
        (Some(client), _) => ClientKey::ApiKey(client.clone()),
        (None, Some(user)) => ClientKey::User(user.clone()),
        // Without connect info (a router served without it) all anonymous
        // callers share one bucket rather than escaping the limit.
        (None, None) => ClientKey::Ip(peer.unwrap_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED))),
    }
}

fn unauthenticated(format: ResponseFormat, error: &AuthError) -> Response {
    tracing::info!(%error, "credentials refused");
    let body = GraphQLResponse::request_error("UNAUTHENTICATED", error.to_string()).to_bytes();
    let mut response = reply(format, StatusCode::UNAUTHORIZED, body);
    response.headers_mut().insert(
        header::WWW_AUTHENTICATE,
        HeaderValue::from_static("Bearer error=\"invalid_token\""),
    );
    response
}

fn too_many_requests(format: ResponseFormat, retry_after_seconds: u64) -> Response {
    let body = GraphQLResponse::request_error(
        "RATE_LIMITED",
        format!("too many requests; retry in {retry_after_seconds} s"),
    )
    .to_bytes();
    let mut response = reply(format, StatusCode::TOO_MANY_REQUESTS, body);
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from(retry_after_seconds));
    response
}

async fn health() -> Response {
    axum::Json(json!({ "status": "ok" })).into_response()
}

async fn explorer() -> Html<String> {
    Html(
        GraphiQLSource::build()
            .endpoint("/graphql")
            .title("fitgraph")
            .finish(),
    )
}

/// The shutdown signal WebSocket connections watch.
#[derive(Clone)]
struct Closing(Option<watch::Receiver<bool>>);

async fn graphql_post(
    State(live): State<LiveGateway>,
    Extension(caller): Extension<Identity>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let gateway = live.current();
    let format = ResponseFormat::negotiate(&headers);
    let bytes = match body {
        Ok(bytes) => bytes,
        Err(rejection) if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            return too_large(format);
        }
        Err(rejection) => return bad_request(format, rejection.body_text()),
    };
    match parse_body(&bytes) {
        Ok(request) if accepts_event_stream(&headers) => {
            stream_events(&gateway, format, request, &caller).await
        }
        Ok(request) => {
            let span = request_span(&request, &headers);
            run(&gateway, format, request, Transport::Post, &caller)
                .instrument(span)
                .await
        }
        Err(message) => bad_request(format, message),
    }
}

/// The root span of a request's trace, continuing the caller's trace when it sent one.
fn request_span(request: &GraphQLRequest, headers: &HeaderMap) -> tracing::Span {
    let operation = request.operation_name.as_deref().unwrap_or("anonymous");
    let span = tracing::info_span!(
        target: subgraph_common::telemetry::SPANS,
        "gateway request",
        otel.name = format!("query {operation}"),
        otel.kind = "server",
        graphql.operation.name = operation,
    );
    subgraph_common::telemetry::continue_trace(&span, headers);
    span
}

/// The query string of `GET /graphql`; `variables` and `extensions` are JSON.
#[derive(Debug, Deserialize)]
struct GetParams {
    query: Option<String>,
    #[serde(rename = "operationName")]
    operation_name: Option<String>,
    variables: Option<String>,
    extensions: Option<String>,
    #[serde(rename = "documentId")]
    document_id: Option<String>,
}

async fn graphql_get(
    State(live): State<LiveGateway>,
    Extension(caller): Extension<Identity>,
    Extension(front_door): Extension<Arc<FrontDoor>>,
    Extension(websocket): Extension<WebSocketConfig>,
    Extension(Closing(closing)): Extension<Closing>,
    request: Request,
) -> Response {
    let gateway = live.current();
    if is_websocket_upgrade(request.headers()) {
        return upgrade(gateway, front_door, caller, (websocket, closing), request).await;
    }
    let headers = request.headers();
    let format = ResponseFormat::negotiate(headers);
    let Query(params) = match Query::<GetParams>::try_from_uri(request.uri()) {
        Ok(params) => params,
        Err(rejection) => return bad_request(format, rejection.body_text()),
    };
    let names_nothing =
        params.query.is_none() && params.document_id.is_none() && params.extensions.is_none();
    if names_nothing && accepts_html(headers) {
        return explorer().await.into_response();
    }
    match request_from_params(params) {
        Ok(request) if accepts_event_stream(headers) => {
            stream_events(&gateway, format, request, &caller).await
        }
        Ok(request) => {
            let span = request_span(&request, headers);
            run(&gateway, format, request, Transport::Get, &caller)
                .instrument(span)
                .await
        }
        Err(message) => bad_request(format, message),
    }
}

fn is_websocket_upgrade(headers: &HeaderMap) -> bool {
    headers
        .get(header::UPGRADE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.eq_ignore_ascii_case("websocket"))
}

/// Upgrades to a GraphQL WebSocket in the subprotocol the client asked for.
async fn upgrade(
    gateway: Arc<Gateway>,
    front_door: Arc<FrontDoor>,
    caller: Identity,
    (config, closing): (WebSocketConfig, Option<watch::Receiver<bool>>),
    request: Request,
) -> Response {
    let (mut parts, _) = request.into_parts();
    let upgrade = match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
        Ok(upgrade) => upgrade,
        Err(rejection) => return rejection.into_response(),
    };
    let upgrade = upgrade
        .protocols([protocol::TRANSPORT_WS, protocol::LEGACY_WS])
        .max_message_size(config.max_message_bytes)
        .max_frame_size(config.max_message_bytes);
    let Some(protocol) = upgrade
        .selected_protocol()
        .and_then(|name| name.to_str().ok())
        .and_then(Protocol::from_name)
    else {
        return bad_request(
            ResponseFormat::Json,
            "a GraphQL WebSocket needs the `graphql-transport-ws` or `graphql-ws` subprotocol",
        );
    };
    upgrade.on_upgrade(move |socket| {
        websocket::serve(
            socket, protocol, gateway, front_door, caller, config, closing,
        )
    })
}

/// Whether the client takes server-sent events (`Accept: text/event-stream`).
fn accepts_event_stream(headers: &HeaderMap) -> bool {
    media_ranges(headers).any(|(media, q)| media == "text/event-stream" && q > 0.0)
}

/// Runs a request as server-sent events, the "distinct connections" mode of
/// GraphQL over SSE: one `next` event per result, then `complete`. Request
/// errors are answered as ordinary JSON before any stream starts.
async fn stream_events(
    gateway: &Arc<Gateway>,
    format: ResponseFormat,
    request: GraphQLRequest,
    caller: &Identity,
) -> Response {
    if names_no_operation(&request) {
        return bad_request(format, "the request has no query");
    }
    let responses = match gateway.subscribe(request, caller).await {
        Ok(responses) => responses,
        Err(response) => return respond(format, response),
    };
    let events = responses
        .map(|body| Ok::<_, Infallible>(Event::default().event("next").data(body.to_string())))
        .chain(futures::stream::once(async {
            Ok(Event::default().event("complete").data(""))
        }));
    Sse::new(events)
        .keep_alive(KeepAlive::default())
        .into_response()
}

/// A POST body: a JSON object with the request's members.
fn parse_body(bytes: &[u8]) -> Result<GraphQLRequest, String> {
    let value: Value = serde_json::from_slice(bytes)
        .map_err(|err| format!("the body is not valid JSON: {err}"))?;
    if !value.is_object() {
        return Err("the body must be a JSON object".to_owned());
    }
    serde_json::from_value(value).map_err(|err| format!("the body is not a GraphQL request: {err}"))
}

fn request_from_params(params: GetParams) -> Result<GraphQLRequest, String> {
    Ok(GraphQLRequest {
        query: params.query,
        operation_name: params.operation_name,
        variables: json_param("variables", params.variables)?,
        extensions: json_param("extensions", params.extensions)?,
        document_id: params.document_id,
    })
}

/// A query-string parameter holding a JSON object; absent or empty means none.
fn json_param(name: &str, value: Option<String>) -> Result<Option<Map<String, Value>>, String> {
    let Some(text) = value.filter(|text| !text.is_empty()) else {
        return Ok(None);
    };
    match serde_json::from_str::<Value>(&text) {
        Ok(Value::Object(map)) => Ok(Some(map)),
        Ok(Value::Null) => Ok(None),
        Ok(_) => Err(format!("`{name}` must be a JSON object")),
        Err(err) => Err(format!("`{name}` is not valid JSON: {err}")),
    }
}

/// Neither query text nor a persisted document: nothing to run.
fn names_no_operation(request: &GraphQLRequest) -> bool {
    !crate::persisted::names_a_document(request)
        && request
            .query
            .as_deref()
            .is_none_or(|query| query.trim().is_empty())
}

async fn run(
    gateway: &Gateway,
    format: ResponseFormat,
    request: GraphQLRequest,
    transport: Transport,
    caller: &Identity,
) -> Response {
    if names_no_operation(&request) {
        return bad_request(format, "the request has no query");
    }
    let names_a_document = crate::persisted::names_a_document(&request);
    let started = std::time::Instant::now();
    let operation = request.operation_name.clone();
    let response = gateway.execute(request, transport, caller).await;
    crate::observe::request_finished(operation, caller, started, &response);
    let cacheable = cacheability(transport, names_a_document, caller, &response);
    let mut reply = respond(format, response);
    if let Some(cache_control) = cacheable {
        let headers = reply.headers_mut();
        headers.insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static(cache_control),
        );
        headers.insert(header::VARY, HeaderValue::from_static(VARY_ON_CREDENTIALS));
    }
    reply
}

/// The credentials a cached answer depends on.
const VARY_ON_CREDENTIALS: &str = "authorization, x-api-key";

/// A GET naming a persisted document has a short, stable URL a CDN can cache:
/// shared caches may keep the answer briefly when no user is involved and it
/// has no errors, keyed also on the credentials; anything else is not stored.
/// `None` leaves the reply as it is (POST, or query text in the URL).
fn cacheability(
    transport: Transport,
    names_a_document: bool,
    caller: &Identity,
    response: &GraphQLResponse,
) -> Option<&'static str> {
    if transport != Transport::Get || !names_a_document {
        return None;
    }
    let clean = response.outcome == Outcome::Executed && !response.has_errors();
    Some(if clean && caller.user_id.is_none() {
        "public, max-age=60"
    } else {
        "private, no-store"
    })
}

/// The HTTP status for an outcome, per the GraphQL-over-HTTP spec: request errors
/// are 400 only for clients that understand `application/graphql-response+json`.
fn respond(format: ResponseFormat, response: GraphQLResponse) -> Response {
    match response.outcome {
        Outcome::Executed => reply(format, StatusCode::OK, response.to_bytes()),
        Outcome::RequestError => {
            let status = match format {
                ResponseFormat::GraphQLResponse => StatusCode::BAD_REQUEST,
                ResponseFormat::Json => StatusCode::OK,
            };
            reply(format, status, response.to_bytes())
        }
        Outcome::MutationOverGet => {
            let mut reply = reply(format, StatusCode::METHOD_NOT_ALLOWED, response.to_bytes());
            reply
                .headers_mut()
                .insert(header::ALLOW, HeaderValue::from_static("POST"));
            reply
        }
        // Apollo's servers answer a persisted query miss with 200, which every
        // APQ client reads before resending with the query text.
        Outcome::PersistedQueryMiss => reply(format, StatusCode::OK, response.to_bytes()),
    }
}

fn bad_request(format: ResponseFormat, message: impl Into<String>) -> Response {
    let error = GraphQLResponse::request_error("BAD_REQUEST", message);
    reply(format, StatusCode::BAD_REQUEST, error.to_bytes())
}

fn too_large(format: ResponseFormat) -> Response {
    let error = GraphQLResponse::request_error(
        "PAYLOAD_TOO_LARGE",
        "the request body is larger than the server accepts",
    );
    reply(format, StatusCode::PAYLOAD_TOO_LARGE, error.to_bytes())
}

fn reply(format: ResponseFormat, status: StatusCode, body: Bytes) -> Response {
    let content_type = HeaderValue::from_static(format.content_type());
    (status, [(header::CONTENT_TYPE, content_type)], body).into_response()
}

/// The media type of a GraphQL response body, chosen from the `Accept` header.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ResponseFormat {
    /// `application/json`: the legacy type, and what clients get unless they ask.
    Json,
    /// `application/graphql-response+json`.
    GraphQLResponse,
}

impl ResponseFormat {
    fn content_type(self) -> &'static str {
        match self {
            ResponseFormat::Json => "application/json",
            ResponseFormat::GraphQLResponse => "application/graphql-response+json",
        }
    }

    /// The acceptable format with the highest `q`; an exact media type beats a
    /// wildcard of the same `q`, and among equals the first listed wins.
    fn negotiate(headers: &HeaderMap) -> Self {
        let mut best: Option<((f32, u8), ResponseFormat)> = None;
        for (media, q) in media_ranges(headers) {
            let (format, specificity) = match media.as_str() {
                "application/graphql-response+json" => (ResponseFormat::GraphQLResponse, 1),
                "application/json" => (ResponseFormat::Json, 1),
                "application/*" | "*/*" => (ResponseFormat::Json, 0),
                _ => continue,
            };
            let rank = (q, specificity);
            if q > 0.0 && best.is_none_or(|(best_rank, _)| rank > best_rank) {
                best = Some((rank, format));
            }
        }
        best.map_or(ResponseFormat::Json, |(_, format)| format)
    }
}

/// Whether a browser is asking (`Accept` names `text/html`).
fn accepts_html(headers: &HeaderMap) -> bool {
    media_ranges(headers).any(|(media, q)| media == "text/html" && q > 0.0)
}

/// Every media range of every `Accept` header, lower-cased, with its `q` (1 when absent).
fn media_ranges(headers: &HeaderMap) -> impl Iterator<Item = (String, f32)> + '_ {
    headers
        .get_all(header::ACCEPT)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(','))
        .map(|range| {
            let mut parts = range.split(';');
            let media = parts.next().unwrap_or_default().trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|param| param.trim().strip_prefix("q="))
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            (media, q)
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn accept(value: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::ACCEPT,
            HeaderValue::from_str(value).expect("test headers are valid"),
        );
        headers
    }

    #[test]
    fn negotiation_follows_the_accept_header() {
        use ResponseFormat::{GraphQLResponse, Json};
        assert_eq!(ResponseFormat::negotiate(&HeaderMap::new()), Json);
        assert_eq!(ResponseFormat::negotiate(&accept("*/*")), Json);
        let cases = [
            ("application/graphql-response+json", GraphQLResponse),
            (
                "application/graphql-response+json, application/json",
                GraphQLResponse,
            ),
            ("application/json, application/graphql-response+json", Json),
            (
                "application/json;q=0.9, application/graphql-response+json",
                GraphQLResponse,
            ),
            ("*/*, application/graphql-response+json", GraphQLResponse),
            (
                "application/graphql-response+json;q=0, application/json",
                Json,
            ),
            ("text/html", Json),
        ];
        for (header, expected) in cases {
            assert_eq!(
                ResponseFormat::negotiate(&accept(header)),
                expected,
                "{header}"
            );
        }
    }

    #[test]
    fn browsers_are_recognised() {
        assert!(accepts_html(&accept(
            "text/html,application/xhtml+xml,*/*;q=0.8"
        )));
        assert!(!accepts_html(&accept("application/json")));
        assert!(!accepts_html(&HeaderMap::new()));
    }

    #[test]
    fn json_parameters_must_be_objects() {
        assert_eq!(json_param("variables", None), Ok(None));
        assert_eq!(json_param("variables", Some(String::new())), Ok(None));
        assert!(json_param("variables", Some("{\"a\":1}".into())).is_ok_and(|map| map.is_some()));
        assert!(json_param("variables", Some("[1]".into())).is_err());
        assert!(json_param("variables", Some("{".into())).is_err());
    }

    #[test]
    fn bodies_must_be_request_objects() {
        assert!(parse_body(b"{\"query\":\"{ a }\"}").is_ok());
        assert!(parse_body(b"[]").is_err());
        assert!(parse_body(b"{\"query\":1}").is_err());
        assert!(parse_body(b"{").is_err());
    }
}
