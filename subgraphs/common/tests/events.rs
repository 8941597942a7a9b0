//! The event bus suite, run against the in-process bus and (with `TEST_REDIS_URL`,
//! `cargo test -- --ignored redis`) against Redis pub/sub.

use std::sync::Arc;
use std::time::Duration;

use chrono::{DateTime, NaiveDate, Utc};
use futures::StreamExt;
use subgraph_common::events::{
    Delivery, DomainEvent, EventBus, EventBusError, EventStream, MemoryBus, RedisBus, announce,
    exercises_topic, user_topic, workout_topic,
};
use uuid::Uuid;

macro_rules! bus_tests {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn memory() {
                super::$name(std::sync::Arc::new(subgraph_common::events::MemoryBus::default())).await
            }

            #[tokio::test]
            #[ignore = "Redis: set TEST_REDIS_URL and run with --ignored"]
            async fn redis() {
                super::$name(super::redis_bus().await).await
            }
        }
    )+};
}

bus_tests!(
    every_kind_of_event_arrives_intact_on_its_topic,
    subscribers_get_every_event_in_order,
    topics_are_kept_apart,
    every_subscriber_gets_its_own_copy,
    a_dropped_subscriber_does_not_disturb_the_others,
);

async fn redis_bus() -> Arc<dyn EventBus> {
    let url = std::env::var("TEST_REDIS_URL")
        .expect("Redis tests need TEST_REDIS_URL, e.g. redis://127.0.0.1:6379");
    // A namespace per test keeps parallel tests apart on one server.
    let namespace = format!("test-{}", Uuid::now_v7());
    Arc::new(
        RedisBus::connect(&url, &namespace)
            .await
            .expect("Redis is reachable"),
    )
}

fn completed(n: u128) -> DomainEvent {
    DomainEvent::WorkoutCompleted {
        user_id: Uuid::from_u128(n),
        workout_id: Uuid::from_u128(n + 1000),
        sets_logged: 12,
        at: at(0),
    }
}

fn at(seconds: i64) -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_000_000 + seconds, 123_456_000).expect("a valid instant")
}

/// One event of every kind, each on the topic it belongs to.
fn one_of_each() -> Vec<DomainEvent> {
    let (user_id, workout_id, exercise_id) =
        (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(3));
    vec![
        DomainEvent::WorkoutStarted {
            user_id,
            workout_id,
            at: at(0),
        },
        DomainEvent::SetLogged {
            user_id,
            workout_id,
            exercise_id,
            set_index: 1,
            reps: 8,
            load_kg: 62.5,
            reps_in_reserve: Some(2),
            sets_logged: 1,
            at: at(60),
        },
        DomainEvent::RestStarted {
            user_id,
            workout_id,
            exercise_id: Some(exercise_id),
            seconds: 90,
            sets_logged: 1,
            at: at(70),
        },
        DomainEvent::RestEnded {
            user_id,
            workout_id,
            sets_logged: 1,
            at: at(160),
        },
        DomainEvent::ExerciseFinished {
            user_id,
            workout_id,
            exercise_id,
            skipped: true,
            sets_logged: 1,
            at: at(170),
        },
        DomainEvent::WorkoutCompleted {
            user_id,
            workout_id,
            sets_logged: 1,
            at: at(900),
        },
        DomainEvent::ExerciseChanged { exercise_id },
        DomainEvent::ProfileChanged { user_id },
        DomainEvent::TodayWorkoutChanged {
            user_id,
            date: NaiveDate::from_ymd_opt(2026, 11, 22).expect("a valid day"),
            workout_id: None,
            reason: "PROFILE_CHANGED".to_owned(),
        },
    ]
}

async fn next(stream: &mut EventStream) -> Delivery {
    tokio::time::timeout(Duration::from_secs(5), stream.next())
        .await
        .expect("an event arrives within 5 s")
        .expect("the stream stays open")
}

async fn nothing_more(stream: &mut EventStream) {
    let more = tokio::time::timeout(Duration::from_millis(300), stream.next()).await;
    assert!(more.is_err(), "no further event: {more:?}");
}

