//! Every kind of bad input gets its code and a message naming the field, and
//! leaves the database untouched.

mod common;

use common::*;
use sea_orm::{ConnectionTrait, EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use subgraph_common::testing::{Backend, error_codes};

subgraph_common::db_tests!(
    bad_workout_inputs_are_refused_and_nothing_is_written,
    unknown_or_foreign_programs_are_not_found,
    bad_program_inputs_are_refused_and_nothing_is_written,
    a_failed_write_leaves_no_partial_workout,
    workout_windows_are_checked,
);

/// (what is wrong, the input, expected code, expected message).
fn bad_workout_inputs() -> Vec<(&'static str, Value, &'static str, &'static str)> {
    let with = |pointer: &str, value: Value| {
        let mut input = workout_input(USER, "2026-11-24");
        *input
            .pointer_mut(pointer)
            .expect("the pointer names an existing field") = value;
        input
    };
    let many = |count: usize| {
        let exercise = workout_input(USER, "2026-11-24")["exercises"][0].clone();
        with("/exercises", Value::Array(vec![exercise; count]))
    };
    vec![
        (
            "negative load",
            with("/exercises/0/targetLoadKg", json!(-2.5)),
            "BAD_USER_INPUT",
            "exercises[0].targetLoadKg must be 0 or more (got -2.5)",
        ),
        (
            "inverted rep range",
            with("/exercises/1/repMax", json!(5)),
            "BAD_USER_INPUT",
            "exercises[1].repMax must be between 8 and 100 (got 5)",
        ),
        (
            "no sets",
            with("/exercises/0/sets", json!(0)),
            "BAD_USER_INPUT",
            "exercises[0].sets must be between 1 and 20 (got 0)",
        ),
        (
            "too many sets",
            with("/exercises/0/sets", json!(21)),
            "BAD_USER_INPUT",
            "exercises[0].sets must be between 1 and 20 (got 21)",
        ),
        (
            "zero reps",
            with("/exercises/0/repMin", json!(0)),
            "BAD_USER_INPUT",
            "exercises[0].repMin must be between 1 and 100 (got 0)",
        ),
        (
            "too many reps",
            with("/exercises/0/repMax", json!(101)),
            "BAD_USER_INPUT",
            "exercises[0].repMax must be between 6 and 100 (got 101)",
        ),
        (
            "rest too long",
            with("/exercises/1/restSeconds", json!(901)),
            "BAD_USER_INPUT",
            "exercises[1].restSeconds must be between 0 and 900 (got 901)",
        ),
        (
            "negative rest",
            with("/exercises/1/restSeconds", json!(-1)),
            "BAD_USER_INPUT",
            "exercises[1].restSeconds must be between 0 and 900 (got -1)",
        ),
        (
            "no exercises",
            many(0),
            "BAD_USER_INPUT",
            "the number of exercises must be between 1 and 30 (got 0)",
        ),
        (
            "31 exercises",
            many(31),
            "BAD_USER_INPUT",
            "the number of exercises must be between 1 and 30 (got 31)",
        ),
        (
            "malformed exercise id",
            with("/exercises/1/exerciseId", json!("bench")),
            "BAD_USER_INPUT",
            "exercises[1].exerciseId is not a valid ID (got \"bench\")",
        ),
        (
            "malformed user id",
            with("/userId", json!("u-1")),
            "BAD_USER_INPUT",
            "userId is not a valid ID (got \"u-1\")",
        ),
        (
            "malformed program id",
            with("/programId", json!("p-1")),
            "BAD_USER_INPUT",
            "programId is not a valid ID (got \"p-1\")",
        ),
        (
            "blank title",
            with("/title", json!("   ")),
            "BAD_USER_INPUT",
            "title must not be blank",
        ),
        (
            "long title",
            with("/title", json!("x".repeat(201))),
            "BAD_USER_INPUT",
            "title must be at most 200 characters (got 201)",
        ),
    ]
}

async fn bad_workout_inputs_are_refused_and_nothing_is_written(backend: Backend) {
    let rig = rig(backend).await;
    let before = rig.counts().await;
    for (case, input, code, message) in bad_workout_inputs() {
        let response = rig.run(SCHEDULE_WORKOUT, json!({ "input": input })).await;
        assert_eq!(error_codes(&response), [code], "{case}: {response}");
        assert_eq!(response["errors"][0]["message"], message, "{case}");
        assert_eq!(response["data"], Value::Null, "{case}");
    }
    let malformed_date = rig
        .run(
            SCHEDULE_WORKOUT,
            json!({ "input": workout_input(USER, "2026-13-01") }),
        )
        .await;
    assert_eq!(
        error_codes(&malformed_date),
        ["BAD_USER_INPUT"],
        "{malformed_date}"
    );
    assert_eq!(rig.counts().await, before, "refused input writes nothing");
    rig.schedule(workout_input(USER, "2026-11-24")).await;
    assert_eq!(
        rig.counts().await.workout_exercises,
        before.workout_exercises + 2,
        "the valid input is written"
    );
}

async fn unknown_or_foreign_programs_are_not_found(backend: Backend) {
    let rig = rig(backend).await;
    let foreign_program = rig.create_program(OTHER_USER, 4).await;
    let before = rig.counts().await;
    for program_id in [
        foreign_program.as_str(),
        "0192f000-0000-7000-8000-00000000ffff",
    ] {
        let mut input = workout_input(USER, "2026-11-24");
        input["programId"] = json!(program_id);
        let response = rig.run(SCHEDULE_WORKOUT, json!({ "input": input })).await;
        assert_eq!(error_codes(&response), ["NOT_FOUND"], "{response}");
        assert_eq!(
            response["errors"][0]["message"],
            format!("program {program_id} does not exist for user {USER}")
        );
    }
    assert_eq!(rig.counts().await, before);
}

async fn bad_program_inputs_are_refused_and_nothing_is_written(backend: Backend) {
    let rig = rig(backend).await;
    let valid = json!({ "userId": USER, "goal": "ENDURANCE", "startDate": "2026-11-23" });
    let with = |field: &str, value: Value| {
        let mut input = valid.clone();
        input[field] = value;
        input
    };
    let cases = [
        (
            with("deloadEveryWeeks", json!(1)),
            Some("deloadEveryWeeks must be between 2 and 8 (got 1)"),
        ),
        (
            with("deloadEveryWeeks", json!(9)),
            Some("deloadEveryWeeks must be between 2 and 8 (got 9)"),
        ),
        (
            with("userId", json!("someone")),
            Some("userId is not a valid ID (got \"someone\")"),
        ),
        (with("goal", json!("GET_HUGE")), None),
        (with("startDate", json!("next monday")), None),
    ];
    for (input, message) in cases {
        let response = rig.run(CREATE_PROGRAM, json!({ "input": input })).await;
        assert_eq!(
            error_codes(&response),
            ["BAD_USER_INPUT"],
            "{input}: {response}"
        );
        if let Some(message) = message {
            assert_eq!(response["errors"][0]["message"], message);
        }
    }
    assert_eq!(rig.counts().await.programs, 0);
}

async fn a_failed_write_leaves_no_partial_workout(backend: Backend) {
    let rig = rig(backend).await;
    // Breaking the second insert proves the first one is rolled back with it.
    rig.conn
        .execute_unprepared("DROP TABLE workout_exercises")
        .await
        .expect("drop the exercises table");
    let response = rig
        .run(
            SCHEDULE_WORKOUT,
            json!({ "input": workout_input(USER, "2026-11-24") }),
        )
        .await;
    assert_eq!(
        error_codes(&response),
        ["INTERNAL_SERVER_ERROR"],
        "{response}"
    );
    let message = response["errors"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(
        !message.contains("workout_exercises"),
        "no SQL detail reaches clients: {message}"
    );
    let count = fitgraph_entities::plans::workouts::Entity::find()
        .count(&rig.conn)
        .await
        .expect("count");
    assert_eq!(count, 0, "the workout row was rolled back");
}

async fn workout_windows_are_checked(backend: Backend) {
    let rig = rig(backend).await;
    let query = r#"query ($reps: [_Any!]!, $from: Date, $to: Date) {
        _entities(representations: $reps) { ... on User { workouts(from: $from, to: $to) { id } } }
    }"#;
    let reps = json!([{ "__typename": "User", "id": USER }]);
    let inverted = rig
        .run(
            query,
            json!({ "reps": reps, "from": "2026-12-01", "to": "2026-11-01" }),
        )
        .await;
    assert_eq!(error_codes(&inverted), ["BAD_USER_INPUT"], "{inverted}");
    assert_eq!(
        inverted["errors"][0]["message"],
        "from (2026-12-01) must not be after to (2026-11-01)"
    );
    let too_long = rig
        .run(
            query,
            json!({ "reps": reps, "from": "2026-01-01", "to": "2027-01-03" }),
        )
        .await;
    assert_eq!(error_codes(&too_long), ["BAD_USER_INPUT"], "{too_long}");
    assert_eq!(
        too_long["errors"][0]["message"],
        "from (2026-01-01) to (2027-01-03) spans 367 days; at most 366 are allowed"
    );
    let full_year = rig
        .run(
            query,
            json!({ "reps": reps, "from": "2026-01-01", "to": "2027-01-02" }),
        )
        .await;
    assert_eq!(error_codes(&full_year), Vec::<String>::new(), "{full_year}");
}
