//! Recovery computed from readings stored through the API.

use chrono::{DateTime, TimeDelta, Utc};
use serde_json::{Value, json};
use subgraph_common::db_tests;
use subgraph_common::testing::Backend;

use crate::support::{RECORD_READINGS, Setup, as_user, reading, setup};

const RECOVERY: &str = "query($id: ID!) { user(id: $id) { recovery { band hrv7DayMeanLn baselineMeanLn \
    baselineSdLn sleepScore3Day reasons readingsUsed } } }";

/// HRV for days 1..=60 (day 1 = today): ln(rMSSD) alternates 4.1 ± 0.1 on baseline
/// days, and sits `recent_shift` below 4.1 on the last 7 days.
fn hrv_history(now: DateTime<Utc>, recent_shift: f64) -> Value {
    (1..=60)
        .map(|day: i64| {
            let ln = if day <= 7 {
                4.1 - recent_shift
            } else if day % 2 == 0 {
                4.2
            } else {
                4.0
            };
            reading(
                "HRV_RMSSD",
                f64::exp(ln),
                now - TimeDelta::days(day - 1),
                "whoop",
            )
        })
        .collect()
}

async fn record(t: &Setup, id: &str, readings: Value) {
    let response = t
        .run_as(
            &as_user(id),
            RECORD_READINGS,
            json!({ "userId": id, "readings": readings }),
        )
        .await;
    assert_eq!(response["errors"], Value::Null, "{response}");
}

async fn recovery_of(t: &Setup, id: &str) -> Value {
    let response = t.run_as(&as_user(id), RECOVERY, json!({ "id": id })).await;
    assert_eq!(response["errors"], Value::Null, "{response}");
    response["data"]["user"]["recovery"].clone()
}

async fn recovery_bands_from_stored_readings(backend: Backend) {
    let t = setup(backend).await;
    let now = Utc::now();
    let steady = t.create_user("steady@example.com").await;
    let strained = t.create_user("strained@example.com").await;
    let tired = t.create_user("tired@example.com").await;
    let newcomer = t.create_user("new@example.com").await;
    record(&t, &steady, hrv_history(now, 0.0)).await;
    record(&t, &strained, hrv_history(now, 0.25)).await;
    record(&t, &tired, hrv_history(now, 0.0)).await;
    let poor_sleep: Value = (1..=3)
        .map(|day| reading("SLEEP_SCORE", 45.0, now - TimeDelta::days(day - 1), "whoop"))
        .collect();
    record(&t, &tired, poor_sleep).await;
    let short: Value = (1..=5)
        .map(|day| reading("HRV_RMSSD", 60.0, now - TimeDelta::days(day - 1), "whoop"))
        .collect();
    record(&t, &newcomer, short).await;

    let green = recovery_of(&t, &steady).await;
    assert_eq!(green["band"], "GREEN", "{green}");
    assert_eq!(green["readingsUsed"], 60);
    assert!(
        (green["baselineMeanLn"].as_f64().expect("baseline mean") - 4.1).abs() < 0.01,
        "{green}"
    );
    assert!(
        (green["hrv7DayMeanLn"].as_f64().expect("7-day mean") - 4.1).abs() < 1e-6,
        "{green}"
    );
    assert_eq!(green["sleepScore3Day"], Value::Null);

    let red = recovery_of(&t, &strained).await;
    assert_eq!(red["band"], "RED", "{red}");

    let yellow = recovery_of(&t, &tired).await;
    assert_eq!(yellow["band"], "YELLOW", "{yellow}");
    assert_eq!(yellow["sleepScore3Day"], 45.0);
    assert_eq!(yellow["readingsUsed"], 63);

    let unknown = recovery_of(&t, &newcomer).await;
    assert_eq!(unknown["band"], "UNKNOWN", "{unknown}");
    let reasons = unknown["reasons"].to_string();
    assert!(
        reasons.contains("at least 21 distinct days (has 0)"),
        "{reasons}"
    );
}

db_tests!(recovery_bands_from_stored_readings);
