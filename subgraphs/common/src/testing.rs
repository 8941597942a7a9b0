//! The shared test rig: a fresh database per test on SQLite or PostgreSQL, a
//! subgraph served over real HTTP on port 0, a log of the SQL a test caused, and a
//! check that checked-in SDL matches the code.
//!
//! PostgreSQL runs when `TEST_DATABASE_URL` names a server whose user may create
//! databases; `db_tests!` marks those variants `#[ignore]` so a plain `cargo test`
//! needs nothing installed, and `cargo test -- --ignored postgres` runs them.

pub mod ws;

use std::sync::{Arc, Mutex};

use axum::Router;
use sea_orm::{ConnectionTrait, DatabaseConnection};
use sea_orm_migration::MigratorTrait;
use serde_json::{Value, json};

/// The variable naming the PostgreSQL server for tests (any existing database on it).
pub const TEST_DATABASE_URL: &str = "TEST_DATABASE_URL";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// Generates a SQLite and a PostgreSQL test from each `async fn name(backend: Backend)`.
#[macro_export]
macro_rules! db_tests {
    ($($name:ident),+ $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                super::$name($crate::testing::Backend::Sqlite).await
            }

            #[tokio::test]
            #[ignore = "PostgreSQL: set TEST_DATABASE_URL and run with --ignored"]
            async fn postgres() {
                super::$name($crate::testing::Backend::Postgres).await
            }
        }
    )+};
}

/// A database that exists for one test only.
pub struct TestDatabase {
    pub url: String,
    pub backend: Backend,
    _sqlite_dir: Option<tempfile::TempDir>,
    postgres_admin: Option<(String, String)>,
}

impl TestDatabase {
    pub async fn create(backend: Backend) -> TestDatabase {
        init_test_log();
        match backend {
            Backend::Sqlite => {
                let dir =
                    tempfile::tempdir().expect("the temp dir must be writable for SQLite tests");
                let url = format!("sqlite://{}/test.db", dir.path().display());
                TestDatabase {
                    url,
                    backend,
                    _sqlite_dir: Some(dir),
                    postgres_admin: None,
                }
            }
            Backend::Postgres => create_postgres_database().await,
        }
    }

    /// Connects and runs `M`'s migrations.
    pub async fn migrated<M: MigratorTrait>(&self) -> DatabaseConnection {
        crate::db::connect_and_migrate::<M>(&self.url)
            .await
            .expect("a fresh test database must connect and migrate")
    }
}

async fn create_postgres_database() -> TestDatabase {
    let admin_url = std::env::var(TEST_DATABASE_URL).unwrap_or_else(|_| {
        panic!("PostgreSQL tests need {TEST_DATABASE_URL}, e.g. postgres://postgres@127.0.0.1:5432/postgres")
    });
    let name = format!("fitgraph_test_{}", uuid::Uuid::new_v4().simple());
    let admin = crate::db::connect(&admin_url)
        .await
        .unwrap_or_else(|err| panic!("cannot reach PostgreSQL at {TEST_DATABASE_URL}: {err}"));
    admin
        .execute_unprepared(&format!("CREATE DATABASE \"{name}\""))
        .await
        .expect("the test user must be allowed to create databases");
    admin.close().await.ok();
    let mut url = reqwest::Url::parse(&admin_url).expect("TEST_DATABASE_URL must be a valid URL");
    url.set_path(&format!("/{name}"));
    TestDatabase {
        url: url.to_string(),
        backend: Backend::Postgres,
        _sqlite_dir: None,
        postgres_admin: Some((admin_url, name)),
    }
}

impl Drop for TestDatabase {
    fn drop(&mut self) {
        let Some((admin_url, name)) = self.postgres_admin.take() else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot be blocked on; a short-lived
        // runtime on its own thread removes the database.
        let dropped = std::thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()?;
            runtime.block_on(async {
                let admin = crate::db::connect(&admin_url)
                    .await
                    .map_err(std::io::Error::other)?;
                let sql = format!("DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)");
                admin
                    .execute_unprepared(&sql)
                    .await
                    .map_err(std::io::Error::other)?;
                admin.close().await.map_err(std::io::Error::other)
            })
        })
        .join();
        if !matches!(dropped, Ok(Ok(()))) {
            tracing::warn!("a PostgreSQL test database was left behind");
        }
    }
}

