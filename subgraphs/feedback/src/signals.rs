//! Training signals: what a user's recent history says about them, for the planner and
//! the ranker. Pure functions of the history, the exercise catalog and the instant the
//! signals are computed for (`as_of`), so every number here is unit-tested.
//!
//! Every window is "the last N days before `as_of`": `(as_of - N days, as_of]`.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use chrono::{DateTime, NaiveDate, TimeDelta, Utc};
use subgraph_common::catalog::ExerciseSummary;
use subgraph_common::vocab::{Category, Muscle};
use uuid::Uuid;

/// The longest window any signal uses; history older than this is never read.
pub const LOOKBACK: TimeDelta = TimeDelta::days(90);
const VOLUME_WINDOW: TimeDelta = TimeDelta::days(7);
const DIFFICULTY_WINDOW: TimeDelta = TimeDelta::days(14);
const ADHERENCE_WINDOW: TimeDelta = TimeDelta::days(28);
const TRAINING_DAYS_WINDOW: TimeDelta = TimeDelta::days(28);
/// Six weeks: long enough to find the last session of an exercise trained every other
/// week, short enough that the loads still say something about today.
const SESSION_WINDOW: TimeDelta = TimeDelta::days(42);
/// The most exercises `last_sessions` reports, which keeps the payload bounded for users
/// who rotate through much of the catalog.
pub const MAX_SESSIONS: usize = 200;
/// Epley's formula is reasonable up to about 12 reps and meaningless beyond.
const ONE_REP_MAX_REPS: std::ops::RangeInclusive<i32> = 1..=12;

