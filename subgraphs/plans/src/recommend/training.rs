//! Training: the feedback corpus (generated workouts, the snapshots they were built from
//! and how each exercise went) becomes a ranker artifact, evaluated on the most recent
//! days held out, stored in the registry, and promoted only when it beats the serving
//! model on that same window.

use std::collections::HashMap;
use std::sync::Arc;

use chrono::{Duration, NaiveDate};
use fitgraph_entities::plans::{recommendations, workout_exercises, workout_outcomes};
use fitgraph_ranker::{Artifact, Example, FamilyReport, Metrics, TrainConfig, TrainStage};
use fitgraph_rules::UserSnapshot;
use sea_orm::sea_query::JoinType;
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, QuerySelect};
use subgraph_common::Progress;
use subgraph_common::catalog::ExerciseSummary;
use uuid::Uuid;

use super::error::{RecommendError, Result};
use super::experiments::exercises_to_recommendation;
use super::registry::{self, RegisteredModel};

/// A workout without any reported outcome counts as not done once this many days passed.
const DAYS_TO_REPORT: i64 = 2;

/// What one training run did.
#[derive(Debug, Clone)]
pub struct TrainingReport {
    pub examples: usize,
    /// The registry entry written; none when there was too little data to train.
    pub model: Option<RegisteredModel>,
    /// Every model family tried, with its held-out metrics.
    pub compared: Vec<FamilyReport>,
    /// The serving model's metrics on the same held-out window.
    pub serving_metrics: Option<Metrics>,
    pub promoted: bool,
    pub decision: String,
}

pub struct TrainingInput<'a> {
    pub db: &'a DatabaseConnection,
    pub exercises: Arc<HashMap<Uuid, ExerciseSummary>>,
    pub window_days: u32,
    pub holdout_days: u32,
    pub today: NaiveDate,
}

/// Trains, evaluates, records and (maybe) promotes.
pub async fn train(input: TrainingInput<'_>, progress: &dyn Progress) -> Result<TrainingReport> {
    let to = input.today - Duration::days(1);
    let from = input.today - Duration::days(i64::from(input.window_days));
    progress.start("reading the feedback corpus", 1);
    let examples = load_examples(input.db, &input.exercises, from, to, input.today).await?;
    progress.finish();
    let count = examples.len();
    let config = TrainConfig {
        holdout_days: input.holdout_days,
        ..TrainConfig::default()
    };
    let trained = fit(examples, config, progress).await?;
    let trained = match trained {
        Ok(trained) => trained,
        Err(reason) => {
            tracing::info!(examples = count, %reason, "ranker training skipped");
            return Ok(TrainingReport {
                examples: count,
                model: None,
                compared: Vec::new(),
                serving_metrics: None,
                promoted: false,
                decision: reason,
            });
        }
    };
    let serving = serving_metrics(input.db, &trained.holdout, trained.artifact.metrics.k).await?;
    let (promote, decision) = decide(&trained.artifact.metrics, serving.as_ref());
    let model = registry::record(input.db, &trained.artifact, promote, decision.clone()).await?;
    tracing::info!(version = %model.version, auc = model.metrics.auc, promote, %decision, "ranker trained");
    Ok(TrainingReport {
        examples: count,
        model: Some(model),
        compared: trained.compared,
        serving_metrics: serving.map(|(_, metrics)| metrics),
        promoted: promote,
        decision,
    })
}

/// Runs the CPU-bound fit off the async threads. `Ok(Err(reason))` means too little data.
async fn fit(
    examples: Vec<Example>,
    config: TrainConfig,
    progress: &dyn Progress,
) -> Result<Result<fitgraph_ranker::Trained, String>> {
    let now = subgraph_common::clock::now();
    progress.start("training the ranker", 4);
    let (stages_tx, mut stages_rx) = tokio::sync::mpsc::unbounded_channel();
    let job = tokio::task::spawn_blocking(move || {
        // A closed receiver only means nobody watches the progress any more.
        let mut report = |stage: TrainStage| {
            let _ = stages_tx.send(stage);
        };
        fitgraph_ranker::train(&examples, &config, now, &mut report)
    });
    while let Some(stage) = stages_rx.recv().await {
        if matches!(
            stage,
            TrainStage::Fitting { .. } | TrainStage::Evaluating { .. } | TrainStage::Done
        ) {
            progress.advance(1);
        }
    }
    progress.finish();
    let outcome = job
        .await
        .map_err(|err| RecommendError::Training(format!("the training task failed: {err}")))?;
    Ok(match outcome {
        Ok(trained) => Ok(trained),
        Err(err @ fitgraph_ranker::RankerError::NotEnoughData { .. }) => Err(err.to_string()),
        Err(err) => return Err(RecommendError::Training(err.to_string())),
    })
}

