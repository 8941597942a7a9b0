//! Weekly sets per muscle within landmarks for the level: beyond these, more sets add
//! fatigue faster than they add muscle, and recovery (and adherence) suffer.
//!
//! Hard resistance sets count against a muscle when it is a primary muscle of the exercise;
//! stretching and cardio are not hard sets and are neither counted nor capped. Because the
//! ranker may pick any candidate of a slot, a slot's sets are counted against the primary
//! muscles of every candidate it keeps: whatever is chosen, no muscle goes over its cap.

use std::collections::BTreeMap;

use subgraph_common::catalog::ExerciseSummary;
use subgraph_common::vocab::{Category, FitnessLevel, Muscle};

use crate::snapshot::TrainingSignals;

/// Beginners grow on little volume and recover from little more.
pub const WEEKLY_SET_CAP_BEGINNER: u32 = 12;
/// The middle of the commonly cited 10-20 sets per muscle per week.
pub const WEEKLY_SET_CAP_INTERMEDIATE: u32 = 18;
/// Trained lifters need and tolerate more, up to about the low twenties.
pub const WEEKLY_SET_CAP_ADVANCED: u32 = 22;

/// The most sets a muscle may get as primary work in seven days.
pub fn weekly_set_cap(level: FitnessLevel) -> u32 {
    match level {
        FitnessLevel::Beginner => WEEKLY_SET_CAP_BEGINNER,
        FitnessLevel::Intermediate => WEEKLY_SET_CAP_INTERMEDIATE,
        FitnessLevel::Advanced => WEEKLY_SET_CAP_ADVANCED,
    }
}

/// Whether sets of this category are hard sets that count toward the weekly volume.
pub fn counts_toward_volume(category: Category) -> bool {
    !matches!(category, Category::Stretching | Category::Cardio)
}

/// Sets per muscle over the last seven days plus those planned today.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VolumeLedger {
    cap: u32,
    used: BTreeMap<Muscle, u32>,
}

impl VolumeLedger {
    /// Starts from the feedback's seven-day counts; duplicate signals resolve to the largest.
    pub fn new(level: FitnessLevel, signals: &TrainingSignals) -> VolumeLedger {
        let mut used = BTreeMap::new();
        for signal in &signals.muscles {
            let sets = used.entry(signal.muscle).or_insert(0);
            *sets = (*sets).max(signal.sets_last_7_days);
        }
        VolumeLedger {
            cap: weekly_set_cap(level),
            used,
        }
    }

    /// Sets `muscle` may still get this week.
    pub fn remaining(&self, muscle: Muscle) -> u32 {
        let used = self.used.get(&muscle).copied().unwrap_or(0);
        self.cap.saturating_sub(used)
    }

    /// The most sets `exercise` may get today: its tightest primary muscle's room, or no
    /// bound for work that does not count.
    pub fn room_for(&self, exercise: &ExerciseSummary) -> u32 {
        if !counts_toward_volume(exercise.category) {
            return u32::MAX;
        }
        exercise
            .primary_muscles
            .iter()
            .map(|muscle| self.remaining(*muscle))
            .min()
            .unwrap_or(u32::MAX)
    }

    /// Counts `sets` against every primary muscle of every exercise the slot may become.
    pub fn record<'a>(
        &mut self,
        exercises: impl IntoIterator<Item = &'a ExerciseSummary>,
        sets: u8,
    ) {
        let mut muscles: Vec<Muscle> = exercises
            .into_iter()
            .filter(|exercise| counts_toward_volume(exercise.category))
            .flat_map(|exercise| exercise.primary_muscles.iter().copied())
            .collect();
        muscles.sort();
        muscles.dedup();
        for muscle in muscles {
            *self.used.entry(muscle).or_insert(0) += u32::from(sets);
        }
    }
}

