//! Shared helpers for the exercises subgraph's integration tests.
#![allow(dead_code)]

use std::sync::LazyLock;

use async_graphql::{Request, Variables};
use exercises_subgraph::{Attribution, ExerciseDraft, ExerciseRecord, ExercisesSchema};
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use subgraph_common::Settings;
use subgraph_common::access::{Identity, scopes};
use subgraph_common::vocab::{Category, Difficulty, Equipment, Mechanic, MovementPattern, Muscle};
use uuid::Uuid;

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

/// The user id of the editor the tests edit as.
pub static EDITOR_ID: LazyLock<Uuid> = LazyLock::new(Uuid::now_v7);

/// A signed-in user holding the `editor` scope.
pub fn editor() -> Identity {
    Identity::user(EDITOR_ID.to_string(), &[scopes::EDITOR])
}

/// A signed-in user with no scopes.
pub fn member(id: Uuid) -> Identity {
    Identity::user(id.to_string(), &[])
}

/// Runs an operation in process as an anonymous caller and returns the response as JSON.
pub async fn run(schema: &ExercisesSchema, query: &str, variables: Value) -> Value {
    run_as(schema, &Identity::anonymous(), query, variables).await
}

/// Runs an operation in process as `identity`, as the gateway would forward it.
pub async fn run_as(
    schema: &ExercisesSchema,
    identity: &Identity,
    query: &str,
    variables: Value,
) -> Value {
    let request = Request::new(query)
        .variables(Variables::from_json(variables))
        .data(identity.clone());
    let response = schema.execute(request).await;
    serde_json::to_value(&response).expect("a GraphQL response serializes to JSON")
}

/// Runs an operation that must succeed as an anonymous caller and returns its `data`.
pub async fn data(schema: &ExercisesSchema, query: &str, variables: Value) -> Value {
    data_as(schema, &Identity::anonymous(), query, variables).await
}

/// Runs an operation that must succeed as `identity` and returns its `data`.
pub async fn data_as(
    schema: &ExercisesSchema,
    identity: &Identity,
    query: &str,
    variables: Value,
) -> Value {
    let response = run_as(schema, identity, query, variables).await;
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

/// Creates an exercise directly, attributed to [`EDITOR_ID`].
pub async fn create(db: &DatabaseConnection, draft: ExerciseDraft) -> ExerciseRecord {
    exercises_subgraph::create_exercise(db, &Attribution::user(*EDITOR_ID), draft)
        .await
        .expect("the test draft is valid")
}

/// Deprecates an exercise directly, attributed to [`EDITOR_ID`].
pub async fn deprecate(db: &DatabaseConnection, id: Uuid) -> ExerciseRecord {
    exercises_subgraph::deprecate_exercise(db, &Attribution::user(*EDITOR_ID), id)
        .await
        .expect("the exercise exists")
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
