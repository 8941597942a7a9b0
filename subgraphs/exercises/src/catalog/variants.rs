//! Crossing each movement with its equipment and the variants that make sense for it.
//! A variant changes at most `MAX_MODIFIERS` things about the base movement: stacking more
//! ("single-arm incline paused neutral-grip...") describes nobody's real training.

use subgraph_common::vocab::{
    Category, Difficulty, Equipment, Force, Mechanic, MovementPattern, Muscle,
};

use super::ExerciseSeed;
use super::model::*;

const MAX_MODIFIERS: usize = 3;
const MAX_STEPS: usize = 6;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Angle {
    Incline,
    Decline,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Grip {
    Over,
    Under,
    Neutral,
    Wide,
    Close,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stance {
    Wide,
    Narrow,
    Staggered,
    Sumo,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tempo {
    Paused,
    Slow,
    Hold,
}

const ANGLES: [(u32, Angle); 2] = [(INCLINE, Angle::Incline), (DECLINE, Angle::Decline)];
const GRIPS: [(u32, Grip); 5] = [
    (G_OVER, Grip::Over),
    (G_UNDER, Grip::Under),
    (G_NEUTRAL, Grip::Neutral),
    (G_WIDE, Grip::Wide),
    (G_CLOSE, Grip::Close),
];
const STANCES: [(u32, Stance); 4] = [
    (S_WIDE, Stance::Wide),
    (S_NARROW, Stance::Narrow),
    (S_STAGGER, Stance::Staggered),
    (S_SUMO, Stance::Sumo),
];
const TEMPOS: [(u32, Tempo); 3] = [
    (PAUSE, Tempo::Paused),
    (TEMPO, Tempo::Slow),
    (HOLD, Tempo::Hold),
];

impl Angle {
    fn label(self) -> &'static str {
        match self {
            Angle::Incline => "Incline",
            Angle::Decline => "Decline",
        }
    }

    fn cue(self) -> &'static str {
        match self {
            Angle::Incline => "Set an adjustable bench to an incline of about 30 to 45 degrees.",
            Angle::Decline => {
                "Set the bench to a decline of about 15 to 30 degrees and secure your feet under the pads."
            }
        }
    }
}

impl Grip {
    fn label(self) -> &'static str {
        match self {
            Grip::Over => "Overhand Grip",
            Grip::Under => "Underhand Grip",
            Grip::Neutral => "Neutral Grip",
            Grip::Wide => "Wide Grip",
            Grip::Close => "Close Grip",
        }
    }

    /// Reads after "with": "grip the bar with {grip}".
    fn phrase(self) -> &'static str {
        match self {
            Grip::Over => "an overhand grip, palms facing down or away from you",
            Grip::Under => "an underhand grip, palms facing up or toward you",
            Grip::Neutral => "a neutral grip, palms facing each other",
            Grip::Wide => "a wide grip, hands about one and a half times shoulder width apart",
            Grip::Close => "a close grip, hands about shoulder width apart or slightly narrower",
        }
    }

    /// Whether the grip exists on this equipment: a straight bar has no neutral grip,
    /// fixed handles have no hand width to choose.
    fn fits(self, eq: Equipment) -> bool {
        use Equipment::*;
        match self {
            Grip::Over | Grip::Under => {
                matches!(
                    eq,
                    Barbell | EzBar | Dumbbell | Cable | SmithMachine | PullUpBar | ResistanceBand
                )
            }
            Grip::Neutral => matches!(
                eq,
                Dumbbell
                    | Kettlebell
                    | Cable
                    | Machine
                    | PullUpBar
                    | SuspensionTrainer
                    | ResistanceBand
            ),
            Grip::Wide | Grip::Close => matches!(
                eq,
                Barbell | EzBar | SmithMachine | Cable | PullUpBar | Bodyweight
            ),
        }
    }
}

