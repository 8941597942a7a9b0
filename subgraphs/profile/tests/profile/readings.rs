//! Recording wearable readings: idempotency, whole-batch validation, listing.

use chrono::{SubsecRound, TimeDelta, Utc};
use serde_json::{Value, json};
use subgraph_common::db_tests;
use subgraph_common::testing::{Backend, error_codes};

use crate::support::{RECORD_READINGS, as_user, message, reading, setup};

async fn recording_twice_reports_duplicates(backend: Backend) {
    let t = setup(backend).await;
    let id = t.create_user("ada@example.com").await;
    let ada = as_user(&id);
    let at = Utc::now() - TimeDelta::hours(3);
    let batch = json!([
        reading("HRV_RMSSD", 61.5, at, "garmin"),
        reading("RESTING_HEART_RATE", 52.0, at, "garmin"),
        reading("HRV_RMSSD", 58.0, at, "oura"),
    ]);
    let first = t
        .run_as(
            &ada,
            RECORD_READINGS,
            json!({ "userId": id, "readings": batch }),
        )
        .await;
    assert_eq!(
        first["data"]["recordWearableReadings"],
        json!({ "accepted": 3, "duplicates": 0 }),
        "{first}"
    );
    assert_eq!(t.rows().await.readings, 3);

    let second = t
        .run_as(
            &ada,
            RECORD_READINGS,
            json!({ "userId": id, "readings": batch }),
        )
        .await;
    assert_eq!(
        second["data"]["recordWearableReadings"],
        json!({ "accepted": 0, "duplicates": 3 }),
        "{second}"
    );
    assert_eq!(t.rows().await.readings, 3);

    // Same identity (source compared trimmed and lowercased) with another value: still a
    // duplicate, and the stored value stays. A repeat inside one batch is a duplicate too.
    let changed = json!([
        reading("HRV_RMSSD", 99.0, at, " Garmin "),
        reading("SLEEP_SCORE", 77.0, at, "garmin"),
        reading("SLEEP_SCORE", 77.0, at, "garmin"),
    ]);
    let third = t
        .run_as(
            &ada,
            RECORD_READINGS,
            json!({ "userId": id, "readings": changed }),
        )
        .await;
    assert_eq!(
        third["data"]["recordWearableReadings"],
        json!({ "accepted": 1, "duplicates": 2 }),
        "{third}"
    );
    assert_eq!(t.rows().await.readings, 4);
    let query =
        "query($id: ID!) { user(id: $id) { wearableReadings(kind: HRV_RMSSD) { value source } } }";
    let listed = t.run_as(&ada, query, json!({ "id": id })).await;
    let mut values: Vec<_> = listed["data"]["user"]["wearableReadings"]
        .as_array()
        .expect("a list of readings")
        .iter()
        .map(|r| {
            (
                r["source"].as_str().unwrap_or_default().to_owned(),
                r["value"].as_f64().unwrap_or_default(),
            )
        })
        .collect();
    values.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        values,
        [("garmin".to_owned(), 61.5), ("oura".to_owned(), 58.0)]
    );
}

/// An invalid reading anywhere rejects the batch with its index; nothing is written.
async fn an_invalid_reading_rejects_the_batch(backend: Backend) {
    let t = setup(backend).await;
    let id = t.create_user("ada@example.com").await;
    let ada = as_user(&id);
    let now = Utc::now();
    let good = reading("HRV_RMSSD", 60.0, now - TimeDelta::hours(1), "garmin");
    let cases = [
        (
            reading("SLEEP_SCORE", 140.0, now, "garmin"),
            "readings[2]: value of a SLEEP_SCORE reading must be between 0 and 100 (got 140)",
        ),
        (
            reading("SLEEP_MINUTES", 1441.0, now, "garmin"),
            "readings[2]: value of a SLEEP_MINUTES reading must be between 0 and 1440",
        ),
        (
            reading("HRV_RMSSD", 0.0, now, "garmin"),
            "readings[2]: value of a HRV_RMSSD reading must be between 1 and 500",
        ),
        (
            reading(
                "RESTING_HEART_RATE",
                60.0,
                now + TimeDelta::minutes(10),
                "garmin",
            ),
            "readings[2]: recordedAt must not be more than 5 minutes in the future",
        ),
        (
            reading("SLEEP_SCORE", 80.0, now, "  "),
            "readings[2]: source must be between 1 and 64 characters long (got 0)",
        ),
        (
            reading("SLEEP_SCORE", 80.0, now, &"s".repeat(65)),
            "readings[2]: source must be between 1 and 64 characters long (got 65)",
        ),
    ];
    for (bad, expected) in cases {
        let batch = json!([good, reading("SLEEP_SCORE", 80.0, now, "oura"), bad]);
        let response = t
            .run_as(
                &ada,
                RECORD_READINGS,
                json!({ "userId": id, "readings": batch }),
            )
            .await;
        assert_eq!(error_codes(&response), ["BAD_USER_INPUT"], "{response}");
        assert!(message(&response).starts_with(expected), "{response}");
    }
    assert_eq!(t.rows().await.readings, 0);

    // A reading up to five minutes ahead of our clock is accepted.
    let skewed = json!([reading(
        "SLEEP_SCORE",
        80.0,
        now + TimeDelta::minutes(4),
        "oura"
    )]);
    let accepted = t
        .run_as(
            &ada,
            RECORD_READINGS,
            json!({ "userId": id, "readings": skewed }),
        )
        .await;
    assert_eq!(
        accepted["data"]["recordWearableReadings"]["accepted"], 1,
        "{accepted}"
    );
}

