//! Movement-specific variants. Each is listed only by the movements it suits, which is
//! why a cue can say "the bar" or "the box".

use subgraph_common::vocab::Equipment::{self, *};

use super::model::{ANY_STANCE, DECLINE, HOLD, INCLINE, PAUSE, S_SUMO, S_WIDE, Style, TEMPO, UNI};

const BARS: &[Equipment] = &[Barbell, SmithMachine];
const FREE_WEIGHTS: &[Equipment] = &[Barbell, TrapBar, Dumbbell, Kettlebell];
const HANDHELD: &[Equipment] = &[Dumbbell, Kettlebell, Cable, ResistanceBand];
const ANGLES: u32 = INCLINE | DECLINE;
const TIMING: u32 = PAUSE | TEMPO | HOLD;

// Range of motion and starting position.
pub(super) const BOX: Style = Style::new(
    "Box",
    "Sit back onto a box set at about knee height, settle briefly without relaxing, then drive up.",
    0,
)
.excluding(HOLD);
pub(super) const PIN_SQUAT: Style = Style::new(
    "From Pins",
    "Set the safety pins at your bottom position, lower the bar onto them, come to a dead stop, then drive up.",
    1,
)
.only(BARS)
.excluding(TIMING);
pub(super) const PIN_PRESS: Style = Style::new(
    "From Pins",
    "Set the safety pins so the bar rests just above your chest and press every rep from a dead stop on the pins.",
    1,
)
.only(BARS)
.excluding(ANGLES | TIMING);
pub(super) const BOARD: Style = Style::new(
    "Board",
    "Have a partner hold a two- or three-board stack on your chest, or strap it there, and touch the bar to it on every rep.",
    1,
)
.only(&[Barbell])
.excluding(ANGLES | HOLD);
pub(super) const FEET_UP: Style = Style::new(
    "Feet-Up",
    "Lift your feet off the floor and hold your legs out straight so they cannot help drive the weight.",
    1,
)
.only(&[Barbell, Dumbbell]);
pub(super) const HEELS_ELEVATED: Style = Style::new(
    "Heels Elevated",
    "Stand with your heels raised on a small wedge or plates so you can stay more upright and load the quadriceps more.",
    0,
)
.excluding(S_WIDE | S_SUMO);
pub(super) const HIGH_FEET: Style = Style::new(
    "High Foot Placement",
    "Place your feet high on the platform to shift more of the work to your glutes and hamstrings.",
    0,
);
pub(super) const LOW_FEET: Style = Style::new(
    "Low Foot Placement",
    "Place your feet low on the platform so your knees travel further forward and your quadriceps do more of the work.",
    0,
);
pub(super) const ONE_AND_HALF: Style = Style::new(
    "One-and-a-Half Reps",
    "Go through the full range, return halfway, go back to the fully stretched position, then finish the rep; that counts as one.",
    0,
)
.excluding(TIMING)
.during();
pub(super) const LENGTHENED: Style = Style::new(
    "Lengthened Partials",
    "Work only the stretched half of the range: move from the fully stretched position to about halfway and back.",
    0,
)
.excluding(PAUSE | HOLD)
.during();
pub(super) const TWENTY_ONES: Style = Style::new(
    "21s",
    "Do seven reps in the bottom half of the range, seven in the top half, then seven full reps without resting.",
    1,
)
.excluding(TIMING)
.during();
pub(super) const ALTERNATING: Style = Style::new(
    "Alternating",
    "Move one arm at a time, alternating sides on every rep while the other arm holds its start position.",
    0,
)
.only(&[Dumbbell, Kettlebell])
.excluding(UNI | HOLD)
.during();
pub(super) const DEFICIT_PULL: Style = Style::new(
    "Deficit",
    "Stand on a sturdy plate or platform 2 to 5 cm high so every rep starts from a lower position.",
    1,
)
.only(FREE_WEIGHTS);
pub(super) const DEFICIT_LUNGE: Style = Style::new(
    "Deficit",
    "Stand with your front foot on a low step or plate so your back knee can travel lower than usual.",
    1,
);
pub(super) const DEFICIT_PUSH: Style = Style::new(
    "Deficit",
    "Place your hands on push-up handles, parallettes or stacked plates so your chest can sink below hand level.",
    1,
);
pub(super) const DEFICIT_HANDSTAND: Style = Style::new(
    "Deficit",
    "Place your hands on parallettes or stacked plates so your head can sink below hand level.",
    0,
);
pub(super) const BLOCK_PULL: Style = Style::new(
    "From Blocks",
    "Set the bar on blocks or safety pins just below knee height and start every rep from there.",
    0,
)
.only(&[Barbell]);
pub(super) const MIXED_GRIP: Style = Style::new(
    "Mixed Grip",
    "Hold the bar with one palm facing you and the other facing away, and swap hands between sets.",
    0,
)
.only(&[Barbell]);
pub(super) const HOOK_GRIP: Style = Style::new(
    "Hook Grip",
    "Wrap your thumb around the bar first and pin it with your first two fingers for a more secure hold.",
    0,
)
.only(&[Barbell]);
pub(super) const BANDED: Style = Style::new(
    "Banded",
    "Loop resistance bands from the bar sleeves to the base of the rack so the load grows as you lift.",
    1,
)
.only(&[Barbell])
.excluding(ANGLES | HOLD);
pub(super) const CHAINS: Style = Style::new(
    "With Chains",
    "Hang lifting chains from the bar sleeves so links pile on the floor at the bottom and lift off as you rise.",
    1,
)
.only(&[Barbell])
.excluding(ANGLES | HOLD);
pub(super) const SPEED: Style = Style::new(
    "Speed Reps",
    "Use about half of your usual working weight and lift as fast as you can on every rep, lowering under control.",
    0,
)
.only(&[Barbell])
.excluding(ANGLES | TIMING)
.during();
pub(super) const HIGH_HANDLES: Style = Style::new(
    "High Handles",
    "Use the raised handles so each rep starts a little higher and the range is shorter.",
    -1,
);
pub(super) const FEET_ELEVATED: Style = Style::new(
    "Feet Elevated",
    "Rest your feet on a bench or box so more of your body weight is lifted on every rep.",
    1,
);
pub(super) const NEGATIVE: Style = Style::new(
    "Negative",
    "Jump or step up to the top position, then lower yourself as slowly as you can, taking at least five seconds; reset and repeat.",
    -1,
)
.excluding(TIMING)
.during();
pub(super) const WEIGHTED: Style = Style::new(
    "Weighted",
    "Add load with a dumbbell or plate hung from a dip belt, starting light.",
    1,
);
pub(super) const WEIGHTED_HUG: Style = Style::new(
    "Weighted",
    "Hug a weight plate or dumbbell against your chest to add load.",
    1,
);
pub(super) const L_SIT: Style = Style::new(
    "L-Sit",
    "Hold your legs straight out in front of you at hip height for the whole set.",
    1,
)
.during();
pub(super) const BEHIND_BACK: Style = Style::new(
    "Behind-the-Back",
    "Hold the bar behind your hips instead of in front of your thighs.",
    0,
)
.only(BARS);
pub(super) const LATERAL_STEP: Style = Style::new(
    "Lateral",
    "Stand side-on to the box and step sideways with the near leg, keeping your hips square to the front.",
    0,
);
pub(super) const CROSS_BODY_CURL: Style = Style::new(
    "Cross-Body",
    "Curl the weight across your body toward the opposite shoulder, alternating arms.",
    0,
)
.only(&[Dumbbell, Kettlebell])
.excluding(UNI | HOLD)
.during();

