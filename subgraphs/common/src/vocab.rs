//! The vocabulary several subgraphs share. Federation composes an enum that two
//! subgraphs both expose only when their values agree, so the shared ones live here once.
//!
//! Every enum is stored in the database as its GraphQL name (`SCREAMING_SNAKE_CASE`),
//! which `as_str` returns and `FromStr` reads back.

/// The value a stored or imported string failed to parse as.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("`{value}` is not a valid {kind}")]
pub struct UnknownValue {
    pub kind: &'static str,
    pub value: String,
}

/// Declares an enum stored as text: a GraphQL enum whose values are its
/// `SCREAMING_SNAKE_CASE` names, with `ALL`, `as_str`, `FromStr` and `Display`.
/// Subgraphs use it for their own stored enums too.
#[macro_export]
macro_rules! stored_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident => $text:literal),+ $(,)? }) => {
        #[derive(async_graphql::Enum, Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
        $(#[$meta])*
        pub enum $name { $($(#[$vmeta])* $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            pub fn as_str(self) -> &'static str {
                match self { $($name::$variant => $text),+ }
            }
        }

        impl ::std::str::FromStr for $name {
            type Err = $crate::vocab::UnknownValue;
            fn from_str(value: &str) -> Result<Self, Self::Err> {
                match value {
                    $($text => Ok($name::$variant),)+
                    _ => Err($crate::vocab::UnknownValue { kind: stringify!($name), value: value.to_owned() }),
                }
            }
        }

        impl ::std::fmt::Display for $name {
            fn fmt(&self, f: &mut ::std::fmt::Formatter<'_>) -> ::std::fmt::Result {
                f.write_str(self.as_str())
            }
        }
    };
}

/// The shared vocabulary also travels as JSON (read models, caches).
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident $body:tt) => {
        $crate::stored_enum! {
            #[derive(serde::Serialize, serde::Deserialize)]
            #[serde(rename_all = "SCREAMING_SNAKE_CASE")]
            $(#[$meta])*
            $name $body
        }
    };
}

vocabulary! {
    /// What a user trains for; templates are written per goal.
    Goal {
        WeightLoss => "WEIGHT_LOSS",
        MuscleGain => "MUSCLE_GAIN",
        Endurance => "ENDURANCE",
        Flexibility => "FLEXIBILITY",
        GeneralFitness => "GENERAL_FITNESS",
    }
}

vocabulary! {
    /// How experienced a user is.
    FitnessLevel {
        Beginner => "BEGINNER",
        Intermediate => "INTERMEDIATE",
        Advanced => "ADVANCED",
    }
}

vocabulary! {
    /// How demanding an exercise or template is, on the same scale as `FitnessLevel`.
    Difficulty {
        Beginner => "BEGINNER",
        Intermediate => "INTERMEDIATE",
        Advanced => "ADVANCED",
    }
}

vocabulary! {
    /// A piece of equipment an exercise needs or a user owns. `BODYWEIGHT` means none.
    Equipment {
        Bodyweight => "BODYWEIGHT",
        Barbell => "BARBELL",
        Dumbbell => "DUMBBELL",
        Kettlebell => "KETTLEBELL",
        Cable => "CABLE",
        Machine => "MACHINE",
        SmithMachine => "SMITH_MACHINE",
        ResistanceBand => "RESISTANCE_BAND",
        MedicineBall => "MEDICINE_BALL",
        StabilityBall => "STABILITY_BALL",
        FoamRoller => "FOAM_ROLLER",
        EzBar => "EZ_BAR",
        TrapBar => "TRAP_BAR",
        PullUpBar => "PULL_UP_BAR",
        SuspensionTrainer => "SUSPENSION_TRAINER",
        Bench => "BENCH",
        CardioMachine => "CARDIO_MACHINE",
        Other => "OTHER",
    }
}

vocabulary! {
    /// A muscle (group) an exercise works.
    Muscle {
        Abdominals => "ABDOMINALS",
        Abductors => "ABDUCTORS",
        Adductors => "ADDUCTORS",
        Biceps => "BICEPS",
        Calves => "CALVES",
        Chest => "CHEST",
        Forearms => "FOREARMS",
        Glutes => "GLUTES",
        Hamstrings => "HAMSTRINGS",
        Lats => "LATS",
        LowerBack => "LOWER_BACK",
        MiddleBack => "MIDDLE_BACK",
        Neck => "NECK",
        Quadriceps => "QUADRICEPS",
        Shoulders => "SHOULDERS",
        Traps => "TRAPS",
        Triceps => "TRICEPS",
    }
}

