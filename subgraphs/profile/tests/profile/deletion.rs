//! `deleteMyAccount`: the profile rows go in one transaction with the outbox rows
//! that make the other subgraphs purge; purges are tried at once and retried
//! with backoff until they succeed, across restarts.

use std::sync::Arc;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, SystemTime};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{TimeDelta, Utc};
use fitgraph_entities::profile::account_deletions;
use profile_subgraph::{DeletionConfig, PurgeTarget};
use sea_orm::{ActiveModelTrait, ActiveValue::Set, IntoActiveModel};
use serde_json::{Value, json};
use subgraph_common::access::{GatewayCredential, TrustMode};
use subgraph_common::db_tests;
use subgraph_common::testing::{Backend, TestServer, spawn_router, test_credential, test_settings};

use crate::support::{RECORD_READINGS, Rows, Setup, as_user, new_subject, reading, setup_with};

const DELETE: &str = "mutation { deleteMyAccount { userId requestedAt completed pending } }";
const SUBGRAPHS: [&str; 3] = ["exercises", "plans", "feedback"];

/// A stand-in for another subgraph's purge endpoint: it checks the gateway
/// signature like a real subgraph, fails its first `failures` calls with 503,
/// and records whose data it purged.
#[derive(Default)]
struct Stub {
    calls: AtomicUsize,
    failures: AtomicUsize,
    refused: AtomicUsize,
    /// (user id, mutation field) of each purge.
    purged: Mutex<Vec<(String, String)>>,
}

impl Stub {
    async fn spawn(failures: usize) -> (Arc<Stub>, TestServer) {
        let stub = Arc::new(Stub::default());
        stub.failures.store(failures, Ordering::SeqCst);
        let router = axum::Router::new()
            .route("/graphql", axum::routing::post(purge))
            .with_state(stub.clone());
        (stub, spawn_router(router).await)
    }

    fn calls(&self) -> usize {
        self.calls.load(Ordering::SeqCst)
    }

    fn purged(&self) -> Vec<(String, String)> {
        self.purged
            .lock()
            .expect("the stub's lock is never poisoned")
            .clone()
    }
}

