//! Federation: `_entities` batches through the DataLoaders, in process and over
//! HTTP, and the published SDL matches the checked-in file.

mod common;

use common::{create, data, draft, run, schema};
use exercises_subgraph::{Migrator, router, sdl};
use serde_json::{Value, json};
use subgraph_common::db_tests;
use subgraph_common::testing::{
    Backend, StatementLog, TestDatabase, assert_schema_file, spawn_router,
};
use subgraph_common::vocab::{Equipment, MovementPattern, Muscle};

db_tests!(
    hundred_representations_cost_one_select_per_table,
    entities_batch_over_http_too
);

const ENTITIES: &str = "query($representations: [_Any!]!) {
  _entities(representations: $representations) {
    ... on Exercise { id name primaryMuscles secondaryMuscles videoUrl } } }";

/// 100 exercises and the representations a gateway would send for them.
async fn hundred_exercises(conn: &sea_orm::DatabaseConnection) -> (Vec<String>, Value) {
    let mut ids = Vec::new();
    for n in 0..100 {
        let mut new = draft(
            &format!("Press Variation {n:03}"),
            &[Muscle::Chest],
            Equipment::Dumbbell,
            MovementPattern::HorizontalPush,
        );
        new.secondary_muscles = vec![Muscle::Triceps];
        ids.push(create(conn, new).await.id.to_string());
    }
    // Reversed, so the answer's order must follow the request, not the table.
    ids.reverse();
    let representations: Vec<Value> = ids
        .iter()
        .map(|id| json!({ "__typename": "Exercise", "id": id }))
        .collect();
    (ids, json!({ "representations": representations }))
}

fn assert_resolved(entities: &Value, ids: &[String]) {
    let entities = entities.as_array().expect("_entities is a list");
    assert_eq!(entities.len(), ids.len());
    for (entity, id) in entities.iter().zip(ids) {
        assert_eq!(&entity["id"], id);
        assert_eq!(entity["primaryMuscles"], json!(["CHEST"]));
        assert_eq!(entity["secondaryMuscles"], json!(["TRICEPS"]));
    }
}

async fn hundred_representations_cost_one_select_per_table(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let mut conn = db.migrated::<Migrator>().await;
    let log = StatementLog::attach(&mut conn);
    let schema = schema(&conn);
    let (ids, variables) = hundred_exercises(&conn).await;
    log.clear();
    let found = data(&schema, ENTITIES, variables).await;
    assert_resolved(&found["_entities"], &ids);
    assert_eq!(log.selects_from("exercises"), 1, "{:#?}", log.statements());
    assert_eq!(
        log.selects_from("exercise_muscles"),
        1,
        "{:#?}",
        log.statements()
    );
}

async fn entities_batch_over_http_too(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let mut conn = db.migrated::<Migrator>().await;
    let log = StatementLog::attach(&mut conn);
    let schema = schema(&conn);
    let (ids, variables) = hundred_exercises(&conn).await;
    let server = spawn_router(router(schema, subgraph_common::testing::test_credential())).await;
    log.clear();
    let response = server.graphql(ENTITIES, variables).await;
    assert!(response.get("errors").is_none(), "{response}");
    assert_resolved(&response["data"]["_entities"], &ids);
    assert_eq!(log.selects_from("exercises"), 1, "{:#?}", log.statements());
    assert_eq!(
        log.selects_from("exercise_muscles"),
        1,
        "{:#?}",
        log.statements()
    );

    let unknown = json!({ "representations": [{ "__typename": "Exercise", "id": uuid::Uuid::now_v7().to_string() }] });
    let response = server.graphql(ENTITIES, unknown).await;
    assert_eq!(
        response,
        json!({ "data": { "_entities": [null] } }),
        "an unknown entity resolves to null"
    );
}

#[test]
fn sdl_matches_checked_in_schema() {
    let sdl = sdl();
    assert!(sdl.contains("@link"), "federation v2 SDL links the spec");
    assert!(
        sdl.contains(r#"type Exercise @key(fields: "id")"#),
        "Exercise is an entity"
    );
    assert_schema_file(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../schema/exercises.graphql"
        ),
        &sdl,
    );
}

#[tokio::test]
async fn sdl_is_what_the_service_field_publishes() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let conn = db.migrated::<Migrator>().await;
    let response = run(&schema(&conn), "{ _service { sdl } }", json!({})).await;
    assert_eq!(
        response["data"]["_service"]["sdl"].as_str(),
        Some(sdl().as_str())
    );
}
