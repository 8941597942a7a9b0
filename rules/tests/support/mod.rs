//! A realistic fixture library: a few dozen exercises across patterns, muscles, equipment,
//! categories and difficulties, and templates shaped like the exercises subgraph's (per goal
//! and difficulty, 30 and 60 minutes, filled by the same time estimate).

#![allow(dead_code)]

pub mod coherence;

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use chrono::{NaiveDate, TimeZone, Utc};
use fitgraph_rules::{
    DayContext, Library, RepUnit, SlotTarget, Template, TemplateSlot, TrainingSignals, UserSnapshot,
};
use subgraph_common::catalog::ExerciseSummary;
use subgraph_common::vocab::{
    Category, Difficulty, Equipment, FitnessLevel, Goal, MovementPattern, Muscle, RecoveryBand,
    TimeOfDay,
};
use uuid::Uuid;

use Category::{
    Cardio, OlympicWeightlifting, Plyometrics, Powerlifting, Strength, Stretching, Strongman,
};
use Difficulty::{Advanced as Adv, Beginner as Beg, Intermediate as Int};
use Equipment as E;
use MovementPattern as P;
use Muscle as M;

type Row = (
    &'static str,
    Category,
    Difficulty,
    Equipment,
    MovementPattern,
    &'static [Muscle],
    &'static [Muscle],
);

