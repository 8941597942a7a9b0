//! Persisted queries through the real stack (see `support`): the shipped partner
//! manifest `schema/persisted/acme-coach.json` run by the partner's API key, and
//! automatic persisted queries registered on one gateway instance and found by
//! another, over a shared in-process store and over Redis.

mod support;

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use fitgraph_gateway::GatewayConfig;
use fitgraph_gateway::apq::{ApqConfig, ApqStore, sha256_hex};
use fitgraph_gateway::auth::ApiKeyConfig;
use fitgraph_gateway::persisted::{ClientManifest, Manifest, PersistedConfig};
use serde_json::{Value, json};
use subgraph_common::cache::RedisCache;
use subgraph_common::testing::Backend;
use support::Stack;

const PARTNER_KEY: &str = "acme-coach-e2e-key";
const MANIFEST: &str = "schema/persisted/acme-coach.json";

/// The id of the shipped manifest's operation called `name`.
fn operation_id(manifest: &Manifest, name: &str) -> String {
    manifest
        .operations
        .iter()
        .find(|operation| operation.name == name)
        .unwrap_or_else(|| panic!("{MANIFEST} has no operation {name}"))
        .id
        .clone()
}

async fn post(url: &str, headers: &[(&str, &str)], body: Value) -> Value {
    let mut request = reqwest::Client::new().post(url).json(&body);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("the gateway answers");
    response.json().await.expect("a JSON body")
}

async fn get(url: &str, headers: &[(&str, &str)], params: &[(&str, &str)]) -> Value {
    let url = reqwest::Url::parse_with_params(url, params).expect("a valid URL");
    let mut request = reqwest::Client::new().get(url);
    for (name, value) in headers {
        request = request.header(*name, *value);
    }
    let response = request.send().await.expect("the gateway answers");
    response.json().await.expect("a JSON body")
}

fn code(body: &Value) -> &str {
    body["errors"][0]["extensions"]["code"]
        .as_str()
        .unwrap_or("<none>")
}

