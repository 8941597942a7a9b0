//! A read-only copy of the exercise catalog, loaded from the exercises subgraph's public GraphQL API.
//!
//! Subgraphs that need to know what an exercise is (its muscles, category, movement pattern)
//! keep this in-memory copy instead of asking the exercises subgraph on every request: the
//! catalog is small (thousands of rows) and changes rarely. Once a copy exists, reads never
//! wait on the network, and an outage of the exercises subgraph only makes the copy older.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde::Deserialize;
use tokio::sync::{Mutex, RwLock};
use uuid::Uuid;

use crate::errors::{CodedError, ErrorCode};
use crate::vocab::{Category, Difficulty, Equipment, MovementPattern, Muscle};

/// How old a copy may get before `ensure_fresh` reloads it, unless the caller says otherwise.
pub const DEFAULT_MAX_AGE: Duration = Duration::from_secs(24 * 60 * 60);

/// After a failed reload the last copy is served this long before the next attempt, so an
/// outage does not add a network round trip (or a timeout) to every request.
const RETRY_AFTER_FAILURE: Duration = Duration::from_secs(60);

const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);

const PAGE_QUERY: &str = "query CatalogPage($after: String) { \
    exercises(first: 1000, after: $after, filter: {includeDeprecated: true}) { \
        totalCount \
        edges { node { id name category difficulty equipment movementPattern primaryMuscles secondaryMuscles deprecated } } \
        pageInfo { hasNextPage endCursor } \
    } }";

/// Every exercise of the catalog by id; unknown ids are simply absent.
pub type Exercises = Arc<HashMap<Uuid, ExerciseSummary>>;

/// What other subgraphs need to know about one exercise.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ExerciseSummary {
    pub id: Uuid,
    pub name: String,
    pub category: Category,
    pub difficulty: Difficulty,
    pub equipment: Equipment,
    pub movement_pattern: MovementPattern,
    /// The first is the main one.
    pub primary_muscles: Vec<Muscle>,
    pub secondary_muscles: Vec<Muscle>,
    /// Deprecated exercises still resolve but are never prescribed anew.
    #[serde(default)]
    pub deprecated: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("cannot reach the exercises subgraph at {url}: {source}")]
    Unreachable {
        url: String,
        #[source]
        source: reqwest::Error,
    },
    #[error("the exercises subgraph at {url} answered HTTP {status}")]
    Status { url: String, status: u16 },
    #[error("the exercises subgraph refused the catalog query: {0}")]
    Refused(String),
    #[error("the exercises subgraph's answer is malformed: {0}")]
    Malformed(String),
    #[error("the exercise catalog has never been loaded; the last attempt failed: {0}")]
    NeverLoaded(String),
}

impl CodedError for CatalogError {
    fn code(&self) -> ErrorCode {
        // Every catalog failure is ours (a dependency is down or disagrees), never the client's.
        ErrorCode::Internal
    }
}

#[derive(Clone, Default)]
struct Snapshot {
    exercises: Exercises,
    loaded_at: Option<Instant>,
    last_failure: Option<(Instant, String)>,
}

impl Snapshot {
    /// The copy, when it may be served without reloading.
    fn servable(&self, max_age: Duration) -> Option<Exercises> {
        let loaded_at = self.loaded_at?;
        let fresh = loaded_at.elapsed() < max_age;
        let backing_off = self
            .last_failure
            .as_ref()
            .is_some_and(|(at, _)| *at > loaded_at && at.elapsed() < RETRY_AFTER_FAILURE);
        (fresh || backing_off).then(|| self.exercises.clone())
    }
}

/// The in-memory catalog copy and how to reload it.
pub struct CatalogClient {
    url: String,
    http: reqwest::Client,
    /// Signs requests as the gateway would, for an exercises subgraph that checks.
    credential: Option<fitgraph_auth::GatewayCredential>,
    snapshot: RwLock<Snapshot>,
    /// Held while reloading, so concurrent callers share one reload instead of each starting one.
    reloading: Mutex<()>,
}

impl CatalogClient {
    /// Sends the gateway's credential (with an anonymous caller: the catalog is public).
    pub fn with_credential(mut self, credential: fitgraph_auth::GatewayCredential) -> Self {
        self.credential = Some(credential);
        self
    }

