//! `fitgraph seed --scale`: a large, realistic population for performance work, written
//! straight to the subgraphs' configured databases with batched inserts.
//!
//! After the normal seed (exercise library and demo users), it writes:
//!
//! - **profile**: `--users` people, `scale-<index>@fitgraph.test` for index 0, 1, …, with
//!   varied onboarding answers and equipment; a quarter sync a wearable, whose readings
//!   (HRV over 37 days, recent sleep scores) make their recovery GREEN, YELLOW or RED
//!   today; everyone else's is UNKNOWN. `todayWorkout` works for every one of them.
//! - **plans and feedback**: the last eight weeks of people's lives with fitgraph (see
//!   the `history` module), taken in index order until their histories hold exactly
//!   `--feedback-rows` feedback rows (all new on a fresh database): generated workouts
//!   with their prescriptions and recommendation records (snapshot, variant), and in
//!   feedback what came of them. The person who reaches the number stops there; later
//!   people are new sign-ups without history yet.
//!
//! **A feedback row** is one row of any of feedback's four tables: a workout completion
//! (`workout_completions`), one exercise's outcome within it (`exercise_outcomes`), a
//! logged set (`set_logs`) or an exercise rating (`exercise_ratings`).
//!
//! Every id derives from `--seed` and the row's position (people, workouts, readings,
//! set logs and ratings), and every insert skips rows that exist, so a rerun with the same
//! arguments writes nothing new. Completion ids are the exception: they are UUID v7 minted
//! at the run (see `ids::CompletionIds`), because plans reads feedback's outcomes feed in
//! id order from where it last stopped, and ids dated weeks back would sit behind that
//! point; a rerun still writes no second completion, since a workout is completed once.
//!
//! `fitgraph train` then trains on this history the way it trains on real use: plans copies
//! the completions from feedback's `trainingOutcomes` feed and joins them with its
//! generated workouts.

mod activity;
mod budget;
mod generate;
mod history;
mod ids;
mod library;
mod people;
mod perform;
mod profile;
mod signals;
mod write;

use std::time::{Duration, Instant};

use sea_orm::{ConnectionTrait, DatabaseConnection, DbErr, EntityTrait, QueryOrder};
use subgraph_common::{Progress, Settings, SubgraphName};

use crate::runner::{self, RunError, SeedSummary};
pub use activity::Activity;
pub use history::HISTORY_DAYS;
pub use people::email;

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ScaleOptions {
    pub users: u32,
    /// Feedback rows to add (see the module documentation for what counts as one).
    pub feedback_rows: u64,
    /// The same seed generates the same population.
    pub seed: u64,
}

#[derive(Debug, thiserror::Error)]
pub enum ScaleError {
    #[error("the {subgraph} database refused a write to or read of {table}: {source}")]
    Database {
        subgraph: SubgraphName,
        table: &'static str,
        source: DbErr,
    },
    #[error("the exercise library cannot be used: {0}")]
    Library(String),
    #[error("the rules cannot plan a day for scale user {index}: {reason}")]
    Plan { index: u32, reason: String },
    #[error("generating histories failed: {0}")]
    Generation(String),
    #[error("cannot read or install the plans experiment: {0}")]
    Experiment(plans_subgraph::recommend::RecommendError),
    #[error(
        "asked for {asked} feedback rows, but the histories of all {people} generated users hold \
         only {placed} (now written); ask for fewer rows or more --users"
    )]
    NotEnoughPeople {
        asked: u64,
        placed: u64,
        people: usize,
    },
}

/// What a run did; counts are of rows written now (what existed is not counted).
#[derive(Debug)]
pub struct ScaleSummary {
    pub seeded: SeedSummary,
    pub users: u64,
    pub equipment: u64,
    pub readings: u64,
    pub activity: Activity,
    pub elapsed: Duration,
}

