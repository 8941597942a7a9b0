//! Small builders the unit tests share.

use std::collections::BTreeSet;
use std::hash::{DefaultHasher, Hash, Hasher};

use chrono::{NaiveDate, TimeZone, Utc};
use subgraph_common::catalog::ExerciseSummary;
use subgraph_common::vocab::{
    Category, Difficulty, Equipment, FitnessLevel, Goal, MovementPattern, Muscle, RecoveryBand,
    TimeOfDay,
};
use uuid::Uuid;

use crate::snapshot::{DayContext, TrainingSignals, UserSnapshot};

/// A stable id per name, so tests can refer to exercises by name.
pub(crate) fn id_of(name: &str) -> Uuid {
    let mut hasher = DefaultHasher::new();
    name.hash(&mut hasher);
    Uuid::from_u128(u128::from(hasher.finish()))
}

/// A beginner barbell strength exercise; tests change what matters to them.
pub(crate) fn exercise(
    name: &str,
    pattern: MovementPattern,
    primary: &[Muscle],
) -> ExerciseSummary {
    ExerciseSummary {
        id: id_of(name),
        name: name.to_owned(),
        category: Category::Strength,
        difficulty: Difficulty::Beginner,
        equipment: Equipment::Barbell,
        movement_pattern: pattern,
        primary_muscles: primary.to_vec(),
        secondary_muscles: Vec::new(),
        deprecated: false,
    }
}

/// Wednesday 12 March 2025.
pub(crate) fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 12).expect("a valid date")
}

pub(crate) fn user(goal: Goal, level: FitnessLevel) -> UserSnapshot {
    UserSnapshot {
        goal,
        level,
        days_per_week: 4,
        session_minutes: 60,
        preferred_time: TimeOfDay::Any,
        equipment: BTreeSet::from([Equipment::Barbell, Equipment::Dumbbell, Equipment::Bench]),
        recovery: RecoveryBand::Green,
        signals: TrainingSignals::default(),
    }
}

pub(crate) fn context() -> DayContext {
    DayContext {
        today: today(),
        now: Utc
            .with_ymd_and_hms(2025, 3, 12, 7, 0, 0)
            .single()
            .expect("a valid instant"),
        week_index: 0,
        past_prescriptions: Default::default(),
    }
}