impl Muscle {
    /// Large groups need longer between hard sessions (72 h rather than 48 h).
    pub fn is_large(self) -> bool {
        matches!(
            self,
            Muscle::Quadriceps
                | Muscle::Hamstrings
                | Muscle::Glutes
                | Muscle::Chest
                | Muscle::Lats
                | Muscle::MiddleBack
                | Muscle::LowerBack
        )
    }
}

vocabulary! {
    /// The kind of training an exercise is.
    Category {
        Strength => "STRENGTH",
        Stretching => "STRETCHING",
        Plyometrics => "PLYOMETRICS",
        Powerlifting => "POWERLIFTING",
        OlympicWeightlifting => "OLYMPIC_WEIGHTLIFTING",
        Strongman => "STRONGMAN",
        Cardio => "CARDIO",
    }
}

vocabulary! {
    /// Whether an exercise moves one joint or several.
    Mechanic {
        Compound => "COMPOUND",
        Isolation => "ISOLATION",
    }
}

vocabulary! {
    /// The direction of force an exercise is built around.
    Force {
        Push => "PUSH",
        Pull => "PULL",
        Static => "STATIC",
    }
}

vocabulary! {
    /// The fundamental movement an exercise trains; templates can ask for a pattern.
    MovementPattern {
        Squat => "SQUAT",
        Hinge => "HINGE",
        Lunge => "LUNGE",
        HorizontalPush => "HORIZONTAL_PUSH",
        VerticalPush => "VERTICAL_PUSH",
        HorizontalPull => "HORIZONTAL_PULL",
        VerticalPull => "VERTICAL_PULL",
        Carry => "CARRY",
        Core => "CORE",
        Rotation => "ROTATION",
        ArmIsolation => "ARM_ISOLATION",
        LegIsolation => "LEG_ISOLATION",
        ShoulderIsolation => "SHOULDER_ISOLATION",
        Locomotion => "LOCOMOTION",
        Jump => "JUMP",
        OlympicLift => "OLYMPIC_LIFT",
        Stretch => "STRETCH",
        Mobility => "MOBILITY",
    }
}

vocabulary! {
    /// When a user prefers to train.
    TimeOfDay {
        Morning => "MORNING",
        Midday => "MIDDAY",
        Afternoon => "AFTERNOON",
        Evening => "EVENING",
        Any => "ANY",
    }
}

vocabulary! {
    /// How ready a user is to train hard today.
    RecoveryBand {
        /// Recovered: train as planned.
        Green => "GREEN",
        /// Somewhat strained: keep intensity moderate.
        Yellow => "YELLOW",
        /// Strained: rest or train lightly.
        Red => "RED",
        /// Not enough recent data to judge.
        Unknown => "UNKNOWN",
    }
}

impl RecoveryBand {
    /// One step worse (used when sleep has been poor); RED and UNKNOWN stay as they are.
    pub fn lowered(self) -> RecoveryBand {
        match self {
            RecoveryBand::Green => RecoveryBand::Yellow,
            RecoveryBand::Yellow | RecoveryBand::Red => RecoveryBand::Red,
            RecoveryBand::Unknown => RecoveryBand::Unknown,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_value_round_trips_through_its_stored_text() {
        for muscle in Muscle::ALL {
            assert_eq!(muscle.as_str().parse::<Muscle>(), Ok(*muscle));
        }
        for equipment in Equipment::ALL {
            assert_eq!(equipment.as_str().parse::<Equipment>(), Ok(*equipment));
        }
        for pattern in MovementPattern::ALL {
            assert_eq!(pattern.as_str().parse::<MovementPattern>(), Ok(*pattern));
        }
        for time in TimeOfDay::ALL {
            assert_eq!(time.as_str().parse::<TimeOfDay>(), Ok(*time));
        }
        for band in RecoveryBand::ALL {
            assert_eq!(band.as_str().parse::<RecoveryBand>(), Ok(*band));
        }
    }

    #[test]
    fn lowering_a_band_goes_one_step_towards_red() {
        assert_eq!(RecoveryBand::Green.lowered(), RecoveryBand::Yellow);
        assert_eq!(RecoveryBand::Yellow.lowered(), RecoveryBand::Red);
        assert_eq!(RecoveryBand::Red.lowered(), RecoveryBand::Red);
        assert_eq!(RecoveryBand::Unknown.lowered(), RecoveryBand::Unknown);
    }

    #[test]
    fn unknown_text_names_the_kind_and_value() {
        let err = "BARBEL".parse::<Equipment>().unwrap_err();
        assert_eq!(err.to_string(), "`BARBEL` is not a valid Equipment");
    }
}
