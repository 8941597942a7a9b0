//! Persisted queries over HTTP: partner API keys held to their manifests
//! (trusted documents), `documentId` over POST and GET, and automatic persisted
//! queries (miss, register, hit) for everyone else.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::supergraph;
use fitgraph_auth::jwt::{DevToken, JwtConfig, mint_hs256};
use fitgraph_gateway::apq::{ApqConfig, ApqStore, sha256_hex};
use fitgraph_gateway::auth::{ApiKeyConfig, AuthConfig, Authenticator};
use fitgraph_gateway::persisted::{ClientManifest, Manifest, OperationKind, PersistedOperation};
use fitgraph_gateway::server::{self, FrontDoor, ServerConfig};
use fitgraph_gateway::{AnonymousAccess, Gateway, GatewayConfig, GatewayError};
use fitgraph_gateway_testkit::{FixtureSubgraph, RunningSubgraph, supergraph_with_urls};
use reqwest::header::{ACCEPT, ALLOW, CACHE_CONTROL, VARY};
use reqwest::{StatusCode, Url};
use serde_json::{Value, json};
use tokio::sync::oneshot;

const CATALOG: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { items: [Item!]! item(id: ID!): Item }
type Mutation { addItem(name: String!): Item! }
type Item @key(fields: "id") { id: ID! name: String! }
"#;

const PARTNER_KEY: &str = "partner-key-0001";
const OTHER_PARTNER_KEY: &str = "partner-key-0002";
const APP_KEY: &str = "first-party-app-key";
const TOKEN_SECRET: &str = "token-secret-for-persisted-tests";
const GRAPHQL_RESPONSE: &str = "application/graphql-response+json";

const ITEM_BY_ID: &str =
    "query ItemById($id: ID!) {\n  item(id: $id) {\n    id\n    name\n  }\n}\n";
const ADD_ITEM: &str =
    "mutation AddItem($name: String!) {\n  addItem(name: $name) {\n    id\n  }\n}\n";
const LIST_ITEMS: &str = "query ListItems {\n  items {\n    name\n  }\n}\n";

fn partner_manifest() -> ClientManifest {
    ClientManifest {
        client: "partner".into(),
        origin: "partner.json".into(),
        manifest: Manifest::new(vec![
            PersistedOperation::new("ItemById", OperationKind::Query, ITEM_BY_ID),
            PersistedOperation::new("AddItem", OperationKind::Mutation, ADD_ITEM),
        ]),
    }
}

fn other_partner_manifest() -> ClientManifest {
    ClientManifest {
        client: "other-partner".into(),
        origin: "other-partner.json".into(),
        manifest: Manifest::new(vec![PersistedOperation::new(
            "ListItems",
            OperationKind::Query,
            LIST_ITEMS,
        )]),
    }
}

async fn catalog() -> RunningSubgraph {
    FixtureSubgraph::new("catalog", CATALOG)
        .query(json!({ "items": [{ "id": "1", "name": "Rope" }] }))
        .resolver("Query", "item", |_, args| {
            json!({ "id": args["id"], "name": format!("Item {}", args["id"].as_str().unwrap_or("?")) })
        })
        .mutation(json!({ "addItem": { "id": "9", "name": "New" } }))
        .spawn()
        .await
}

fn gateway_config(apq: ApqConfig) -> GatewayConfig {
    let mut config = GatewayConfig {
        // The fixture graph tags nothing public; access has its own tests.
        anonymous_access: AnonymousAccess::Everything,
        ..GatewayConfig::default()
    };
    config.persisted.manifests = vec![partner_manifest(), other_partner_manifest()];
    config.persisted.apq = apq;
    config
}

/// A gateway over one fixture subgraph, serving on 127.0.0.1 until dropped.
struct Front {
    url: String,
    catalog: RunningSubgraph,
    _stop: oneshot::Sender<()>,
}

async fn start() -> Front {
    start_with(ApqConfig::default()).await
}

async fn start_with(apq: ApqConfig) -> Front {
    let catalog = catalog().await;
    let sdl = supergraph_with_urls(
        &supergraph(&[("catalog", CATALOG)]),
        &[("catalog", catalog.url())],
    );
    let gateway = Gateway::new(&sdl, gateway_config(apq)).expect("the manifests are valid");
    let front_door = FrontDoor {
        authenticator: Authenticator::new(auth_config())
            .await
            .expect("an HS256 secret needs no loading"),
        rate_limiter: None,
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
        _stop: stop,
    }
}

fn api_key(name: &str, key: &str, manifest: Option<&str>) -> ApiKeyConfig {
    ApiKeyConfig {
        name: name.into(),
        key: key.into(),
        scopes: Vec::new(),
        manifest: manifest.map(Into::into),
    }
}

