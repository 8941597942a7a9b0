use std::collections::{HashMap, HashSet};

use subgraph_common::vocab::{Category, Difficulty, Equipment, Goal, MovementPattern, Muscle};

use super::model::{PAUSE, UNI};
use super::templates::slot_seconds;
use super::*;

fn is_flexibility(exercise: &ExerciseSeed) -> bool {
    exercise.category == Category::Stretching
        || matches!(
            exercise.movement_pattern,
            MovementPattern::Stretch | MovementPattern::Mobility
        )
}

#[test]
fn catalog_has_at_least_five_thousand_exercises() {
    let count = exercises().len();
    assert!(count >= 5_000, "only {count} exercises");
}

#[test]
fn slugs_and_names_are_unique() {
    let all = exercises();
    let mut slugs = HashSet::new();
    let mut names = HashSet::new();
    for exercise in &all {
        assert!(
            slugs.insert(exercise.slug.as_str()),
            "duplicate slug {}",
            exercise.slug
        );
        assert!(
            names.insert(exercise.name.as_str()),
            "duplicate name {}",
            exercise.name
        );
    }
}

#[test]
fn slugs_are_lowercase_hyphenated_and_follow_the_name() {
    for exercise in exercises() {
        let slug = &exercise.slug;
        assert!(slug.len() <= 140, "{slug} is too long");
        assert!(
            slug.split('-').all(|part| !part.is_empty()
                && part
                    .bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())),
            "{slug} is not lowercase-hyphenated"
        );
        assert_eq!(*slug, variants::slugify(&exercise.name));
    }
}

#[test]
fn every_exercise_has_distinct_primary_and_secondary_muscles() {
    for exercise in exercises() {
        assert!(
            !exercise.primary_muscles.is_empty(),
            "{} has no primary muscle",
            exercise.name
        );
        let mut seen = HashSet::new();
        for muscle in exercise
            .primary_muscles
            .iter()
            .chain(&exercise.secondary_muscles)
        {
            assert!(
                seen.insert(*muscle),
                "{} lists {muscle} twice",
                exercise.name
            );
        }
    }
}

#[test]
fn every_exercise_has_at_least_three_alternatives_on_its_main_muscle() {
    let all = exercises();
    let mut by_main: HashMap<Muscle, usize> = HashMap::new();
    for exercise in &all {
        *by_main.entry(exercise.primary_muscles[0]).or_default() += 1;
    }
    for exercise in &all {
        let others = by_main[&exercise.primary_muscles[0]] - 1;
        assert!(
            others >= 3,
            "{} has only {others} alternatives",
            exercise.name
        );
    }
}

#[test]
fn every_muscle_is_a_primary_muscle_somewhere() {
    let primary: HashSet<Muscle> = exercises()
        .iter()
        .flat_map(|e| e.primary_muscles.clone())
        .collect();
    for muscle in Muscle::ALL {
        assert!(
            primary.contains(muscle),
            "no exercise works {muscle} as a primary muscle"
        );
    }
}

#[test]
fn stretches_use_no_weights_and_no_grip_variants() {
    use Equipment::*;
    for exercise in exercises().iter().filter(|e| is_flexibility(e)) {
        assert!(
            matches!(
                exercise.equipment,
                Bodyweight | ResistanceBand | FoamRoller | StabilityBall
            ),
            "{} uses {}",
            exercise.name,
            exercise.equipment
        );
        assert!(
            !exercise.name.contains("Grip"),
            "{} has a grip variant",
            exercise.name
        );
    }
}

#[test]
fn cardio_uses_machines_bodyweight_or_other() {
    use Equipment::*;
    for exercise in exercises()
        .iter()
        .filter(|e| e.movement_pattern == MovementPattern::Locomotion)
    {
        let fits = matches!(exercise.equipment, CardioMachine | Bodyweight | Other);
        assert!(fits, "{} uses {}", exercise.name, exercise.equipment);
    }
}

#[test]
fn instructions_are_complete_sentences_with_no_placeholders_left() {
    for exercise in exercises() {
        let steps = &exercise.instructions;
        assert!(
            (3..=6).contains(&steps.len()),
            "{} has {} steps",
            exercise.name,
            steps.len()
        );
        let distinct: HashSet<&String> = steps.iter().collect();
        assert_eq!(
            distinct.len(),
            steps.len(),
            "{} repeats a step",
            exercise.name
        );
        for step in steps {
            assert!(
                !step.contains(['{', '}']),
                "{}: unfilled placeholder in {step:?}",
                exercise.name
            );
            assert!(
                step.ends_with('.'),
                "{}: {step:?} is not a sentence",
                exercise.name
            );
            assert!(
                !step.contains("  ") && !step.contains(" ."),
                "{}: spacing in {step:?}",
                exercise.name
            );
        }
    }
}

#[test]
fn movement_tables_are_consistent() {
    for movement in data::all() {
        assert!(
            !movement.eq.is_empty() && !movement.pri.is_empty(),
            "{} is incomplete",
            movement.name
        );
        let text = movement.steps.join(" ");
        assert!(
            movement.axes & PAUSE == 0 || !movement.pause.is_empty(),
            "{} pauses nowhere",
            movement.name
        );
        assert!(
            !text.contains("{grip}") || !movement.grip.is_empty(),
            "{} lacks a default grip",
            movement.name
        );
        assert!(
            !text.contains("{stance}") || !movement.stance.is_empty(),
            "{} lacks a default stance",
            movement.name
        );
    }
}

