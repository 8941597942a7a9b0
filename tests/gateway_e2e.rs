//! The gateway over the four real subgraphs (see `support`): data written through
//! the gateway as a client writes it, one query that needs all four subgraphs, a
//! subgraph outage, and requests refused before any subgraph is asked.

mod support;

use serde_json::{Value, json};
use subgraph_common::testing::{Backend, error_codes};
use subgraph_common::{SubgraphName, db_tests};
use support::{Caller, Stack};

db_tests!(
    one_query_fetches_once_from_each_subgraph,
    a_stopped_subgraph_nulls_only_its_part,
    invalid_operations_never_reach_a_subgraph,
);

/// Where `Settings::default()` says exercise media lives.
const CDN: &str = "https://media.fitgraph.example";
const SQUAT_SLUG: &str = "barbell-back-squat";
const BENCH_SLUG: &str = "barbell-bench-press";

/// A dashboard a client could ask for: the goal (profile), training signals (feedback),
/// and the month's workouts (plans) with their exercises' names and videos (exercises).
const DASHBOARD: &str = r#"
query Dashboard($userId: ID!) {
  user(id: $userId) {
    primaryGoal
    trainingSignals { adherence28Days recentDifficulty muscleGroups { muscle setsLast7Days } }
    workouts(from: "2026-03-01", to: "2026-03-31") {
      title
      exercises { position exercise { name videoUrl } }
    }
  }
}"#;

/// Everything `DASHBOARD` asks for except the training signals, plus each workout's
/// completion (feedback), which may be null.
const WORKOUT_HISTORY: &str = r#"
query WorkoutHistory($userId: ID!) {
  user(id: $userId) {
    primaryGoal
    workouts(from: "2026-03-01", to: "2026-03-31") {
      title
      completion { sessionRpe }
      exercises { position exercise { name videoUrl } }
    }
  }
}"#;

async fn one_query_fetches_once_from_each_subgraph(backend: Backend) {
    let stack = Stack::start(backend).await;
    let (user, ada) = write_training_history(&stack).await;
    stack.reset_counts();

    let response = stack
        .graphql(&ada, DASHBOARD, json!({ "userId": user }))
        .await;

    assert_eq!(
        response,
        json!({ "data": { "user": {
            "primaryGoal": "MUSCLE_GAIN",
            "trainingSignals": {
                "adherence28Days": 0.5,
                "recentDifficulty": 3.0,
                "muscleGroups": [
                    { "muscle": "GLUTES", "setsLast7Days": 1 },
                    { "muscle": "QUADRICEPS", "setsLast7Days": 1 },
                ],
            },
            "workouts": expected_workouts(),
        } } }),
    );
    assert_eq!(
        stack.counts(),
        [1, 1, 1, 1],
        "profile, exercises, plans, feedback"
    );
}

async fn a_stopped_subgraph_nulls_only_its_part(backend: Backend) {
    let mut stack = Stack::start(backend).await;
    let (user, ada) = write_training_history(&stack).await;
    stack.stop(SubgraphName::Feedback).await;
    stack.reset_counts();

    // `User.trainingSignals` is non-null, so its null propagates to the nullable
    // `Query.user`: nothing of the user remains.
    let response = stack
        .graphql(&ada, DASHBOARD, json!({ "userId": user }))
        .await;
    assert_eq!(response["data"], json!({ "user": null }), "{response:#}");
    assert_feedback_unreachable(&response);
    assert_eq!(
        stack.counts(),
        [1, 1, 1, 0],
        "profile, exercises, plans, feedback"
    );

    // `Workout.completion` is nullable: only it is lost.
    let response = stack
        .graphql(&ada, WORKOUT_HISTORY, json!({ "userId": user }))
        .await;
    let mut workouts = expected_workouts();
    for workout in workouts.as_array_mut().expect("a list of workouts") {
        workout["completion"] = Value::Null;
    }
    assert_eq!(
        response["data"],
        json!({ "user": { "primaryGoal": "MUSCLE_GAIN", "workouts": workouts } }),
        "{response:#}"
    );
    assert_feedback_unreachable(&response);
}