// Body position.
pub(super) const SEATED: Style = Style::new(
    "Seated",
    "Sit upright on the end of a bench with your feet planted so your legs cannot help the movement.",
    0,
)
.only(HANDHELD)
.excluding(ANGLES | ANY_STANCE);
pub(super) const HALF_KNEELING: Style = Style::new(
    "Half-Kneeling",
    "Kneel on one knee with the other foot flat in front, squeeze the glute of the kneeling leg and keep your ribs over your pelvis; switch legs each set.",
    0,
)
.excluding(ANGLES | ANY_STANCE);
pub(super) const TALL_KNEELING: Style = Style::new(
    "Tall-Kneeling",
    "Kneel on both knees with your hips extended and glutes squeezed so your legs cannot help.",
    0,
)
.excluding(ANGLES | ANY_STANCE);
pub(super) const CHEST_SUPPORTED: Style = Style::new(
    "Chest-Supported",
    "Lie face down on a bench set to a low incline so your torso stays supported and cannot swing.",
    0,
)
.only(&[Dumbbell, Kettlebell]);
pub(super) const SHORT_LEVER: Style = Style::new(
    "Short Lever",
    "Bend your knees and support yourself on them rather than your feet to shorten the lever and make the hold easier.",
    -1,
);
pub(super) const HARD_STYLE: Style = Style::new(
    "Hard-Style",
    "Squeeze your fists, glutes and thighs as hard as you can and pull your elbows toward your toes; hold for only 10 to 20 seconds.",
    1,
)
.during();