#[rustfmt::skip]
const EXERCISES: &[Row] = &[
    ("Bodyweight Squat", Strength, Beg, E::Bodyweight, P::Squat, &[M::Quadriceps, M::Glutes], &[M::Hamstrings]),
    ("Goblet Squat", Strength, Beg, E::Dumbbell, P::Squat, &[M::Quadriceps, M::Glutes], &[M::Abdominals]),
    ("Leg Press", Strength, Beg, E::Machine, P::Squat, &[M::Quadriceps], &[M::Glutes]),
    ("Barbell Back Squat", Powerlifting, Int, E::Barbell, P::Squat, &[M::Quadriceps, M::Glutes], &[M::Hamstrings, M::LowerBack]),
    ("Pistol Squat", Strength, Adv, E::Bodyweight, P::Squat, &[M::Quadriceps], &[M::Glutes, M::Abdominals]),
    ("Glute Bridge", Strength, Beg, E::Bodyweight, P::Hinge, &[M::Glutes], &[M::Hamstrings]),
    ("Dumbbell Romanian Deadlift", Strength, Beg, E::Dumbbell, P::Hinge, &[M::Hamstrings], &[M::Glutes, M::LowerBack]),
    ("Romanian Deadlift", Strength, Int, E::Barbell, P::Hinge, &[M::Hamstrings], &[M::Glutes, M::LowerBack]),
    ("Kettlebell Swing", Strength, Int, E::Kettlebell, P::Hinge, &[M::Glutes, M::Hamstrings], &[M::LowerBack]),
    ("Conventional Deadlift", Powerlifting, Adv, E::Barbell, P::Hinge, &[M::Hamstrings, M::Glutes, M::LowerBack], &[M::Traps]),
    ("Reverse Lunge", Strength, Beg, E::Bodyweight, P::Lunge, &[M::Quadriceps, M::Glutes], &[]),
    ("Dumbbell Walking Lunge", Strength, Int, E::Dumbbell, P::Lunge, &[M::Quadriceps, M::Glutes], &[M::Hamstrings]),
    ("Bulgarian Split Squat", Strength, Adv, E::Dumbbell, P::Lunge, &[M::Quadriceps], &[M::Glutes]),
    ("Push-Up", Strength, Beg, E::Bodyweight, P::HorizontalPush, &[M::Chest], &[M::Triceps, M::Shoulders]),
    ("Dumbbell Bench Press", Strength, Beg, E::Dumbbell, P::HorizontalPush, &[M::Chest], &[M::Triceps, M::Shoulders]),
    ("Barbell Bench Press", Powerlifting, Int, E::Barbell, P::HorizontalPush, &[M::Chest], &[M::Triceps, M::Shoulders]),
    ("Deficit Push-Up", Strength, Adv, E::Bodyweight, P::HorizontalPush, &[M::Chest], &[M::Triceps]),
    ("Dumbbell Chest Fly", Strength, Int, E::Dumbbell, P::HorizontalPush, &[M::Chest], &[]),
    ("Pike Push-Up", Strength, Int, E::Bodyweight, P::VerticalPush, &[M::Shoulders], &[M::Triceps]),
    ("Dumbbell Shoulder Press", Strength, Beg, E::Dumbbell, P::VerticalPush, &[M::Shoulders], &[M::Triceps]),
    ("Barbell Overhead Press", Strength, Int, E::Barbell, P::VerticalPush, &[M::Shoulders], &[M::Triceps, M::Abdominals]),
    ("Towel Door Row", Strength, Beg, E::Bodyweight, P::HorizontalPull, &[M::MiddleBack], &[M::Biceps]),
    ("Suspension Row", Strength, Beg, E::SuspensionTrainer, P::HorizontalPull, &[M::MiddleBack, M::Lats], &[M::Biceps]),
    ("Dumbbell Row", Strength, Beg, E::Dumbbell, P::HorizontalPull, &[M::MiddleBack, M::Lats], &[M::Biceps]),
    ("Barbell Row", Strength, Int, E::Barbell, P::HorizontalPull, &[M::MiddleBack, M::Lats], &[M::Biceps, M::LowerBack]),
    ("Band Row", Strength, Beg, E::ResistanceBand, P::HorizontalPull, &[M::MiddleBack], &[M::Biceps]),
    ("Pull-Up", Strength, Int, E::PullUpBar, P::VerticalPull, &[M::Lats], &[M::Biceps, M::MiddleBack]),
    ("Lat Pulldown", Strength, Beg, E::Cable, P::VerticalPull, &[M::Lats], &[M::Biceps]),
    ("Band Pulldown", Strength, Beg, E::ResistanceBand, P::VerticalPull, &[M::Lats], &[M::Biceps]),
    ("Dumbbell Curl", Strength, Beg, E::Dumbbell, P::ArmIsolation, &[M::Biceps], &[M::Forearms]),
    ("Band Curl", Strength, Beg, E::ResistanceBand, P::ArmIsolation, &[M::Biceps], &[]),
    ("Bench Dip", Strength, Beg, E::Bodyweight, P::ArmIsolation, &[M::Triceps], &[M::Chest, M::Shoulders]),
    ("Dumbbell Overhead Triceps Extension", Strength, Beg, E::Dumbbell, P::ArmIsolation, &[M::Triceps], &[]),
    ("Standing Calf Raise", Strength, Beg, E::Bodyweight, P::LegIsolation, &[M::Calves], &[]),
    ("Leg Curl", Strength, Beg, E::Machine, P::LegIsolation, &[M::Hamstrings], &[]),
    ("Nordic Hamstring Curl", Strength, Adv, E::Bodyweight, P::LegIsolation, &[M::Hamstrings], &[M::Glutes]),
    ("Dumbbell Lateral Raise", Strength, Beg, E::Dumbbell, P::ShoulderIsolation, &[M::Shoulders], &[]),
    ("Band Pull-Apart", Strength, Beg, E::ResistanceBand, P::ShoulderIsolation, &[M::Shoulders], &[M::MiddleBack, M::Traps]),
    ("Dumbbell Shrug", Strength, Beg, E::Dumbbell, P::ShoulderIsolation, &[M::Traps], &[M::Forearms]),
    ("Plank", Strength, Beg, E::Bodyweight, P::Core, &[M::Abdominals], &[M::Shoulders, M::Glutes]),
    ("Dead Bug", Strength, Beg, E::Bodyweight, P::Core, &[M::Abdominals], &[]),
    ("Ab Wheel Rollout", Strength, Int, E::Other, P::Core, &[M::Abdominals], &[M::Lats]),
    ("Hanging Leg Raise", Strength, Adv, E::PullUpBar, P::Core, &[M::Abdominals], &[M::Forearms]),
    ("Russian Twist", Strength, Beg, E::Bodyweight, P::Rotation, &[M::Abdominals], &[]),
    ("Cable Woodchop", Strength, Int, E::Cable, P::Rotation, &[M::Abdominals], &[M::Shoulders]),
    ("Medicine Ball Rotational Throw", Plyometrics, Int, E::MedicineBall, P::Rotation, &[M::Abdominals], &[M::Shoulders]),
    ("Farmer's Carry", Strength, Beg, E::Dumbbell, P::Carry, &[M::Forearms, M::Traps], &[M::Abdominals]),
    ("Yoke Carry", Strongman, Adv, E::Other, P::Carry, &[M::Traps, M::Quadriceps, M::Abdominals], &[]),
    ("Sandbag Bear-Hug Carry", Strongman, Int, E::Other, P::Carry, &[M::Abdominals, M::MiddleBack], &[]),
    ("High Knees", Cardio, Beg, E::Bodyweight, P::Locomotion, &[M::Quadriceps], &[M::Calves]),
    ("Shadow Boxing", Cardio, Beg, E::Bodyweight, P::Locomotion, &[M::Shoulders], &[]),
    ("Rowing Machine Intervals", Cardio, Beg, E::CardioMachine, P::Locomotion, &[M::MiddleBack, M::Quadriceps], &[]),
    ("Stationary Bike", Cardio, Beg, E::CardioMachine, P::Locomotion, &[M::Quadriceps], &[]),
    ("Squat Jump", Plyometrics, Beg, E::Bodyweight, P::Jump, &[M::Quadriceps, M::Glutes], &[M::Calves]),
    ("Burpee", Plyometrics, Int, E::Bodyweight, P::Jump, &[M::Quadriceps, M::Chest], &[M::Shoulders, M::Abdominals]),
    ("Box Jump", Plyometrics, Int, E::Other, P::Jump, &[M::Quadriceps, M::Glutes], &[]),
    ("Depth Jump", Plyometrics, Adv, E::Other, P::Jump, &[M::Quadriceps, M::Glutes], &[M::Calves]),
    ("Power Clean", OlympicWeightlifting, Adv, E::Barbell, P::OlympicLift, &[M::Quadriceps, M::Glutes, M::Traps], &[M::Shoulders]),
    ("Dumbbell Snatch", OlympicWeightlifting, Int, E::Dumbbell, P::OlympicLift, &[M::Shoulders, M::Glutes], &[M::Traps]),
    ("Standing Hamstring Stretch", Stretching, Beg, E::Bodyweight, P::Stretch, &[M::Hamstrings], &[M::Calves]),
    ("Banded Hamstring Stretch", Stretching, Beg, E::ResistanceBand, P::Stretch, &[M::Hamstrings], &[]),
    ("Couch Stretch", Stretching, Int, E::Bodyweight, P::Stretch, &[M::Quadriceps], &[]),
    ("Standing Quad Stretch", Stretching, Beg, E::Bodyweight, P::Stretch, &[M::Quadriceps], &[]),
    ("Figure-Four Glute Stretch", Stretching, Beg, E::Bodyweight, P::Stretch, &[M::Glutes], &[]),
    ("Doorway Chest Stretch", Stretching, Beg, E::Bodyweight, P::Stretch, &[M::Chest], &[M::Shoulders]),
    ("Child's Pose Lat Stretch", Stretching, Beg, E::Bodyweight, P::Stretch, &[M::Lats], &[M::LowerBack]),
    ("Cross-Body Shoulder Stretch", Stretching, Beg, E::Bodyweight, P::Stretch, &[M::Shoulders], &[]),
    ("Standing Calf Stretch", Stretching, Beg, E::Bodyweight, P::Stretch, &[M::Calves], &[]),
    ("Butterfly Stretch", Stretching, Beg, E::Bodyweight, P::Stretch, &[M::Adductors], &[]),
    ("Knee-to-Chest Stretch", Stretching, Beg, E::Bodyweight, P::Stretch, &[M::LowerBack], &[M::Glutes]),
    ("Kettlebell Goblet Squat Hold", Stretching, Beg, E::Kettlebell, P::Stretch, &[M::Adductors], &[M::Quadriceps]),
    ("Cat-Cow", Stretching, Beg, E::Bodyweight, P::Mobility, &[M::LowerBack], &[M::Abdominals]),
    ("Hip Circles", Stretching, Beg, E::Bodyweight, P::Mobility, &[M::Glutes], &[M::Adductors]),
    ("World's Greatest Stretch", Stretching, Int, E::Bodyweight, P::Mobility, &[M::Glutes, M::Hamstrings], &[M::Shoulders]),
    ("Foam Roll Quads", Stretching, Beg, E::FoamRoller, P::Mobility, &[M::Quadriceps], &[]),
];

