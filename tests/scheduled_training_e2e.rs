//! The plans service trains on its own schedule: once the interval has passed on the
//! services' clock, it copies new outcomes from feedback (marking the workouts they
//! complete) and trains. Its own test binary, because it moves the process's clock.

mod support;

use std::time::Duration;

use serde_json::{Value, json};
use subgraph_common::testing::Backend;
use support::{Caller, Stack};

#[tokio::test]
async fn the_scheduler_copies_outcomes_once_the_interval_has_passed() {
    let stack = Stack::start_with(Backend::Sqlite, |settings| {
        settings.recommend.training_interval_hours = 1;
        settings.recommend.training_check_secs = 1;
    })
    .await;
    stack.seed_library().await;
    let answers = json!({ "daysPerWeek": 3, "sessionMinutes": 30, "equipment": ["DUMBBELL"] });
    let (caller, user) = stack.onboard(answers).await;
    let workout = stack
        .ok(
            &caller,
            "{ me { todayWorkout { id exercises { exercise { id } } } } }",
            json!({}),
        )
        .await["me"]["todayWorkout"]
        .clone();
    complete(&stack, &caller, &user, &workout).await;

    // Nothing is due yet: the workout stays PLANNED.
    tokio::time::sleep(Duration::from_secs(3)).await;
    assert_eq!(status(&stack, &caller, &workout).await, "PLANNED");

    subgraph_common::clock::advance(chrono::Duration::hours(2));
    for _ in 0..100 {
        if status(&stack, &caller, &workout).await == "COMPLETED" {
            return;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    panic!("the scheduled run never copied the completion");
}

async fn complete(stack: &Stack, caller: &Caller, user: &str, workout: &Value) {
    let outcomes: Vec<Value> = workout["exercises"]
        .as_array()
        .expect("a list of exercises")
        .iter()
        .map(|item| json!({ "exerciseId": item["exercise"]["id"], "completed": true, "skipped": false, "difficulty": 3 }))
        .collect();
    let input = json!({
        "idempotencyKey": "scheduled-training-1", "userId": user,
        "workoutId": workout["id"], "exercises": outcomes,
    });
    stack
        .ok(
            caller,
            "mutation($input: CompleteWorkoutInput!) { completeWorkout(input: $input) { id } }",
            json!({ "input": input }),
        )
        .await;
}

async fn status(stack: &Stack, caller: &Caller, workout: &Value) -> String {
    let data = stack
        .ok(
            caller,
            "query($id: ID!) { workout(id: $id) { status } }",
            json!({ "id": workout["id"] }),
        )
        .await;
    data["workout"]["status"]
        .as_str()
        .unwrap_or_default()
        .to_owned()
}
