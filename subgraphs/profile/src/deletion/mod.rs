//! Account deletion. Deleting an account removes everything this subgraph holds
//! about the user and, in the same transaction, writes one outbox row per other
//! subgraph (`account_deletions`). Each subgraph is then asked once, right away,
//! to purge the user's data; what fails is retried by [`spawn_deletion_worker`]
//! with exponential backoff until it succeeds. Rows live in the database, so a
//! restart loses nothing: the worker picks up whatever is pending.

mod outbox;
mod purge;

use std::time::Duration;

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use futures::StreamExt;
use sea_orm::{DatabaseConnection, TransactionTrait};
use subgraph_common::access::GatewayCredential;
use subgraph_common::{Settings, SubgraphName};
use uuid::Uuid;

use fitgraph_entities::profile::account_deletions;

use crate::error::ProfileError;
use crate::store;

/// Rows one worker pass takes on; the next pass starts right away when more are due.
const PASS_ROWS: u64 = 100;
/// Purge calls one pass runs at a time.
const PASS_CONCURRENCY: usize = 4;
/// The least the worker sleeps between passes, so a zero backoff cannot spin it.
const MIN_PAUSE: Duration = Duration::from_millis(50);

/// A subgraph that must purge a deleted user's data, and where to reach it. It is
/// called with `mutation { purge<Subgraph>Data }`, e.g. `purgePlansData`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PurgeTarget {
    /// The subgraph's name as stored in the outbox, e.g. `plans`.
    pub subgraph: String,
    /// Its GraphQL endpoint.
    pub url: String,
}

impl PurgeTarget {
    pub fn new(subgraph: impl Into<String>, url: impl Into<String>) -> Self {
        PurgeTarget {
            subgraph: subgraph.into(),
            url: url.into(),
        }
    }

    /// `purge<Subgraph>Data`; None unless the name is a plain identifier, since
    /// it is written into the GraphQL document.
    pub fn mutation_field(&self) -> Option<String> {
        let mut chars = self.subgraph.chars();
        let first = chars.next()?;
        let plain = first.is_ascii_alphabetic()
            && chars
                .as_str()
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_');
        plain.then(|| format!("purge{}{}Data", first.to_ascii_uppercase(), chars.as_str()))
    }
}

/// Who must purge a deleted account, how the calls are signed, and how failures
/// are retried.
#[derive(Debug, Clone)]
pub struct DeletionConfig {
    pub targets: Vec<PurgeTarget>,
    /// Signs the purge calls; without it every call fails and stays pending.
    pub credential: Option<GatewayCredential>,
    /// The wait after the first failed attempt; it doubles with every failure...
    pub initial_backoff: Duration,
    /// ...up to this.
    pub max_backoff: Duration,
    /// How long one purge call may take.
    pub request_timeout: Duration,
    /// The longest the worker sleeps before looking for due rows again (rows
    /// written by this or another process while it sleeps).
    pub poll_interval: Duration,
}

impl DeletionConfig {
    pub const INITIAL_BACKOFF: Duration = Duration::from_secs(1);
    pub const MAX_BACKOFF: Duration = Duration::from_secs(5 * 60);
    pub const REQUEST_TIMEOUT: Duration = Duration::from_secs(10);
    pub const POLL_INTERVAL: Duration = Duration::from_secs(5);

    /// `targets` and `credential` with the default timings.
    pub fn new(targets: Vec<PurgeTarget>, credential: Option<GatewayCredential>) -> Self {
        DeletionConfig {
            targets,
            credential,
            initial_backoff: Self::INITIAL_BACKOFF,
            max_backoff: Self::MAX_BACKOFF,
            request_timeout: Self::REQUEST_TIMEOUT,
            poll_interval: Self::POLL_INTERVAL,
        }
    }

    /// The exercises, plans and feedback subgraphs at their configured URLs,
    /// signed with the configured gateway credential (none when it is missing).
    pub fn from_settings(settings: &Settings) -> Self {
        let targets = [
            SubgraphName::Exercises,
            SubgraphName::Plans,
            SubgraphName::Feedback,
        ]
        .into_iter()
        .map(|name| PurgeTarget::new(name.as_str(), settings.subgraph_url(name)))
        .collect();
        Self::new(targets, settings.gateway_credential().ok())
    }