fn auth_config() -> AuthConfig {
    AuthConfig {
        jwt: Some(JwtConfig {
            hs256_secret: Some(TOKEN_SECRET.into()),
            ..JwtConfig::default()
        }),
        // The gateway holds the manifests; the key entries only name the clients.
        api_keys: vec![
            api_key("partner", PARTNER_KEY, Some("partner.json")),
            api_key(
                "other-partner",
                OTHER_PARTNER_KEY,
                Some("other-partner.json"),
            ),
            api_key("app", APP_KEY, None),
        ],
    }
}

fn user_token() -> String {
    let token = DevToken {
        subject: "user-7".into(),
        scopes: Vec::new(),
        issuer: None,
        audience: None,
        ttl: Duration::from_secs(600),
    };
    mint_hs256(TOKEN_SECRET, &token).expect("minting with a secret works")
}

/// What a response said: status, the headers tests look at, and the JSON body.
struct Answer {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Answer {
    fn code(&self) -> &str {
        self.body["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or("<none>")
    }

    fn header(&self, name: reqwest::header::HeaderName) -> Option<&str> {
        self.headers.get(name).and_then(|value| value.to_str().ok())
    }
}

async fn read(response: reqwest::Response) -> Answer {
    let status = response.status();
    let headers = response.headers().clone();
    let body = response.json().await.expect("a JSON body");
    Answer {
        status,
        headers,
        body,
    }
}

impl Front {
    async fn post(&self, headers: &[(&str, &str)], body: Value) -> Answer {
        let mut request = reqwest::Client::new().post(&self.url).json(&body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        read(request.send().await.expect("the gateway answers")).await
    }

    async fn get(&self, headers: &[(&str, &str)], params: &[(&str, &str)]) -> Answer {
        let url = Url::parse_with_params(&self.url, params).expect("a valid URL");
        let mut request = reqwest::Client::new().get(url);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        read(request.send().await.expect("the gateway answers")).await
    }

    /// Requests the subgraph received since the last call.
    fn take_subgraph_requests(&self) -> usize {
        let count = self.catalog.request_count();
        self.catalog.reset();
        count
    }
}

fn persisted_query(hash: &str) -> Value {
    json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } })
}

const PARTNER: &[(&str, &str)] = &[("x-api-key", PARTNER_KEY)];
const APP: &[(&str, &str)] = &[("x-api-key", APP_KEY)];

#[tokio::test]
async fn a_partner_runs_its_manifest_operations_by_document_id_or_hash() {
    let front = start().await;
    let id = sha256_hex(ITEM_BY_ID);
    let variables = json!({ "id": "4" });
    let expected = json!({ "data": { "item": { "id": "4", "name": "Item 4" } } });

    let by_document_id = json!({ "documentId": id, "variables": variables });
    let prefixed = json!({ "documentId": format!("sha256:{id}"), "variables": variables });
    let by_hash = json!({ "extensions": persisted_query(&id), "variables": variables });
    for request in [by_document_id, prefixed, by_hash] {
        let answer = front.post(PARTNER, request.clone()).await;
        assert_eq!(answer.status, StatusCode::OK, "{request}: {}", answer.body);
        assert_eq!(answer.body, expected, "{request}");
    }
    assert_eq!(front.take_subgraph_requests(), 3);

    let mutation = json!({ "documentId": sha256_hex(ADD_ITEM), "variables": { "name": "New" } });
    let answer = front.post(PARTNER, mutation).await;
    assert_eq!(answer.body["data"]["addItem"]["id"], "9", "{}", answer.body);
}

#[tokio::test]
async fn a_partner_cannot_run_ad_hoc_queries() {
    let front = start().await;
    let ad_hoc = [
        json!({ "query": "{ items { id name } }" }),
        // Text equal to a manifest body is still text the partner chose to send.
        json!({ "query": ITEM_BY_ID, "variables": { "id": "1" } }),
        json!({ "query": ITEM_BY_ID, "extensions": persisted_query(&sha256_hex(ITEM_BY_ID)), "variables": { "id": "1" } }),
    ];
    for request in ad_hoc {
        let answer = front.post(PARTNER, request.clone()).await;
        assert_eq!(answer.code(), "PERSISTED_QUERY_NOT_ALLOWED", "{request}");
        assert_eq!(
            answer.status,
            StatusCode::OK,
            "application/json clients get 200"
        );
        assert!(answer.body.get("data").is_none(), "{}", answer.body);
    }
    let strict = [
        (ACCEPT.as_str(), GRAPHQL_RESPONSE),
        ("x-api-key", PARTNER_KEY),
    ];
    let answer = front
        .post(&strict, json!({ "query": "{ items { id } }" }))
        .await;
    assert_eq!(answer.status, StatusCode::BAD_REQUEST);
    assert_eq!(answer.code(), "PERSISTED_QUERY_NOT_ALLOWED");
    assert_eq!(
        front.take_subgraph_requests(),
        0,
        "nothing reached the subgraph"
    );
}

