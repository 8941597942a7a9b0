//! DataLoaders that query as soon as a request's sibling resolvers have all asked,
//! instead of after a fixed window.
//!
//! async-graphql's loader waits a fixed delay (1 ms by default) before it queries, so
//! that the keys of sibling resolvers (the 100 entities of one `_entities` call) land in
//! one batch. Every nesting level of every request pays that delay, even alone on an idle
//! server, and a subgraph call through three loader levels spent most of its time
//! waiting. [`Batched`] counts the keys asked of it instead: its batch starts once a
//! yield to the other tasks passes without a new key, which is when the request task has
//! finished its round of siblings. Keys that other requests ask meanwhile join the batch.

use std::collections::HashMap;
use std::hash::Hash;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use async_graphql::dataloader::{DataLoader, Loader};
use futures::future::BoxFuture;

/// At most this many rounds are spent waiting for keys to stop arriving, so a busy
/// server, where some request always registers keys, still starts its batches within a
/// few hundred yields.
const MAX_SETTLE_ROUNDS: usize = 256;

/// A loader without a cache (every batch reads current rows) that batches by the
/// settling of its callers rather than by a timer.
pub struct Batched<T: 'static> {
    loader: DataLoader<T>,
    asked: Arc<AtomicU64>,
}

impl<T: Send + Sync + 'static> Batched<T> {
    pub fn new(loader: T) -> Batched<T> {
        let asked = Arc::new(AtomicU64::new(0));
        Batched {
            loader: DataLoader::new(loader, spawn_when_settled(asked.clone()))
                .delay(Duration::ZERO),
            asked,
        }
    }

    pub async fn load_one<K>(&self, key: K) -> Result<Option<T::Value>, T::Error>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        T: Loader<K>,
    {
        self.asked.fetch_add(1, Ordering::Relaxed);
        self.loader.load_one(key).await
    }

    pub async fn load_many<K, I>(&self, keys: I) -> Result<HashMap<K, T::Value>, T::Error>
    where
        K: Send + Sync + Hash + Eq + Clone + 'static,
        I: IntoIterator<Item = K>,
        T: Loader<K>,
    {
        self.asked.fetch_add(1, Ordering::Relaxed);
        self.loader.load_many(keys).await
    }
}

/// Spawns a batch once a yield passes without anyone asking this loader for more keys.
fn spawn_when_settled(
    asked: Arc<AtomicU64>,
) -> impl Fn(BoxFuture<'static, ()>) + Send + Sync + 'static {
    move |batch| {
        let asked = asked.clone();
        tokio::spawn(async move {
            for _ in 0..MAX_SETTLE_ROUNDS {
                let seen = asked.load(Ordering::Relaxed);
                tokio::task::yield_now().await;
                if asked.load(Ordering::Relaxed) == seen {
                    break;
                }
            }
            batch.await
        });
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Mutex;

    use super::*;

    /// Records each batch it is asked for and answers every key with itself.
    #[derive(Default, Clone)]
    struct Recorder(Arc<Mutex<Vec<Vec<u32>>>>);

    impl Loader<u32> for Recorder {
        type Value = u32;
        type Error = std::convert::Infallible;

        async fn load(&self, keys: &[u32]) -> Result<HashMap<u32, u32>, Self::Error> {
            let mut keys = keys.to_vec();
            keys.sort_unstable();
            self.0.lock().expect("not poisoned").push(keys.clone());
            Ok(keys.into_iter().map(|key| (key, key)).collect())
        }
    }

    /// On one worker thread (a process pinned to a core, as benchmarked) siblings polled
    /// in one round always share a batch. With several workers an idle one may start the
    /// batch a little early: one query more, never a wrong answer.
    #[tokio::test]
    async fn siblings_asked_together_share_one_batch() {
        let recorder = Recorder::default();
        let loader = Batched::new(recorder.clone());
        let answers = futures::future::join_all((0..100u32).map(|key| loader.load_one(key))).await;
        assert!(
            answers
                .into_iter()
                .enumerate()
                .all(|(key, answer)| answer == Ok(Some(key as u32)))
        );
        assert_eq!(
            *recorder.0.lock().expect("not poisoned"),
            [(0..100).collect::<Vec<_>>()]
        );
    }
}
