//! What clients read of `User.trainingSignals`.
//!
//! Every type here is `@shareable`: the plans subgraph declares the parts it needs to
//! `@requires` them, and a value type defined by two subgraphs must be shareable in both.

use async_graphql::{ID, SimpleObject};
use chrono::{DateTime, Utc};
use subgraph_common::vocab::{Category, Muscle};

use super::date::Date;
use super::types::ExerciseRef;
use crate::signals;

/// What a user's recent training says about them.
#[derive(SimpleObject)]
#[graphql(shareable)]
pub struct TrainingSignals {
    /// The instant the signals describe; every window ends here.
    pub as_of: DateTime<Utc>,
    /// Per primary muscle trained in the last 90 days (sorted by muscle).
    pub muscle_groups: Vec<MuscleSignal>,
    /// Per exercise category with evidence in the last 90 days: the mean of one vote per
    /// piece of evidence, where a completed exercise votes +1, a skipped one -1, a partly
    /// done one 0, and a rating r votes (r - 3) / 2. From -1 (avoids) to 1 (loves).
    pub category_affinities: Vec<CategoryAffinity>,
    /// Per primary muscle with evidence in the last 90 days: the mean vote (as in
    /// `categoryAffinities`) on the exercises it is a primary mover of; a vote counts once
    /// for each primary muscle of its exercise. Sorted by muscle.
    pub muscle_affinities: Vec<MuscleAffinity>,
    /// Per exercise with evidence in the last 90 days: the mean vote (as in
    /// `categoryAffinities`) on it and how many votes there were. Sorted by exerciseId.
    pub exercise_affinities: Vec<ExerciseAffinity>,
    /// Mean reported difficulty (1-5) over the last 14 days; null without reports.
    pub recent_difficulty: Option<f64>,
    /// Share (0-1) of prescribed exercises completed over the last 28 days; skipped and
    /// partly done ones are not completed. Null without completed workouts.
    #[graphql(name = "adherence28Days")]
    pub adherence_28_days: Option<f64>,
    /// Per exercise: the best Epley estimate over the last 90 days.
    pub estimated_one_rep_maxes: Vec<OneRepMax>,
    /// The distinct UTC days of the last 28 days with a logged set or a completed
    /// exercise, oldest first.
    pub training_days: Vec<Date>,
    /// Per exercise with logged sets in the last 42 days, its sets in the latest workout
    /// that trained it. At most 200 exercises, those trained most recently; sorted by
    /// exerciseId.
    pub last_sessions: Vec<ExerciseSession>,
}

impl From<signals::TrainingSignals> for TrainingSignals {
    fn from(signals: signals::TrainingSignals) -> TrainingSignals {
        TrainingSignals {
            as_of: signals.as_of,
            muscle_groups: convert(signals.muscle_groups),
            category_affinities: convert(signals.category_affinities),
            muscle_affinities: convert(signals.muscle_affinities),
            exercise_affinities: convert(signals.exercise_affinities),
            recent_difficulty: signals.recent_difficulty,
            adherence_28_days: signals.adherence_28_days,
            estimated_one_rep_maxes: convert(signals.estimated_one_rep_maxes),
            training_days: convert(signals.training_days),
            last_sessions: convert(signals.last_sessions),
        }
    }
}

fn convert<T, U: From<T>>(values: Vec<T>) -> Vec<U> {
    values.into_iter().map(U::from).collect()
}

#[derive(SimpleObject)]
#[graphql(shareable)]
pub struct MuscleSignal {
    pub muscle: Muscle,
    /// The latest logged set or completed exercise with this muscle as a primary mover.
    pub last_trained_at: DateTime<Utc>,
    /// Logged sets in the last 7 days; a set counts for each primary muscle of its exercise.
    #[graphql(name = "setsLast7Days")]
    pub sets_last_7_days: i32,
}

impl From<signals::MuscleSignal> for MuscleSignal {
    fn from(signal: signals::MuscleSignal) -> MuscleSignal {
        MuscleSignal {
            muscle: signal.muscle,
            last_trained_at: signal.last_trained_at,
            sets_last_7_days: signal.sets_last_7_days,
        }
    }
}

