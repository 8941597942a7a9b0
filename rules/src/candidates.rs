//! A slot's candidates: the catalog exercises that match its target, serve the goal, pass
//! every safety rule and give no recovering muscle primary work, in the rules' order, each
//! exercise once.

use std::collections::{BTreeSet, HashMap};

use subgraph_common::catalog::ExerciseSummary;
use subgraph_common::vocab::{Category, Muscle};
use uuid::Uuid;

use crate::order::by_preference;
use crate::rotation::blocks_exercise;
use crate::safety::{Limits, is_safe};
use crate::snapshot::SlotTarget;

/// What a slot's exercises are held to.
#[derive(Debug, Clone, Copy)]
pub struct SlotFilter<'a> {
    pub limits: Limits<'a>,
    pub categories: &'a [Category],
    /// Muscles still recovering; empty where rotation does not apply (stretching).
    pub blocked: &'a BTreeSet<Muscle>,
}

/// What looking for a slot's candidates found.
#[derive(Debug, Clone, PartialEq)]
pub enum Gathered<'a> {
    /// Best first; never empty.
    Found(Vec<&'a ExerciseSummary>),
    /// Safe exercises exist, but all would work these recovering muscles.
    OnlyRecovering(BTreeSet<Muscle>),
    /// No safe exercise for the goal matches the target.
    NoneSafe,
}

/// Whether `exercise` can fill a slot with `target`: the muscle among its primary muscles,
/// or its movement pattern.
pub fn matches_target(exercise: &ExerciseSummary, target: SlotTarget) -> bool {
    match target {
        SlotTarget::Muscle(muscle) => exercise.primary_muscles.contains(&muscle),
        SlotTarget::Pattern(pattern) => exercise.movement_pattern == pattern,
    }
}

/// The candidates for `target`; `familiar` says whether the user has history with an id.
pub fn gather<'a>(
    exercises: &'a HashMap<Uuid, ExerciseSummary>,
    target: SlotTarget,
    filter: &SlotFilter<'_>,
    familiar: impl Fn(Uuid) -> bool,
) -> Gathered<'a> {
    let mut safe: Vec<&ExerciseSummary> = exercises
        .values()
        .filter(|exercise| matches_target(exercise, target))
        .filter(|exercise| filter.categories.contains(&exercise.category))
        .filter(|exercise| is_safe(exercise, &filter.limits))
        .collect();
    // A catalog keyed by one id but holding another could list an exercise twice; keep one,
    // the same one every time.
    safe.sort_by(|a, b| a.id.cmp(&b.id).then_with(|| a.name.cmp(&b.name)));
    safe.dedup_by_key(|exercise| exercise.id);
    if safe.is_empty() {
        return Gathered::NoneSafe;
    }
    let (mut fresh, recovering): (Vec<_>, Vec<_>) = safe
        .into_iter()
        .partition(|exercise| !blocks_exercise(filter.blocked, exercise));
    if fresh.is_empty() {
        let muscles = recovering
            .iter()
            .flat_map(|exercise| &exercise.primary_muscles)
            .filter(|muscle| filter.blocked.contains(muscle))
            .copied()
            .collect();
        return Gathered::OnlyRecovering(muscles);
    }
    by_preference(&mut fresh, filter.limits.level, target, familiar);
    Gathered::Found(fresh)
}

#[cfg(test)]
mod tests {
    use subgraph_common::vocab::{Equipment, FitnessLevel, MovementPattern, RecoveryBand};

    use super::*;
    use crate::day::DayKind;
    use crate::testing::exercise;

    fn catalog(exercises: Vec<ExerciseSummary>) -> HashMap<Uuid, ExerciseSummary> {
        exercises.into_iter().map(|e| (e.id, e)).collect()
    }

    fn filter<'a>(
        equipment: &'a BTreeSet<Equipment>,
        blocked: &'a BTreeSet<Muscle>,
    ) -> SlotFilter<'a> {
        SlotFilter {
            limits: Limits {
                level: FitnessLevel::Beginner,
                equipment,
                recovery: RecoveryBand::Green,
                kind: DayKind::Training,
            },
            categories: &[Category::Strength],
            blocked,
        }
    }

    #[test]
    fn only_safe_matching_exercises_of_the_goal_are_gathered() {
        let squat = exercise("Back Squat", MovementPattern::Squat, &[Muscle::Quadriceps]);
        let mut goblet = exercise(
            "Goblet Squat",
            MovementPattern::Squat,
            &[Muscle::Quadriceps],
        );
        goblet.equipment = Equipment::Kettlebell;
        let mut jump = exercise("Jump Squat", MovementPattern::Squat, &[Muscle::Quadriceps]);
        jump.category = Category::Plyometrics;
        let lunge = exercise("Lunge", MovementPattern::Lunge, &[Muscle::Quadriceps]);
        let exercises = catalog(vec![squat.clone(), goblet, jump, lunge]);
        let barbell = BTreeSet::from([Equipment::Barbell]);
        let none = BTreeSet::new();
        let found = gather(
            &exercises,
            SlotTarget::Pattern(MovementPattern::Squat),
            &filter(&barbell, &none),
            |_| false,
        );
        assert_eq!(found, Gathered::Found(vec![&squat]));
        let by_muscle = gather(
            &exercises,
            SlotTarget::Muscle(Muscle::Quadriceps),
            &filter(&barbell, &none),
            |_| false,
        );
        let Gathered::Found(by_muscle) = by_muscle else {
            panic!("quadriceps work exists");
        };
        assert_eq!(by_muscle.len(), 2, "squat and lunge");
    }

    #[test]
    fn recovering_muscles_are_reported_when_they_empty_a_slot() {
        let squat = exercise("Back Squat", MovementPattern::Squat, &[Muscle::Quadriceps]);
        let exercises = catalog(vec![squat]);
        let barbell = BTreeSet::from([Equipment::Barbell]);
        let blocked = BTreeSet::from([Muscle::Quadriceps]);
        let target = SlotTarget::Pattern(MovementPattern::Squat);
        assert_eq!(
            gather(&exercises, target, &filter(&barbell, &blocked), |_| false),
            Gathered::OnlyRecovering(blocked.clone())
        );
        let none = BTreeSet::new();
        assert_eq!(
            gather(&exercises, target, &filter(&none, &blocked), |_| false),
            Gathered::NoneSafe
        );
    }
}
