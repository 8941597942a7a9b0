//! The shared event bus: subgraphs publish domain events on topics and live features
//! (subscriptions, read-model refreshes) consume them. One trait, two implementations:
//! in-process (the embedded default) and Redis pub/sub (several instances in
//! production). Both pass the same test suite.
//!
//! Delivery is at most once and only to subscribers present when an event is published:
//! the bus carries notifications for live screens and caches, never data of record.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use futures::{Stream, StreamExt};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use uuid::Uuid;

/// How many events an in-process subscriber may fall behind before it misses some.
const SUBSCRIBER_BUFFER: usize = 1024;

/// Something that happened in one subgraph that others may care about. Workout events
/// carry `at`, the domain instant ([`crate::clock::now`]) they happened; the events
/// feedback publishes also carry `sets_logged`, how many sets the user has logged in that
/// workout by then, so a subscriber joining mid-workout still counts right.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DomainEvent {
    SetLogged {
        user_id: Uuid,
        workout_id: Uuid,
        exercise_id: Uuid,
        set_index: u32,
        reps: u32,
        load_kg: f64,
        reps_in_reserve: Option<u32>,
        sets_logged: u32,
        at: DateTime<Utc>,
    },
    WorkoutStarted {
        user_id: Uuid,
        workout_id: Uuid,
        at: DateTime<Utc>,
    },
    WorkoutCompleted {
        user_id: Uuid,
        workout_id: Uuid,
        sets_logged: u32,
        at: DateTime<Utc>,
    },
    RestStarted {
        user_id: Uuid,
        workout_id: Uuid,
        exercise_id: Option<Uuid>,
        seconds: u32,
        sets_logged: u32,
        at: DateTime<Utc>,
    },
    RestEnded {
        user_id: Uuid,
        workout_id: Uuid,
        sets_logged: u32,
        at: DateTime<Utc>,
    },
    ExerciseFinished {
        user_id: Uuid,
        workout_id: Uuid,
        exercise_id: Uuid,
        skipped: bool,
        sets_logged: u32,
        at: DateTime<Utc>,
    },
    ExerciseChanged {
        exercise_id: Uuid,
    },
    ProfileChanged {
        user_id: Uuid,
    },
    /// The user's workout for `date` was generated, regenerated, started, skipped or
    /// completed: devices showing it re-fetch `todayWorkout`.
    TodayWorkoutChanged {
        user_id: Uuid,
        date: NaiveDate,
        workout_id: Option<Uuid>,
        reason: String,
    },
}

impl DomainEvent {
    /// The event's name, for metrics.
    pub fn kind(&self) -> &'static str {
        match self {
            DomainEvent::SetLogged { .. } => "set_logged",
            DomainEvent::WorkoutStarted { .. } => "workout_started",
            DomainEvent::WorkoutCompleted { .. } => "workout_completed",
            DomainEvent::RestStarted { .. } => "rest_started",
            DomainEvent::RestEnded { .. } => "rest_ended",
            DomainEvent::ExerciseFinished { .. } => "exercise_finished",
            DomainEvent::ExerciseChanged { .. } => "exercise_changed",
            DomainEvent::ProfileChanged { .. } => "profile_changed",
            DomainEvent::TodayWorkoutChanged { .. } => "today_workout_changed",
        }
    }

    /// When it happened, for the events that say.
    fn occurred_at(&self) -> Option<DateTime<Utc>> {
        match self {
            DomainEvent::SetLogged { at, .. }
            | DomainEvent::WorkoutStarted { at, .. }
            | DomainEvent::WorkoutCompleted { at, .. }
            | DomainEvent::RestStarted { at, .. }
            | DomainEvent::RestEnded { at, .. }
            | DomainEvent::ExerciseFinished { at, .. } => Some(*at),
            _ => None,
        }
    }
}

/// Counts a delivered event and, when it says when it happened, how long it took
/// to arrive (`fitgraph_bus_lag_seconds`).
fn observe_delivery(event: &DomainEvent) {
    metrics::counter!("fitgraph_bus_events_received_total", "event" => event.kind()).increment(1);
    if let Some(at) = event.occurred_at() {
        let lag = (crate::clock::now() - at)
            .num_microseconds()
            .unwrap_or(0)
            .max(0);
        metrics::histogram!("fitgraph_bus_lag_seconds").record(lag as f64 / 1e6);
    }
}

