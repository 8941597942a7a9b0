//! Who may read and write what: the owner of an object sees it, another user finds
//! it missing, anonymous callers are asked to sign in, writes naming another user
//! are forbidden before the database is touched, and a user's personal data is
//! exported and purged for them alone.

mod common;

use common::*;
use serde_json::{Value, json};
use subgraph_common::Identity;
use subgraph_common::testing::{Backend, error_codes, spawn_router, test_credential};

subgraph_common::db_tests!(
    reads_by_id_show_only_the_callers_objects,
    workout_entities_of_another_user_are_null,
    user_fields_of_another_user_are_empty,
    writes_naming_another_user_are_forbidden_without_a_query,
    anonymous_writes_are_unauthenticated_without_a_query,
    transitions_of_another_users_workout_are_not_found,
    personal_data_exports_only_the_callers_data,
    purge_removes_only_the_callers_data_and_is_idempotent,
    requests_without_the_gateway_credential_are_refused,
);

const READ_BY_ID: &str = r#"query ($workout: ID!, $program: ID!) {
    workout(id: $workout) { id title program { id } }
    program(id: $program) { id workouts { id } }
}"#;

const ENTITIES: &str = r#"query ($reps: [_Any!]!) {
    _entities(representations: $reps) {
        ... on Workout { id title }
        ... on User { id workouts(from: "2026-11-01", to: "2026-11-30") { id } programs { id } }
        ... on PersonalData { userId plans }
    }
}"#;

const PURGE: &str = "mutation { purgePlansData }";

const UNKNOWN: &str = "0192f000-0000-7000-8000-00000000ffff";

/// What one user owns: a program and a workout in it (two exercises).
struct Owned {
    program: String,
    workout: String,
}

async fn seed(rig: &Rig, user: &str) -> Owned {
    let program = rig.create_program(user, 4).await;
    let mut input = workout_input(user, "2026-11-24");
    input["programId"] = json!(program);
    let workout = rig.schedule(input).await;
    Owned { program, workout }
}

fn reps(typename: &str, key: &str, id: &str) -> Value {
    json!({ "reps": [{ "__typename": typename, key: id }] })
}

fn anonymous() -> Identity {
    Identity::anonymous()
}

/// Every error is UNAUTHENTICATED, and there is at least one.
fn assert_unauthenticated(response: &Value) {
    let codes = error_codes(response);
    assert!(
        !codes.is_empty() && codes.iter().all(|code| code == "UNAUTHENTICATED"),
        "{response:#}"
    );
}

async fn reads_by_id_show_only_the_callers_objects(backend: Backend) {
    let rig = rig(backend).await;
    let mine = seed(&rig, USER).await;
    let ids = json!({ "workout": mine.workout, "program": mine.program });

    let own = rig.ok_as(&signed_in(USER), READ_BY_ID, ids.clone()).await;
    assert_eq!(own["workout"]["id"], mine.workout.as_str());
    assert_eq!(own["workout"]["program"]["id"], mine.program.as_str());
    assert_eq!(own["program"]["workouts"], json!([{ "id": mine.workout }]));

    let other = rig
        .run_as(&signed_in(OTHER_USER), READ_BY_ID, ids.clone())
        .await;
    let missing = rig
        .run_as(
            &signed_in(OTHER_USER),
            READ_BY_ID,
            json!({ "workout": UNKNOWN, "program": UNKNOWN }),
        )
        .await;
    assert_eq!(
        other,
        json!({ "data": { "workout": null, "program": null } })
    );
    assert_eq!(
        other, missing,
        "another user's objects read exactly like missing ones"
    );

    let anonymous = rig.run_as(&anonymous(), READ_BY_ID, ids).await;
    assert_unauthenticated(&anonymous);
    assert_eq!(error_codes(&anonymous).len(), 2, "{anonymous:#}");
}

async fn workout_entities_of_another_user_are_null(backend: Backend) {
    let rig = rig(backend).await;
    let mine = seed(&rig, USER).await;
    let variables = reps("Workout", "id", &mine.workout);

    let own = rig
        .ok_as(&signed_in(USER), ENTITIES, variables.clone())
        .await;
    assert_eq!(own["_entities"][0]["id"], mine.workout.as_str());
    assert_eq!(own["_entities"][0]["title"], "Lower body A");

    let other = rig
        .ok_as(&signed_in(OTHER_USER), ENTITIES, variables.clone())
        .await;
    assert_eq!(other["_entities"], json!([null]));

    assert_unauthenticated(&rig.run_as(&anonymous(), ENTITIES, variables).await);
}

