//! Daily training: time split, cohort tables, features, every model family, selection on
//! the held-out days, and the artifact.
//!
//! The most recent `holdout_days` calendar days (those after `latest day - holdout_days`)
//! are held out: the ranker is used on days after its training data, so it is judged the
//! same way. Cohort tables come from the training days only, and training rows use
//! leave-one-out cohort rates (see [`CohortTables`]); held-out rows are featurised exactly
//! as serving would, through [`features`](crate::features).

use std::collections::BTreeMap;

use chrono::{DateTime, Days, NaiveDate, Utc};
use ndarray::Array2;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::artifact::{Artifact, ArtifactParts, TrainingWindow};
use crate::cohorts::CohortTables;
use crate::example::Example;
use crate::features::{FEATURE_NAMES, features, features_with_rates};
use crate::metrics::Metrics;
use crate::model::{AdherenceModel, EffectivenessModel, ModelFamily, Scaler};

/// How training splits, checks and evaluates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TrainConfig {
    /// The most recent calendar days held out for evaluation.
    pub holdout_days: u32,
    pub min_train_examples: usize,
    pub min_holdout_examples: usize,
    /// The cut-off of NDCG@k per workout.
    pub ndcg_k: usize,
    /// Seeds every random choice: which training rows the models are fitted on when there
    /// are more than they need (see [`ModelFamily`]).
    pub seed: u64,
}

impl Default for TrainConfig {
    fn default() -> Self {
        TrainConfig {
            holdout_days: 7,
            min_train_examples: 200,
            min_holdout_examples: 50,
            ndcg_k: 10,
            seed: 42,
        }
    }
}

/// Where training is, for progress reporting.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TrainStage {
    BuildingCohorts,
    Featurizing { examples: usize },
    Fitting { family: ModelFamily },
    Evaluating { family: ModelFamily },
    Done,
}

/// One family's result on the held-out window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct FamilyReport {
    pub family: ModelFamily,
    pub metrics: Metrics,
}

/// What training produced.
#[derive(Debug, Clone)]
pub struct Trained {
    /// Built around the family that did best on the held-out window.
    pub artifact: Artifact,
    /// Every family tried, in [`ModelFamily::ALL`] order.
    pub compared: Vec<FamilyReport>,
    /// The held-out examples, so the serving artifact can be evaluated on the same window.
    pub holdout: Vec<Example>,
}

#[derive(Debug, thiserror::Error)]
pub enum RankerError {
    #[error(
        "not enough data to train the ranker: {reason} ({train} training, {holdout} held-out examples)"
    )]
    NotEnoughData {
        train: usize,
        holdout: usize,
        reason: String,
    },
    #[error("fitting the ranker failed: {0}")]
    Fit(String),
}

/// The examples split by day.
struct Split {
    train: Vec<Example>,
    holdout: Vec<Example>,
    window: TrainingWindow,
}

/// Standardised training rows with both labels.
struct TrainingRows {
    records: Array2<f64>,
    completed: Vec<bool>,
    effective: Vec<bool>,
}

/// Trains on `examples`. `now` becomes the artifact's `trained_at`; `progress` hears each
/// stage as it starts. The same examples in the same order, configuration and `now` give
/// the same artifact, byte for byte.
pub fn train(
    examples: &[Example],
    config: &TrainConfig,
    now: DateTime<Utc>,
    progress: &mut dyn FnMut(TrainStage),
) -> Result<Trained, RankerError> {
    let split = split_by_day(examples, config.holdout_days)?;
    check_enough(&split, config)?;
    progress(TrainStage::BuildingCohorts);
    let cohorts = CohortTables::build(&split.train);
    progress(TrainStage::Featurizing {
        examples: examples.len(),
    });
    let (rows, scaler) = training_rows(&split.train, &cohorts);
    let holdout_rows: Vec<Vec<f64>> = split
        .holdout
        .iter()
        .map(|example| serving_row(example, &cohorts, &scaler))
        .collect();
    let (adherence, metrics, compared) =
        fit_families(&rows, &holdout_rows, &split.holdout, config, progress)?;
    let effectiveness = EffectivenessModel::fit(rows.records.view(), &rows.effective, config.seed)
        .map_err(|err| RankerError::Fit(format!("effectiveness model: {err}")))?;
    let artifact = Artifact::assemble(ArtifactParts {
        trained_at: now,
        window: split.window,
        metrics,
        cohorts,
        scaler,
        adherence,
        effectiveness,
    });
    progress(TrainStage::Done);
    Ok(Trained {
        artifact,
        compared,
        holdout: split.holdout,
    })
}

/// Scores `examples` with the artifact's own cohort tables and models, as serving would,
/// and measures the adherence probability against `completed` (NDCG per workout).
pub fn evaluate(artifact: &Artifact, examples: &[Example], k: usize) -> Metrics {
    let probabilities: Vec<f64> = examples
        .iter()
        .map(|example| {
            artifact
                .score(&example.snapshot, &example.exercise)
                .adherence
        })
        .collect();
    metrics_of(&probabilities, examples, k)
}

