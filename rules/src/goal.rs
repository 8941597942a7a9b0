//! The goal shapes the work: rep (or hold) ranges, rest between sets and the kinds of
//! exercise that serve it. The template's slot values are the base; they are clamped into
//! the goal's ranges, so a template written for another purpose (or edited by hand) still
//! yields a dose that fits the goal.
//!
//! The share of cardio and mobility work comes from the goal's templates (weight-loss
//! circuits open with conditioning, general fitness with a mobility drill); the categories
//! here make sure those slots, and only suitable ones, are filled.

use subgraph_common::vocab::{Category, Goal};

use crate::snapshot::{RepUnit, TemplateSlot};

/// A slot's sets are bounded: past six hard sets of one exercise, quality falls apart.
pub const MAX_SETS_PER_SLOT: u8 = 6;
/// And every slot has at least one set.
pub const MIN_SETS_PER_SLOT: u8 = 1;

/// What a goal allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GoalShape {
    /// Repetitions per set, inclusive.
    pub reps: (u16, u16),
    /// Seconds per set for timed work (holds, carries, intervals), inclusive.
    pub seconds: (u16, u16),
    /// Rest between sets in seconds, inclusive.
    pub rest_seconds: (u16, u16),
    /// The categories of exercise that serve the goal.
    pub categories: &'static [Category],
}

/// One slot's prescription before the exercise is known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Dose {
    pub sets: u8,
    pub rep_min: u16,
    pub rep_max: u16,
    pub rest_seconds: u16,
    pub unit: RepUnit,
}

const LIFTING: &[Category] = &[Category::Strength, Category::Powerlifting];
const CONDITIONING: &[Category] = &[Category::Strength, Category::Cardio, Category::Plyometrics];
const STRETCHING: &[Category] = &[Category::Stretching];

/// The shape of work for a goal.
pub fn shape(goal: Goal) -> GoalShape {
    match goal {
        // Hypertrophy: moderate reps close to failure, long enough rests to repeat the effort.
        Goal::MuscleGain => GoalShape {
            reps: (6, 12),
            seconds: (20, 60),
            rest_seconds: (60, 120),
            categories: LIFTING,
        },
        // Fat loss: more reps and short rests keep the heart rate up, plus conditioning.
        Goal::WeightLoss => GoalShape {
            reps: (10, 20),
            seconds: (30, 120),
            rest_seconds: (15, 60),
            categories: CONDITIONING,
        },
        // Muscular endurance: high reps, long intervals and little rest.
        Goal::Endurance => GoalShape {
            reps: (15, 25),
            seconds: (30, 240),
            rest_seconds: (10, 45),
            categories: CONDITIONING,
        },
        // Flexibility: stretches and drills held for time; rest is just a change of side.
        Goal::Flexibility => GoalShape {
            reps: (8, 15),
            seconds: (20, 90),
            rest_seconds: (0, 30),
            categories: STRETCHING,
        },
        // General fitness: a bit of everything in moderate doses.
        Goal::GeneralFitness => GoalShape {
            reps: (6, 15),
            seconds: (20, 90),
            rest_seconds: (20, 90),
            categories: Category::ALL,
        },
    }
}

impl GoalShape {
    pub fn allows(&self, category: Category) -> bool {
        self.categories.contains(&category)
    }

    /// The template slot's dose clamped into this goal's ranges.
    pub fn dose_for(&self, slot: &TemplateSlot) -> Dose {
        let bounds = match slot.unit {
            RepUnit::Reps => self.reps,
            RepUnit::Seconds => self.seconds,
        };
        let (rep_min, rep_max) = clamp_range(slot.rep_min, slot.rep_max, bounds);
        let (rest_min, rest_max) = self.rest_seconds;
        Dose {
            sets: slot.sets.clamp(MIN_SETS_PER_SLOT, MAX_SETS_PER_SLOT),
            rep_min,
            rep_max,
            rest_seconds: slot.rest_seconds.clamp(rest_min, rest_max),
            unit: slot.unit,
        }
    }
}

/// Both ends clamped into `bounds`, swapped first if given the wrong way round.
fn clamp_range(low: u16, high: u16, (lowest, highest): (u16, u16)) -> (u16, u16) {
    let (low, high) = (low.min(high), low.max(high));
    (low.clamp(lowest, highest), high.clamp(lowest, highest))
}

#[cfg(test)]
mod tests {
    use subgraph_common::vocab::MovementPattern;

    use super::*;
    use crate::snapshot::SlotTarget;

    fn slot(sets: u8, reps: (u16, u16), rest: u16, unit: RepUnit) -> TemplateSlot {
        TemplateSlot {
            position: 1,
            sets,
            rep_min: reps.0,
            rep_max: reps.1,
            rest_seconds: rest,
            target: SlotTarget::Pattern(MovementPattern::Squat),
            unit,
        }
    }

    #[test]
    fn a_fitting_template_slot_is_kept_as_it_is() {
        let dose = shape(Goal::MuscleGain).dose_for(&slot(3, (8, 12), 90, RepUnit::Reps));
        assert_eq!(
            dose,
            Dose {
                sets: 3,
                rep_min: 8,
                rep_max: 12,
                rest_seconds: 90,
                unit: RepUnit::Reps
            }
        );
    }

    #[test]
    fn foreign_values_are_clamped_into_the_goal() {
        let endurance = shape(Goal::Endurance).dose_for(&slot(9, (6, 10), 120, RepUnit::Reps));
        assert_eq!((endurance.rep_min, endurance.rep_max), (15, 15));
        assert_eq!(endurance.rest_seconds, 45);
        assert_eq!(endurance.sets, MAX_SETS_PER_SLOT);
        let gain = shape(Goal::MuscleGain).dose_for(&slot(0, (20, 15), 20, RepUnit::Reps));
        assert_eq!((gain.rep_min, gain.rep_max), (12, 12));
        assert_eq!((gain.sets, gain.rest_seconds), (1, 60));
    }

    #[test]
    fn timed_slots_use_the_seconds_range() {
        let dose = shape(Goal::Endurance).dose_for(&slot(3, (210, 300), 15, RepUnit::Seconds));
        assert_eq!((dose.rep_min, dose.rep_max), (210, 240));
        assert_eq!(dose.unit, RepUnit::Seconds);
    }

    #[test]
    fn each_goal_draws_on_suitable_categories() {
        assert!(shape(Goal::MuscleGain).allows(Category::Strength));
        assert!(!shape(Goal::MuscleGain).allows(Category::Cardio));
        assert!(shape(Goal::WeightLoss).allows(Category::Cardio));
        assert!(shape(Goal::Endurance).allows(Category::Plyometrics));
        assert!(!shape(Goal::Endurance).allows(Category::OlympicWeightlifting));
        assert_eq!(shape(Goal::Flexibility).categories, &[Category::Stretching]);
        for category in Category::ALL {
            assert!(shape(Goal::GeneralFitness).allows(*category));
        }
    }

    #[test]
    fn endurance_and_weight_loss_use_more_reps_and_less_rest_than_muscle_gain() {
        let gain = shape(Goal::MuscleGain);
        for goal in [Goal::WeightLoss, Goal::Endurance] {
            let other = shape(goal);
            assert!(other.reps.1 > gain.reps.1);
            assert!(other.rest_seconds.1 < gain.rest_seconds.1);
        }
    }
}
