//! Who may touch what, through the real gateway over the four real subgraphs: for
//! every query and mutation, the owner succeeds, another user gets FORBIDDEN or
//! NOT_FOUND (or null, as if the object did not exist), anonymous callers get
//! UNAUTHENTICATED unless the field is public, and expired, forged and
//! misdirected tokens are refused at the front door before any subgraph is asked.

mod support;

use std::time::{Duration, SystemTime};

use serde_json::{Value, json};
use subgraph_common::testing::{Backend, error_codes};
use subgraph_common::{SubgraphName, db_tests};
use support::{AUDIENCE, Caller, ISSUER, Stack, TOKEN_SECRET};

db_tests!(
    every_operation_answers_only_whom_it_should,
    a_direct_call_to_a_subgraph_is_refused,
);

/// Who an operation belongs to, which decides what each caller gets.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Access {
    /// Anyone, signed in or not.
    Public,
    /// The user whose data it is.
    Owner,
    /// Whoever asks, about themselves (`me`, `exportMyData`): another user gets
    /// their own answer, never the owner's.
    Caller,
    /// A caller with the `editor` scope.
    Editor,
}

struct Case {
    name: &'static str,
    query: &'static str,
    variables: Value,
    access: Access,
    /// Where the owner's answer must hold a value (a JSON pointer into `data`).
    result: &'static str,
}

/// Ada's data the cases refer to.
struct Fixture {
    ada: String,
    program: String,
    started: String,
    skipped: String,
    squat: String,
}

async fn every_operation_answers_only_whom_it_should(backend: Backend) {
    let stack = Stack::start(backend).await;
    let fixture = write_fixture(&stack).await;
    let ada = Caller::user(&fixture.ada);
    let bob_id = uuid::Uuid::now_v7().to_string();
    let bob = Caller::user(&bob_id);
    sign_up(&stack, &bob, "bob@example.com").await;
    let editor = Caller::user_with(&bob_id, &["editor"], Duration::from_secs(600));

    for case in cases(&fixture) {
        refused_at_the_front_door(&stack, &case).await;
        let anonymous = stack
            .graphql(&Caller::anonymous(), case.query, case.variables.clone())
            .await;
        if case.access == Access::Public {
            assert_has_result(&case, &anonymous);
            continue;
        }
        assert_eq!(
            error_codes(&anonymous),
            ["UNAUTHENTICATED"],
            "{}: {anonymous:#}",
            case.name
        );

        let other = stack
            .graphql(&bob, case.query, case.variables.clone())
            .await;
        if case.access == Access::Caller {
            let text = other.to_string();
            assert!(
                !text.contains(&fixture.ada) && !text.contains("ada@example.com"),
                "{}: Bob saw Ada's data: {other:#}",
                case.name
            );
        } else {
            assert_denied(&case, &other);
        }

        let allowed = if case.access == Access::Editor {
            &editor
        } else {
            &ada
        };
        let answer = stack
            .graphql(allowed, case.query, case.variables.clone())
            .await;
        assert_has_result(&case, &answer);
    }
    // None of Bob's attempts changed Ada's profile.
    let me = stack
        .ok(&ada, "{ me { primaryGoal heightCm equipment } }", json!({}))
        .await;
    assert_eq!(
        me["me"]["primaryGoal"], "ENDURANCE",
        "Ada's own update is the one that held"
    );
}

/// Expired, forged and wrong-audience tokens: 401 and no subgraph asked.
async fn refused_at_the_front_door(stack: &Stack, case: &Case) {
    let expired = Caller::bearer(&expired_token(&uuid::Uuid::now_v7().to_string()));
    let forged = Caller::signed(
        "not-the-secret",
        "x",
        &["editor"],
        AUDIENCE,
        Duration::from_secs(600),
    );
    let elsewhere = Caller::signed(
        TOKEN_SECRET,
        "x",
        &[],
        "another-service",
        Duration::from_secs(600),
    );
    stack.reset_counts();
    for (label, caller) in [
        ("expired", expired),
        ("forged", forged),
        ("wrong audience", elsewhere),
    ] {
        let (status, body) = stack
            .send(&caller, case.query, case.variables.clone())
            .await;
        assert_eq!(status, 401, "{} with an {label} token: {body:#}", case.name);
        assert_eq!(
            error_codes(&body),
            ["UNAUTHENTICATED"],
            "{}: {body:#}",
            case.name
        );
    }
    assert_eq!(
        stack.counts(),
        [0, 0, 0, 0],
        "{} reached a subgraph",
        case.name
    );
}

