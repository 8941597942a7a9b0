//! Typed views of stored rows, and the validated values the store writes.

use chrono::{DateTime, Utc};
use fitgraph_entities::profile::{users, wearable_readings};
use subgraph_common::vocab::{Equipment, FitnessLevel, Goal};
use uuid::Uuid;

use crate::error::ProfileError;
use crate::kinds::{ReadingKind, Sex, TimeOfDay};

/// A user's onboarding answers as they are stored now.
#[derive(Debug, Clone, PartialEq)]
pub struct UserProfile {
    pub id: Uuid,
    pub display_name: String,
    pub email: String,
    pub birth_year: i32,
    pub sex: Sex,
    pub height_cm: f64,
    pub weight_kg: f64,
    pub primary_goal: Goal,
    pub fitness_level: FitnessLevel,
    pub days_per_week: i32,
    pub session_minutes: i32,
    pub preferred_time_of_day: TimeOfDay,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl TryFrom<users::Model> for UserProfile {
    type Error = ProfileError;

    fn try_from(row: users::Model) -> Result<Self, Self::Error> {
        Ok(UserProfile {
            id: row.id,
            display_name: row.display_name,
            email: row.email,
            birth_year: row.birth_year,
            sex: row.sex.parse()?,
            height_cm: row.height_cm,
            weight_kg: row.weight_kg,
            primary_goal: row.primary_goal.parse()?,
            fitness_level: row.fitness_level.parse()?,
            days_per_week: row.days_per_week,
            session_minutes: row.session_minutes,
            preferred_time_of_day: row.preferred_time_of_day.parse()?,
            created_at: row.created_at,
            updated_at: row.updated_at,
        })
    }
}

/// A stored wearable reading.
#[derive(Debug, Clone, PartialEq)]
pub struct Reading {
    pub id: Uuid,
    pub kind: ReadingKind,
    pub value: f64,
    pub recorded_at: DateTime<Utc>,
    pub source: String,
}

impl TryFrom<wearable_readings::Model> for Reading {
    type Error = ProfileError;

    fn try_from(row: wearable_readings::Model) -> Result<Self, Self::Error> {
        Ok(Reading {
            id: row.id,
            kind: row.kind.parse()?,
            value: row.value,
            recorded_at: row.recorded_at,
            source: row.source,
        })
    }
}

/// A validated, normalised onboarding questionnaire.
#[derive(Debug, Clone, PartialEq)]
pub struct NewUser {
    pub display_name: String,
    pub email: String,
    pub birth_year: i32,
    pub sex: Sex,
    pub height_cm: f64,
    pub weight_kg: f64,
    pub primary_goal: Goal,
    pub fitness_level: FitnessLevel,
    pub days_per_week: i32,
    pub session_minutes: i32,
    pub preferred_time_of_day: TimeOfDay,
    /// Without repeats, in a stable order.
    pub equipment: Vec<Equipment>,
}

/// A validated reading, ready to store.
#[derive(Debug, Clone, PartialEq)]
pub struct NewReading {
    pub kind: ReadingKind,
    pub value: f64,
    pub recorded_at: DateTime<Utc>,
    pub source: String,
}

/// Which of a user's readings to list, newest first.
#[derive(Debug, Clone, PartialEq)]
pub struct ReadingFilter {
    pub kind: Option<ReadingKind>,
    pub from: Option<DateTime<Utc>>,
    pub to: Option<DateTime<Utc>>,
    pub limit: u64,
}