impl Stance {
    fn label(self) -> &'static str {
        match self {
            Stance::Wide => "Wide Stance",
            Stance::Narrow => "Narrow Stance",
            Stance::Staggered => "Staggered Stance",
            Stance::Sumo => "Sumo Stance",
        }
    }

    /// Reads after "feet": "set your feet {stance}".
    fn phrase(self) -> &'static str {
        match self {
            Stance::Wide => "wider than shoulder width with your toes turned slightly out",
            Stance::Narrow => "close together, about hip width apart or narrower",
            Stance::Staggered => {
                "in a staggered stance, one foot about half a foot-length ahead of the other (switch feet each set)"
            }
            Stance::Sumo => "in a very wide stance with your toes turned well out",
        }
    }
}

impl Tempo {
    fn label(self) -> &'static str {
        match self {
            Tempo::Paused => "Paused",
            Tempo::Slow => "3-1-1 Tempo",
            Tempo::Hold => "Isometric Hold",
        }
    }
}

/// One combination of modifiers; `None`/`false` keeps the movement's default.
#[derive(Debug, Clone, Copy, Default)]
struct Variant {
    angle: Option<Angle>,
    uni: bool,
    grip: Option<Grip>,
    stance: Option<Stance>,
    tempo: Option<Tempo>,
    style: Option<&'static Style>,
}

impl Variant {
    fn modifiers(&self) -> usize {
        usize::from(self.angle.is_some())
            + usize::from(self.uni)
            + usize::from(self.grip.is_some())
            + usize::from(self.stance.is_some())
            + usize::from(self.tempo.is_some())
            + usize::from(self.style.is_some())
    }

    /// The axis bits this variant sets, in the same terms as `Movement::axes`.
    fn bits(&self) -> u32 {
        bit_of(&ANGLES, self.angle)
            | bit_of(&GRIPS, self.grip)
            | bit_of(&STANCES, self.stance)
            | bit_of(&TEMPOS, self.tempo)
            | if self.uni { UNI } else { 0 }
    }

    /// Rules out combinations that contradict themselves: a sumo stance on one leg, a
    /// wide grip with one hand, and whatever a style excludes (a seated curl has no
    /// stance, a pin press no incline).
    fn coherent(&self, arm: bool) -> bool {
        let grip_width = matches!(self.grip, Some(Grip::Wide | Grip::Close));
        self.modifiers() <= MAX_MODIFIERS
            && !(self.uni && !arm && self.stance.is_some())
            && !(self.uni && grip_width)
            && self
                .style
                .is_none_or(|style| style.excludes & self.bits() == 0)
    }
}

/// A style that puts the body somewhere (seated, kneeling).
fn is_body_position(style: &Style) -> bool {
    ["Seated", "Half-Kneeling", "Tall-Kneeling"].contains(&style.label)
}

/// A movement whose name already fixes the body position: a "Standing Band Rotation"
/// done half-kneeling would contradict its own name and instructions.
fn names_a_position(m: &Movement) -> bool {
    ["Standing", "Seated", "Kneeling", "Lying", "Prone", "Supine"]
        .iter()
        .any(|word| m.name.split_whitespace().any(|part| part == *word))
}

fn bit_of<T: Copy + PartialEq>(table: &[(u32, T)], value: Option<T>) -> u32 {
    value
        .and_then(|value| table.iter().find(|(_, t)| *t == value))
        .map_or(0, |(bit, _)| *bit)
}

fn works_arms(m: &Movement) -> bool {
    use MovementPattern::*;
    m.limb == Limb::Arm
        || matches!(
            m.pat,
            HorizontalPush
                | VerticalPush
                | HorizontalPull
                | VerticalPull
                | ArmIsolation
                | ShoulderIsolation
                | Carry
                | OlympicLift
                | Rotation
        )
}

fn angle_fits(eq: Equipment) -> bool {
    use Equipment::*;
    matches!(
        eq,
        Barbell | Dumbbell | SmithMachine | Cable | Machine | EzBar | Bodyweight
    )
}

fn unilateral_fits(eq: Equipment) -> bool {
    use Equipment::*;
    matches!(
        eq,
        Dumbbell
            | Kettlebell
            | Cable
            | ResistanceBand
            | Machine
            | Bodyweight
            | SuspensionTrainer
            | StabilityBall
            | Bench
    )
}