    /// A client for the exercises subgraph's GraphQL endpoint; nothing is loaded until asked.
    pub fn new(exercises_graphql_url: String) -> CatalogClient {
        let http = reqwest::Client::builder()
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(REQUEST_TIMEOUT)
            .build()
            .expect("the HTTP client builds: only timeouts are configured and TLS is compiled in");
        CatalogClient {
            url: exercises_graphql_url,
            http,
            credential: None,
            snapshot: RwLock::default(),
            reloading: Mutex::new(()),
        }
    }

    /// Reloads the whole catalog now and returns how many exercises it holds. On failure
    /// the previous copy stays in place.
    pub async fn refresh(&self) -> Result<usize, CatalogError> {
        let _reload = self.reloading.lock().await;
        self.reload().await
    }

    /// One exercise from the current copy (no network; `None` before the first load).
    pub async fn get(&self, id: Uuid) -> Option<ExerciseSummary> {
        self.snapshot.read().await.exercises.get(&id).cloned()
    }

    /// The current copy as it is (no network; empty before the first load).
    pub async fn exercises(&self) -> Exercises {
        self.snapshot.read().await.exercises.clone()
    }

    /// The catalog, reloaded first when the copy is older than `max_age` (usually
    /// [`DEFAULT_MAX_AGE`]). When the exercises subgraph cannot be reached the last copy is
    /// served and a warning logged; without any copy the failure is returned.
    pub async fn ensure_fresh(&self, max_age: Duration) -> Result<Exercises, CatalogError> {
        if let Some(exercises) = self.snapshot.read().await.servable(max_age) {
            crate::telemetry::count_cache("exercise_catalog", true);
            return Ok(exercises);
        }
        crate::telemetry::count_cache("exercise_catalog", false);
        let waiting_since = Instant::now();
        let _reload = self.reloading.lock().await;
        let snapshot = self.snapshot.read().await.clone();
        // Another caller may have reloaded, or just failed to, while this one waited.
        if let Some(exercises) = snapshot.servable(max_age) {
            return Ok(exercises);
        }
        if let (None, Some((failed_at, reason))) = (snapshot.loaded_at, &snapshot.last_failure)
            && *failed_at > waiting_since
        {
            return Err(CatalogError::NeverLoaded(reason.clone()));
        }
        match self.reload().await {
            Ok(_) => Ok(self.exercises().await),
            Err(err) => self.serve_stale(err).await,
        }
    }

    async fn serve_stale(&self, err: CatalogError) -> Result<Exercises, CatalogError> {
        let snapshot = self.snapshot.read().await;
        let Some(loaded_at) = snapshot.loaded_at else {
            return Err(err);
        };
        tracing::warn!(
            error = %err,
            age_secs = loaded_at.elapsed().as_secs(),
            "cannot reload the exercise catalog; serving the last copy"
        );
        Ok(snapshot.exercises.clone())
    }

    /// Fetches every page and swaps the copy in; the caller holds `reloading`.
    async fn reload(&self) -> Result<usize, CatalogError> {
        match self.fetch_all().await {
            Ok(exercises) => {
                let count = exercises.len();
                let mut snapshot = self.snapshot.write().await;
                snapshot.exercises = Arc::new(exercises);
                snapshot.loaded_at = Some(Instant::now());
                tracing::info!(count, url = %self.url, "exercise catalog loaded");
                Ok(count)
            }
            Err(err) => {
                self.snapshot.write().await.last_failure = Some((Instant::now(), err.to_string()));
                Err(err)
            }
        }
    }

    async fn fetch_all(&self) -> Result<HashMap<Uuid, ExerciseSummary>, CatalogError> {
        let mut exercises = HashMap::new();
        let mut cursor: Option<String> = None;
        loop {
            let page = self.fetch_page(cursor.as_deref()).await?;
            exercises.reserve(page.total_count.saturating_sub(exercises.len()));
            let page_was_empty = page.edges.is_empty();
            exercises.extend(page.edges.into_iter().map(|edge| (edge.node.id, edge.node)));
            if !page.page_info.has_next_page {
                return Ok(exercises);
            }
            // A server that promises more pages must move forward, or this would loop forever.
            match page.page_info.end_cursor {
                Some(next) if !page_was_empty && cursor.as_ref() != Some(&next) => {
                    cursor = Some(next)
                }
                _ => {
                    return Err(CatalogError::Malformed(
                        "hasNextPage is true but the cursor does not advance".into(),
                    ));
                }
            }
        }
    }