/// The topic of everything that happens during one workout.
pub fn workout_topic(workout_id: Uuid) -> String {
    format!("workout:{workout_id}")
}

/// The topic of changes to one user's profile and today's workout.
pub fn user_topic(user_id: Uuid) -> String {
    format!("user:{user_id}")
}

/// The topic of changes to the exercise library.
pub fn exercises_topic() -> String {
    "exercises".to_owned()
}

impl DomainEvent {
    /// The topic this event is published on.
    pub fn topic(&self) -> String {
        match self {
            DomainEvent::SetLogged { workout_id, .. }
            | DomainEvent::WorkoutStarted { workout_id, .. }
            | DomainEvent::WorkoutCompleted { workout_id, .. }
            | DomainEvent::RestStarted { workout_id, .. }
            | DomainEvent::RestEnded { workout_id, .. }
            | DomainEvent::ExerciseFinished { workout_id, .. } => workout_topic(*workout_id),
            DomainEvent::ProfileChanged { user_id }
            | DomainEvent::TodayWorkoutChanged { user_id, .. } => user_topic(*user_id),
            DomainEvent::ExerciseChanged { .. } => exercises_topic(),
        }
    }
}

/// How long to wait before subscribing again when the bus refused or ended a subscription.
const RESUBSCRIBE_AFTER: Duration = Duration::from_secs(5);

/// Runs `on_change` once after each burst of exercise-library changes, for a copy of
/// the catalog kept outside the exercises subgraph: such copies are kept a day, and
/// this is what makes an edit show within seconds instead. Missed events count as
/// changes, since any of them may have been one. Runs until the process ends.
pub fn follow_exercise_changes<F, Fut>(
    bus: Arc<dyn EventBus>,
    on_change: F,
) -> tokio::task::JoinHandle<()>
where
    F: Fn() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        loop {
            match bus.subscribe(&exercises_topic()).await {
                Ok(mut stream) => {
                    while stream.next().await.is_some() {
                        // A bulk import announces many changes at once: one reload covers them.
                        while let Some(Some(_)) = futures::FutureExt::now_or_never(stream.next()) {}
                        on_change().await;
                    }
                }
                Err(error) => {
                    tracing::warn!(%error, "cannot follow exercise changes; retrying")
                }
            }
            tokio::time::sleep(RESUBSCRIBE_AFTER).await;
        }
    })
}

/// How long a publish may take before it is given up (a Redis that stopped answering).
const PUBLISH_TIMEOUT: Duration = Duration::from_secs(2);

/// Publishes `event` on its topic after the write it reports has committed. The bus
/// only notifies, so a failure is logged and never fails the write.
pub async fn announce(bus: &dyn EventBus, event: &DomainEvent) {
    let topic = event.topic();
    metrics::counter!("fitgraph_bus_events_published_total", "event" => event.kind()).increment(1);
    match tokio::time::timeout(PUBLISH_TIMEOUT, bus.publish(&topic, event)).await {
        Ok(Ok(())) => {}
        Ok(Err(error)) => tracing::warn!(%error, %topic, "an event could not be published"),
        Err(_) => tracing::warn!(%topic, "publishing an event timed out"),
    }
}

/// What a subscriber receives: an event, or word that it fell behind and missed some.
#[derive(Debug, Clone, PartialEq)]
pub enum Delivery {
    Event(DomainEvent),
    Missed(u64),
}

pub type EventStream = Pin<Box<dyn Stream<Item = Delivery> + Send>>;