#[tokio::test]
async fn a_partner_cannot_run_unknown_or_other_clients_documents() {
    let front = start().await;
    let unknown = sha256_hex("query Unknown { items { id } }");
    let others = sha256_hex(LIST_ITEMS);
    for id in [unknown.as_str(), others.as_str(), "not-an-id"] {
        let answer = front.post(PARTNER, json!({ "documentId": id })).await;
        assert_eq!(answer.code(), "PERSISTED_QUERY_NOT_ALLOWED", "{id}");
    }
    for hash in [&unknown, &others] {
        let answer = front
            .post(PARTNER, json!({ "extensions": persisted_query(hash) }))
            .await;
        assert_eq!(answer.code(), "PERSISTED_QUERY_NOT_ALLOWED", "{hash}");
    }
    assert_eq!(front.take_subgraph_requests(), 0);

    let answer = front
        .post(
            &[("x-api-key", OTHER_PARTNER_KEY)],
            json!({ "documentId": others }),
        )
        .await;
    assert_eq!(
        answer.body,
        json!({ "data": { "items": [{ "name": "Rope" }] } })
    );
}

#[tokio::test]
async fn other_callers_keep_ad_hoc_queries_and_may_use_document_ids() {
    let front = start().await;
    for headers in [APP, &[]] {
        let answer = front
            .post(headers, json!({ "query": "{ items { id } }" }))
            .await;
        assert_eq!(answer.body, json!({ "data": { "items": [{ "id": "1" }] } }));
        let answer = front
            .post(headers, json!({ "documentId": sha256_hex(LIST_ITEMS) }))
            .await;
        assert_eq!(
            answer.body,
            json!({ "data": { "items": [{ "name": "Rope" }] } })
        );
    }
    let unknown = sha256_hex("query Unknown { items { id } }");
    let answer = front.post(APP, json!({ "documentId": unknown })).await;
    assert_eq!(answer.code(), "PERSISTED_QUERY_NOT_FOUND");
    let both = json!({ "documentId": sha256_hex(LIST_ITEMS), "query": LIST_ITEMS });
    let answer = front.post(APP, both).await;
    assert_eq!(answer.code(), "BAD_REQUEST");
}

#[tokio::test]
async fn apq_misses_then_registers_then_hits() {
    let front = start().await;
    let query = "query Named($id: ID!) { item(id: $id) { name } }";
    let hash = sha256_hex(query);
    let hash_only = json!({ "extensions": persisted_query(&hash), "variables": { "id": "2" } });

    // The miss is 200 even for strict clients: APQ clients read it and resend.
    let strict = [(ACCEPT.as_str(), GRAPHQL_RESPONSE), ("x-api-key", APP_KEY)];
    let miss = front.post(&strict, hash_only.clone()).await;
    assert_eq!(miss.status, StatusCode::OK, "{}", miss.body);
    assert_eq!(miss.code(), "PERSISTED_QUERY_NOT_FOUND");
    assert_eq!(miss.body["errors"][0]["message"], "PersistedQueryNotFound");
    assert_eq!(front.take_subgraph_requests(), 0);

    let register =
        json!({ "query": query, "extensions": persisted_query(&hash), "variables": { "id": "2" } });
    let registered = front.post(APP, register).await;
    assert_eq!(
        registered.body,
        json!({ "data": { "item": { "name": "Item 2" } } })
    );
    assert_eq!(front.take_subgraph_requests(), 1);

    let hit = front.post(APP, hash_only).await;
    assert_eq!(
        hit.body,
        json!({ "data": { "item": { "name": "Item 2" } } })
    );
    assert_eq!(
        front.take_subgraph_requests(),
        1,
        "the hit still runs the query"
    );

    // The hash is a store key, not the caller's: an anonymous caller hits it too.
    let upper = hash.to_ascii_uppercase();
    let hit = front
        .post(
            &[],
            json!({ "extensions": persisted_query(&upper), "variables": { "id": "3" } }),
        )
        .await;
    assert_eq!(
        hit.body,
        json!({ "data": { "item": { "name": "Item 3" } } })
    );
}

