//! Federation: entity resolution batched through DataLoaders, the `User`
//! contributions, and the published SDL.

mod common;

use chrono::{Days, Utc};
use common::*;
use fitgraph_entities::plans::programs;
use sea_orm::{ActiveModelTrait, ActiveValue, EntityTrait, IntoActiveModel};
use serde_json::{Value, json};
use subgraph_common::testing::{Backend, assert_schema_file, error_codes};

subgraph_common::db_tests!(
    resolving_100_workouts_reads_each_table_once,
    user_entities_of_100_users_read_only_the_callers,
    user_workouts_are_filtered_by_date_and_ordered,
    deload_weeks_follow_the_interval,
    unknown_and_malformed_representations,
);

/// A user id that differs per `n`.
fn user(n: usize) -> String {
    format!("0192f000-0000-7000-8000-{n:012}")
}

async fn resolving_100_workouts_reads_each_table_once(backend: Backend) {
    let (rig, log) = logged_rig(backend).await;
    let program_id = rig.create_program(USER, 4).await;
    let mut ids = Vec::new();
    for day in 0..100 {
        let date = chrono::NaiveDate::from_ymd_opt(2026, 1, 1).expect("valid") + Days::new(day);
        let mut input = workout_input(USER, &date.to_string());
        input["programId"] = json!(program_id);
        ids.push(rig.schedule(input).await);
    }
    log.clear();
    let representations: Vec<Value> = ids
        .iter()
        .map(|id| json!({ "__typename": "Workout", "id": id }))
        .collect();
    let query = r#"query ($reps: [_Any!]!) {
        _entities(representations: $reps) {
            ... on Workout { id title program { id } exercises { position exercise { id } } }
        }
    }"#;
    let data = rig.ok(query, json!({ "reps": representations })).await;
    let entities = data["_entities"].as_array().expect("a list of entities");
    assert_eq!(entities.len(), 100);
    for (entity, id) in entities.iter().zip(&ids) {
        assert_eq!(
            entity["id"],
            id.as_str(),
            "entities come back in representation order"
        );
        assert_eq!(entity["program"]["id"], program_id.as_str());
        assert_eq!(
            entity["exercises"][1],
            json!({ "position": 2, "exercise": { "id": BENCH } })
        );
    }
    assert_eq!(log.selects_from("workouts"), 1, "{:#?}", log.statements());
    assert_eq!(
        log.selects_from("workout_exercises"),
        1,
        "{:#?}",
        log.statements()
    );
    assert_eq!(log.selects_from("programs"), 1, "{:#?}", log.statements());
}

const USER_ENTITIES: &str = r#"query ($reps: [_Any!]!) {
    _entities(representations: $reps) {
        ... on User { id workouts(from: "2026-11-01", to: "2026-11-30") { userId date } programs { id } }
    }
}"#;

fn user_reps(users: impl IntoIterator<Item = String>) -> Value {
    let reps: Vec<Value> = users
        .into_iter()
        .map(|id| json!({ "__typename": "User", "id": id }))
        .collect();
    json!({ "reps": reps })
}

/// A caller sees only their own workouts: among 100 users' representations, the
/// other 99 cost no read and show nothing.
async fn user_entities_of_100_users_read_only_the_callers(backend: Backend) {
    let (rig, log) = logged_rig(backend).await;
    for n in 0..100 {
        rig.schedule(workout_input(&user(n), "2026-11-24")).await;
    }
    log.clear();
    let data = rig
        .ok_as(
            &signed_in(&user(7)),
            USER_ENTITIES,
            user_reps((0..100).map(user)),
        )
        .await;
    let entities = data["_entities"].as_array().expect("a list of entities");
    assert_eq!(entities.len(), 100);
    for (n, entity) in entities.iter().enumerate() {
        let workouts = if n == 7 {
            json!([{ "userId": user(7), "date": "2026-11-24" }])
        } else {
            json!([])
        };
        assert_eq!(
            entity,
            &json!({ "id": user(n), "workouts": workouts, "programs": [] }),
            "user {n}"
        );
    }
    assert_eq!(log.selects_from("workouts"), 1, "{:#?}", log.statements());
    assert_eq!(log.selects_from("programs"), 1, "{:#?}", log.statements());
    assert_eq!(log.statements().len(), 2, "{:#?}", log.statements());
}

const USER_WORKOUTS: &str = r#"query ($reps: [_Any!]!, $from: Date, $to: Date) {
    _entities(representations: $reps) { ... on User { workouts(from: $from, to: $to) { date title } } }
}"#;

async fn user_workouts(rig: &Rig, from: Value, to: Value) -> Vec<String> {
    let reps = json!([{ "__typename": "User", "id": USER }]);
    let data = rig
        .ok(
            USER_WORKOUTS,
            json!({ "reps": reps, "from": from, "to": to }),
        )
        .await;
    let workouts = data["_entities"][0]["workouts"]
        .as_array()
        .expect("a list of workouts")
        .clone();
    workouts
        .iter()
        .map(|workout| string_at(workout, "/date"))
        .collect()
}

