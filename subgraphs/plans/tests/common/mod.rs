//! Shared setup for the plans tests: a migrated database, the schema over it,
//! and fixtures written through the public API, each as the user it is for.

#![allow(dead_code)] // each test binary uses its own subset

pub mod live;

use async_graphql::{Request, Variables};
use fitgraph_entities::plans::{programs, workout_exercises, workouts};
use plans_subgraph::{Migrator, PlansSchema};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use subgraph_common::events::EventBus;
use subgraph_common::testing::{Backend, StatementLog, TestDatabase};
use subgraph_common::{Identity, Settings};

pub const USER: &str = "0192f000-0000-7000-8000-000000000001";
pub const OTHER_USER: &str = "0192f000-0000-7000-8000-000000000002";
pub const SQUAT: &str = "0192f000-0000-7000-8000-0000000000a1";
pub const BENCH: &str = "0192f000-0000-7000-8000-0000000000a2";

pub struct Rig {
    /// Kept alive so the database outlives the test.
    pub db: TestDatabase,
    pub conn: DatabaseConnection,
    pub schema: PlansSchema,
}

pub async fn rig(backend: Backend) -> Rig {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let schema = plans_subgraph::schema(conn.clone(), &Settings::default());
    Rig { db, conn, schema }
}

/// A rig whose schema publishes and subscribes on `bus`, without a recommender.
pub async fn rig_on(backend: Backend, bus: std::sync::Arc<dyn EventBus>) -> Rig {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let schema = plans_subgraph::schema_with(conn.clone(), None, bus);
    Rig { db, conn, schema }
}

/// A rig whose statements are logged, for counting queries.
pub async fn logged_rig(backend: Backend) -> (Rig, StatementLog) {
    let db = TestDatabase::create(backend).await;
    let mut conn = db.migrated::<Migrator>().await;
    let log = StatementLog::attach(&mut conn);
    let schema = plans_subgraph::schema(conn.clone(), &Settings::default());
    (Rig { db, conn, schema }, log)
}

/// `user` signed in, as the gateway forwards them.
pub fn signed_in(user: &str) -> Identity {
    Identity::user(user, &[])
}

impl Rig {
    /// Runs an operation in-process as `identity` and returns the response as JSON.
    pub async fn run_as(&self, identity: &Identity, query: &str, variables: Value) -> Value {
        let request = Request::new(query)
            .variables(Variables::from_json(variables))
            .data(identity.clone());
        let response = self.schema.execute(request).await;
        serde_json::to_value(&response).expect("a GraphQL response serializes")
    }

    /// Runs an operation as [`USER`], whom most tests act for.
    pub async fn run(&self, query: &str, variables: Value) -> Value {
        self.run_as(&signed_in(USER), query, variables).await
    }

    /// Runs an operation as `identity` that must succeed and returns its `data`.
    pub async fn ok_as(&self, identity: &Identity, query: &str, variables: Value) -> Value {
        let response = self.run_as(identity, query, variables).await;
        assert!(
            response.get("errors").is_none(),
            "unexpected errors: {response:#}"
        );
        response["data"].clone()
    }

    /// [`Rig::ok_as`] as [`USER`].
    pub async fn ok(&self, query: &str, variables: Value) -> Value {
        self.ok_as(&signed_in(USER), query, variables).await
    }

    /// Creates a program as `user`, for `user`.
    pub async fn create_program(&self, user: &str, deload_every_weeks: i64) -> String {
        let input = json!({
            "userId": user, "goal": "MUSCLE_GAIN", "startDate": "2026-11-23", "deloadEveryWeeks": deload_every_weeks,
        });
        let data = self
            .ok_as(&signed_in(user), CREATE_PROGRAM, json!({ "input": input }))
            .await;
        string_at(&data, "/createProgram/id")
    }

    /// Schedules `input` as the user it names.
    pub async fn schedule(&self, input: Value) -> String {
        let user = signed_in(&string_at(&input, "/userId"));
        let data = self
            .ok_as(&user, SCHEDULE_WORKOUT, json!({ "input": input }))
            .await;
        string_at(&data, "/scheduleWorkout/id")
    }

    pub async fn counts(&self) -> RowCounts {
        RowCounts {
            programs: programs::Entity::find()
                .count(&self.conn)
                .await
                .expect("count programs"),
            workouts: workouts::Entity::find()
                .count(&self.conn)
                .await
                .expect("count workouts"),
            workout_exercises: workout_exercises::Entity::find()
                .count(&self.conn)
                .await
                .expect("count workout_exercises"),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RowCounts {
    pub programs: u64,
    pub workouts: u64,
    pub workout_exercises: u64,
}

pub fn string_at(value: &Value, pointer: &str) -> String {
    value
        .pointer(pointer)
        .and_then(Value::as_str)
        .unwrap_or_else(|| panic!("no string at {pointer} in {value:#}"))
        .to_owned()
}

/// A valid scheduling input for `user` on `date` with two exercises.
pub fn workout_input(user: &str, date: &str) -> Value {
    json!({
        "userId": user,
        "date": date,
        "title": "Lower body A",
        "programId": null,
        "exercises": [
            { "exerciseId": SQUAT, "sets": 4, "repMin": 6, "repMax": 8, "targetLoadKg": 100.0, "restSeconds": 180 },
            { "exerciseId": BENCH, "sets": 3, "repMin": 8, "repMax": 12, "targetLoadKg": null, "restSeconds": 90 },
        ],
    })
}

pub const CREATE_PROGRAM: &str = r#"
mutation ($input: CreateProgramInput!) {
  createProgram(input: $input) { id userId goal startDate currentWeek deloadEveryWeeks isDeloadWeek }
}"#;

pub const SCHEDULE_WORKOUT: &str = r#"
mutation ($input: ScheduleWorkoutInput!) {
  scheduleWorkout(input: $input) {
    id userId date title status startedAt completedAt
    program { id }
    exercises { position sets repMin repMax targetLoadKg restSeconds exercise { id } }
  }
}"#;

pub const START_WORKOUT: &str = r#"
mutation ($id: ID!) { startWorkout(workoutId: $id) { id status startedAt } }"#;

pub const SKIP_WORKOUT: &str = r#"
mutation ($id: ID!) { skipWorkout(workoutId: $id) { id status startedAt } }"#;
