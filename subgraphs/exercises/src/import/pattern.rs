//! Guessing the movement pattern of an imported exercise, which free-exercise-db
//! does not record. A small heuristic, in this order:
//!
//! 1. Some categories settle it: stretching is `STRETCH` (`MOBILITY` on a foam
//!    roller), olympic weightlifting `OLYMPIC_LIFT`, cardio `LOCOMOTION`,
//!    plyometrics `JUMP`.
//! 2. Otherwise the first group of telling words found in the name wins (see
//!    `NAME_RULES`; more specific phrases come before the words they contain, e.g.
//!    "leg curl" before "curl").
//! 3. Otherwise the first primary muscle, with the force and mechanic, picks one
//!    (see `by_muscle`).
//!
//! Words are compared lowercased, punctuation as spaces and a plural `s` dropped,
//! so "Push-Ups" matches "push up".

use subgraph_common::vocab::{Category, Equipment, Force, Mechanic, MovementPattern, Muscle};

/// What the heuristic looks at.
pub(crate) struct PatternClues<'a> {
    pub name: &'a str,
    pub category: Category,
    pub force: Option<Force>,
    pub mechanic: Option<Mechanic>,
    pub primary: Muscle,
    pub equipment: Equipment,
}

const NAME_RULES: &[(MovementPattern, &[&str])] = &[
    (MovementPattern::OlympicLift, &["clean", "snatch", "jerk"]),
    (
        MovementPattern::Carry,
        &["carry", "farmer walk", "farmers walk", "yoke", "suitcase"],
    ),
    (
        MovementPattern::Lunge,
        &["lunge", "split squat", "step up", "stepup"],
    ),
    (MovementPattern::Squat, &["squat", "leg press", "hack"]),
    (
        MovementPattern::Hinge,
        &[
            "deadlift",
            "good morning",
            "hip thrust",
            "bridge",
            "swing",
            "hyperextension",
            "back extension",
            "pull through",
        ],
    ),
    (
        MovementPattern::VerticalPull,
        &[
            "pull up",
            "pullup",
            "chin up",
            "chinup",
            "pulldown",
            "pull down",
            "pullover",
        ],
    ),
    (MovementPattern::HorizontalPull, &["row", "face pull"]),
    (
        MovementPattern::VerticalPush,
        &[
            "overhead press",
            "military press",
            "shoulder press",
            "push press",
            "arnold press",
            "handstand",
        ],
    ),
    (
        MovementPattern::HorizontalPush,
        &[
            "bench press",
            "push up",
            "pushup",
            "chest press",
            "floor press",
            "fly",
            "flye",
            "dip",
        ],
    ),
    (
        MovementPattern::Rotation,
        &["twist", "rotation", "woodchop", "wood chop", "chop"],
    ),
    (
        MovementPattern::Core,
        &[
            "crunch",
            "sit up",
            "situp",
            "plank",
            "leg raise",
            "knee raise",
            "rollout",
            "ab roller",
            "jackknife",
        ],
    ),
    (
        MovementPattern::LegIsolation,
        &[
            "leg curl",
            "leg extension",
            "calf",
            "calves",
            "adductor",
            "abductor",
            "adduction",
            "abduction",
        ],
    ),
    (
        MovementPattern::ArmIsolation,
        &[
            "curl",
            "tricep",
            "triceps",
            "skullcrusher",
            "skull crusher",
            "kickback",
            "pushdown",
            "wrist",
        ],
    ),
    (
        MovementPattern::ShoulderIsolation,
        &[
            "lateral raise",
            "front raise",
            "rear delt",
            "shrug",
            "raise",
        ],
    ),
];

pub(crate) fn infer_pattern(clues: &PatternClues<'_>) -> MovementPattern {
    if let Some(pattern) = by_category(clues.category, clues.equipment) {
        return pattern;
    }
    let name = normalized(clues.name);
    NAME_RULES
        .iter()
        .find(|(_, phrases)| {
            phrases
                .iter()
                .any(|phrase| name.contains(&normalized(phrase)))
        })
        .map(|(pattern, _)| *pattern)
        .unwrap_or_else(|| by_muscle(clues.primary, clues.force, clues.mechanic))
}

fn by_category(category: Category, equipment: Equipment) -> Option<MovementPattern> {
    match category {
        Category::Stretching if equipment == Equipment::FoamRoller => {
            Some(MovementPattern::Mobility)
        }
        Category::Stretching => Some(MovementPattern::Stretch),
        Category::OlympicWeightlifting => Some(MovementPattern::OlympicLift),
        Category::Cardio => Some(MovementPattern::Locomotion),
        Category::Plyometrics => Some(MovementPattern::Jump),
        Category::Strength | Category::Powerlifting | Category::Strongman => None,
    }
}

