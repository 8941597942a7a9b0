//! What the rules (and the ranker) know about a user and the library on one day.
//!
//! The snapshot is assembled by the gateway from the profile and feedback subgraphs
//! (`@requires`) and stored with every generated workout, so training later sees exactly
//! what serving saw.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use subgraph_common::catalog::ExerciseSummary;
use subgraph_common::vocab::{
    Category, Difficulty, Equipment, FitnessLevel, Goal, MovementPattern, Muscle, RecoveryBand,
    TimeOfDay,
};
use uuid::Uuid;

/// One user as the recommendation sees them today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserSnapshot {
    pub goal: Goal,
    pub level: FitnessLevel,
    /// 1-7: the weekly budget of training days.
    pub days_per_week: u8,
    /// 10-180.
    pub session_minutes: u16,
    pub preferred_time: TimeOfDay,
    /// What the user owns; bodyweight work is always possible, listed or not.
    pub equipment: BTreeSet<Equipment>,
    pub recovery: RecoveryBand,
    pub signals: TrainingSignals,
}

/// What feedback derived from the user's history (see the feedback subgraph's `TrainingSignals`).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct TrainingSignals {
    /// The instant the signals describe.
    pub as_of: Option<DateTime<Utc>>,
    pub muscles: Vec<MuscleSignal>,
    /// -1 (avoids) to 1 (loves).
    pub category_affinities: BTreeMap<Category, f64>,
    /// -1 to 1, like categories, per primary muscle.
    pub muscle_affinities: BTreeMap<Muscle, f64>,
    /// -1 to 1, like categories, per exercise the user has history with.
    pub exercise_affinities: HashMap<Uuid, f64>,
    /// Mean reported difficulty 1-5 over the last 14 days.
    pub recent_difficulty: Option<f64>,
    /// Share 0-1 of prescribed exercises completed over the last 28 days.
    pub adherence_28_days: Option<f64>,
    /// Estimated one-rep max in kg per exercise.
    pub one_rep_maxes: HashMap<Uuid, f64>,
    /// Days (UTC) in the last 28 with any logged set or completed exercise.
    pub training_days: BTreeSet<NaiveDate>,
    /// The most recent session of each exercise trained in the last 42 days.
    pub last_sessions: HashMap<Uuid, LastSession>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MuscleSignal {
    pub muscle: Muscle,
    pub last_trained_at: DateTime<Utc>,
    pub sets_last_7_days: u32,
}

/// How the user last performed one exercise.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LastSession {
    pub date: NaiveDate,
    pub sets: Vec<PerformedSet>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PerformedSet {
    pub reps: u32,
    pub load_kg: f64,
    pub reps_in_reserve: Option<u8>,
}

/// The catalog and templates plans keeps in memory.
#[derive(Debug, Clone, Default)]
pub struct Library {
    pub exercises: Arc<HashMap<Uuid, ExerciseSummary>>,
    pub templates: Arc<Vec<Template>>,
}

/// A ready-made workout shape from the exercises subgraph.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Template {
    pub id: Uuid,
    pub name: String,
    pub goal: Goal,
    pub difficulty: Difficulty,
    pub duration_minutes: u16,
    pub slots: Vec<TemplateSlot>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TemplateSlot {
    pub position: u8,
    pub sets: u8,
    pub rep_min: u16,
    pub rep_max: u16,
    pub rest_seconds: u16,
    pub target: SlotTarget,
    pub unit: RepUnit,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SlotTarget {
    Muscle(Muscle),
    Pattern(MovementPattern),
}

/// What a slot's `rep_min`/`rep_max` count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RepUnit {
    Reps,
    Seconds,
}

/// What plans itself remembers of one exercise it prescribed before.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PastPrescription {
    pub date: NaiveDate,
    pub sets: u8,
    pub rep_min: u16,
    pub rep_max: u16,
    pub load_kg: Option<f64>,
}

/// Everything about the day being planned that is not the user's snapshot.
#[derive(Debug, Clone, PartialEq)]
pub struct DayContext {
    pub today: NaiveDate,
    pub now: DateTime<Utc>,
    /// 0-based week of the user's training with fitgraph (from their first generated workout).
    pub week_index: u32,
    /// The latest prescription per exercise plans made for this user.
    pub past_prescriptions: HashMap<Uuid, PastPrescription>,
}
