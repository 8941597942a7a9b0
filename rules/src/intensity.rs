//! Intensity from recovery: how much of the planned work today's recovery band allows.
//!
//! GREEN trains as planned. YELLOW (somewhat strained) keeps the session but takes a set
//! off every exercise and lightens loads. UNKNOWN (too little wearable data) trains as
//! planned but never adds load, since nothing confirms the user is ready for more. RED
//! normally becomes a mobility day (see `rest`); should it reach training, it is treated
//! like YELLOW.

use subgraph_common::vocab::RecoveryBand;

use crate::deload;

/// Sets taken off each exercise when strained: about a quarter of a typical three-set dose.
pub const STRAINED_SETS_REMOVED: u8 = 1;
/// Loads when strained: 10% lighter keeps the movement pattern and cuts the fatigue.
pub const STRAINED_LOAD_FACTOR: f64 = 0.90;
/// Every exercise keeps at least one set, whatever is taken off.
pub const MIN_SETS: u8 = 1;

/// How today's dose differs from the template's.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Intensity {
    /// Halve the sets first (a deload week).
    pub halve_sets: bool,
    /// Then take this many sets off, down to [`MIN_SETS`].
    pub sets_removed: u8,
    /// Multiplies every load, at most 1.
    pub load_factor: f64,
    /// Whether double progression may raise loads today.
    pub load_increase_allowed: bool,
}

impl Intensity {
    pub const AS_PLANNED: Intensity = Intensity {
        halve_sets: false,
        sets_removed: 0,
        load_factor: 1.0,
        load_increase_allowed: true,
    };

    /// Today's sets for a slot planned with `planned` sets.
    pub fn sets(&self, planned: u8) -> u8 {
        let halved = if self.halve_sets {
            deload::deload_sets(planned)
        } else {
            planned
        };
        halved.saturating_sub(self.sets_removed).max(MIN_SETS)
    }

    /// Whether loads are lighter than the progression alone would give.
    pub fn lightens_loads(&self) -> bool {
        self.load_factor < 1.0
    }
}

/// The intensity a recovery band allows.
pub fn from_recovery(band: RecoveryBand) -> Intensity {
    match band {
        RecoveryBand::Green => Intensity::AS_PLANNED,
        RecoveryBand::Unknown => Intensity {
            load_increase_allowed: false,
            ..Intensity::AS_PLANNED
        },
        RecoveryBand::Yellow | RecoveryBand::Red => Intensity {
            halve_sets: false,
            sets_removed: STRAINED_SETS_REMOVED,
            load_factor: STRAINED_LOAD_FACTOR,
            load_increase_allowed: false,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn green_trains_as_planned() {
        let green = from_recovery(RecoveryBand::Green);
        assert_eq!(green, Intensity::AS_PLANNED);
        assert_eq!(green.sets(4), 4);
        assert!(!green.lightens_loads());
    }

    #[test]
    fn yellow_takes_a_set_off_and_lightens_loads() {
        let yellow = from_recovery(RecoveryBand::Yellow);
        assert_eq!(yellow.sets(4), 3);
        assert_eq!(yellow.sets(1), 1, "never below one set");
        assert!((yellow.load_factor - 0.9).abs() < 1e-9);
        assert!(!yellow.load_increase_allowed);
    }

    #[test]
    fn unknown_trains_as_planned_without_load_increases() {
        let unknown = from_recovery(RecoveryBand::Unknown);
        assert_eq!(unknown.sets(3), 3);
        assert!(!unknown.lightens_loads());
        assert!(!unknown.load_increase_allowed);
    }

    #[test]
    fn red_is_at_least_as_careful_as_yellow() {
        assert_eq!(
            from_recovery(RecoveryBand::Red),
            from_recovery(RecoveryBand::Yellow)
        );
    }
}
