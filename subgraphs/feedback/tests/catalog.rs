//! The shared catalog read model against the real exercises subgraph.

mod exercises_support;

use std::sync::Arc;
use std::time::Duration;

use exercises_support::{exercises_server, stoppable_exercises_server};
use serde_json::json;
use subgraph_common::catalog::{CatalogClient, CatalogError, DEFAULT_MAX_AGE};
use subgraph_common::testing::test_credential;
use uuid::Uuid;

const FIRST_PAGE: &str = "{ exercises(first: 1000, filter: {includeDeprecated: true}) { totalCount pageInfo { endCursor } } }";
const AFTER: &str = "query($after: String) { exercises(first: 5, after: $after, filter: {includeDeprecated: true}) { \
    edges { node { id name category primaryMuscles } } } }";

#[tokio::test]
async fn catalog_pages_through_more_than_1000_exercises() {
    let exercises = exercises_server().await;
    let first_page = exercises.server.graphql(FIRST_PAGE, json!({})).await;
    let total = first_page["data"]["exercises"]["totalCount"]
        .as_u64()
        .expect("totalCount");
    assert!(
        total > 1000,
        "the seeded catalog needs more than one page (has {total})"
    );

    let catalog =
        CatalogClient::new(exercises.server.graphql_url()).with_credential(test_credential());
    let loaded = catalog
        .refresh()
        .await
        .expect("the exercises subgraph serves the catalog");
    assert_eq!(loaded as u64, total);

    // Exercises from the second page are there, with what the exercises subgraph says about them.
    let cursor = &first_page["data"]["exercises"]["pageInfo"]["endCursor"];
    let second_page = exercises
        .server
        .graphql(AFTER, json!({ "after": cursor }))
        .await;
    let nodes = second_page["data"]["exercises"]["edges"]
        .as_array()
        .expect("edges");
    assert!(!nodes.is_empty(), "{second_page}");
    for node in nodes.iter().map(|edge| &edge["node"]) {
        let id: Uuid = node["id"]
            .as_str()
            .and_then(|id| id.parse().ok())
            .expect("a UUID id");
        let summary = catalog
            .get(id)
            .await
            .expect("every exercise is in the catalog");
        assert_eq!(json!(summary.name), node["name"]);
        assert_eq!(json!(summary.category), node["category"]);
        assert_eq!(json!(summary.primary_muscles), node["primaryMuscles"]);
    }
    assert!(
        catalog.get(Uuid::now_v7()).await.is_none(),
        "unknown ids are absent"
    );
}

#[tokio::test]
async fn catalog_survives_the_exercises_server_going_away() {
    let exercises = stoppable_exercises_server().await;
    let catalog = CatalogClient::new(exercises.url.clone()).with_credential(test_credential());
    let loaded = catalog
        .ensure_fresh(DEFAULT_MAX_AGE)
        .await
        .expect("the first load works");
    assert!(!loaded.is_empty());
    let _db = exercises.stop().await;

    let served = catalog
        .ensure_fresh(Duration::ZERO)
        .await
        .expect("the last copy is served");
    assert!(
        Arc::ptr_eq(&loaded, &served),
        "the same copy, not a partial reload"
    );
    let err = catalog
        .refresh()
        .await
        .expect_err("nobody serves the catalog any more");
    assert!(matches!(err, CatalogError::Unreachable { .. }), "{err}");
    assert_eq!(
        catalog.exercises().await.len(),
        loaded.len(),
        "a failed refresh keeps the copy"
    );
}
