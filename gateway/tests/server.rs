//! The gateway over HTTP, on a real socket: routes, request limits, malformed
//! requests, and the status codes of the GraphQL-over-HTTP spec.

use std::sync::Arc;

use fitgraph_gateway::server::{self, FrontDoor, ServerConfig};
use fitgraph_gateway::{AnonymousAccess, Gateway, GatewayConfig};
use reqwest::header::{ACCEPT, ALLOW, CONTENT_TYPE};
use reqwest::{Client, StatusCode, Url};
use serde_json::{Value, json};
use tokio::sync::oneshot;

const SUPERGRAPH: &str = include_str!("fixtures/server/supergraph.graphql");
const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

/// A gateway serving on 127.0.0.1 until dropped.
struct TestServer {
    base: String,
    _stop: oneshot::Sender<()>,
}

impl TestServer {
    async fn start() -> Self {
        Self::start_with(ServerConfig::default()).await
    }

    async fn start_with(config: ServerConfig) -> Self {
        // The fixture graph tags nothing public; this file is about HTTP, not access.
        let gateway_config = GatewayConfig {
            anonymous_access: AnonymousAccess::Everything,
            ..GatewayConfig::default()
        };
        let gateway =
            Gateway::new(SUPERGRAPH, gateway_config).expect("the fixture supergraph is valid");
        let router = server::router(Arc::new(gateway), FrontDoor::anonymous_only(), &config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port on localhost");
        let address = listener
            .local_addr()
            .expect("a bound listener has an address");
        let (stop, stopped) = oneshot::channel::<()>();
        tokio::spawn(server::serve(listener, router, async {
            let _ = stopped.await;
        }));
        Self {
            base: format!("http://{address}"),
            _stop: stop,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// `GET /graphql` with these query-string parameters.
    fn get_url(&self, params: &[(&str, &str)]) -> Url {
        Url::parse_with_params(&self.url("/graphql"), params).expect("a valid URL")
    }
}

/// The status, the content type and the JSON body of a response.
async fn read(response: reqwest::Response) -> (StatusCode, String, Value) {
    let status = response.status();
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = response.json().await.expect("a JSON body");
    (status, content_type, body)
}

fn first_code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or_else(|| panic!("no error code in {body}"))
}

#[tokio::test]
async fn health_answers_ok() {
    let server = TestServer::start().await;
    let response = reqwest::get(server.url("/health"))
        .await
        .expect("the server answers");
    let (status, _, body) = read(response).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body, json!({ "status": "ok" }));
}

#[tokio::test]
async fn the_explorer_is_served_to_browsers() {
    let server = TestServer::start().await;
    let client = Client::new();
    for path in ["/", "/graphql"] {
        let response = client
            .get(server.url(path))
            .header(ACCEPT, "text/html,application/xhtml+xml,*/*;q=0.8")
            .send()
            .await
            .expect("the server answers");
        assert_eq!(response.status(), StatusCode::OK, "{path}");
        let content_type = response.headers()[CONTENT_TYPE]
            .to_str()
            .unwrap_or_default();
        assert!(
            content_type.starts_with("text/html"),
            "{path}: {content_type}"
        );
        let html = response.text().await.expect("a text body");
        assert!(html.to_lowercase().contains("graphiql"), "{path}: {html}");
        assert!(
            html.contains("/graphql"),
            "{path} does not point at /graphql"
        );
    }
}

#[tokio::test]
async fn a_body_over_the_limit_is_refused() {
    let server = TestServer::start_with(ServerConfig {
        max_body_bytes: 1024,
        ..ServerConfig::default()
    })
    .await;
    let padding = "x".repeat(4096);
    let response = Client::new()
        .post(server.url("/graphql"))
        .json(&json!({ "query": format!("{{ __typename }} # {padding}") }))
        .send()
        .await
        .expect("the server answers");
    let (status, _, body) = read(response).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(first_code(&body), "PAYLOAD_TOO_LARGE");
}

#[tokio::test]
async fn malformed_bodies_are_bad_requests() {
    let server = TestServer::start().await;
    let client = Client::new();
    for body in [
        "{\"query\": ",
        "[{\"query\": \"{ __typename }\"}]",
        "\"{ __typename }\"",
        "{}",
        "{\"query\": \"\"}",
        "{\"query\": 7}",
    ] {
        let response = client
            .post(server.url("/graphql"))
            .header(CONTENT_TYPE, "application/json")
            .body(body)
            .send()
            .await
            .expect("the server answers");
        let (status, _, json) = read(response).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
        assert_eq!(first_code(&json), "BAD_REQUEST", "{body}");
        assert!(json.get("data").is_none(), "{body}: {json}");
    }
}

#[tokio::test]
async fn get_with_bad_variables_is_a_bad_request() {
    let server = TestServer::start().await;
    let client = Client::new();
    for variables in ["{not json", "[1, 2]"] {
        let url = server.get_url(&[("query", "{ __typename }"), ("variables", variables)]);
        let response = client.get(url).send().await.expect("the server answers");
        let (status, _, body) = read(response).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{variables}");
        assert_eq!(first_code(&body), "BAD_REQUEST", "{variables}");
    }
    let response = client
        .get(server.url("/graphql"))
        .header(ACCEPT, "application/json")
        .send()
        .await
        .expect("the server answers");
    assert_eq!(
        response.status(),
        StatusCode::BAD_REQUEST,
        "GET without a query"
    );
}

#[tokio::test]
async fn typename_runs_over_post_and_get() {
    let server = TestServer::start().await;
    let client = Client::new();
    let post = client
        .post(server.url("/graphql"))
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .expect("the server answers");
    let get = client
        .get(server.get_url(&[("query", "{ __typename }")]))
        .send()
        .await
        .expect("the server answers");
    for response in [post, get] {
        let (status, content_type, body) = read(response).await;
        assert_eq!(status, StatusCode::OK, "{body}");
        assert!(
            content_type.starts_with("application/json"),
            "{content_type}"
        );
        assert_eq!(body, json!({ "data": { "__typename": "Query" } }));
    }
}

async fn post_with_accept(server: &TestServer, accept: &str, query: &str) -> reqwest::Response {
    Client::new()
        .post(server.url("/graphql"))
        .header(ACCEPT, accept)
        .json(&json!({ "query": query }))
        .send()
        .await
        .expect("the server answers")
}

#[tokio::test]
async fn a_parse_error_is_400_for_graphql_response_json_clients() {
    let server = TestServer::start().await;
    let response = post_with_accept(&server, GRAPHQL_RESPONSE, "{ greeting(id: ").await;
    let (status, content_type, body) = read(response).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert!(content_type.starts_with(GRAPHQL_RESPONSE), "{content_type}");
    assert_eq!(first_code(&body), "GRAPHQL_PARSE_FAILED");
    assert!(body.get("data").is_none(), "{body}");
}

#[tokio::test]
async fn a_parse_error_is_200_for_application_json_clients() {
    let server = TestServer::start().await;
    for accept in ["application/json", "*/*"] {
        let response = post_with_accept(&server, accept, "{ greeting(id: ").await;
        let (status, content_type, body) = read(response).await;
        assert_eq!(status, StatusCode::OK, "{accept}: {body}");
        assert!(
            content_type.starts_with("application/json"),
            "{content_type}"
        );
        assert_eq!(first_code(&body), "GRAPHQL_PARSE_FAILED");
        assert!(body.get("data").is_none(), "{body}");
    }
}

#[tokio::test]
async fn a_mutation_over_get_is_405_and_allows_post() {
    let server = TestServer::start().await;
    let url = server.get_url(&[("query", "mutation { greet(name: \"Ava\") { id } }")]);
    let response = Client::new()
        .get(url)
        .header(ACCEPT, GRAPHQL_RESPONSE)
        .send()
        .await
        .expect("the server answers");
    assert_eq!(response.status(), StatusCode::METHOD_NOT_ALLOWED);
    assert_eq!(
        response.headers().get(ALLOW).and_then(|v| v.to_str().ok()),
        Some("POST")
    );
    let (_, _, body) = read(response).await;
    assert!(body.get("data").is_none(), "{body}");
}