async fn user_fields_of_another_user_are_empty(backend: Backend) {
    let rig = rig(backend).await;
    let mine = seed(&rig, USER).await;
    let variables = reps("User", "id", USER);

    let own = rig
        .ok_as(&signed_in(USER), ENTITIES, variables.clone())
        .await;
    assert_eq!(
        own["_entities"][0],
        json!({ "id": USER, "workouts": [{ "id": mine.workout }], "programs": [{ "id": mine.program }] })
    );

    let other = rig
        .ok_as(&signed_in(OTHER_USER), ENTITIES, variables.clone())
        .await;
    assert_eq!(
        other["_entities"][0],
        json!({ "id": USER, "workouts": [], "programs": [] }),
        "another user's lists are empty, never their data"
    );

    assert_unauthenticated(&rig.run_as(&anonymous(), ENTITIES, variables).await);
}

async fn writes_naming_another_user_are_forbidden_without_a_query(backend: Backend) {
    let (rig, log) = logged_rig(backend).await;
    let before = rig.counts().await;
    log.clear();
    let program = json!({ "userId": OTHER_USER, "goal": "ENDURANCE", "startDate": "2026-11-23" });
    let writes = [
        (CREATE_PROGRAM, json!({ "input": program })),
        (
            SCHEDULE_WORKOUT,
            json!({ "input": workout_input(OTHER_USER, "2026-11-24") }),
        ),
    ];
    for (mutation, variables) in writes {
        let response = rig.run_as(&signed_in(USER), mutation, variables).await;
        assert_eq!(error_codes(&response), ["FORBIDDEN"], "{response:#}");
        assert_eq!(
            response["errors"][0]["message"],
            "userId must be your own user id"
        );
        assert_eq!(response["data"], Value::Null);
    }
    assert_eq!(
        log.statements(),
        Vec::<String>::new(),
        "the database is not touched"
    );
    assert_eq!(rig.counts().await, before);
}

async fn anonymous_writes_are_unauthenticated_without_a_query(backend: Backend) {
    let (rig, log) = logged_rig(backend).await;
    let mine = seed(&rig, USER).await;
    let before = rig.counts().await;
    log.clear();
    let program = json!({ "userId": USER, "goal": "ENDURANCE", "startDate": "2026-11-23" });
    let writes = [
        (CREATE_PROGRAM, json!({ "input": program })),
        (
            SCHEDULE_WORKOUT,
            json!({ "input": workout_input(USER, "2026-11-24") }),
        ),
        (START_WORKOUT, json!({ "id": mine.workout })),
        (SKIP_WORKOUT, json!({ "id": mine.workout })),
        (PURGE, json!({})),
    ];
    for (mutation, variables) in writes {
        let response = rig.run_as(&anonymous(), mutation, variables).await;
        assert_eq!(
            error_codes(&response),
            ["UNAUTHENTICATED"],
            "{mutation}: {response:#}"
        );
    }
    // A partner client (an API key) acts for no user, so it cannot write either.
    let client = Identity::client("partner", &[]);
    let response = rig
        .run_as(&client, START_WORKOUT, json!({ "id": mine.workout }))
        .await;
    assert_eq!(error_codes(&response), ["UNAUTHENTICATED"], "{response:#}");
    assert_eq!(
        log.statements(),
        Vec::<String>::new(),
        "the database is not touched"
    );
    assert_eq!(rig.counts().await, before);
}

async fn transitions_of_another_users_workout_are_not_found(backend: Backend) {
    let rig = rig(backend).await;
    let mine = seed(&rig, USER).await;
    for mutation in [START_WORKOUT, SKIP_WORKOUT] {
        let other = rig
            .run_as(
                &signed_in(OTHER_USER),
                mutation,
                json!({ "id": mine.workout }),
            )
            .await;
        assert_eq!(error_codes(&other), ["NOT_FOUND"], "{other:#}");
        assert_eq!(
            other["errors"][0]["message"],
            format!("workout {} does not exist", mine.workout),
            "the same answer as for a workout that does not exist"
        );
    }
    let read = rig
        .ok(
            "query ($id: ID!) { workout(id: $id) { status startedAt } }",
            json!({ "id": mine.workout }),
        )
        .await;
    assert_eq!(
        read["workout"],
        json!({ "status": "PLANNED", "startedAt": null }),
        "the refused transitions changed nothing"
    );
    let started = rig.ok(START_WORKOUT, json!({ "id": mine.workout })).await;
    assert_eq!(started["startWorkout"]["status"], "IN_PROGRESS");
}

