//! Today's workout through the gateway: the snapshot plans needs comes from profile
//! and feedback under `@requires`, the rules build a workout every goal and level can
//! train with, it is stored once per day, and it changes only with its inputs.

mod support;

use serde_json::{Value, json};
use subgraph_common::db_tests;
use subgraph_common::testing::Backend;
use subgraph_common::vocab::{Difficulty, FitnessLevel, Goal};
use support::{Caller, Stack};

const TODAY: &str = "{ me { todayWorkout { id kind title reason variant \
    exercises { position sets reps unit load restSeconds reason \
    exercise { name videoUrl difficulty equipment category } } } } }";

db_tests!(
    every_goal_and_level_gets_a_coherent_workout,
    todays_workout_is_stored_and_changes_only_with_its_inputs,
    red_recovery_makes_it_a_mobility_day,
    nobody_reads_another_users_workout_and_upcoming_is_bounded,
    one_short_day_a_week_without_equipment_still_gets_a_safe_workout,
);

async fn seeded_stack(backend: Backend) -> Stack {
    let stack = Stack::start(backend).await;
    stack.seed_library().await;
    stack
}

/// Signs up a user with these answers; returns them as a caller and their id.
async fn onboard(
    stack: &Stack,
    goal: Goal,
    level: FitnessLevel,
    equipment: &[&str],
) -> (Caller, String) {
    let answers = json!({
        "primaryGoal": goal.as_str(), "fitnessLevel": level.as_str(), "daysPerWeek": 4,
        "sessionMinutes": 45, "preferredTimeOfDay": "MORNING", "equipment": equipment,
    });
    stack.onboard(answers).await
}

async fn today(stack: &Stack, caller: &Caller) -> Value {
    let data = stack.ok(caller, TODAY, json!({})).await;
    data["me"]["todayWorkout"].clone()
}

fn difficulty_rank(text: &str) -> usize {
    Difficulty::ALL
        .iter()
        .position(|difficulty| difficulty.as_str() == text)
        .expect("a known difficulty")
}

/// A training workout a user at `level` with `equipment` can do.
fn assert_coherent(workout: &Value, level: FitnessLevel, equipment: &[&str]) {
    assert_eq!(workout["kind"], "TRAINING", "{workout:#}");
    assert!(
        !workout["reason"].as_str().unwrap_or_default().is_empty(),
        "{workout:#}"
    );
    assert!(
        !workout["variant"].as_str().unwrap_or_default().is_empty(),
        "{workout:#}"
    );
    let exercises = workout["exercises"].as_array().expect("a list");
    assert!(!exercises.is_empty(), "{workout:#}");
    let level_rank = FitnessLevel::ALL
        .iter()
        .position(|l| *l == level)
        .expect("a level");
    for item in exercises {
        let exercise = &item["exercise"];
        assert!(!exercise["name"].as_str().unwrap_or_default().is_empty());
        assert!(
            exercise["videoUrl"]
                .as_str()
                .unwrap_or_default()
                .starts_with("http")
        );
        assert!(item["sets"].as_i64().unwrap_or(0) >= 1, "{item:#}");
        assert!(item["reps"].as_i64().unwrap_or(0) >= 1, "{item:#}");
        assert!(item["restSeconds"].as_i64().unwrap_or(-1) >= 0, "{item:#}");
        assert!(
            !item["reason"].as_str().unwrap_or_default().is_empty(),
            "{item:#}"
        );
        let needs = exercise["equipment"].as_str().unwrap_or_default();
        assert!(
            needs == "BODYWEIGHT" || equipment.contains(&needs),
            "{needs} for {equipment:?}"
        );
        assert!(
            difficulty_rank(exercise["difficulty"].as_str().unwrap_or_default()) <= level_rank,
            "{item:#}"
        );
    }
}

async fn every_goal_and_level_gets_a_coherent_workout(backend: Backend) {
    let stack = seeded_stack(backend).await;
    let gym = [
        "BARBELL",
        "DUMBBELL",
        "BENCH",
        "CABLE",
        "MACHINE",
        "PULL_UP_BAR",
    ];
    for goal in Goal::ALL {
        for level in FitnessLevel::ALL {
            let (caller, _) = onboard(&stack, *goal, *level, &gym).await;
            let workout = today(&stack, &caller).await;
            assert_coherent(&workout, *level, &gym);
        }
    }
    // With the library loaded, one request asks each subgraph once: profile for the user,
    // feedback for the signals, plans for the workout and exercises for the names.
    let (caller, _) = onboard(&stack, Goal::GeneralFitness, FitnessLevel::Beginner, &[]).await;
    stack.reset_counts();
    let workout = today(&stack, &caller).await;
    assert_coherent(&workout, FitnessLevel::Beginner, &[]);
    assert_eq!(
        stack.counts(),
        [1, 1, 1, 1],
        "profile, exercises, plans, feedback"
    );
}