/// Deprecated entries: never prescribed.
#[rustfmt::skip]
const DEPRECATED: &[Row] = &[
    ("Old Smith Squat", Strength, Beg, E::SmithMachine, P::Squat, &[M::Quadriceps], &[M::Glutes]),
    ("Old Toe Touch", Stretching, Beg, E::Bodyweight, P::Stretch, &[M::Hamstrings], &[]),
];

/// A stable id per exercise name.
pub fn id(name: &str) -> Uuid {
    let index = EXERCISES
        .iter()
        .chain(DEPRECATED)
        .position(|row| row.0 == name)
        .unwrap_or_else(|| panic!("{name} is not in the fixture"));
    Uuid::from_u128(0xE000 + index as u128)
}

fn summary(row: &Row, deprecated: bool) -> ExerciseSummary {
    let (name, category, difficulty, equipment, pattern, primary, secondary) = *row;
    ExerciseSummary {
        id: id(name),
        name: name.to_owned(),
        category,
        difficulty,
        equipment,
        movement_pattern: pattern,
        primary_muscles: primary.to_vec(),
        secondary_muscles: secondary.to_vec(),
        deprecated,
    }
}

pub fn exercises() -> Vec<ExerciseSummary> {
    let live = EXERCISES.iter().map(|row| summary(row, false));
    live.chain(DEPRECATED.iter().map(|row| summary(row, true)))
        .collect()
}

