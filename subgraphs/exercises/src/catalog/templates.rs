//! Workout templates: for every goal and difficulty, a short and a long session.
//!
//! Each goal has an ordered list of slot targets; a template takes them in order
//! (starting over if the list runs out) until its estimated time reaches the duration.
//! The estimate counts, per slot, `sets x (work + rest)` plus a changeover: work is four
//! seconds per repetition, or the hold/interval time for timed slots.

use subgraph_common::vocab::{Difficulty, Goal, MovementPattern as P, Muscle as M};

use super::variants::slugify;
use super::{SlotSeed, SlotTarget, SlotUnit, TemplateSeed};

/// Seconds one repetition takes, lowering and lifting.
pub(super) const SECONDS_PER_REP: u32 = 4;
/// Setting up the next exercise: loading a bar takes longer than starting a stretch.
const CHANGEOVER_REPS: u32 = 60;
const CHANGEOVER_TIMED: u32 = 15;
const DURATIONS: [u16; 2] = [30, 60];
/// How far over its duration a template may run before the next slot is left out.
const OVERRUN_PERCENT: u32 = 112;
/// Extra sets never take a slot beyond this.
const MAX_SETS: u8 = 5;
/// A bound on slots, whatever a goal's list holds.
const MAX_SLOTS: usize = 40;

use Difficulty::{Advanced as Adv, Beginner as Beg, Intermediate as Int};

const fn pat(pattern: P, from: Difficulty) -> (SlotTarget, Difficulty) {
    (SlotTarget::Pattern(pattern), from)
}

const fn mus(muscle: M, from: Difficulty) -> (SlotTarget, Difficulty) {
    (SlotTarget::Muscle(muscle), from)
}

/// A goal's template: its title and the slots it draws on, each from a difficulty up.
struct Shape {
    goal: Goal,
    title: &'static str,
    slots: &'static [(SlotTarget, Difficulty)],
}

const SHAPES: [Shape; 5] = [
    Shape {
        goal: Goal::MuscleGain,
        title: "Hypertrophy Full Body",
        slots: &[
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
        ],
    },
    Shape {
        goal: Goal::WeightLoss,
        title: "Fat-Burning Circuit",
        slots: &[
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
        ],
    },
    Shape {
        goal: Goal::Endurance,
        title: "Endurance Circuit",
        slots: &[
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
        ],
    },
    Shape {
        goal: Goal::Flexibility,
        title: "Stretch and Mobility Flow",
        slots: &[
            pat(P::Mobility, Beg),
            pat(P::Mobility, Beg),
            pat(P::Stretch, Beg),
            pat(P::Stretch, Beg),
            pat(P::Mobility, Beg),
            pat(P::Stretch, Beg),
            pat(P::Stretch, Beg),
            pat(P::Stretch, Beg),
        ],
    },
    Shape {
        goal: Goal::GeneralFitness,
        title: "All-Round Fitness",
        slots: &[
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
        ],
    },
];

/// Every template: two durations for each goal and difficulty, in a stable order.
pub fn templates() -> Vec<TemplateSeed> {
    let mut out = Vec::new();
    for shape in &SHAPES {
        for &difficulty in Difficulty::ALL {
            for minutes in DURATIONS {
                out.push(build(shape, difficulty, minutes));
            }
        }
    }
    out
}

fn build(shape: &Shape, difficulty: Difficulty, minutes: u16) -> TemplateSeed {
    let budget = u32::from(minutes) * 60;
    let targets = shape
        .slots
        .iter()
        .filter(|(_, from)| *from <= difficulty)
        .map(|(target, _)| *target);
    let mut slots: Vec<SlotSeed> = Vec::new();
    let mut used = 0;
    // Slots go in the goal's order (starting over for long sessions) so every template
    // keeps its balance; stop before one would run clearly over time.
    for target in targets.cycle().take(MAX_SLOTS) {
        let slot = dose(shape.goal, difficulty, target);
        let seconds = slot_seconds(&slot);
        if (used + seconds) * 100 > budget * OVERRUN_PERCENT {
            break;
        }
        used += seconds;
        slots.push(slot);
    }
    top_up(&mut slots, budget);
    let level = difficulty_word(difficulty);
    TemplateSeed {
        slug: slugify(&format!("{} {level} {minutes} min", shape.goal.as_str())),
        name: format!("{level} {} ({minutes} min)", shape.title),
        goal: shape.goal,
        difficulty,
        duration_minutes: minutes,
        slots,
    }
}