async fn purge(State(stub): State<Arc<Stub>>, headers: HeaderMap, body: Bytes) -> Response {
    stub.calls.fetch_add(1, Ordering::SeqCst);
    let Ok(identity) = test_credential().verify(&headers, &body, SystemTime::now()) else {
        stub.refused.fetch_add(1, Ordering::SeqCst);
        return StatusCode::UNAUTHORIZED.into_response();
    };
    let failing = stub
        .failures
        .fetch_update(Ordering::SeqCst, Ordering::SeqCst, |n| n.checked_sub(1))
        .is_ok();
    if failing {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    let request: Value = serde_json::from_slice(&body).unwrap_or_default();
    let field = request["query"]
        .as_str()
        .unwrap_or_default()
        .trim_start_matches("mutation {")
        .trim_end_matches('}')
        .trim()
        .to_owned();
    let user = identity.user_id.unwrap_or_default();
    stub.purged
        .lock()
        .expect("the stub's lock is never poisoned")
        .push((user, field.clone()));
    axum::Json(json!({ "data": { field: 2 } })).into_response()
}

/// One stub per other subgraph; `failures` says how many calls each fails first.
async fn stubs(failures: [usize; 3]) -> (Vec<Arc<Stub>>, Vec<TestServer>) {
    let mut all = (Vec::new(), Vec::new());
    for n in failures {
        let (stub, server) = Stub::spawn(n).await;
        all.0.push(stub);
        all.1.push(server);
    }
    all
}

/// Targets at the servers, retried without waiting so a test can run passes back to back.
fn config(servers: &[TestServer]) -> DeletionConfig {
    let targets = SUBGRAPHS
        .iter()
        .zip(servers)
        .map(|(name, server)| PurgeTarget::new(*name, server.graphql_url()))
        .collect();
    let mut config = DeletionConfig::new(targets, Some(test_credential()));
    config.initial_backoff = Duration::ZERO;
    config.request_timeout = Duration::from_secs(5);
    config
}

/// A user with equipment and readings; returns their id.
async fn user_with_data(t: &Setup, email: &str) -> String {
    let id = t.create_user(email).await;
    let readings = json!([
        reading("HRV_RMSSD", 60.0, Utc::now(), "garmin"),
        reading("SLEEP_SCORE", 80.0, Utc::now(), "garmin"),
    ]);
    let recorded = t
        .run_as(
            &as_user(&id),
            RECORD_READINGS,
            json!({ "userId": id, "readings": readings }),
        )
        .await;
    assert_eq!(recorded["errors"], Value::Null, "{recorded}");
    id
}

async fn delete(t: &Setup, id: &str) -> Value {
    let response = t.run_as(&as_user(id), DELETE, json!({})).await;
    assert_eq!(response["errors"], Value::Null, "{response}");
    response["data"]["deleteMyAccount"].clone()
}

fn field_of(subgraph: &str) -> String {
    PurgeTarget::new(subgraph, "")
        .mutation_field()
        .expect("a plain name")
}

async fn deleting_removes_the_profile_and_purges_everywhere(backend: Backend) {
    let (stubs, servers) = stubs([0, 0, 0]).await;
    let t = setup_with(backend, config(&servers)).await;
    let ada = user_with_data(&t, "ada@example.com").await;
    let bob = user_with_data(&t, "bob@example.com").await;

    let deletion = delete(&t, &ada).await;
    assert_eq!(deletion["userId"], json!(ada));
    assert_eq!(deletion["completed"], json!(SUBGRAPHS));
    assert_eq!(deletion["pending"], json!([]));
    assert_eq!(
        t.rows().await,
        Rows {
            users: 1,
            equipment: 2,
            readings: 2
        },
        "Bob's stay"
    );
    for (stub, subgraph) in stubs.iter().zip(SUBGRAPHS) {
        assert_eq!(
            stub.purged(),
            [(ada.clone(), field_of(subgraph))],
            "{subgraph}"
        );
        assert_eq!(stub.refused.load(Ordering::SeqCst), 0);
    }

    let outbox = t.outbox().await;
    assert_eq!(outbox.len(), 3);
    for row in &outbox {
        assert_eq!(row.user_id.to_string(), ada);
        assert_eq!(row.attempts, 1, "{row:?}");
        assert!(row.completed_at.is_some(), "{row:?}");
        assert_eq!(row.last_error, None);
    }
    let mut subgraphs: Vec<_> = outbox.iter().map(|row| row.subgraph.as_str()).collect();
    subgraphs.sort_unstable();
    assert_eq!(subgraphs, ["exercises", "feedback", "plans"]);

    let gone = t
        .run_as(
            &as_user(&ada),
            "{ me { id } exportMyData { profile } }",
            json!({}),
        )
        .await;
    assert_eq!(gone["data"]["me"], Value::Null, "{gone}");
    assert_eq!(gone["data"]["exportMyData"]["profile"]["user"], Value::Null);
    assert_eq!(
        gone["data"]["exportMyData"]["profile"]["wearableReadings"],
        json!([])
    );
    let bob_still = t.run_as(&as_user(&bob), "{ me { id } }", json!({})).await;
    assert_eq!(bob_still["data"]["me"]["id"], json!(bob));
}

async fn a_failed_purge_is_retried_until_it_succeeds(backend: Backend) {
    let (stubs, servers) = stubs([0, 2, 0]).await;
    let cfg = config(&servers);
    let t = setup_with(backend, cfg.clone()).await;
    let ada = user_with_data(&t, "ada@example.com").await;

    let deletion = delete(&t, &ada).await;
    assert_eq!(deletion["completed"], json!(["exercises", "feedback"]));
    assert_eq!(deletion["pending"], json!(["plans"]));
    assert_eq!(
        t.rows().await,
        Rows {
            users: 0,
            equipment: 0,
            readings: 0
        }
    );
    let plans = pending_row(&t, "plans").await.expect("plans is pending");
    assert_eq!(plans.attempts, 1);
    assert!(
        plans
            .last_error
            .as_deref()
            .is_some_and(|e| e.contains("HTTP 503")),
        "{plans:?}"
    );

    let first = profile_subgraph::run_pending_deletions(&t.conn, &cfg).await;
    assert_eq!(
        first.expect("a pass runs"),
        0,
        "the second call fails as well"
    );
    let second = profile_subgraph::run_pending_deletions(&t.conn, &cfg).await;
    assert_eq!(second.expect("a pass runs"), 1);
    let third = profile_subgraph::run_pending_deletions(&t.conn, &cfg).await;
    assert_eq!(third.expect("a pass runs"), 0, "nothing left to do");

    assert_eq!(pending_row(&t, "plans").await, None);
    let outbox = t.outbox().await;
    assert!(
        outbox.iter().all(|row| row.completed_at.is_some()),
        "{outbox:?}"
    );
    let plans = outbox
        .iter()
        .find(|row| row.subgraph == "plans")
        .expect("the plans row");
    assert_eq!((plans.attempts, plans.last_error.clone()), (3, None));
    assert_eq!(
        stubs.iter().map(|s| s.calls()).collect::<Vec<_>>(),
        [1, 3, 1]
    );
    assert_eq!(stubs[1].purged(), [(ada, "purgePlansData".to_owned())]);
}

/// The worker polls while requests come in; a request still makes its own purges
/// and reports them completed, rather than the worker taking one first and the
/// receipt calling it pending.
async fn a_polling_worker_never_takes_a_requests_own_purges(backend: Backend) {
    const DELETIONS: usize = 150;
    let (stubs, servers) = stubs([0, 0, 0]).await;
    let mut cfg = config(&servers);
    cfg.poll_interval = Duration::ZERO;
    let t = setup_with(backend, cfg.clone()).await;
    let worker = profile_subgraph::spawn_deletion_worker(t.conn.clone(), cfg);
    for n in 0..DELETIONS {
        let id = t.create_user(&format!("user{n}@example.com")).await;
        let deletion = delete(&t, &id).await;
        assert_eq!(deletion["completed"], json!(SUBGRAPHS), "deletion {n}");
    }
    worker.abort();
    for stub in &stubs {
        assert_eq!(stub.calls(), DELETIONS, "one purge per deletion");
    }
}

async fn pending_row(t: &Setup, subgraph: &str) -> Option<account_deletions::Model> {
    t.outbox()
        .await
        .into_iter()
        .find(|row| row.subgraph == subgraph && row.completed_at.is_none())
}

/// After a failure the row waits 1 s, then 2 s, doubling up to 5 min.
async fn a_failed_purge_waits_for_its_backoff(backend: Backend) {
    let (stubs, servers) = stubs([0, usize::MAX, 0]).await;
    let mut cfg = config(&servers);
    cfg.initial_backoff = DeletionConfig::INITIAL_BACKOFF;
    let t = setup_with(backend, cfg.clone()).await;
    let ada = user_with_data(&t, "ada@example.com").await;
    delete(&t, &ada).await;

    let row = pending_row(&t, "plans").await.expect("plans is pending");
    let wait = row.next_attempt_at - Utc::now();
    assert!(
        wait > TimeDelta::zero() && wait <= TimeDelta::seconds(1),
        "{wait}"
    );
    let early = profile_subgraph::run_pending_deletions(&t.conn, &cfg).await;
    assert_eq!(early.expect("a pass runs"), 0);
    assert_eq!(stubs[1].calls(), 1, "not called again before its backoff");

    // Make it due now, as if the second had passed: the next failure waits 2 s.
    let mut due = row.into_active_model();
    due.next_attempt_at = Set(Utc::now() - TimeDelta::milliseconds(1));
    due.update(&t.conn).await.expect("the row can be made due");
    let pass = profile_subgraph::run_pending_deletions(&t.conn, &cfg).await;
    assert_eq!(pass.expect("a pass runs"), 0);
    let row = pending_row(&t, "plans")
        .await
        .expect("plans is still pending");
    assert_eq!(row.attempts, 2);
    let wait = row.next_attempt_at - Utc::now();
    assert!(
        wait > TimeDelta::seconds(1) && wait <= TimeDelta::seconds(2),
        "{wait}"
    );
}

/// Purges that fail while the process goes down are picked up by the worker of
/// the next process on the same database.
async fn pending_purges_survive_a_restart(backend: Backend) {
    let closed = closed_port_url().await;
    let unreachable: Vec<_> = SUBGRAPHS
        .iter()
        .map(|name| PurgeTarget::new(*name, &closed))
        .collect();
    let mut before_restart = DeletionConfig::new(unreachable, Some(test_credential()));
    before_restart.initial_backoff = Duration::ZERO;
    let t = setup_with(backend, before_restart).await;
    let ada = user_with_data(&t, "ada@example.com").await;
    let deletion = delete(&t, &ada).await;
    assert_eq!(deletion["pending"], json!(SUBGRAPHS));
    assert_eq!(deletion["completed"], json!([]));
    assert!(
        t.outbox()
            .await
            .iter()
            .all(|row| row.last_error.as_deref().is_some_and(|e| !e.is_empty())),
        "each failure is recorded"
    );

    let (stubs, servers) = stubs([0, 0, 0]).await;
    let worker = profile_subgraph::spawn_deletion_worker(t.conn.clone(), config(&servers));
    let finished = tokio::time::timeout(Duration::from_secs(20), async {
        while t
            .outbox()
            .await
            .iter()
            .any(|row| row.completed_at.is_none())
        {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    worker.abort();
    assert!(
        finished.is_ok(),
        "the worker completed the purges: {:?}",
        t.outbox().await
    );
    for (stub, subgraph) in stubs.iter().zip(SUBGRAPHS) {
        assert_eq!(
            stub.purged(),
            [(ada.clone(), field_of(subgraph))],
            "{subgraph}"
        );
    }
}

async fn closed_port_url() -> String {
    let listener = subgraph_common::server::bind("127.0.0.1", 0)
        .await
        .expect("port 0 is always bindable");
    let address = listener
        .local_addr()
        .expect("a bound listener has an address");
    drop(listener);
    format!("http://{address}/graphql")
}

/// A purge the target refuses (a foreign signature, or none at all) is not a
/// success: it stays pending with the reason recorded.
async fn refused_purges_stay_pending(backend: Backend) {
    let (stubs, servers) = stubs([0, 0, 0]).await;
    let mut cfg = config(&servers);
    cfg.credential = Some(
        GatewayCredential::new(
            "another-deployment-secret-0123456789abcdef",
            TrustMode::Hmac,
        )
        .expect("the secret is long enough"),
    );
    let t = setup_with(backend, cfg.clone()).await;
    let ada = user_with_data(&t, "ada@example.com").await;
    let deletion = delete(&t, &ada).await;
    assert_eq!(deletion["pending"], json!(SUBGRAPHS));
    assert_eq!(
        stubs
            .iter()
            .map(|s| s.refused.load(Ordering::SeqCst))
            .sum::<usize>(),
        3
    );
    assert!(stubs.iter().all(|s| s.purged().is_empty()));
    let rows = t.outbox().await;
    assert!(
        rows.iter().all(|row| row.last_error.as_deref()
            == Some(&*format!(
                "{} did not purge: HTTP 401 Unauthorized",
                row.subgraph
            ))),
        "{rows:?}"
    );

    cfg.credential = None;
    let pass = profile_subgraph::run_pending_deletions(&t.conn, &cfg).await;
    assert_eq!(pass.expect("a pass runs"), 0);
    let rows = t.outbox().await;
    assert!(
        rows.iter().all(|row| row
            .last_error
            .as_deref()
            .is_some_and(|e| e.ends_with("no gateway credential is configured"))),
        "{rows:?}"
    );
    assert_eq!(
        stubs.iter().map(|s| s.calls()).sum::<usize>(),
        3,
        "no unsigned call is made"
    );
}

/// Deleting again (say, after data reappeared) replaces the pending rows rather
/// than piling them up; it also works for a caller with no profile left.
async fn a_repeated_deletion_replaces_pending_rows(backend: Backend) {
    let (_stubs, servers) = stubs([usize::MAX, usize::MAX, usize::MAX]).await;
    let t = setup_with(backend, config(&servers)).await;
    let ada = user_with_data(&t, "ada@example.com").await;
    delete(&t, &ada).await;
    let first: Vec<_> = t.outbox().await.into_iter().map(|row| row.id).collect();
    let again = delete(&t, &ada).await;
    assert_eq!(again["pending"], json!(SUBGRAPHS));
    let second = t.outbox().await;
    assert_eq!(second.len(), 3, "{second:?}");
    assert!(second.iter().all(|row| !first.contains(&row.id)));

    let nobody = new_subject();
    let deletion = delete(&t, &nobody).await;
    assert_eq!(deletion["userId"], json!(nobody));
    assert_eq!(t.outbox().await.len(), 6);
}

/// `profile_subgraph::schema` purges the subgraphs the settings name, signed with
/// their gateway secret.
async fn the_default_schema_purges_the_configured_subgraphs(backend: Backend) {
    let (stubs, servers) = stubs([0, 0, 0]).await;
    let mut settings = test_settings();
    settings.exercises.url = Some(servers[0].graphql_url());
    settings.plans.url = Some(servers[1].graphql_url());
    settings.feedback.url = Some(servers[2].graphql_url());
    let t = setup_with(backend, DeletionConfig::new(Vec::new(), None)).await;
    let schema = profile_subgraph::schema(t.conn.clone(), &settings);
    let subject = new_subject();
    let request = async_graphql::Request::new(DELETE).data(as_user(&subject));
    let response = serde_json::to_value(schema.execute(request).await).expect("JSON");
    assert_eq!(
        response["data"]["deleteMyAccount"]["completed"],
        json!(SUBGRAPHS),
        "{response}"
    );
    for (stub, subgraph) in stubs.iter().zip(SUBGRAPHS) {
        assert_eq!(stub.purged(), [(subject.clone(), field_of(subgraph))]);
    }
}

/// The outbox's migration is the latest; rolling it back drops the table and
/// running it again restores it.
async fn the_outbox_migration_rolls_back_and_reapplies(backend: Backend) {
    use sea_orm::EntityTrait;
    use sea_orm_migration::MigratorTrait;

    let t = setup_with(backend, DeletionConfig::new(Vec::new(), None)).await;
    profile_subgraph::Migrator::down(&t.conn, Some(1))
        .await
        .expect("the outbox migration rolls back");
    let gone = account_deletions::Entity::find().all(&t.conn).await;
    assert!(gone.is_err(), "the table is dropped");
    profile_subgraph::Migrator::up(&t.conn, None)
        .await
        .expect("the outbox migration applies again");
    assert_eq!(t.outbox().await, Vec::new());
    assert_eq!(
        t.rows().await,
        Rows {
            users: 0,
            equipment: 0,
            readings: 0
        }
    );
}

db_tests!(
    the_outbox_migration_rolls_back_and_reapplies,
    deleting_removes_the_profile_and_purges_everywhere,
    a_failed_purge_is_retried_until_it_succeeds,
    a_polling_worker_never_takes_a_requests_own_purges,
    a_failed_purge_waits_for_its_backoff,
    pending_purges_survive_a_restart,
    refused_purges_stay_pending,
    a_repeated_deletion_replaces_pending_rows,
    the_default_schema_purges_the_configured_subgraphs,
);