/// Logs go to the test output only when `TEST_LOG` is set.
pub fn init_test_log() {
    if std::env::var_os("TEST_LOG").is_some() {
        let filter = tracing_subscriber::EnvFilter::try_from_default_env()
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("debug"));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_test_writer()
            .try_init();
    }
}

/// The gateway credential tests sign requests with.
pub fn test_credential() -> fitgraph_auth::GatewayCredential {
    fitgraph_auth::GatewayCredential::new(TEST_SECRET, fitgraph_auth::TrustMode::Hmac)
        .expect("the test secret is long enough")
}

/// Default settings with the test gateway secret, so in-process clients sign
/// like the gateway.
pub fn test_settings() -> crate::Settings {
    let mut settings = crate::Settings::default();
    settings.trust.secret = Some(TEST_SECRET.to_owned());
    settings
}

/// The gateway secret of [`test_settings`] and [`test_credential`] (HMAC mode).
pub const TEST_SECRET: &str = "fitgraph-test-only-secret-0123456789abcdef";

/// A router served on 127.0.0.1:0 for the rest of the test.
pub struct TestServer {
    pub base_url: String,
    client: reqwest::Client,
}

pub async fn spawn_router(router: Router) -> TestServer {
    let listener = crate::server::bind("127.0.0.1", 0)
        .await
        .expect("port 0 is always bindable");
    let address = listener
        .local_addr()
        .expect("a bound listener has an address");
    tokio::spawn(async move { axum::serve(listener, router).await });
    TestServer {
        base_url: format!("http://{address}"),
        client: reqwest::Client::new(),
    }
}

impl TestServer {
    pub fn graphql_url(&self) -> String {
        format!("{}/graphql", self.base_url)
    }

    /// POSTs an operation as an anonymous caller through the gateway's credential
    /// and returns the JSON body.
    pub async fn graphql(&self, query: &str, variables: Value) -> Value {
        self.graphql_as(&crate::Identity::anonymous(), query, variables)
            .await
    }

    /// POSTs an operation as `identity`, signed with [`test_credential`].
    pub async fn graphql_as(
        &self,
        identity: &crate::Identity,
        query: &str,
        variables: Value,
    ) -> Value {
        let body = serde_json::to_vec(&json!({ "query": query, "variables": variables }))
            .expect("JSON always serialises");
        let headers = test_credential().headers(identity, &body, std::time::SystemTime::now());
        let response = self
            .client
            .post(self.graphql_url())
            .header("content-type", "application/json")
            .headers(headers)
            .body(body)
            .send()
            .await
            .expect("the test server is running");
        response.json().await.expect("a GraphQL response is JSON")
    }

    /// POSTs an operation with no credential, as a client calling directly would;
    /// returns the HTTP status and the JSON body.
    pub async fn graphql_unsigned(&self, query: &str, variables: Value) -> (u16, Value) {
        let response = self
            .client
            .post(self.graphql_url())
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .expect("the test server is running");
        let status = response.status().as_u16();
        let body = response.json().await.expect("a GraphQL response is JSON");
        (status, body)
    }
}

/// The `extensions.code` of each error in a JSON GraphQL response.
pub fn error_codes(response: &Value) -> Vec<String> {
    let Some(errors) = response["errors"].as_array() else {
        return Vec::new();
    };
    errors
        .iter()
        .map(|err| {
            err["extensions"]["code"]
                .as_str()
                .unwrap_or("<none>")
                .to_owned()
        })
        .collect()
}

/// Every SQL statement run on a connection, for asserting how many queries a request cost.
#[derive(Clone, Default)]
pub struct StatementLog(Arc<Mutex<Vec<String>>>);

impl StatementLog {
    /// Records statements run on `db` and on every clone made from it afterwards.
    pub fn attach(db: &mut DatabaseConnection) -> StatementLog {
        let log = StatementLog::default();
        let sink = log.clone();
        db.set_metric_callback(move |info| sink.push(info.statement.sql.clone()));
        log
    }

