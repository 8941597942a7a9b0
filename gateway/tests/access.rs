//! The front door over HTTP: bearer tokens and API keys are checked before any
//! subgraph is asked, anonymous callers reach only `@tag(name: "public")` fields,
//! and the verified identity travels to subgraphs under the gateway's credential.

mod common;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use common::supergraph;
use fitgraph_auth::jwt::{DevToken, JwtConfig, mint_hs256};
use fitgraph_auth::{GatewayCredential, Identity, TrustMode};
use fitgraph_gateway::auth::{ApiKeyConfig, AuthConfig, Authenticator};
use fitgraph_gateway::ratelimit::{Quota, RateLimitConfig, RateLimiter};
use fitgraph_gateway::server::{self, FrontDoor, ServerConfig};
use fitgraph_gateway::{Gateway, GatewayConfig};
use fitgraph_gateway_testkit::{FixtureSubgraph, RunningSubgraph, supergraph_with_urls};
use reqwest::StatusCode;
use serde_json::{Value, json};
use tokio::sync::oneshot;

const CATALOG: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@tag"])
type Query {
  items: [Item!]! @tag(name: "public")
  stock: Int
}
type Item @key(fields: "id") @tag(name: "public") { id: ID! name: String! }
"#;

const ACCOUNTS: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { me: Account }
type Account { id: ID! }
type Item @key(fields: "id") { id: ID! favourite: Boolean }
"#;

const TOKEN_SECRET: &str = "token-secret-for-access-tests";
const ISSUER: &str = "https://issuer.test";
const AUDIENCE: &str = "fitgraph-tests";
const API_KEY: &str = "partner-key-0001";

struct Front {
    url: String,
    catalog: RunningSubgraph,
    accounts: RunningSubgraph,
    credential: GatewayCredential,
    _stop: oneshot::Sender<()>,
}

async fn start() -> Front {
    start_with_limits(None).await
}

async fn start_with_limits(rate_limits: Option<RateLimitConfig>) -> Front {
    let catalog = FixtureSubgraph::new("catalog", CATALOG)
        .query(json!({ "items": [{ "id": "1", "name": "Rope" }], "stock": 3 }))
        .spawn()
        .await;
    let accounts = FixtureSubgraph::new("accounts", ACCOUNTS)
        .query(json!({ "me": { "id": "u1" } }))
        .entities("Item", json!([{ "id": "1", "favourite": true }]))
        .spawn()
        .await;
    let sdl = supergraph_with_urls(
        &supergraph(&[("accounts", ACCOUNTS), ("catalog", CATALOG)]),
        &[("accounts", accounts.url()), ("catalog", catalog.url())],
    );
    let credential = GatewayCredential::generate(TrustMode::Hmac);
    let config = GatewayConfig {
        credential: Some(credential.clone()),
        ..GatewayConfig::default()
    };
    let gateway = Gateway::new(&sdl, config).expect("the fixture supergraph builds");
    let front_door = FrontDoor {
        authenticator: Authenticator::new(auth_config())
            .await
            .expect("an HS256 secret needs no loading"),
        rate_limiter: rate_limits
            .map(|config| RateLimiter::new(&config).expect("the test quotas are valid")),
    };
    let router = server::router(Arc::new(gateway), front_door, &ServerConfig::default());
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
    Front {
        url: format!("http://{address}/graphql"),
        catalog,
        accounts,
        credential,
        _stop: stop,
    }
}

fn auth_config() -> AuthConfig {
    AuthConfig {
        jwt: Some(JwtConfig {
            issuer: Some(ISSUER.into()),
            audience: Some(AUDIENCE.into()),
            hs256_secret: Some(TOKEN_SECRET.into()),
            ..JwtConfig::default()
        }),
        api_keys: vec![ApiKeyConfig {
            name: "partner".into(),
            key: API_KEY.into(),
            scopes: vec!["catalog".into()],
            manifest: None,
        }],
    }
}

