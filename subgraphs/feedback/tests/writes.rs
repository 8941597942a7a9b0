//! The three mutations: validation, idempotency under the client's key, and the
//! once-per-workout rule, in-process and over HTTP.

mod support;

use feedback_subgraph::router;
use serde_json::{Value, json};
use subgraph_common::db_tests;
use subgraph_common::testing::{Backend, error_codes, spawn_router, test_credential};
use support::*;
use uuid::Uuid;

db_tests!(
    log_set_retried_with_the_same_key_writes_once,
    a_reused_key_with_another_payload_conflicts,
    invalid_input_is_refused_and_nothing_is_written,
    completing_a_workout_twice_conflicts,
    concurrent_retries_write_once,
    two_users_racing_for_one_workout_never_share_it,
    rating_retries_are_idempotent,
    workout_entities_show_completion_and_sets,
    http_round_trip,
);

async fn log_set_retried_with_the_same_key_writes_once(backend: Backend) {
    let feedback = feedback_alone(backend).await;
    let (user, exercise) = (new_id(), new_id());
    let me = signed_in(&user);
    let mut input = set_input("set-key-0001", &user, &exercise, 8, 62.5);
    input["repsInReserve"] = json!(2);
    let first = feedback
        .run_as(&me, LOG_SET, json!({ "input": input }))
        .await;
    assert_eq!(error_codes(&first), Vec::<String>::new(), "{first}");
    let logged = &first["data"]["logSet"];
    assert_eq!(
        (logged["reps"].as_i64(), logged["loadKg"].as_f64()),
        (Some(8), Some(62.5))
    );
    assert_eq!(logged["exercise"]["id"], json!(exercise));

    let retry = feedback
        .run_as(&me, LOG_SET, json!({ "input": input }))
        .await;
    assert_eq!(
        retry["data"]["logSet"], first["data"]["logSet"],
        "the retry returns the first result"
    );
    assert_eq!(feedback.counts().await, [1, 0, 0, 0]);
}

async fn a_reused_key_with_another_payload_conflicts(backend: Backend) {
    let feedback = feedback_alone(backend).await;
    let (user, exercise) = (new_id(), new_id());
    let me = signed_in(&user);
    let original = feedback
        .run_as(
            &me,
            LOG_SET,
            json!({ "input": set_input("set-key-0002", &user, &exercise, 5, 100.0) }),
        )
        .await;
    assert!(original["data"]["logSet"]["id"].is_string(), "{original}");

    let changed = feedback
        .run_as(
            &me,
            LOG_SET,
            json!({ "input": set_input("set-key-0002", &user, &exercise, 6, 100.0) }),
        )
        .await;
    assert_eq!(error_codes(&changed), ["CONFLICT"]);
    assert!(
        changed["errors"][0]["message"]
            .as_str()
            .is_some_and(|m| m.contains("set-key-0002")),
        "{changed}"
    );
    assert_eq!(feedback.counts().await, [1, 0, 0, 0]);

    let mut explicit_time = set_input("set-key-0002", &user, &exercise, 5, 100.0);
    explicit_time["loggedAt"] = json!("2020-01-01T00:00:00Z");
    let other_time = feedback
        .run_as(&me, LOG_SET, json!({ "input": explicit_time }))
        .await;
    assert_eq!(
        error_codes(&other_time),
        ["CONFLICT"],
        "a different loggedAt is a different payload"
    );
}

