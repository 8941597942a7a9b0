//! The gateway a server is answering with right now, and replacing it with one
//! over a changed supergraph without dropping a request: each request holds the
//! gateway it started on until it ends, new requests take the new one.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use arc_swap::ArcSwap;
use sha2::{Digest, Sha256};

use crate::{Gateway, GatewayConfig, GatewayError};

/// The serving gateway, swapped atomically. Cheap to clone.
#[derive(Clone)]
pub struct LiveGateway(Arc<ArcSwap<Gateway>>);

impl LiveGateway {
    pub fn new(gateway: Arc<Gateway>) -> Self {
        LiveGateway(Arc::new(ArcSwap::new(gateway)))
    }

    /// The gateway new requests run on.
    pub fn current(&self) -> Arc<Gateway> {
        self.0.load_full()
    }

    /// From now on requests run on `gateway`; those already running finish on
    /// the one they started with.
    pub fn replace(&self, gateway: Arc<Gateway>) {
        self.0.store(gateway);
    }
}

impl From<Arc<Gateway>> for LiveGateway {
    fn from(gateway: Arc<Gateway>) -> Self {
        LiveGateway::new(gateway)
    }
}

/// What one look at the supergraph file did.
#[derive(Debug, PartialEq, Eq)]
pub enum Reload {
    /// The file is what is served (or what was refused) already.
    Unchanged,
    /// A new gateway over the file's supergraph serves from now on.
    Applied,
    /// The file cannot be read or is not a valid supergraph: the old one keeps serving.
    Refused(String),
}

/// Keeps a [`LiveGateway`] in step with a supergraph file.
pub struct SupergraphFile {
    path: PathBuf,
    config: GatewayConfig,
    live: LiveGateway,
    /// The digest of the last content looked at, served or refused: a refused file
    /// is reported once, not at every poll.
    last_seen: [u8; 32],
}

impl SupergraphFile {
    /// `live` serves `served_sdl`, read from `path`; later changes are built with `config`.
    pub fn new(path: PathBuf, served_sdl: &str, config: GatewayConfig, live: LiveGateway) -> Self {
        SupergraphFile {
            path,
            config,
            live,
            last_seen: digest(served_sdl),
        }
    }

    /// Reads the file and, when it changed, builds a gateway over it and swaps it in.
    pub fn reload(&mut self) -> Reload {
        let sdl = match std::fs::read_to_string(&self.path) {
            Ok(sdl) => sdl,
            Err(error) => return self.refuse(format!("cannot read it: {error}")),
        };
        let seen = digest(&sdl);
        if seen == self.last_seen {
            return Reload::Unchanged;
        }
        self.last_seen = seen;
        match build(&sdl, &self.config) {
            Ok(gateway) => {
                self.live.replace(Arc::new(gateway));
                tracing::info!(path = %self.path.display(), "serving the changed supergraph");
                metrics::counter!("fitgraph_gateway_supergraph_reloads_total", "result" => "applied")
                    .increment(1);
                Reload::Applied
            }
            Err(error) => self.refuse(error.to_string()),
        }
    }

    fn refuse(&self, reason: String) -> Reload {
        tracing::error!(
            path = %self.path.display(),
            %reason,
            "refused the supergraph file; the previous supergraph keeps serving"
        );
        metrics::counter!("fitgraph_gateway_supergraph_reloads_total", "result" => "refused")
            .increment(1);
        Reload::Refused(reason)
    }

    /// Reloads every `poll` (never when zero) and whenever `nudged` yields, until
    /// `nudged` ends.
    pub async fn watch(mut self, poll: Duration, mut nudged: tokio::sync::mpsc::Receiver<()>) {
        let mut ticks = (!poll.is_zero()).then(|| {
            let mut ticks = tokio::time::interval(poll);
            ticks.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
            ticks
        });
        loop {
            let tick = async {
                match ticks.as_mut() {
                    Some(ticks) => {
                        ticks.tick().await;
                    }
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                () = tick => {}
                nudge = nudged.recv() => if nudge.is_none() { return },
            }
            // Building a gateway parses and checks the whole supergraph: off the
            // threads serving requests.
            self = match tokio::task::spawn_blocking(move || {
                self.reload();
                self
            })
            .await
            {
                Ok(file) => file,
                Err(error) => {
                    tracing::error!(%error, "the supergraph reload stopped");
                    return;
                }
            };
        }
    }
}

fn build(sdl: &str, config: &GatewayConfig) -> Result<Gateway, GatewayError> {
    Gateway::new(sdl, config.clone())
}

fn digest(text: &str) -> [u8; 32] {
    Sha256::digest(text.as_bytes()).into()
}
