//! Muscle-group rotation: a muscle trained recently gets no primary work until it has
//! recovered, 48 hours for small groups and 72 for large ones.
//!
//! Only primary muscles count: a squat may still work the lower back a little the day after
//! deadlifts, which is ordinary, but it may not be the lower back's main work.

use std::collections::BTreeSet;

use chrono::{DateTime, TimeDelta, Utc};
use subgraph_common::catalog::ExerciseSummary;
use subgraph_common::vocab::Muscle;

use crate::snapshot::{SlotTarget, TrainingSignals};

/// Small groups (arms, calves, shoulders, trunk) recover from a hard session in about two days.
pub const SMALL_MUSCLE_RECOVERY_HOURS: i64 = 48;
/// Large groups take more damage per session and need about three days.
pub const LARGE_MUSCLE_RECOVERY_HOURS: i64 = 72;

const HOURS_PER_DAY: i64 = 24;

/// How long `muscle` rests after being trained before it gets primary work again.
pub fn recovery_window(muscle: Muscle) -> TimeDelta {
    let hours = if muscle.is_large() {
        LARGE_MUSCLE_RECOVERY_HOURS
    } else {
        SMALL_MUSCLE_RECOVERY_HOURS
    };
    TimeDelta::hours(hours)
}

/// When `muscle` was last trained; duplicate signals resolve to the latest.
pub fn last_trained(signals: &TrainingSignals, muscle: Muscle) -> Option<DateTime<Utc>> {
    signals
        .muscles
        .iter()
        .filter(|signal| signal.muscle == muscle)
        .map(|signal| signal.last_trained_at)
        .max()
}

/// Whether a muscle last trained at `trained_at` is still recovering at `now`. A time in the
/// future (a skewed clock) counts as just trained.
pub fn is_recovering(muscle: Muscle, trained_at: DateTime<Utc>, now: DateTime<Utc>) -> bool {
    now.signed_duration_since(trained_at) < recovery_window(muscle)
}

/// Every muscle that may not get primary work at `now`.
pub fn blocked_muscles(signals: &TrainingSignals, now: DateTime<Utc>) -> BTreeSet<Muscle> {
    signals
        .muscles
        .iter()
        .filter(|signal| is_recovering(signal.muscle, signal.last_trained_at, now))
        .map(|signal| signal.muscle)
        .collect()
}

/// Whole days since `muscle` was last trained; `None` when it has no recent history.
pub fn days_rested(signals: &TrainingSignals, muscle: Muscle, now: DateTime<Utc>) -> Option<i64> {
    let trained_at = last_trained(signals, muscle)?;
    Some(now.signed_duration_since(trained_at).num_hours().max(0) / HOURS_PER_DAY)
}

/// Whether an exercise would give a blocked muscle primary work.
pub fn blocks_exercise(blocked: &BTreeSet<Muscle>, exercise: &ExerciseSummary) -> bool {
    exercise
        .primary_muscles
        .iter()
        .any(|muscle| blocked.contains(muscle))
}

/// The blocked muscle a slot asks for by name; pattern slots are judged per exercise.
pub fn blocked_target(blocked: &BTreeSet<Muscle>, target: SlotTarget) -> Option<Muscle> {
    match target {
        SlotTarget::Muscle(muscle) if blocked.contains(&muscle) => Some(muscle),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeZone;
    use subgraph_common::vocab::MovementPattern;

    use super::*;
    use crate::snapshot::MuscleSignal;
    use crate::testing::exercise;

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 3, 12, 18, 0, 0)
            .single()
            .expect("a valid instant")
    }

    fn trained(muscle: Muscle, hours_ago: i64) -> MuscleSignal {
        MuscleSignal {
            muscle,
            last_trained_at: now() - TimeDelta::hours(hours_ago),
            sets_last_7_days: 6,
        }
    }

    fn signals(muscles: Vec<MuscleSignal>) -> TrainingSignals {
        TrainingSignals {
            muscles,
            ..TrainingSignals::default()
        }
    }

    #[test]
    fn small_muscles_rest_48_hours_and_large_ones_72() {
        let signals = signals(vec![
            trained(Muscle::Biceps, 47),
            trained(Muscle::Triceps, 48),
            trained(Muscle::Quadriceps, 71),
            trained(Muscle::Chest, 72),
        ]);
        let blocked = blocked_muscles(&signals, now());
        assert_eq!(
            blocked,
            BTreeSet::from([Muscle::Biceps, Muscle::Quadriceps])
        );
    }

    #[test]
    fn a_future_timestamp_counts_as_just_trained() {
        let signals = signals(vec![trained(Muscle::Calves, -5)]);
        assert!(blocked_muscles(&signals, now()).contains(&Muscle::Calves));
    }

    #[test]
    fn duplicate_signals_resolve_to_the_latest() {
        let signals = signals(vec![trained(Muscle::Lats, 200), trained(Muscle::Lats, 10)]);
        assert!(blocked_muscles(&signals, now()).contains(&Muscle::Lats));
        assert_eq!(days_rested(&signals, Muscle::Lats, now()), Some(0));
        assert_eq!(days_rested(&signals, Muscle::Chest, now()), None);
    }

    #[test]
    fn days_rested_counts_whole_days() {
        let signals = signals(vec![trained(Muscle::Hamstrings, 3 * 24 + 5)]);
        assert_eq!(days_rested(&signals, Muscle::Hamstrings, now()), Some(3));
    }

    #[test]
    fn only_primary_muscles_and_muscle_targets_are_blocked() {
        let blocked = BTreeSet::from([Muscle::LowerBack]);
        let mut squat = exercise("Squat", MovementPattern::Squat, &[Muscle::Quadriceps]);
        squat.secondary_muscles = vec![Muscle::LowerBack];
        assert!(!blocks_exercise(&blocked, &squat));
        let mut good_morning = squat.clone();
        good_morning.primary_muscles = vec![Muscle::Hamstrings, Muscle::LowerBack];
        assert!(blocks_exercise(&blocked, &good_morning));
        assert_eq!(
            blocked_target(&blocked, SlotTarget::Muscle(Muscle::LowerBack)),
            Some(Muscle::LowerBack)
        );
        assert_eq!(
            blocked_target(&blocked, SlotTarget::Pattern(MovementPattern::Hinge)),
            None
        );
    }
}