/// A correctly signed token that expired an hour ago.
fn expired_token(user: &str) -> String {
    let now = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .expect("the clock is after 1970")
        .as_secs();
    let claims = json!({ "sub": user, "iss": ISSUER, "aud": AUDIENCE, "exp": now - 3600 });
    jsonwebtoken::encode(
        &jsonwebtoken::Header::new(jsonwebtoken::Algorithm::HS256),
        &claims,
        &jsonwebtoken::EncodingKey::from_secret(TOKEN_SECRET.as_bytes()),
    )
    .expect("HS256 signing cannot fail")
}

fn assert_has_result(case: &Case, response: &Value) {
    assert_eq!(response.get("errors"), None, "{}: {response:#}", case.name);
    let value = response["data"]
        .pointer(case.result)
        .unwrap_or(&Value::Null);
    assert!(
        !value.is_null(),
        "{}: nothing at {} in {response:#}",
        case.name,
        case.result
    );
}

/// Another user's object is reported as missing or forbidden, never shown.
fn assert_denied(case: &Case, response: &Value) {
    let codes = error_codes(response);
    let denied_by_error = !codes.is_empty()
        && codes
            .iter()
            .all(|code| code == "FORBIDDEN" || code == "NOT_FOUND");
    let value = response["data"]
        .pointer(case.result)
        .unwrap_or(&Value::Null);
    let denied_by_null = codes.is_empty() && value_is_empty(value);
    assert!(
        denied_by_error || denied_by_null,
        "{}: another user got {response:#}",
        case.name
    );
}

fn value_is_empty(value: &Value) -> bool {
    value.is_null() || value.as_array().is_some_and(Vec::is_empty)
}

fn cases(f: &Fixture) -> Vec<Case> {
    let ada = json!({ "id": f.ada });
    let mut cases = vec![
        case(
            "exercises",
            "{ exercises(first: 2) { totalCount } }",
            json!({}),
            Access::Public,
            "/exercises/totalCount",
        ),
        case(
            "exercise",
            "query($id: ID!) { exercise(id: $id) { name } }",
            json!({ "id": f.squat }),
            Access::Public,
            "/exercise/name",
        ),
        case(
            "exerciseBySlug",
            "{ exerciseBySlug(slug: \"barbell-back-squat\") { id } }",
            json!({}),
            Access::Public,
            "/exerciseBySlug/id",
        ),
        case(
            "templates",
            "{ templates { id } }",
            json!({}),
            Access::Public,
            "/templates/0/id",
        ),
        case(
            "me",
            "{ me { email } }",
            json!({}),
            Access::Caller,
            "/me/email",
        ),
        case(
            "user",
            "query($id: ID!) { user(id: $id) { email recovery { band } } }",
            ada.clone(),
            Access::Owner,
            "/user/email",
        ),
        case(
            "userByEmail",
            "{ userByEmail(email: \"ada@example.com\") { id } }",
            json!({}),
            Access::Owner,
            "/userByEmail/id",
        ),
        case(
            "user.workouts",
            "query($id: ID!) { user(id: $id) { workouts(from: \"2026-03-01\", to: \"2026-03-31\") { title } programs { id } } }",
            ada.clone(),
            Access::Owner,
            "/user/workouts/0/title",
        ),
        case(
            "user.trainingSignals",
            "query($id: ID!) { user(id: $id) { trainingSignals { adherence28Days } } }",
            ada.clone(),
            Access::Owner,
            "/user/trainingSignals",
        ),
        case(
            "workout",
            "query($id: ID!) { workout(id: $id) { title setLogs { reps } completion { sessionRpe } } }",
            json!({ "id": f.started }),
            Access::Owner,
            "/workout/title",
        ),
        case(
            "program",
            "query($id: ID!) { program(id: $id) { workouts { id } } }",
            json!({ "id": f.program }),
            Access::Owner,
            "/program/workouts",
        ),
        case(
            "exportMyData",
            "{ exportMyData { profile plans feedback exercises } }",
            json!({}),
            Access::Caller,
            "/exportMyData/profile",
        ),
    ];
    cases.extend(mutation_cases(f));
    cases
}

