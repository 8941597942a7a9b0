//! Federation: `User` representations resolve in batches, one SELECT per table.

use serde_json::{Value, json};
use subgraph_common::db_tests;
use subgraph_common::testing::Backend;

use crate::support::{RECORD_READINGS, reading, setup};

const ENTITIES: &str = "query($representations: [_Any!]!) { _entities(representations: $representations) { \
    ... on User { id displayName email primaryGoal equipment recovery { band } } } }";

fn representations(ids: &[String]) -> Value {
    ids.iter()
        .map(|id| json!({ "__typename": "User", "id": id }))
        .collect()
}

async fn entities_cost_one_select_per_table(backend: Backend) {
    let t = setup(backend).await;
    let mut ids = Vec::new();
    for n in 0..100 {
        ids.push(t.create_user(&format!("user{n:03}@example.com")).await);
    }
    let at = chrono::Utc::now();
    let sleep = json!([reading("SLEEP_SCORE", 70.0, at, "oura")]);
    let recorded = t
        .run(
            RECORD_READINGS,
            json!({ "userId": ids[7], "readings": sleep }),
        )
        .await;
    assert_eq!(recorded["errors"], Value::Null, "{recorded}");
    t.log.clear();

    let response = t
        .run(
            ENTITIES,
            json!({ "representations": representations(&ids) }),
        )
        .await;
    assert_eq!(response["errors"], Value::Null, "{response}");
    let entities = response["data"]["_entities"]
        .as_array()
        .expect("a list of entities");
    assert_eq!(entities.len(), 100);
    for (n, (entity, id)) in entities.iter().zip(&ids).enumerate() {
        assert_eq!(entity["id"], json!(id));
        assert_eq!(entity["email"], format!("user{n:03}@example.com"));
        assert_eq!(entity["equipment"], json!(["BARBELL", "DUMBBELL"]));
        assert_eq!(entity["recovery"]["band"], "UNKNOWN");
    }
    assert_eq!(t.log.selects_from("users"), 1, "{:#?}", t.log.statements());
    assert_eq!(
        t.log.selects_from("user_equipment"),
        1,
        "{:#?}",
        t.log.statements()
    );
    assert_eq!(
        t.log.selects_from("wearable_readings"),
        1,
        "{:#?}",
        t.log.statements()
    );
    assert_eq!(t.log.statements().len(), 3, "{:#?}", t.log.statements());
}

async fn unknown_representations_resolve_to_null(backend: Backend) {
    let t = setup(backend).await;
    let known = t.create_user("ada@example.com").await;
    let unknown = "0190b2c4-7a6e-7000-8000-000000000000".to_owned();
    let response = t
        .run(
            ENTITIES,
            json!({ "representations": representations(&[unknown, known.clone()]) }),
        )
        .await;
    assert_eq!(response["errors"], Value::Null, "{response}");
    assert_eq!(response["data"]["_entities"][0], Value::Null);
    assert_eq!(response["data"]["_entities"][1]["id"], json!(known));
}

db_tests!(
    entities_cost_one_select_per_table,
    unknown_representations_resolve_to_null
);
