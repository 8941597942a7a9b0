//! HTTP to the subgraphs: one pooled client, a timeout per request, and failures
//! sorted into stable codes.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use fitgraph_auth::{GatewayCredential, Identity};

use apollo_compiler::response::{JsonMap, JsonValue};
use futures::FutureExt;
use serde::Deserialize;
use tracing::Instrument;

use super::dedup::{DedupConfig, Deduplicator};

/// A subgraph's answer: its `data` and `errors`.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SubgraphResponse {
    #[serde(default)]
    pub data: Option<JsonValue>,
    #[serde(default)]
    pub errors: Vec<JsonValue>,
}

impl SubgraphResponse {
    /// Reads a response body; its strings stay slices of `body` rather than copies,
    /// so sharing one answer between deduplicated requests copies no text.
    fn parse(body: bytes::Bytes) -> Option<Self> {
        let JsonValue::Object(mut body) = JsonValue::from_bytes(body).ok()? else {
            return None;
        };
        let data = body.remove("data").filter(|data| !data.is_null());
        let errors = match body.remove("errors") {
            None => Vec::new(),
            Some(JsonValue::Array(errors)) => errors,
            Some(_) => return None,
        };
        Some(Self { data, errors })
    }
}

/// A subgraph request's variables: the operation's own values, and lists of entity
/// representations already written out as JSON text.
#[derive(Debug, Default)]
pub(crate) struct FetchVariables {
    pub(crate) plain: JsonMap,
    pub(crate) representations: Vec<(String, Vec<bytes::Bytes>)>,
}

/// The request body `{"query":…,"variables":{…}}`, written once: it is sent as it
/// is and, when requests are shared, is what identical requests are matched by.
fn request_body(operation: &str, variables: &FetchVariables) -> bytes::Bytes {
    let mut body = Vec::with_capacity(operation.len() + 256);
    body.extend_from_slice(b"{\"query\":");
    write_json(&mut body, operation);
    body.extend_from_slice(b",\"variables\":{");
    let mut first = true;
    let mut separate = |body: &mut Vec<u8>| {
        if !std::mem::take(&mut first) {
            body.push(b',');
        }
    };
    for (name, value) in variables.plain.iter() {
        separate(&mut body);
        write_json(&mut body, name.as_str());
        body.push(b':');
        write_json(&mut body, value);
    }
    for (name, items) in &variables.representations {
        separate(&mut body);
        write_json(&mut body, name.as_str());
        body.extend_from_slice(b":[");
        for (index, item) in items.iter().enumerate() {
            if index > 0 {
                body.push(b',');
            }
            body.extend_from_slice(item);
        }
        body.push(b']');
    }
    body.extend_from_slice(b"}}");
    body.into()
}

fn write_json(out: &mut Vec<u8>, value: &(impl serde::Serialize + ?Sized)) {
    serde_json::to_writer(out, value).expect("JSON values and strings always serialise");
}

/// Why a subgraph gave no usable answer.
#[derive(Debug, Clone, thiserror::Error)]
pub enum SubgraphFailure {
    #[error("subgraph `{0}` is not in the supergraph")]
    UnknownSubgraph(String),
    #[error("the request to subgraph `{service}` timed out after {timeout:?}")]
    Timeout { service: String, timeout: Duration },
    #[error("the request to subgraph `{service}` failed: {detail}")]
    Http { service: String, detail: String },
    #[error("subgraph `{service}` answered HTTP {status}")]
    Status { service: String, status: u16 },
    #[error("subgraph `{service}` sent a response that is not GraphQL JSON")]
    Malformed { service: String },
}

impl SubgraphFailure {
    /// The stable `extensions.code` clients see.
    pub fn code(&self) -> &'static str {
        match self {
            SubgraphFailure::UnknownSubgraph(_) => "INTERNAL_SERVER_ERROR",
            SubgraphFailure::Timeout { .. } => "SUBREQUEST_TIMEOUT",
            SubgraphFailure::Http { .. } | SubgraphFailure::Status { .. } => {
                "SUBREQUEST_HTTP_ERROR"
            }
            SubgraphFailure::Malformed { .. } => "SUBREQUEST_MALFORMED_RESPONSE",
        }
    }

    /// What the client is told: which subgraph and what kind of failure, never
    /// addresses or transport internals (those are logged).
    pub fn client_message(&self) -> String {
        match self {
            SubgraphFailure::UnknownSubgraph(_) => "internal error".into(),
            SubgraphFailure::Timeout { service, .. } => format!("subgraph `{service}` timed out"),
            SubgraphFailure::Http { service, .. } => {
                format!("subgraph `{service}` could not be reached")
            }
            SubgraphFailure::Status { service, status } => {
                format!("subgraph `{service}` answered HTTP {status}")
            }
            SubgraphFailure::Malformed { service } => {
                format!("subgraph `{service}` sent an invalid response")
            }
        }
    }
}