/// Runs the normal seed, then generates the population (see the module documentation).
pub async fn seed_scale(
    settings: &Settings,
    options: ScaleOptions,
    progress: &dyn Progress,
) -> Result<ScaleSummary, RunError> {
    let started = Instant::now();
    let seeded = runner::seed(settings, progress).await?;
    let profile_db = runner::open_database(SubgraphName::Profile, settings).await?;
    let exercises_db = runner::open_database(SubgraphName::Exercises, settings).await?;
    let plans_db = runner::open_database(SubgraphName::Plans, settings).await?;
    let feedback_db = runner::open_database(SubgraphName::Feedback, settings).await?;
    let now = subgraph_common::clock::now();
    let generator = history::Generator {
        seed: options.seed,
        today: now.date_naive(),
        catalog: library::load(&exercises_db).await?,
        experiment: experiment(&plans_db).await?,
        settings: settings.recommend.clone(),
        completion_ids: ids::CompletionIds::at(
            completion_millis(&feedback_db, now).await?,
            options.seed,
        ),
    };
    let people =
        profile::write_people(&profile_db, options.seed, options.users, now, progress).await?;
    let targets = activity::Targets {
        plans: &plans_db,
        feedback: &feedback_db,
    };
    let activity = activity::write_histories(
        &targets,
        generator,
        people.present,
        options.feedback_rows,
        progress,
    )
    .await?;
    let written = [
        (SubgraphName::Profile, &profile_db),
        (SubgraphName::Plans, &plans_db),
        (SubgraphName::Feedback, &feedback_db),
    ];
    refresh_statistics(&written, progress).await?;
    Ok(ScaleSummary {
        seeded,
        users: people.users,
        equipment: people.equipment,
        readings: people.readings,
        activity,
        elapsed: started.elapsed(),
    })
}

/// Has each database re-read its tables' statistics. Bulk loads leave the planner
/// guessing until autovacuum gets round to them, or forever where it is off: one
/// user's recent workouts then read as a parallel scan of every prescription.
async fn refresh_statistics(
    databases: &[(SubgraphName, &DatabaseConnection)],
    progress: &dyn Progress,
) -> Result<(), ScaleError> {
    progress.start("refreshing planner statistics", databases.len() as u64);
    for (subgraph, db) in databases {
        db.execute_unprepared("ANALYZE")
            .await
            .map_err(write::place(*subgraph, "every table").failed())?;
        progress.advance(1);
    }
    progress.finish();
    Ok(())
}

/// The experiment plans runs: the default one, installed as a fresh plans service
/// would, so recommendation records name the variants serving would assign.
async fn experiment(
    db: &DatabaseConnection,
) -> Result<Option<plans_subgraph::recommend::Experiment>, ScaleError> {
    use plans_subgraph::recommend::experiments;
    // A plans service starting on the same database may install it at the same moment;
    // then its copy is as good as ours.
    let installed = experiments::ensure_default(db).await;
    match (experiments::active(db).await, installed) {
        (Ok(Some(experiment)), _) => Ok(Some(experiment)),
        (_, Err(err)) | (Err(err), Ok(())) => Err(ScaleError::Experiment(err)),
        (Ok(None), Ok(())) => Ok(None),
    }
}

/// How far back completion ids are dated: far enough that the feed lists them at once
/// (it holds back ids younger than half a minute), yet after every id already stored,
/// so a consumer that read the feed before finds them after its cursor.
const COMPLETION_IDS_BACKDATED: Duration = Duration::from_secs(60);

async fn completion_millis(
    db: &DatabaseConnection,
    now: chrono::DateTime<chrono::Utc>,
) -> Result<u64, ScaleError> {
    use fitgraph_entities::feedback::workout_completions;
    let latest = workout_completions::Entity::find()
        .order_by_desc(workout_completions::Column::Id)
        .one(db)
        .await
        .map_err(write::place(SubgraphName::Feedback, "workout_completions").failed())?;
    let after_latest = latest
        .and_then(|row| row.id.get_timestamp())
        .map_or(0, |timestamp| {
            let (seconds, nanos) = timestamp.to_unix();
            seconds * 1000 + u64::from(nanos / 1_000_000) + 1
        });
    let backdated = now
        - chrono::TimeDelta::from_std(COMPLETION_IDS_BACKDATED)
            .expect("a minute is a valid time delta");
    let backdated = u64::try_from(backdated.timestamp_millis()).unwrap_or(0);
    Ok(backdated.max(after_latest))
}