#[tokio::test]
async fn a_hash_that_does_not_match_its_query_is_refused_and_not_stored() {
    let front = start().await;
    let query = "{ items { id } }";
    let wrong = sha256_hex("{ items { name } }");
    let answer = front
        .post(
            APP,
            json!({ "query": query, "extensions": persisted_query(&wrong) }),
        )
        .await;
    assert_eq!(answer.code(), "PERSISTED_QUERY_HASH_MISMATCH");
    assert!(answer.body.get("data").is_none(), "{}", answer.body);
    assert_eq!(front.take_subgraph_requests(), 0);

    let answer = front
        .post(APP, json!({ "extensions": persisted_query(&wrong) }))
        .await;
    assert_eq!(
        answer.code(),
        "PERSISTED_QUERY_NOT_FOUND",
        "nothing was stored"
    );
}

#[tokio::test]
async fn an_invalid_query_is_never_stored() {
    let front = start().await;
    let invalid = "{ items { colour } }";
    let hash = sha256_hex(invalid);
    let answer = front
        .post(
            APP,
            json!({ "query": invalid, "extensions": persisted_query(&hash) }),
        )
        .await;
    assert_eq!(answer.code(), "GRAPHQL_VALIDATION_FAILED");
    let answer = front
        .post(APP, json!({ "extensions": persisted_query(&hash) }))
        .await;
    assert_eq!(answer.code(), "PERSISTED_QUERY_NOT_FOUND");
}

#[tokio::test]
async fn malformed_or_unsupported_persisted_queries_are_request_errors() {
    let front = start().await;
    let hash = sha256_hex("{ items { id } }");
    let version_two = json!({ "persistedQuery": { "version": 2, "sha256Hash": hash } });
    let answer = front.post(APP, json!({ "extensions": version_two })).await;
    assert_eq!(answer.code(), "PERSISTED_QUERY_VERSION_NOT_SUPPORTED");
    let short = json!({ "persistedQuery": { "version": 1, "sha256Hash": "abc" } });
    let answer = front.post(APP, json!({ "extensions": short })).await;
    assert_eq!(answer.code(), "BAD_REQUEST");
    let nothing = json!({ "extensions": { "persistedQuery": null } });
    let answer = front.post(APP, nothing).await;
    assert_eq!(
        answer.status,
        StatusCode::BAD_REQUEST,
        "no query and no document"
    );
    assert_eq!(answer.code(), "BAD_REQUEST");
    assert_eq!(front.take_subgraph_requests(), 0);
}

#[tokio::test]
async fn with_apq_off_hashes_alone_are_not_supported_but_manifests_still_work() {
    let front = start_with(ApqConfig {
        enabled: false,
        ..ApqConfig::default()
    })
    .await;
    let query = "{ items { id } }";
    let hash = sha256_hex(query);
    let answer = front
        .post(APP, json!({ "extensions": persisted_query(&hash) }))
        .await;
    assert_eq!(answer.code(), "PERSISTED_QUERY_NOT_SUPPORTED");
    assert_eq!(
        answer.body["errors"][0]["message"],
        "PersistedQueryNotSupported"
    );
    let answer = front
        .post(
            APP,
            json!({ "query": query, "extensions": persisted_query(&hash) }),
        )
        .await;
    assert_eq!(answer.code(), "PERSISTED_QUERY_NOT_SUPPORTED");

    let manifest_hash = json!({ "extensions": persisted_query(&sha256_hex(LIST_ITEMS)) });
    let answer = front.post(APP, manifest_hash).await;
    assert_eq!(
        answer.body,
        json!({ "data": { "items": [{ "name": "Rope" }] } })
    );
    let answer = front.post(APP, json!({ "query": query })).await;
    assert_eq!(answer.body, json!({ "data": { "items": [{ "id": "1" }] } }));
}