// Olympic lift start positions.
pub(super) const HANG: Style = Style::new(
    "Hang",
    "Start every rep standing tall with the weight at mid-thigh rather than on the floor.",
    0,
);
pub(super) const HIGH_HANG: Style = Style::new(
    "High Hang",
    "Start every rep with the weight high on your thighs, close to the hip crease, so the pull must be fast and short.",
    0,
);
pub(super) const FROM_BLOCKS: Style = Style::new(
    "From Blocks",
    "Start every rep with the bar resting on blocks at about knee height.",
    0,
)
.only(&[Barbell]);

// Carries and loaded conditioning.
pub(super) const MARCHING: Style = Style::new(
    "Marching",
    "Walk slowly, lifting each knee to hip height while keeping your torso completely still.",
    0,
)
.during();
pub(super) const HEAVY: Style = Style::new(
    "Heavy",
    "Load it heavily and drive with short, powerful steps over 10 to 20 metres, resting fully between efforts.",
    1,
)
.during();

// Jumps and throws.
pub(super) const CONTINUOUS: Style = Style::new(
    "Continuous",
    "Rebound straight into the next rep with as little ground contact as possible instead of resetting.",
    1,
)
.during();
pub(super) const LANDING_HOLD: Style = Style::new(
    "Landing Hold",
    "Land softly and hold the landing position still for two seconds before the next rep.",
    0,
)
.during();
pub(super) const SEATED_START: Style = Style::new(
    "Seated Start",
    "Start every rep seated on a bench in front of the box so you cannot use a countermovement.",
    0,
);
pub(super) const CROSS_BODY: Style = Style::new(
    "Cross-Body",
    "Drive each knee toward the opposite elbow to involve the obliques.",
    0,
)
.during();
pub(super) const ROTATIONAL: Style = Style::new(
    "Rotational",
    "Slam the ball beside one foot by rotating through your hips, alternating sides on every rep.",
    0,
)
.during();