fn token(subject: &str, audience: &str, ttl: Duration) -> String {
    let claims = DevToken {
        subject: subject.into(),
        scopes: vec!["editor".into()],
        issuer: Some(ISSUER.into()),
        audience: Some(audience.into()),
        ttl,
    };
    mint_hs256(TOKEN_SECRET, &claims).expect("minting with a secret works")
}

/// A token with exactly `claims`, signed with the test secret.
fn signed(claims: Value) -> String {
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(TOKEN_SECRET.as_bytes()),
    )
    .expect("HS256 signing cannot fail")
}

fn unix_now() -> u64 {
    SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs()
}

impl Front {
    async fn post(&self, headers: &[(&str, &str)], query: &str) -> (StatusCode, Value) {
        let mut request = reqwest::Client::new()
            .post(&self.url)
            .json(&json!({ "query": query }));
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().await.expect("the gateway answers");
        let status = response.status();
        let www = response.headers().get("www-authenticate").cloned();
        let body: Value = response.json().await.expect("a JSON body");
        if status == StatusCode::UNAUTHORIZED {
            assert!(www.is_some(), "401 names the scheme: {body}");
        }
        (status, body)
    }

    fn subgraph_requests(&self) -> usize {
        self.catalog.request_count() + self.accounts.request_count()
    }

    /// The identity the last request to `subgraph` carried, checked against the credential.
    fn forwarded_identity(&self, subgraph: &RunningSubgraph) -> Identity {
        let request = subgraph.requests().pop().expect("the subgraph was asked");
        self.credential
            .verify(&request.headers, &request.body, SystemTime::now())
            .expect("the gateway signs every subgraph request")
    }
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("<none>")
}

#[tokio::test]
async fn anonymous_callers_reach_public_fields_only() {
    let front = start().await;
    let (status, body) = front.post(&[], "{ items { id name } }").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(body["data"]["items"][0]["name"], "Rope", "{body}");
    assert_eq!(
        front.forwarded_identity(&front.catalog),
        Identity::anonymous()
    );

    for private in ["{ stock }", "{ me { id } }", "{ items { favourite } }"] {
        let before = front.subgraph_requests();
        let (_, body) = front.post(&[], private).await;
        assert_eq!(code(&body), "UNAUTHENTICATED", "{private}: {body}");
        assert_eq!(body["data"], Value::Null, "{body}");
        assert_eq!(
            front.subgraph_requests(),
            before,
            "{private} reached a subgraph"
        );
    }
    let (_, body) = front.post(&[], "{ __schema { queryType { name } } }").await;
    assert_eq!(
        body["data"]["__schema"]["queryType"]["name"], "Query",
        "{body}"
    );
}

#[tokio::test]
async fn a_valid_token_is_forwarded_as_the_callers_identity() {
    let front = start().await;
    let bearer = format!(
        "Bearer {}",
        token("user-7", AUDIENCE, Duration::from_secs(600))
    );
    let (status, body) = front
        .post(
            &[("authorization", &bearer)],
            "{ items { name favourite } me { id } }",
        )
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["items"][0]["favourite"], true, "{body}");
    let identity = front.forwarded_identity(&front.accounts);
    assert_eq!(identity.user_id.as_deref(), Some("user-7"));
    assert!(identity.has_scope("editor"));
}