async fn at_most_a_thousand_readings_per_call(backend: Backend) {
    let t = setup(backend).await;
    let id = t.create_user("ada@example.com").await;
    let ada = as_user(&id);
    let start = Utc::now() - TimeDelta::days(2);
    let batch = |count: i64| -> Value {
        (0..count)
            .map(|i| {
                reading(
                    "RESTING_HEART_RATE",
                    55.0,
                    start + TimeDelta::minutes(i),
                    "polar",
                )
            })
            .collect()
    };
    let refused = t
        .run_as(
            &ada,
            RECORD_READINGS,
            json!({ "userId": id, "readings": batch(1001) }),
        )
        .await;
    assert_eq!(error_codes(&refused), ["BAD_USER_INPUT"], "{refused}");
    assert!(
        message(&refused).contains("at most 1000 readings per call (got 1001)"),
        "{refused}"
    );
    assert_eq!(t.rows().await.readings, 0);

    let stored = t
        .run_as(
            &ada,
            RECORD_READINGS,
            json!({ "userId": id, "readings": batch(1000) }),
        )
        .await;
    assert_eq!(
        stored["data"]["recordWearableReadings"],
        json!({ "accepted": 1000, "duplicates": 0 }),
        "{stored}"
    );
    assert_eq!(t.rows().await.readings, 1000);
}

async fn wearable_readings_list_newest_first_with_filters(backend: Backend) {
    let t = &setup(backend).await;
    let id = t.create_user("ada@example.com").await;
    // A reference, so the `list` closure below can use it more than once.
    let ada = &as_user(&id);
    // Stored instants keep microseconds, so bounds equal to them must too.
    let now = Utc::now().trunc_subsecs(6);
    let days_ago = |days: i64| now - TimeDelta::days(days);
    let batch = json!([
        reading("HRV_RMSSD", 60.0, days_ago(3), "garmin"),
        reading("HRV_RMSSD", 62.0, days_ago(2), "garmin"),
        reading("HRV_RMSSD", 64.0, days_ago(1), "garmin"),
        reading("SLEEP_SCORE", 81.0, days_ago(1), "garmin"),
    ]);
    t.run_as(
        ada,
        RECORD_READINGS,
        json!({ "userId": id, "readings": batch }),
    )
    .await;
    let query = "query($id: ID!, $kind: ReadingKind, $from: DateTime, $to: DateTime, $first: Int!) { \
        user(id: $id) { wearableReadings(kind: $kind, from: $from, to: $to, first: $first) { kind value } } }";
    let list = |vars: Value| async move {
        let response = t.run_as(ada, query, vars).await;
        assert_eq!(response["errors"], Value::Null, "{response}");
        response["data"]["user"]["wearableReadings"]
            .as_array()
            .expect("a list")
            .iter()
            .map(|r| r["value"].as_f64().unwrap_or_default())
            .collect::<Vec<_>>()
    };
    assert_eq!(
        list(json!({ "id": id, "kind": "HRV_RMSSD", "first": 10 })).await,
        [64.0, 62.0, 60.0]
    );
    assert_eq!(
        list(json!({ "id": id, "kind": "HRV_RMSSD", "first": 2 })).await,
        [64.0, 62.0]
    );
    let from = (days_ago(2) - TimeDelta::minutes(1)).to_rfc3339();
    let to = (days_ago(2) + TimeDelta::minutes(1)).to_rfc3339();
    assert_eq!(
        list(json!({ "id": id, "from": from, "to": to, "first": 10 })).await,
        [62.0]
    );
    assert_eq!(
        list(json!({ "id": id, "from": days_ago(1).to_rfc3339(), "first": 10 }))
            .await
            .len(),
        2
    );

    let bad_page = t.run_as(ada, query, json!({ "id": id, "first": 0 })).await;
    assert_eq!(error_codes(&bad_page), ["BAD_USER_INPUT"]);
    assert_eq!(
        message(&bad_page),
        "first must be between 1 and 1000 (got 0)"
    );
    let reversed = t
        .run_as(
            ada,
            query,
            json!({ "id": id, "from": to, "to": from, "first": 5 }),
        )
        .await;
    assert_eq!(error_codes(&reversed), ["BAD_USER_INPUT"]);
}

db_tests!(
    recording_twice_reports_duplicates,
    an_invalid_reading_rejects_the_batch,
    at_most_a_thousand_readings_per_call,
    wearable_readings_list_newest_first_with_filters,
);