#[tokio::test]
async fn the_partner_key_runs_its_shipped_manifest_and_nothing_else() {
    let stack = Stack::start(Backend::Sqlite).await;
    stack.seed_library().await;
    let shipped = ClientManifest::load("acme-coach", Path::new(MANIFEST))
        .expect("the shipped manifest loads");
    let manifest = shipped.manifest.clone();
    let config = GatewayConfig {
        persisted: PersistedConfig {
            manifests: vec![shipped],
            ..PersistedConfig::default()
        },
        ..GatewayConfig::default()
    };
    let key = ApiKeyConfig {
        name: "acme-coach".into(),
        key: PARTNER_KEY.into(),
        scopes: Vec::new(),
        manifest: Some(MANIFEST.into()),
    };
    let url = stack.spawn_gateway(config, vec![key]).await;
    let partner = [("x-api-key", PARTNER_KEY)];

    let search = json!({
        "documentId": operation_id(&manifest, "SearchExercises"),
        "variables": { "text": "squat", "first": 3 },
    });
    let found = post(&url, &partner, search).await;
    assert_eq!(found.get("errors"), None, "{found:#}");
    let edges = found["data"]["exercises"]["edges"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    assert_eq!(edges.len(), 3, "{found:#}");
    let slug = edges[0]["node"]["slug"]
        .as_str()
        .expect("a slug")
        .to_owned();

    let by_slug = operation_id(&manifest, "ExerciseBySlug");
    let variables = json!({ "slug": slug }).to_string();
    let detail = get(
        &url,
        &partner,
        &[("documentId", &by_slug), ("variables", &variables)],
    )
    .await;
    assert_eq!(
        detail["data"]["exerciseBySlug"]["slug"],
        json!(slug),
        "{detail:#}"
    );
    assert!(
        detail["data"]["exerciseBySlug"]["instructions"].is_array(),
        "{detail:#}"
    );

    // The other operations run for a partner without a user token too.
    let id = edges[0]["node"]["id"].clone();
    let others = [
        ("ExerciseById", json!({ "id": id }), "exercise"),
        (
            "ExerciseAlternatives",
            json!({ "exerciseId": id, "first": 2 }),
            "alternatives",
        ),
        (
            "WorkoutTemplates",
            json!({ "goal": "MUSCLE_GAIN" }),
            "templates",
        ),
    ];
    for (name, variables, field) in others {
        let request =
            json!({ "documentId": operation_id(&manifest, name), "variables": variables });
        let answer = post(&url, &partner, request).await;
        assert_eq!(answer.get("errors"), None, "{name}: {answer:#}");
        let value = &answer["data"][field];
        let found = value.is_object() || value.as_array().is_some_and(|items| !items.is_empty());
        assert!(found, "{name}: {answer:#}");
    }

    stack.reset_counts();
    let ad_hoc = post(
        &url,
        &partner,
        json!({ "query": "{ exercises(first: 1) { totalCount } }" }),
    )
    .await;
    assert_eq!(code(&ad_hoc), "PERSISTED_QUERY_NOT_ALLOWED", "{ad_hoc:#}");
    let unknown = json!({ "documentId": sha256_hex("query Other { exercises { totalCount } }") });
    let refused = post(&url, &partner, unknown).await;
    assert_eq!(code(&refused), "PERSISTED_QUERY_NOT_ALLOWED", "{refused:#}");
    assert_eq!(
        stack.counts(),
        [0; 4],
        "a refused request reached a subgraph"
    );
}

/// The query registered on one gateway and run by hash alone on the other.
const QUERY: &str = "query Library { exercises(first: 2) { totalCount } }";

/// Two gateway instances over one stack, each with its own handle on the store:
/// a hash unknown to both misses, is registered through the first, and the
/// second then runs it from the hash alone.
async fn apq_is_shared_between_gateway_instances(first: ApqStore, second: ApqStore) {
    let stack = Stack::start(Backend::Sqlite).await;
    let gateway = |store| GatewayConfig {
        persisted: PersistedConfig {
            apq: ApqConfig {
                store,
                // Long enough for the test, short enough not to linger in Redis.
                ttl: Duration::from_secs(300),
                ..ApqConfig::default()
            },
            ..PersistedConfig::default()
        },
        ..GatewayConfig::default()
    };
    let first = stack.spawn_gateway(gateway(first), Vec::new()).await;
    let second = stack.spawn_gateway(gateway(second), Vec::new()).await;
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": sha256_hex(QUERY) } });
    let hash_only = json!({ "extensions": extensions });

    let miss = post(&second, &[], hash_only.clone()).await;
    assert_eq!(code(&miss), "PERSISTED_QUERY_NOT_FOUND", "{miss:#}");
    let registered = post(
        &first,
        &[],
        json!({ "query": QUERY, "extensions": extensions }),
    )
    .await;
    assert_eq!(
        registered,
        json!({ "data": { "exercises": { "totalCount": 0 } } })
    );

    stack.reset_counts();
    let hit = post(&second, &[], hash_only).await;
    assert_eq!(hit, json!({ "data": { "exercises": { "totalCount": 0 } } }));
    assert_eq!(
        stack.counts(),
        [0, 1, 0, 0],
        "the hit runs on the exercises subgraph"
    );
}

#[tokio::test]
async fn apq_is_shared_by_gateways_sharing_an_in_process_store() {
    let store = ApqStore::in_process();
    apq_is_shared_between_gateway_instances(store.clone(), store).await;
}

#[tokio::test]
#[ignore = "Redis: set TEST_REDIS_URL and run with --ignored"]
async fn apq_is_shared_by_gateways_over_redis() {
    let url = std::env::var("TEST_REDIS_URL")
        .expect("Redis tests need TEST_REDIS_URL, e.g. redis://127.0.0.1:6379");
    // A namespace of its own, so runs never see each other's registrations.
    let namespace = format!("fitgraph-test-{}", uuid::Uuid::now_v7());
    let connect = || async {
        let redis = RedisCache::connect(&url, &namespace)
            .await
            .expect("Redis is reachable at TEST_REDIS_URL");
        ApqStore::new(Arc::new(redis))
    };
    apq_is_shared_between_gateway_instances(connect().await, connect().await).await;
}
