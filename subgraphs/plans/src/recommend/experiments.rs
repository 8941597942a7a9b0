//! A/B tests of recommendation strategies: named variants with weights, sticky
//! assignment by hashing the experiment's salt with the user id, and per-variant
//! completion with a 95% confidence interval for the difference to control.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use fitgraph_entities::plans::{experiments, recommendations, workout_exercises, workout_outcomes};
use sea_orm::sea_query::{Expr, JoinType};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use uuid::Uuid;

use super::error::{RecommendError, Result};

/// The experiment a fresh install runs: rules alone against the ranker with and
/// without exploration, in equal shares.
pub const DEFAULT_EXPERIMENT_ID: &str = "ranking-v1";

/// z for a two-sided 95% interval.
const Z_95: f64 = 1.959_964;

/// How a variant orders the candidates the rules produced.
#[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum Strategy {
    /// The rules' own preference order.
    Rules,
    /// The promoted ranker model (rules order when there is none).
    Ranker,
    /// The ranker, with a share of slots given to exercises the user has not tried.
    RankerExplore,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Variant {
    pub name: String,
    pub weight: u32,
    pub strategy: Strategy,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Experiment {
    pub id: String,
    pub description: String,
    pub salt: String,
    pub variants: Vec<Variant>,
    pub control: String,
    pub active: bool,
}

impl Experiment {
    /// The user's variant: the same for the same salt and user, whatever else changes.
    pub fn assign(&self, user_id: Uuid) -> &Variant {
        let total: u64 = self.variants.iter().map(|v| u64::from(v.weight)).sum();
        let mut point = sticky_hash(&self.salt, user_id) % total.max(1);
        for variant in &self.variants {
            if point < u64::from(variant.weight) {
                return variant;
            }
            point -= u64::from(variant.weight);
        }
        // Unreachable for a validated experiment (weights sum to `total`).
        &self.variants[0]
    }

    /// Checks what an administrator submitted.
    pub fn validate(&self) -> Result<()> {
        let invalid = |reason: String| Err(RecommendError::InvalidExperiment(reason));
        let id_ok = (1..=64).contains(&self.id.len())
            && self
                .id
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !id_ok {
            return invalid("id must be 1-64 characters of a-z, 0-9 and -".into());
        }
        if !(2..=10).contains(&self.variants.len()) {
            return invalid("an experiment has 2-10 variants".into());
        }
        let names: BTreeSet<&str> = self.variants.iter().map(|v| v.name.as_str()).collect();
        if names.len() != self.variants.len() || names.iter().any(|n| n.is_empty() || n.len() > 64)
        {
            return invalid("variant names must be unique and 1-64 characters".into());
        }
        if self
            .variants
            .iter()
            .any(|v| !(1..=1000).contains(&v.weight))
        {
            return invalid("variant weights must be 1-1000".into());
        }
        if !names.contains(self.control.as_str()) {
            return invalid(format!(
                "control `{}` is not one of the variants",
                self.control
            ));
        }
        Ok(())
    }

    pub fn default_experiment() -> Experiment {
        let variant = |name: &str, strategy| Variant {
            name: name.to_owned(),
            weight: 1,
            strategy,
        };
        Experiment {
            id: DEFAULT_EXPERIMENT_ID.to_owned(),
            description: "Rules alone against the learned ranker, with and without exploration."
                .to_owned(),
            salt: DEFAULT_EXPERIMENT_ID.to_owned(),
            variants: vec![
                variant("rules-only", Strategy::Rules),
                variant("ranker", Strategy::Ranker),
                variant("ranker-explore", Strategy::RankerExplore),
            ],
            control: "rules-only".to_owned(),
            active: true,
        }
    }
}

/// A uniform 64-bit value from salt and user id (SHA-256, so no variant can be gamed
/// by choosing ids and assignments are independent across experiments).
fn sticky_hash(salt: &str, user_id: Uuid) -> u64 {
    let digest = Sha256::new()
        .chain_update(salt.as_bytes())
        .chain_update(b":")
        .chain_update(user_id.as_bytes())
        .finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&digest[..8]);
    u64::from_be_bytes(first)
}

