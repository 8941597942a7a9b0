//! The exercise library's own base catalog, generated without I/O.
//!
//! About 400 hand-written base movements (`data`) each say which equipment they can be
//! done with and which variants make sense for them: grip, stance, bench angle, one arm
//! or leg, pause or tempo, and movement-specific options such as a deficit, a box or
//! interval work (`model`, `styles`). `variants` crosses them into more than 5,000
//! distinct exercises with their own names, slugs, muscles, difficulty and instructions.
//! `templates` builds workout templates for every goal and difficulty.
//!
//! Both lists are deterministic: the same build always yields the same records in the
//! same order, so seeding can compare by slug.

mod data;
mod model;
mod styles;
mod templates;
mod variants;

#[cfg(test)]
mod tests;

use subgraph_common::vocab::{
    Category, Difficulty, Equipment, Force, Goal, Mechanic, MovementPattern, Muscle,
};

pub use templates::templates;

/// One exercise of the catalog.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ExerciseSeed {
    /// Stable, unique, lowercase-hyphenated; derived from `name`.
    pub slug: String,
    /// Unique human name, e.g. "Incline Dumbbell Bench Press (Neutral Grip)".
    pub name: String,
    /// Three to six steps specific to the movement and its variant.
    pub instructions: Vec<String>,
    pub category: Category,
    pub mechanic: Option<Mechanic>,
    pub force: Option<Force>,
    pub difficulty: Difficulty,
    /// Never empty; the first is the main target, the one alternatives are matched on.
    pub primary_muscles: Vec<Muscle>,
    /// Never repeats a primary muscle.
    pub secondary_muscles: Vec<Muscle>,
    /// `Bodyweight` when none is needed.
    pub equipment: Equipment,
    pub movement_pattern: MovementPattern,
}

/// What a template slot asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SlotTarget {
    /// Any exercise with this muscle among its primary muscles.
    Muscle(Muscle),
    /// Any exercise with this movement pattern.
    Pattern(MovementPattern),
}

impl SlotTarget {
    /// Whether `exercise` can fill a slot with this target.
    pub fn matches(&self, exercise: &ExerciseSeed) -> bool {
        match *self {
            SlotTarget::Muscle(muscle) => exercise.primary_muscles.contains(&muscle),
            SlotTarget::Pattern(pattern) => exercise.movement_pattern == pattern,
        }
    }

    /// Whether a slot with this target counts repetitions or seconds.
    pub fn unit(&self) -> SlotUnit {
        match self {
            SlotTarget::Pattern(
                MovementPattern::Stretch
                | MovementPattern::Mobility
                | MovementPattern::Carry
                | MovementPattern::Locomotion,
            ) => SlotUnit::Seconds,
            _ => SlotUnit::Reps,
        }
    }
}

/// What a slot's `rep_min` and `rep_max` count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SlotUnit {
    /// Repetitions per set.
    Reps,
    /// Seconds per set: how long a stretch is held, a mobility drill or carry lasts, or
    /// a cardio interval runs.
    Seconds,
}

/// One ordered slot of a template.
///
/// `rep_min` and `rep_max` are repetitions, except for slots targeting the `Stretch`,
/// `Mobility`, `Carry` or `Locomotion` pattern, where they are seconds per set (hold
/// time, drill time or work interval); `unit` says which. In flexibility templates a
/// stretch slot's sets count both sides of one-sided stretches: four sets are two holds
/// per side.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct SlotSeed {
    pub target: SlotTarget,
    pub sets: u8,
    pub rep_min: u8,
    pub rep_max: u8,
    pub rest_seconds: u16,
}

impl SlotSeed {
    /// Whether `rep_min`/`rep_max` count repetitions or seconds.
    pub fn unit(&self) -> SlotUnit {
        self.target.unit()
    }
}

/// A workout template: ordered slots for one goal at one difficulty.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TemplateSeed {
    pub slug: String,
    pub name: String,
    pub goal: Goal,
    pub difficulty: Difficulty,
    /// Roughly the sum of the slots' work, rest and changeover (see `templates`).
    pub duration_minutes: u16,
    pub slots: Vec<SlotSeed>,
}

/// Every exercise of the catalog (more than 5,000), in a stable order.
pub fn exercises() -> Vec<ExerciseSeed> {
    let mut out = Vec::with_capacity(8_192);
    for movement in data::all() {
        variants::expand(movement, &mut out);
    }
    out
}