/// Sends operations to subgraphs by name, over one keep-alive connection pool,
/// carrying the caller's identity under the gateway's credential.
#[derive(Debug, Clone)]
pub struct SubgraphClient {
    http: reqwest::Client,
    urls: Arc<HashMap<String, String>>,
    timeout: Duration,
    credential: Option<Arc<GatewayCredential>>,
    caller: Arc<Identity>,
    dedup: Deduplicator,
}

impl SubgraphClient {
    pub fn new(
        urls: HashMap<String, String>,
        timeout: Duration,
        credential: Option<GatewayCredential>,
    ) -> Result<Self, reqwest::Error> {
        let http = reqwest::Client::builder()
            .pool_idle_timeout(Duration::from_secs(90))
            .tcp_nodelay(true)
            .build()?;
        Ok(Self {
            http,
            urls: Arc::new(urls),
            timeout,
            credential: credential.map(Arc::new),
            caller: Arc::new(Identity::anonymous()),
            dedup: Deduplicator::default(),
        })
    }

    /// The same client, sharing identical requests in flight as `config` says.
    pub fn with_dedup(self, config: DedupConfig) -> Self {
        Self {
            dedup: Deduplicator::new(config),
            ..self
        }
    }

    /// Shared requests in flight right now.
    pub fn requests_in_flight(&self) -> usize {
        self.dedup.in_flight()
    }

    /// The same client (and connection pool), sending on behalf of `caller`.
    pub fn for_caller(&self, caller: Identity) -> Self {
        Self {
            caller: Arc::new(caller),
            ..self.clone()
        }
    }

    fn identity_headers(&self, body: &[u8]) -> reqwest::header::HeaderMap {
        match &self.credential {
            Some(credential) => credential.headers(&self.caller, body, SystemTime::now()),
            None => reqwest::header::HeaderMap::new(),
        }
    }

    /// The WebSocket upgrade request that opens a subscription on `service`: the
    /// subgraph's URL with a `ws` scheme, the `graphql-transport-ws` subprotocol,
    /// and the caller's identity under the gateway's credential (signed over an
    /// empty body: the upgrade has none).
    pub fn websocket_request(
        &self,
        service: &str,
    ) -> Result<tokio_tungstenite::tungstenite::handshake::client::Request, SubgraphFailure> {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let url = self
            .urls
            .get(service)
            .ok_or_else(|| SubgraphFailure::UnknownSubgraph(service.to_string()))?;
        let ws_url = match url.split_once("://") {
            Some(("https", rest)) => format!("wss://{rest}"),
            Some((_, rest)) => format!("ws://{rest}"),
            None => url.clone(),
        };
        let mut request = ws_url
            .into_client_request()
            .map_err(|error| SubgraphFailure::Http {
                service: service.to_string(),
                detail: error.to_string(),
            })?;
        let headers = request.headers_mut();
        headers.insert(
            "sec-websocket-protocol",
            reqwest::header::HeaderValue::from_static("graphql-transport-ws"),
        );
        headers.extend(self.identity_headers(b""));
        headers.extend(trace_headers());
        Ok(request)
    }

    pub fn timeout(&self) -> Duration {
        self.timeout
    }

