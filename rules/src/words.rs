//! How vocabulary reads in user-facing reasons: "lower back", not `LOWER_BACK`.

use subgraph_common::vocab::{MovementPattern, Muscle};

use crate::snapshot::SlotTarget;

/// Lower case with spaces, e.g. "lower back".
pub(crate) fn muscle(muscle: Muscle) -> String {
    spoken(muscle.as_str())
}

/// Lower case with spaces, e.g. "horizontal push".
pub(crate) fn pattern(pattern: MovementPattern) -> String {
    spoken(pattern.as_str())
}

/// What a slot asks for, starting a sentence: "Hinge pattern" or "Targets biceps".
pub(crate) fn target(target: SlotTarget) -> String {
    match target {
        SlotTarget::Pattern(MovementPattern::Mobility) => "Mobility drill".to_owned(),
        SlotTarget::Pattern(MovementPattern::Stretch) => "Stretch".to_owned(),
        SlotTarget::Pattern(p) => capitalized(&format!("{} pattern", pattern(p))),
        SlotTarget::Muscle(m) => format!("Targets {}", muscle(m)),
    }
}

pub(crate) fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Clauses joined with semicolons as one sentence: "Hinge pattern; same load; aim for 9 reps".
pub(crate) fn clauses(parts: &[String]) -> String {
    let mut joined = String::new();
    for (index, part) in parts.iter().enumerate() {
        if index == 0 {
            joined.push_str(&capitalized(part));
        } else {
            joined.push_str("; ");
            joined.push_str(&decapitalized(part));
        }
    }
    joined
}

fn decapitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// "a", "a and b", "a, b and c".
pub(crate) fn listed(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [only] => only.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// "52.5 kg", or "50 kg" for whole numbers.
pub(crate) fn kilograms(kg: f64) -> String {
    if kg.fract() == 0.0 {
        format!("{kg:.0} kg")
    } else {
        format!("{kg:.1} kg")
    }
}

fn spoken(stored: &str) -> String {
    stored.to_lowercase().replace('_', " ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_reads_as_words() {
        assert_eq!(muscle(Muscle::LowerBack), "lower back");
        assert_eq!(
            target(SlotTarget::Pattern(MovementPattern::HorizontalPush)),
            "Horizontal push pattern"
        );
        assert_eq!(target(SlotTarget::Muscle(Muscle::Biceps)), "Targets biceps");
        assert_eq!(
            target(SlotTarget::Pattern(MovementPattern::Mobility)),
            "Mobility drill"
        );
    }

    #[test]
    fn lists_and_loads_read_naturally() {
        let items = ["a".to_owned(), "b".to_owned(), "c".to_owned()];
        assert_eq!(listed(&items), "a, b and c");
        assert_eq!(listed(&items[..1]), "a");
        assert_eq!(listed(&[]), "");
        assert_eq!(kilograms(50.0), "50 kg");
        assert_eq!(kilograms(52.5), "52.5 kg");
    }

    #[test]
    fn clauses_read_as_one_sentence() {
        let parts = [
            "hinge pattern".to_owned(),
            "Same load".to_owned(),
            "+5% load".to_owned(),
        ];
        assert_eq!(clauses(&parts), "Hinge pattern; same load; +5% load");
        assert_eq!(clauses(&[]), "");
    }
}