    async fn fetch_page(&self, after: Option<&str>) -> Result<Page, CatalogError> {
        let unreachable = |source| CatalogError::Unreachable {
            url: self.url.clone(),
            source,
        };
        let body = serde_json::json!({ "query": PAGE_QUERY, "variables": { "after": after } });
        let body = serde_json::to_vec(&body).expect("a JSON value always serialises");
        let headers = match &self.credential {
            Some(credential) => credential.headers(
                &fitgraph_auth::Identity::anonymous(),
                &body,
                std::time::SystemTime::now(),
            ),
            None => reqwest::header::HeaderMap::new(),
        };
        let response = self
            .http
            .post(&self.url)
            .header("content-type", "application/json")
            .headers(headers)
            .body(body)
            .send()
            .await
            .map_err(unreachable)?;
        let status = response.status();
        if !status.is_success() {
            return Err(CatalogError::Status {
                url: self.url.clone(),
                status: status.as_u16(),
            });
        }
        let bytes = response.bytes().await.map_err(unreachable)?;
        let envelope: Envelope = serde_json::from_slice(&bytes)
            .map_err(|err| CatalogError::Malformed(err.to_string()))?;
        if let Some(errors) = envelope.errors.filter(|errors| !errors.is_empty()) {
            let messages: Vec<_> = errors.into_iter().map(|error| error.message).collect();
            return Err(CatalogError::Refused(messages.join("; ")));
        }
        envelope.data.map(|data| data.exercises).ok_or_else(|| {
            CatalogError::Malformed("neither data nor errors in the response".into())
        })
    }
}

#[derive(Deserialize)]
struct Envelope {
    data: Option<PageData>,
    errors: Option<Vec<ResponseError>>,
}

#[derive(Deserialize)]
struct ResponseError {
    message: String,
}