/// The promotion rule: a first model is promoted; later ones must beat the serving model
/// on the same held-out window.
fn decide(candidate: &Metrics, serving: Option<&(String, Metrics)>) -> (bool, String) {
    match serving {
        None => (
            true,
            format!(
                "promoted: no model was serving (held-out AUC {:.3})",
                candidate.auc
            ),
        ),
        Some((version, old)) if candidate.beats(old) => (
            true,
            format!(
                "promoted: held-out AUC {:.3} vs {:.3} and log-loss {:.3} vs {:.3} for {version}",
                candidate.auc, old.auc, candidate.log_loss, old.log_loss
            ),
        ),
        Some((version, old)) => (
            false,
            format!(
                "kept {version}: held-out AUC {:.3} vs its {:.3}, log-loss {:.3} vs {:.3}",
                candidate.auc, old.auc, candidate.log_loss, old.log_loss
            ),
        ),
    }
}

/// The promoted model's metrics on `holdout`; none when nothing (loadable) is promoted.
async fn serving_metrics(
    db: &DatabaseConnection,
    holdout: &[Example],
    k: usize,
) -> Result<Option<(String, Metrics)>> {
    let Some(version) = registry::promoted_version(db).await? else {
        return Ok(None);
    };
    let bytes = registry::artifact_bytes(db, &version)
        .await?
        .unwrap_or_default();
    match Artifact::from_bytes(&bytes) {
        Ok(artifact) => Ok(Some((
            version,
            fitgraph_ranker::evaluate(&artifact, holdout, k),
        ))),
        Err(err) => {
            tracing::warn!(%version, reason = %err, "the serving model cannot be loaded; any new model replaces it");
            Ok(None)
        }
    }
}

/// One example per prescribed exercise of the generated workouts for days `from..=to`.
pub async fn load_examples(
    db: &DatabaseConnection,
    exercises: &HashMap<Uuid, ExerciseSummary>,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<Example>> {
    let in_window = Condition::all()
        .add(recommendations::Column::Day.between(from, to))
        .add(recommendations::Column::Kind.ne("REST"));
    let recs = recommendations::Entity::find()
        .filter(in_window.clone())
        .all(db)
        .await?;
    let snapshots: HashMap<Uuid, (Uuid, NaiveDate, Arc<UserSnapshot>)> = recs
        .into_iter()
        .filter_map(|rec| match serde_json::from_str::<UserSnapshot>(&rec.snapshot) {
            Ok(snapshot) => Some((rec.workout_id, (rec.user_id, rec.day, Arc::new(snapshot)))),
            Err(err) => {
                tracing::warn!(workout = %rec.workout_id, error = %err, "unreadable stored snapshot; left out of training");
                None
            }
        })
        .collect();
    let prescribed: Vec<(Uuid, Uuid)> = workout_exercises::Entity::find()
        .select_only()
        .columns([
            workout_exercises::Column::WorkoutId,
            workout_exercises::Column::ExerciseId,
        ])
        .join(JoinType::InnerJoin, exercises_to_recommendation())
        .filter(in_window)
        .into_tuple()
        .all(db)
        .await?;
    let outcomes = outcomes_since(db, from).await?;
    let mut summaries: HashMap<Uuid, Arc<ExerciseSummary>> = HashMap::new();
    let mut examples = Vec::with_capacity(prescribed.len());
    for (workout_id, exercise_id) in prescribed {
        let Some((user_id, day, snapshot)) = snapshots.get(&workout_id) else {
            continue;
        };
        let outcome = outcomes.get(&(workout_id, exercise_id)).copied();
        let reported = outcomes.contains_key(&(workout_id, Uuid::nil()));
        if outcome.is_none() && !reported && (today - *day).num_days() < DAYS_TO_REPORT {
            continue;
        }
        let Some(summary) = exercises.get(&exercise_id) else {
            continue;
        };
        let summary = summaries
            .entry(exercise_id)
            .or_insert_with(|| Arc::new(summary.clone()))
            .clone();
        let (completed, difficulty) = outcome.unwrap_or((false, None));
        examples.push(Example {
            workout_id,
            user_id: *user_id,
            day: *day,
            snapshot: snapshot.clone(),
            exercise: summary,
            completed,
            effective: completed && difficulty.is_none_or(|d| (2..=4).contains(&d)),
        });
    }
    Ok(examples)
}

/// Outcomes per (workout, exercise) reported since `from`; a (workout, nil) entry marks
/// a workout with any report.
async fn outcomes_since(
    db: &DatabaseConnection,
    from: NaiveDate,
) -> Result<HashMap<(Uuid, Uuid), (bool, Option<i32>)>> {
    let since = from.and_hms_opt(0, 0, 0).unwrap_or_default().and_utc();
    let rows: Vec<(Uuid, Uuid, bool, Option<i32>)> = workout_outcomes::Entity::find()
        .select_only()
        .columns([
            workout_outcomes::Column::WorkoutId,
            workout_outcomes::Column::ExerciseId,
            workout_outcomes::Column::Completed,
            workout_outcomes::Column::Difficulty,
        ])
        .filter(workout_outcomes::Column::CompletedAt.gte(since))
        .into_tuple()
        .all(db)
        .await?;
    let mut outcomes = HashMap::with_capacity(rows.len() + rows.len() / 4);
    for (workout_id, exercise_id, completed, difficulty) in rows {
        outcomes.insert((workout_id, Uuid::nil()), (false, None));
        outcomes.insert((workout_id, exercise_id), (completed, difficulty));
    }
    Ok(outcomes)
}