// Cardio sessions; the default is a steady, conversational effort.
pub(super) const INTERVALS: Style = Style::new(
    "Intervals",
    "After warming up, alternate one minute hard with one to two minutes easy for the main part of the session.",
    1,
)
.during();
pub(super) const SPRINTS: Style = Style::new(
    "Sprint Intervals",
    "After a thorough warm-up, do 6 to 10 all-out efforts of 15 to 20 seconds with about 90 seconds easy between them.",
    2,
)
.during();
pub(super) const THRESHOLD: Style = Style::new(
    "Threshold Pace",
    "Hold a comfortably hard effort, where you can only say a few words at a time, for 15 to 30 minutes.",
    1,
)
.during();
pub(super) const PYRAMID: Style = Style::new(
    "Pyramid Intervals",
    "After warming up, go hard for 30, 60, 90, 60 and 30 seconds, with an equal spell at an easy pace after each effort.",
    1,
)
.during();
pub(super) const RECOVERY: Style = Style::new(
    "Recovery Pace",
    "Keep the effort very easy throughout, so you could hold a full conversation.",
    -1,
)
.during();
pub(super) const HILLS: Style = Style::new(
    "Hill Repeats",
    "Go briskly up a moderate hill for 30 to 60 seconds, then walk back down to recover; repeat 6 to 10 times.",
    1,
)
.during();
pub(super) const TABATA: Style = Style::new(
    "Tabata",
    "Do eight rounds of 20 seconds at maximum effort and 10 seconds easy; rest for two minutes and repeat up to three blocks.",
    2,
)
.during();

// Stretching and mobility.
pub(super) const CONTRACT_RELAX: Style = Style::new(
    "Contract-Relax",
    "After 20 seconds, push gently against the stretch at about a quarter of your strength for 5 seconds, relax, then ease a little deeper; repeat twice.",
    1,
)
.during();
pub(super) const LONG_HOLD: Style = Style::new(
    "Long Hold",
    "Extend the hold to 60 to 90 seconds, relaxing a little deeper with each slow exhale.",
    0,
)
.during();
pub(super) const DYNAMIC: Style = Style::new(
    "Dynamic",
    "Instead of holding still, ease in and out of the stretch for 8 to 10 slow, controlled reps.",
    0,
)
.during();
pub(super) const BREATH_PACED: Style = Style::new(
    "Breath-Paced",
    "Link each movement to one slow breath: inhale into one position, exhale into the other.",
    0,
)
.during();
pub(super) const END_RANGE: Style = Style::new(
    "End-Range Holds",
    "Pause for three slow breaths at the end of each range before reversing.",
    0,
)
.during();
pub(super) const TENDER_HOLDS: Style = Style::new(
    "Tender-Spot Holds",
    "When you find a tender spot, stop and rest on it for 20 to 30 seconds, breathing slowly until it eases.",
    0,
)
.during();
pub(super) const ACTIVE_RELEASE: Style = Style::new(
    "Active Release",
    "Stay on a tender spot and slowly bend and straighten the nearest joint 5 to 10 times.",
    0,
)
.during();
pub(super) const NECK_SIDE: Style = Style::new(
    "Side",
    "Press the side of your head into your palm instead, then repeat on the other side.",
    0,
)
.during();
pub(super) const NECK_BACK: Style = Style::new(
    "Rear",
    "Press the back of your head into your clasped hands instead.",
    0,
)
.during();

/// The usual choices for a held stretch.
pub(super) const STRETCH_STYLES: &[&Style] = &[&CONTRACT_RELAX, &LONG_HOLD];
/// Held stretches that also work as a gentle dynamic drill.
pub(super) const STRETCH_STYLES_DYNAMIC: &[&Style] = &[&CONTRACT_RELAX, &LONG_HOLD, &DYNAMIC];
pub(super) const MOBILITY_STYLES: &[&Style] = &[&BREATH_PACED, &END_RANGE];
pub(super) const ROLLING_STYLES: &[&Style] = &[&TENDER_HOLDS, &ACTIVE_RELEASE];
pub(super) const CARDIO_STYLES: &[&Style] =
    &[&INTERVALS, &SPRINTS, &THRESHOLD, &PYRAMID, &RECOVERY];
pub(super) const EASY_CARDIO_STYLES: &[&Style] = &[&INTERVALS, &RECOVERY];
pub(super) const CONDITIONING_STYLES: &[&Style] = &[&INTERVALS, &TABATA];
