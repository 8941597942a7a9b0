//! The profile subgraph's own enums. Stored ones are kept in the database as their
//! GraphQL names (`as_str()`), read back with `FromStr`, like the shared vocabulary.

use subgraph_common::stored_enum;
pub use subgraph_common::vocab::{RecoveryBand, TimeOfDay};

stored_enum! {
    /// The sex a user gave at onboarding (used for norms, never required).
    Sex {
        Female => "FEMALE",
        Male => "MALE",
        Other => "OTHER",
        Undisclosed => "UNDISCLOSED",
    }
}

stored_enum! {
    /// What a wearable reading measures.
    ReadingKind {
        /// Heart-rate variability as rMSSD, in milliseconds.
        HrvRmssd => "HRV_RMSSD",
        /// Resting heart rate, in beats per minute.
        RestingHeartRate => "RESTING_HEART_RATE",
        /// The wearable's sleep score, 0-100.
        SleepScore => "SLEEP_SCORE",
        /// Minutes asleep, 0-1440.
        SleepMinutes => "SLEEP_MINUTES",
    }
}

impl ReadingKind {
    /// The plausible values of this kind; anything outside is a device or client bug.
    pub fn valid_range(self) -> (f64, f64) {
        match self {
            ReadingKind::HrvRmssd => (1.0, 500.0),
            ReadingKind::RestingHeartRate => (20.0, 250.0),
            ReadingKind::SleepScore => (0.0, 100.0),
            ReadingKind::SleepMinutes => (0.0, 1440.0),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_values_round_trip() {
        for kind in ReadingKind::ALL {
            assert_eq!(kind.as_str().parse::<ReadingKind>(), Ok(*kind));
        }
        for sex in Sex::ALL {
            assert_eq!(sex.as_str().parse::<Sex>(), Ok(*sex));
        }
        assert!("SLEEPY".parse::<ReadingKind>().is_err());
    }
}
