//! Rest-day detection: whether today is for training, gentle mobility or rest.
//!
//! A full rest day wins whenever the calendar calls for one (the weekly budget is used, or
//! the user has trained too many days in a row): the muscles and the nervous system recover
//! best on a day off, and a user who has done their days should not be nudged into more.
//! A RED recovery band alone gives a mobility day instead: the wearable says the body is
//! strained, and light movement helps it along while keeping the habit.

use std::collections::BTreeSet;

use chrono::{Datelike, Days, NaiveDate};
use subgraph_common::vocab::{FitnessLevel, RecoveryBand};

use crate::snapshot::UserSnapshot;

/// Beginners adapt fastest but also fatigue fastest: two days on, then a day off.
pub const MAX_CONSECUTIVE_DAYS_BEGINNER: u32 = 2;
/// Intermediates tolerate a three-day block before a day off.
pub const MAX_CONSECUTIVE_DAYS_INTERMEDIATE: u32 = 3;
/// Advanced lifters rotate muscle groups well enough for four days in a row.
pub const MAX_CONSECUTIVE_DAYS_ADVANCED: u32 = 4;

/// The weekly budget's bounds: one day always trains (a user asking for today's workout
/// wants one), and a week has seven.
const MIN_DAYS_PER_WEEK: u8 = 1;
const MAX_DAYS_PER_WEEK: u8 = 7;

/// What today is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RestDecision {
    Train,
    Mobility { reason: String },
    Rest { reason: String },
}

/// The longest run of training days before a rest day is due.
pub fn max_consecutive_days(level: FitnessLevel) -> u32 {
    match level {
        FitnessLevel::Beginner => MAX_CONSECUTIVE_DAYS_BEGINNER,
        FitnessLevel::Intermediate => MAX_CONSECUTIVE_DAYS_INTERMEDIATE,
        FitnessLevel::Advanced => MAX_CONSECUTIVE_DAYS_ADVANCED,
    }
}

/// The user's weekly budget of training days, with out-of-range values brought into 1-7.
pub fn weekly_budget(days_per_week: u8) -> u32 {
    u32::from(days_per_week.clamp(MIN_DAYS_PER_WEEK, MAX_DAYS_PER_WEEK))
}

/// Distinct training days in the ISO week (Monday to Sunday) of `today`, before today.
pub fn days_trained_this_week(training_days: &BTreeSet<NaiveDate>, today: NaiveDate) -> u32 {
    let week = today.iso_week();
    let count = training_days
        .iter()
        .filter(|day| **day < today && day.iso_week() == week)
        .count();
    u32::try_from(count).unwrap_or(u32::MAX)
}

/// How many days in a row the user trained, ending yesterday.
pub fn consecutive_days_before(training_days: &BTreeSet<NaiveDate>, today: NaiveDate) -> u32 {
    let mut count = 0;
    let mut day = today.checked_sub_days(Days::new(1));
    while let Some(date) = day.filter(|date| training_days.contains(date)) {
        count += 1;
        day = date.checked_sub_days(Days::new(1));
    }
    count
}

/// Rest, mobility or training for `today`; see the module docs for the order of the checks.
pub fn rest_decision(snapshot: &UserSnapshot, today: NaiveDate) -> RestDecision {
    let days = &snapshot.signals.training_days;
    let budget = weekly_budget(snapshot.days_per_week);
    let trained = days_trained_this_week(days, today);
    if trained >= budget {
        let reason = format!(
            "You have trained {trained} of your {budget} days this week, so today is a rest day."
        );
        return RestDecision::Rest { reason };
    }
    let streak = consecutive_days_before(days, today);
    if streak >= max_consecutive_days(snapshot.level) {
        let reason = format!(
            "You have trained {streak} days in a row; a rest day lets your muscles recover."
        );
        return RestDecision::Rest { reason };
    }
    if snapshot.recovery == RecoveryBand::Red {
        let reason = "Recovery is RED: your HRV or sleep is well below your usual, \
                      so today is gentle mobility."
            .to_owned();
        return RestDecision::Mobility { reason };
    }
    RestDecision::Train
}