pub fn library() -> Library {
    library_of(exercises(), templates())
}

pub fn library_of(exercises: Vec<ExerciseSummary>, templates: Vec<Template>) -> Library {
    Library {
        exercises: Arc::new(exercises.into_iter().map(|e| (e.id, e)).collect()),
        templates: Arc::new(templates),
    }
}

const fn pat(pattern: MovementPattern, from: Difficulty) -> (SlotTarget, Difficulty) {
    (SlotTarget::Pattern(pattern), from)
}

const fn mus(muscle: Muscle, from: Difficulty) -> (SlotTarget, Difficulty) {
    (SlotTarget::Muscle(muscle), from)
}

/// Each goal's slot targets, each from a difficulty up, as the real templates draw them.
fn goal_targets(goal: Goal) -> &'static [(SlotTarget, Difficulty)] {
    match goal {
        Goal::MuscleGain => {
            const {
                &[
                    pat(P::Squat, Beg),
                    pat(P::HorizontalPush, Beg),
                    pat(P::HorizontalPull, Beg),
                    pat(P::Hinge, Beg),
                    pat(P::VerticalPush, Beg),
                    pat(P::VerticalPull, Beg),
                    pat(P::Lunge, Beg),
                    mus(M::Biceps, Beg),
                    mus(M::Triceps, Beg),
                    pat(P::ShoulderIsolation, Beg),
                    mus(M::Calves, Beg),
                    mus(M::Hamstrings, Int),
                    mus(M::Chest, Int),
                    mus(M::Traps, Adv),
                    pat(P::Core, Beg),
                ]
            }
        }
        Goal::WeightLoss => {
            const {
                &[
                    pat(P::Locomotion, Beg),
                    pat(P::Squat, Beg),
                    pat(P::HorizontalPush, Beg),
                    pat(P::Jump, Beg),
                    pat(P::HorizontalPull, Beg),
                    pat(P::Lunge, Beg),
                    pat(P::Core, Beg),
                    pat(P::Locomotion, Beg),
                    pat(P::Hinge, Beg),
                    pat(P::VerticalPush, Beg),
                    pat(P::Carry, Int),
                    pat(P::Jump, Int),
                    pat(P::Rotation, Beg),
                ]
            }
        }
        Goal::Endurance => {
            const {
                &[
                    pat(P::Locomotion, Beg),
                    pat(P::Squat, Beg),
                    pat(P::HorizontalPush, Beg),
                    pat(P::Lunge, Beg),
                    pat(P::HorizontalPull, Beg),
                    pat(P::Core, Beg),
                    pat(P::Jump, Int),
                    pat(P::Hinge, Beg),
                    pat(P::VerticalPush, Beg),
                    pat(P::Carry, Beg),
                    pat(P::Locomotion, Beg),
                    pat(P::Rotation, Beg),
                ]
            }
        }
        Goal::Flexibility => {
            const {
                &[
                    pat(P::Mobility, Beg),
                    pat(P::Mobility, Beg),
                    pat(P::Stretch, Beg),
                    pat(P::Stretch, Beg),
                    pat(P::Mobility, Beg),
                    pat(P::Stretch, Beg),
                    pat(P::Stretch, Beg),
                    pat(P::Stretch, Beg),
                ]
            }
        }
        Goal::GeneralFitness => {
            const {
                &[
                    pat(P::Mobility, Beg),
                    pat(P::Squat, Beg),
                    pat(P::HorizontalPush, Beg),
                    pat(P::HorizontalPull, Beg),
                    pat(P::Hinge, Beg),
                    pat(P::Carry, Beg),
                    pat(P::Core, Beg),
                    pat(P::OlympicLift, Adv),
                    pat(P::Locomotion, Beg),
                    pat(P::Lunge, Beg),
                    pat(P::VerticalPush, Beg),
                    pat(P::VerticalPull, Beg),
                    pat(P::Jump, Int),
                    pat(P::Rotation, Beg),
                    pat(P::Stretch, Beg),
                ]
            }
        }
    }
}

