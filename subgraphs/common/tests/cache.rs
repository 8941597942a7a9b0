//! One suite for both cache implementations: in-process always, Redis when
//! `TEST_REDIS_URL` is set (`cargo test -- --ignored redis`).

use std::sync::Arc;
use std::time::Duration;

use subgraph_common::cache::{Cache, MemoryCache, RedisCache, get_json, set_json};

#[derive(Clone, Copy)]
enum Kind {
    Memory,
    Redis,
}

async fn cache(kind: Kind) -> Arc<dyn Cache> {
    match kind {
        Kind::Memory => Arc::new(MemoryCache::new(1_000)),
        Kind::Redis => {
            let url = std::env::var("TEST_REDIS_URL")
                .expect("Redis tests need TEST_REDIS_URL, e.g. redis://127.0.0.1:6379");
            // A namespace per test keeps parallel tests apart.
            let namespace = format!("fitgraph-test-{}", uuid::Uuid::new_v4().simple());
            Arc::new(
                RedisCache::connect(&url, &namespace)
                    .await
                    .expect("Redis is reachable at TEST_REDIS_URL"),
            )
        }
    }
}

macro_rules! cache_tests {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn memory() {
                super::$name(super::Kind::Memory).await
            }

            #[tokio::test]
            #[ignore = "Redis: set TEST_REDIS_URL and run with --ignored"]
            async fn redis() {
                super::$name(super::Kind::Redis).await
            }
        }
    )+};
}

async fn a_stored_value_reads_back_until_deleted(kind: Kind) {
    let cache = cache(kind).await;
    assert_eq!(cache.get("profile:1").await.expect("get"), None);
    cache
        .set("profile:1", b"ada".to_vec(), Duration::from_secs(60))
        .await
        .expect("set");
    assert_eq!(
        cache.get("profile:1").await.expect("get"),
        Some(b"ada".to_vec())
    );
    cache.delete("profile:1").await.expect("delete");
    assert_eq!(cache.get("profile:1").await.expect("get"), None);
}

async fn entries_expire_after_their_ttl(kind: Kind) {
    let cache = cache(kind).await;
    cache
        .set("short", b"x".to_vec(), Duration::from_millis(50))
        .await
        .expect("set");
    cache
        .set("long", b"y".to_vec(), Duration::from_secs(60))
        .await
        .expect("set");
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(cache.get("short").await.expect("get"), None);
    assert_eq!(cache.get("long").await.expect("get"), Some(b"y".to_vec()));
}

async fn typed_values_round_trip_as_json(kind: Kind) {
    let cache = cache(kind).await;
    set_json(
        cache.as_ref(),
        "list",
        &vec![1, 2, 3],
        Duration::from_secs(60),
    )
    .await
    .expect("set");
    let back: Option<Vec<i32>> = get_json(cache.as_ref(), "list").await.expect("get");
    assert_eq!(back, Some(vec![1, 2, 3]));
    let wrong: Result<Option<String>, _> = get_json(cache.as_ref(), "list").await;
    assert!(
        wrong.is_err(),
        "a value of another shape is an error, not garbage"
    );
}

cache_tests!(
    a_stored_value_reads_back_until_deleted,
    entries_expire_after_their_ttl,
    typed_values_round_trip_as_json
);
