//! The shape of the hand-written base catalog: one `Movement` per real exercise, plus the
//! variant axes that make sense for it. `variants` crosses them into exercises.

use subgraph_common::vocab::{
    Category, Difficulty, Equipment, Force, Mechanic, MovementPattern, Muscle,
};

// Variant axes a movement can allow, as bits of `Movement::axes`. A bit only says the
// variant is sensible for the movement; `variants` still drops it for equipment it cannot
// be done with (no neutral grip on a straight bar, no single-arm barbell work).
pub(super) const G_OVER: u32 = 1;
pub(super) const G_UNDER: u32 = 1 << 1;
pub(super) const G_NEUTRAL: u32 = 1 << 2;
pub(super) const G_WIDE: u32 = 1 << 3;
pub(super) const G_CLOSE: u32 = 1 << 4;
pub(super) const S_WIDE: u32 = 1 << 5;
pub(super) const S_NARROW: u32 = 1 << 6;
pub(super) const S_STAGGER: u32 = 1 << 7;
pub(super) const S_SUMO: u32 = 1 << 8;
pub(super) const INCLINE: u32 = 1 << 9;
pub(super) const DECLINE: u32 = 1 << 10;
pub(super) const UNI: u32 = 1 << 11;
pub(super) const PAUSE: u32 = 1 << 12;
pub(super) const TEMPO: u32 = 1 << 13;
pub(super) const HOLD: u32 = 1 << 14;

/// Pause and 3-1-1 tempo: the pair almost every loaded strength movement takes.
pub(super) const PT: u32 = PAUSE | TEMPO;
/// Pause, tempo and an isometric hold at the pause point.
pub(super) const PTI: u32 = PAUSE | TEMPO | HOLD;
pub(super) const ANY_STANCE: u32 = S_WIDE | S_NARROW | S_STAGGER | S_SUMO;

/// Which limb a unilateral variant works on, for its name ("Single-Arm" or "Single-Leg").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Limb {
    /// Derived from the movement pattern.
    Auto,
    Arm,
}

/// A movement-specific variant (deficit, from pins, intervals, contract-relax...): only
/// the movements that list it get it, so its cue can be written for them.
#[derive(Debug)]
pub(super) struct Style {
    pub label: &'static str,
    pub cue: &'static str,
    /// Difficulty tiers added to the base movement's.
    pub delta: i8,
    /// Equipment the style needs; empty means any of the movement's equipment.
    pub only: &'static [Equipment],
    /// Axis bits it contradicts, e.g. a seated style and a stance.
    pub excludes: u32,
    /// Its cue belongs with the set-up (before the movement steps) rather than with
    /// how the reps are performed (after them).
    pub setup: bool,
}

impl Style {
    /// Most styles change the range or the set-up, which a tilted bench would confuse,
    /// so by default they exclude the bench angles.
    pub(super) const fn new(label: &'static str, cue: &'static str, delta: i8) -> Style {
        Style {
            label,
            cue,
            delta,
            only: &[],
            excludes: INCLINE | DECLINE,
            setup: true,
        }
    }

    /// Marks a style that changes how the reps are done rather than the set-up.
    pub(super) const fn during(self) -> Style {
        Style {
            setup: false,
            ..self
        }
    }

    pub(super) const fn only(self, only: &'static [Equipment]) -> Style {
        Style { only, ..self }
    }

    pub(super) const fn excluding(self, excludes: u32) -> Style {
        Style { excludes, ..self }
    }
}

/// One real movement. Instruction steps may use placeholders that `variants` fills in:
/// `{load}` (what is held: "the bar", "the dumbbells"...), `{grip}` and `{stance}`
/// (the chosen variant's phrase, or this movement's default one).
#[derive(Debug)]
pub(super) struct Movement {
    /// Base name; the equipment label is prefixed unless `bare`, the equipment is implied
    /// (bodyweight, pull-up bar...) or the name already contains it.
    pub name: &'static str,
    pub cat: Category,
    pub mech: Option<Mechanic>,
    pub force: Option<Force>,
    pub pat: MovementPattern,
    /// Difficulty with the first listed equipment and no variant applied.
    pub diff: Difficulty,
    pub pri: &'static [Muscle],
    pub sec: &'static [Muscle],
    pub eq: &'static [Equipment],
    /// Bilateral dumbbell or kettlebell work uses one per hand (false: one held in both).
    pub pair: bool,
    /// The steps already describe the setup, so no generic equipment step is added.
    pub own_setup: bool,
    /// The name already implies the equipment.
    pub bare: bool,
    pub limb: Limb,
    /// Where a cable pulley or band is anchored, e.g. "at floor level".
    pub anchor: &'static str,
    /// Where free weights are held, completing the equipment step, e.g. "hold {it} at
    /// your sides"; a `None` entry applies to every free weight without its own entry.
    pub hold: &'static [(Option<Equipment>, &'static str)],
    pub grip: &'static str,
    pub stance: &'static str,
    /// Where a paused rep stops, e.g. "at the bottom".
    pub pause: &'static str,
    pub axes: u32,
    pub styles: &'static [&'static Style],
    pub steps: &'static [&'static str],
}

/// Defaults for a loaded compound lift; entries override what differs with `..LIFT`.
pub(super) const LIFT: Movement = Movement {
    name: "",
    cat: Category::Strength,
    mech: Some(Mechanic::Compound),
    force: None,
    pat: MovementPattern::Squat,
    diff: Difficulty::Beginner,
    pri: &[],
    sec: &[],
    eq: &[],
    pair: true,
    own_setup: false,
    bare: false,
    limb: Limb::Auto,
    anchor: "",
    hold: &[],
    grip: "",
    stance: "",
    pause: "",
    axes: 0,
    styles: &[],
    steps: &[],
};

/// Defaults for a single-joint strength exercise.
pub(super) const ISO: Movement = Movement {
    mech: Some(Mechanic::Isolation),
    ..LIFT
};

/// Defaults for a held stretch: bodyweight, no mechanic, static.
pub(super) const STRETCH: Movement = Movement {
    cat: Category::Stretching,
    mech: None,
    force: Some(Force::Static),
    pat: MovementPattern::Stretch,
    eq: &[Equipment::Bodyweight],
    ..LIFT
};

/// Defaults for a mobility drill: moving through range rather than holding it.
pub(super) const MOBILITY: Movement = Movement {
    force: None,
    pat: MovementPattern::Mobility,
    ..STRETCH
};

/// Defaults for cardio: the steps describe the setup and the whole session.
pub(super) const CARDIO: Movement = Movement {
    cat: Category::Cardio,
    mech: None,
    force: None,
    pat: MovementPattern::Locomotion,
    own_setup: true,
    eq: &[Equipment::Bodyweight],
    ..LIFT
};

/// Defaults for a jump or throw.
pub(super) const PLYO: Movement = Movement {
    cat: Category::Plyometrics,
    force: Some(Force::Push),
    pat: MovementPattern::Jump,
    eq: &[Equipment::Bodyweight],
    ..LIFT
};
