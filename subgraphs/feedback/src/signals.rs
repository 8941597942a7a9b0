//! Training signals: what a user's recent history says about them, for the planner and
//! the ranker. Pure functions of the history, the exercise catalog and the instant the
//! signals are computed for (`as_of`), so every number here is unit-tested.
//!
//! Every window is "the last N days before `as_of`": `(as_of - N days, as_of]`.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, TimeDelta, Utc};
use subgraph_common::catalog::ExerciseSummary;
use subgraph_common::vocab::{Category, Muscle};
use uuid::Uuid;

/// The longest window any signal uses; history older than this is never read.
pub const LOOKBACK: TimeDelta = TimeDelta::days(90);
const VOLUME_WINDOW: TimeDelta = TimeDelta::days(7);
const DIFFICULTY_WINDOW: TimeDelta = TimeDelta::days(14);
const ADHERENCE_WINDOW: TimeDelta = TimeDelta::days(28);
/// Epley's formula is reasonable up to about 12 reps and meaningless beyond.
const ONE_REP_MAX_REPS: std::ops::RangeInclusive<i32> = 1..=12;

#[derive(Debug, Clone, PartialEq)]
pub struct SetRecord {
    pub exercise_id: Uuid,
    pub reps: i32,
    pub load_kg: f64,
    pub logged_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutcomeRecord {
    pub exercise_id: Uuid,
    pub completed: bool,
    pub skipped: bool,
    pub difficulty: Option<i32>,
    pub completed_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RatingRecord {
    pub exercise_id: Uuid,
    pub rating: i32,
    pub rated_at: DateTime<Utc>,
}

/// One user's history over the last [`LOOKBACK`].
#[derive(Debug, Clone, Default)]
pub struct History {
    pub sets: Vec<SetRecord>,
    pub outcomes: Vec<OutcomeRecord>,
    pub ratings: Vec<RatingRecord>,
}

impl History {
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty() && self.outcomes.is_empty() && self.ratings.is_empty()
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct MuscleSignal {
    pub muscle: Muscle,
    pub last_trained_at: DateTime<Utc>,
    pub sets_last_7_days: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct CategoryAffinity {
    pub category: Category,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct OneRepMax {
    pub exercise_id: Uuid,
    pub kg: f64,
    pub from_set_logged_at: DateTime<Utc>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TrainingSignals {
    pub as_of: DateTime<Utc>,
    pub muscle_groups: Vec<MuscleSignal>,
    pub category_affinities: Vec<CategoryAffinity>,
    pub recent_difficulty: Option<f64>,
    pub adherence_28_days: Option<f64>,
    pub estimated_one_rep_maxes: Vec<OneRepMax>,
}

pub fn compute(
    history: &History,
    catalog: &HashMap<Uuid, ExerciseSummary>,
    as_of: DateTime<Utc>,
) -> TrainingSignals {
    TrainingSignals {
        as_of,
        muscle_groups: muscle_signals(history, catalog, as_of),
        category_affinities: category_affinities(history, catalog, as_of),
        recent_difficulty: recent_difficulty(&history.outcomes, as_of),
        adherence_28_days: adherence(&history.outcomes, as_of),
        estimated_one_rep_maxes: one_rep_maxes(&history.sets, as_of),
    }
}

fn within(at: DateTime<Utc>, as_of: DateTime<Utc>, window: TimeDelta) -> bool {
    at <= as_of && at > as_of - window
}

/// Per primary muscle (secondary muscles are not counted): when it was last trained (a
/// logged set or a completed exercise within [`LOOKBACK`]) and how many logged sets hit
/// it in the last 7 days. A set counts once for each primary muscle of its exercise.
/// Exercises missing from the catalog are ignored. Sorted by muscle.
pub fn muscle_signals(
    history: &History,
    catalog: &HashMap<Uuid, ExerciseSummary>,
    as_of: DateTime<Utc>,
) -> Vec<MuscleSignal> {
    let sets = history
        .sets
        .iter()
        .map(|set| (set.exercise_id, set.logged_at, true));
    let completions = history
        .outcomes
        .iter()
        .filter(|outcome| outcome.completed)
        .map(|outcome| (outcome.exercise_id, outcome.completed_at, false));
    let mut by_muscle: BTreeMap<Muscle, MuscleSignal> = BTreeMap::new();
    for (exercise_id, at, is_set) in sets.chain(completions) {
        let Some(exercise) = catalog
            .get(&exercise_id)
            .filter(|_| within(at, as_of, LOOKBACK))
        else {
            continue;
        };
        for &muscle in &exercise.primary_muscles {
            let signal = by_muscle.entry(muscle).or_insert(MuscleSignal {
                muscle,
                last_trained_at: at,
                sets_last_7_days: 0,
            });
            signal.last_trained_at = signal.last_trained_at.max(at);
            if is_set && within(at, as_of, VOLUME_WINDOW) {
                signal.sets_last_7_days += 1;
            }
        }
    }
    by_muscle.into_values().collect()
}

/// How much the user likes each exercise category, from -1 (avoids it) to 1 (loves it).
///
/// Every piece of evidence within [`LOOKBACK`] is one vote, and the score is the mean vote
/// of the category: a completed exercise votes +1, a skipped one -1, a partly done one 0,
/// and a rating `r` of 1-5 votes `(r - 3) / 2` (1 → -1, 3 → 0, 5 → +1). Categories without
/// evidence are absent; exercises missing from the catalog are ignored. Sorted by category.
pub fn category_affinities(
    history: &History,
    catalog: &HashMap<Uuid, ExerciseSummary>,
    as_of: DateTime<Utc>,
) -> Vec<CategoryAffinity> {
    let outcome_votes = history
        .outcomes
        .iter()
        .filter(|outcome| within(outcome.completed_at, as_of, LOOKBACK))
        .map(|outcome| (outcome.exercise_id, outcome_vote(outcome)));
    let rating_votes = history
        .ratings
        .iter()
        .filter(|rating| within(rating.rated_at, as_of, LOOKBACK))
        .map(|rating| (rating.exercise_id, (f64::from(rating.rating) - 3.0) / 2.0));
    let mut tallies: BTreeMap<Category, (f64, u32)> = BTreeMap::new();
    for (exercise_id, vote) in outcome_votes.chain(rating_votes) {
        let Some(exercise) = catalog.get(&exercise_id) else {
            continue;
        };
        let (sum, count) = tallies.entry(exercise.category).or_default();
        *sum += vote;
        *count += 1;
    }
    tallies
        .into_iter()
        .map(|(category, (sum, count))| CategoryAffinity {
            category,
            score: (sum / f64::from(count)).clamp(-1.0, 1.0),
        })
        .collect()
}

fn outcome_vote(outcome: &OutcomeRecord) -> f64 {
    match (outcome.completed, outcome.skipped) {
        (true, _) => 1.0,
        (false, true) => -1.0,
        (false, false) => 0.0,
    }
}

/// Mean reported difficulty (1-5) over the last 14 days; `None` without any report.
pub fn recent_difficulty(outcomes: &[OutcomeRecord], as_of: DateTime<Utc>) -> Option<f64> {
    let reported: Vec<f64> = outcomes
        .iter()
        .filter(|outcome| within(outcome.completed_at, as_of, DIFFICULTY_WINDOW))
        .filter_map(|outcome| outcome.difficulty.map(f64::from))
        .collect();
    mean(&reported)
}

/// Share of the prescribed exercises of the last 28 days that were completed, from 0 to 1.
/// Skipped and partly done exercises both count as not completed. `None` without any
/// completed workout in the window.
pub fn adherence(outcomes: &[OutcomeRecord], as_of: DateTime<Utc>) -> Option<f64> {
    let done: Vec<f64> = outcomes
        .iter()
        .filter(|outcome| within(outcome.completed_at, as_of, ADHERENCE_WINDOW))
        .map(|outcome| if outcome.completed { 1.0 } else { 0.0 })
        .collect();
    mean(&done)
}

fn mean(values: &[f64]) -> Option<f64> {
    (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
}

/// Epley's estimate of the one-rep max from `reps` reps at `load_kg`: `w * (1 + r / 30)`,
/// and the load itself for a single.
pub fn epley(load_kg: f64, reps: i32) -> f64 {
    if reps == 1 {
        load_kg
    } else {
        load_kg * (1.0 + f64::from(reps) / 30.0)
    }
}

/// Per exercise, the best Epley estimate over the last 90 days, from loaded sets of 1-12
/// reps (unloaded sets estimate nothing). On a tie the most recent set wins. Sorted by
/// exercise id.
pub fn one_rep_maxes(sets: &[SetRecord], as_of: DateTime<Utc>) -> Vec<OneRepMax> {
    let mut best: BTreeMap<Uuid, OneRepMax> = BTreeMap::new();
    let usable = sets.iter().filter(|set| {
        ONE_REP_MAX_REPS.contains(&set.reps)
            && set.load_kg > 0.0
            && within(set.logged_at, as_of, LOOKBACK)
    });
    for set in usable {
        let estimate = OneRepMax {
            exercise_id: set.exercise_id,
            kg: epley(set.load_kg, set.reps),
            from_set_logged_at: set.logged_at,
        };
        let current = best
            .entry(set.exercise_id)
            .or_insert_with(|| estimate.clone());
        let better = estimate.kg > current.kg
            || (estimate.kg == current.kg
                && estimate.from_set_logged_at > current.from_set_logged_at);
        if better {
            *current = estimate;
        }
    }
    best.into_values().collect()
}

#[cfg(test)]
mod tests {
    use subgraph_common::vocab::{Difficulty, Equipment, MovementPattern};

    use super::*;

    fn at(days_ago: i64, as_of: DateTime<Utc>) -> DateTime<Utc> {
        as_of - TimeDelta::days(days_ago)
    }

    fn exercise(id: u128, category: Category, primary: &[Muscle]) -> (Uuid, ExerciseSummary) {
        let summary = ExerciseSummary {
            id: Uuid::from_u128(id),
            name: format!("exercise {id}"),
            category,
            difficulty: Difficulty::Beginner,
            equipment: Equipment::Barbell,
            movement_pattern: MovementPattern::Squat,
            primary_muscles: primary.to_vec(),
            secondary_muscles: vec![Muscle::Forearms],
        };
        (summary.id, summary)
    }

    fn catalog() -> HashMap<Uuid, ExerciseSummary> {
        HashMap::from([
            exercise(1, Category::Strength, &[Muscle::Quadriceps, Muscle::Glutes]),
            exercise(2, Category::Strength, &[Muscle::Chest]),
            exercise(3, Category::Cardio, &[Muscle::Calves]),
        ])
    }

    fn set(exercise: u128, reps: i32, load_kg: f64, logged_at: DateTime<Utc>) -> SetRecord {
        SetRecord {
            exercise_id: Uuid::from_u128(exercise),
            reps,
            load_kg,
            logged_at,
        }
    }

    fn outcome(
        exercise: u128,
        completed: bool,
        skipped: bool,
        difficulty: Option<i32>,
        when: DateTime<Utc>,
    ) -> OutcomeRecord {
        OutcomeRecord {
            exercise_id: Uuid::from_u128(exercise),
            completed,
            skipped,
            difficulty,
            completed_at: when,
        }
    }

    #[test]
    fn epley_numbers() {
        assert_eq!(epley(100.0, 1), 100.0);
        assert!((epley(100.0, 10) - 133.333_333).abs() < 1e-6);
        assert!((epley(60.0, 5) - 70.0).abs() < 1e-9);
        assert!((epley(80.0, 12) - 112.0).abs() < 1e-9);
    }

    #[test]
    fn one_rep_max_takes_the_best_recent_estimate() {
        let now = Utc::now();
        let sets = [
            set(1, 5, 100.0, at(3, now)),  // 116.67
            set(1, 1, 120.0, at(10, now)), // 120: the best
            set(1, 15, 100.0, at(1, now)), // too many reps
            set(1, 1, 200.0, at(95, now)), // too old
            set(1, 1, 300.0, at(-1, now)), // after as_of
            set(2, 10, 0.0, at(1, now)),   // unloaded
            set(2, 3, 60.0, at(2, now)),   // 66
        ];
        let maxes = one_rep_maxes(&sets, now);
        assert_eq!(maxes.len(), 2);
        assert_eq!(
            (
                maxes[0].exercise_id,
                maxes[0].kg,
                maxes[0].from_set_logged_at
            ),
            (Uuid::from_u128(1), 120.0, at(10, now))
        );
        assert!((maxes[1].kg - 66.0).abs() < 1e-9);
    }

    #[test]
    fn ties_keep_the_most_recent_set() {
        let now = Utc::now();
        let maxes = one_rep_maxes(
            &[set(1, 1, 100.0, at(5, now)), set(1, 1, 100.0, at(2, now))],
            now,
        );
        assert_eq!(maxes[0].from_set_logged_at, at(2, now));
    }

    #[test]
    fn muscle_signals_count_sets_per_primary_muscle() {
        let now = Utc::now();
        let history = History {
            sets: vec![
                set(1, 5, 100.0, at(1, now)),
                set(1, 5, 100.0, at(6, now)),
                set(1, 5, 100.0, at(8, now)), // trained, but not within 7 days
                set(2, 5, 60.0, at(20, now)),
                set(99, 5, 60.0, at(1, now)), // unknown exercise
            ],
            outcomes: vec![
                outcome(3, true, false, None, at(2, now)),
                outcome(2, false, true, None, at(0, now)),
            ],
            ratings: Vec::new(),
        };
        let signals = muscle_signals(&history, &catalog(), now);
        let summary: Vec<_> = signals
            .iter()
            .map(|s| (s.muscle, s.sets_last_7_days, s.last_trained_at))
            .collect();
        assert_eq!(
            summary,
            vec![
                (Muscle::Calves, 0, at(2, now)), // a completed exercise without logged sets
                (Muscle::Chest, 0, at(20, now)), // a skip is no training
                (Muscle::Glutes, 2, at(1, now)),
                (Muscle::Quadriceps, 2, at(1, now)),
            ]
        );
    }

    #[test]
    fn adherence_is_the_completed_share_of_the_last_28_days() {
        let now = Utc::now();
        let outcomes = [
            outcome(1, true, false, None, at(1, now)),
            outcome(2, true, false, None, at(10, now)),
            outcome(3, false, true, None, at(20, now)),
            outcome(1, false, false, None, at(27, now)), // partly done
            outcome(2, false, true, None, at(29, now)),  // outside the window
        ];
        assert_eq!(adherence(&outcomes, now), Some(0.5));
        assert_eq!(adherence(&outcomes[4..], now), None);
        assert_eq!(adherence(&[], now), None);
    }

    #[test]
    fn recent_difficulty_averages_reports_of_the_last_14_days() {
        let now = Utc::now();
        let outcomes = [
            outcome(1, true, false, Some(2), at(1, now)),
            outcome(2, true, false, Some(5), at(13, now)),
            outcome(3, true, false, None, at(2, now)),
            outcome(1, true, false, Some(1), at(15, now)),
        ];
        assert_eq!(recent_difficulty(&outcomes, now), Some(3.5));
        assert_eq!(recent_difficulty(&outcomes[2..], now), None);
    }

    #[test]
    fn affinity_is_the_mean_vote_per_category() {
        let now = Utc::now();
        let history = History {
            sets: Vec::new(),
            outcomes: vec![
                outcome(1, true, false, None, at(1, now)),   // strength +1
                outcome(2, false, true, None, at(2, now)),   // strength -1
                outcome(1, true, false, None, at(3, now)),   // strength +1
                outcome(3, false, true, None, at(4, now)),   // cardio -1
                outcome(3, false, true, None, at(100, now)), // too old
            ],
            ratings: vec![
                RatingRecord {
                    exercise_id: Uuid::from_u128(2),
                    rating: 5,
                    rated_at: at(1, now),
                }, // strength +1
                RatingRecord {
                    exercise_id: Uuid::from_u128(3),
                    rating: 2,
                    rated_at: at(1, now),
                }, // cardio -0.5
            ],
        };
        let affinities = category_affinities(&history, &catalog(), now);
        assert_eq!(
            affinities,
            vec![
                CategoryAffinity {
                    category: Category::Strength,
                    score: 0.5
                },
                CategoryAffinity {
                    category: Category::Cardio,
                    score: -0.75
                },
            ]
        );
    }
}