#[derive(Debug, thiserror::Error)]
pub enum EventBusError {
    #[error("cannot reach Redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("an event does not encode: {0}")]
    Encode(#[from] serde_json::Error),
}

#[async_trait::async_trait]
pub trait EventBus: Send + Sync {
    /// Sends `event` to every current subscriber of `topic`.
    async fn publish(&self, topic: &str, event: &DomainEvent) -> Result<(), EventBusError>;
    /// Events published on `topic` from now on, in publication order.
    async fn subscribe(&self, topic: &str) -> Result<EventStream, EventBusError>;
}

/// The Redis bus when a URL is configured, otherwise the in-process one.
pub async fn connect(
    redis_url: Option<&str>,
    namespace: &str,
) -> Result<Arc<dyn EventBus>, EventBusError> {
    match redis_url {
        Some(url) => Ok(Arc::new(RedisBus::connect(url, namespace).await?)),
        None => Ok(Arc::new(MemoryBus::default())),
    }
}

/// [`announce`] on the bus of the schema serving `ctx` (its `Arc<dyn EventBus>` data).
pub async fn announce_in(ctx: &async_graphql::Context<'_>, event: &DomainEvent) {
    match ctx.data_opt::<Arc<dyn EventBus>>() {
        Some(bus) => announce(bus.as_ref(), event).await,
        None => {
            tracing::error!(topic = %event.topic(), "the schema has no event bus; an event was dropped")
        }
    }
}

/// The bus `settings` configure: Redis at `redis_url` under `events.namespace`, else
/// in-process.
pub async fn from_settings(settings: &crate::Settings) -> Result<Arc<dyn EventBus>, EventBusError> {
    connect(settings.redis_url.as_deref(), &settings.events.namespace).await
}

/// A fresh in-process bus, for a process (or test) that shares it with nobody else.
pub fn in_process() -> Arc<dyn EventBus> {
    Arc::new(MemoryBus::default())
}

/// One broadcast channel per topic, inside this process.
#[derive(Default)]
pub struct MemoryBus {
    topics: Mutex<HashMap<String, broadcast::Sender<DomainEvent>>>,
}

impl MemoryBus {
    fn sender(&self, topic: &str) -> broadcast::Sender<DomainEvent> {
        let mut topics = self
            .topics
            .lock()
            .expect("the topic map's lock is never poisoned");
        // Topics nobody listens to any more are dropped so the map stays bounded.
        topics.retain(|_, sender| sender.receiver_count() > 0);
        topics
            .entry(topic.to_owned())
            .or_insert_with(|| broadcast::channel(SUBSCRIBER_BUFFER).0)
            .clone()
    }
}

#[async_trait::async_trait]
impl EventBus for MemoryBus {
    async fn publish(&self, topic: &str, event: &DomainEvent) -> Result<(), EventBusError> {
        // No subscriber is not an error: nobody is watching.
        let _ = self.sender(topic).send(event.clone());
        Ok(())
    }

    async fn subscribe(&self, topic: &str) -> Result<EventStream, EventBusError> {
        let receiver = self.sender(topic).subscribe();
        Ok(Box::pin(BroadcastStream::new(receiver).map(
            |item| match item {
                Ok(event) => {
                    observe_delivery(&event);
                    Delivery::Event(event)
                }
                Err(BroadcastStreamRecvError::Lagged(missed)) => Delivery::Missed(missed),
            },
        )))
    }
}

/// Redis pub/sub: every instance connected to the same Redis sees every event.
pub struct RedisBus {
    client: redis::Client,
    publisher: redis::aio::ConnectionManager,
    namespace: String,
}

impl RedisBus {
    pub async fn connect(url: &str, namespace: &str) -> Result<RedisBus, EventBusError> {
        let client = redis::Client::open(url)?;
        let publisher = redis::aio::ConnectionManager::new(client.clone()).await?;
        Ok(RedisBus {
            client,
            publisher,
            namespace: namespace.to_owned(),
        })
    }

    fn channel(&self, topic: &str) -> String {
        format!("{}:events:{topic}", self.namespace)
    }
}

#[async_trait::async_trait]
impl EventBus for RedisBus {
    async fn publish(&self, topic: &str, event: &DomainEvent) -> Result<(), EventBusError> {
        let payload = serde_json::to_string(event)?;
        let mut connection = self.publisher.clone();
        let _: i64 = redis::cmd("PUBLISH")
            .arg(self.channel(topic))
            .arg(payload)
            .query_async(&mut connection)
            .await?;
        Ok(())
    }

    async fn subscribe(&self, topic: &str) -> Result<EventStream, EventBusError> {
        // Each subscription has its own connection: a pub/sub connection can do nothing else.
        let mut pubsub = self.client.get_async_pubsub().await?;
        pubsub.subscribe(self.channel(topic)).await?;
        let events = pubsub.into_on_message().filter_map(|message| async move {
            let payload: String = message.get_payload().ok()?;
            match serde_json::from_str::<DomainEvent>(&payload) {
                Ok(event) => {
                    observe_delivery(&event);
                    Some(Delivery::Event(event))
                }
                Err(err) => {
                    tracing::warn!(error = %err, "an undecodable event on the bus was dropped");
                    None
                }
            }
        });
        Ok(Box::pin(events))
    }
}