fn unit_of(target: SlotTarget) -> RepUnit {
    match target {
        SlotTarget::Pattern(P::Stretch | P::Mobility | P::Carry | P::Locomotion) => {
            RepUnit::Seconds
        }
        _ => RepUnit::Reps,
    }
}

/// Sets, range and rest per goal, level (0-2) and target, like the real templates.
fn dose(goal: Goal, level: usize, target: SlotTarget) -> (u8, u16, u16, u16) {
    let timed = unit_of(target) == RepUnit::Seconds;
    let sets = [[3, 3, 4], [2, 3, 3], [2, 2, 3]];
    let ((low, high), rest) = match goal {
        Goal::MuscleGain => {
            let isolation = matches!(
                target,
                SlotTarget::Muscle(_) | SlotTarget::Pattern(P::ShoulderIsolation | P::Core)
            );
            (
                [(10, 12), (8, 12), (6, 10)][level],
                if isolation { 60 } else { [90, 90, 120][level] },
            )
        }
        Goal::WeightLoss if timed => ([(45, 60), (60, 90), (60, 120)][level], [45, 30, 20][level]),
        Goal::WeightLoss => ([(12, 15), (10, 15), (10, 15)][level], [45, 30, 20][level]),
        Goal::Endurance if target == SlotTarget::Pattern(P::Locomotion) => (
            [(180, 240), (210, 240), (210, 240)][level],
            [30, 20, 15][level],
        ),
        Goal::Endurance if timed => ((45, 60), [30, 20, 15][level]),
        Goal::Endurance => ([(15, 20), (15, 25), (20, 25)][level], [30, 20, 15][level]),
        Goal::Flexibility if target == SlotTarget::Pattern(P::Stretch) => {
            return (4, [30, 45, 60][level], [45, 60, 90][level], 10);
        }
        Goal::Flexibility => return (2, [45, 45, 60][level], [60, 60, 75][level], 10),
        Goal::GeneralFitness if timed => ([(30, 45), (45, 60), (45, 60)][level], 30),
        Goal::GeneralFitness => ([(10, 15), (8, 12), (6, 10)][level], [60, 60, 75][level]),
    };
    let row = match goal {
        Goal::MuscleGain => 0,
        Goal::GeneralFitness if timed => 2,
        _ => 1,
    };
    (sets[row][level], low, high, rest)
}