/// `[None, Some(each allowed value)]`: the default first, so output order is stable.
fn options<T: Copy>(axes: u32, table: &[(u32, T)], fits: impl Fn(T) -> bool) -> Vec<Option<T>> {
    let allowed = table
        .iter()
        .filter(|(bit, value)| axes & bit != 0 && fits(*value));
    std::iter::once(None)
        .chain(allowed.map(|(_, value)| Some(*value)))
        .collect()
}

fn grow<T: Copy>(
    variants: Vec<Variant>,
    choices: &[T],
    set: impl Fn(&mut Variant, T),
) -> Vec<Variant> {
    let mut out = Vec::with_capacity(variants.len() * choices.len());
    for base in variants {
        for choice in choices {
            let mut variant = base;
            set(&mut variant, *choice);
            if variant.modifiers() <= MAX_MODIFIERS {
                out.push(variant);
            }
        }
    }
    out
}

fn variants(m: &Movement, eq: Equipment) -> Vec<Variant> {
    let sides: &[bool] = if m.axes & UNI != 0 && unilateral_fits(eq) {
        &[false, true]
    } else {
        &[false]
    };
    let styles: Vec<Option<&'static Style>> = std::iter::once(None)
        .chain(
            m.styles
                .iter()
                .filter(|s| s.only.is_empty() || s.only.contains(&eq))
                .filter(|s| !(is_body_position(s) && names_a_position(m)))
                .map(|s| Some(*s)),
        )
        .collect();
    let mut all = vec![Variant::default()];
    all = grow(
        all,
        &options(m.axes, &ANGLES, |_| angle_fits(eq)),
        |v, a| v.angle = a,
    );
    all = grow(all, sides, |v, uni| v.uni = uni);
    all = grow(all, &options(m.axes, &GRIPS, |g| g.fits(eq)), |v, g| {
        v.grip = g
    });
    all = grow(all, &options(m.axes, &STANCES, |_| true), |v, s| {
        v.stance = s
    });
    all = grow(all, &options(m.axes, &TEMPOS, |_| true), |v, t| v.tempo = t);
    all = grow(all, &styles, |v, s| v.style = s);
    let arm = works_arms(m);
    all.retain(|v| v.coherent(arm));
    all
}

/// Every exercise a movement yields, in a stable order.
pub(super) fn expand(m: &'static Movement, out: &mut Vec<ExerciseSeed>) {
    for &eq in m.eq {
        for variant in variants(m, eq) {
            out.push(render(m, eq, &variant));
        }
    }
}

fn render(m: &Movement, eq: Equipment, v: &Variant) -> ExerciseSeed {
    let name = name(m, eq, v);
    let (primary_muscles, secondary_muscles) = muscles(m, v);
    ExerciseSeed {
        slug: slugify(&name),
        name,
        instructions: instructions(m, eq, v),
        category: category(m, eq),
        mechanic: m.mech,
        // Holding still is a static effort whatever the movement's usual direction.
        force: if v.tempo == Some(Tempo::Hold) {
            Some(Force::Static)
        } else {
            m.force
        },
        difficulty: difficulty(m, eq, v),
        primary_muscles,
        secondary_muscles,
        equipment: eq,
        movement_pattern: m.pat,
    }
}

/// How equipment is named in an exercise name; empty when the name implies it.
pub(super) fn equipment_label(eq: Equipment) -> &'static str {
    use Equipment::*;
    match eq {
        Barbell => "Barbell",
        Dumbbell => "Dumbbell",
        Kettlebell => "Kettlebell",
        Cable => "Cable",
        Machine => "Machine",
        SmithMachine => "Smith Machine",
        ResistanceBand => "Band",
        MedicineBall => "Medicine Ball",
        StabilityBall => "Stability Ball",
        FoamRoller => "Foam Roller",
        EzBar => "EZ-Bar",
        TrapBar => "Trap Bar",
        SuspensionTrainer => "Suspension",
        Bodyweight | PullUpBar | Bench | CardioMachine | Other => "",
    }
}

