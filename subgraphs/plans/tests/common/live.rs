//! Driving subscriptions in-process, and the events other subgraphs publish.

use std::time::Duration;

use async_graphql::{Request, Response, Variables};
use chrono::{DateTime, Utc};
use futures::StreamExt;
use plans_subgraph::PlansSchema;
use serde_json::Value;
use subgraph_common::Identity;
use subgraph_common::events::DomainEvent;
use subgraph_common::testing::ObservedBus;
use tokio::sync::mpsc;
use uuid::Uuid;

/// A subscription of the plans schema, driven by a task of its own (as a WebSocket
/// connection drives it) and read one response at a time. The task hands over one
/// response at a time, so a test that stops reading makes the subscription fall
/// behind the bus.
pub struct Live {
    responses: mpsc::Receiver<Response>,
}

impl Live {
    /// Starts `query` as `identity` and returns once it listens on `topics` more topics
    /// of `bus`, so events published afterwards reach it.
    pub async fn start(
        schema: &PlansSchema,
        bus: &ObservedBus,
        identity: &Identity,
        query: &str,
        variables: Value,
        topics: usize,
    ) -> Live {
        let listening = bus.subscriptions() + topics;
        let mut live = Live::open(schema, identity, query, variables);
        tokio::select! {
            response = live.responses.recv() => {
                panic!("the subscription answered before any event: {response:?}")
            }
            () = bus.wait_for_subscriptions(listening) => {}
        }
        live
    }

    /// Opens `query` without waiting: for subscriptions refused at the start.
    pub fn open(schema: &PlansSchema, identity: &Identity, query: &str, variables: Value) -> Live {
        let request = Request::new(query)
            .variables(Variables::from_json(variables))
            .data(identity.clone());
        let mut stream = schema.execute_stream(request);
        let (sender, responses) = mpsc::channel(1);
        tokio::spawn(async move {
            while let Some(response) = stream.next().await {
                if sender.send(response).await.is_err() {
                    break;
                }
            }
        });
        Live { responses }
    }

    /// The next response as JSON (within 5 s).
    pub async fn next(&mut self) -> Value {
        let response = tokio::time::timeout(Duration::from_secs(5), self.responses.recv())
            .await
            .expect("a response within 5 s")
            .expect("the subscription is still open");
        serde_json::to_value(&response).expect("a response serializes")
    }

    /// The next response's `data`, which must come without errors.
    pub async fn next_data(&mut self) -> Value {
        let response = self.next().await;
        assert!(response.get("errors").is_none(), "errors: {response:#}");
        response["data"].clone()
    }

    /// Asserts the subscription completes (within 5 s) without another response.
    pub async fn ends(&mut self) {
        let next = tokio::time::timeout(Duration::from_secs(5), self.responses.recv())
            .await
            .expect("the subscription completes within 5 s");
        assert!(next.is_none(), "no more responses: {next:?}");
    }

    /// Asserts nothing arrives for a while.
    pub async fn stays_quiet(&mut self) {
        let next = tokio::time::timeout(Duration::from_millis(300), self.responses.recv()).await;
        assert!(next.is_err(), "nothing more: {next:?}");
    }
}

pub fn uuid(text: &str) -> Uuid {
    Uuid::parse_str(text).expect("a test id is a UUID")
}

pub fn instant(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .expect("an RFC 3339 instant")
        .with_timezone(&Utc)
}

/// A set as feedback announces it once it is written.
pub struct Set {
    pub user: &'static str,
    pub workout: String,
    pub exercise: &'static str,
    pub number: u32,
    pub reps: u32,
    pub load_kg: f64,
    pub sets_logged: u32,
    pub at: DateTime<Utc>,
}

impl Set {
    pub fn event(&self) -> DomainEvent {
        DomainEvent::SetLogged {
            user_id: uuid(self.user),
            workout_id: uuid(&self.workout),
            exercise_id: uuid(self.exercise),
            set_index: self.number,
            reps: self.reps,
            load_kg: self.load_kg,
            reps_in_reserve: Some(2),
            sets_logged: self.sets_logged,
            at: self.at,
        }
    }
}

pub const WORKOUT_PROGRESS: &str = r#"
subscription ($id: ID!) {
  workoutProgress(workoutId: $id) {
    kind workoutId at elapsedSeconds exercise { id }
    setNumber reps loadKg repsInReserve restSeconds setsLogged
    nextExercise { position exercise { id } }
  }
}"#;

pub const TODAY_WORKOUT_CHANGED: &str =
    "subscription { todayWorkoutChanged { date workoutId reason } }";