async fn every_kind_of_event_arrives_intact_on_its_topic(bus: Arc<dyn EventBus>) {
    let events = one_of_each();
    let mut workout = bus
        .subscribe(&workout_topic(Uuid::from_u128(2)))
        .await
        .expect("subscribes");
    let mut user = bus
        .subscribe(&user_topic(Uuid::from_u128(1)))
        .await
        .expect("subscribes");
    let mut library = bus.subscribe(&exercises_topic()).await.expect("subscribes");
    for event in &events {
        bus.publish(&event.topic(), event).await.expect("publishes");
    }
    for event in events {
        let stream = match &event {
            DomainEvent::ExerciseChanged { .. } => &mut library,
            DomainEvent::ProfileChanged { .. } | DomainEvent::TodayWorkoutChanged { .. } => {
                &mut user
            }
            _ => &mut workout,
        };
        assert_eq!(next(stream).await, Delivery::Event(event));
    }
    nothing_more(&mut workout).await;
    nothing_more(&mut user).await;
    nothing_more(&mut library).await;
}

#[test]
fn topics_are_named_in_one_place() {
    let id = Uuid::from_u128(0xabc);
    assert_eq!(workout_topic(id), format!("workout:{id}"));
    assert_eq!(user_topic(id), format!("user:{id}"));
    assert_eq!(exercises_topic(), "exercises");
    let topics: Vec<String> = one_of_each().iter().map(DomainEvent::topic).collect();
    let workout = workout_topic(Uuid::from_u128(2));
    let user = user_topic(Uuid::from_u128(1));
    assert_eq!(topics[..6], vec![workout; 6][..]);
    assert_eq!(topics[6], "exercises");
    assert_eq!(topics[7..], vec![user; 2][..]);
}

/// A bus whose Redis is gone: publishing fails, or never answers.
struct Broken {
    hangs: bool,
}

#[async_trait::async_trait]
impl EventBus for Broken {
    async fn publish(&self, _: &str, _: &DomainEvent) -> Result<(), EventBusError> {
        if self.hangs {
            std::future::pending::<()>().await;
        }
        let refused = std::io::Error::new(std::io::ErrorKind::ConnectionRefused, "refused");
        Err(EventBusError::Redis(refused.into()))
    }

    async fn subscribe(&self, _: &str) -> Result<EventStream, EventBusError> {
        Ok(Box::pin(futures::stream::empty()))
    }
}

#[tokio::test]
async fn announcing_on_a_broken_bus_gives_up_instead_of_failing_or_hanging() {
    let started = std::time::Instant::now();
    announce(&Broken { hangs: false }, &completed(1)).await;
    announce(&Broken { hangs: true }, &completed(1)).await;
    assert!(
        started.elapsed() < Duration::from_secs(5),
        "a publish that never answers is given up: {:?}",
        started.elapsed()
    );
}

async fn subscribers_get_every_event_in_order(bus: Arc<dyn EventBus>) {
    let mut stream = bus.subscribe("workout:1").await.expect("subscribes");
    for n in 0..50 {
        bus.publish("workout:1", &completed(n))
            .await
            .expect("publishes");
    }
    for n in 0..50 {
        assert_eq!(next(&mut stream).await, Delivery::Event(completed(n)));
    }
    nothing_more(&mut stream).await;
}

async fn topics_are_kept_apart(bus: Arc<dyn EventBus>) {
    let mut first = bus.subscribe("workout:a").await.expect("subscribes");
    let mut second = bus.subscribe("workout:b").await.expect("subscribes");
    bus.publish("workout:a", &completed(1))
        .await
        .expect("publishes");
    bus.publish("workout:b", &completed(2))
        .await
        .expect("publishes");
    assert_eq!(next(&mut first).await, Delivery::Event(completed(1)));
    assert_eq!(next(&mut second).await, Delivery::Event(completed(2)));
    nothing_more(&mut first).await;
    nothing_more(&mut second).await;
}

