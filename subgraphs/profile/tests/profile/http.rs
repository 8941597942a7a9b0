//! The same flows over real HTTP, as the gateway and the CLI reach the subgraph.

use chrono::{TimeDelta, Utc};
use serde_json::{Value, json};
use subgraph_common::access::{GatewayCredential, TrustMode};
use subgraph_common::db_tests;
use subgraph_common::testing::{Backend, TestServer, error_codes, spawn_router, test_credential};

use crate::support::{
    CREATE_USER, RECORD_READINGS, Rows, SET_EQUIPMENT, Setup, as_user, message, new_subject,
    onboarding, reading, setup,
};

async fn serve(t: &Setup) -> TestServer {
    spawn_router(profile_subgraph::router(
        t.schema.clone(),
        test_credential(),
    ))
    .await
}

/// Onboards a fresh subject over HTTP and returns their id.
async fn create(server: &TestServer, email: &str) -> String {
    let subject = new_subject();
    let response = server
        .graphql_as(
            &as_user(&subject),
            CREATE_USER,
            json!({ "input": onboarding(email) }),
        )
        .await;
    assert_eq!(response["errors"], Value::Null, "{response}");
    let id = response["data"]["createUser"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    assert_eq!(id, subject);
    id
}

/// Records `readings` over HTTP as user `id`.
async fn record(server: &TestServer, id: &str, readings: &Value) -> Value {
    let variables = json!({ "userId": id, "readings": readings });
    server
        .graphql_as(&as_user(id), RECORD_READINGS, variables)
        .await
}

async fn http_onboarding_and_errors(backend: Backend) {
    let t = setup(backend).await;
    let server = serve(&t).await;
    let id = create(&server, "Ada@Example.com").await;
    let found = server
        .graphql_as(
            &as_user(&id),
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
    let bob = as_user(&new_subject());
    let rejected = server
        .graphql_as(&bob, CREATE_USER, json!({ "input": too_many_days }))
        .await;
    assert_eq!(error_codes(&rejected), ["BAD_USER_INPUT"]);
    assert_eq!(
        message(&rejected),
        "daysPerWeek must be between 1 and 7 (got 9)"
    );

    let mut too_short = onboarding("bob@example.com");
    too_short["sessionMinutes"] = json!(5);
    let rejected = server
        .graphql_as(&bob, CREATE_USER, json!({ "input": too_short }))
        .await;
    assert_eq!(error_codes(&rejected), ["BAD_USER_INPUT"]);

    let duplicate = server
        .graphql_as(
            &bob,
            CREATE_USER,
            json!({ "input": onboarding("ADA@example.com") }),
        )
        .await;
    assert_eq!(error_codes(&duplicate), ["CONFLICT"]);

    let unknown = "0190b2c4-7a6e-7000-8000-000000000000";
    let missing = server
        .graphql_as(
            &as_user(unknown),
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
    let server = serve(&t).await;
    let id = create(&server, "ada@example.com").await;
    let ada = as_user(&id);

    let replaced = server
        .graphql_as(
            &ada,
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
    let first = record(&server, &id, &batch).await;
    assert_eq!(
        first["data"]["recordWearableReadings"],
        json!({ "accepted": 5, "duplicates": 0 }),
        "{first}"
    );
    let again = record(&server, &id, &batch).await;
    assert_eq!(
        again["data"]["recordWearableReadings"],
        json!({ "accepted": 0, "duplicates": 5 }),
        "{again}"
    );

    let invalid = json!([
        reading("SLEEP_MINUTES", 420.0, now, "fitbit"),
        reading("SLEEP_SCORE", -1.0, now, "fitbit")
    ]);
    let rejected = record(&server, &id, &invalid).await;
    assert_eq!(error_codes(&rejected), ["BAD_USER_INPUT"]);
    assert!(message(&rejected).starts_with("readings[1]:"), "{rejected}");
    assert_eq!(t.rows().await.readings, 5);

    let recovery = server
        .graphql_as(
            &ada,
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
        .graphql_as(
            &ada,
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
    let server = serve(&t).await;
    let response = server.graphql("{ _service { sdl } }", json!({})).await;
    assert_eq!(
        response["data"]["_service"]["sdl"],
        json!(profile_subgraph::sdl())
    );
}

/// Only the gateway may call: a request without its credential, or signed with
/// another secret, is refused before GraphQL runs, and writes nothing.
async fn http_requests_without_the_gateway_credential_are_refused(backend: Backend) {
    let t = setup(backend).await;
    let server = serve(&t).await;
    let input = json!({ "input": onboarding("ada@example.com") });
    let (status, body) = server.graphql_unsigned(CREATE_USER, input.clone()).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(error_codes(&body), ["UNAUTHENTICATED"], "{body}");
    assert_eq!(body["data"], Value::Null);

    let forged = GatewayCredential::new("not-the-gateway-secret-0123456789abcdef", TrustMode::Hmac)
        .expect("the forged secret is long enough");
    let request = json!({ "query": CREATE_USER, "variables": input }).to_string();
    let headers = forged.headers(
        &as_user(&new_subject()),
        request.as_bytes(),
        std::time::SystemTime::now(),
    );
    let response = reqwest::Client::new()
        .post(server.graphql_url())
        .header("content-type", "application/json")
        .headers(headers)
        .body(request)
        .send()
        .await
        .expect("the test server is running");
    assert_eq!(response.status().as_u16(), 401);
    let body: Value = response.json().await.expect("a JSON refusal");
    assert_eq!(error_codes(&body), ["UNAUTHENTICATED"], "{body}");

    // Signed by the gateway but for no user: the resolver refuses.
    let anonymous = server.graphql(CREATE_USER, input).await;
    assert_eq!(error_codes(&anonymous), ["UNAUTHENTICATED"], "{anonymous}");
    assert_eq!(
        t.rows().await,
        Rows {
            users: 0,
            equipment: 0,
            readings: 0
        }
    );
}

db_tests!(
    http_requests_without_the_gateway_credential_are_refused,
    http_onboarding_and_errors,
    http_equipment_readings_and_recovery,
    http_service_sdl_is_the_published_sdl
);
