//! Template and session length: the template for the user's goal and level that best fills
//! their session, and a time budget its slots are admitted against.
//!
//! Times are estimated as the exercises subgraph builds its templates: per slot, every set's
//! work and rest plus a changeover, work being four seconds a rep or the hold time.

use std::cmp::Reverse;

use subgraph_common::vocab::{Difficulty, FitnessLevel, Goal};

use crate::goal::Dose;
use crate::level::{difficulty_rank, level_rank};
use crate::snapshot::{RepUnit, Template};

/// Seconds one repetition takes, lowering and lifting.
pub const SECONDS_PER_REP: u32 = 4;
/// Setting up a loaded exercise (plates, bench, cable) between slots.
pub const CHANGEOVER_SECONDS_REPS: u32 = 60;
/// Moving into the next hold or drill is quick.
pub const CHANGEOVER_SECONDS_TIMED: u32 = 15;
/// The estimate is coarse and templates are topped up to about 2% over their length, so a
/// session may run 5% over before a slot is refused; refusing those would drop a whole
/// exercise from a session that is on time in practice.
pub const TIME_TOLERANCE_PERCENT: u32 = 105;

/// The template for `goal` at the user's level (else the nearest level below, else the
/// nearest above), the longest that fits `session_minutes` (else the shortest). Ties go to
/// the first in the library's order. `None` only when the goal has no template at all.
pub fn pick_template(
    templates: &[Template],
    goal: Goal,
    level: FitnessLevel,
    session_minutes: u16,
) -> Option<&Template> {
    let for_goal = || templates.iter().filter(move |t| t.goal == goal);
    let difficulty = nearest_difficulty(for_goal().map(|t| t.difficulty), level)?;
    let at_level = || for_goal().filter(move |t| t.difficulty == difficulty);
    at_level()
        .filter(|t| t.duration_minutes <= session_minutes)
        .min_by_key(|t| Reverse(t.duration_minutes))
        .or_else(|| at_level().min_by_key(|t| t.duration_minutes))
}

/// The available difficulty closest to `level`, preferring easier over harder.
pub fn nearest_difficulty(
    available: impl Iterator<Item = Difficulty>,
    level: FitnessLevel,
) -> Option<Difficulty> {
    let wanted = level_rank(level);
    available.min_by_key(|difficulty| {
        let rank = difficulty_rank(*difficulty);
        (rank > wanted, rank.abs_diff(wanted))
    })
}

/// Estimated seconds a slot takes with this dose.
pub fn estimated_seconds(dose: &Dose) -> u32 {
    let average = (u32::from(dose.rep_min) + u32::from(dose.rep_max)) / 2;
    let (work, changeover) = match dose.unit {
        RepUnit::Reps => (average * SECONDS_PER_REP, CHANGEOVER_SECONDS_REPS),
        RepUnit::Seconds => (average, CHANGEOVER_SECONDS_TIMED),
    };
    u32::from(dose.sets) * (work + u32::from(dose.rest_seconds)) + changeover
}

/// The time left in a session as slots are admitted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct TimeBudget {
    left: u32,
}

impl TimeBudget {
    pub fn for_session(minutes: u16) -> TimeBudget {
        TimeBudget {
            left: u32::from(minutes) * 60 * TIME_TOLERANCE_PERCENT / 100,
        }
    }

    pub fn remaining_seconds(&self) -> u32 {
        self.left
    }

    /// Takes the time for `dose` if it fits. The session's first slot is never refused: it
    /// loses sets until it fits, down to one, so even a very short session has an exercise.
    pub fn admit(&mut self, dose: Dose, first: bool) -> Option<Dose> {
        let mut dose = dose;
        while first && dose.sets > 1 && estimated_seconds(&dose) > self.left {
            dose.sets -= 1;
        }
        let seconds = estimated_seconds(&dose);
        if seconds > self.left && !first {
            return None;
        }
        self.left = self.left.saturating_sub(seconds);
        Some(dose)
    }
}

#[cfg(test)]
mod tests {
    use uuid::Uuid;

    use super::*;

    fn template(goal: Goal, difficulty: Difficulty, minutes: u16, id: u128) -> Template {
        Template {
            id: Uuid::from_u128(id),
            name: format!("{goal} {difficulty} {minutes}"),
            goal,
            difficulty,
            duration_minutes: minutes,
            slots: Vec::new(),
        }
    }

    fn library() -> Vec<Template> {
        vec![
            template(Goal::MuscleGain, Difficulty::Beginner, 30, 1),
            template(Goal::MuscleGain, Difficulty::Beginner, 60, 2),
            template(Goal::MuscleGain, Difficulty::Advanced, 30, 3),
            template(Goal::MuscleGain, Difficulty::Advanced, 60, 4),
            template(Goal::Endurance, Difficulty::Advanced, 45, 5),
            template(Goal::MuscleGain, Difficulty::Beginner, 60, 6),
        ]
    }

    fn picked(goal: Goal, level: FitnessLevel, minutes: u16) -> Option<u128> {
        pick_template(&library(), goal, level, minutes).map(|t| t.id.as_u128())
    }

    #[test]
    fn the_longest_template_within_the_session_is_picked() {
        assert_eq!(
            picked(Goal::MuscleGain, FitnessLevel::Beginner, 45),
            Some(1)
        );
        assert_eq!(
            picked(Goal::MuscleGain, FitnessLevel::Beginner, 90),
            Some(2),
            "first of a tie"
        );
        assert_eq!(
            picked(Goal::MuscleGain, FitnessLevel::Advanced, 60),
            Some(4)
        );
    }

    #[test]
    fn a_session_shorter_than_every_template_gets_the_shortest() {
        assert_eq!(
            picked(Goal::MuscleGain, FitnessLevel::Advanced, 10),
            Some(3)
        );
    }

    #[test]
    fn a_missing_level_falls_back_below_then_above() {
        assert_eq!(
            picked(Goal::MuscleGain, FitnessLevel::Intermediate, 60),
            Some(2)
        );
        assert_eq!(picked(Goal::Endurance, FitnessLevel::Beginner, 60), Some(5));
        assert_eq!(picked(Goal::Flexibility, FitnessLevel::Beginner, 60), None);
    }

    #[test]
    fn estimates_match_the_template_builder() {
        let reps = Dose {
            sets: 3,
            rep_min: 8,
            rep_max: 12,
            rest_seconds: 90,
            unit: RepUnit::Reps,
        };
        assert_eq!(estimated_seconds(&reps), 3 * (40 + 90) + 60);
        let timed = Dose {
            sets: 4,
            rep_min: 30,
            rep_max: 45,
            rest_seconds: 10,
            unit: RepUnit::Seconds,
        };
        assert_eq!(estimated_seconds(&timed), 4 * (37 + 10) + 15);
    }

    #[test]
    fn slots_are_admitted_while_they_fit_and_the_first_always_is() {
        let long = Dose {
            sets: 4,
            rep_min: 6,
            rep_max: 10,
            rest_seconds: 120,
            unit: RepUnit::Reps,
        };
        let mut budget = TimeBudget::for_session(10);
        assert_eq!(budget.remaining_seconds(), 630);
        let first = budget.admit(long, true).expect("the first slot is kept");
        assert_eq!(first.sets, 3, "668 s did not fit; 516 s does");
        assert_eq!(budget.remaining_seconds(), 630 - 516);
        assert_eq!(budget.admit(long, false), None);
        let mut tiny = TimeBudget::for_session(1);
        assert_eq!(tiny.admit(long, true).map(|d| d.sets), Some(1));
        assert_eq!(tiny.remaining_seconds(), 0);
    }
}