async fn every_subscriber_gets_its_own_copy(bus: Arc<dyn EventBus>) {
    let mut phone = bus.subscribe("user:7").await.expect("subscribes");
    let mut watch = bus.subscribe("user:7").await.expect("subscribes");
    let changed = DomainEvent::ProfileChanged {
        user_id: Uuid::from_u128(7),
    };
    bus.publish("user:7", &changed).await.expect("publishes");
    assert_eq!(next(&mut phone).await, Delivery::Event(changed.clone()));
    assert_eq!(next(&mut watch).await, Delivery::Event(changed));
}

async fn a_dropped_subscriber_does_not_disturb_the_others(bus: Arc<dyn EventBus>) {
    let gone = bus.subscribe("workout:9").await.expect("subscribes");
    let mut staying = bus.subscribe("workout:9").await.expect("subscribes");
    drop(gone);
    bus.publish("workout:9", &completed(9))
        .await
        .expect("publishes");
    assert_eq!(next(&mut staying).await, Delivery::Event(completed(9)));
}

#[tokio::test]
async fn an_in_process_subscriber_that_never_reads_misses_events_instead_of_growing() {
    let bus = MemoryBus::default();
    let mut idle = bus.subscribe("workout:slow").await.expect("subscribes");
    let mut reader = bus.subscribe("workout:slow").await.expect("subscribes");
    for n in 0..5_000 {
        bus.publish("workout:slow", &completed(n))
            .await
            .expect("publishes");
        assert_eq!(
            next(&mut reader).await,
            Delivery::Event(completed(n)),
            "the reader keeps up"
        );
    }
    // The idle one kept only a bounded buffer and is told how much it missed.
    assert!(matches!(next(&mut idle).await, Delivery::Missed(missed) if missed > 3_000));
}

/// Counts how often `follow_exercise_changes` ran its reload.
fn counting_follower(bus: Arc<dyn EventBus>) -> tokio::sync::watch::Receiver<usize> {
    let (count, counted) = tokio::sync::watch::channel(0_usize);
    let count = Arc::new(count);
    subgraph_common::events::follow_exercise_changes(bus, move || {
        let count = count.clone();
        async move {
            count.send_modify(|reloads| *reloads += 1);
        }
    });
    counted
}

async fn reloads_reach(
    counted: &mut tokio::sync::watch::Receiver<usize>,
    at_least: usize,
) -> usize {
    let reached = counted.wait_for(|reloads| *reloads >= at_least);
    *tokio::time::timeout(Duration::from_secs(10), reached)
        .await
        .unwrap_or_else(|_| panic!("{at_least} reloads within 10 s"))
        .expect("the follower keeps its counter")
}

fn exercise_changed() -> DomainEvent {
    DomainEvent::ExerciseChanged {
        exercise_id: Uuid::now_v7(),
    }
}

#[tokio::test]
async fn a_copy_of_the_catalog_reloads_after_each_burst_of_exercise_changes() {
    let bus: Arc<dyn EventBus> = Arc::new(MemoryBus::default());
    let mut counted = counting_follower(bus.clone());
    // Other topics are not the library's business.
    announce(bus.as_ref(), &completed(1)).await;
    tokio::time::sleep(Duration::from_millis(100)).await;
    assert_eq!(*counted.borrow(), 0, "nothing in the library changed yet");

    // The follower subscribes in the background: announce until it has heard one.
    let heard = async {
        while *counted.borrow() == 0 {
            announce(bus.as_ref(), &exercise_changed()).await;
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(Duration::from_secs(10), heard)
        .await
        .expect("the follower hears a change within 10 s");
    let before = *counted.borrow();

    // An import announces a burst: it reloads, never more often than there were changes.
    for _ in 0..50 {
        announce(bus.as_ref(), &exercise_changed()).await;
    }
    reloads_reach(&mut counted, before + 1).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let settled = *counted.borrow();
    assert!(
        settled <= before + 50,
        "more reloads than changes ({settled})"
    );

    announce(bus.as_ref(), &exercise_changed()).await;
    assert_eq!(reloads_reach(&mut counted, settled + 1).await, settled + 1);
}
