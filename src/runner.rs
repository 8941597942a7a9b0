//! Opening, seeding and serving the subgraphs, shared by `dev`, `serve`, `migrate`
//! and `seed`.

use std::net::SocketAddr;

use axum::Router;
use sea_orm::DatabaseConnection;
use subgraph_common::db::{DbError, connect_and_migrate};
use subgraph_common::{Progress, Settings, SubgraphName};
use tokio::sync::watch;
use tokio::task::JoinHandle;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Config(#[from] subgraph_common::config::ConfigError),
    #[error("{subgraph}: {source}")]
    Database {
        subgraph: SubgraphName,
        source: DbError,
    },
    #[error("{subgraph}: cannot listen on {address}: {source}")]
    Bind {
        subgraph: SubgraphName,
        address: String,
        source: std::io::Error,
    },
    #[error("seeding {subgraph} failed: {source}")]
    Seed {
        subgraph: SubgraphName,
        source: BoxError,
    },
    #[error("cannot read {path}: {source}")]
    ReadFile {
        path: String,
        source: std::io::Error,
    },
    #[error("import failed: {0}")]
    Import(BoxError),
    #[error("{0} record(s) were rejected; the others were imported")]
    RecordsRejected(usize),
    #[error("cannot fetch the SDL from {url}: {reason}")]
    FetchSdl { url: String, reason: String },
    #[error("composition failed:\n{}", .0.iter().map(|err| format!("  - {err}")).collect::<Vec<_>>().join("\n"))]
    Composition(Vec<fitgraph_gateway::compose::CompositionError>),
    #[error("cannot write {path}: {source}")]
    WriteFile {
        path: String,
        source: std::io::Error,
    },
    #[error("{0} stopped unexpectedly: {1}")]
    Stopped(SubgraphName, String),
}

/// Connects to a subgraph's own database and applies its migrations.
pub async fn open_database(
    name: SubgraphName,
    settings: &Settings,
) -> Result<DatabaseConnection, RunError> {
    let url = settings.database_url(name);
    let connected = match name {
        SubgraphName::Profile => connect_and_migrate::<profile_subgraph::Migrator>(&url).await,
        SubgraphName::Exercises => connect_and_migrate::<exercises_subgraph::Migrator>(&url).await,
        SubgraphName::Plans => connect_and_migrate::<plans_subgraph::Migrator>(&url).await,
        SubgraphName::Feedback => connect_and_migrate::<feedback_subgraph::Migrator>(&url).await,
    };
    connected.map_err(|source| RunError::Database {
        subgraph: name,
        source,
    })
}

/// The HTTP app of one subgraph over its database.
pub fn build_router(name: SubgraphName, db: DatabaseConnection, settings: &Settings) -> Router {
    match name {
        SubgraphName::Profile => profile_subgraph::router(profile_subgraph::schema(db, settings)),
        SubgraphName::Exercises => {
            exercises_subgraph::router(exercises_subgraph::schema(db, settings))
        }
        SubgraphName::Plans => plans_subgraph::router(plans_subgraph::schema(db, settings)),
        SubgraphName::Feedback => {
            feedback_subgraph::router(feedback_subgraph::schema(db, settings))
        }
    }
}

/// The federation SDL a subgraph publishes.
pub fn sdl(name: SubgraphName) -> String {
    match name {
        SubgraphName::Profile => profile_subgraph::sdl(),
        SubgraphName::Exercises => exercises_subgraph::sdl(),
        SubgraphName::Plans => plans_subgraph::sdl(),
        SubgraphName::Feedback => feedback_subgraph::sdl(),
    }
}

/// A running subgraph's `{ _service { sdl } }`.
pub async fn fetch_sdl(url: &str) -> Result<String, RunError> {
    let failed = |reason: String| RunError::FetchSdl {
        url: url.to_owned(),
        reason,
    };
    let response = reqwest::Client::new()
        .post(url)
        .json(&serde_json::json!({ "query": "{ _service { sdl } }" }))
        .send()
        .await
        .map_err(|err| failed(err.to_string()))?;
    let body: serde_json::Value = response
        .json()
        .await
        .map_err(|err| failed(err.to_string()))?;
    body["data"]["_service"]["sdl"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| failed(format!("the answer has no SDL: {body}")))
}

/// What `seed` did.
#[derive(Debug, Default)]
pub struct SeedSummary {
    pub exercises: Option<String>,
    pub demo_users_created: usize,
}

/// Seeds the exercise library and the demo users; what exists already is kept.
pub async fn seed(settings: &Settings, progress: &dyn Progress) -> Result<SeedSummary, RunError> {
    let exercises = open_database(SubgraphName::Exercises, settings).await?;
    let report = exercises_subgraph::seed(&exercises, progress)
        .await
        .map_err(|err| RunError::Seed {
            subgraph: SubgraphName::Exercises,
            source: Box::new(err),
        })?;
    let profile = open_database(SubgraphName::Profile, settings).await?;
    let demo_users_created = profile_subgraph::seed_demo_users(&profile)
        .await
        .map_err(|err| RunError::Seed {
            subgraph: SubgraphName::Profile,
            source: Box::new(err),
        })?;
    Ok(SeedSummary {
        exercises: Some(report.to_string()),
        demo_users_created,
    })
}

/// Seeds only when the exercise library is still empty (the first start).
pub async fn seed_on_first_start(
    settings: &Settings,
    progress: &dyn Progress,
) -> Result<Option<SeedSummary>, RunError> {
    let exercises = open_database(SubgraphName::Exercises, settings).await?;
    let seeded = exercises_subgraph::is_seeded(&exercises)
        .await
        .map_err(|err| RunError::Seed {
            subgraph: SubgraphName::Exercises,
            source: Box::new(err),
        })?;
    if seeded {
        return Ok(None);
    }
    seed(settings, progress).await.map(Some)
}

/// A subgraph serving in the background until shutdown is signalled.
pub struct RunningSubgraph {
    pub name: SubgraphName,
    pub address: SocketAddr,
    pub task: JoinHandle<std::io::Result<()>>,
}

/// Migrates, binds and serves one subgraph; it stops when `shutdown` turns true.
pub async fn start(
    name: SubgraphName,
    settings: &Settings,
    mut shutdown: watch::Receiver<bool>,
) -> Result<RunningSubgraph, RunError> {
    let db = open_database(name, settings).await?;
    let router = build_router(name, db, settings);
    let port = settings.subgraph(name).port;
    let listener = subgraph_common::server::bind(&settings.host, port)
        .await
        .map_err(|source| RunError::Bind {
            subgraph: name,
            address: format!("{}:{port}", settings.host),
            source,
        })?;
    let address = listener.local_addr().map_err(|source| RunError::Bind {
        subgraph: name,
        address: format!("{}:{port}", settings.host),
        source,
    })?;
    let stopped = async move {
        // Either a real shutdown or the sender going away ends the server.
        let _ = shutdown.wait_for(|stop| *stop).await;
    };
    let task = tokio::spawn(subgraph_common::server::serve(listener, router, stopped));
    Ok(RunningSubgraph {
        name,
        address,
        task,
    })
}