    /// The wait after the `failures`-th failed attempt in a row (1 for the first).
    pub fn backoff(&self, failures: u32) -> Duration {
        let doublings = failures.saturating_sub(1).min(31);
        self.initial_backoff
            .saturating_mul(1 << doublings)
            .min(self.max_backoff)
    }

    fn target(&self, subgraph: &str) -> Option<&PurgeTarget> {
        self.targets
            .iter()
            .find(|target| target.subgraph == subgraph)
    }
}

/// What a deletion request did: the profile data is gone; the other subgraphs
/// have purged (`completed`) or will be retried (`pending`), in target order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DeletionOutcome {
    pub user_id: Uuid,
    pub requested_at: DateTime<Utc>,
    pub completed: Vec<String>,
    pub pending: Vec<String>,
}

/// Deletes the user's profile data and queues the other subgraphs' purges in one
/// transaction, then tries each purge once.
pub async fn delete_account(
    db: &DatabaseConnection,
    config: &DeletionConfig,
    user_id: Uuid,
) -> Result<DeletionOutcome, ProfileError> {
    let requested_at = now();
    let subgraphs: Vec<String> = config
        .targets
        .iter()
        .map(|target| target.subgraph.clone())
        .collect();
    let txn = db.begin().await?;
    let removed = store::delete_user_rows(&txn, user_id).await?;
    // The rows are due only once this request's own attempts would have timed out:
    // were they due at once, the worker could claim one first and the receipt would
    // call pending a purge that is under way.
    let due = after(requested_at, config.request_timeout.saturating_mul(2));
    let rows = outbox::record(&txn, user_id, &subgraphs, requested_at, due).await?;
    txn.commit().await?;
    tracing::info!(%user_id, removed, "deleted an account's profile data");

    let attempts = rows.into_iter().map(|row| async move {
        let subgraph = row.subgraph.clone();
        (subgraph, attempt_logged(db, config, row).await)
    });
    let mut outcome = DeletionOutcome {
        user_id,
        requested_at,
        completed: Vec::new(),
        pending: Vec::new(),
    };
    for (subgraph, purged) in futures::future::join_all(attempts).await {
        if purged {
            outcome.completed.push(subgraph);
        } else {
            outcome.pending.push(subgraph);
        }
    }
    Ok(outcome)
}

/// One pass over the due outbox rows: each is attempted once. Returns how many
/// completed. A database error is returned after every attempt has finished.
pub async fn run_pending_deletions(
    db: &DatabaseConnection,
    config: &DeletionConfig,
) -> Result<usize, ProfileError> {
    let due = outbox::due(db, now(), PASS_ROWS).await?;
    let results: Vec<_> = futures::stream::iter(due)
        .map(|row| attempt(db, config, row))
        .buffer_unordered(PASS_CONCURRENCY)
        .collect()
        .await;
    let mut completed = 0;
    for result in results {
        if result? {
            completed += 1;
        }
    }
    Ok(completed)
}

/// Retries pending purges until each has succeeded, for as long as the task runs
/// (abort the handle to stop it). Rows pending from before a restart are due at
/// once, so they are picked up on start.
pub fn spawn_deletion_worker(
    db: DatabaseConnection,
    config: DeletionConfig,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        loop {
            match run_pending_deletions(&db, &config).await {
                Ok(0) => {}
                Ok(completed) => tracing::info!(completed, "account deletions completed"),
                Err(err) => tracing::error!(error = %err, "the account deletion pass failed"),
            }
            tokio::time::sleep(pause_before_next_pass(&db, &config).await).await;
        }
    })
}

/// Until the next row falls due, but at most the poll interval.
async fn pause_before_next_pass(db: &DatabaseConnection, config: &DeletionConfig) -> Duration {
    let longest = config.poll_interval.max(MIN_PAUSE);
    let until_due = match outbox::next_due(db).await {
        // A row already due gives a negative delta, which is no wait at all.
        Ok(Some(at)) => (at - Utc::now()).to_std().unwrap_or(Duration::ZERO),
        Ok(None) => longest,
        Err(err) => {
            tracing::error!(error = %err, "cannot read the account deletion outbox");
            longest
        }
    };
    until_due.clamp(MIN_PAUSE, longest)
}

