//! Shared helpers for the exercises subgraph's integration tests.
#![allow(dead_code)]

use async_graphql::{Request, Variables};
use exercises_subgraph::{ExerciseDraft, ExerciseRecord, ExercisesSchema};
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use subgraph_common::Settings;
use subgraph_common::vocab::{Category, Difficulty, Equipment, Mechanic, MovementPattern, Muscle};

pub const CDN: &str = "https://cdn.fitgraph.test";

pub fn settings() -> Settings {
    Settings {
        cdn_base_url: format!("{CDN}/"),
        ..Settings::default()
    }
}

pub fn schema(db: &DatabaseConnection) -> ExercisesSchema {
    exercises_subgraph::schema(db.clone(), &settings())
}

/// Runs an operation in process and returns the response as JSON.
pub async fn run(schema: &ExercisesSchema, query: &str, variables: Value) -> Value {
    let response = schema
        .execute(Request::new(query).variables(Variables::from_json(variables)))
        .await;
    serde_json::to_value(&response).expect("a GraphQL response serializes to JSON")
}

/// Runs an operation that must succeed and returns its `data`.
pub async fn data(schema: &ExercisesSchema, query: &str, variables: Value) -> Value {
    let response = run(schema, query, variables).await;
    assert!(
        response.get("errors").is_none(),
        "unexpected errors: {response}"
    );
    response["data"].clone()
}

/// A valid editor draft; tests change what they need.
pub fn draft(
    name: &str,
    primary: &[Muscle],
    equipment: Equipment,
    pattern: MovementPattern,
) -> ExerciseDraft {
    ExerciseDraft {
        name: name.to_owned(),
        slug: None,
        instructions: vec!["Set up.".to_owned(), "Move with control.".to_owned()],
        category: Category::Strength,
        mechanic: Some(Mechanic::Compound),
        force: None,
        difficulty: Difficulty::Intermediate,
        primary_muscles: primary.to_vec(),
        secondary_muscles: Vec::new(),
        equipment,
        movement_pattern: pattern,
    }
}

pub async fn create(db: &DatabaseConnection, draft: ExerciseDraft) -> ExerciseRecord {
    exercises_subgraph::create_exercise(db, draft)
        .await
        .expect("the test draft is valid")
}

/// The ids of a list of exercises in a response.
pub fn ids(list: &Value) -> Vec<String> {
    list.as_array()
        .expect("a list of exercises")
        .iter()
        .map(|item| {
            item["id"]
                .as_str()
                .expect("every exercise has an id")
                .to_owned()
        })
        .collect()
}

/// A variables object with one exercise input, as the GraphQL API takes it.
pub fn input(name: &str) -> Value {
    json!({
        "name": name,
        "category": "STRENGTH",
        "difficulty": "BEGINNER",
        "primaryMuscles": ["QUADRICEPS"],
        "secondaryMuscles": ["GLUTES"],
        "equipment": "DUMBBELL",
        "movementPattern": "SQUAT",
        "mechanic": "COMPOUND",
        "instructions": ["Hold the dumbbell at your chest.", "Squat down and stand up."]
    })
}