async fn invalid_input_is_refused_and_nothing_is_written(backend: Backend) {
    let feedback = feedback_alone(backend).await;
    let (user, workout, exercise) = (new_id(), new_id(), new_id());
    let me = signed_in(&user);
    let cases = [
        (
            vec![outcome(&exercise, true, false, Some(0))],
            "exercises[0].difficulty must be between 1 and 5 (got 0)",
        ),
        (
            vec![outcome(&exercise, true, false, Some(7))],
            "exercises[0].difficulty must be between 1 and 5 (got 7)",
        ),
        (
            vec![outcome(&exercise, true, true, None)],
            "exercises[0] cannot be both completed and skipped",
        ),
        (
            vec![],
            "exercises must be a list of 1 to 100 exercises (got 0)",
        ),
    ];
    for (index, (exercises, message)) in cases.into_iter().enumerate() {
        let input = completion_input(&format!("complete-bad-{index}"), &user, &workout, exercises);
        let response = feedback
            .run_as(&me, COMPLETE_WORKOUT, json!({ "input": input }))
            .await;
        assert_eq!(error_codes(&response), ["BAD_USER_INPUT"], "{response}");
        assert!(
            response["errors"][0]["message"]
                .as_str()
                .is_some_and(|m| m.starts_with(message)),
            "{response}"
        );
    }
    let negative_load = feedback
        .run_as(
            &me,
            LOG_SET,
            json!({ "input": set_input("set-bad-0001", &user, &exercise, 5, -5.0) }),
        )
        .await;
    assert_eq!(error_codes(&negative_load), ["BAD_USER_INPUT"]);
    assert_eq!(
        negative_load["errors"][0]["message"],
        "loadKg must be between 0 and 1000 (got -5)"
    );
    let bad_rating = json!({ "idempotencyKey": "rate-bad-0001", "userId": user, "exerciseId": exercise, "rating": 6 });
    let response = feedback
        .run_as(&me, RATE_EXERCISE, json!({ "input": bad_rating }))
        .await;
    assert_eq!(error_codes(&response), ["BAD_USER_INPUT"]);
    let short_key = feedback
        .run_as(
            &me,
            LOG_SET,
            json!({ "input": set_input("short", &user, &exercise, 5, 5.0) }),
        )
        .await;
    assert_eq!(error_codes(&short_key), ["BAD_USER_INPUT"]);
    assert_eq!(feedback.counts().await, [0, 0, 0, 0]);
}

async fn completing_a_workout_twice_conflicts(backend: Backend) {
    let feedback = feedback_alone(backend).await;
    let (user, workout) = (new_id(), new_id());
    let me = signed_in(&user);
    let exercises = vec![
        outcome(&new_id(), true, false, Some(3)),
        outcome(&new_id(), false, true, None),
    ];
    let input = completion_input("complete-0001", &user, &workout, exercises.clone());
    let first = feedback
        .run_as(&me, COMPLETE_WORKOUT, json!({ "input": input }))
        .await;
    let completion = &first["data"]["completeWorkout"];
    assert_eq!(completion["sessionRpe"], 7, "{first}");
    assert_eq!(completion["exercises"][1]["skipped"], true);

    let retry = feedback
        .run_as(&me, COMPLETE_WORKOUT, json!({ "input": input }))
        .await;
    assert_eq!(
        retry["data"]["completeWorkout"],
        first["data"]["completeWorkout"]
    );

    let again = completion_input("complete-0002", &user, &workout, exercises);
    let response = feedback
        .run_as(&me, COMPLETE_WORKOUT, json!({ "input": again }))
        .await;
    assert_eq!(error_codes(&response), ["CONFLICT"]);
    assert_eq!(
        response["errors"][0]["message"],
        format!("workout {workout} is already completed")
    );

    let other_payload = completion_input(
        "complete-0001",
        &user,
        &workout,
        vec![outcome(&new_id(), true, false, None)],
    );
    let response = feedback
        .run_as(&me, COMPLETE_WORKOUT, json!({ "input": other_payload }))
        .await;
    assert_eq!(error_codes(&response), ["CONFLICT"]);
    assert_eq!(feedback.counts().await, [0, 1, 2, 0]);
}

