//! `exportMyData`: everything profile holds about the caller, as JSON.

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};
use subgraph_common::db_tests;
use subgraph_common::testing::Backend;

use crate::support::{RECORD_READINGS, SET_EQUIPMENT, Setup, as_user, new_subject, reading, setup};

const EXPORT: &str = "{ exportMyData { userId exportedAt profile } }";

/// Ada with equipment and 150 readings (more than a page, to show the export is
/// not the 100-row list), next to Bob with a reading of his own; returns Ada's id.
async fn ada_with_data(t: &Setup) -> String {
    let id = t.create_user("ada@example.com").await;
    let bob = t.create_user("bob@example.com").await;
    let ada = as_user(&id);
    let now = Utc::now();
    let batch: Value = (0..150_i32)
        .map(|n| {
            reading(
                "RESTING_HEART_RATE",
                50.0 + f64::from(n % 10),
                now - TimeDelta::hours(i64::from(n)),
                "polar",
            )
        })
        .collect();
    let recorded = t
        .run_as(
            &ada,
            RECORD_READINGS,
            json!({ "userId": id, "readings": batch }),
        )
        .await;
    assert_eq!(
        recorded["data"]["recordWearableReadings"]["accepted"], 150,
        "{recorded}"
    );
    let bob_batch = json!([reading("SLEEP_SCORE", 80.0, now, "oura")]);
    t.run_as(
        &as_user(&bob),
        RECORD_READINGS,
        json!({ "userId": bob, "readings": bob_batch }),
    )
    .await;
    t.run_as(
        &ada,
        SET_EQUIPMENT,
        json!({ "userId": id, "equipment": ["KETTLEBELL", "BENCH"] }),
    )
    .await;
    id
}

async fn the_export_holds_the_user_equipment_and_every_reading(backend: Backend) {
    let t = setup(backend).await;
    let id = ada_with_data(&t).await;
    let ada = as_user(&id);
    let response = t.run_as(&ada, EXPORT, json!({})).await;
    assert_eq!(response["errors"], Value::Null, "{response}");
    let export = &response["data"]["exportMyData"];
    assert_eq!(export["userId"], json!(id));
    let exported_at: DateTime<Utc> = export["exportedAt"]
        .as_str()
        .and_then(|at| at.parse().ok())
        .expect("exportedAt is a DateTime");
    assert!((Utc::now() - exported_at).num_seconds().abs() < 60);

    let profile = &export["profile"];
    let user = &profile["user"];
    assert_eq!(user["id"], json!(id));
    assert_eq!(user["email"], "ada@example.com");
    assert_eq!(user["displayName"], "Ada Lovelace");
    assert_eq!(user["birthYear"], 1990);
    assert_eq!(user["sex"], "FEMALE");
    assert_eq!(user["heightCm"], 170.5);
    assert_eq!(user["primaryGoal"], "MUSCLE_GAIN");
    assert!(
        user["createdAt"].is_string() && user["updatedAt"].is_string(),
        "{user}"
    );
    // The same stable order as `User.equipment`: the vocabulary's.
    assert_eq!(profile["equipment"], json!(["KETTLEBELL", "BENCH"]));

    let readings = profile["wearableReadings"]
        .as_array()
        .expect("a list of readings");
    assert_eq!(readings.len(), 150, "every reading, and only Ada's");
    let first = &readings[0];
    assert_eq!(first["kind"], "RESTING_HEART_RATE");
    assert_eq!(first["source"], "polar");
    assert!(
        first["id"].is_string() && first["createdAt"].is_string(),
        "{first}"
    );
    let times: Vec<DateTime<Utc>> = readings
        .iter()
        .map(|r| {
            r["recordedAt"]
                .as_str()
                .and_then(|at| at.parse().ok())
                .expect("recordedAt")
        })
        .collect();
    assert!(times.windows(2).all(|w| w[0] <= w[1]), "oldest first");
}

/// The gateway resolves the same document through the `PersonalData` entity.
async fn the_personal_data_entity_gives_the_same_document(backend: Backend) {
    let t = setup(backend).await;
    let id = ada_with_data(&t).await;
    let ada = as_user(&id);
    let export = t.run_as(&ada, EXPORT, json!({})).await;
    let profile = &export["data"]["exportMyData"]["profile"];
    let entity = t
        .run_as(
            &ada,
            "query($r: [_Any!]!) { _entities(representations: $r) { ... on PersonalData { userId profile } } }",
            json!({ "r": [{ "__typename": "PersonalData", "userId": id }] }),
        )
        .await;
    assert_eq!(entity["errors"], Value::Null, "{entity}");
    assert_eq!(entity["data"]["_entities"][0]["profile"], *profile);
}

/// Someone without a profile (who may still have data elsewhere) exports an empty
/// profile part rather than an error.
async fn a_caller_without_a_profile_exports_an_empty_document(backend: Backend) {
    let t = setup(backend).await;
    t.create_user("ada@example.com").await;
    let subject = new_subject();
    let response = t.run_as(&as_user(&subject), EXPORT, json!({})).await;
    assert_eq!(response["errors"], Value::Null, "{response}");
    assert_eq!(response["data"]["exportMyData"]["userId"], json!(subject));
    assert_eq!(
        response["data"]["exportMyData"]["profile"],
        json!({ "user": null, "equipment": [], "wearableReadings": [] })
    );
}

db_tests!(
    the_export_holds_the_user_equipment_and_every_reading,
    the_personal_data_entity_gives_the_same_document,
    a_caller_without_a_profile_exports_an_empty_document,
);
