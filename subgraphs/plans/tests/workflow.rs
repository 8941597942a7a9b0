//! The program -> schedule -> start flow, in-process and over HTTP.

mod common;

use common::*;
use serde_json::{Value, json};
use subgraph_common::testing::{Backend, error_codes, spawn_router, test_credential};

subgraph_common::db_tests!(
    create_schedule_and_start_in_process,
    create_schedule_and_start_over_http,
    starting_twice_is_a_conflict,
    skipping_moves_a_planned_workout_to_skipped,
    unknown_and_malformed_workout_ids,
    queries_return_null_for_unknown_ids,
);

async fn create_schedule_and_start_in_process(backend: Backend) {
    let rig = rig(backend).await;
    let input = json!({ "userId": USER, "goal": "MUSCLE_GAIN", "startDate": "2026-11-23" });
    let data = rig.ok(CREATE_PROGRAM, json!({ "input": input })).await;
    let program = &data["createProgram"];
    assert_eq!(program["userId"], USER);
    assert_eq!(program["goal"], "MUSCLE_GAIN");
    assert_eq!(program["startDate"], "2026-11-23");
    assert_eq!(program["currentWeek"], 1);
    assert_eq!(
        program["deloadEveryWeeks"], 4,
        "the interval defaults to 4 weeks"
    );
    assert_eq!(program["isDeloadWeek"], false);
    let program_id = string_at(&data, "/createProgram/id");

    let mut input = workout_input(USER, "2026-11-24");
    input["programId"] = json!(program_id);
    let data = rig.ok(SCHEDULE_WORKOUT, json!({ "input": input })).await;
    let workout = &data["scheduleWorkout"];
    assert_scheduled(workout, &program_id);

    let workout_id = string_at(&data, "/scheduleWorkout/id");
    let data = rig.ok(START_WORKOUT, json!({ "id": workout_id })).await;
    assert_eq!(data["startWorkout"]["status"], "IN_PROGRESS");
    assert!(
        data["startWorkout"]["startedAt"].is_string(),
        "startedAt is recorded: {data}"
    );

    let read = rig
        .ok(WORKOUT_WITH_PROGRAM, json!({ "id": workout_id }))
        .await;
    assert_eq!(read["workout"]["status"], "IN_PROGRESS");
    assert_eq!(
        read["workout"]["startedAt"],
        data["startWorkout"]["startedAt"]
    );
    assert_eq!(
        read["workout"]["program"]["workouts"][0]["id"],
        workout_id.as_str()
    );
}

fn assert_scheduled(workout: &Value, program_id: &str) {
    assert_eq!(workout["userId"], USER);
    assert_eq!(workout["date"], "2026-11-24");
    assert_eq!(workout["title"], "Lower body A");
    assert_eq!(workout["status"], "PLANNED");
    assert_eq!(workout["startedAt"], Value::Null);
    assert_eq!(workout["completedAt"], Value::Null);
    assert_eq!(workout["program"]["id"], program_id);
    let expected = json!([
        { "position": 1, "sets": 4, "repMin": 6, "repMax": 8, "targetLoadKg": 100.0, "restSeconds": 180,
          "exercise": { "id": SQUAT } },
        { "position": 2, "sets": 3, "repMin": 8, "repMax": 12, "targetLoadKg": null, "restSeconds": 90,
          "exercise": { "id": BENCH } },
    ]);
    assert_eq!(workout["exercises"], expected);
}

const WORKOUT_WITH_PROGRAM: &str = r#"
query ($id: ID!) { workout(id: $id) { status startedAt program { workouts { id } } } }"#;

