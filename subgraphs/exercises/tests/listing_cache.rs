//! Listings are served from memory between changes: an edit through this instance
//! shows in the very next listing, and one through another instance sharing the
//! event bus shows within moments.

mod common;

use std::time::Duration;

use common::{data, data_as, editor, input, settings};
use exercises_subgraph::Migrator;
use serde_json::{Value, json};
use subgraph_common::db_tests;
use subgraph_common::testing::{Backend, TestDatabase};

db_tests!(
    an_edit_shows_in_the_next_listing,
    an_edit_elsewhere_shows_within_moments,
);

const CREATE: &str = "mutation($input: ExerciseInput!) { createExercise(input: $input) { id } }";
const RENAME: &str =
    "mutation($id: ID!, $name: String!) { updateExercise(id: $id, input: { name: $name }) { id } }";
const LIST: &str =
    "{ exercises(first: 50, filter: { text: \"goblet\" }) { totalCount edges { node { name } } } }";

fn names(listing: &Value) -> Vec<String> {
    listing["exercises"]["edges"]
        .as_array()
        .expect("edges")
        .iter()
        .filter_map(|edge| edge["node"]["name"].as_str().map(str::to_owned))
        .collect()
}

async fn an_edit_shows_in_the_next_listing(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let schema = exercises_subgraph::schema(conn, &settings());
    assert_eq!(
        data(&schema, LIST, json!({})).await["exercises"]["totalCount"],
        0
    );

    let created = data_as(
        &schema,
        &editor(),
        CREATE,
        json!({ "input": input("Goblet Squat") }),
    )
    .await;
    let listed = data(&schema, LIST, json!({})).await;
    assert_eq!(names(&listed), ["Goblet Squat"]);
    assert_eq!(listed["exercises"]["totalCount"], 1);

    let id = created["createExercise"]["id"].clone();
    let rename = json!({ "id": id, "name": "Heels-Up Goblet Squat" });
    data_as(&schema, &editor(), RENAME, rename).await;
    assert_eq!(
        names(&data(&schema, LIST, json!({})).await),
        ["Heels-Up Goblet Squat"]
    );
}

async fn an_edit_elsewhere_shows_within_moments(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let bus = subgraph_common::events::in_process();
    let reader = exercises_subgraph::schema_with_bus(conn.clone(), &settings(), bus.clone());
    let writer = exercises_subgraph::schema_with_bus(conn, &settings(), bus);
    assert_eq!(
        names(&data(&reader, LIST, json!({})).await),
        Vec::<String>::new()
    );

    data_as(
        &writer,
        &editor(),
        CREATE,
        json!({ "input": input("Goblet Squat") }),
    )
    .await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        if names(&data(&reader, LIST, json!({})).await) == ["Goblet Squat"] {
            break;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the other instance still lists the old page"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}
