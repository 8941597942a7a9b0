//! The feature row of one (user snapshot, exercise) pair, used unchanged by training and
//! serving.
//!
//! Every feature is a plain number; missing signals are encoded as a neutral value plus a
//! "missing"/"known" flag so a linear model can learn both what the signal says and how
//! much a user without it differs. Input numbers that are not finite count as missing,
//! so one bad signal cannot turn a score into NaN.
//!
//! The features, in [`FEATURE_NAMES`] order:
//!
//! | name | encoding |
//! |---|---|
//! | `level` | user's fitness level: 0 beginner, 1 intermediate, 2 advanced |
//! | `difficulty_minus_level` | exercise difficulty on the same scale minus `level` (-2..2) |
//! | `difficulty_above_level` | the positive part of the above: too hard hurts, too easy hardly |
//! | `goal_*` | the user's goal, one-hot (5) |
//! | `category_affinity` | the user's affinity (-1..1) for the exercise's category, 0 when unknown |
//! | `category_affinity_known` | 1 when the above is known |
//! | `muscle_affinity` | mean affinity over the exercise's primary muscles with a known one, else 0 |
//! | `muscle_affinity_known` | 1 when at least one primary muscle has an affinity |
//! | `exercise_affinity` | the user's own affinity (-1..1) for this exercise, 0 without history |
//! | `exercise_has_history` | 1 when the user has history with this exercise |
//! | `recent_difficulty_centred` | mean reported difficulty of the last 14 days minus 3 (-2..2), 0 when missing |
//! | `recent_difficulty_missing` | 1 when there is no recent difficulty |
//! | `adherence_28_days` | share of prescribed exercises completed in 28 days, 0.5 when missing |
//! | `adherence_28_days_missing` | 1 when there is no adherence history |
//! | `time_*` | preferred time of day, one-hot (5) |
//! | `recovery_yellow`, `recovery_red` | today's recovery band (green and unknown are the baseline) |
//! | `bodyweight` | 1 when the exercise needs no equipment |
//! | `primary_muscle_sets_7d` | mean sets of the last 7 days over the primary muscles, capped at 40 |
//! | `category_*` | the exercise's category, one-hot (7) |
//! | `cohort_exercise_rate` | similar users' smoothed completion rate of this exercise ([`CohortTables`]) |
//! | `cohort_category_rate` | similar users' smoothed completion rate of this category |
//! | `cohort_exercise_logit`, `cohort_category_logit` | the two rates as log-odds, the scale on which a logistic model adds them up |
//! | `strain_x_difficulty` | strain (yellow 0.5, red 1) times exercise difficulty (0..2): hard work on a strained day |
//! | `difficulty_gap_x_recent_difficulty` | `difficulty_minus_level` times `recent_difficulty_centred`: a harder exercise for a user already finding training hard |

use fitgraph_rules::{TrainingSignals, UserSnapshot};
use sha2::{Digest, Sha256};
use subgraph_common::catalog::ExerciseSummary;
use subgraph_common::vocab::{
    Category, Difficulty, Equipment, FitnessLevel, Goal, RecoveryBand, TimeOfDay,
};

use crate::cohorts::{CohortRates, CohortTables};

/// One name per feature, in the order [`features`] returns them.
pub const FEATURE_NAMES: &[&str] = &[
    "level",
    "difficulty_minus_level",
    "difficulty_above_level",
    "goal_weight_loss",
    "goal_muscle_gain",
    "goal_endurance",
    "goal_flexibility",
    "goal_general_fitness",
    "category_affinity",
    "category_affinity_known",
    "muscle_affinity",
    "muscle_affinity_known",
    "exercise_affinity",
    "exercise_has_history",
    "recent_difficulty_centred",
    "recent_difficulty_missing",
    "adherence_28_days",
    "adherence_28_days_missing",
    "time_morning",
    "time_midday",
    "time_afternoon",
    "time_evening",
    "time_any",
    "recovery_yellow",
    "recovery_red",
    "bodyweight",
    "primary_muscle_sets_7d",
    "category_strength",
    "category_stretching",
    "category_plyometrics",
    "category_powerlifting",
    "category_olympic_weightlifting",
    "category_strongman",
    "category_cardio",
    "cohort_exercise_rate",
    "cohort_category_rate",
    "cohort_exercise_logit",
    "cohort_category_logit",
    "strain_x_difficulty",
    "difficulty_gap_x_recent_difficulty",
];

/// Bumped when an encoding changes while the names stay the same.
const FEATURE_ENCODING_VERSION: &str = "fitgraph-ranker-features/1";

