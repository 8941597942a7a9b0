//! The real exercises subgraph, seeded and served over HTTP, as the catalog's source.
#![allow(dead_code)] // each test file uses its own subset

use subgraph_common::testing::{Backend, TestDatabase, TestServer, spawn_router};
use subgraph_common::{Settings, Silent};
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

/// The exercises side always runs on SQLite: only feedback's own database varies with
/// the backend under test, and seeding the catalog there is fastest.
async fn seeded_router() -> (TestDatabase, axum::Router) {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let conn = db.migrated::<exercises_subgraph::Migrator>().await;
    exercises_subgraph::seed(&conn, &Silent)
        .await
        .expect("the exercise catalog seeds");
    let router = exercises_subgraph::router(
        exercises_subgraph::schema(conn, &Settings::default()),
        subgraph_common::testing::test_credential(),
    );
    (db, router)
}

pub struct Exercises {
    /// Kept alive for the whole test: dropping it removes the database.
    pub db: TestDatabase,
    pub server: TestServer,
}

pub async fn exercises_server() -> Exercises {
    let (db, router) = seeded_router().await;
    Exercises {
        db,
        server: spawn_router(router).await,
    }
}

/// An exercises server a test can shut down (`spawn_router` serves until the test ends).
pub struct StoppableExercises {
    pub db: TestDatabase,
    pub url: String,
    stop: oneshot::Sender<()>,
    serving: JoinHandle<std::io::Result<()>>,
}

pub async fn stoppable_exercises_server() -> StoppableExercises {
    let (db, router) = seeded_router().await;
    let listener = subgraph_common::server::bind("127.0.0.1", 0)
        .await
        .expect("port 0 is always bindable");
    let url = format!(
        "http://{}/graphql",
        listener
            .local_addr()
            .expect("a bound listener has an address")
    );
    let (stop, stopped) = oneshot::channel::<()>();
    let shutdown = async move {
        let _ = stopped.await;
    };
    let serving = tokio::spawn(subgraph_common::server::serve(listener, router, shutdown));
    StoppableExercises {
        db,
        url,
        stop,
        serving,
    }
}

impl StoppableExercises {
    /// Stops accepting, closes every connection and waits until the server is gone.
    pub async fn stop(self) -> TestDatabase {
        let _ = self.stop.send(());
        self.serving
            .await
            .expect("the server task ends")
            .expect("the server shuts down cleanly");
        self.db
    }
}
