//! Shared setup: a migrated database, the schema over it with a statement log,
//! and helpers for the operations most tests need.

use std::sync::Arc;

use async_graphql::{Request, Variables};
use chrono::{DateTime, SecondsFormat, Utc};
use fitgraph_entities::profile::{account_deletions, user_equipment, users, wearable_readings};
use profile_subgraph::{DeletionConfig, Migrator, ProfileSchema};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait, QueryOrder};
use serde_json::{Value, json};
use subgraph_common::Identity;
use subgraph_common::events::EventBus;
use subgraph_common::testing::{Backend, StatementLog, TestDatabase, test_credential};
use uuid::Uuid;

pub struct Setup {
    /// Kept alive for the whole test: dropping it removes the database.
    pub _db: TestDatabase,
    pub conn: DatabaseConnection,
    pub schema: ProfileSchema,
    pub log: StatementLog,
    /// The schema's event bus, where profile changes are announced.
    pub bus: Arc<dyn EventBus>,
}

/// A schema whose account deletion has no other subgraph to ask, so tests that
/// do not care about purges never reach out over the network.
pub async fn setup(backend: Backend) -> Setup {
    setup_with(
        backend,
        DeletionConfig::new(Vec::new(), Some(test_credential())),
    )
    .await
}

pub async fn setup_with(backend: Backend, deletion: DeletionConfig) -> Setup {
    let db = TestDatabase::create(backend).await;
    let mut conn = db.migrated::<Migrator>().await;
    // Attached before the schema clones the connection, so the schema's queries are logged.
    let log = StatementLog::attach(&mut conn);
    let bus = subgraph_common::events::in_process();
    let schema = profile_subgraph::schema_with(conn.clone(), deletion, bus.clone());
    Setup {
        _db: db,
        conn,
        schema,
        log,
        bus,
    }
}

/// A signed-in user whose token subject is `id`.
pub fn as_user(id: &str) -> Identity {
    Identity::user(id, &[])
}

/// A user id no one has used yet, as a fresh token subject.
pub fn new_subject() -> String {
    Uuid::now_v7().to_string()
}

impl Setup {
    /// Executes an operation in process as `identity` and returns the response as JSON.
    pub async fn run_as(&self, identity: &Identity, query: &str, variables: Value) -> Value {
        let request = Request::new(query)
            .variables(Variables::from_json(variables))
            .data(identity.clone());
        let response = self.schema.execute(request).await;
        serde_json::to_value(&response).expect("a GraphQL response serialises to JSON")
    }

    /// Executes an operation with no identity at all, as the HTTP layer never would.
    pub async fn run_anonymous(&self, query: &str, variables: Value) -> Value {
        let request = Request::new(query).variables(Variables::from_json(variables));
        let response = self.schema.execute(request).await;
        serde_json::to_value(&response).expect("a GraphQL response serialises to JSON")
    }

    /// Onboards a valid user with `email` as a fresh subject and returns their id
    /// (which is that subject).
    pub async fn create_user(&self, email: &str) -> String {
        let subject = new_subject();
        let response = self
            .run_as(
                &as_user(&subject),
                CREATE_USER,
                json!({ "input": onboarding(email) }),
            )
            .await;
        assert_eq!(response["errors"], Value::Null, "{response}");
        let id = response["data"]["createUser"]["id"]
            .as_str()
            .expect("createUser returns an id")
            .to_owned();
        assert_eq!(id, subject, "a profile's id is its owner's user id");
        id
    }

    pub async fn rows(&self) -> Rows {
        Rows {
            users: users::Entity::find()
                .count(&self.conn)
                .await
                .expect("count users"),
            equipment: user_equipment::Entity::find()
                .count(&self.conn)
                .await
                .expect("count user_equipment"),
            readings: wearable_readings::Entity::find()
                .count(&self.conn)
                .await
                .expect("count wearable_readings"),
        }
    }

    /// Every outbox row of account deletions, oldest first.
    pub async fn outbox(&self) -> Vec<account_deletions::Model> {
        account_deletions::Entity::find()
            .order_by_asc(account_deletions::Column::CreatedAt)
            .order_by_asc(account_deletions::Column::Subgraph)
            .all(&self.conn)
            .await
            .expect("read account_deletions")
    }
}

/// Row counts of the three tables, to prove a failed request wrote nothing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rows {
    pub users: u64,
    pub equipment: u64,
    pub readings: u64,
}

pub const USER_FIELDS: &str = "id displayName email birthYear sex heightCm weightKg primaryGoal fitnessLevel \
     daysPerWeek sessionMinutes preferredTimeOfDay equipment";

pub const CREATE_USER: &str = "mutation($input: OnboardingInput!) { createUser(input: $input) { \
     id displayName email birthYear sex heightCm weightKg primaryGoal fitnessLevel \
     daysPerWeek sessionMinutes preferredTimeOfDay equipment } }";

pub const RECORD_READINGS: &str = "mutation($userId: ID!, $readings: [WearableReadingInput!]!) { \
     recordWearableReadings(userId: $userId, readings: $readings) { accepted duplicates } }";

pub const SET_EQUIPMENT: &str = "mutation($userId: ID!, $equipment: [Equipment!]!) { \
     setEquipment(userId: $userId, equipment: $equipment) { id equipment } }";

/// A valid onboarding questionnaire.
pub fn onboarding(email: &str) -> Value {
    json!({
        "displayName": "Ada Lovelace",
        "email": email,
        "birthYear": 1990,
        "sex": "FEMALE",
        "heightCm": 170.5,
        "weightKg": 62.0,
        "primaryGoal": "MUSCLE_GAIN",
        "fitnessLevel": "INTERMEDIATE",
        "daysPerWeek": 4,
        "sessionMinutes": 45,
        "preferredTimeOfDay": "EVENING",
        "equipment": ["DUMBBELL", "BARBELL"],
    })
}

/// A reading input as JSON.
pub fn reading(kind: &str, value: f64, recorded_at: DateTime<Utc>, source: &str) -> Value {
    json!({
        "kind": kind,
        "value": value,
        "recordedAt": recorded_at.to_rfc3339_opts(SecondsFormat::Micros, true),
        "source": source,
    })
}

pub fn message(response: &Value) -> &str {
    response["errors"][0]["message"]
        .as_str()
        .unwrap_or("<no error>")
}