#[derive(SimpleObject)]
#[graphql(shareable)]
pub struct CategoryAffinity {
    pub category: Category,
    /// From -1 (avoids) to 1 (loves); see `TrainingSignals.categoryAffinities`.
    pub score: f64,
}

impl From<signals::CategoryAffinity> for CategoryAffinity {
    fn from(affinity: signals::CategoryAffinity) -> CategoryAffinity {
        CategoryAffinity {
            category: affinity.category,
            score: affinity.score,
        }
    }
}

/// How much a user likes training one muscle.
#[derive(SimpleObject)]
#[graphql(shareable)]
pub struct MuscleAffinity {
    pub muscle: Muscle,
    /// From -1 (avoids) to 1 (loves); see `TrainingSignals.muscleAffinities`.
    pub score: f64,
}

impl From<signals::MuscleAffinity> for MuscleAffinity {
    fn from(affinity: signals::MuscleAffinity) -> MuscleAffinity {
        MuscleAffinity {
            muscle: affinity.muscle,
            score: affinity.score,
        }
    }
}

/// How much a user likes one exercise.
#[derive(SimpleObject)]
#[graphql(shareable)]
pub struct ExerciseAffinity {
    pub exercise_id: ID,
    /// From -1 (avoids) to 1 (loves); see `TrainingSignals.exerciseAffinities`.
    pub score: f64,
    /// How many votes (outcomes and ratings) the score is the mean of, at least 1.
    pub evidence: i32,
}

impl From<signals::ExerciseAffinity> for ExerciseAffinity {
    fn from(affinity: signals::ExerciseAffinity) -> ExerciseAffinity {
        ExerciseAffinity {
            exercise_id: ID::from(affinity.exercise_id),
            score: affinity.score,
            evidence: affinity.evidence,
        }
    }
}

/// An estimated one-rep max: Epley's `w * (1 + r / 30)` (w itself for a single) from the
/// best loaded set of 1-12 reps.
#[derive(SimpleObject)]
#[graphql(shareable)]
pub struct OneRepMax {
    pub exercise_id: ID,
    pub exercise: ExerciseRef,
    pub kg: f64,
    /// When the set the estimate comes from was logged.
    pub from_set_logged_at: DateTime<Utc>,
}

impl From<signals::OneRepMax> for OneRepMax {
    fn from(estimate: signals::OneRepMax) -> OneRepMax {
        OneRepMax {
            exercise_id: ID::from(estimate.exercise_id),
            exercise: ExerciseRef::new(estimate.exercise_id),
            kg: estimate.kg,
            from_set_logged_at: estimate.from_set_logged_at,
        }
    }
}

/// The sets of one exercise in the latest workout that trained it.
#[derive(SimpleObject)]
#[graphql(shareable)]
pub struct ExerciseSession {
    pub exercise_id: ID,
    /// The UTC day of the latest of these sets.
    pub date: Date,
    /// Ordered by set index.
    pub sets: Vec<SessionSet>,
}

impl From<signals::ExerciseSession> for ExerciseSession {
    fn from(session: signals::ExerciseSession) -> ExerciseSession {
        ExerciseSession {
            exercise_id: ID::from(session.exercise_id),
            date: Date(session.date),
            sets: convert(session.sets),
        }
    }
}

/// One set of an `ExerciseSession`.
#[derive(SimpleObject)]
#[graphql(shareable)]
pub struct SessionSet {
    pub reps: i32,
    /// External load in kilograms, 0 for bodyweight.
    pub load_kg: f64,
    /// Reps the user could still have done; null when not reported.
    pub reps_in_reserve: Option<i32>,
}

impl From<signals::SessionSet> for SessionSet {
    fn from(set: signals::SessionSet) -> SessionSet {
        SessionSet {
            reps: set.reps,
            load_kg: set.load_kg,
            reps_in_reserve: set.reps_in_reserve,
        }
    }
}