#[test]
fn variants_are_never_easier_than_their_base_for_harder_modifiers() {
    let all = exercises();
    let by_name: HashMap<&str, &ExerciseSeed> = all.iter().map(|e| (e.name.as_str(), e)).collect();
    let mut checked = 0;
    for exercise in &all {
        let base = exercise
            .name
            .strip_prefix("Single-Arm ")
            .or_else(|| exercise.name.strip_prefix("Single-Leg "));
        if let Some(base) = base.and_then(|name| by_name.get(name)) {
            checked += 1;
            assert!(
                exercise.difficulty >= base.difficulty,
                "{} is easier than {}",
                exercise.name,
                base.name
            );
            let plain = !base.name.contains('(');
            let harder =
                base.difficulty == Difficulty::Advanced || exercise.difficulty > base.difficulty;
            assert!(
                !plain || harder,
                "{} is not harder than {}",
                exercise.name,
                base.name
            );
        }
    }
    assert!(
        checked > 100,
        "only {checked} unilateral variants matched their base"
    );
    assert!(data::all().filter(|m| m.axes & UNI != 0).count() > 20);
}

#[test]
fn catalog_and_templates_are_deterministic() {
    assert_eq!(exercises(), exercises());
    assert_eq!(templates(), templates());
}

#[test]
fn templates_cover_every_goal_and_difficulty_with_two_durations() {
    let all = templates();
    let slugs: HashSet<&str> = all.iter().map(|t| t.slug.as_str()).collect();
    assert_eq!(slugs.len(), all.len(), "template slugs are not unique");
    for goal in Goal::ALL {
        for difficulty in Difficulty::ALL {
            let durations: HashSet<u16> = all
                .iter()
                .filter(|t| t.goal == *goal && t.difficulty == *difficulty)
                .map(|t| t.duration_minutes)
                .collect();
            assert!(
                durations.len() >= 2,
                "{goal} {difficulty} has durations {durations:?}"
            );
        }
    }
}

#[test]
fn every_template_slot_has_an_exercise_at_or_below_the_template_difficulty() {
    let all = exercises();
    for template in templates() {
        assert!(!template.slots.is_empty(), "{} has no slots", template.name);
        for slot in &template.slots {
            let found = all
                .iter()
                .any(|e| slot.target.matches(e) && e.difficulty <= template.difficulty);
            assert!(found, "{}: nothing fills {:?}", template.name, slot.target);
        }
    }
}

#[test]
fn templates_follow_their_goal() {
    for template in templates() {
        let patterns: Vec<MovementPattern> = template
            .slots
            .iter()
            .filter_map(|s| match s.target {
                SlotTarget::Pattern(p) => Some(p),
                SlotTarget::Muscle(_) => None,
            })
            .collect();
        match template.goal {
            Goal::WeightLoss | Goal::Endurance => assert!(
                patterns
                    .iter()
                    .any(|p| matches!(p, MovementPattern::Locomotion | MovementPattern::Jump)),
                "{} has no cardio or circuit slot",
                template.name
            ),
            Goal::Flexibility => assert!(
                patterns.len() == template.slots.len()
                    && patterns
                        .iter()
                        .all(|p| matches!(p, MovementPattern::Stretch | MovementPattern::Mobility)),
                "{} has a slot that is not a stretch or mobility drill",
                template.name
            ),
            _ => {}
        }
        for slot in template.slots.iter().filter(|s| s.unit() == SlotUnit::Reps) {
            let (low, high, rest) = match template.goal {
                Goal::MuscleGain => (6, 12, 60..=120),
                Goal::WeightLoss => (10, 15, 0..=60),
                Goal::Endurance => (15, 25, 0..=30),
                _ => (6, 15, 0..=120),
            };
            assert!(
                slot.rep_min >= low && slot.rep_max <= high && slot.rep_min <= slot.rep_max,
                "{}",
                template.name
            );
            assert!(
                rest.contains(&slot.rest_seconds),
                "{}: rest {}",
                template.name,
                slot.rest_seconds
            );
        }
    }
}

#[test]
fn template_durations_fit_their_slots() {
    for template in templates() {
        let estimate: u32 = template.slots.iter().map(slot_seconds).sum();
        let budget = u32::from(template.duration_minutes) * 60;
        let off = estimate.abs_diff(budget);
        assert!(
            off * 100 <= budget * 15,
            "{}: slots take {estimate} s of {budget} s",
            template.name
        );
    }
}

#[test]
fn no_name_puts_the_body_in_two_positions() {
    let positions = [
        "Standing",
        "Seated",
        "Kneeling",
        "Half-Kneeling",
        "Tall-Kneeling",
        "Lying",
    ];
    for exercise in exercises() {
        let words: Vec<&str> = exercise
            .name
            .split(|c: char| c.is_whitespace() || c == '(' || c == ')' || c == ',')
            .filter(|word| positions.contains(word))
            .collect();
        let distinct: HashSet<&&str> = words.iter().collect();
        assert!(
            distinct.len() <= 1,
            "{} names two body positions",
            exercise.name
        );
    }
}
