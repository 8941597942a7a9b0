//! Live updates across processes: feedback and plans each on their own Redis bus
//! connection (same namespace), as two services of one deployment are. Needs
//! `TEST_REDIS_URL`; run with `cargo test -- --ignored redis`.

mod common;

use common::live::*;
use common::*;
use serde_json::json;
use subgraph_common::testing::{
    Backend, ObservedBus, TestDatabase, error_codes, redis_bus, spawn_router, test_credential,
    test_settings, unique_namespace,
};

const LOG_SET: &str = "mutation ($input: LogSetInput!) { logSet(input: $input) { id } }";
const COMPLETE: &str =
    "mutation ($input: CompleteWorkoutInput!) { completeWorkout(input: $input) { id } }";

#[tokio::test]
#[ignore = "Redis: set TEST_REDIS_URL and run with --ignored redis"]
async fn feedback_writes_reach_plans_subscribers_through_redis() {
    let namespace = unique_namespace();
    let plans_bus = ObservedBus::new(redis_bus(&namespace).await);
    let rig = rig_on(Backend::Sqlite, plans_bus.clone()).await;
    let workout = rig.schedule(workout_input(USER, "2026-11-24")).await;

    let feedback_db = TestDatabase::create(Backend::Sqlite).await;
    let conn = feedback_db.migrated::<feedback_subgraph::Migrator>().await;
    let schema =
        feedback_subgraph::schema_with_bus(conn, &test_settings(), redis_bus(&namespace).await);
    let feedback = spawn_router(feedback_subgraph::router(schema, test_credential())).await;

    let mut live = Live::start(
        &rig.schema,
        &plans_bus,
        &signed_in(USER),
        WORKOUT_PROGRESS,
        json!({ "id": workout }),
        1,
    )
    .await;
    rig.ok(START_WORKOUT, json!({ "id": workout })).await;
    let step = live.next_data().await["workoutProgress"].clone();
    assert_eq!(step["kind"], "WORKOUT_STARTED");

    let set = json!({ "input": {
        "idempotencyKey": "redis-set-0001", "userId": USER, "workoutId": workout,
        "exerciseId": SQUAT, "setIndex": 1, "reps": 6, "loadKg": 90.0, "repsInReserve": 1,
    } });
    let logged = feedback.graphql_as(&signed_in(USER), LOG_SET, set).await;
    assert_eq!(error_codes(&logged), Vec::<String>::new(), "{logged:#}");
    let step = live.next_data().await["workoutProgress"].clone();
    assert_eq!(step["kind"], "SET_LOGGED");
    assert_eq!(
        (&step["reps"], &step["loadKg"], &step["repsInReserve"]),
        (&json!(6), &json!(90.0), &json!(1))
    );
    assert_eq!(step["setsLogged"], 1);
    assert_eq!(step["exercise"]["id"], SQUAT);

    let completion = json!({ "input": {
        "idempotencyKey": "redis-complete-1", "userId": USER, "workoutId": workout,
        "exercises": [{ "exerciseId": SQUAT, "completed": true, "skipped": false }],
    } });
    let completed = feedback
        .graphql_as(&signed_in(USER), COMPLETE, completion)
        .await;
    assert_eq!(
        error_codes(&completed),
        Vec::<String>::new(),
        "{completed:#}"
    );
    let step = live.next_data().await["workoutProgress"].clone();
    assert_eq!(step["kind"], "WORKOUT_COMPLETED");
    live.ends().await;
}