async fn user_workouts_are_filtered_by_date_and_ordered(backend: Backend) {
    let rig = rig(backend).await;
    // Scheduled out of order, so ordering by date is the resolver's doing.
    for date in ["2026-12-05", "2026-11-30", "2026-11-20", "2026-11-24"] {
        rig.schedule(workout_input(USER, date)).await;
    }
    rig.schedule(workout_input(OTHER_USER, "2026-11-25")).await;

    let inclusive = user_workouts(&rig, json!("2026-11-24"), json!("2026-11-30")).await;
    assert_eq!(
        inclusive,
        ["2026-11-24", "2026-11-30"],
        "both bounds are inclusive; other users are excluded"
    );
    let from_only = user_workouts(&rig, json!("2026-11-25"), Value::Null).await;
    assert_eq!(from_only, ["2026-11-30", "2026-12-05"]);
    let to_only = user_workouts(&rig, Value::Null, json!("2026-11-23")).await;
    assert_eq!(to_only, ["2026-11-20"]);
    let one_day = user_workouts(&rig, json!("2026-11-21"), json!("2026-11-21")).await;
    assert!(one_day.is_empty());
}

async fn deload_weeks_follow_the_interval(backend: Backend) {
    let rig = rig(backend).await;
    let program_id = rig.create_program(USER, 2).await;
    let query =
        "query ($id: ID!) { program(id: $id) { currentWeek deloadEveryWeeks isDeloadWeek } }";
    let mut seen = Vec::new();
    for week in 1..=4 {
        set_current_week(&rig, &program_id, week).await;
        let data = rig.ok(query, json!({ "id": program_id })).await;
        assert_eq!(data["program"]["currentWeek"], week);
        seen.push(
            data["program"]["isDeloadWeek"]
                .as_bool()
                .expect("a boolean"),
        );
    }
    assert_eq!(
        seen,
        [false, true, false, true],
        "every second week deloads"
    );

    let reps = json!([{ "__typename": "User", "id": USER }]);
    let data = rig
        .ok(
            "query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on User { programs { id isDeloadWeek } } } }",
            json!({ "reps": reps }),
        )
        .await;
    assert_eq!(
        data["_entities"][0]["programs"],
        json!([{ "id": program_id, "isDeloadWeek": true }])
    );
}

/// No mutation advances a program yet, so the test moves it directly.
async fn set_current_week(rig: &Rig, program_id: &str, week: i32) {
    let id = uuid::Uuid::parse_str(program_id).expect("the API returns UUIDs");
    let program = programs::Entity::find_by_id(id)
        .one(&rig.conn)
        .await
        .expect("read")
        .expect("the program exists");
    let mut program = program.into_active_model();
    program.current_week = ActiveValue::Set(week);
    program.update(&rig.conn).await.expect("update the week");
}

async fn unknown_and_malformed_representations(backend: Backend) {
    let rig = rig(backend).await;
    let query =
        "query ($reps: [_Any!]!) { _entities(representations: $reps) { ... on Workout { id } } }";
    let unknown =
        json!([{ "__typename": "Workout", "id": "0192f000-0000-7000-8000-00000000ffff" }]);
    let data = rig.ok(query, json!({ "reps": unknown })).await;
    assert_eq!(data["_entities"], json!([null]));
    let malformed = json!([{ "__typename": "Workout", "id": "w1" }]);
    let response = rig.run(query, json!({ "reps": malformed })).await;
    assert_eq!(error_codes(&response), ["BAD_USER_INPUT"], "{response}");
    let today = Utc::now().date_naive();
    rig.schedule(workout_input(USER, &today.to_string())).await;
    rig.schedule(workout_input(USER, &(today + Days::new(200)).to_string()))
        .await;
    let around_today = user_workouts(&rig, Value::Null, Value::Null).await;
    assert_eq!(
        around_today,
        [today.to_string()],
        "without bounds the window is centred on today"
    );
}

#[test]
fn sdl_matches_checked_in_schema() {
    let sdl = plans_subgraph::sdl();
    assert!(
        sdl.contains("@link"),
        "federation v2 SDL links its spec:\n{sdl}"
    );
    assert!(sdl.contains("type Workout @key(fields: \"id\")"), "{sdl}");
    assert!(sdl.contains("type User @key(fields: \"id\")"), "{sdl}");
    assert!(
        sdl.contains("type Exercise @key(fields: \"id\", resolvable: false)"),
        "{sdl}"
    );
    assert!(sdl.contains("scalar Date"), "{sdl}");
    assert_schema_file(
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema/plans.graphql"),
        &sdl,
    );
}

#[tokio::test]
async fn sdl_is_what_the_service_field_returns() {
    let rig = rig(Backend::Sqlite).await;
    let data = rig.ok("{ _service { sdl } }", json!({})).await;
    let served = data["_service"]["sdl"]
        .as_str()
        .expect("the SDL is a string");
    // The served copy ends with one more newline (async-graphql's composeDirective
    // section, empty here); the content is the same.
    assert_eq!(served, plans_subgraph::sdl());
}
