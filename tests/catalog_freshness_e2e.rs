//! Plans keeps a copy of the exercise library for a day; an exercise edit reaches it
//! through the event bus within seconds, so deprecated exercises stop being prescribed
//! at once instead of the next day.

mod support;

use std::collections::BTreeSet;
use std::time::{Duration, Instant};

use serde_json::{Value, json};
use subgraph_common::db_tests;
use subgraph_common::testing::Backend;
use support::{Caller, Stack};

db_tests!(a_deprecated_exercise_leaves_the_next_generated_workout_without_waiting_a_day,);

const TODAY: &str = "{ me { todayWorkout { exercises { exercise { id } } } } }";
const DEPRECATE: &str = "mutation($id: ID!) { deprecateExercise(id: $id) { deprecated } }";

fn exercise_ids(data: &Value) -> BTreeSet<String> {
    data["me"]["todayWorkout"]["exercises"]
        .as_array()
        .expect("today's workout lists exercises")
        .iter()
        .map(|item| item["exercise"]["id"].as_str().expect("an id").to_owned())
        .collect()
}

async fn a_deprecated_exercise_leaves_the_next_generated_workout_without_waiting_a_day(
    backend: Backend,
) {
    let stack = Stack::start(backend).await;
    stack.seed_library().await;
    let answers = json!({ "primaryGoal": "MUSCLE_GAIN", "equipment": ["DUMBBELL", "BENCH"] });
    let (first, _) = stack.onboard(answers.clone()).await;
    // This loads plans' copy of the library, which it would otherwise keep a day.
    let prescribed = exercise_ids(&stack.ok(&first, TODAY, json!({})).await);
    assert!(!prescribed.is_empty());

    let editor = Caller::user_with(
        &uuid::Uuid::now_v7().to_string(),
        &["editor"],
        Duration::from_secs(600),
    );
    for id in &prescribed {
        let data = stack.ok(&editor, DEPRECATE, json!({ "id": id })).await;
        assert_eq!(data["deprecateExercise"]["deprecated"], json!(true));
    }

    // Users with the same answers get workouts generated after the change. The reload
    // runs in the background (a burst may take two reloads, each reading the whole
    // catalog), so a busy test machine gets a minute: the point is not waiting a day.
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        let (next, _) = stack.onboard(answers.clone()).await;
        let now_prescribed = exercise_ids(&stack.ok(&next, TODAY, json!({})).await);
        let still = now_prescribed.intersection(&prescribed).count();
        if still == 0 {
            assert!(!now_prescribed.is_empty(), "the workout is still filled");
            break;
        }
        assert!(
            Instant::now() < deadline,
            "{still} deprecated exercises still prescribed after 60 s"
        );
        tokio::time::sleep(Duration::from_millis(500)).await;
    }
}