#[tokio::test]
async fn get_runs_document_ids_and_may_be_cached_without_a_user() {
    let front = start().await;
    let id = sha256_hex(ITEM_BY_ID);
    let params = [("documentId", id.as_str()), ("variables", r#"{"id":"5"}"#)];
    // A browser asking for a document gets the document, not the explorer.
    let browser = [
        ("accept", "text/html,*/*;q=0.8"),
        ("x-api-key", PARTNER_KEY),
    ];
    for headers in [PARTNER, &browser] {
        let answer = front.get(headers, &params).await;
        assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
        assert_eq!(
            answer.body,
            json!({ "data": { "item": { "id": "5", "name": "Item 5" } } })
        );
        assert_eq!(answer.header(CACHE_CONTROL), Some("public, max-age=60"));
        assert_eq!(answer.header(VARY), Some("authorization, x-api-key"));
    }

    let bearer = format!("Bearer {}", user_token());
    let answer = front.get(&[("authorization", &bearer)], &params).await;
    assert_eq!(answer.body["data"]["item"]["id"], "5", "{}", answer.body);
    assert_eq!(answer.header(CACHE_CONTROL), Some("private, no-store"));

    let ad_hoc = front.get(&[], &[("query", "{ items { id } }")]).await;
    assert_eq!(
        ad_hoc.header(CACHE_CONTROL),
        None,
        "query text in the URL is left alone"
    );
}

#[tokio::test]
async fn apq_works_over_get() {
    let front = start().await;
    let query = "{ items { name } }";
    let extensions = persisted_query(&sha256_hex(query)).to_string();
    let miss = front.get(APP, &[("extensions", &extensions)]).await;
    assert_eq!(miss.code(), "PERSISTED_QUERY_NOT_FOUND");
    assert_eq!(
        miss.header(CACHE_CONTROL),
        Some("private, no-store"),
        "a miss is never cached"
    );
    let register = front
        .get(APP, &[("query", query), ("extensions", &extensions)])
        .await;
    assert_eq!(
        register.body,
        json!({ "data": { "items": [{ "name": "Rope" }] } })
    );
    let hit = front.get(APP, &[("extensions", &extensions)]).await;
    assert_eq!(
        hit.body,
        json!({ "data": { "items": [{ "name": "Rope" }] } })
    );
}

#[tokio::test]
async fn a_mutation_document_over_get_is_405() {
    let front = start().await;
    let id = sha256_hex(ADD_ITEM);
    let answer = front
        .get(
            PARTNER,
            &[("documentId", &id), ("variables", r#"{"name":"x"}"#)],
        )
        .await;
    assert_eq!(
        answer.status,
        StatusCode::METHOD_NOT_ALLOWED,
        "{}",
        answer.body
    );
    assert_eq!(answer.header(ALLOW), Some("POST"));
    assert_eq!(front.take_subgraph_requests(), 0);
}

#[tokio::test]
async fn gateways_sharing_a_store_share_registered_queries() {
    let catalog = catalog().await;
    let sdl = supergraph_with_urls(
        &supergraph(&[("catalog", CATALOG)]),
        &[("catalog", catalog.url())],
    );
    let store = ApqStore::in_process();
    let gateway = |store: ApqStore| {
        let apq = ApqConfig {
            store,
            ..ApqConfig::default()
        };
        Gateway::new(&sdl, gateway_config(apq)).expect("the manifests are valid")
    };
    let (first, second) = (gateway(store.clone()), gateway(store));
    let query = "{ items { id } }";
    let hash = sha256_hex(query);
    let request = |query: Option<&str>| fitgraph_gateway::GraphQLRequest {
        query: query.map(str::to_owned),
        extensions: persisted_query(&hash).as_object().cloned(),
        ..Default::default()
    };
    let caller = fitgraph_auth::Identity::client("app", &[]);
    let post = fitgraph_gateway::Transport::Post;
    let registered = first.execute(request(Some(query)), post, &caller).await;
    assert_eq!(
        *registered.body(),
        json!({ "data": { "items": [{ "id": "1" }] } })
    );
    let hit = second.execute(request(None), post, &caller).await;
    assert_eq!(*hit.body(), json!({ "data": { "items": [{ "id": "1" }] } }));
}

#[tokio::test]
async fn the_gateway_refuses_to_start_with_a_manifest_that_no_longer_validates() {
    let stale = "query Stale {\n  items {\n    colour\n  }\n}\n";
    let mut config = gateway_config(ApqConfig::default());
    config.persisted.manifests = vec![ClientManifest {
        client: "partner".into(),
        origin: "schema/persisted/partner.json".into(),
        manifest: Manifest::new(vec![PersistedOperation::new(
            "Stale",
            OperationKind::Query,
            stale,
        )]),
    }];
    let sdl = supergraph(&[("catalog", CATALOG)]);
    let error = match Gateway::new(&sdl, config) {
        Err(GatewayError::Manifest(error)) => error.to_string(),
        Err(other) => panic!("the wrong error: {other}"),
        Ok(_) => panic!("a gateway started with a stale manifest"),
    };
    assert!(error.contains("schema/persisted/partner.json"), "{error}");
    assert!(error.contains("operation `Stale`"), "{error}");
    assert!(error.contains("colour"), "{error}");

    let mut config = gateway_config(ApqConfig::default());
    config.persisted.manifests = vec![partner_manifest(), partner_manifest()];
    assert!(matches!(
        Gateway::new(&sdl, config),
        Err(GatewayError::Manifest(_))
    ));
}