#[derive(Deserialize)]
struct PageData {
    exercises: Page,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Page {
    total_count: usize,
    edges: Vec<Edge>,
    page_info: PageInfo,
}

#[derive(Deserialize)]
struct Edge {
    node: ExerciseSummary,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct PageInfo {
    has_next_page: bool,
    end_cursor: Option<String>,
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

    use axum::extract::State;
    use axum::routing::post;
    use axum::{Json, Router};
    use serde_json::{Value, json};

    use super::*;

    /// A stand-in for the exercises subgraph: `total` exercises served in pages of
    /// `page_size`, cursors being the offset as text.
    #[derive(Clone)]
    struct FakeExercises {
        total: usize,
        page_size: usize,
        down: Arc<AtomicBool>,
        requests: Arc<AtomicUsize>,
    }

    fn exercise_json(index: usize) -> Value {
        json!({
            "id": Uuid::from_u128(index as u128 + 1).to_string(),
            "name": format!("Exercise {index}"),
            "category": "STRENGTH",
            "difficulty": "BEGINNER",
            "equipment": "BARBELL",
            "movementPattern": "SQUAT",
            "primaryMuscles": ["QUADRICEPS"],
            "secondaryMuscles": [],
        })
    }

    async fn answer(State(fake): State<FakeExercises>, Json(body): Json<Value>) -> Json<Value> {
        fake.requests.fetch_add(1, Ordering::SeqCst);
        if fake.down.load(Ordering::SeqCst) {
            return Json(json!({ "errors": [{ "message": "maintenance" }] }));
        }
        let start: usize = body["variables"]["after"]
            .as_str()
            .map_or(0, |cursor| cursor.parse().expect("own cursor"));
        let end = (start + fake.page_size).min(fake.total);
        let edges: Vec<Value> = (start..end)
            .map(|index| json!({ "node": exercise_json(index) }))
            .collect();
        Json(json!({ "data": { "exercises": {
            "totalCount": fake.total,
            "edges": edges,
            "pageInfo": { "hasNextPage": end < fake.total, "endCursor": end.to_string() },
        } } }))
    }

    async fn serve_fake(total: usize, page_size: usize) -> (String, FakeExercises) {
        let fake = FakeExercises {
            total,
            page_size,
            down: Arc::default(),
            requests: Arc::default(),
        };
        let router = Router::new()
            .route("/graphql", post(answer))
            .with_state(fake.clone());
        let listener = crate::server::bind("127.0.0.1", 0)
            .await
            .expect("port 0 is always bindable");
        let address = listener
            .local_addr()
            .expect("a bound listener has an address");
        tokio::spawn(async move { axum::serve(listener, router).await });
        (format!("http://{address}/graphql"), fake)
    }

    #[tokio::test]
    async fn loads_every_page_and_decodes_summaries() {
        let (url, fake) = serve_fake(25, 10).await;
        let catalog = CatalogClient::new(url);
        assert_eq!(catalog.refresh().await.expect("the fake serves"), 25);
        assert_eq!(fake.requests.load(Ordering::SeqCst), 3);
        let first = catalog.get(Uuid::from_u128(1)).await.expect("loaded");
        assert_eq!(first.equipment, Equipment::Barbell);
        assert_eq!(first.movement_pattern, MovementPattern::Squat);
        assert_eq!(first.primary_muscles, vec![Muscle::Quadriceps]);
        assert!(catalog.get(Uuid::from_u128(999)).await.is_none());
    }

    #[tokio::test]
    async fn a_fresh_copy_is_served_without_network() {
        let (url, fake) = serve_fake(3, 10).await;
        let catalog = CatalogClient::new(url);
        catalog
            .ensure_fresh(DEFAULT_MAX_AGE)
            .await
            .expect("first load");
        catalog
            .ensure_fresh(DEFAULT_MAX_AGE)
            .await
            .expect("still fresh");
        assert_eq!(fake.requests.load(Ordering::SeqCst), 1);
        catalog
            .ensure_fresh(Duration::ZERO)
            .await
            .expect("reloaded");
        assert_eq!(fake.requests.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_failed_reload_keeps_the_last_copy_and_backs_off() {
        let (url, fake) = serve_fake(3, 10).await;
        let catalog = CatalogClient::new(url);
        catalog
            .ensure_fresh(DEFAULT_MAX_AGE)
            .await
            .expect("first load");
        fake.down.store(true, Ordering::SeqCst);
        let stale = catalog
            .ensure_fresh(Duration::ZERO)
            .await
            .expect("the last copy is served");
        assert_eq!(stale.len(), 3);
        catalog
            .ensure_fresh(Duration::ZERO)
            .await
            .expect("still served while backing off");
        assert_eq!(
            fake.requests.load(Ordering::SeqCst),
            2,
            "no second attempt right after a failure"
        );
        assert!(matches!(
            catalog.refresh().await,
            Err(CatalogError::Refused(_))
        ));
    }

    #[tokio::test]
    async fn without_any_copy_the_failure_is_a_coded_error() {
        let (url, fake) = serve_fake(3, 10).await;
        fake.down.store(true, Ordering::SeqCst);
        let catalog = CatalogClient::new(url);
        let err = catalog
            .ensure_fresh(DEFAULT_MAX_AGE)
            .await
            .expect_err("nothing to serve");
        assert_eq!(err.code(), ErrorCode::Internal);
        assert!(err.to_string().contains("maintenance"), "{err}");
    }

    #[tokio::test]
    async fn concurrent_callers_share_one_load_attempt() {
        let (url, fake) = serve_fake(3, 10).await;
        fake.down.store(true, Ordering::SeqCst);
        let catalog = CatalogClient::new(url);
        let (first, second) = tokio::join!(
            catalog.ensure_fresh(DEFAULT_MAX_AGE),
            catalog.ensure_fresh(DEFAULT_MAX_AGE)
        );
        assert!(matches!(first, Err(CatalogError::Refused(_))));
        assert!(
            matches!(second, Err(CatalogError::NeverLoaded(_))),
            "the waiter reuses the failure"
        );
        assert_eq!(fake.requests.load(Ordering::SeqCst), 1);

        fake.down.store(false, Ordering::SeqCst);
        let loads =
            futures::future::join_all((0..4).map(|_| catalog.ensure_fresh(DEFAULT_MAX_AGE))).await;
        assert!(
            loads
                .iter()
                .all(|loaded| loaded.as_ref().is_ok_and(|exercises| exercises.len() == 3))
        );
        assert_eq!(
            fake.requests.load(Ordering::SeqCst),
            2,
            "one load for four callers"
        );
    }

    #[tokio::test]
    async fn an_unreachable_server_is_reported() {
        let listener = crate::server::bind("127.0.0.1", 0)
            .await
            .expect("port 0 is always bindable");
        let address = listener
            .local_addr()
            .expect("a bound listener has an address");
        drop(listener);
        let catalog = CatalogClient::new(format!("http://{address}/graphql"));
        let err = catalog
            .ensure_fresh(DEFAULT_MAX_AGE)
            .await
            .expect_err("nobody listens");
        assert!(matches!(err, CatalogError::Unreachable { .. }), "{err}");
    }
}