/// Fits a slot into the weekly caps: the most sets (up to `wanted`) that at least one
/// candidate has room for, and the candidates with room for them. Zero sets and no
/// candidates when none has room for even one: the slot is dropped.
pub fn fit_slot<'a>(
    ledger: &VolumeLedger,
    candidates: Vec<&'a ExerciseSummary>,
    wanted: u8,
) -> (u8, Vec<&'a ExerciseSummary>) {
    let best_room = candidates
        .iter()
        .map(|exercise| ledger.room_for(exercise))
        .max()
        .unwrap_or(0);
    let sets = u8::try_from(best_room.min(u32::from(wanted))).unwrap_or(wanted);
    if sets == 0 {
        return (0, Vec::new());
    }
    let fitting = candidates
        .into_iter()
        .filter(|exercise| ledger.room_for(exercise) >= u32::from(sets))
        .collect();
    (sets, fitting)
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use subgraph_common::vocab::MovementPattern;

    use super::*;
    use crate::snapshot::MuscleSignal;
    use crate::testing::exercise;

    fn signals(sets: &[(Muscle, u32)]) -> TrainingSignals {
        TrainingSignals {
            muscles: sets
                .iter()
                .map(|&(muscle, sets_last_7_days)| MuscleSignal {
                    muscle,
                    last_trained_at: Utc::now(),
                    sets_last_7_days,
                })
                .collect(),
            ..TrainingSignals::default()
        }
    }

    #[test]
    fn caps_grow_with_the_level() {
        assert_eq!(weekly_set_cap(FitnessLevel::Beginner), 12);
        assert_eq!(weekly_set_cap(FitnessLevel::Intermediate), 18);
        assert_eq!(weekly_set_cap(FitnessLevel::Advanced), 22);
    }

    #[test]
    fn room_is_the_tightest_primary_muscle() {
        let ledger = VolumeLedger::new(
            FitnessLevel::Beginner,
            &signals(&[
                (Muscle::Quadriceps, 10),
                (Muscle::Glutes, 4),
                (Muscle::Glutes, 11),
            ]),
        );
        assert_eq!(ledger.remaining(Muscle::Quadriceps), 2);
        assert_eq!(
            ledger.remaining(Muscle::Glutes),
            1,
            "the larger duplicate wins"
        );
        assert_eq!(ledger.remaining(Muscle::Chest), 12);
        let squat = exercise(
            "Squat",
            MovementPattern::Squat,
            &[Muscle::Quadriceps, Muscle::Glutes],
        );
        assert_eq!(ledger.room_for(&squat), 1);
        let mut stretch = squat.clone();
        stretch.category = Category::Stretching;
        assert_eq!(ledger.room_for(&stretch), u32::MAX);
    }

    #[test]
    fn a_slot_keeps_its_sets_when_a_candidate_has_room() {
        let ledger = VolumeLedger::new(
            FitnessLevel::Beginner,
            &signals(&[(Muscle::Quadriceps, 11)]),
        );
        let squat = exercise("Squat", MovementPattern::Squat, &[Muscle::Quadriceps]);
        let hip_thrust = exercise("Hip Thrust", MovementPattern::Hinge, &[Muscle::Glutes]);
        let (sets, kept) = fit_slot(&ledger, vec![&squat, &hip_thrust], 3);
        assert_eq!(sets, 3);
        assert_eq!(kept, vec![&hip_thrust]);
    }

    #[test]
    fn a_slot_loses_sets_or_is_dropped_near_the_cap() {
        let ledger = VolumeLedger::new(
            FitnessLevel::Beginner,
            &signals(&[(Muscle::Quadriceps, 10), (Muscle::Glutes, 12)]),
        );
        let squat = exercise("Squat", MovementPattern::Squat, &[Muscle::Quadriceps]);
        let (sets, kept) = fit_slot(&ledger, vec![&squat], 3);
        assert_eq!((sets, kept.len()), (2, 1));
        let bridge = exercise("Bridge", MovementPattern::Hinge, &[Muscle::Glutes]);
        assert_eq!(fit_slot(&ledger, vec![&bridge], 3), (0, Vec::new()));
    }

    #[test]
    fn recorded_sets_count_once_per_muscle_across_candidates() {
        let mut ledger = VolumeLedger::new(FitnessLevel::Intermediate, &signals(&[]));
        let squat = exercise(
            "Squat",
            MovementPattern::Squat,
            &[Muscle::Quadriceps, Muscle::Glutes],
        );
        let lunge = exercise("Lunge", MovementPattern::Lunge, &[Muscle::Quadriceps]);
        ledger.record([&squat, &lunge], 4);
        assert_eq!(ledger.remaining(Muscle::Quadriceps), 14);
        assert_eq!(ledger.remaining(Muscle::Glutes), 14);
    }
}
