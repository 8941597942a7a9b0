//! Federation: `User` representations resolve in batches, one SELECT per table,
//! and only the caller's own resolves.

use serde_json::{Value, json};
use subgraph_common::db_tests;
use subgraph_common::testing::Backend;

use crate::support::{RECORD_READINGS, as_user, reading, setup};

const ENTITIES: &str = "query($representations: [_Any!]!) { _entities(representations: $representations) { \
    ... on User { id displayName email primaryGoal equipment recovery { band } } } }";

fn representations(ids: &[String]) -> Value {
    ids.iter()
        .map(|id| json!({ "__typename": "User", "id": id }))
        .collect()
}

/// A plan list or a feedback history refers to its owner many times over; all
/// those references cost one SELECT per table, and the other users named in the
/// same batch cost nothing at all, since they resolve to null unread.
async fn entities_cost_one_select_per_table(backend: Backend) {
    let t = setup(backend).await;
    let mut ids = Vec::new();
    for n in 0..100 {
        ids.push(t.create_user(&format!("user{n:03}@example.com")).await);
    }
    let caller = as_user(&ids[7]);
    let at = chrono::Utc::now();
    let sleep = json!([reading("SLEEP_SCORE", 70.0, at, "oura")]);
    let recorded = t
        .run_as(
            &caller,
            RECORD_READINGS,
            json!({ "userId": ids[7], "readings": sleep }),
        )
        .await;
    assert_eq!(recorded["errors"], Value::Null, "{recorded}");
    t.log.clear();

    let mut requested = ids.clone();
    requested.extend(std::iter::repeat_n(ids[7].clone(), 20));
    let response = t
        .run_as(
            &caller,
            ENTITIES,
            json!({ "representations": representations(&requested) }),
        )
        .await;
    assert_eq!(response["errors"], Value::Null, "{response}");
    let entities = response["data"]["_entities"]
        .as_array()
        .expect("a list of entities");
    assert_eq!(entities.len(), 120);
    for (entity, id) in entities.iter().zip(&requested) {
        if *id != ids[7] {
            assert_eq!(*entity, Value::Null, "another user's representation");
            continue;
        }
        assert_eq!(entity["id"], json!(id));
        assert_eq!(entity["email"], "user007@example.com");
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
    let representations =
        json!({ "representations": representations(&[unknown.clone(), known.clone()]) });
    let response = t
        .run_as(&as_user(&known), ENTITIES, representations.clone())
        .await;
    assert_eq!(response["errors"], Value::Null, "{response}");
    assert_eq!(response["data"]["_entities"][0], Value::Null);
    assert_eq!(response["data"]["_entities"][1]["id"], json!(known));

    // A caller without a profile gets null for their own id as for anyone else's.
    let newcomer = t
        .run_as(&as_user(&unknown), ENTITIES, representations)
        .await;
    assert_eq!(newcomer["errors"], Value::Null, "{newcomer}");
    assert_eq!(newcomer["data"]["_entities"], json!([null, null]));
}

db_tests!(
    entities_cost_one_select_per_table,
    unknown_representations_resolve_to_null
);