async fn todays_workout_is_stored_and_changes_only_with_its_inputs(backend: Backend) {
    let stack = seeded_stack(backend).await;
    let (caller, id) = onboard(
        &stack,
        Goal::MuscleGain,
        FitnessLevel::Intermediate,
        &["DUMBBELL", "BENCH"],
    )
    .await;
    let first = today(&stack, &caller).await;
    assert_eq!(
        today(&stack, &caller).await,
        first,
        "asking again returns the same workout"
    );

    // Session length is not one of the inputs that regenerate the day.
    let goals = "mutation($id: ID!, $input: GoalsInput!) { updateGoals(userId: $id, input: $input) { id } }";
    stack
        .ok(
            &caller,
            goals,
            json!({ "id": id, "input": { "primaryGoal": "MUSCLE_GAIN", "sessionMinutes": 30 } }),
        )
        .await;
    assert_eq!(today(&stack, &caller).await["id"], first["id"]);

    // New equipment does.
    let equipment = "mutation($id: ID!, $eq: [Equipment!]!) { setEquipment(userId: $id, equipment: $eq) { id } }";
    stack
        .ok(
            &caller,
            equipment,
            json!({ "id": id, "eq": ["BARBELL", "BENCH"] }),
        )
        .await;
    let second = today(&stack, &caller).await;
    assert_ne!(second["id"], first["id"]);
    assert_coherent(&second, FitnessLevel::Intermediate, &["BARBELL", "BENCH"]);
    assert_eq!(today(&stack, &caller).await, second);

    // So does the goal; the replaced workout is gone from the user's list.
    stack
        .ok(
            &caller,
            goals,
            json!({ "id": id, "input": { "primaryGoal": "ENDURANCE" } }),
        )
        .await;
    let third = today(&stack, &caller).await;
    assert_ne!(third["id"], second["id"]);
    let listed = stack
        .ok(&caller, "{ me { workouts { id } } }", json!({}))
        .await;
    assert_eq!(listed["me"]["workouts"], json!([{ "id": third["id"] }]));
}

async fn red_recovery_makes_it_a_mobility_day(backend: Backend) {
    let stack = seeded_stack(backend).await;
    let (caller, id) = onboard(
        &stack,
        Goal::MuscleGain,
        FitnessLevel::Advanced,
        &["BARBELL"],
    )
    .await;
    // A month of high HRV, then three days far below it: recovery is RED.
    let now = subgraph_common::clock::now();
    let readings: Vec<Value> = (0..40)
        .map(|days_ago| {
            let value = if days_ago < 3 { 20.0 } else { 80.0 + (days_ago % 5) as f64 };
            let at = now - chrono::Duration::days(days_ago) - chrono::Duration::hours(1);
            json!({ "kind": "HRV_RMSSD", "value": value, "recordedAt": at.to_rfc3339(), "source": "strap" })
        })
        .collect();
    let record = "mutation($id: ID!, $r: [WearableReadingInput!]!) { recordWearableReadings(userId: $id, readings: $r) { accepted } }";
    stack
        .ok(&caller, record, json!({ "id": id, "r": readings }))
        .await;
    let band = stack
        .ok(&caller, "{ me { recovery { band } } }", json!({}))
        .await;
    assert_eq!(band["me"]["recovery"]["band"], "RED");

    let workout = today(&stack, &caller).await;
    assert_eq!(workout["kind"], "MOBILITY", "{workout:#}");
    assert!(
        workout["reason"]
            .as_str()
            .unwrap_or_default()
            .contains("ecovery"),
        "{workout:#}"
    );
    for item in workout["exercises"].as_array().expect("a list") {
        assert_eq!(
            item["load"],
            Value::Null,
            "no load on a mobility day: {item:#}"
        );
    }
}

async fn nobody_reads_another_users_workout_and_upcoming_is_bounded(backend: Backend) {
    let stack = seeded_stack(backend).await;
    let (caller, id) = onboard(&stack, Goal::WeightLoss, FitnessLevel::Beginner, &[]).await;
    let (stranger, _) = onboard(&stack, Goal::WeightLoss, FitnessLevel::Beginner, &[]).await;
    let query = "query($id: ID!) { user(id: $id) { todayWorkout { id } } }";
    let data = stack.ok(&stranger, query, json!({ "id": id })).await;
    assert_eq!(data["user"], Value::Null);

    let week = stack
        .ok(
            &caller,
            "{ me { upcoming(days: 7) { date kind reason exercises { sets } } } }",
            json!({}),
        )
        .await;
    let days = week["me"]["upcoming"].as_array().expect("a list");
    assert_eq!(days.len(), 7);
    let response = stack
        .graphql(&caller, "{ me { upcoming(days: 30) { date } } }", json!({}))
        .await;
    assert_eq!(
        response["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{response:#}"
    );
}

async fn one_short_day_a_week_without_equipment_still_gets_a_safe_workout(backend: Backend) {
    let stack = seeded_stack(backend).await;
    let (caller, id) = onboard(&stack, Goal::MuscleGain, FitnessLevel::Beginner, &[]).await;
    let goals = "mutation($id: ID!, $input: GoalsInput!) { updateGoals(userId: $id, input: $input) { id } }";
    let input = json!({ "primaryGoal": "MUSCLE_GAIN", "daysPerWeek": 1, "sessionMinutes": 10 });
    stack
        .ok(&caller, goals, json!({ "id": id, "input": input }))
        .await;
    let workout = today(&stack, &caller).await;
    assert_coherent(&workout, FitnessLevel::Beginner, &[]);
    let exercises = workout["exercises"].as_array().expect("a list");
    assert!(
        exercises.len() <= 2,
        "ten minutes hold one or two exercises: {workout:#}"
    );
}
