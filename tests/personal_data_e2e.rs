//! Personal data through the real gateway: `exportMyData` gathers the caller's data
//! from all four subgraphs into one document, and `deleteMyAccount` removes it from
//! all four, finishing later for a subgraph that was down at the time.

mod support;

use std::time::Duration;

use fitgraph_entities::{feedback, plans};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use subgraph_common::testing::Backend;
use subgraph_common::{SubgraphName, db_tests};
use support::{Caller, Stack};
use uuid::Uuid;

db_tests!(
    the_export_holds_the_callers_data_from_every_subgraph,
    deletion_reaches_a_subgraph_that_was_down,
);

const EXPORT: &str = "{ exportMyData { userId profile plans feedback exercises } }";

struct Person {
    id: Uuid,
    caller: Caller,
    workout: String,
}

async fn the_export_holds_the_callers_data_from_every_subgraph(backend: Backend) {
    let stack = Stack::start(backend).await;
    let squat = seed_catalog(&stack).await;
    let ada = write_history(&stack, "ada@example.com", &squat).await;
    let bob = write_history(&stack, "bob@example.com", &squat).await;

    let export = stack.ok(&ada.caller, EXPORT, json!({})).await["exportMyData"].clone();
    assert_eq!(export["userId"], ada.id.to_string());
    let text = export.to_string();
    assert!(text.contains("ada@example.com"), "profile part: {export:#}");
    assert!(text.contains(&ada.workout), "plans part: {export:#}");
    assert!(text.contains("export-set"), "feedback part: {export:#}");
    assert!(
        text.contains("Export Test Carry"),
        "exercises part: {export:#}"
    );
    for part in ["profile", "plans", "feedback", "exercises"] {
        assert!(!export[part].is_null(), "{part} missing: {export:#}");
    }
    assert!(
        !text.contains("bob@example.com"),
        "nothing of Bob: {export:#}"
    );
    assert!(!text.contains(&bob.workout), "nothing of Bob: {export:#}");
}