/// The exercises subgraph's estimate of one slot.
pub fn slot_seconds(slot: &TemplateSlot) -> u32 {
    let average = (u32::from(slot.rep_min) + u32::from(slot.rep_max)) / 2;
    let (work, changeover) = match slot.unit {
        RepUnit::Reps => (average * 4, 60),
        RepUnit::Seconds => (average, 15),
    };
    u32::from(slot.sets) * (work + u32::from(slot.rest_seconds)) + changeover
}

fn template(goal: Goal, difficulty: Difficulty, minutes: u16, id: u128) -> Template {
    let level = Difficulty::ALL
        .iter()
        .position(|d| *d == difficulty)
        .unwrap_or(0);
    let budget = u32::from(minutes) * 60;
    let targets: Vec<SlotTarget> = goal_targets(goal)
        .iter()
        .filter(|(_, from)| *from <= difficulty)
        .map(|(target, _)| *target)
        .collect();
    let mut slots: Vec<TemplateSlot> = Vec::new();
    let mut used = 0;
    for (index, target) in targets.iter().cycle().take(40).enumerate() {
        let (sets, rep_min, rep_max, rest_seconds) = dose(goal, level, *target);
        let slot = TemplateSlot {
            position: u8::try_from(index + 1).expect("at most 40 slots"),
            sets,
            rep_min,
            rep_max,
            rest_seconds,
            target: *target,
            unit: unit_of(*target),
        };
        if (used + slot_seconds(&slot)) * 100 > budget * 112 {
            break;
        }
        used += slot_seconds(&slot);
        slots.push(slot);
    }
    top_up(&mut slots, budget);
    Template {
        id: Uuid::from_u128(id),
        name: format!("{difficulty} {goal} ({minutes} min)"),
        goal,
        difficulty,
        duration_minutes: minutes,
        slots,
    }
}

/// Spends time left after the last whole slot on extra sets, as the real builder does.
fn top_up(slots: &mut [TemplateSlot], budget: u32) {
    let mut used: u32 = slots.iter().map(slot_seconds).sum();
    let mut grew = true;
    while grew {
        grew = false;
        for slot in slots.iter_mut() {
            let before = slot_seconds(slot);
            let per_set =
                (before - if slot.unit == RepUnit::Reps { 60 } else { 15 }) / u32::from(slot.sets);
            let paired = slot.target == SlotTarget::Pattern(P::Stretch);
            if !paired && slot.sets < 5 && (used + per_set) * 100 <= budget * 102 {
                slot.sets += 1;
                used += per_set;
                grew = true;
            }
        }
    }
}

/// Thirty templates: every goal and difficulty, 30 and 60 minutes.
pub fn templates() -> Vec<Template> {
    let mut out = Vec::new();
    for goal in Goal::ALL {
        for difficulty in Difficulty::ALL {
            for minutes in [30, 60] {
                let id = 0x7000 + out.len() as u128;
                out.push(template(*goal, *difficulty, minutes, id));
            }
        }
    }
    out
}

/// Wednesday 12 March 2025, 07:00 UTC.
pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2025, 3, 12).expect("a valid date")
}

pub fn context() -> DayContext {
    DayContext {
        today: today(),
        now: Utc
            .with_ymd_and_hms(2025, 3, 12, 7, 0, 0)
            .single()
            .expect("a valid instant"),
        week_index: 0,
        past_prescriptions: HashMap::new(),
    }
}

/// A well-equipped home gym.
pub fn home_gym() -> BTreeSet<Equipment> {
    BTreeSet::from([
        E::Barbell,
        E::Dumbbell,
        E::Kettlebell,
        E::Bench,
        E::PullUpBar,
        E::ResistanceBand,
        E::FoamRoller,
    ])
}

pub fn every_equipment() -> BTreeSet<Equipment> {
    Equipment::ALL.iter().copied().collect()
}

pub fn user(goal: Goal, level: FitnessLevel) -> UserSnapshot {
    UserSnapshot {
        goal,
        level,
        days_per_week: 4,
        session_minutes: 60,
        preferred_time: TimeOfDay::Any,
        equipment: every_equipment(),
        recovery: RecoveryBand::Green,
        signals: TrainingSignals::default(),
    }
}