fn by_muscle(primary: Muscle, force: Option<Force>, mechanic: Option<Mechanic>) -> MovementPattern {
    let compound = mechanic == Some(Mechanic::Compound);
    match primary {
        Muscle::Abdominals => MovementPattern::Core,
        Muscle::Biceps | Muscle::Triceps | Muscle::Forearms => MovementPattern::ArmIsolation,
        Muscle::Calves | Muscle::Adductors | Muscle::Abductors => MovementPattern::LegIsolation,
        Muscle::Quadriceps if compound => MovementPattern::Squat,
        Muscle::Hamstrings | Muscle::Glutes | Muscle::LowerBack if compound => {
            MovementPattern::Hinge
        }
        Muscle::Quadriceps | Muscle::Hamstrings | Muscle::Glutes => MovementPattern::LegIsolation,
        Muscle::LowerBack => MovementPattern::Hinge,
        Muscle::Chest => MovementPattern::HorizontalPush,
        Muscle::Shoulders if compound && force == Some(Force::Push) => {
            MovementPattern::VerticalPush
        }
        Muscle::Shoulders | Muscle::Traps => MovementPattern::ShoulderIsolation,
        Muscle::Lats => MovementPattern::VerticalPull,
        Muscle::MiddleBack => MovementPattern::HorizontalPull,
        Muscle::Neck => MovementPattern::Mobility,
    }
}

/// ` word word ` : lowercased, apostrophes dropped, other punctuation as spaces, a
/// trailing plural `s` dropped.
fn normalized(text: &str) -> String {
    let lowered: String = text
        .chars()
        .filter(|ch| !matches!(ch, '\'' | '\u{2019}'))
        .map(|ch| {
            if ch.is_alphanumeric() {
                ch.to_ascii_lowercase()
            } else {
                ' '
            }
        })
        .collect();
    let mut out = String::from(" ");
    for word in lowered.split_whitespace() {
        let singular = match word.strip_suffix('s') {
            Some(stem) if word.len() >= 3 && !word.ends_with("ss") => stem,
            _ => word,
        };
        out.push_str(singular);
        out.push(' ');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn guess(name: &str, category: Category, primary: Muscle) -> MovementPattern {
        infer_pattern(&PatternClues {
            name,
            category,
            force: Some(Force::Pull),
            mechanic: Some(Mechanic::Compound),
            primary,
            equipment: Equipment::Barbell,
        })
    }

    #[test]
    fn names_decide_before_muscles() {
        assert_eq!(
            guess("Barbell Full Squat", Category::Strength, Muscle::Quadriceps),
            MovementPattern::Squat
        );
        assert_eq!(
            guess(
                "Dumbbell Split Squats",
                Category::Strength,
                Muscle::Quadriceps
            ),
            MovementPattern::Lunge
        );
        assert_eq!(
            guess("Lying Leg Curls", Category::Strength, Muscle::Hamstrings),
            MovementPattern::LegIsolation
        );
        assert_eq!(
            guess("Hammer Curls", Category::Strength, Muscle::Biceps),
            MovementPattern::ArmIsolation
        );
        assert_eq!(
            guess(
                "Push-Ups - Close Triceps Position",
                Category::Strength,
                Muscle::Triceps
            ),
            MovementPattern::HorizontalPush
        );
        assert_eq!(
            guess(
                "Bent Over Barbell Row",
                Category::Strength,
                Muscle::MiddleBack
            ),
            MovementPattern::HorizontalPull
        );
        assert_eq!(
            guess("Romanian Deadlift", Category::Strength, Muscle::Hamstrings),
            MovementPattern::Hinge
        );
        assert_eq!(
            guess("Standing Calf Raises", Category::Strength, Muscle::Calves),
            MovementPattern::LegIsolation
        );
    }

    #[test]
    fn categories_and_muscles_fill_in() {
        assert_eq!(
            guess(
                "Hang Clean",
                Category::OlympicWeightlifting,
                Muscle::Quadriceps
            ),
            MovementPattern::OlympicLift
        );
        assert_eq!(
            guess(
                "Chair Lower Back Stretch",
                Category::Stretching,
                Muscle::Lats
            ),
            MovementPattern::Stretch
        );
        assert_eq!(
            guess("Box Jump", Category::Plyometrics, Muscle::Hamstrings),
            MovementPattern::Jump
        );
        assert_eq!(
            guess("Atlas Stones", Category::Strongman, Muscle::LowerBack),
            MovementPattern::Hinge
        );
        assert_eq!(
            guess("Mystery Move", Category::Strength, Muscle::Lats),
            MovementPattern::VerticalPull
        );
    }

    #[test]
    fn normalizing_drops_punctuation_case_and_plurals() {
        assert_eq!(normalized("Push-Ups, Wide"), " push up wide ");
        assert_eq!(normalized("Bench Press"), " bench press ");
        assert_eq!(normalized("Farmer's Walk"), " farmer walk ");
    }
}