async fn concurrent_retries_write_once(backend: Backend) {
    let feedback = feedback_alone(backend).await;
    let (user, exercise, workout) = (new_id(), new_id(), new_id());
    let me = signed_in(&user);
    let set = json!({ "input": set_input("set-race-0001", &user, &exercise, 3, 140.0) });
    let sets =
        futures::future::join_all((0..6).map(|_| feedback.run_as(&me, LOG_SET, set.clone()))).await;
    let completion = json!({ "input": completion_input("complete-race-1", &user, &workout, vec![outcome(&exercise, true, false, Some(4))]) });
    let completions = futures::future::join_all(
        (0..6).map(|_| feedback.run_as(&me, COMPLETE_WORKOUT, completion.clone())),
    )
    .await;

    let ids = |responses: &[Value], field: &str| -> Vec<Value> {
        responses
            .iter()
            .map(|response| response["data"][field]["id"].clone())
            .collect()
    };
    let set_ids = ids(&sets, "logSet");
    assert!(
        set_ids[0].is_string() && set_ids.iter().all(|id| *id == set_ids[0]),
        "{sets:?}"
    );
    let completion_ids = ids(&completions, "completeWorkout");
    assert!(
        completion_ids[0].is_string() && completion_ids.iter().all(|id| *id == completion_ids[0]),
        "{completions:?}"
    );
    assert_eq!(feedback.counts().await, [1, 1, 1, 0]);
}

/// Sets of two users on the same workout, sent at once and interleaved: the workout
/// becomes the first sender's, and every set of the other is refused as not found.
async fn two_users_racing_for_one_workout_never_share_it(backend: Backend) {
    let feedback = feedback_alone(backend).await;
    let (first, second, exercise) = (new_id(), new_id(), new_id());
    let contested = Uuid::from_u128(7).to_string();
    let calls = (0..10).map(|index| {
        let user = if index % 2 == 0 { &first } else { &second };
        let mut set = set_input(&format!("race-key-{index:02}"), user, &exercise, 5, 60.0);
        set["workoutId"] = json!(contested);
        let me = signed_in(user);
        let feedback = &feedback;
        async move { feedback.run_as(&me, LOG_SET, json!({ "input": set })).await }
    });
    let responses = futures::future::join_all(calls).await;

    let (stored, refused): (Vec<&Value>, Vec<&Value>) = responses
        .iter()
        .partition(|response| error_codes(response).is_empty());
    let owners: std::collections::BTreeSet<&str> = stored
        .iter()
        .filter_map(|response| response["data"]["logSet"]["userId"].as_str())
        .collect();
    assert_eq!(
        owners,
        [first.as_str()].into(),
        "the first sender's: {responses:#?}"
    );
    assert_eq!(stored.len(), 5, "{responses:#?}");
    assert!(
        refused
            .iter()
            .all(|response| error_codes(response) == ["NOT_FOUND"]),
        "{refused:#?}"
    );
    assert_eq!(feedback.counts().await, [5, 0, 0, 0]);
}

async fn rating_retries_are_idempotent(backend: Backend) {
    let feedback = feedback_alone(backend).await;
    let user = new_id();
    let me = signed_in(&user);
    let input = json!({ "idempotencyKey": "rate-0001", "userId": user, "exerciseId": new_id(), "rating": 4, "comment": "nice" });
    let first = feedback
        .run_as(&me, RATE_EXERCISE, json!({ "input": input }))
        .await;
    assert_eq!(first["data"]["rateExercise"]["rating"], 4, "{first}");
    let retry = feedback
        .run_as(&me, RATE_EXERCISE, json!({ "input": input }))
        .await;
    assert_eq!(retry["data"]["rateExercise"], first["data"]["rateExercise"]);
    let mut changed = input.clone();
    changed["comment"] = json!("meh");
    let response = feedback
        .run_as(&me, RATE_EXERCISE, json!({ "input": changed }))
        .await;
    assert_eq!(error_codes(&response), ["CONFLICT"]);
    assert_eq!(feedback.counts().await, [0, 0, 0, 1]);
}

const WORKOUTS: &str = "query($reps: [_Any!]!) { _entities(representations: $reps) { ... on Workout { \
    id completion { id sessionRpe exercises { exerciseId completed difficulty } } setLogs { id reps } } } }";