fn name(m: &Movement, eq: Equipment, v: &Variant) -> String {
    let label = equipment_label(eq);
    let base = if m.name.contains("{eq}") {
        m.name
            .replace("{eq}", label)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    } else if m.bare || label.is_empty() || m.name.contains(label) {
        m.name.to_owned()
    } else {
        format!("{label} {}", m.name)
    };
    let side = if works_arms(m) {
        "Single-Arm"
    } else {
        "Single-Leg"
    };
    let prefix = [v.uni.then_some(side), v.angle.map(Angle::label)];
    let suffix = [
        v.grip.map(Grip::label),
        v.stance.map(Stance::label),
        v.tempo.map(Tempo::label),
        v.style.map(|s| s.label),
    ];
    let mut name: Vec<&str> = prefix.into_iter().flatten().collect();
    name.push(&base);
    let mut name = name.join(" ");
    let suffix: Vec<&str> = suffix.into_iter().flatten().collect();
    if !suffix.is_empty() {
        name = format!("{name} ({})", suffix.join(", "));
    }
    name
}

/// Lowercase ASCII words joined by single hyphens; an apostrophe joins ("farmers"), the
/// same rule the crate's slug module applies to imported and edited names.
pub(super) fn slugify(name: &str) -> String {
    let mut slug = String::with_capacity(name.len());
    let mut pending_hyphen = false;
    for ch in name.chars() {
        if ch.is_ascii_alphanumeric() {
            if pending_hyphen && !slug.is_empty() {
                slug.push('-');
            }
            pending_hyphen = false;
            slug.push(ch.to_ascii_lowercase());
        } else if ch != '\'' {
            pending_hyphen = true;
        }
    }
    slug
}

fn category(m: &Movement, eq: Equipment) -> Category {
    // Powerlifting and weightlifting are barbell sports; the same lift with other
    // equipment is general strength work.
    match m.cat {
        Category::Powerlifting | Category::OlympicWeightlifting if eq != Equipment::Barbell => {
            Category::Strength
        }
        cat => cat,
    }
}

/// How the equipment changes the difficulty set for the movement's first equipment:
/// a machine guides the path, weightlifting is easier to learn with a bell, and loading
/// a jump makes it harder.
fn load_delta(m: &Movement, eq: Equipment) -> i8 {
    use Equipment::*;
    let first = m.eq.first().copied().unwrap_or(eq);
    if eq == first {
        return 0;
    }
    match (m.pat, eq) {
        (MovementPattern::Jump, Bodyweight | MedicineBall) => 0,
        (MovementPattern::Jump, _) => 1,
        (MovementPattern::OlympicLift, Dumbbell | Kettlebell) if first == Barbell => -1,
        (_, Machine | SmithMachine) if !matches!(first, Machine | SmithMachine) => -1,
        _ => 0,
    }
}

/// Easier modifiers apply first; the harder ones (one limb, a pause, a deficit...) add
/// one tier between them, since stacking two rarely makes a lift two levels harder.
fn difficulty(m: &Movement, eq: Equipment, v: &Variant) -> Difficulty {
    let base = Difficulty::ALL
        .iter()
        .position(|d| *d == m.diff)
        .unwrap_or(0) as i8;
    let style = v.style.map_or(0, |s| s.delta);
    let tier = (base + load_delta(m, eq)).clamp(0, 2);
    let tier = (tier + style.min(0)).clamp(0, 2);
    let paused = v.tempo == Some(Tempo::Paused) && m.mech == Some(Mechanic::Compound);
    let harder = style.max(0) + i8::from(v.uni) + i8::from(paused);
    Difficulty::ALL[(tier + harder.min(1)).clamp(0, 2) as usize]
}

