//! Shared by the feedback integration tests: a migrated feedback schema, operations run
//! in-process or over HTTP, row counts.
#![allow(dead_code)] // each test file uses its own subset

use async_graphql::{Request, Variables};
use feedback_subgraph::{FeedbackSchema, Migrator};
use fitgraph_entities::feedback::{
    exercise_outcomes, exercise_ratings, set_logs, workout_completions,
};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use subgraph_common::testing::{Backend, StatementLog, TestDatabase};
use subgraph_common::{Identity, Settings};
use uuid::Uuid;

pub struct Feedback {
    /// Kept alive for the whole test: dropping it removes the database.
    pub db: TestDatabase,
    pub conn: DatabaseConnection,
    pub schema: FeedbackSchema,
    pub log: StatementLog,
}

/// A fresh feedback database and schema; the catalog is read from `settings.exercises`,
/// with requests signed like the gateway's.
pub async fn feedback(backend: Backend, settings: &Settings) -> Feedback {
    feedback_on(backend, settings, subgraph_common::events::in_process()).await
}

/// [`feedback`], publishing on `bus`.
pub async fn feedback_on(
    backend: Backend,
    settings: &Settings,
    bus: std::sync::Arc<dyn subgraph_common::events::EventBus>,
) -> Feedback {
    let db = TestDatabase::create(backend).await;
    let mut conn = db.migrated::<Migrator>().await;
    let log = StatementLog::attach(&mut conn);
    let schema = feedback_subgraph::schema_with_bus(conn.clone(), settings, bus);
    Feedback {
        db,
        conn,
        schema,
        log,
    }
}

/// A feedback schema whose exercises subgraph does not exist (fine for writes).
pub async fn feedback_alone(backend: Backend) -> Feedback {
    feedback(backend, &settings_with_exercises_at(unreachable_url())).await
}

pub fn settings_with_exercises_at(url: String) -> Settings {
    let mut settings = subgraph_common::testing::test_settings();
    settings.exercises.url = Some(url);
    settings
}

/// A URL nobody listens on: a port the OS just handed out and took back.
pub fn unreachable_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("port 0 is always bindable");
    let address = listener
        .local_addr()
        .expect("a bound listener has an address");
    drop(listener);
    format!("http://{address}/graphql")
}

/// `user` signed in, as the gateway forwards them.
pub fn signed_in(user: &str) -> Identity {
    Identity::user(user, &[])
}

impl Feedback {
    /// Runs an operation in-process as `identity` and returns the response as JSON.
    pub async fn run_as(&self, identity: &Identity, query: &str, variables: Value) -> Value {
        let request = Request::new(query)
            .variables(Variables::from_json(variables))
            .data(identity.clone());
        let response = self.schema.execute(request).await;
        serde_json::to_value(&response).expect("a GraphQL response serializes")
    }

    pub async fn counts(&self) -> [u64; 4] {
        let conn = &self.conn;
        [
            set_logs::Entity::find()
                .count(conn)
                .await
                .expect("count set_logs"),
            workout_completions::Entity::find()
                .count(conn)
                .await
                .expect("count workout_completions"),
            exercise_outcomes::Entity::find()
                .count(conn)
                .await
                .expect("count exercise_outcomes"),
            exercise_ratings::Entity::find()
                .count(conn)
                .await
                .expect("count exercise_ratings"),
        ]
    }
}

pub fn new_id() -> String {
    Uuid::now_v7().to_string()
}

pub const LOG_SET: &str = "mutation($input: LogSetInput!) { logSet(input: $input) { \
    id userId workoutId exerciseId exercise { id } setIndex reps loadKg repsInReserve loggedAt } }";

pub const COMPLETE_WORKOUT: &str = "mutation($input: CompleteWorkoutInput!) { completeWorkout(input: $input) { \
    id userId workoutId sessionRpe completedAt \
    exercises { exerciseId completed skipped difficulty notes } } }";

pub const RATE_EXERCISE: &str = "mutation($input: RateExerciseInput!) { rateExercise(input: $input) { \
    id userId exerciseId rating comment createdAt } }";

pub fn set_input(key: &str, user: &str, exercise: &str, reps: i32, load_kg: f64) -> Value {
    json!({
        "idempotencyKey": key,
        "userId": user,
        "workoutId": Uuid::from_u128(1).to_string(),
        "exerciseId": exercise,
        "setIndex": 1,
        "reps": reps,
        "loadKg": load_kg,
    })
}

pub fn outcome(exercise: &str, completed: bool, skipped: bool, difficulty: Option<i32>) -> Value {
    json!({ "exerciseId": exercise, "completed": completed, "skipped": skipped, "difficulty": difficulty })
}

pub fn completion_input(key: &str, user: &str, workout: &str, exercises: Vec<Value>) -> Value {
    json!({ "idempotencyKey": key, "userId": user, "workoutId": workout, "exercises": exercises, "sessionRpe": 7 })
}
