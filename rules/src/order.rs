//! The rules' preference among a slot's candidates, best first:
//!
//! 1. difficulty matching the user's level, then the nearest below (an easier exercise is
//!    a fine fallback, but the level's own ones give the right stimulus);
//! 2. exercises the user has history with, so progression continues across weeks;
//! 3. for pattern slots, compound (multi-muscle) work before isolation, since it trains
//!    more per minute;
//! 4. name, then id, so the same inputs always give the same order.

use subgraph_common::catalog::ExerciseSummary;
use subgraph_common::vocab::{FitnessLevel, Muscle};
use uuid::Uuid;

use crate::level::distance;
use crate::snapshot::SlotTarget;

/// Muscles (primary and secondary) an exercise must work to count as compound.
pub const COMPOUND_MIN_MUSCLES: usize = 3;

/// Whether an exercise works several muscles rather than isolating one.
pub fn works_several_muscles(exercise: &ExerciseSummary) -> bool {
    let mut muscles: Vec<Muscle> = exercise
        .primary_muscles
        .iter()
        .chain(&exercise.secondary_muscles)
        .copied()
        .collect();
    muscles.sort();
    muscles.dedup();
    muscles.len() >= COMPOUND_MIN_MUSCLES
}

/// Sorts `candidates` best first; `familiar` says whether the user has history with an id.
pub fn by_preference(
    candidates: &mut [&ExerciseSummary],
    level: FitnessLevel,
    target: SlotTarget,
    familiar: impl Fn(Uuid) -> bool,
) {
    let pattern_slot = matches!(target, SlotTarget::Pattern(_));
    let key = |exercise: &ExerciseSummary| {
        (
            distance(exercise.difficulty, level),
            !familiar(exercise.id),
            pattern_slot && !works_several_muscles(exercise),
        )
    };
    candidates.sort_by(|a, b| {
        key(a)
            .cmp(&key(b))
            .then_with(|| a.name.cmp(&b.name))
            .then_with(|| a.id.cmp(&b.id))
    });
}

#[cfg(test)]
mod tests {
    use subgraph_common::vocab::{Difficulty, MovementPattern};

    use super::*;
    use crate::testing::{exercise, id_of};

    const SQUAT: SlotTarget = SlotTarget::Pattern(MovementPattern::Squat);

    fn names(candidates: &[&ExerciseSummary]) -> Vec<String> {
        candidates.iter().map(|e| e.name.clone()).collect()
    }

    fn squat(name: &str, difficulty: Difficulty, muscles: usize) -> ExerciseSummary {
        let all = [Muscle::Quadriceps, Muscle::Glutes, Muscle::Adductors];
        let mut squat = exercise(name, MovementPattern::Squat, &all[..muscles]);
        squat.difficulty = difficulty;
        squat
    }

    #[test]
    fn the_users_level_comes_first_then_the_nearest() {
        let easy = squat("A Easy", Difficulty::Beginner, 3);
        let right = squat("B Right", Difficulty::Intermediate, 3);
        let mut list = vec![&easy, &right];
        by_preference(&mut list, FitnessLevel::Intermediate, SQUAT, |_| false);
        assert_eq!(names(&list), ["B Right", "A Easy"]);
        let hard = squat("C Hard", Difficulty::Advanced, 3);
        let mut list = vec![&hard, &right, &easy];
        by_preference(&mut list, FitnessLevel::Advanced, SQUAT, |_| false);
        assert_eq!(names(&list), ["C Hard", "B Right", "A Easy"]);
    }

    #[test]
    fn history_comes_before_novelty_within_a_level() {
        let new = squat("A New", Difficulty::Beginner, 3);
        let known = squat("B Known", Difficulty::Beginner, 3);
        let mut list = vec![&new, &known];
        by_preference(&mut list, FitnessLevel::Beginner, SQUAT, |id| {
            id == id_of("B Known")
        });
        assert_eq!(names(&list), ["B Known", "A New"]);
    }

    #[test]
    fn compound_comes_before_isolation_only_in_pattern_slots() {
        let isolation = squat("A Isolation", Difficulty::Beginner, 1);
        let compound = squat("B Compound", Difficulty::Beginner, 3);
        let mut list = vec![&isolation, &compound];
        by_preference(&mut list, FitnessLevel::Beginner, SQUAT, |_| false);
        assert_eq!(names(&list), ["B Compound", "A Isolation"]);
        let quads = SlotTarget::Muscle(Muscle::Quadriceps);
        by_preference(&mut list, FitnessLevel::Beginner, quads, |_| false);
        assert_eq!(names(&list), ["A Isolation", "B Compound"]);
    }

    #[test]
    fn compound_means_three_distinct_muscles() {
        let mut curl = exercise("Curl", MovementPattern::ArmIsolation, &[Muscle::Biceps]);
        curl.secondary_muscles = vec![Muscle::Forearms, Muscle::Biceps];
        assert!(!works_several_muscles(&curl));
        curl.secondary_muscles.push(Muscle::Shoulders);
        assert!(works_several_muscles(&curl));
    }
}