fn from_row(row: experiments::Model) -> Result<Experiment> {
    let variants = serde_json::from_str(&row.variants)
        .map_err(|err| RecommendError::CorruptRow(format!("experiment {}: {err}", row.id)))?;
    Ok(Experiment {
        id: row.id,
        description: row.description,
        salt: row.salt,
        variants,
        control: row.control,
        active: row.active,
    })
}

/// Every experiment, newest first.
pub async fn list(db: &impl ConnectionTrait) -> Result<Vec<Experiment>> {
    let rows = experiments::Entity::find()
        .order_by_desc(experiments::Column::CreatedAt)
        .all(db)
        .await?;
    rows.into_iter().map(from_row).collect()
}

pub async fn get(db: &impl ConnectionTrait, id: &str) -> Result<Experiment> {
    let row = experiments::Entity::find_by_id(id.to_owned())
        .one(db)
        .await?;
    row.map(from_row)
        .unwrap_or_else(|| Err(RecommendError::UnknownExperiment(id.to_owned())))
}

/// The experiment new workouts are assigned under: the newest active one.
pub async fn active(db: &impl ConnectionTrait) -> Result<Option<Experiment>> {
    let row = experiments::Entity::find()
        .filter(experiments::Column::Active.eq(true))
        .order_by_desc(experiments::Column::CreatedAt)
        .one(db)
        .await?;
    row.map(from_row).transpose()
}

/// Stores a new experiment; when it is active, every other one stops.
pub async fn create(db: &DatabaseConnection, experiment: &Experiment) -> Result<()> {
    experiment.validate()?;
    let txn = db.begin().await?;
    if experiments::Entity::find_by_id(experiment.id.clone())
        .one(&txn)
        .await?
        .is_some()
    {
        return Err(RecommendError::InvalidExperiment(format!(
            "experiment `{}` exists already",
            experiment.id
        )));
    }
    if experiment.active {
        deactivate_all(&txn).await?;
    }
    let row = experiments::Model {
        id: experiment.id.clone(),
        description: experiment.description.clone(),
        salt: experiment.salt.clone(),
        variants: serde_json::to_string(&experiment.variants)
            .expect("variants are plain data and always serialise"),
        control: experiment.control.clone(),
        active: experiment.active,
        created_at: subgraph_common::clock::now(),
    };
    experiments::Entity::insert(row.into_active_model())
        .exec_without_returning(&txn)
        .await?;
    txn.commit().await?;
    Ok(())
}

/// Starts or stops an experiment; starting one stops the others.
pub async fn set_active(db: &DatabaseConnection, id: &str, active: bool) -> Result<Experiment> {
    let txn = db.begin().await?;
    let mut experiment = get(&txn, id).await?;
    if active {
        deactivate_all(&txn).await?;
    }
    experiments::Entity::update(experiments::ActiveModel {
        id: Set(id.to_owned()),
        active: Set(active),
        ..Default::default()
    })
    .exec(&txn)
    .await?;
    txn.commit().await?;
    experiment.active = active;
    Ok(experiment)
}

async fn deactivate_all(db: &impl ConnectionTrait) -> Result<()> {
    experiments::Entity::update_many()
        .col_expr(experiments::Column::Active, Expr::value(false))
        .exec(db)
        .await?;
    Ok(())
}

/// Installs the default experiment on a database that has none.
pub async fn ensure_default(db: &DatabaseConnection) -> Result<()> {
    if experiments::Entity::find().one(db).await?.is_none() {
        create(db, &Experiment::default_experiment()).await?;
    }
    Ok(())
}