fn muscles(m: &Movement, v: &Variant) -> (Vec<Muscle>, Vec<Muscle>) {
    use MovementPattern::*;
    use Muscle::*;
    let mut pri = m.pri.to_vec();
    let mut sec: Vec<Muscle> = m.sec.iter().copied().filter(|x| !pri.contains(x)).collect();
    let mut promote = |x: Muscle| {
        sec.retain(|s| *s != x);
        if !pri.contains(&x) {
            pri.push(x);
        }
    };
    let pushes = matches!(m.pat, HorizontalPush | VerticalPush);
    let curls = m.pat == ArmIsolation && m.pri.first() == Some(&Biceps);
    match v.grip {
        Some(Grip::Close) if pushes => promote(Triceps),
        Some(Grip::Under) if matches!(m.pat, HorizontalPull | VerticalPull) => promote(Biceps),
        Some(Grip::Over) if curls => promote(Forearms),
        _ => {}
    }
    if v.angle == Some(Angle::Incline) && m.pat == HorizontalPush {
        promote(Shoulders);
    }
    if v.stance == Some(Stance::Sumo) {
        promote(Adductors);
    }
    let mut extra = Vec::new();
    if v.grip == Some(Grip::Neutral) && curls {
        extra.push(Forearms);
    }
    if v.stance == Some(Stance::Wide) && matches!(m.pat, Squat | Hinge) {
        extra.push(Adductors);
    }
    if v.uni {
        // One-sided loading recruits the trunk (arms) or the hip stabilisers (legs).
        extra.push(if works_arms(m) { Abdominals } else { Abductors });
    }
    for x in extra {
        if !pri.contains(&x) && !sec.contains(&x) {
            sec.push(x);
        }
    }
    (pri, sec)
}

/// "the dumbbells", "the bar"...: what `{load}` reads as.
fn load_phrase(m: &Movement, eq: Equipment, v: &Variant) -> Option<&'static str> {
    use Equipment::*;
    let single = v.uni || !m.pair;
    Some(match eq {
        Barbell | EzBar | SmithMachine | PullUpBar => "the bar",
        TrapBar => "the trap bar",
        Dumbbell if single => "the dumbbell",
        Dumbbell => "the dumbbells",
        Kettlebell if single => "the kettlebell",
        Kettlebell => "the kettlebells",
        Cable | Machine | SuspensionTrainer if v.uni => "the handle",
        Cable if !m.pair => "the attachment",
        Cable | Machine | SuspensionTrainer => "the handles",
        ResistanceBand => "the band",
        MedicineBall | StabilityBall => "the ball",
        FoamRoller => "the roller",
        Bench => "the bench",
        Bodyweight | CardioMachine | Other => return None,
    })
}

/// The opening step that gets the equipment ready, without its full stop.
fn equipment_step(m: &Movement, eq: Equipment, v: &Variant) -> Option<String> {
    use Equipment::*;
    let pair = m.pair && !v.uni;
    let (one, kind) = match eq {
        Dumbbell => (
            if pair {
                "a pair of dumbbells"
            } else {
                "one dumbbell"
            },
            "Pick",
        ),
        Kettlebell => (
            if pair {
                "a pair of kettlebells"
            } else {
                "one kettlebell"
            },
            "Pick",
        ),
        Barbell => ("a barbell", "Load"),
        EzBar => ("an EZ bar", "Load"),
        TrapBar => ("a trap bar", "Load"),
        MedicineBall => ("a medicine ball", "Pick"),
        _ => ("", ""),
    };
    let text = match eq {
        // A band in a stretch only extends the reach; there is no load to choose.
        ResistanceBand if m.cat == Category::Stretching && m.anchor.is_empty() => {
            "Hold a light resistance band or strap in both hands".into()
        }
        ResistanceBand if m.cat == Category::Stretching => format!("Loop a light resistance band or strap {}", m.anchor),
        Cable if m.anchor.is_empty() => "Attach a suitable handle to a cable pulley and select a weight you can control".into(),
        Cable => format!("Set a cable pulley {}, attach a suitable handle and select a weight you can control", m.anchor),
        ResistanceBand if m.anchor.is_empty() => "Choose a resistance band with a tension you can control for every rep".into(),
        ResistanceBand => format!("Anchor a resistance band {} and choose a tension you can control for every rep", m.anchor),
        Machine => "Adjust the seat and pads to fit your body and select a weight you can control".into(),
        SmithMachine => "Set the Smith machine bar and its safety stops at a suitable height, then load the bar".into(),
        StabilityBall => "Choose a stability ball sized so your hips and knees are level when you sit on it".into(),
        FoamRoller => "Place a firm foam roller on the floor".into(),
        PullUpBar => "Use a sturdy pull-up bar high enough to hang from with straight arms".into(),
        SuspensionTrainer => "Anchor a suspension trainer securely overhead and adjust the straps to a suitable length".into(),
        Bench => "Use a sturdy flat bench that will not slide".into(),
        Bodyweight | CardioMachine | Other => return None,
        _ if kind == "Pick" => format!("Pick {one} you can control for every rep"),
        _ => format!("Load {one} with a weight you can control for every rep"),
    };
    Some(text)
}

