//! The model families and the fitted models an artifact carries. All of them see
//! standardised feature rows ([`Scaler`]) and answer with a probability of the `true` label.

mod logistic;
mod scaler;
mod tree;

use std::fmt;

use ndarray::{Array1, Array2, ArrayView2, Axis};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::{Deserialize, Serialize};

pub(crate) use logistic::LogisticModel;
pub(crate) use scaler::Scaler;
pub(crate) use tree::TreeModel;

/// Sorted indices of `limit` of `rows` rows, picked by `seed`; all rows when there are
/// no more than `limit`.
pub(crate) fn seeded_sample(rows: usize, limit: usize, seed: u64) -> Vec<usize> {
    if rows <= limit {
        return (0..rows).collect();
    }
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut sample = rand::seq::index::sample(&mut rng, rows, limit).into_vec();
    sample.sort_unstable();
    sample
}

/// The rows and labels at `sample`'s indices.
pub(crate) fn select_rows(
    records: ArrayView2<'_, f64>,
    labels: &[bool],
    sample: &[usize],
) -> (Array2<f64>, Array1<bool>) {
    let selected_labels = sample
        .iter()
        .map(|index| labels.get(*index).copied().unwrap_or_default())
        .collect();
    (records.select(Axis(0), sample), selected_labels)
}

/// A kind of adherence model training fits and compares.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum ModelFamily {
    /// L2-regularised logistic regression (linfa-logistic), fitted on at most 25,000
    /// training rows picked by the seed.
    LogisticRegression,
    /// A CART tree (linfa-trees, depth ≤ 8, about 20 rows per leaf or more) grown on at most
    /// 16,000 training rows picked by the seed; each leaf's probability is the smoothed
    /// completion rate of all training rows reaching it.
    DecisionTree,
}

impl ModelFamily {
    /// Every family, in the order training fits them; the first wins ties.
    pub const ALL: [ModelFamily; 2] = [ModelFamily::LogisticRegression, ModelFamily::DecisionTree];

    pub fn as_str(self) -> &'static str {
        match self {
            ModelFamily::LogisticRegression => "LOGISTIC_REGRESSION",
            ModelFamily::DecisionTree => "DECISION_TREE",
        }
    }
}

impl fmt::Display for ModelFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The fitted model of P(completed).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum AdherenceModel {
    LogisticRegression(LogisticModel),
    DecisionTree(TreeModel),
}

impl AdherenceModel {
    pub(crate) fn fit(
        family: ModelFamily,
        records: ArrayView2<'_, f64>,
        completed: &[bool],
        seed: u64,
    ) -> Result<Self, String> {
        match family {
            ModelFamily::LogisticRegression => {
                LogisticModel::fit(records, completed, seed).map(AdherenceModel::LogisticRegression)
            }
            ModelFamily::DecisionTree => {
                TreeModel::fit(records, completed, seed).map(AdherenceModel::DecisionTree)
            }
        }
    }

    pub(crate) fn family(&self) -> ModelFamily {
        match self {
            AdherenceModel::LogisticRegression(_) => ModelFamily::LogisticRegression,
            AdherenceModel::DecisionTree(_) => ModelFamily::DecisionTree,
        }
    }

    pub(crate) fn probability(&self, row: &[f64]) -> f64 {
        match self {
            AdherenceModel::LogisticRegression(model) => model.probability(row),
            AdherenceModel::DecisionTree(model) => model.probability(row),
        }
    }

    pub(crate) fn validate(&self, features: usize) -> Result<(), String> {
        match self {
            AdherenceModel::LogisticRegression(model) => model.validate(features),
            AdherenceModel::DecisionTree(model) => model.validate(features),
        }
    }
}

/// The fitted model of P(effective); a constant when training saw a single class.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub(crate) enum EffectivenessModel {
    LogisticRegression(LogisticModel),
    Constant { rate: f64 },
}

impl EffectivenessModel {
    pub(crate) fn fit(
        records: ArrayView2<'_, f64>,
        effective: &[bool],
        seed: u64,
    ) -> Result<Self, String> {
        let positives = effective.iter().filter(|label| **label).count();
        if positives == 0 || positives == effective.len() {
            let rate = if effective.is_empty() {
                0.0
            } else {
                positives as f64 / effective.len() as f64
            };
            return Ok(EffectivenessModel::Constant { rate });
        }
        LogisticModel::fit(records, effective, seed).map(EffectivenessModel::LogisticRegression)
    }

    pub(crate) fn probability(&self, row: &[f64]) -> f64 {
        match self {
            EffectivenessModel::LogisticRegression(model) => model.probability(row),
            EffectivenessModel::Constant { rate } => *rate,
        }
    }

    pub(crate) fn validate(&self, features: usize) -> Result<(), String> {
        match self {
            EffectivenessModel::LogisticRegression(model) => model.validate(features),
            EffectivenessModel::Constant { rate } if (0.0..=1.0).contains(rate) => Ok(()),
            EffectivenessModel::Constant { rate } => Err(format!(
                "the constant effectiveness {rate} is not a probability"
            )),
        }
    }
}