#[tokio::test]
async fn bad_tokens_are_refused_before_any_subgraph() {
    let front = start().await;
    let expired = signed(json!({
        "sub": "user-7", "iss": ISSUER, "aud": AUDIENCE,
        "exp": unix_now() - 3600,
    }));
    let not_yet = signed(json!({
        "sub": "user-7", "iss": ISSUER, "aud": AUDIENCE,
        "exp": unix_now() + 7200, "nbf": unix_now() + 3600,
    }));
    let wrong_audience = token("user-7", "someone-else", Duration::from_secs(600));
    let good = token("user-7", AUDIENCE, Duration::from_secs(600));
    let forged = mint_hs256(
        "another-secret-entirely",
        &DevToken {
            subject: "user-7".into(),
            scopes: vec!["admin".into()],
            issuer: Some(ISSUER.into()),
            audience: Some(AUDIENCE.into()),
            ttl: Duration::from_secs(600),
        },
    )
    .expect("minting with a secret works");
    let cases = [
        ("Bearer not-a-jwt".to_owned(), "malformed"),
        (format!("Bearer {expired}"), "expired"),
        (format!("Bearer {not_yet}"), "not yet valid"),
        (format!("Bearer {wrong_audience}"), "wrong audience"),
        (format!("Bearer {forged}"), "bad signature"),
        (format!("Basic {good}"), "Bearer"),
        (format!("Bearer {good} trailing"), "malformed"),
    ];
    for (header, expected) in cases {
        let (status, body) = front
            .post(&[("authorization", &header)], "{ items { id } }")
            .await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{header}: {body}");
        assert_eq!(code(&body), "UNAUTHENTICATED");
        let message = body["errors"][0]["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(expected),
            "{message} should mention {expected}"
        );
    }
    assert_eq!(front.subgraph_requests(), 0);
}

#[tokio::test]
async fn api_keys_identify_partner_clients() {
    let front = start().await;
    // A partner is authenticated, so it passes the front door; what it may read
    // beyond public data is each subgraph's decision.
    let (status, body) = front.post(&[("x-api-key", API_KEY)], "{ stock }").await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body["data"]["stock"], 3);
    let identity = front.forwarded_identity(&front.catalog);
    assert_eq!(identity, Identity::client("partner", &["catalog"]));

    let (status, body) = front
        .post(&[("x-api-key", "guess")], "{ items { id } }")
        .await;
    assert_eq!(status, StatusCode::UNAUTHORIZED, "{body}");
    assert_eq!(code(&body), "UNAUTHENTICATED");
}

#[tokio::test]
async fn each_client_has_its_own_rate_limit() {
    let slow = Quota {
        per_minute: 1,
        burst: 2,
    };
    let front = start_with_limits(Some(RateLimitConfig {
        anonymous: slow,
        user: slow,
        ..RateLimitConfig::default()
    }))
    .await;
    for _ in 0..2 {
        let (status, body) = front.post(&[], "{ items { id } }").await;
        assert_eq!(status, StatusCode::OK, "{body}");
    }
    let response = reqwest::Client::new()
        .post(&front.url)
        .json(&json!({ "query": "{ items { id } }" }))
        .send()
        .await
        .expect("the gateway answers");
    assert_eq!(response.status(), StatusCode::TOO_MANY_REQUESTS);
    let retry_after: u64 = response.headers()["retry-after"]
        .to_str()
        .expect("ASCII")
        .parse()
        .expect("whole seconds");
    assert!((1..=60).contains(&retry_after), "{retry_after}");
    let body: Value = response.json().await.expect("a JSON body");
    assert_eq!(code(&body), "RATE_LIMITED");
    assert_eq!(
        front.subgraph_requests(),
        2,
        "the refused request reached no subgraph"
    );

    // A signed-in user draws from their own bucket, not the address's.
    let bearer = format!(
        "Bearer {}",
        token("user-9", AUDIENCE, Duration::from_secs(600))
    );
    let (status, body) = front
        .post(&[("authorization", &bearer)], "{ items { id } }")
        .await;
    assert_eq!(status, StatusCode::OK, "{body}");
}

#[tokio::test]
async fn oversized_documents_are_refused_before_any_subgraph() {
    let front = start().await;
    let bearer = format!(
        "Bearer {}",
        token("user-7", AUDIENCE, Duration::from_secs(600))
    );
    let long = format!("{{ {} }}", "items { id } ".repeat(3000));
    let (_, body) = front.post(&[("authorization", &bearer)], &long).await;
    assert_eq!(code(&body), "MAX_TOKENS_EXCEEDED", "{body}");
    assert_eq!(front.subgraph_requests(), 0);
}