fn hold_clause(m: &Movement, eq: Equipment, v: &Variant) -> Option<String> {
    use Equipment::*;
    let free = matches!(eq, Barbell | Dumbbell | Kettlebell | EzBar | MedicineBall);
    let clause = m
        .hold
        .iter()
        .find(|(only, _)| *only == Some(eq))
        .or_else(|| m.hold.iter().find(|(only, _)| only.is_none() && free))?
        .1;
    let plural = m.pair && !v.uni && matches!(eq, Dumbbell | Kettlebell);
    Some(clause.replace("{it}", if plural { "them" } else { "it" }))
}

fn fill(step: &str, m: &Movement, eq: Equipment, v: &Variant) -> String {
    let mut text = step.to_owned();
    if let Some(load) = load_phrase(m, eq, v) {
        text = text.replace("{load}", load);
    }
    text = text.replace("{grip}", v.grip.map_or(m.grip, Grip::phrase));
    text.replace("{stance}", v.stance.map_or(m.stance, Stance::phrase))
}

fn instructions(m: &Movement, eq: Equipment, v: &Variant) -> Vec<String> {
    let mut out = Vec::new();
    if !m.own_setup
        && let Some(step) = equipment_step(m, eq, v)
    {
        match hold_clause(m, eq, v) {
            Some(hold) => out.push(format!("{step} and {hold}.")),
            None => out.push(format!("{step}.")),
        }
    }
    if let Some(angle) = v.angle {
        out.push(angle.cue().to_owned());
    }
    let inline = |key: &str| m.steps.iter().any(|s| s.contains(key));
    if let Some(grip) = v.grip.filter(|_| !inline("{grip}")) {
        out.push(format!("Take {} for every rep.", grip.phrase()));
    }
    if let Some(stance) = v.stance.filter(|_| !inline("{stance}")) {
        out.push(format!("Set your feet {}.", stance.phrase()));
    }
    if let Some(style) = v.style.filter(|s| s.setup) {
        out.push(style.cue.to_owned());
    }
    out.extend(m.steps.iter().map(|step| fill(step, m, eq, v)));
    if v.uni {
        out.push(if works_arms(m) {
            "Work one arm at a time, bracing your trunk so it does not twist or lean; finish all reps, then switch sides."
        } else {
            "Work one leg at a time, keeping your hips level and the free leg out of the way; finish all reps, then switch legs."
        }
        .to_owned());
    }
    match v.tempo {
        Some(Tempo::Paused) => out.push(format!("Pause for two full seconds {} while staying tight, then finish the rep.", m.pause)),
        Some(Tempo::Hold) => out.push(format!(
            "Instead of repeating the movement, hold the position {} for 20 to 30 seconds, breathing behind a braced trunk; that is one set.",
            m.pause
        )),
        Some(Tempo::Slow) => out.push(
            "Use a 3-1-1 tempo: three seconds on the lowering (or returning) phase, a one-second pause, then one second to lift."
                .to_owned(),
        ),
        None => {}
    }
    if let Some(style) = v.style.filter(|s| !s.setup) {
        out.push(style.cue.to_owned());
    }
    // Three modifiers on a movement that needs an equipment step would make seven
    // steps; the last two cues read fine as one.
    while out.len() > MAX_STEPS {
        let last = out.pop().unwrap_or_default();
        if let Some(previous) = out.last_mut() {
            previous.push(' ');
            previous.push_str(&last);
        }
    }
    out
}