fn metrics_of(probabilities: &[f64], examples: &[Example], k: usize) -> Metrics {
    let labels: Vec<bool> = examples.iter().map(|example| example.completed).collect();
    let mut workouts: BTreeMap<Uuid, Vec<(f64, bool)>> = BTreeMap::new();
    for (probability, example) in probabilities.iter().zip(examples) {
        workouts
            .entry(example.workout_id)
            .or_default()
            .push((*probability, example.completed));
    }
    let groups: Vec<Vec<(f64, bool)>> = workouts.into_values().collect();
    Metrics::compute(probabilities, &labels, &groups, k)
}

fn split_by_day(examples: &[Example], holdout_days: u32) -> Result<Split, RankerError> {
    let days = || examples.iter().map(|example| example.day);
    let (Some(from), Some(to)) = (days().min(), days().max()) else {
        return Err(RankerError::NotEnoughData {
            train: 0,
            holdout: 0,
            reason: "there are no examples".into(),
        });
    };
    // Every day after `last_training_day` is held out; with an absurd window, all of them.
    let last_training_day = to.checked_sub_days(Days::new(holdout_days.into()));
    let held_out = |day: NaiveDate| last_training_day.is_none_or(|last| day > last);
    let holdout_from = last_training_day
        .and_then(|last| last.succ_opt())
        .unwrap_or(from);
    let (holdout, train): (Vec<Example>, Vec<Example>) = examples
        .iter()
        .cloned()
        .partition(|example| held_out(example.day));
    Ok(Split {
        train,
        holdout,
        window: TrainingWindow {
            from,
            to,
            holdout_from,
        },
    })
}

fn check_enough(split: &Split, config: &TrainConfig) -> Result<(), RankerError> {
    let not_enough = |reason: String| RankerError::NotEnoughData {
        train: split.train.len(),
        holdout: split.holdout.len(),
        reason,
    };
    if split.train.len() < config.min_train_examples
        || split.holdout.len() < config.min_holdout_examples
    {
        return Err(not_enough(format!(
            "need at least {} training and {} held-out examples",
            config.min_train_examples, config.min_holdout_examples
        )));
    }
    let completed = split
        .train
        .iter()
        .filter(|example| example.completed)
        .count();
    if completed == 0 || completed == split.train.len() {
        let outcome = if completed == 0 {
            "skipped"
        } else {
            "completed"
        };
        return Err(not_enough(format!(
            "every training example was {outcome}, so there is nothing to tell apart"
        )));
    }
    Ok(())
}

/// Training rows with leave-one-out cohort rates, standardised by a scaler fitted on them.
fn training_rows(train: &[Example], cohorts: &CohortTables) -> (TrainingRows, Scaler) {
    let width = FEATURE_NAMES.len();
    let mut values = Vec::with_capacity(train.len() * width);
    for example in train {
        let snapshot = &example.snapshot;
        let exercise = &example.exercise;
        let rates = cohorts.rates(
            snapshot.goal,
            snapshot.level,
            exercise.category,
            exercise.id,
            Some(example.completed),
        );
        values.extend(features_with_rates(snapshot, exercise, rates));
    }
    let scaler = Scaler::fit(&values, width);
    for row in values.chunks_exact_mut(width) {
        scaler.apply(row);
    }
    let records = Array2::from_shape_vec((train.len(), width), values)
        .expect("every feature row has one value per feature name");
    let rows = TrainingRows {
        records,
        completed: train.iter().map(|example| example.completed).collect(),
        effective: train.iter().map(|example| example.effective).collect(),
    };
    (rows, scaler)
}

/// A row exactly as [`Artifact::score`] computes it.
fn serving_row(example: &Example, cohorts: &CohortTables, scaler: &Scaler) -> Vec<f64> {
    let mut row = features(&example.snapshot, &example.exercise, cohorts);
    scaler.apply(&mut row);
    row
}

/// Fits every family, evaluates each on the held-out rows and keeps the best.
fn fit_families(
    rows: &TrainingRows,
    holdout_rows: &[Vec<f64>],
    holdout: &[Example],
    config: &TrainConfig,
    progress: &mut dyn FnMut(TrainStage),
) -> Result<(AdherenceModel, Metrics, Vec<FamilyReport>), RankerError> {
    let mut best: Option<(AdherenceModel, Metrics)> = None;
    let mut compared = Vec::with_capacity(ModelFamily::ALL.len());
    for family in ModelFamily::ALL {
        progress(TrainStage::Fitting { family });
        let model = AdherenceModel::fit(family, rows.records.view(), &rows.completed, config.seed)
            .map_err(|err| RankerError::Fit(format!("{family} adherence model: {err}")))?;
        progress(TrainStage::Evaluating { family });
        let probabilities: Vec<f64> = holdout_rows
            .iter()
            .map(|row| model.probability(row))
            .collect();
        let metrics = metrics_of(&probabilities, holdout, config.ndcg_k);
        compared.push(FamilyReport {
            family,
            metrics: metrics.clone(),
        });
        let improves = best
            .as_ref()
            .is_none_or(|(_, best_metrics)| metrics.beats(best_metrics));
        if improves {
            best = Some((model, metrics));
        }
    }
    let (model, metrics) = best.ok_or_else(|| RankerError::Fit("no model family to fit".into()))?;
    Ok((model, metrics, compared))
}