fn mutation_cases(f: &Fixture) -> Vec<Case> {
    let exercise = json!({
        "name": "Access Test Carry", "category": "STRENGTH", "difficulty": "BEGINNER",
        "primaryMuscles": ["FOREARMS"], "equipment": "DUMBBELL", "movementPattern": "CARRY",
    });
    vec![
        case(
            "updateGoals",
            "mutation($id: ID!) { updateGoals(userId: $id, input: { primaryGoal: ENDURANCE }) { primaryGoal } }",
            json!({ "id": f.ada }),
            Access::Owner,
            "/updateGoals/primaryGoal",
        ),
        case(
            "setEquipment",
            "mutation($id: ID!) { setEquipment(userId: $id, equipment: [KETTLEBELL]) { equipment } }",
            json!({ "id": f.ada }),
            Access::Owner,
            "/setEquipment/equipment",
        ),
        case(
            "updateBodyStats",
            "mutation($id: ID!) { updateBodyStats(userId: $id, weightKg: 63) { weightKg } }",
            json!({ "id": f.ada }),
            Access::Owner,
            "/updateBodyStats/weightKg",
        ),
        case(
            "recordWearableReadings",
            "mutation($id: ID!) { recordWearableReadings(userId: $id, readings: [{ kind: SLEEP_SCORE, value: 80, recordedAt: \"2026-03-01T07:00:00Z\", source: \"ring\" }]) { accepted } }",
            json!({ "id": f.ada }),
            Access::Owner,
            "/recordWearableReadings/accepted",
        ),
        case(
            "createProgram",
            "mutation($id: ID!) { createProgram(input: { userId: $id, goal: ENDURANCE, startDate: \"2026-04-06\" }) { id } }",
            json!({ "id": f.ada }),
            Access::Owner,
            "/createProgram/id",
        ),
        case(
            "scheduleWorkout",
            "mutation($id: ID!, $ex: ID!) { scheduleWorkout(input: { userId: $id, date: \"2026-04-07\", title: \"Extra\", exercises: [{ exerciseId: $ex, sets: 2, repMin: 5, repMax: 8, restSeconds: 90 }] }) { id } }",
            json!({ "id": f.ada, "ex": f.squat }),
            Access::Owner,
            "/scheduleWorkout/id",
        ),
        case(
            "startWorkout",
            "mutation($w: ID!) { startWorkout(workoutId: $w) { status } }",
            json!({ "w": f.started }),
            Access::Owner,
            "/startWorkout/status",
        ),
        case(
            "skipWorkout",
            "mutation($w: ID!) { skipWorkout(workoutId: $w) { status } }",
            json!({ "w": f.skipped }),
            Access::Owner,
            "/skipWorkout/status",
        ),
        case(
            "logSet",
            "mutation($id: ID!, $w: ID!, $ex: ID!) { logSet(input: { idempotencyKey: \"matrix-set\", userId: $id, workoutId: $w, exerciseId: $ex, setIndex: 1, reps: 5, loadKg: 60 }) { id } }",
            json!({ "id": f.ada, "w": f.started, "ex": f.squat }),
            Access::Owner,
            "/logSet/id",
        ),
        case(
            "rateExercise",
            "mutation($id: ID!, $ex: ID!) { rateExercise(input: { idempotencyKey: \"matrix-rate\", userId: $id, exerciseId: $ex, rating: 4 }) { id } }",
            json!({ "id": f.ada, "ex": f.squat }),
            Access::Owner,
            "/rateExercise/id",
        ),
        case(
            "completeWorkout",
            "mutation($id: ID!, $w: ID!, $ex: ID!) { completeWorkout(input: { idempotencyKey: \"matrix-complete\", userId: $id, workoutId: $w, exercises: [{ exerciseId: $ex, completed: true, skipped: false, difficulty: 3 }] }) { id } }",
            json!({ "id": f.ada, "w": f.started, "ex": f.squat }),
            Access::Owner,
            "/completeWorkout/id",
        ),
        case(
            "createExercise",
            "mutation($input: ExerciseInput!) { createExercise(input: $input) { id } }",
            json!({ "input": exercise }),
            Access::Editor,
            "/createExercise/id",
        ),
        case(
            "updateExercise",
            "mutation($ex: ID!) { updateExercise(id: $ex, input: { instructions: [\"Brace.\"] }) { id } }",
            json!({ "ex": f.squat }),
            Access::Editor,
            "/updateExercise/id",
        ),
    ]
}