async fn deletion_reaches_a_subgraph_that_was_down(backend: Backend) {
    let mut stack = Stack::start(backend).await;
    let squat = seed_catalog(&stack).await;
    let ada = write_history(&stack, "ada@example.com", &squat).await;
    let bob = write_history(&stack, "bob@example.com", &squat).await;
    assert!(feedback_rows(&stack, ada.id).await > 0);

    stack.stop(SubgraphName::Feedback).await;
    let receipt = stack
        .ok(
            &ada.caller,
            "mutation { deleteMyAccount { userId completed pending } }",
            json!({}),
        )
        .await["deleteMyAccount"]
        .clone();
    assert_eq!(receipt["pending"], json!(["feedback"]), "{receipt:#}");
    let mut completed: Vec<&str> = receipt["completed"]
        .as_array()
        .expect("a list")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    completed.sort_unstable();
    assert_eq!(completed, ["exercises", "plans"], "{receipt:#}");

    let me = stack.ok(&ada.caller, "{ me { email } }", json!({})).await;
    assert_eq!(me["me"], Value::Null, "the profile is gone");
    assert_eq!(plans_rows(&stack, ada.id).await, 0, "plans purged at once");
    // Feedback is still down: its part is null with an error; the rest answers.
    let edits = stack.graphql(&ada.caller, EXPORT, json!({})).await;
    assert!(
        !edits.to_string().contains("Export Test Carry"),
        "exercise edits forgotten: {edits:#}"
    );
    assert!(feedback_rows(&stack, ada.id).await > 0, "feedback was down");

    stack.restart(SubgraphName::Feedback).await;
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    while feedback_rows(&stack, ada.id).await > 0 {
        assert!(
            tokio::time::Instant::now() < deadline,
            "the purge was not retried within a minute"
        );
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
    assert!(feedback_rows(&stack, bob.id).await > 0, "Bob's data stays");
    assert!(plans_rows(&stack, bob.id).await > 0, "Bob's data stays");
}

async fn feedback_rows(stack: &Stack, user: Uuid) -> u64 {
    let db = &stack.subgraph(SubgraphName::Feedback).connection;
    let sets = feedback::set_logs::Entity::find()
        .filter(feedback::set_logs::Column::UserId.eq(user))
        .count(db)
        .await
        .expect("count set logs");
    let ratings = feedback::exercise_ratings::Entity::find()
        .filter(feedback::exercise_ratings::Column::UserId.eq(user))
        .count(db)
        .await
        .expect("count ratings");
    sets + ratings
}

async fn plans_rows(stack: &Stack, user: Uuid) -> u64 {
    let db = &stack.subgraph(SubgraphName::Plans).connection;
    plans::workouts::Entity::find()
        .filter(plans::workouts::Column::UserId.eq(user))
        .count(db)
        .await
        .expect("count workouts")
}

async fn seed_catalog(stack: &Stack) -> String {
    stack.seed_library().await;
    let data = stack
        .ok(
            &Caller::anonymous(),
            "{ exerciseBySlug(slug: \"barbell-back-squat\") { id } }",
            json!({}),
        )
        .await;
    data["exerciseBySlug"]["id"]
        .as_str()
        .expect("the squat")
        .to_owned()
}

/// Signs up, edits the library (as an editor), plans a workout, logs a set and rates.
async fn write_history(stack: &Stack, email: &str, squat: &str) -> Person {
    let id = Uuid::now_v7();
    let caller = Caller::user_with(&id.to_string(), &["editor"], Duration::from_secs(600));
    let user = id.to_string();
    let input = json!({
        "displayName": "Export Test", "email": email, "birthYear": 1990, "sex": "FEMALE",
        "heightCm": 170.5, "weightKg": 62.0, "primaryGoal": "MUSCLE_GAIN",
        "fitnessLevel": "INTERMEDIATE", "daysPerWeek": 3, "sessionMinutes": 60,
        "preferredTimeOfDay": "EVENING", "equipment": ["BARBELL"],
    });
    stack
        .ok(
            &caller,
            "mutation($input: OnboardingInput!) { createUser(input: $input) { id } }",
            json!({ "input": input }),
        )
        .await;
    if email.starts_with("ada") {
        let exercise = json!({
            "name": "Export Test Carry", "category": "STRENGTH", "difficulty": "BEGINNER",
            "primaryMuscles": ["FOREARMS"], "equipment": "DUMBBELL", "movementPattern": "CARRY",
        });
        stack
            .ok(
                &caller,
                "mutation($input: ExerciseInput!) { createExercise(input: $input) { id } }",
                json!({ "input": exercise }),
            )
            .await;
    }
    let workout = stack
        .ok(
            &caller,
            "mutation($id: ID!, $ex: ID!) { scheduleWorkout(input: { userId: $id, date: \"2026-03-02\", title: \"Legs\", exercises: [{ exerciseId: $ex, sets: 3, repMin: 5, repMax: 8, restSeconds: 120 }] }) { id } }",
            json!({ "id": user, "ex": squat }),
        )
        .await["scheduleWorkout"]["id"]
        .as_str()
        .expect("a workout id")
        .to_owned();
    stack
        .ok(
            &caller,
            "mutation($id: ID!, $w: ID!, $ex: ID!) { logSet(input: { idempotencyKey: \"export-set\", userId: $id, workoutId: $w, exerciseId: $ex, setIndex: 1, reps: 5, loadKg: 60 }) { id } }",
            json!({ "id": user, "w": workout, "ex": squat }),
        )
        .await;
    stack
        .ok(
            &caller,
            "mutation($id: ID!, $ex: ID!) { rateExercise(input: { idempotencyKey: \"export-rate\", userId: $id, exerciseId: $ex, rating: 5 }) { id } }",
            json!({ "id": user, "ex": squat }),
        )
        .await;
    Person {
        id,
        caller,
        workout,
    }
}
