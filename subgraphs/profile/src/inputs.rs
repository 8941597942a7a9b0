//! GraphQL input objects. They arrive unchecked; `validate` turns them into the
//! normalised values the store writes.

use async_graphql::InputObject;
use chrono::{DateTime, Utc};
use subgraph_common::vocab::{Equipment, FitnessLevel, Goal};

use crate::kinds::{ReadingKind, Sex, TimeOfDay};

/// The onboarding questionnaire that creates a user.
#[derive(InputObject, Debug, Clone)]
pub struct OnboardingInput {
    /// 1-80 characters (surrounding spaces are dropped).
    pub display_name: String,
    /// Unique; stored trimmed and lowercased.
    pub email: String,
    /// From 1900 to the current year minus 13.
    pub birth_year: i32,
    pub sex: Sex,
    /// 100-250.
    pub height_cm: f64,
    /// 25-350.
    pub weight_kg: f64,
    pub primary_goal: Goal,
    pub fitness_level: FitnessLevel,
    /// 1-7.
    pub days_per_week: i32,
    /// 10-180.
    pub session_minutes: i32,
    pub preferred_time_of_day: TimeOfDay,
    /// What the user can train with; repeats are ignored.
    pub equipment: Vec<Equipment>,
}

/// New training goals; optional fields left out keep their current value.
#[derive(InputObject, Debug, Clone)]
pub struct GoalsInput {
    pub primary_goal: Goal,
    /// 1-7.
    pub days_per_week: Option<i32>,
    /// 10-180.
    pub session_minutes: Option<i32>,
    pub preferred_time_of_day: Option<TimeOfDay>,
    pub fitness_level: Option<FitnessLevel>,
}

/// One reading from a wearable.
#[derive(InputObject, Debug, Clone)]
pub struct WearableReadingInput {
    pub kind: ReadingKind,
    /// HRV_RMSSD in ms (1-500), RESTING_HEART_RATE in bpm (20-250), SLEEP_SCORE 0-100,
    /// SLEEP_MINUTES 0-1440.
    pub value: f64,
    /// When it was measured; at most 5 minutes in the future.
    pub recorded_at: DateTime<Utc>,
    /// The device or app, 1-64 characters, e.g. "garmin" (stored trimmed and lowercased).
    pub source: String,
}