/// [`attempt`], with a database error logged and counted as not purged: the row
/// stays pending and the worker tries it again.
async fn attempt_logged(
    db: &DatabaseConnection,
    config: &DeletionConfig,
    row: account_deletions::Model,
) -> bool {
    let id = row.id;
    attempt(db, config, row).await.unwrap_or_else(|err| {
        tracing::error!(error = %err, outbox_row = %id, "cannot record a purge attempt");
        false
    })
}

/// Claims `row`, calls its subgraph and records the outcome; true when it purged.
/// False without a call when another process claimed the row first.
async fn attempt(
    db: &DatabaseConnection,
    config: &DeletionConfig,
    row: account_deletions::Model,
) -> Result<bool, ProfileError> {
    // The lease outlasts the call, so the row is only retaken if this process died.
    let lease_until = after(now(), config.request_timeout.saturating_mul(2));
    if !outbox::claim(db, &row, lease_until).await? {
        return Ok(false);
    }
    let attempts = row.attempts.saturating_add(1);
    let result = match config.target(&row.subgraph) {
        Some(target) => purge::purge(config, target, row.user_id).await,
        None => Err(ProfileError::PurgeFailed {
            subgraph: row.subgraph.clone(),
            reason: "no URL is configured for this subgraph".to_owned(),
        }),
    };
    match result {
        Ok(removed) => {
            outbox::complete(db, row.id, attempts, now()).await?;
            tracing::info!(user_id = %row.user_id, subgraph = %row.subgraph, removed, "purged");
            Ok(true)
        }
        Err(err) => {
            let failures = attempts.unsigned_abs();
            let retry_at = after(now(), config.backoff(failures));
            outbox::fail(db, row.id, attempts, retry_at, &err.to_string()).await?;
            tracing::warn!(user_id = %row.user_id, error = %err, attempts, %retry_at, "purge failed; will retry");
            Ok(false)
        }
    }
}

/// Whole microseconds, which both backends store exactly.
fn now() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(6)
}

fn after(start: DateTime<Utc>, wait: Duration) -> DateTime<Utc> {
    TimeDelta::from_std(wait)
        .ok()
        .and_then(|wait| start.checked_add_signed(wait))
        .unwrap_or(DateTime::<Utc>::MAX_UTC)
        .trunc_subsecs(6)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_one_second_to_five_minutes() {
        let config = DeletionConfig::new(Vec::new(), None);
        let waits: Vec<u64> = (1..=11).map(|n| config.backoff(n).as_secs()).collect();
        assert_eq!(waits, [1, 2, 4, 8, 16, 32, 64, 128, 256, 300, 300]);
        assert_eq!(config.backoff(u32::MAX), DeletionConfig::MAX_BACKOFF);
        assert_eq!(config.backoff(0), DeletionConfig::INITIAL_BACKOFF);
    }

    #[test]
    fn mutation_fields_are_named_after_the_subgraph() {
        let field = |name: &str| PurgeTarget::new(name, "http://x").mutation_field();
        assert_eq!(field("exercises").as_deref(), Some("purgeExercisesData"));
        assert_eq!(field("plans").as_deref(), Some("purgePlansData"));
        assert_eq!(field("feedback").as_deref(), Some("purgeFeedbackData"));
        assert_eq!(field(""), None);
        assert_eq!(field("plans { x }"), None);
        assert_eq!(field("9lives"), None);
    }

    #[test]
    fn default_targets_come_from_the_settings() {
        let config = DeletionConfig::from_settings(&Settings::default());
        let names: Vec<_> = config.targets.iter().map(|t| t.subgraph.as_str()).collect();
        assert_eq!(names, ["exercises", "plans", "feedback"]);
        assert_eq!(config.targets[1].url, "http://127.0.0.1:4003/graphql");
        assert!(
            config.credential.is_none(),
            "the default settings have no secret"
        );
    }
}
