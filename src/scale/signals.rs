//! A person's training signals as serving sees them: what the feedback subgraph computes
//! from their history (its own pure `signals::compute`), in the form plans receives under
//! `@requires` and stores in each recommendation's snapshot.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use feedback_subgraph::signals::{self, History};
use fitgraph_rules::{LastSession, MuscleSignal, PerformedSet, TrainingSignals};
use subgraph_common::catalog::ExerciseSummary;
use uuid::Uuid;

/// The signals at `as_of`, converted as plans converts the gateway's representation:
/// scores clamped to -1..1, only positive finite one-rep maxes.
pub fn at(
    history: &History,
    catalog: &HashMap<Uuid, ExerciseSummary>,
    as_of: DateTime<Utc>,
) -> TrainingSignals {
    let computed = signals::compute(history, catalog, as_of);
    TrainingSignals {
        as_of: Some(computed.as_of),
        muscles: computed
            .muscle_groups
            .into_iter()
            .map(|signal| MuscleSignal {
                muscle: signal.muscle,
                last_trained_at: signal.last_trained_at,
                sets_last_7_days: u32::try_from(signal.sets_last_7_days).unwrap_or(0),
            })
            .collect(),
        category_affinities: computed
            .category_affinities
            .into_iter()
            .map(|affinity| (affinity.category, bounded(affinity.score)))
            .collect(),
        muscle_affinities: computed
            .muscle_affinities
            .into_iter()
            .map(|affinity| (affinity.muscle, bounded(affinity.score)))
            .collect(),
        exercise_affinities: computed
            .exercise_affinities
            .into_iter()
            .map(|affinity| (affinity.exercise_id, bounded(affinity.score)))
            .collect(),
        recent_difficulty: computed.recent_difficulty.filter(|d| d.is_finite()),
        adherence_28_days: computed.adherence_28_days.filter(|a| a.is_finite()),
        one_rep_maxes: computed
            .estimated_one_rep_maxes
            .into_iter()
            .filter(|max| max.kg.is_finite() && max.kg > 0.0)
            .map(|max| (max.exercise_id, max.kg))
            .collect(),
        training_days: computed.training_days.into_iter().collect(),
        last_sessions: computed
            .last_sessions
            .into_iter()
            .map(|session| (session.exercise_id, last_session(session)))
            .collect(),
    }
}

fn last_session(session: signals::ExerciseSession) -> LastSession {
    LastSession {
        date: session.date,
        sets: session
            .sets
            .into_iter()
            .map(|set| PerformedSet {
                reps: u32::try_from(set.reps).unwrap_or(0),
                load_kg: set.load_kg,
                reps_in_reserve: set.reps_in_reserve.and_then(|rir| u8::try_from(rir).ok()),
            })
            .collect(),
    }
}

fn bounded(score: f64) -> f64 {
    if score.is_finite() {
        score.clamp(-1.0, 1.0)
    } else {
        0.0
    }
}