/// One variant's outcome over a window.
#[derive(Debug, Clone, PartialEq)]
pub struct VariantResult {
    pub variant: Variant,
    /// Generated training (or mobility) workouts whose day has passed.
    pub workouts: u64,
    /// Mean share of prescribed exercises completed per workout.
    pub completion_rate: f64,
    /// This variant's rate minus control's, with a 95% confidence interval
    /// (normal approximation on per-workout completion shares, unequal variances).
    pub difference_to_control: Option<Difference>,
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Difference {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

/// Per-variant results over workouts for days in `from..=to` that lie before `today`.
pub async fn results(
    db: &DatabaseConnection,
    experiment: &Experiment,
    from: NaiveDate,
    to: NaiveDate,
    today: NaiveDate,
) -> Result<Vec<VariantResult>> {
    let last = to.min(today.pred_opt().unwrap_or(today));
    let shares = completion_shares(db, &experiment.id, from, last).await?;
    let stats: HashMap<&str, Moments> = experiment
        .variants
        .iter()
        .map(|v| {
            (
                v.name.as_str(),
                Moments::of(shares.get(&v.name).map_or(&[][..], Vec::as_slice)),
            )
        })
        .collect();
    let control = stats
        .get(experiment.control.as_str())
        .copied()
        .unwrap_or_default();
    Ok(experiment
        .variants
        .iter()
        .map(|variant| {
            let own = stats
                .get(variant.name.as_str())
                .copied()
                .unwrap_or_default();
            let difference = (variant.name != experiment.control)
                .then(|| own.difference_to(&control))
                .flatten();
            VariantResult {
                variant: variant.clone(),
                workouts: own.n,
                completion_rate: own.mean,
                difference_to_control: difference,
            }
        })
        .collect())
}

/// Per variant, each past workout's share of prescribed exercises completed.
async fn completion_shares(
    db: &DatabaseConnection,
    experiment_id: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<String, Vec<f64>>> {
    let in_window = Condition::all()
        .add(recommendations::Column::ExperimentId.eq(experiment_id))
        .add(recommendations::Column::Day.between(from, to))
        .add(recommendations::Column::Kind.ne("REST"));
    let workouts: Vec<(Uuid, String)> = recommendations::Entity::find()
        .select_only()
        .columns([
            recommendations::Column::WorkoutId,
            recommendations::Column::Variant,
        ])
        .filter(in_window.clone())
        .into_tuple()
        .all(db)
        .await?;
    let prescribed: HashMap<Uuid, i64> = workout_exercises::Entity::find()
        .select_only()
        .column(workout_exercises::Column::WorkoutId)
        .column_as(workout_exercises::Column::Position.count(), "prescribed")
        .join(JoinType::InnerJoin, exercises_to_recommendation())
        .filter(in_window.clone())
        .group_by(workout_exercises::Column::WorkoutId)
        .into_tuple::<(Uuid, i64)>()
        .all(db)
        .await?
        .into_iter()
        .collect();
    let completed = completed_counts(db, &workouts).await?;
    let mut shares: HashMap<String, Vec<f64>> = HashMap::new();
    for (workout_id, variant) in workouts {
        let Some(&total) = prescribed.get(&workout_id).filter(|total| **total > 0) else {
            continue;
        };
        let done = completed.get(&workout_id).copied().unwrap_or(0);
        shares
            .entry(variant)
            .or_default()
            .push(done as f64 / total as f64);
    }
    Ok(shares)
}

/// `workout_exercises` joined to the recommendation of their workout.
pub(super) fn exercises_to_recommendation() -> sea_orm::RelationDef {
    workout_exercises::Entity::belongs_to(recommendations::Entity)
        .from(workout_exercises::Column::WorkoutId)
        .to(recommendations::Column::WorkoutId)
        .into()
}

/// Completed exercises per workout, read in chunks to keep each IN list bounded.
async fn completed_counts(
    db: &DatabaseConnection,
    workouts: &[(Uuid, String)],
) -> Result<HashMap<Uuid, i64>> {
    let mut counts = HashMap::new();
    for chunk in workouts.chunks(500) {
        let ids: Vec<Uuid> = chunk.iter().map(|(id, _)| *id).collect();
        let rows: Vec<(Uuid, i64)> = workout_outcomes::Entity::find()
            .select_only()
            .column(workout_outcomes::Column::WorkoutId)
            .column_as(workout_outcomes::Column::ExerciseId.count(), "done")
            .filter(workout_outcomes::Column::WorkoutId.is_in(ids))
            .filter(workout_outcomes::Column::Completed.eq(true))
            .group_by(workout_outcomes::Column::WorkoutId)
            .into_tuple()
            .all(db)
            .await?;
        counts.extend(rows);
    }
    Ok(counts)
}

/// Count, mean and sample variance of per-workout shares.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Moments {
    pub n: u64,
    pub mean: f64,
    pub variance: f64,
}

impl Moments {
    pub fn of(values: &[f64]) -> Moments {
        let n = values.len();
        if n == 0 {
            return Moments::default();
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let variance = if n > 1 {
            values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64
        } else {
            0.0
        };
        Moments {
            n: n as u64,
            mean,
            variance,
        }
    }

    /// Welch's normal-approximation interval for `self.mean - control.mean`; none
    /// without at least two observations on each side.
    pub fn difference_to(&self, control: &Moments) -> Option<Difference> {
        if self.n < 2 || control.n < 2 {
            return None;
        }
        let estimate = self.mean - control.mean;
        let se = (self.variance / self.n as f64 + control.variance / control.n as f64).sqrt();
        Some(Difference {
            estimate,
            low: estimate - Z_95 * se,
            high: estimate + Z_95 * se,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assignment_is_sticky_and_follows_the_weights() {
        let mut experiment = Experiment::default_experiment();
        experiment.variants[0].weight = 2;
        let mut counts: HashMap<String, u32> = HashMap::new();
        for n in 0..8000u128 {
            let user = Uuid::from_u128(n * 7919 + 13);
            let first = experiment.assign(user).name.clone();
            assert_eq!(
                experiment.assign(user).name,
                first,
                "same user, same variant"
            );
            *counts.entry(first).or_default() += 1;
        }
        // 2:1:1 weights: about 4000, 2000 and 2000.
        assert!((3700..=4300).contains(&counts["rules-only"]), "{counts:?}");
        assert!((1750..=2250).contains(&counts["ranker"]), "{counts:?}");
        assert!(
            (1750..=2250).contains(&counts["ranker-explore"]),
            "{counts:?}"
        );
    }

    #[test]
    fn another_salt_assigns_independently() {
        let first = Experiment::default_experiment();
        let mut second = first.clone();
        second.salt = "another".into();
        let same = (0..3000u128)
            .filter(|n| {
                let user = Uuid::from_u128(*n + 1);
                first.assign(user).name == second.assign(user).name
            })
            .count();
        // Independent thirds agree about a third of the time.
        assert!((850..=1150).contains(&same), "{same}");
    }

    #[test]
    fn invalid_experiments_are_refused_with_a_reason() {
        let mut experiment = Experiment::default_experiment();
        experiment.control = "nobody".into();
        assert!(
            experiment
                .validate()
                .unwrap_err()
                .to_string()
                .contains("control")
        );
        let mut experiment = Experiment::default_experiment();
        experiment.variants.truncate(1);
        assert!(experiment.validate().is_err());
        let mut experiment = Experiment::default_experiment();
        experiment.variants[1].weight = 0;
        assert!(experiment.validate().is_err());
        let mut experiment = Experiment::default_experiment();
        experiment.id = "Has Spaces".into();
        assert!(experiment.validate().is_err());
        assert!(Experiment::default_experiment().validate().is_ok());
    }

    #[test]
    fn the_interval_matches_a_hand_computed_welch_interval() {
        let variant = Moments::of(&[1.0, 0.8, 0.6, 1.0]);
        let control = Moments::of(&[0.5, 0.7, 0.6]);
        let diff = variant.difference_to(&control).expect("enough data");
        // means 0.85 and 0.6; variances 0.03667 and 0.01; se = sqrt(0.009167 + 0.003333).
        assert!((diff.estimate - 0.25).abs() < 1e-9);
        let se = (0.036_666_666_7_f64 / 4.0 + 0.01 / 3.0).sqrt();
        assert!((diff.low - (0.25 - Z_95 * se)).abs() < 1e-6);
        assert!((diff.high - (0.25 + Z_95 * se)).abs() < 1e-6);
        assert!(Moments::of(&[1.0]).difference_to(&control).is_none());
    }
}