async fn invalid_operations_never_reach_a_subgraph(backend: Backend) {
    let stack = Stack::start(backend).await;
    let id = "0192f000-0000-7000-8000-000000000001";
    let user = json!({ "userId": id });
    let caller = Caller::user(id);

    let unclosed = "query($userId: ID!) { user(id: $userId) { primaryGoal }";
    let response = stack.graphql(&caller, unclosed, user.clone()).await;
    assert_refused(&response, "GRAPHQL_PARSE_FAILED");

    let unknown_field = "query($userId: ID!) { user(id: $userId) { primaryGoal favouriteColour } }";
    let response = stack.graphql(&caller, unknown_field, user.clone()).await;
    assert_refused(&response, "GRAPHQL_VALIDATION_FAILED");
    let message = response["errors"][0]["message"]
        .as_str()
        .unwrap_or_default();
    assert!(message.contains("favouriteColour"), "{response:#}");

    assert_eq!(
        stack.counts(),
        [0, 0, 0, 0],
        "profile, exercises, plans, feedback"
    );
    let valid = "query($userId: ID!) { user(id: $userId) { primaryGoal } }";
    let response = stack.graphql(&caller, valid, user).await;
    assert_eq!(response, json!({ "data": { "user": null } }));
    assert_eq!(
        stack.counts(),
        [1, 0, 0, 0],
        "profile, exercises, plans, feedback"
    );
}

/// A request error: one error with `code`, and no `data` at all.
fn assert_refused(response: &Value, code: &str) {
    assert_eq!(error_codes(response), [code], "{response:#}");
    assert_eq!(response.get("data"), None, "{response:#}");
}

/// The two workouts `write_training_history` schedules, as `DASHBOARD` selects them.
fn expected_workouts() -> Value {
    let squat = json!({ "name": "Barbell Back Squat", "videoUrl": video_url(SQUAT_SLUG) });
    let bench = json!({ "name": "Barbell Bench Press", "videoUrl": video_url(BENCH_SLUG) });
    json!([
        { "title": "Full body A", "exercises": [
            { "position": 1, "exercise": squat },
            { "position": 2, "exercise": bench },
        ] },
        { "title": "Full body B", "exercises": [
            { "position": 1, "exercise": squat },
        ] },
    ])
}

fn video_url(slug: &str) -> String {
    format!("{CDN}/exercises/{slug}/index.m3u8")
}

/// The only error is the gateway's: the feedback subgraph could not be reached.
fn assert_feedback_unreachable(response: &Value) {
    assert_eq!(
        error_codes(response),
        ["SUBREQUEST_HTTP_ERROR"],
        "{response:#}"
    );
    let service = &response["errors"][0]["extensions"]["serviceName"];
    assert_eq!(service, "feedback", "{response:#}");
}

/// Seeds the exercise catalog, then through the gateway: onboards a user, plans two
/// workouts and reports how the first went. Returns the user's id and them as a caller.
async fn write_training_history(stack: &Stack) -> (String, Caller) {
    stack.seed_library().await;
    let squat = exercise_id(stack, SQUAT_SLUG).await;
    let bench = exercise_id(stack, BENCH_SLUG).await;
    let (user, ada) = onboard(stack).await;
    let program = create_program(stack, &ada, &user).await;
    let full_body_a = schedule(
        stack,
        &ada,
        &user,
        &program,
        "Full body A",
        "2026-03-02",
        &[&squat, &bench],
    )
    .await;
    schedule(
        stack,
        &ada,
        &user,
        &program,
        "Full body B",
        "2026-03-04",
        &[&squat],
    )
    .await;
    log_squat_set(stack, &ada, &user, &full_body_a, &squat).await;
    complete(stack, &ada, &user, &full_body_a, &squat, &bench).await;
    load_feedback_catalog(stack, &ada, &user).await;
    (user, ada)
}

async fn exercise_id(stack: &Stack, slug: &str) -> String {
    let data = stack
        .ok(
            &Caller::anonymous(),
            "query($slug: String!) { exerciseBySlug(slug: $slug) { id } }",
            json!({ "slug": slug }),
        )
        .await;
    string_at(&data, "/exerciseBySlug/id")
}