/// Weekly set counts beyond this are data errors or outliers that would dominate a scaled feature.
const MAX_WEEKLY_SETS: f64 = 40.0;

/// Rates are clamped this far from 0 and 1 before taking log-odds.
const LOGIT_EPSILON: f64 = 0.01;

/// Identifies the features the running code computes; an artifact trained with other
/// features must not be served.
pub fn feature_schema_hash() -> String {
    hash_feature_names(FEATURE_NAMES)
}

/// Hex SHA-256 over the encoding version and `names`, one per line.
pub fn hash_feature_names(names: &[&str]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(FEATURE_ENCODING_VERSION.as_bytes());
    for name in names {
        hasher.update(b"\n");
        hasher.update(name.as_bytes());
    }
    hex(&hasher.finalize())
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

/// The feature row of one candidate; `FEATURE_NAMES.len()` values.
pub fn features(
    snapshot: &UserSnapshot,
    exercise: &ExerciseSummary,
    cohorts: &CohortTables,
) -> Vec<f64> {
    let rates = cohorts.rates(
        snapshot.goal,
        snapshot.level,
        exercise.category,
        exercise.id,
        None,
    );
    features_with_rates(snapshot, exercise, rates)
}

/// The feature row with the cohort rates already looked up (training passes leave-one-out rates).
pub(crate) fn features_with_rates(
    snapshot: &UserSnapshot,
    exercise: &ExerciseSummary,
    rates: CohortRates,
) -> Vec<f64> {
    let mut row = Vec::with_capacity(FEATURE_NAMES.len());
    push_fitness(&mut row, snapshot.level, exercise.difficulty);
    push_one_hot(&mut row, Goal::ALL, snapshot.goal);
    push_affinities(&mut row, &snapshot.signals, exercise);
    push_history(&mut row, &snapshot.signals);
    push_one_hot(&mut row, TimeOfDay::ALL, snapshot.preferred_time);
    push_context(&mut row, snapshot, exercise);
    push_one_hot(&mut row, Category::ALL, exercise.category);
    push_cohort(&mut row, rates);
    push_interactions(&mut row, snapshot, exercise);
    debug_assert_eq!(row.len(), FEATURE_NAMES.len(), "a feature without a name");
    row
}

fn level_rank(level: FitnessLevel) -> f64 {
    match level {
        FitnessLevel::Beginner => 0.0,
        FitnessLevel::Intermediate => 1.0,
        FitnessLevel::Advanced => 2.0,
    }
}

fn difficulty_rank(difficulty: Difficulty) -> f64 {
    match difficulty {
        Difficulty::Beginner => 0.0,
        Difficulty::Intermediate => 1.0,
        Difficulty::Advanced => 2.0,
    }
}

fn flag(condition: bool) -> f64 {
    if condition { 1.0 } else { 0.0 }
}

fn finite(value: f64) -> Option<f64> {
    value.is_finite().then_some(value)
}

fn push_fitness(row: &mut Vec<f64>, level: FitnessLevel, difficulty: Difficulty) {
    let gap = difficulty_rank(difficulty) - level_rank(level);
    row.extend([level_rank(level), gap, gap.max(0.0)]);
}

fn push_one_hot<T: Copy + PartialEq>(row: &mut Vec<f64>, all: &[T], value: T) {
    row.extend(all.iter().map(|candidate| flag(*candidate == value)));
}

/// A value with its known flag: `(value, 1)` or `(0, 0)`.
fn known_or_zero(value: Option<f64>) -> [f64; 2] {
    match value {
        Some(value) => [value, 1.0],
        None => [0.0, 0.0],
    }
}

fn push_affinities(row: &mut Vec<f64>, signals: &TrainingSignals, exercise: &ExerciseSummary) {
    let affinity = |value: f64| finite(value).map(|value| value.clamp(-1.0, 1.0));
    let category = signals
        .category_affinities
        .get(&exercise.category)
        .and_then(|value| affinity(*value));
    let muscles: Vec<f64> = exercise
        .primary_muscles
        .iter()
        .filter_map(|muscle| signals.muscle_affinities.get(muscle))
        .filter_map(|value| affinity(*value))
        .collect();
    let muscle = (!muscles.is_empty()).then(|| muscles.iter().sum::<f64>() / muscles.len() as f64);
    let own = signals
        .exercise_affinities
        .get(&exercise.id)
        .and_then(|value| affinity(*value));
    row.extend(known_or_zero(category));
    row.extend(known_or_zero(muscle));
    row.extend(known_or_zero(own));
}

fn push_history(row: &mut Vec<f64>, signals: &TrainingSignals) {
    match recent_difficulty_centred(signals) {
        Some(centred) => row.extend([centred, 0.0]),
        None => row.extend([0.0, 1.0]),
    }
    match signals.adherence_28_days.and_then(finite) {
        Some(share) => row.extend([share.clamp(0.0, 1.0), 0.0]),
        None => row.extend([0.5, 1.0]),
    }
}

fn recent_difficulty_centred(signals: &TrainingSignals) -> Option<f64> {
    signals
        .recent_difficulty
        .and_then(finite)
        .map(|difficulty| (difficulty - 3.0).clamp(-2.0, 2.0))
}

/// Strain as one number: how far from a normal training day the recovery band is.
fn strain(recovery: RecoveryBand) -> f64 {
    match recovery {
        RecoveryBand::Green | RecoveryBand::Unknown => 0.0,
        RecoveryBand::Yellow => 0.5,
        RecoveryBand::Red => 1.0,
    }
}

fn push_context(row: &mut Vec<f64>, snapshot: &UserSnapshot, exercise: &ExerciseSummary) {
    row.push(flag(snapshot.recovery == RecoveryBand::Yellow));
    row.push(flag(snapshot.recovery == RecoveryBand::Red));
    row.push(flag(exercise.equipment == Equipment::Bodyweight));
    row.push(mean_primary_muscle_sets(snapshot, exercise));
}

fn mean_primary_muscle_sets(snapshot: &UserSnapshot, exercise: &ExerciseSummary) -> f64 {
    if exercise.primary_muscles.is_empty() {
        return 0.0;
    }
    let total: f64 = exercise
        .primary_muscles
        .iter()
        .map(|muscle| {
            snapshot
                .signals
                .muscles
                .iter()
                .find(|signal| signal.muscle == *muscle)
                .map_or(0.0, |signal| f64::from(signal.sets_last_7_days))
                .min(MAX_WEEKLY_SETS)
        })
        .sum();
    total / exercise.primary_muscles.len() as f64
}

fn logit(rate: f64) -> f64 {
    let rate = rate.clamp(LOGIT_EPSILON, 1.0 - LOGIT_EPSILON);
    (rate / (1.0 - rate)).ln()
}

fn push_cohort(row: &mut Vec<f64>, rates: CohortRates) {
    row.extend([
        rates.exercise,
        rates.category,
        logit(rates.exercise),
        logit(rates.category),
    ]);
}

fn push_interactions(row: &mut Vec<f64>, snapshot: &UserSnapshot, exercise: &ExerciseSummary) {
    let difficulty = difficulty_rank(exercise.difficulty);
    let gap = difficulty - level_rank(snapshot.level);
    let recent = recent_difficulty_centred(&snapshot.signals).unwrap_or(0.0);
    row.push(strain(snapshot.recovery) * difficulty);
    row.push(gap * recent);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names_with_prefix(prefix: &str) -> Vec<&'static str> {
        FEATURE_NAMES
            .iter()
            .copied()
            .filter(|name| name.starts_with(prefix))
            .collect()
    }

    fn expected_names(prefix: &str, values: impl Iterator<Item = &'static str>) -> Vec<String> {
        values
            .map(|value| format!("{prefix}{}", value.to_lowercase()))
            .collect()
    }

    #[test]
    fn one_hot_names_follow_the_vocabulary_order() {
        assert_eq!(
            names_with_prefix("goal_"),
            expected_names("goal_", Goal::ALL.iter().map(|goal| goal.as_str()))
        );
        assert_eq!(
            names_with_prefix("time_"),
            expected_names("time_", TimeOfDay::ALL.iter().map(|time| time.as_str()))
        );
        assert_eq!(
            names_with_prefix("category_")
                .into_iter()
                .filter(|name| !name.starts_with("category_affinity"))
                .collect::<Vec<_>>(),
            expected_names(
                "category_",
                Category::ALL.iter().map(|category| category.as_str())
            )
        );
    }

    #[test]
    fn names_are_unique() {
        let mut names = FEATURE_NAMES.to_vec();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), FEATURE_NAMES.len());
    }

    #[test]
    fn logit_is_bounded_and_symmetric() {
        assert!((logit(0.5)).abs() < 1e-12);
        assert!((logit(0.8) + logit(0.2)).abs() < 1e-12);
        assert!(logit(1.0).is_finite() && logit(0.0).is_finite());
    }
}
