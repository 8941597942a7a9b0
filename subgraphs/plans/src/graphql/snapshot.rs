//! The user snapshot plans needs, as the gateway sends it under `@requires`.
//!
//! The object types here exist so plans' SDL can declare the fields it requires from
//! profile and feedback (they are `@shareable` value types there too); plans never
//! resolves them. The serde structs read the representation the gateway sends.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use async_graphql::{ID, SimpleObject};
use chrono::{DateTime, NaiveDate, Utc};
use fitgraph_rules::{LastSession, MuscleSignal, PerformedSet, TrainingSignals, UserSnapshot};
use serde::{Deserialize, Serialize};
use subgraph_common::vocab::{
    Category, Equipment, FitnessLevel, Goal, Muscle, RecoveryBand, TimeOfDay,
};
use uuid::Uuid;

use crate::recommend::RecommendError;
use crate::types::Date;

// ---- SDL declarations of the required value types (resolved by profile and feedback) ----

/// A user's recovery today (resolved by profile).
#[derive(SimpleObject, Clone)]
#[graphql(shareable)]
pub struct Recovery {
    pub band: RecoveryBand,
}

/// What a user's recent training says about them (resolved by feedback).
#[derive(SimpleObject, Clone)]
#[graphql(shareable, name = "TrainingSignals")]
pub struct TrainingSignalsView {
    pub as_of: DateTime<Utc>,
    pub muscle_groups: Vec<MuscleSignalView>,
    pub category_affinities: Vec<CategoryAffinity>,
    pub muscle_affinities: Vec<MuscleAffinity>,
    pub exercise_affinities: Vec<ExerciseAffinity>,
    pub recent_difficulty: Option<f64>,
    #[graphql(name = "adherence28Days")]
    pub adherence_28_days: Option<f64>,
    pub estimated_one_rep_maxes: Vec<OneRepMax>,
    pub training_days: Vec<Date>,
    pub last_sessions: Vec<ExerciseSession>,
}

#[derive(SimpleObject, Clone)]
#[graphql(shareable, name = "MuscleSignal")]
pub struct MuscleSignalView {
    pub muscle: Muscle,
    pub last_trained_at: DateTime<Utc>,
    #[graphql(name = "setsLast7Days")]
    pub sets_last_7_days: i32,
}

#[derive(SimpleObject, Clone)]
#[graphql(shareable)]
pub struct CategoryAffinity {
    pub category: Category,
    pub score: f64,
}

#[derive(SimpleObject, Clone)]
#[graphql(shareable)]
pub struct MuscleAffinity {
    pub muscle: Muscle,
    pub score: f64,
}

#[derive(SimpleObject, Clone)]
#[graphql(shareable)]
pub struct ExerciseAffinity {
    pub exercise_id: ID,
    pub score: f64,
}

#[derive(SimpleObject, Clone)]
#[graphql(shareable)]
pub struct OneRepMax {
    pub exercise_id: ID,
    pub kg: f64,
}

#[derive(SimpleObject, Clone)]
#[graphql(shareable)]
pub struct ExerciseSession {
    pub exercise_id: ID,
    pub date: Date,
    pub sets: Vec<SessionSet>,
}

#[derive(SimpleObject, Clone)]
#[graphql(shareable)]
pub struct SessionSet {
    pub reps: i32,
    pub load_kg: f64,
    pub reps_in_reserve: Option<i32>,
}