async fn personal_data_exports_only_the_callers_data(backend: Backend) {
    let rig = rig(backend).await;
    let mine = seed(&rig, USER).await;
    let theirs = seed(&rig, OTHER_USER).await;

    let data = rig
        .ok_as(
            &signed_in(USER),
            ENTITIES,
            reps("PersonalData", "userId", USER),
        )
        .await;
    let export = &data["_entities"][0]["plans"];
    assert_eq!(data["_entities"][0]["userId"], USER);
    assert_eq!(export["userId"], USER);
    let programs = export["programs"].as_array().expect("a list of programs");
    assert_eq!(programs.len(), 1, "{export:#}");
    assert_eq!(programs[0]["id"], mine.program.as_str());
    assert_eq!(programs[0]["goal"], "MUSCLE_GAIN");
    let workouts = export["workouts"].as_array().expect("a list of workouts");
    assert_eq!(workouts.len(), 1, "{export:#}");
    assert_eq!(workouts[0]["id"], mine.workout.as_str());
    assert_eq!(workouts[0]["programId"], mine.program.as_str());
    assert_eq!(workouts[0]["status"], "PLANNED");
    let exercises: Vec<&str> = workouts[0]["exercises"]
        .as_array()
        .expect("a list of exercises")
        .iter()
        .filter_map(|exercise| exercise["exerciseId"].as_str())
        .collect();
    assert_eq!(exercises, [SQUAT, BENCH]);
    let text = export.to_string();
    for foreign in [OTHER_USER, theirs.program.as_str(), theirs.workout.as_str()] {
        assert!(!text.contains(foreign), "{foreign} leaked into {export:#}");
    }

    let other = rig
        .ok_as(
            &signed_in(OTHER_USER),
            ENTITIES,
            reps("PersonalData", "userId", USER),
        )
        .await;
    assert_eq!(
        other["_entities"],
        json!([null]),
        "another user's export is null"
    );

    let anonymous = rig
        .run_as(&anonymous(), ENTITIES, reps("PersonalData", "userId", USER))
        .await;
    assert_eq!(
        error_codes(&anonymous),
        ["UNAUTHENTICATED"],
        "{anonymous:#}"
    );
    let path = anonymous["errors"][0]["path"]
        .as_array()
        .expect("an error path");
    assert_eq!(
        path.last(),
        Some(&json!("plans")),
        "the field, not the entity, refuses"
    );
}

async fn purge_removes_only_the_callers_data_and_is_idempotent(backend: Backend) {
    let rig = rig(backend).await;
    seed(&rig, USER).await;
    rig.schedule(workout_input(USER, "2026-12-01")).await;
    seed(&rig, OTHER_USER).await;
    let before = rig.counts().await;

    let refused = rig.run_as(&anonymous(), PURGE, json!({})).await;
    assert_eq!(error_codes(&refused), ["UNAUTHENTICATED"], "{refused:#}");
    assert_eq!(rig.counts().await, before);

    let purged = rig.ok(PURGE, json!({})).await;
    assert_eq!(
        purged["purgePlansData"], 7,
        "1 program, 2 workouts and their 4 exercises"
    );
    let left = RowCounts {
        programs: 1,
        workouts: 1,
        workout_exercises: 2,
    };
    assert_eq!(rig.counts().await, left, "the other user's rows stay");

    let again = rig.ok(PURGE, json!({})).await;
    assert_eq!(again["purgePlansData"], 0, "a second purge finds nothing");

    let export = rig.ok(ENTITIES, reps("PersonalData", "userId", USER)).await;
    assert_eq!(
        export["_entities"][0]["plans"],
        json!({ "userId": USER, "programs": [], "workouts": [] })
    );
    let theirs = rig
        .ok_as(
            &signed_in(OTHER_USER),
            ENTITIES,
            reps("PersonalData", "userId", OTHER_USER),
        )
        .await;
    assert_eq!(
        theirs["_entities"][0]["plans"]["workouts"]
            .as_array()
            .map(Vec::len),
        Some(1)
    );
}

async fn requests_without_the_gateway_credential_are_refused(backend: Backend) {
    let rig = rig(backend).await;
    let mine = seed(&rig, USER).await;
    let server = spawn_router(plans_subgraph::router(
        rig.schema.clone(),
        test_credential(),
    ))
    .await;
    let ids = json!({ "workout": mine.workout, "program": mine.program });

    let (status, body) = server.graphql_unsigned(READ_BY_ID, ids.clone()).await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(error_codes(&body), ["UNAUTHENTICATED"]);
    assert!(body.get("data").is_none(), "{body}");
    let (status, _) = server.graphql_unsigned(PURGE, json!({})).await;
    assert_eq!(status, 401);
    assert_eq!(
        rig.counts().await.workouts,
        1,
        "the unsigned purge removed nothing"
    );

    let signed = server.graphql_as(&signed_in(USER), READ_BY_ID, ids).await;
    assert_eq!(
        signed["data"]["workout"]["id"],
        mine.workout.as_str(),
        "{signed}"
    );
}

#[test]
fn the_schema_hides_the_purge_and_contributes_personal_data() {
    let sdl = plans_subgraph::sdl();
    assert!(sdl.contains("purgePlansData: Int! @inaccessible"), "{sdl}");
    assert!(
        sdl.contains("type PersonalData @key(fields: \"userId\")"),
        "{sdl}"
    );
    assert!(sdl.contains("plans: JSON!"), "{sdl}");
}