    fn push(&self, sql: String) {
        self.0
            .lock()
            .expect("statement log lock is never poisoned")
            .push(sql);
    }

    pub fn clear(&self) {
        self.0
            .lock()
            .expect("statement log lock is never poisoned")
            .clear();
    }

    pub fn statements(&self) -> Vec<String> {
        self.0
            .lock()
            .expect("statement log lock is never poisoned")
            .clone()
    }

    /// How many SELECTs read `table` in their FROM clause.
    pub fn selects_from(&self, table: &str) -> usize {
        let needle = format!("FROM \"{table}\"");
        self.statements()
            .iter()
            .filter(|sql| sql.trim_start().starts_with("SELECT") && sql.contains(&needle))
            .count()
    }
}

/// An event bus that counts the subscriptions made on it, so a test can wait until
/// the subscription it started is listening before it publishes (a subscription
/// subscribes when first polled, and the bus delivers only to current subscribers).
pub struct ObservedBus {
    inner: Arc<dyn crate::events::EventBus>,
    subscriptions: tokio::sync::watch::Sender<usize>,
}

impl ObservedBus {
    pub fn new(inner: Arc<dyn crate::events::EventBus>) -> Arc<ObservedBus> {
        Arc::new(ObservedBus {
            inner,
            subscriptions: tokio::sync::watch::Sender::new(0),
        })
    }

    /// Over an in-process bus.
    pub fn in_memory() -> Arc<ObservedBus> {
        ObservedBus::new(crate::events::in_process())
    }

    /// How many subscriptions were made so far.
    pub fn subscriptions(&self) -> usize {
        *self.subscriptions.borrow()
    }

    /// Waits until `count` subscriptions were made in all (at most 10 s).
    pub async fn wait_for_subscriptions(&self, count: usize) {
        let mut made = self.subscriptions.subscribe();
        let reached = made.wait_for(|made| *made >= count);
        tokio::time::timeout(std::time::Duration::from_secs(10), reached)
            .await
            .unwrap_or_else(|_| panic!("{count} subscriptions within 10 s"))
            .expect("the bus keeps its counter while it exists");
    }
}

#[async_trait::async_trait]
impl crate::events::EventBus for ObservedBus {
    async fn publish(
        &self,
        topic: &str,
        event: &crate::events::DomainEvent,
    ) -> Result<(), crate::events::EventBusError> {
        self.inner.publish(topic, event).await
    }

    async fn subscribe(
        &self,
        topic: &str,
    ) -> Result<crate::events::EventStream, crate::events::EventBusError> {
        let stream = self.inner.subscribe(topic).await?;
        self.subscriptions.send_modify(|made| *made += 1);
        Ok(stream)
    }
}

/// The Redis URL of the Redis tests, which fail (never skip) without one.
pub const TEST_REDIS_URL: &str = "TEST_REDIS_URL";

/// A Redis bus for one test: its own namespace, so parallel tests stay apart. Two
/// calls with the same namespace act like two processes of one deployment.
pub async fn redis_bus(namespace: &str) -> Arc<dyn crate::events::EventBus> {
    let url = std::env::var(TEST_REDIS_URL).unwrap_or_else(|_| {
        panic!("Redis tests need {TEST_REDIS_URL}, e.g. redis://127.0.0.1:6379")
    });
    let bus = crate::events::RedisBus::connect(&url, namespace)
        .await
        .unwrap_or_else(|err| panic!("cannot reach Redis at {TEST_REDIS_URL}: {err}"));
    Arc::new(bus)
}

/// A namespace no other test uses.
pub fn unique_namespace() -> String {
    format!("test-{}", uuid::Uuid::now_v7())
}

/// Fails when `sdl` differs from the checked-in file; `UPDATE_SCHEMA=1` rewrites it.
pub fn assert_schema_file(path: &str, sdl: &str) {
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(path, sdl).expect("the schema folder must be writable");
        return;
    }
    let checked_in = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        checked_in == sdl,
        "{path} is out of date with the code's _service {{ sdl }}.\n\
         Update it with: UPDATE_SCHEMA=1 cargo test --workspace sdl\n--- generated ---\n{sdl}"
    );
}
