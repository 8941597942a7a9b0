//! The same flows over real HTTP, as the gateway and the CLI reach the subgraph.

use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};
use subgraph_common::db_tests;
use subgraph_common::testing::{Backend, TestServer, error_codes, spawn_router};

use crate::support::{
    CREATE_USER, RECORD_READINGS, Rows, SET_EQUIPMENT, message, onboarding, reading, setup,
};

async fn create(server: &TestServer, email: &str) -> String {
    let response = server
        .graphql(CREATE_USER, json!({ "input": onboarding(email) }))
        .await;
    assert_eq!(response["errors"], Value::Null, "{response}");
    response["data"]["createUser"]["id"]
        .as_str()
        .expect("an id")
        .to_owned()
}

async fn http_onboarding_and_errors(backend: Backend) {
    let t = setup(backend).await;
    let server = spawn_router(profile_subgraph::router(t.schema.clone())).await;
    let id = create(&server, "Ada@Example.com").await;
    let found = server
        .graphql(
            "query($id: ID!) { user(id: $id) { email equipment } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        found["data"]["user"],
        json!({ "email": "ada@example.com", "equipment": ["BARBELL", "DUMBBELL"] })
    );

    let mut too_many_days = onboarding("bob@example.com");
    too_many_days["daysPerWeek"] = json!(9);
    let rejected = server
        .graphql(CREATE_USER, json!({ "input": too_many_days }))
        .await;
    assert_eq!(error_codes(&rejected), ["BAD_USER_INPUT"]);
    assert_eq!(
        message(&rejected),
        "daysPerWeek must be between 1 and 7 (got 9)"
    );

    let mut too_short = onboarding("bob@example.com");
    too_short["sessionMinutes"] = json!(5);
    let rejected = server
        .graphql(CREATE_USER, json!({ "input": too_short }))
        .await;
    assert_eq!(error_codes(&rejected), ["BAD_USER_INPUT"]);

    let duplicate = server
        .graphql(
            CREATE_USER,
            json!({ "input": onboarding("ADA@example.com") }),
        )
        .await;
    assert_eq!(error_codes(&duplicate), ["CONFLICT"]);

    let unknown = "0190b2c4-7a6e-7000-8000-000000000000";
    let missing = server
        .graphql(
            SET_EQUIPMENT,
            json!({ "userId": unknown, "equipment": ["CABLE"] }),
        )
        .await;
    assert_eq!(error_codes(&missing), ["NOT_FOUND"]);

    let invalid_document = server
        .graphql("{ user(id: \"x\") { shoeSize } }", json!({}))
        .await;
    assert_eq!(
        error_codes(&invalid_document),
        ["GRAPHQL_VALIDATION_FAILED"]
    );
    assert_eq!(
        t.rows().await,
        Rows {
            users: 1,
            equipment: 2,
            readings: 0
        }
    );
}

async fn http_equipment_readings_and_recovery(backend: Backend) {
    let t = setup(backend).await;
    let server = spawn_router(profile_subgraph::router(t.schema.clone())).await;
    let id = create(&server, "ada@example.com").await;

    let replaced = server
        .graphql(
            SET_EQUIPMENT,
            json!({ "userId": id, "equipment": ["TRAP_BAR"] }),
        )
        .await;
    assert_eq!(
        replaced["data"]["setEquipment"]["equipment"],
        json!(["TRAP_BAR"]),
        "{replaced}"
    );
    assert_eq!(t.rows().await.equipment, 1);

    let now = Utc::now();
    let batch: Value = (0..5)
        .map(|day| reading("SLEEP_MINUTES", 420.0, now - TimeDelta::days(day), "fitbit"))
        .collect();
    let first = server
        .graphql(RECORD_READINGS, json!({ "userId": id, "readings": batch }))
        .await;
    assert_eq!(
        first["data"]["recordWearableReadings"],
        json!({ "accepted": 5, "duplicates": 0 }),
        "{first}"
    );
    let again = server
        .graphql(RECORD_READINGS, json!({ "userId": id, "readings": batch }))
        .await;
    assert_eq!(
        again["data"]["recordWearableReadings"],
        json!({ "accepted": 0, "duplicates": 5 }),
        "{again}"
    );

    let invalid = json!([
        reading("SLEEP_MINUTES", 420.0, now, "fitbit"),
        reading("SLEEP_SCORE", -1.0, now, "fitbit")
    ]);
    let rejected = server
        .graphql(
            RECORD_READINGS,
            json!({ "userId": id, "readings": invalid }),
        )
        .await;
    assert_eq!(error_codes(&rejected), ["BAD_USER_INPUT"]);
    assert!(message(&rejected).starts_with("readings[1]:"), "{rejected}");
    assert_eq!(t.rows().await.readings, 5);

    let recovery = server
        .graphql(
            "query($id: ID!) { user(id: $id) { recovery { band readingsUsed reasons } } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        recovery["data"]["user"]["recovery"]["band"], "UNKNOWN",
        "{recovery}"
    );
    assert_eq!(
        recovery["data"]["user"]["recovery"]["readingsUsed"], 3,
        "sleep minutes of days 1-3"
    );

    let entities = server
        .graphql(
            "query($r: [_Any!]!) { _entities(representations: $r) { ... on User { id equipment } } }",
            json!({ "r": [{ "__typename": "User", "id": id }] }),
        )
        .await;
    assert_eq!(
        entities["data"]["_entities"],
        json!([{ "id": id, "equipment": ["TRAP_BAR"] }])
    );
}

async fn http_service_sdl_is_the_published_sdl(backend: Backend) {
    let t = setup(backend).await;
    let server = spawn_router(profile_subgraph::router(t.schema.clone())).await;
    let response = server.graphql("{ _service { sdl } }", json!({})).await;
    assert_eq!(
        response["data"]["_service"]["sdl"],
        json!(profile_subgraph::sdl())
    );
}

db_tests!(
    http_onboarding_and_errors,
    http_equipment_readings_and_recovery,
    http_service_sdl_is_the_published_sdl
);
