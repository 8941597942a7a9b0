//! The event bus suite, run against the in-process bus and (with `TEST_REDIS_URL`,
//! `cargo test -- --ignored redis`) against Redis pub/sub.

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use subgraph_common::events::{Delivery, DomainEvent, EventBus, EventStream, MemoryBus, RedisBus};
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
    }
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