/// Fills time left over after the last whole slot with extra sets, first slots first.
fn top_up(slots: &mut [SlotSeed], budget: u32) {
    let mut used: u32 = slots.iter().map(slot_seconds).sum();
    let mut added = true;
    while added {
        added = false;
        for slot in slots.iter_mut() {
            let per_set =
                (slot_seconds(slot) - changeover(slot.unit())) / u32::from(slot.sets.max(1));
            // Stretch sets come in pairs (one per side), so they are not topped up.
            let paired = slot.target == SlotTarget::Pattern(P::Stretch);
            if !paired && slot.sets < MAX_SETS && (used + per_set) * 100 <= budget * 102 {
                slot.sets += 1;
                used += per_set;
                added = true;
            }
        }
    }
}

fn difficulty_word(difficulty: Difficulty) -> &'static str {
    match difficulty {
        Difficulty::Beginner => "Beginner",
        Difficulty::Intermediate => "Intermediate",
        Difficulty::Advanced => "Advanced",
    }
}

/// Estimated seconds a slot takes: every set's work and rest, plus the changeover.
pub(super) fn slot_seconds(slot: &SlotSeed) -> u32 {
    let average = (u32::from(slot.rep_min) + u32::from(slot.rep_max)) / 2;
    let work = match slot.unit() {
        SlotUnit::Reps => average * SECONDS_PER_REP,
        SlotUnit::Seconds => average,
    };
    u32::from(slot.sets) * (work + u32::from(slot.rest_seconds)) + changeover(slot.unit())
}

fn changeover(unit: SlotUnit) -> u32 {
    match unit {
        SlotUnit::Reps => CHANGEOVER_REPS,
        SlotUnit::Seconds => CHANGEOVER_TIMED,
    }
}

/// Single-joint work needs less rest between sets than heavy compound lifts.
fn is_isolation(target: SlotTarget) -> bool {
    matches!(
        target,
        SlotTarget::Muscle(_)
            | SlotTarget::Pattern(
                P::ArmIsolation | P::LegIsolation | P::ShoulderIsolation | P::Core | P::Rotation
            )
    )
}

/// Sets, rep (or second) range and rest for one slot. The goal sets the shape: muscle
/// gain 6-12 reps with long rests, weight loss 10-15 reps with short rests, endurance
/// 15-25 reps or long timed efforts with little rest, flexibility timed holds.
fn dose(goal: Goal, difficulty: Difficulty, target: SlotTarget) -> SlotSeed {
    let level = Difficulty::ALL
        .iter()
        .position(|d| *d == difficulty)
        .unwrap_or(0);
    let pick = |options: [u8; 3]| options[level];
    let timed = target.unit() == SlotUnit::Seconds;
    let (sets, (rep_min, rep_max), rest): (u8, (u8, u8), u16) = match goal {
        Goal::MuscleGain => {
            let reps = [(10, 12), (8, 12), (6, 10)][level];
            let rest = if is_isolation(target) {
                60
            } else {
                [90, 90, 120][level]
            };
            (pick([3, 3, 4]), reps, rest)
        }
        Goal::WeightLoss if timed => (
            pick([2, 3, 3]),
            [(45, 60), (60, 90), (60, 120)][level],
            [45, 30, 20][level],
        ),
        Goal::WeightLoss => (
            pick([2, 3, 3]),
            [(12, 15), (10, 15), (10, 15)][level],
            [45, 30, 20][level],
        ),
        Goal::Endurance if target == SlotTarget::Pattern(P::Locomotion) => (
            pick([2, 3, 3]),
            [(180, 240), (210, 240), (210, 240)][level],
            [30, 20, 15][level],
        ),
        Goal::Endurance if timed => (pick([2, 3, 3]), (45, 60), [30, 20, 15][level]),
        Goal::Endurance => (
            pick([2, 3, 3]),
            [(15, 20), (15, 25), (20, 25)][level],
            [30, 20, 15][level],
        ),
        Goal::Flexibility if target == SlotTarget::Pattern(P::Stretch) => {
            (4, [(30, 45), (45, 60), (60, 90)][level], 10)
        }
        Goal::Flexibility => (2, [(45, 60), (45, 60), (60, 75)][level], 10),
        Goal::GeneralFitness if timed => {
            (pick([2, 2, 3]), [(30, 45), (45, 60), (45, 60)][level], 30)
        }
        Goal::GeneralFitness => (
            pick([2, 3, 3]),
            [(10, 15), (8, 12), (6, 10)][level],
            [60, 60, 75][level],
        ),
    };
    SlotSeed {
        target,
        sets,
        rep_min,
        rep_max,
        rest_seconds: rest,
    }
}
