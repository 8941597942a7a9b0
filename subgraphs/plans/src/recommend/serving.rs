//! The model serving uses, swapped atomically while requests run.
//!
//! Requests read the current model through an `ArcSwapOption`: a reader holds its own
//! `Arc` for as long as it ranks, so a swap never pulls a model from under a request and
//! never blocks one. A promoted artifact that fails to load (corrupted, or trained on
//! another feature schema) is refused with a logged reason and serving carries on with
//! the model it had, or with rules alone.

use std::collections::HashSet;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use arc_swap::ArcSwapOption;
use fitgraph_ranker::Artifact;
use sea_orm::DatabaseConnection;

use super::error::Result;
use super::registry;

/// A loaded artifact and the registry version it came from.
pub struct LoadedModel {
    pub version: String,
    pub artifact: Artifact,
}

/// What one look at the registry did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reload {
    Unchanged,
    Swapped { version: String },
    Refused { version: String, reason: String },
}

#[derive(Default)]
pub struct ServingModel {
    current: ArcSwapOption<LoadedModel>,
    /// Versions that failed to load; they are not retried until another is promoted.
    refused: Mutex<HashSet<String>>,
}

impl ServingModel {
    pub fn current(&self) -> Option<Arc<LoadedModel>> {
        self.current.load_full()
    }

    pub fn version(&self) -> Option<String> {
        self.current
            .load()
            .as_ref()
            .map(|model| model.version.clone())
    }

    /// Installs the registry's promoted model when it differs from the one serving.
    pub async fn reload(&self, db: &DatabaseConnection) -> Result<Reload> {
        let Some(version) = registry::promoted_version(db).await? else {
            return Ok(Reload::Unchanged);
        };
        if self.version().as_deref() == Some(version.as_str()) || self.was_refused(&version) {
            return Ok(Reload::Unchanged);
        }
        let bytes = registry::artifact_bytes(db, &version)
            .await?
            .unwrap_or_default();
        Ok(self.install(version, &bytes))
    }

    /// Parses and swaps in an artifact; a bad one leaves the current model in place.
    pub fn install(&self, version: String, bytes: &[u8]) -> Reload {
        match Artifact::from_bytes(bytes) {
            Ok(artifact) => {
                tracing::info!(%version, family = %artifact.family, auc = artifact.metrics.auc, "serving a new ranker model");
                record_serving(self.version().as_deref(), &version, &artifact);
                self.current.store(Some(Arc::new(LoadedModel {
                    version: version.clone(),
                    artifact,
                })));
                Reload::Swapped { version }
            }
            Err(err) => {
                let reason = err.to_string();
                tracing::warn!(%version, %reason, serving = ?self.version(), "refused a promoted ranker model; serving continues on the previous one");
                self.refused
                    .lock()
                    .expect("the refused set's lock is never poisoned")
                    .insert(version.clone());
                Reload::Refused { version, reason }
            }
        }
    }

    pub(crate) fn was_refused(&self, version: &str) -> bool {
        self.refused
            .lock()
            .expect("the refused set's lock is never poisoned")
            .contains(version)
    }
}

/// Checks the registry every `interval` for the life of the process.
pub fn spawn_reloader(
    serving: Arc<ServingModel>,
    db: DatabaseConnection,
    interval: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut ticker = tokio::time::interval(interval);
        loop {
            ticker.tick().await;
            if let Err(err) = serving.reload(&db).await {
                tracing::warn!(error = %err, "cannot check the model registry");
            }
            if let Some(model) = serving.current() {
                record_age(&model.artifact);
            }
        }
    })
}

/// `fitgraph_ranker_model_serving{version}` is 1 for the version serving (0 for the
/// one it replaced), with the serving model's training time and held-out AUC.
fn record_serving(previous: Option<&str>, version: &str, artifact: &Artifact) {
    if let Some(previous) = previous {
        metrics::gauge!("fitgraph_ranker_model_serving", "version" => previous.to_owned()).set(0.0);
    }
    metrics::gauge!("fitgraph_ranker_model_serving", "version" => version.to_owned()).set(1.0);
    metrics::gauge!("fitgraph_ranker_model_trained_timestamp_seconds")
        .set(artifact.trained_at.timestamp() as f64);
    metrics::gauge!("fitgraph_ranker_model_auc").set(artifact.metrics.auc);
    record_age(artifact);
}

/// How old the serving model is: refreshed at every registry check.
fn record_age(artifact: &Artifact) {
    let age = subgraph_common::clock::now() - artifact.trained_at;
    metrics::gauge!("fitgraph_ranker_model_age_seconds").set(age.num_seconds().max(0) as f64);
}