fn case(
    name: &'static str,
    query: &'static str,
    variables: Value,
    access: Access,
    result: &'static str,
) -> Case {
    Case {
        name,
        query,
        variables,
        access,
        result,
    }
}

/// Ada signs up, gets a program, two workouts and one logged set.
async fn write_fixture(stack: &Stack) -> Fixture {
    stack.seed_library().await;
    let ada_id = uuid::Uuid::now_v7().to_string();
    let ada = Caller::user(&ada_id);
    sign_up(stack, &ada, "ada@example.com").await;
    let squat = stack
        .ok(
            &Caller::anonymous(),
            "{ exerciseBySlug(slug: \"barbell-back-squat\") { id } }",
            json!({}),
        )
        .await["exerciseBySlug"]["id"]
        .as_str()
        .expect("the squat is seeded")
        .to_owned();
    let program = stack
        .ok(
            &ada,
            "mutation($id: ID!) { createProgram(input: { userId: $id, goal: MUSCLE_GAIN, startDate: \"2026-03-02\" }) { id } }",
            json!({ "id": ada_id }),
        )
        .await["createProgram"]["id"]
        .as_str()
        .expect("a program id")
        .to_owned();
    let started = schedule(stack, &ada, &ada_id, &program, "2026-03-02", &squat).await;
    let skipped = schedule(stack, &ada, &ada_id, &program, "2026-03-04", &squat).await;
    Fixture {
        ada: ada_id,
        program,
        started,
        skipped,
        squat,
    }
}

async fn schedule(
    stack: &Stack,
    ada: &Caller,
    ada_id: &str,
    program: &str,
    date: &str,
    squat: &str,
) -> String {
    let data = stack
        .ok(
            ada,
            "mutation($id: ID!, $p: ID!, $d: Date!, $ex: ID!) { scheduleWorkout(input: { userId: $id, programId: $p, date: $d, title: \"Legs\", exercises: [{ exerciseId: $ex, sets: 3, repMin: 5, repMax: 8, restSeconds: 120 }] }) { id } }",
            json!({ "id": ada_id, "p": program, "d": date, "ex": squat }),
        )
        .await;
    data["scheduleWorkout"]["id"]
        .as_str()
        .expect("a workout id")
        .to_owned()
}

async fn sign_up(stack: &Stack, caller: &Caller, email: &str) {
    let input = json!({
        "displayName": "Test User", "email": email, "birthYear": 1990, "sex": "FEMALE",
        "heightCm": 170.5, "weightKg": 62.0, "primaryGoal": "MUSCLE_GAIN",
        "fitnessLevel": "INTERMEDIATE", "daysPerWeek": 3, "sessionMinutes": 60,
        "preferredTimeOfDay": "EVENING", "equipment": ["BARBELL", "BENCH"],
    });
    stack
        .ok(
            caller,
            "mutation($input: OnboardingInput!) { createUser(input: $input) { id } }",
            json!({ "input": input }),
        )
        .await;
}

/// A client that skips the gateway and calls a subgraph with made-up identity
/// headers is refused, whatever it asks.
async fn a_direct_call_to_a_subgraph_is_refused(backend: Backend) {
    let stack = Stack::start(backend).await;
    for name in SubgraphName::ALL {
        let url = format!("http://{}/graphql", stack.subgraph(name).address);
        let response = reqwest::Client::new()
            .post(&url)
            .header("x-fitgraph-user", uuid::Uuid::now_v7().to_string())
            .header("x-fitgraph-scopes", "editor admin")
            .json(&json!({ "query": "{ _service { sdl } }" }))
            .send()
            .await
            .expect("the subgraph answers");
        assert_eq!(response.status(), 401, "{name}");
        let body: Value = response.json().await.expect("a JSON body");
        assert_eq!(error_codes(&body), ["UNAUTHENTICATED"], "{name}: {body:#}");
    }
}
