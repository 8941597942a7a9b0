//! Pages of the library, kept in memory: the library changes rarely and every
//! client asks for the same first pages, so most listings need no database at all.
//!
//! A change made through this process empties the cache before the mutation
//! answers (read-your-writes); a change announced on the event bus by another
//! instance or an import empties it within moments. The time-to-live bounds how
//! stale a page can be when neither reaches this process (an import run against
//! the embedded database, whose in-process bus it cannot reach).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use sea_orm::ConnectionTrait;
use subgraph_common::events::{self, EventBus};

use crate::error::ExercisesError;
use crate::listing::{self, ExerciseFilter, Page};

/// The longest a cached page is served without an announced change.
pub const PAGE_TTL: Duration = Duration::from_secs(60);
/// Distinct (filter, size, cursor) pages kept.
const CAPACITY: u64 = 10_000;

type PageKey = (ExerciseFilter, i32, Option<String>);

#[derive(Clone)]
pub struct ListingCache {
    pages: moka::future::Cache<PageKey, Arc<Page>>,
    /// Bumped by every clear, so a page read from the database before a change
    /// and finished after it is not kept.
    generation: Arc<AtomicU64>,
}

impl Default for ListingCache {
    fn default() -> Self {
        Self::with_ttl(PAGE_TTL)
    }
}

impl ListingCache {
    pub fn with_ttl(ttl: Duration) -> Self {
        ListingCache {
            pages: moka::future::Cache::builder()
                .max_capacity(CAPACITY)
                .time_to_live(ttl)
                .build(),
            generation: Arc::default(),
        }
    }

    /// The page [`listing::list`] would return, from memory when it was asked for
    /// since the last change. Refusals (a bad cursor or size) are not kept.
    pub async fn list<C: ConnectionTrait>(
        &self,
        db: &C,
        filter: &ExerciseFilter,
        first: i32,
        after: Option<&str>,
    ) -> Result<Page, ExercisesError> {
        let key = (filter.clone(), first, after.map(str::to_owned));
        if let Some(page) = self.pages.get(&key).await {
            subgraph_common::telemetry::count_cache("exercise_pages", true);
            return Ok(Page::clone(&page));
        }
        subgraph_common::telemetry::count_cache("exercise_pages", false);
        let generation = self.generation.load(Ordering::Acquire);
        let page = listing::list(db, filter, first, after).await?;
        if self.generation.load(Ordering::Acquire) == generation {
            self.pages.insert(key, Arc::new(page.clone())).await;
        }
        Ok(page)
    }

    /// Forgets every page: an exercise changed.
    pub fn clear(&self) {
        self.generation.fetch_add(1, Ordering::AcqRel);
        self.pages.invalidate_all();
    }

    /// Clears the cache whenever the bus announces a library change (from any
    /// process); runs until the process ends.
    pub fn follow(&self, bus: Arc<dyn EventBus>) -> tokio::task::JoinHandle<()> {
        let cache = self.clone();
        events::follow_exercise_changes(bus, move || {
            cache.clear();
            std::future::ready(())
        })
    }
}