#[cfg(test)]
mod tests {
    use subgraph_common::vocab::Goal;

    use super::*;
    use crate::testing::{today, user};

    fn days_ago(days: &[u64]) -> BTreeSet<NaiveDate> {
        days.iter()
            .map(|n| today().checked_sub_days(Days::new(*n)).expect("in range"))
            .collect()
    }

    fn snapshot_with(days: &[u64], per_week: u8, level: FitnessLevel) -> UserSnapshot {
        let mut snapshot = user(Goal::MuscleGain, level);
        snapshot.days_per_week = per_week;
        snapshot.signals.training_days = days_ago(days);
        snapshot
    }

    #[test]
    fn only_days_of_this_iso_week_before_today_count() {
        // Today is a Wednesday: Monday and Tuesday are this week, Sunday the last.
        let days = days_ago(&[0, 1, 2, 3, 10]);
        assert_eq!(days_trained_this_week(&days, today()), 2);
    }

    #[test]
    fn a_used_budget_means_rest() {
        let snapshot = snapshot_with(&[1, 2], 2, FitnessLevel::Advanced);
        let RestDecision::Rest { reason } = rest_decision(&snapshot, today()) else {
            panic!("expected a rest day");
        };
        assert!(
            reason.contains("trained 2 of your 2 days this week"),
            "{reason}"
        );
    }

    #[test]
    fn the_budget_is_brought_into_one_to_seven() {
        assert_eq!(weekly_budget(0), 1);
        assert_eq!(weekly_budget(9), 7);
        let snapshot = snapshot_with(&[], 0, FitnessLevel::Beginner);
        assert_eq!(rest_decision(&snapshot, today()), RestDecision::Train);
    }

    #[test]
    fn a_long_streak_means_rest_by_level() {
        assert_eq!(consecutive_days_before(&days_ago(&[1, 2, 4]), today()), 2);
        assert_eq!(consecutive_days_before(&days_ago(&[0, 2, 3]), today()), 0);
        // Monday and Tuesday: two in a row, within any weekly budget of seven.
        let beginner = snapshot_with(&[1, 2], 7, FitnessLevel::Beginner);
        let RestDecision::Rest { reason } = rest_decision(&beginner, today()) else {
            panic!("two days in a row are a beginner's limit");
        };
        assert!(reason.contains("2 days in a row"), "{reason}");
        let intermediate = snapshot_with(&[1, 2], 7, FitnessLevel::Intermediate);
        assert_eq!(rest_decision(&intermediate, today()), RestDecision::Train);
        // Saturday to Tuesday crosses into this week: four in a row, two this week.
        let advanced = snapshot_with(&[1, 2, 3, 4], 7, FitnessLevel::Advanced);
        assert!(matches!(
            rest_decision(&advanced, today()),
            RestDecision::Rest { .. }
        ));
        let advanced = snapshot_with(&[1, 2, 3], 7, FitnessLevel::Advanced);
        assert_eq!(rest_decision(&advanced, today()), RestDecision::Train);
    }

    #[test]
    fn red_recovery_means_mobility_unless_rest_is_due() {
        let mut snapshot = snapshot_with(&[3], 4, FitnessLevel::Intermediate);
        snapshot.recovery = RecoveryBand::Red;
        let RestDecision::Mobility { reason } = rest_decision(&snapshot, today()) else {
            panic!("expected mobility");
        };
        assert!(reason.starts_with("Recovery is RED"), "{reason}");
        snapshot.days_per_week = 1;
        snapshot.signals.training_days = days_ago(&[1]);
        assert!(matches!(
            rest_decision(&snapshot, today()),
            RestDecision::Rest { .. }
        ));
    }

    #[test]
    fn other_bands_train() {
        for band in [
            RecoveryBand::Green,
            RecoveryBand::Yellow,
            RecoveryBand::Unknown,
        ] {
            let mut snapshot = snapshot_with(&[], 3, FitnessLevel::Beginner);
            snapshot.recovery = band;
            assert_eq!(rest_decision(&snapshot, today()), RestDecision::Train);
        }
    }
}