#[derive(Debug, Clone, PartialEq)]
pub struct SetRecord {
    pub exercise_id: Uuid,
    pub workout_id: Uuid,
    pub set_index: i32,
    pub reps: i32,
    pub load_kg: f64,
    pub reps_in_reserve: Option<i32>,
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
pub struct MuscleAffinity {
    pub muscle: Muscle,
    pub score: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ExerciseAffinity {
    pub exercise_id: Uuid,
    pub score: f64,
    /// How many votes the score averages.
    pub evidence: i32,
}

/// The sets of one exercise in the latest workout that trained it.
#[derive(Debug, Clone, PartialEq)]
pub struct ExerciseSession {
    pub exercise_id: Uuid,
    /// The UTC day of the latest of `sets`.
    pub date: NaiveDate,
    /// Ordered by set index.
    pub sets: Vec<SessionSet>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SessionSet {
    pub reps: i32,
    pub load_kg: f64,
    pub reps_in_reserve: Option<i32>,
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
    pub muscle_affinities: Vec<MuscleAffinity>,
    pub exercise_affinities: Vec<ExerciseAffinity>,
    pub recent_difficulty: Option<f64>,
    pub adherence_28_days: Option<f64>,
    pub estimated_one_rep_maxes: Vec<OneRepMax>,
    pub training_days: Vec<NaiveDate>,
    pub last_sessions: Vec<ExerciseSession>,
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
        muscle_affinities: muscle_affinities(history, catalog, as_of),
        exercise_affinities: exercise_affinities(history, as_of),
        recent_difficulty: recent_difficulty(&history.outcomes, as_of),
        adherence_28_days: adherence(&history.outcomes, as_of),
        estimated_one_rep_maxes: one_rep_maxes(&history.sets, as_of),
        training_days: training_days(history, as_of),
        last_sessions: last_sessions(&history.sets, as_of),
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

/// Every piece of evidence within [`LOOKBACK`] as one vote on its exercise: a completed
/// exercise votes +1, a skipped one -1, a partly done one 0, and a rating `r` of 1-5 votes
/// `(r - 3) / 2` (1 → -1, 3 → 0, 5 → +1).
fn votes(history: &History, as_of: DateTime<Utc>) -> impl Iterator<Item = (Uuid, f64)> + '_ {
    let outcome_votes = history
        .outcomes
        .iter()
        .filter(move |outcome| within(outcome.completed_at, as_of, LOOKBACK))
        .map(|outcome| (outcome.exercise_id, outcome_vote(outcome)));
    let rating_votes = history
        .ratings
        .iter()
        .filter(move |rating| within(rating.rated_at, as_of, LOOKBACK))
        .map(|rating| (rating.exercise_id, (f64::from(rating.rating) - 3.0) / 2.0));
    outcome_votes.chain(rating_votes)
}

fn outcome_vote(outcome: &OutcomeRecord) -> f64 {
    match (outcome.completed, outcome.skipped) {
        (true, _) => 1.0,
        (false, true) => -1.0,
        (false, false) => 0.0,
    }
}

/// The votes cast on one subject (a category, a muscle, an exercise).
#[derive(Debug, Clone, Copy, Default)]
struct Tally {
    sum: f64,
    count: u32,
}

impl Tally {
    /// The mean vote, from -1 to 1. Every vote already lies in that range; the clamp only
    /// keeps rounding from stepping outside it.
    fn score(self) -> f64 {
        (self.sum / f64::from(self.count)).clamp(-1.0, 1.0)
    }
}

/// Sums the votes per subject; subjects without votes are absent, so no tally is empty.
fn tally<K: Ord>(votes: impl Iterator<Item = (K, f64)>) -> BTreeMap<K, Tally> {
    let mut tallies: BTreeMap<K, Tally> = BTreeMap::new();
    for (subject, vote) in votes {
        let tally = tallies.entry(subject).or_default();
        tally.sum += vote;
        tally.count += 1;
    }
    tallies
}

/// How much the user likes each exercise category, from -1 (avoids it) to 1 (loves it):
/// the mean of the [`votes`] on its exercises. Categories without evidence are absent;
/// exercises missing from the catalog are ignored. Sorted by category.
pub fn category_affinities(
    history: &History,
    catalog: &HashMap<Uuid, ExerciseSummary>,
    as_of: DateTime<Utc>,
) -> Vec<CategoryAffinity> {
    let by_category = votes(history, as_of).filter_map(|(exercise_id, vote)| {
        catalog
            .get(&exercise_id)
            .map(|exercise| (exercise.category, vote))
    });
    tally(by_category)
        .into_iter()
        .map(|(category, tally)| CategoryAffinity {
            category,
            score: tally.score(),
        })
        .collect()
}

/// How much the user likes training each muscle, from -1 to 1: the mean of the [`votes`]
/// on the exercises it is a primary mover of (a vote counts once for each primary muscle
/// of its exercise). Muscles without evidence are absent; exercises missing from the
/// catalog are ignored. Sorted by muscle.
pub fn muscle_affinities(
    history: &History,
    catalog: &HashMap<Uuid, ExerciseSummary>,
    as_of: DateTime<Utc>,
) -> Vec<MuscleAffinity> {
    let by_muscle = votes(history, as_of).flat_map(|(exercise_id, vote)| {
        let muscles = catalog
            .get(&exercise_id)
            .map(|exercise| exercise.primary_muscles.as_slice())
            .unwrap_or_default();
        muscles.iter().map(move |&muscle| (muscle, vote))
    });
    tally(by_muscle)
        .into_iter()
        .map(|(muscle, tally)| MuscleAffinity {
            muscle,
            score: tally.score(),
        })
        .collect()
}

/// How much the user likes each exercise, from -1 to 1: the mean of its [`votes`], with
/// how many there were. Needs no catalog, so exercises it no longer lists still count.
/// Exercises without evidence are absent. Sorted by exercise id.
pub fn exercise_affinities(history: &History, as_of: DateTime<Utc>) -> Vec<ExerciseAffinity> {
    tally(votes(history, as_of))
        .into_iter()
        .map(|(exercise_id, tally)| ExerciseAffinity {
            exercise_id,
            score: tally.score(),
            evidence: i32::try_from(tally.count).unwrap_or(i32::MAX),
        })
        .collect()
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

/// The distinct UTC days of the last 28 days with a logged set or a completed exercise
/// (skipped and partly done exercises are no training), oldest first.
pub fn training_days(history: &History, as_of: DateTime<Utc>) -> Vec<NaiveDate> {
    let sets = history.sets.iter().map(|set| set.logged_at);
    let completions = history
        .outcomes
        .iter()
        .filter(|outcome| outcome.completed)
        .map(|outcome| outcome.completed_at);
    let days: BTreeSet<NaiveDate> = sets
        .chain(completions)
        .filter(|&at| within(at, as_of, TRAINING_DAYS_WINDOW))
        .map(|at| at.date_naive())
        .collect();
    days.into_iter().collect()
}

/// Per exercise with a logged set in the last 42 days, the sets of it in the workout of
/// its latest set, ordered by set index. Only the [`MAX_SESSIONS`] exercises trained most
/// recently are kept. Sorted by exercise id.
pub fn last_sessions(sets: &[SetRecord], as_of: DateTime<Utc>) -> Vec<ExerciseSession> {
    // Per exercise, the latest set's (time, workout); the workout id breaks a tie in time
    // so that the choice never depends on the order the rows came in.
    let mut latest: HashMap<Uuid, (DateTime<Utc>, Uuid)> = HashMap::new();
    for set in sets
        .iter()
        .filter(|set| within(set.logged_at, as_of, SESSION_WINDOW))
    {
        let candidate = (set.logged_at, set.workout_id);
        let current = latest.entry(set.exercise_id).or_insert(candidate);
        *current = (*current).max(candidate);
    }
    let mut recent: Vec<(Uuid, (DateTime<Utc>, Uuid))> = latest.into_iter().collect();
    recent.sort_by(|(a_exercise, a_latest), (b_exercise, b_latest)| {
        b_latest.cmp(a_latest).then(a_exercise.cmp(b_exercise))
    });
    recent.truncate(MAX_SESSIONS);
    let workout_of: HashMap<Uuid, Uuid> = recent
        .into_iter()
        .map(|(exercise_id, (_, workout_id))| (exercise_id, workout_id))
        .collect();

    let mut sessions: BTreeMap<Uuid, Vec<&SetRecord>> = BTreeMap::new();
    for set in sets.iter().filter(|set| set.logged_at <= as_of) {
        if workout_of.get(&set.exercise_id) == Some(&set.workout_id) {
            sessions.entry(set.exercise_id).or_default().push(set);
        }
    }
    sessions
        .into_iter()
        .filter_map(|(exercise_id, sets)| session(exercise_id, sets))
        .collect()
}

/// One exercise's sets of one workout as a session; `None` for no sets.
fn session(exercise_id: Uuid, mut sets: Vec<&SetRecord>) -> Option<ExerciseSession> {
    let last_logged_at = sets.iter().map(|set| set.logged_at).max()?;
    sets.sort_by_key(|set| (set.set_index, set.logged_at));
    Some(ExerciseSession {
        exercise_id,
        date: last_logged_at.date_naive(),
        sets: sets
            .into_iter()
            .map(|set| SessionSet {
                reps: set.reps,
                load_kg: set.load_kg,
                reps_in_reserve: set.reps_in_reserve,
            })
            .collect(),
    })
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
            deprecated: false,
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
            workout_id: Uuid::from_u128(1000 + exercise),
            set_index: 1,
            reps,
            load_kg,
            reps_in_reserve: None,
            logged_at,
        }
    }