// ---- The representation the gateway sends ----

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct RecoveryRepr {
    pub band: RecoveryBand,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct SignalsRepr {
    as_of: Option<DateTime<Utc>>,
    muscle_groups: Vec<MuscleSignalRepr>,
    category_affinities: Vec<CategoryScore>,
    muscle_affinities: Vec<MuscleScore>,
    exercise_affinities: Vec<ExerciseScore>,
    recent_difficulty: Option<f64>,
    #[serde(rename = "adherence28Days")]
    adherence_28_days: Option<f64>,
    estimated_one_rep_maxes: Vec<OneRepMaxRepr>,
    training_days: Vec<NaiveDate>,
    last_sessions: Vec<SessionRepr>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct MuscleSignalRepr {
    muscle: Muscle,
    last_trained_at: DateTime<Utc>,
    #[serde(rename = "setsLast7Days")]
    sets_last_7_days: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct CategoryScore {
    category: Category,
    score: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct MuscleScore {
    muscle: Muscle,
    score: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ExerciseScore {
    exercise_id: Uuid,
    score: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct OneRepMaxRepr {
    exercise_id: Uuid,
    kg: f64,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SessionRepr {
    exercise_id: Uuid,
    date: NaiveDate,
    sets: Vec<SetRepr>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct SetRepr {
    reps: u32,
    load_kg: f64,
    reps_in_reserve: Option<u8>,
}

/// The required fields of one `User` representation; each is absent when the
/// representation came without `@requires` (another field of plans was asked).
#[derive(Debug, Clone, Default)]
pub struct RequiredFields {
    pub goal: Option<Goal>,
    pub level: Option<FitnessLevel>,
    pub days_per_week: Option<i32>,
    pub session_minutes: Option<i32>,
    pub preferred_time: Option<TimeOfDay>,
    pub equipment: Option<Vec<Equipment>>,
    pub recovery: Option<RecoveryRepr>,
    pub signals: Option<SignalsRepr>,
}

impl RequiredFields {
    /// The snapshot, or which required field the gateway did not send.
    pub fn snapshot(&self) -> Result<UserSnapshot, RecommendError> {
        let missing = RecommendError::SnapshotMissing;
        let days = self.days_per_week.ok_or(missing("daysPerWeek"))?;
        let minutes = self.session_minutes.ok_or(missing("sessionMinutes"))?;
        Ok(UserSnapshot {
            goal: self.goal.ok_or(missing("primaryGoal"))?,
            level: self.level.ok_or(missing("fitnessLevel"))?,
            days_per_week: in_range("daysPerWeek", days, 1, 7)? as u8,
            session_minutes: in_range("sessionMinutes", minutes, 10, 180)? as u16,
            preferred_time: self.preferred_time.ok_or(missing("preferredTimeOfDay"))?,
            equipment: self
                .equipment
                .clone()
                .ok_or(missing("equipment"))?
                .into_iter()
                .collect(),
            recovery: self.recovery.as_ref().ok_or(missing("recovery"))?.band,
            signals: self
                .signals
                .clone()
                .ok_or(missing("trainingSignals"))?
                .into_signals(),
        })
    }
}

fn in_range(field: &'static str, value: i32, min: i32, max: i32) -> Result<i32, RecommendError> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(RecommendError::SnapshotInvalid {
            field,
            reason: format!("{value} is outside {min}-{max}"),
        })
    }
}

/// Scores outside -1..1 or non-finite numbers would only come from a broken subgraph;
/// clamping keeps a bad value from dominating the ranking.
fn bounded(score: f64) -> f64 {
    if score.is_finite() {
        score.clamp(-1.0, 1.0)
    } else {
        0.0
    }
}

impl SignalsRepr {
    fn into_signals(self) -> TrainingSignals {
        TrainingSignals {
            as_of: self.as_of,
            muscles: self
                .muscle_groups
                .into_iter()
                .map(|m| MuscleSignal {
                    muscle: m.muscle,
                    last_trained_at: m.last_trained_at,
                    sets_last_7_days: m.sets_last_7_days,
                })
                .collect(),
            category_affinities: self
                .category_affinities
                .into_iter()
                .map(|a| (a.category, bounded(a.score)))
                .collect::<BTreeMap<_, _>>(),
            muscle_affinities: self
                .muscle_affinities
                .into_iter()
                .map(|a| (a.muscle, bounded(a.score)))
                .collect(),
            exercise_affinities: self
                .exercise_affinities
                .into_iter()
                .map(|a| (a.exercise_id, bounded(a.score)))
                .collect::<HashMap<_, _>>(),
            recent_difficulty: self.recent_difficulty.filter(|d| d.is_finite()),
            adherence_28_days: self.adherence_28_days.filter(|a| a.is_finite()),
            one_rep_maxes: self
                .estimated_one_rep_maxes
                .into_iter()
                .filter(|max| max.kg.is_finite() && max.kg > 0.0)
                .map(|max| (max.exercise_id, max.kg))
                .collect(),
            training_days: self.training_days.into_iter().collect::<BTreeSet<_>>(),
            last_sessions: self
                .last_sessions
                .into_iter()
                .map(|session| {
                    let sets = session
                        .sets
                        .into_iter()
                        .map(|set| PerformedSet {
                            reps: set.reps,
                            load_kg: set.load_kg,
                            reps_in_reserve: set.reps_in_reserve,
                        })
                        .collect();
                    (
                        session.exercise_id,
                        LastSession {
                            date: session.date,
                            sets,
                        },
                    )
                })
                .collect(),
        }
    }
}
