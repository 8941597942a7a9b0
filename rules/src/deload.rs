//! Deload weeks on a fixed cadence: every fourth week roughly halves the volume and lightens
//! loads, so fatigue built over three progressing weeks clears before the next block.

use crate::intensity::{Intensity, MIN_SETS};

/// A training block is four weeks long.
pub const DELOAD_CADENCE_WEEKS: u32 = 4;
/// The last week of each block (0-based) is the deload.
pub const DELOAD_WEEK_OF_CADENCE: u32 = 3;
/// Deload loads: 10% lighter, enough to recover without losing the groove of the lifts.
pub const DELOAD_LOAD_FACTOR: f64 = 0.90;

/// Whether the 0-based training week is a deload week.
pub fn is_deload_week(week_index: u32) -> bool {
    week_index % DELOAD_CADENCE_WEEKS == DELOAD_WEEK_OF_CADENCE
}

/// Half the sets, an odd count rounded up (3 becomes 2, 5 becomes 3), never below one:
/// volume drops by 33-50% per exercise, and no exercise loses its only working set.
pub fn deload_sets(sets: u8) -> u8 {
    sets.div_ceil(2).max(MIN_SETS)
}

/// Today's intensity during a deload week: halved sets, loads at most
/// [`DELOAD_LOAD_FACTOR`] of normal, and no load increases. A strained user's further cuts
/// stay in place; the lighter of the two load factors wins rather than compounding.
pub fn deloaded(intensity: Intensity) -> Intensity {
    Intensity {
        halve_sets: true,
        sets_removed: intensity.sets_removed,
        load_factor: intensity.load_factor.min(DELOAD_LOAD_FACTOR),
        load_increase_allowed: false,
    }
}

#[cfg(test)]
mod tests {
    use subgraph_common::vocab::RecoveryBand;

    use super::*;
    use crate::intensity::from_recovery;

    #[test]
    fn every_fourth_week_is_a_deload() {
        let deloads: Vec<u32> = (0..12).filter(|week| is_deload_week(*week)).collect();
        assert_eq!(deloads, vec![3, 7, 11]);
    }

    #[test]
    fn sets_are_halved_rounding_up_and_never_vanish() {
        assert_eq!(deload_sets(0), 1);
        assert_eq!(deload_sets(1), 1);
        assert_eq!(deload_sets(2), 1);
        assert_eq!(deload_sets(3), 2);
        assert_eq!(deload_sets(4), 2);
        assert_eq!(deload_sets(5), 3);
    }

    #[test]
    fn a_deload_halves_sets_lightens_and_freezes_loads() {
        let deload = deloaded(from_recovery(RecoveryBand::Green));
        assert_eq!(deload.sets(4), 2);
        assert!((deload.load_factor - DELOAD_LOAD_FACTOR).abs() < 1e-9);
        assert!(!deload.load_increase_allowed);
    }

    #[test]
    fn a_strained_deload_cuts_sets_again_but_not_loads() {
        let deload = deloaded(from_recovery(RecoveryBand::Yellow));
        assert_eq!(deload.sets(4), 1);
        assert!((deload.load_factor - 0.9).abs() < 1e-9);
    }
}