    /// Sends `operation` to `service`, or shares the answer of an identical
    /// request already in flight (see [`DedupConfig`]).
    pub(crate) async fn fetch(
        &self,
        service: &str,
        operation: &str,
        variables: &FetchVariables,
    ) -> Result<SubgraphResponse, SubgraphFailure> {
        let body = request_body(operation, variables);
        let span = tracing::info_span!(
            target: subgraph_common::telemetry::SPANS,
            "fetch",
            otel.name = format!("fetch {service}"),
            otel.kind = "client",
            subgraph = service,
        );
        if !self.dedup.applies(service, operation) {
            return self.send(service, body).instrument(span).await;
        }
        let this = self.clone();
        let owned_service = service.to_owned();
        let sent_body = body.clone();
        let send = async move { this.send(&owned_service, sent_body).await }
            .instrument(span.clone())
            .boxed();
        self.dedup
            .run(service, body, &self.caller, send)
            .instrument(span)
            .await
    }

    /// Posts an already serialised request body, timing it per subgraph.
    async fn send(
        &self,
        service: &str,
        body: bytes::Bytes,
    ) -> Result<SubgraphResponse, SubgraphFailure> {
        let started = std::time::Instant::now();
        let answer = self.post(service, body).await;
        let subgraph = service.to_owned();
        metrics::histogram!("fitgraph_gateway_subgraph_fetch_duration_seconds", "subgraph" => subgraph.clone())
            .record(started.elapsed().as_secs_f64());
        if let Err(failure) = &answer {
            metrics::counter!("fitgraph_gateway_subgraph_fetch_errors_total", "subgraph" => subgraph, "code" => failure.code())
                .increment(1);
        }
        answer
    }

    async fn post(
        &self,
        service: &str,
        body: bytes::Bytes,
    ) -> Result<SubgraphResponse, SubgraphFailure> {
        let url = self
            .urls
            .get(service)
            .ok_or_else(|| SubgraphFailure::UnknownSubgraph(service.to_string()))?;
        let sent = self
            .http
            .post(url)
            .header(
                "accept",
                "application/graphql-response+json, application/json",
            )
            .header("content-type", "application/json")
            .headers(self.identity_headers(&body))
            .headers(trace_headers())
            .body(body)
            .timeout(self.timeout)
            .send();
        let response = sent
            .await
            .map_err(|error| self.transport_failure(service, error))?;
        let status = response.status();
        let bytes = response
            .bytes()
            .await
            .map_err(|error| self.transport_failure(service, error))?;
        match SubgraphResponse::parse(bytes) {
            // GraphQL-over-HTTP lets a subgraph answer 4xx with a GraphQL body.
            Some(answer) if !answer.errors.is_empty() => Ok(answer),
            Some(answer) if status.is_success() && answer.data.is_some() => Ok(answer),
            _ if !status.is_success() => Err(SubgraphFailure::Status {
                service: service.to_string(),
                status: status.as_u16(),
            }),
            _ => Err(SubgraphFailure::Malformed {
                service: service.to_string(),
            }),
        }
    }

    fn transport_failure(&self, service: &str, error: reqwest::Error) -> SubgraphFailure {
        tracing::warn!(subgraph = service, error = %error, "subgraph request failed");
        if error.is_timeout() {
            SubgraphFailure::Timeout {
                service: service.to_string(),
                timeout: self.timeout,
            }
        } else {
            SubgraphFailure::Http {
                service: service.to_string(),
                detail: error.to_string(),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Option<SubgraphResponse> {
        SubgraphResponse::parse(bytes::Bytes::copy_from_slice(text.as_bytes()))
    }

    #[test]
    fn reads_data_and_errors_and_refuses_what_is_not_a_graphql_body() {
        let answer =
            parse(r#"{"data":{"a":"x\"y"},"errors":[{"message":"m"}]}"#).expect("a GraphQL body");
        assert_eq!(
            serde_json::to_string(&answer.data).expect("data serialises"),
            r#"{"a":"x\"y"}"#
        );
        assert_eq!(answer.errors.len(), 1);
        let empty = parse(r#"{"data":null}"#).expect("null data is a GraphQL body");
        assert!(empty.data.is_none() && empty.errors.is_empty());
        for broken in [r#"[1]"#, r#"{"errors":{}}"#, r#"{"data":"#, ""] {
            assert!(parse(broken).is_none(), "{broken}");
        }
    }
}

/// The current trace's `traceparent` for a subgraph request; empty when tracing is off.
fn trace_headers() -> reqwest::header::HeaderMap {
    let mut headers = reqwest::header::HeaderMap::new();
    subgraph_common::telemetry::inject_trace_context(&mut headers);
    headers
}
