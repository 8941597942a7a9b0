//! The system under simulation: fresh embedded databases in their own directory, free
//! ports, development credentials, and every subgraph plus the gateway started in this
//! process (so the shared clock moves all of them at once).

use std::net::{SocketAddr, TcpListener};
use std::path::{Path, PathBuf};
use std::time::Duration;

use subgraph_common::{AuthSettings, Settings, SubgraphName};
use tokio::sync::watch;

use crate::devauth;
use crate::progress::Bars;
use crate::runner::{self, RunError, RunningServer};

/// The simulation listens on loopback only: nobody else is meant to call it.
const LOOPBACK: &str = "127.0.0.1";

/// How long a server may take to finish its open connections once told to stop.
const STOP_GRACE: Duration = Duration::from_secs(30);

/// Training happens inside a `trainRanker` request, which may take far longer than an
/// ordinary subgraph call.
const SUBGRAPH_TIMEOUT_MS: u64 = 15 * 60 * 1000;

/// Where the databases live: the directory asked for, or a temporary one removed when
/// this is dropped.
pub struct DataDir {
    path: PathBuf,
    _temporary: Option<tempfile::TempDir>,
}

impl DataDir {
    pub fn new(asked: Option<&Path>) -> Result<DataDir, RunError> {
        if let Some(path) = asked {
            return Ok(DataDir {
                path: path.to_owned(),
                _temporary: None,
            });
        }
        let temporary = tempfile::Builder::new()
            .prefix("fitgraph-simulate-")
            .tempdir()
            .map_err(|source| RunError::WriteFile {
                path: std::env::temp_dir().display().to_string(),
                source,
            })?;
        Ok(DataDir {
            path: temporary.path().to_owned(),
            _temporary: Some(temporary),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The caller's settings made into an isolated system under `data_dir`: embedded SQLite
/// databases, free loopback ports, development credentials, no rate limit (the traffic
/// is the simulation's own) and no scheduled training (the simulation trains nightly
/// itself, so runs are repeatable).
pub fn isolate(mut settings: Settings, data_dir: &Path) -> Result<Settings, RunError> {
    settings.host = LOOPBACK.to_owned();
    settings.data_dir = data_dir.to_owned();
    // Shared caches would mix this system's data with another's.
    settings.redis_url = None;
    let [profile, exercises, plans, feedback, gateway] = free_ports()?;
    for (name, port) in SubgraphName::ALL
        .into_iter()
        .zip([profile, exercises, plans, feedback])
    {
        let subgraph = subgraph_mut(&mut settings, name);
        subgraph.port = port;
        subgraph.url = None;
        subgraph.database_url = None;
    }
    settings.gateway.port = gateway;
    settings.gateway.rate_limit.enabled = false;
    settings.gateway.subgraph_timeout_ms = settings
        .gateway
        .subgraph_timeout_ms
        .max(SUBGRAPH_TIMEOUT_MS);
    settings.recommend.training_enabled = false;
    // Tokens are minted here for this gateway alone, so its own development key and
    // gateway secret replace whatever the configuration names.
    settings.auth = AuthSettings::default();
    settings.trust.secret = None;
    devauth::embedded_defaults(&mut settings)?;
    Ok(settings)
}

fn subgraph_mut(
    settings: &mut Settings,
    name: SubgraphName,
) -> &mut subgraph_common::SubgraphSettings {
    match name {
        SubgraphName::Profile => &mut settings.profile,
        SubgraphName::Exercises => &mut settings.exercises,
        SubgraphName::Plans => &mut settings.plans,
        SubgraphName::Feedback => &mut settings.feedback,
    }
}

/// Five distinct free ports. The subgraphs need real ones before they start, because
/// each is told where the others listen; all five are held at once so none repeats.
fn free_ports() -> Result<[u16; 5], RunError> {
    let bind = || {
        TcpListener::bind((LOOPBACK, 0))
            .and_then(|listener| Ok((listener.local_addr()?.port(), listener)))
    };
    let mut held = Vec::with_capacity(5);
    for _ in 0..5 {
        held.push(bind().map_err(|source| RunError::Bind {
            server: "simulation",
            address: format!("{LOOPBACK}:0"),
            source,
        })?);
    }
    let ports: Vec<u16> = held.iter().map(|(port, _)| *port).collect();
    Ok(ports.try_into().expect("five listeners give five ports"))
}

/// Every subgraph and the gateway, running until [`System::stop`].
pub struct System {
    running: Vec<RunningServer>,
    stop: watch::Sender<bool>,
}

impl System {
    /// Seeds the exercise library (first start only), then starts everything.
    pub async fn start(settings: &Settings) -> Result<(System, Option<String>), RunError> {
        let seeded = runner::seed_on_first_start(settings, &Bars::default()).await?;
        let (stop, stopped) = watch::channel(false);
        let running = runner::start_all(settings, stopped).await?;
        let seeded = seeded.and_then(|summary| summary.exercises);
        Ok((System { running, stop }, seeded))
    }

    pub fn gateway(&self) -> SocketAddr {
        self.running
            .last()
            .expect("start_all always returns the gateway last")
            .address
    }

    /// Tells every server to stop and waits for them; the first failure is returned.
    pub async fn stop(self) -> Result<(), RunError> {
        let _ = self.stop.send(true);
        let mut first_failure = None;
        for server in self.running {
            let abort = server.task.abort_handle();
            let reason = match tokio::time::timeout(STOP_GRACE, server.task).await {
                Ok(Ok(Ok(()))) => continue,
                Ok(Ok(Err(err))) => err.to_string(),
                Ok(Err(err)) => err.to_string(),
                Err(_) => {
                    abort.abort();
                    format!("it did not stop within {} s", STOP_GRACE.as_secs())
                }
            };
            first_failure.get_or_insert(RunError::Stopped(server.name, reason));
        }
        first_failure.map_or(Ok(()), Err)
    }
}