/// Signs up a new user (their id is their token's subject).
async fn onboard(stack: &Stack) -> (String, Caller) {
    let id = uuid::Uuid::now_v7().to_string();
    let ada = Caller::user(&id);
    let input = json!({
        "displayName": "Ada Lovelace",
        "email": "ada@example.com",
        "birthYear": 1990,
        "sex": "FEMALE",
        "heightCm": 170.5,
        "weightKg": 62.0,
        "primaryGoal": "MUSCLE_GAIN",
        "fitnessLevel": "INTERMEDIATE",
        "daysPerWeek": 3,
        "sessionMinutes": 60,
        "preferredTimeOfDay": "EVENING",
        "equipment": ["BARBELL", "BENCH"],
    });
    let data = stack
        .ok(
            &ada,
            "mutation($input: OnboardingInput!) { createUser(input: $input) { id } }",
            json!({ "input": input }),
        )
        .await;
    assert_eq!(string_at(&data, "/createUser/id"), id);
    (id, ada)
}

async fn create_program(stack: &Stack, caller: &Caller, user: &str) -> String {
    let input = json!({ "userId": user, "goal": "MUSCLE_GAIN", "startDate": "2026-03-02" });
    let data = stack
        .ok(
            caller,
            "mutation($input: CreateProgramInput!) { createProgram(input: $input) { id } }",
            json!({ "input": input }),
        )
        .await;
    string_at(&data, "/createProgram/id")
}

async fn schedule(
    stack: &Stack,
    caller: &Caller,
    user: &str,
    program: &str,
    title: &str,
    date: &str,
    exercises: &[&str],
) -> String {
    let exercises: Vec<Value> = exercises
        .iter()
        .map(|id| json!({ "exerciseId": id, "sets": 3, "repMin": 6, "repMax": 8, "targetLoadKg": 80.0, "restSeconds": 120 }))
        .collect();
    let input = json!({ "userId": user, "programId": program, "title": title, "date": date, "exercises": exercises });
    let data = stack
        .ok(
            caller,
            "mutation($input: ScheduleWorkoutInput!) { scheduleWorkout(input: $input) { id } }",
            json!({ "input": input }),
        )
        .await;
    string_at(&data, "/scheduleWorkout/id")
}

async fn log_squat_set(stack: &Stack, caller: &Caller, user: &str, workout: &str, squat: &str) {
    let input = json!({
        "idempotencyKey": "squat-set-0001", "userId": user, "workoutId": workout,
        "exerciseId": squat, "setIndex": 1, "reps": 6, "loadKg": 80.0,
    });
    stack
        .ok(
            caller,
            "mutation($input: LogSetInput!) { logSet(input: $input) { id } }",
            json!({ "input": input }),
        )
        .await;
}

/// The squat done (difficulty 4), the bench press skipped (difficulty 2): adherence
/// 1/2, mean difficulty 3.
async fn complete(
    stack: &Stack,
    caller: &Caller,
    user: &str,
    workout: &str,
    squat: &str,
    bench: &str,
) {
    let input = json!({
        "idempotencyKey": "complete-full-body-a", "userId": user, "workoutId": workout, "sessionRpe": 7,
        "exercises": [
            { "exerciseId": squat, "completed": true, "skipped": false, "difficulty": 4 },
            { "exerciseId": bench, "completed": false, "skipped": true, "difficulty": 2 },
        ],
    });
    stack
        .ok(
            caller,
            "mutation($input: CompleteWorkoutInput!) { completeWorkout(input: $input) { id } }",
            json!({ "input": input }),
        )
        .await;
}

/// Feedback interprets history with its own copy of the exercise catalog, loaded from
/// the exercises subgraph on first use; asking for signals once loads it, so later
/// counts show only what the gateway sends.
async fn load_feedback_catalog(stack: &Stack, caller: &Caller, user: &str) {
    stack
        .ok(
            caller,
            "query($id: ID!) { user(id: $id) { trainingSignals { muscleGroups { muscle } } } }",
            json!({ "id": user }),
        )
        .await;
}

fn string_at(value: &Value, pointer: &str) -> String {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {value:#}"))
        .to_owned()
}