    /// Set `set_index` of `exercise` in `workout`, with its reps as a fingerprint.
    fn session_set(
        exercise: u128,
        workout: u128,
        set_index: i32,
        reps: i32,
        logged_at: DateTime<Utc>,
    ) -> SetRecord {
        SetRecord {
            workout_id: Uuid::from_u128(workout),
            set_index,
            reps_in_reserve: Some(2),
            ..set(exercise, reps, 50.0, logged_at)
        }
    }

    fn rating(exercise: u128, rating: i32, rated_at: DateTime<Utc>) -> RatingRecord {
        RatingRecord {
            exercise_id: Uuid::from_u128(exercise),
            rating,
            rated_at,
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

    /// Votes on exercises 1 (strength: quadriceps, glutes), 2 (strength: chest) and 3
    /// (cardio: calves), and on 99, which the catalog does not list.
    fn voting_history(now: DateTime<Utc>) -> History {
        History {
            sets: vec![set(1, 5, 100.0, at(1, now))], // a set is no vote
            outcomes: vec![
                outcome(1, true, false, None, at(1, now)),  // 1: +1
                outcome(1, false, false, None, at(5, now)), // 1: 0 (partly done)
                outcome(2, false, true, None, at(2, now)),  // 2: -1
                outcome(3, true, false, None, at(3, now)),  // 3: +1
                outcome(3, false, true, None, at(91, now)), // too old
                outcome(99, true, false, None, at(1, now)), // 99: +1
                outcome(2, true, false, None, at(-1, now)), // after as_of
            ],
            ratings: vec![
                rating(1, 5, at(2, now)),  // 1: +1
                rating(2, 2, at(4, now)),  // 2: -0.5
                rating(3, 1, at(95, now)), // too old
            ],
        }
    }

    #[test]
    fn muscle_affinity_is_the_mean_vote_per_primary_muscle() {
        let now = Utc::now();
        let affinities = muscle_affinities(&voting_history(now), &catalog(), now);
        let two_thirds = 2.0 / 3.0;
        assert_eq!(
            affinities,
            vec![
                MuscleAffinity {
                    muscle: Muscle::Calves,
                    score: 1.0
                },
                MuscleAffinity {
                    muscle: Muscle::Chest,
                    score: -0.75
                },
                MuscleAffinity {
                    muscle: Muscle::Glutes,
                    score: two_thirds
                },
                MuscleAffinity {
                    muscle: Muscle::Quadriceps,
                    score: two_thirds
                },
            ],
            "sorted by muscle; secondary muscles (forearms) get no vote"
        );
    }

    #[test]
    fn exercise_affinity_counts_its_votes() {
        let now = Utc::now();
        let affinities = exercise_affinities(&voting_history(now), now);
        let summary: Vec<(u128, f64, i32)> = affinities
            .iter()
            .map(|a| (a.exercise_id.as_u128(), a.score, a.evidence))
            .collect();
        assert_eq!(
            summary,
            vec![
                (1, 2.0 / 3.0, 3),
                (2, -0.75, 2),
                (3, 1.0, 1),
                (99, 1.0, 1), // unknown to the catalog, still the user's exercise
            ]
        );
        assert_eq!(exercise_affinities(&History::default(), now), Vec::new());
    }

    #[test]
    fn training_days_are_distinct_days_of_the_last_28_with_training() {
        let as_of = "2026-03-10T12:00:00Z".parse().expect("an instant");
        let day = |text: &str| text.parse::<NaiveDate>().expect("a day");
        let hours_ago = |hours: i64| as_of - TimeDelta::hours(hours);
        let history = History {
            sets: vec![
                set(1, 5, 100.0, hours_ago(1)),       // 03-10
                set(2, 5, 100.0, hours_ago(2)),       // 03-10 again
                set(1, 5, 100.0, hours_ago(13)),      // 03-09, 23:00
                set(1, 5, 100.0, hours_ago(27 * 24)), // 02-11
                set(1, 5, 100.0, hours_ago(28 * 24)), // exactly 28 days: outside
                set(1, 5, 100.0, hours_ago(-1)),      // after as_of
            ],
            outcomes: vec![
                outcome(1, true, false, None, hours_ago(5 * 24)), // 03-05
                outcome(2, false, true, None, hours_ago(6 * 24)), // skipped: no training
                outcome(3, false, false, None, hours_ago(7 * 24)), // partly done: no training
            ],
            ratings: vec![rating(1, 5, hours_ago(8 * 24))], // an opinion, not training
        };
        assert_eq!(
            training_days(&history, as_of),
            vec![
                day("2026-02-11"),
                day("2026-03-05"),
                day("2026-03-09"),
                day("2026-03-10")
            ]
        );
    }

    #[test]
    fn last_sessions_take_the_latest_workout_of_each_exercise() {
        let now: DateTime<Utc> = "2026-03-10T12:00:00Z".parse().expect("an instant");
        let minutes_after = |days: i64, minutes: i64| at(days, now) + TimeDelta::minutes(minutes);
        let sets = [
            // Exercise 1: workout 10 five days ago, logged out of order, then workout 11.
            session_set(1, 10, 2, 8, minutes_after(5, 2)),
            session_set(1, 10, 1, 10, minutes_after(5, 0)),
            session_set(1, 10, 3, 6, minutes_after(5, 4)),
            session_set(1, 11, 1, 99, minutes_after(20, 0)),
            // Exercise 2: its latest workout (12) was 41 days ago; its earlier sets count.
            session_set(2, 12, 2, 7, minutes_after(41, 0)),
            session_set(2, 12, 1, 9, minutes_after(41, 3)), // set 1 entered last
            session_set(2, 13, 1, 99, minutes_after(80, 0)),
            // Exercise 3: last trained 43 days ago, outside the window.
            session_set(3, 14, 1, 99, minutes_after(43, 0)),
            // Exercise 1 again after as_of: not yet happened.
            session_set(1, 15, 1, 99, minutes_after(-1, 0)),
        ];
        let sessions = last_sessions(&sets, now);
        let summary: Vec<(u128, NaiveDate, Vec<i32>)> = sessions
            .iter()
            .map(|s| {
                let reps = s.sets.iter().map(|set| set.reps).collect();
                (s.exercise_id.as_u128(), s.date, reps)
            })
            .collect();
        assert_eq!(
            summary,
            vec![
                (1, at(5, now).date_naive(), vec![10, 8, 6]),
                (2, at(41, now).date_naive(), vec![9, 7]),
            ]
        );
        assert_eq!(
            sessions[0].sets[0],
            SessionSet {
                reps: 10,
                load_kg: 50.0,
                reps_in_reserve: Some(2)
            }
        );
    }

    #[test]
    fn last_sessions_keep_the_most_recently_trained_exercises() {
        let now = Utc::now();
        let extra = 5;
        // Exercise n was trained n minutes ago, so the oldest ones fall off.
        let sets: Vec<SetRecord> = (1..=(MAX_SESSIONS + extra) as u128)
            .map(|n| {
                let minutes = i64::try_from(n).expect("a small number");
                session_set(n, n, 1, 5, now - TimeDelta::minutes(minutes))
            })
            .collect();
        let sessions = last_sessions(&sets, now);
        assert_eq!(sessions.len(), MAX_SESSIONS);
        let ids: Vec<u128> = sessions.iter().map(|s| s.exercise_id.as_u128()).collect();
        let expected: Vec<u128> = (1..=MAX_SESSIONS as u128).collect();
        assert_eq!(ids, expected, "the 200 most recent, sorted by exercise id");
    }
}