async fn create_schedule_and_start_over_http(backend: Backend) {
    let rig = rig(backend).await;
    let server = spawn_router(plans_subgraph::router(
        rig.schema.clone(),
        test_credential(),
    ))
    .await;
    let user = signed_in(USER);
    let input = json!({ "userId": USER, "goal": "ENDURANCE", "startDate": "2026-11-23", "deloadEveryWeeks": 3 });
    let created = server
        .graphql_as(&user, CREATE_PROGRAM, json!({ "input": input }))
        .await;
    assert_eq!(error_codes(&created), Vec::<String>::new(), "{created}");
    assert_eq!(created["data"]["createProgram"]["deloadEveryWeeks"], 3);
    let program_id = string_at(&created, "/data/createProgram/id");

    let mut input = workout_input(USER, "2026-11-24");
    input["programId"] = json!(program_id);
    let scheduled = server
        .graphql_as(&user, SCHEDULE_WORKOUT, json!({ "input": input }))
        .await;
    assert_eq!(error_codes(&scheduled), Vec::<String>::new(), "{scheduled}");
    assert_scheduled(&scheduled["data"]["scheduleWorkout"], &program_id);

    let workout_id = string_at(&scheduled, "/data/scheduleWorkout/id");
    let started = server
        .graphql_as(&user, START_WORKOUT, json!({ "id": workout_id }))
        .await;
    assert_eq!(
        started["data"]["startWorkout"]["status"], "IN_PROGRESS",
        "{started}"
    );

    let again = server
        .graphql_as(&user, START_WORKOUT, json!({ "id": workout_id }))
        .await;
    assert_eq!(error_codes(&again), ["CONFLICT"]);
}

async fn starting_twice_is_a_conflict(backend: Backend) {
    let rig = rig(backend).await;
    let workout_id = rig.schedule(workout_input(USER, "2026-11-24")).await;
    let first = rig.ok(START_WORKOUT, json!({ "id": workout_id })).await;
    let started_at = first["startWorkout"]["startedAt"].clone();

    let second = rig.run(START_WORKOUT, json!({ "id": workout_id })).await;
    assert_eq!(error_codes(&second), ["CONFLICT"]);
    assert_eq!(
        second["errors"][0]["message"],
        "workout is IN_PROGRESS; only a PLANNED workout can be started"
    );
    let skip = rig.run(SKIP_WORKOUT, json!({ "id": workout_id })).await;
    assert_eq!(error_codes(&skip), ["CONFLICT"]);

    let read = rig
        .ok(
            "query ($id: ID!) { workout(id: $id) { status startedAt } }",
            json!({ "id": workout_id }),
        )
        .await;
    assert_eq!(read["workout"]["status"], "IN_PROGRESS");
    assert_eq!(
        read["workout"]["startedAt"], started_at,
        "a refused start leaves startedAt alone"
    );
}

async fn skipping_moves_a_planned_workout_to_skipped(backend: Backend) {
    let rig = rig(backend).await;
    let workout_id = rig.schedule(workout_input(USER, "2026-11-24")).await;
    let skipped = rig.ok(SKIP_WORKOUT, json!({ "id": workout_id })).await;
    assert_eq!(skipped["skipWorkout"]["status"], "SKIPPED");
    assert_eq!(skipped["skipWorkout"]["startedAt"], Value::Null);

    let start = rig.run(START_WORKOUT, json!({ "id": workout_id })).await;
    assert_eq!(error_codes(&start), ["CONFLICT"]);
    assert_eq!(
        start["errors"][0]["message"],
        "workout is SKIPPED; only a PLANNED workout can be started"
    );
}

async fn unknown_and_malformed_workout_ids(backend: Backend) {
    let rig = rig(backend).await;
    let unknown = "0192f000-0000-7000-8000-00000000ffff";
    for mutation in [START_WORKOUT, SKIP_WORKOUT] {
        let missing = rig.run(mutation, json!({ "id": unknown })).await;
        assert_eq!(error_codes(&missing), ["NOT_FOUND"], "{missing}");
        let malformed = rig.run(mutation, json!({ "id": "not-a-uuid" })).await;
        assert_eq!(error_codes(&malformed), ["BAD_USER_INPUT"], "{malformed}");
        assert_eq!(
            malformed["errors"][0]["message"],
            "workoutId is not a valid ID (got \"not-a-uuid\")"
        );
    }
    assert_eq!(rig.counts().await.workouts, 0);
}

async fn queries_return_null_for_unknown_ids(backend: Backend) {
    let rig = rig(backend).await;
    let unknown = "0192f000-0000-7000-8000-00000000ffff";
    let data = rig
        .ok(
            "query ($id: ID!) { workout(id: $id) { id } program(id: $id) { id } }",
            json!({ "id": unknown }),
        )
        .await;
    assert_eq!(data, json!({ "workout": null, "program": null }));
    let malformed = rig.run("{ program(id: \"42\") { id } }", json!({})).await;
    assert_eq!(error_codes(&malformed), ["BAD_USER_INPUT"]);
}