async fn workout_entities_show_completion_and_sets(backend: Backend) {
    let feedback = feedback_alone(backend).await;
    let (user, exercise) = (new_id(), new_id());
    let me = signed_in(&user);
    let workouts: Vec<String> = (0..20).map(|_| new_id()).collect();
    for (index, workout) in workouts.iter().enumerate().take(3) {
        let mut set = set_input(&format!("set-workout-{index}"), &user, &exercise, 10, 20.0);
        set["workoutId"] = json!(workout);
        feedback.run_as(&me, LOG_SET, json!({ "input": set })).await;
        let input = completion_input(
            &format!("complete-w-{index}"),
            &user,
            workout,
            vec![outcome(&exercise, true, false, Some(2))],
        );
        feedback
            .run_as(&me, COMPLETE_WORKOUT, json!({ "input": input }))
            .await;
    }
    feedback.log.clear();
    let reps: Vec<Value> = workouts
        .iter()
        .map(|id| json!({ "__typename": "Workout", "id": id }))
        .collect();
    let response = feedback
        .run_as(&me, WORKOUTS, json!({ "reps": reps }))
        .await;
    let entities = response["data"]["_entities"].as_array().expect("entities");
    assert_eq!(entities.len(), 20, "{response}");
    assert_eq!(entities[0]["completion"]["exercises"][0]["difficulty"], 2);
    assert_eq!(entities[2]["setLogs"][0]["reps"], 10);
    assert!(entities[3]["completion"].is_null() && entities[3]["setLogs"] == json!([]));
    for table in ["workout_completions", "exercise_outcomes", "set_logs"] {
        assert_eq!(
            feedback.log.selects_from(table),
            1,
            "one SELECT from {table}: {:?}",
            feedback.log.statements()
        );
    }
}

async fn http_round_trip(backend: Backend) {
    let feedback = feedback_alone(backend).await;
    let server = spawn_router(router(feedback.schema.clone(), test_credential())).await;
    let (user, workout, exercise) = (new_id(), new_id(), new_id());
    let me = signed_in(&user);
    let mut set = set_input("set-http-0001", &user, &exercise, 5, 80.0);
    set["workoutId"] = json!(workout);
    let logged = server
        .graphql_as(&me, LOG_SET, json!({ "input": set }))
        .await;
    assert_eq!(logged["data"]["logSet"]["loadKg"], 80.0, "{logged}");

    let input = completion_input(
        "complete-http-1",
        &user,
        &workout,
        vec![outcome(&exercise, true, false, Some(3))],
    );
    let completed = server
        .graphql_as(&me, COMPLETE_WORKOUT, json!({ "input": input }))
        .await;
    assert_eq!(
        completed["data"]["completeWorkout"]["workoutId"],
        json!(workout),
        "{completed}"
    );

    let reps = json!([{ "__typename": "Workout", "id": workout }]);
    let read = server
        .graphql_as(&me, WORKOUTS, json!({ "reps": reps }))
        .await;
    let entity = &read["data"]["_entities"][0];
    assert_eq!(
        entity["completion"]["id"],
        completed["data"]["completeWorkout"]["id"]
    );
    assert_eq!(entity["setLogs"][0]["id"], logged["data"]["logSet"]["id"]);

    let refused = server
        .graphql_as(
            &me,
            LOG_SET,
            json!({ "input": set_input("set-http-0002", "not-a-uuid", &exercise, 5, 1.0) }),
        )
        .await;
    assert_eq!(error_codes(&refused), ["BAD_USER_INPUT"]);
    assert_eq!(
        refused["errors"][0]["message"],
        "userId must be a UUID (got `not-a-uuid`)"
    );
    let malformed = server
        .graphql_as(&me, "mutation { logSet(input: {}) { id } }", json!({}))
        .await;
    assert!(
        !error_codes(&malformed).is_empty()
            && !error_codes(&malformed).contains(&"<none>".to_owned())
    );
}
