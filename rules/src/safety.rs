//! Hard safety rules. Every candidate the rules output passes [`check`]; the ranker only
//! reorders candidates, so whatever it picks is safe.
//!
//! - The user owns the equipment (bodyweight work needs none).
//! - The exercise is no harder than the user's level.
//! - It is not deprecated.
//! - Beginners get no Olympic lifts or strongman events: both need coaching to learn safely.
//! - Beginners who are strained (recovery YELLOW or RED) get no plyometrics: landing
//!   mechanics degrade with fatigue, and beginners have the least margin.
//! - Mobility days hold only stretching and mobility work without external load.

use std::collections::BTreeSet;

use subgraph_common::catalog::ExerciseSummary;
use subgraph_common::vocab::{Category, Difficulty, Equipment, FitnessLevel, RecoveryBand};

use crate::day::DayKind;
use crate::level::within_level;
use crate::overload::carries_external_load;

/// What the exercise is judged against.
#[derive(Debug, Clone, Copy)]
pub struct Limits<'a> {
    pub level: FitnessLevel,
    pub equipment: &'a BTreeSet<Equipment>,
    pub recovery: RecoveryBand,
    pub kind: DayKind,
}

/// Why an exercise is not safe for this user today.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum Hazard {
    #[error("the exercise is deprecated")]
    Deprecated,
    #[error("the user has no {0}")]
    MissingEquipment(Equipment),
    #[error("a {0} exercise is above the user's level")]
    AboveLevel(Difficulty),
    #[error("{0} needs coaching beyond a beginner's")]
    NeedsCoaching(Category),
    #[error("plyometrics while strained is unsafe for a beginner")]
    PlyometricsWhileStrained,
    #[error("a mobility day holds only unloaded stretching")]
    NotGentle,
}

/// Categories a beginner never gets.
const COACHED_CATEGORIES: [Category; 2] = [Category::OlympicWeightlifting, Category::Strongman];

/// The first safety rule `exercise` breaks, if any.
pub fn check(exercise: &ExerciseSummary, limits: &Limits<'_>) -> Result<(), Hazard> {
    if exercise.deprecated {
        return Err(Hazard::Deprecated);
    }
    let owned = exercise.equipment == Equipment::Bodyweight
        || limits.equipment.contains(&exercise.equipment);
    if !owned {
        return Err(Hazard::MissingEquipment(exercise.equipment));
    }
    if !within_level(exercise.difficulty, limits.level) {
        return Err(Hazard::AboveLevel(exercise.difficulty));
    }
    let beginner = limits.level == FitnessLevel::Beginner;
    if beginner && COACHED_CATEGORIES.contains(&exercise.category) {
        return Err(Hazard::NeedsCoaching(exercise.category));
    }
    let strained = matches!(limits.recovery, RecoveryBand::Yellow | RecoveryBand::Red);
    if beginner && strained && exercise.category == Category::Plyometrics {
        return Err(Hazard::PlyometricsWhileStrained);
    }
    let gentle =
        exercise.category == Category::Stretching && !carries_external_load(exercise.equipment);
    if limits.kind == DayKind::Mobility && !gentle {
        return Err(Hazard::NotGentle);
    }
    Ok(())
}

/// Whether `exercise` breaks none of the safety rules.
pub fn is_safe(exercise: &ExerciseSummary, limits: &Limits<'_>) -> bool {
    check(exercise, limits).is_ok()
}

#[cfg(test)]
mod tests {
    use subgraph_common::vocab::{MovementPattern, Muscle};

    use super::*;
    use crate::testing::exercise;

    fn limits(level: FitnessLevel, equipment: &BTreeSet<Equipment>) -> Limits<'_> {
        Limits {
            level,
            equipment,
            recovery: RecoveryBand::Green,
            kind: DayKind::Training,
        }
    }

    fn squat() -> ExerciseSummary {
        exercise("Back Squat", MovementPattern::Squat, &[Muscle::Quadriceps])
    }

    #[test]
    fn equipment_must_be_owned_unless_bodyweight() {
        let none = BTreeSet::new();
        assert_eq!(
            check(&squat(), &limits(FitnessLevel::Advanced, &none)),
            Err(Hazard::MissingEquipment(Equipment::Barbell))
        );
        let mut air_squat = squat();
        air_squat.equipment = Equipment::Bodyweight;
        assert!(is_safe(&air_squat, &limits(FitnessLevel::Beginner, &none)));
        let barbell = BTreeSet::from([Equipment::Barbell]);
        assert!(is_safe(&squat(), &limits(FitnessLevel::Beginner, &barbell)));
    }

    #[test]
    fn harder_exercises_than_the_level_are_refused() {
        let barbell = BTreeSet::from([Equipment::Barbell]);
        let mut pistol = squat();
        pistol.difficulty = Difficulty::Advanced;
        assert_eq!(
            check(&pistol, &limits(FitnessLevel::Beginner, &barbell)),
            Err(Hazard::AboveLevel(Difficulty::Advanced))
        );
        assert!(!is_safe(
            &pistol,
            &limits(FitnessLevel::Intermediate, &barbell)
        ));
        assert!(is_safe(&pistol, &limits(FitnessLevel::Advanced, &barbell)));
    }

    #[test]
    fn deprecated_exercises_are_refused() {
        let barbell = BTreeSet::from([Equipment::Barbell]);
        let mut old = squat();
        old.deprecated = true;
        assert_eq!(
            check(&old, &limits(FitnessLevel::Advanced, &barbell)),
            Err(Hazard::Deprecated)
        );
    }

    #[test]
    fn beginners_get_no_olympic_lifts_or_strongman_events() {
        let everything: BTreeSet<Equipment> = Equipment::ALL.iter().copied().collect();
        for category in COACHED_CATEGORIES {
            let mut lift = squat();
            lift.category = category;
            assert_eq!(
                check(&lift, &limits(FitnessLevel::Beginner, &everything)),
                Err(Hazard::NeedsCoaching(category))
            );
            assert!(is_safe(
                &lift,
                &limits(FitnessLevel::Intermediate, &everything)
            ));
        }
    }

    #[test]
    fn strained_beginners_get_no_plyometrics() {
        let none = BTreeSet::new();
        let mut jump = exercise("Box Jump", MovementPattern::Jump, &[Muscle::Quadriceps]);
        jump.category = Category::Plyometrics;
        jump.equipment = Equipment::Bodyweight;
        let mut strained = limits(FitnessLevel::Beginner, &none);
        strained.recovery = RecoveryBand::Yellow;
        assert_eq!(
            check(&jump, &strained),
            Err(Hazard::PlyometricsWhileStrained)
        );
        strained.level = FitnessLevel::Intermediate;
        assert!(is_safe(&jump, &strained));
        assert!(is_safe(&jump, &limits(FitnessLevel::Beginner, &none)));
    }

    #[test]
    fn mobility_days_hold_only_unloaded_stretching() {
        let everything: BTreeSet<Equipment> = Equipment::ALL.iter().copied().collect();
        let mut mobility = limits(FitnessLevel::Advanced, &everything);
        mobility.kind = DayKind::Mobility;
        assert_eq!(check(&squat(), &mobility), Err(Hazard::NotGentle));
        let mut stretch = exercise(
            "Hamstring Stretch",
            MovementPattern::Stretch,
            &[Muscle::Hamstrings],
        );
        stretch.category = Category::Stretching;
        stretch.equipment = Equipment::Bodyweight;
        assert!(is_safe(&stretch, &mobility));
        stretch.equipment = Equipment::Kettlebell;
        assert_eq!(check(&stretch, &mobility), Err(Hazard::NotGentle));
    }
}
