//! Request deduplication: identical subgraph requests in flight at the same
//! moment go out once and share the answer — for the same identity only, never
//! for mutations, and only while the first is still in flight.

mod common;

use std::collections::HashSet;
use std::time::Duration;

use common::{Harness, supergraph};
use fitgraph_auth::Identity;
use fitgraph_gateway::executor::DedupConfig;
use fitgraph_gateway::{AnonymousAccess, GatewayConfig, GraphQLRequest, Transport};
use fitgraph_gateway_testkit::{Behavior, FixtureSubgraph};
use futures::future::join_all;
use serde_json::{Value, json};

const CATALOG: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { product(upc: String!): Product }
type Mutation { touch(upc: String!): Product }
type Product @key(fields: "upc") { upc: String! name: String! }
"#;

async fn harness(dedup: DedupConfig) -> Harness {
    let catalog = FixtureSubgraph::new("catalog", CATALOG)
        .query(json!({ "product": { "upc": "1", "name": "Table" } }))
        .mutation(json!({ "touch": { "upc": "1", "name": "Table" } }));
    let config = GatewayConfig {
        anonymous_access: AnonymousAccess::Everything,
        dedup,
        ..GatewayConfig::default()
    };
    let harness =
        Harness::start_with(&supergraph(&[("catalog", CATALOG)]), vec![catalog], config).await;
    // Slow enough that concurrent requests overlap.
    harness
        .subgraph("catalog")
        .set_behavior(Behavior::Delay(Duration::from_millis(300)));
    harness
}

/// Runs `query` `times` times at once for each caller; returns every body.
async fn concurrently(
    harness: &Harness,
    query: &str,
    callers: &[Identity],
    times: usize,
) -> Vec<Value> {
    let runs = callers.iter().flat_map(|caller| {
        (0..times).map(move |_| {
            let request = GraphQLRequest {
                query: Some(query.to_owned()),
                ..GraphQLRequest::default()
            };
            harness.gateway.execute(request, Transport::Post, caller)
        })
    });
    join_all(runs)
        .await
        .into_iter()
        .map(|response| response.into_body())
        .collect()
}

const QUERY: &str = r#"{ product(upc: "1") { name } }"#;

#[tokio::test]
async fn identical_queries_in_flight_together_go_out_once() {
    let harness = harness(DedupConfig::default()).await;
    let answers = concurrently(&harness, QUERY, &[Identity::user("u1", &[])], 8).await;
    assert!(
        answers
            .iter()
            .all(|a| a == &json!({ "data": { "product": { "name": "Table" } } })),
        "{answers:?}"
    );
    assert_eq!(harness.subgraph("catalog").request_count(), 1);
    assert_eq!(
        harness.gateway.shared_requests_in_flight(),
        0,
        "answered requests leave the map"
    );
    // Afterwards the same request is asked afresh: sharing is not caching.
    concurrently(&harness, QUERY, &[Identity::user("u1", &[])], 1).await;
    assert_eq!(harness.subgraph("catalog").request_count(), 2);
}

#[tokio::test]
async fn different_identities_never_share_an_answer() {
    let harness = harness(DedupConfig::default()).await;
    let callers = [
        Identity::user("u1", &[]),
        Identity::user("u2", &[]),
        Identity::anonymous(),
    ];
    concurrently(&harness, QUERY, &callers, 4).await;
    assert_eq!(
        harness.subgraph("catalog").request_count(),
        3,
        "one per identity"
    );
}

#[tokio::test]
async fn mutations_are_always_sent_one_by_one() {
    let harness = harness(DedupConfig::default()).await;
    let mutation = r#"mutation { touch(upc: "1") { name } }"#;
    concurrently(&harness, mutation, &[Identity::user("u1", &[])], 4).await;
    assert_eq!(harness.subgraph("catalog").request_count(), 4);
}

#[tokio::test]
async fn deduplication_can_be_turned_off_everywhere_or_per_subgraph() {
    let off = harness(DedupConfig {
        enabled: false,
        ..DedupConfig::default()
    })
    .await;
    concurrently(&off, QUERY, &[Identity::user("u1", &[])], 4).await;
    assert_eq!(off.subgraph("catalog").request_count(), 4);

    let exempt = DedupConfig {
        enabled: true,
        exempt_subgraphs: HashSet::from(["catalog".to_owned()]),
    };
    let exempt = harness(exempt).await;
    concurrently(&exempt, QUERY, &[Identity::user("u1", &[])], 4).await;
    assert_eq!(exempt.subgraph("catalog").request_count(), 4);
}
