//! Weightlifting, jumps and throws.

use subgraph_common::vocab::{
    Category::*, Difficulty::*, Equipment::*, Force::*, MovementPattern::*, Muscle::*,
};

use crate::catalog::model::*;
use crate::catalog::styles::*;

const OLY: Movement = Movement {
    cat: OlympicWeightlifting,
    force: Some(Pull),
    pat: OlympicLift,
    diff: Advanced,
    ..LIFT
};
const START_POSITIONS: &[&Style] = &[&HANG, &HIGH_HANG, &FROM_BLOCKS];

/// Options only the burpee has.
const WITH_PUSH_UP: Style = Style::new(
    "With Push-Up",
    "Add a full push-up each time you reach the plank, chest touching the floor.",
    0,
)
.during();
const NO_JUMP: Style = Style::new(
    "No Jump",
    "Step your feet back and in one at a time and finish by standing tall instead of jumping.",
    -1,
)
.during();

pub(crate) const MOVEMENTS: &[Movement] = &[
    // Weightlifting.
    Movement {
        name: "Clean",
        pri: &[Quadriceps, Glutes, Hamstrings],
        sec: &[Traps, Shoulders, LowerBack, Calves],
        eq: &[Barbell],
        styles: START_POSITIONS,
        steps: &[
            "Set up with the bar over your mid-foot, a hook grip just outside your legs and your back flat.",
            "Push the floor away, keep the bar close and extend your hips, knees and ankles explosively as it passes your thighs.",
            "Pull yourself under into a front squat, catch the bar on your shoulders with elbows high, then stand up.",
        ],
        ..OLY
    },
    Movement {
        name: "Power Clean",
        pri: &[Glutes, Hamstrings, Quadriceps],
        sec: &[Traps, Shoulders, Calves, LowerBack],
        eq: &[Barbell, Dumbbell],
        axes: UNI,
        styles: START_POSITIONS,
        steps: &[
            "Set up with {load} on the floor close to your shins, back flat and arms straight.",
            "Jump the weight up by extending your hips, knees and ankles explosively, shrugging as it passes your hips.",
            "Pull yourself under and catch {load} on the front of your shoulders in a quarter squat, then stand tall.",
        ],
        ..OLY
    },
    Movement {
        name: "Snatch",
        pri: &[Quadriceps, Glutes, Shoulders],
        sec: &[Hamstrings, Traps, LowerBack, Triceps],
        eq: &[Barbell],
        styles: START_POSITIONS,
        steps: &[
            "Set up with a wide snatch grip, the bar over your mid-foot and your back flat.",
            "Pull the bar close to your body, then extend your hips, knees and ankles explosively as it reaches your upper thighs.",
            "Pull yourself under into a deep overhead squat with locked arms, then stand up with the bar overhead.",
        ],
        ..OLY
    },
    Movement {
        name: "Power Snatch",
        pri: &[Glutes, Hamstrings, Shoulders],
        sec: &[Quadriceps, Traps, Triceps],
        eq: &[Barbell, Dumbbell],
        axes: UNI,
        styles: START_POSITIONS,
        steps: &[
            "Set up with {load} on the floor close to your shins, back flat and arms straight.",
            "Extend your hips, knees and ankles explosively, keeping {load} close as it travels up.",
            "Punch under it to catch it overhead with locked arms in a quarter squat, then stand tall.",
        ],
        ..OLY
    },
    Movement {
        name: "Clean and Jerk",
        pri: &[Quadriceps, Glutes, Shoulders],
        sec: &[Hamstrings, Traps, Triceps],
        eq: &[Barbell],
        styles: &[&FROM_BLOCKS],
        steps: &[
            "Clean the bar from the floor to your shoulders, catching it in a front squat and standing up.",
            "Reset your grip and breathing, dip straight down through your legs and drive the bar overhead.",
            "Split your feet to catch it on locked arms, then bring your feet back in line before lowering the bar.",
        ],
        ..OLY
    },
    Movement {
        name: "Push Jerk",
        force: Some(Push),
        pri: &[Shoulders],
        sec: &[Triceps, Quadriceps, Glutes],
        eq: &[Barbell, Dumbbell],
        axes: UNI,
        steps: &[
            "Stand with {load} racked on your shoulders and your feet hip width apart.",
            "Dip a few centimetres with an upright torso, then drive up hard through your legs.",
            "Push yourself under {load} as it rises, catching it on locked arms in a quarter squat, then stand tall.",
        ],
        ..OLY
    },
    Movement {
        name: "Split Jerk",
        force: Some(Push),
        pri: &[Shoulders, Quadriceps],
        sec: &[Triceps, Glutes],
        eq: &[Barbell],
        steps: &[
            "Stand with the bar racked on your shoulders and your feet hip width apart.",
            "Dip straight down and drive hard through your legs.",
            "Split your feet forward and back as you punch under the bar, catch it on locked arms, then step your feet back together.",
        ],
        ..OLY
    },
    Movement {
        name: "Clean Pull",
        diff: Intermediate,
        pri: &[Glutes, Hamstrings, Traps],
        sec: &[Quadriceps, LowerBack, Forearms],
        eq: &[Barbell],
        styles: &[&HANG, &FROM_BLOCKS, &DEFICIT_PULL],
        steps: &[
            "Set up as for a clean, with the bar over your mid-foot and a hook grip just outside your legs.",
            "Push the floor away, keeping the bar close until it reaches your upper thighs.",
            "Extend your hips, knees and ankles explosively and finish with a shrug, arms straight, then lower under control.",
        ],
        ..OLY
    },
    Movement {
        name: "Snatch Pull",
        diff: Intermediate,
        pri: &[Glutes, Hamstrings, Traps],
        sec: &[Quadriceps, LowerBack, Forearms],
        eq: &[Barbell],
        styles: &[&HANG, &FROM_BLOCKS, &DEFICIT_PULL],
        steps: &[
            "Set up with a wide snatch grip, the bar over your mid-foot and your back flat.",
            "Push the floor away, keeping the bar close until it reaches your hip crease.",
            "Extend your hips, knees and ankles explosively and finish with a shrug, arms straight, then lower under control.",
        ],
        ..OLY
    },
    Movement {
        name: "High Pull",
        diff: Intermediate,
        pri: &[Traps, Shoulders],
        sec: &[Glutes, Hamstrings],
        eq: &[Barbell, Dumbbell],
        axes: UNI,
        steps: &[
            "Stand with {load} at mid-thigh, feet hip width apart and arms straight.",
            "Extend your hips and knees explosively, then pull {load} up to chest height with your elbows high and wide.",
            "Lower it back to mid-thigh under control and reset.",
        ],
        ..OLY
    },
    Movement {
        name: "Snatch Balance",
        force: Some(Push),
        pri: &[Quadriceps, Shoulders],
        sec: &[Triceps, Glutes, Abdominals],
        eq: &[Barbell],
        steps: &[
            "Rest the bar on your upper back with a wide snatch grip and your feet hip width apart.",
            "Dip slightly, then drive the bar up while dropping fast into a deep squat, punching your arms straight.",
            "Catch the bar overhead at the bottom, steady it, then stand up.",
        ],
        ..OLY
    },
    Movement {
        name: "Muscle Snatch",
        diff: Intermediate,
        pri: &[Shoulders, Traps],
        sec: &[Glutes, Hamstrings],
        eq: &[Barbell],
        styles: &[&HANG],
        steps: &[
            "Set up with a wide snatch grip, the bar over your mid-foot and your back flat.",
            "Extend your hips and knees, then keep pulling the bar up close to your body without re-bending your knees.",
            "Turn your elbows over and press the bar to locked arms overhead, then lower under control.",
        ],
        ..OLY
    },
    Movement {
        name: "Kettlebell Clean",
        force: Some(Pull),
        pat: OlympicLift,
        diff: Intermediate,
        pri: &[Glutes, Hamstrings],
        sec: &[Shoulders, Forearms, Abdominals],
        eq: &[Kettlebell],
        axes: UNI,
        steps: &[
            "Stand with {load} on the floor slightly in front of you, feet a little wider than hip width.",
            "Hike the weight back between your legs, then drive your hips forward and guide it up close to your body.",
            "Let it roll around your wrist into the rack at your shoulder, then drop it back between your legs for the next rep.",
        ],
        ..LIFT
    },
    Movement {
        name: "Kettlebell Snatch",
        force: Some(Pull),
        pat: OlympicLift,
        diff: Advanced,
        pri: &[Glutes, Shoulders, Hamstrings],
        sec: &[Forearms, Abdominals, Traps],
        eq: &[Kettlebell],
        pair: false,
        steps: &[
            "Stand with {load} on the floor slightly in front of you and grip it with one hand.",
            "Hike it back, then drive your hips forward and pull it up close to your body in one motion.",
            "Punch your hand through as it passes your head so it settles softly on your forearm overhead; finish all reps, then switch arms.",
        ],
        ..LIFT
    },
    Movement {
        name: "Kettlebell Clean and Press",
        force: Some(Push),
        pat: VerticalPush,
        diff: Intermediate,
        pri: &[Shoulders, Glutes],
        sec: &[Triceps, Hamstrings, Abdominals],
        eq: &[Kettlebell],
        axes: UNI,
        steps: &[
            "Clean {load} from between your legs to the rack position at your shoulders.",
            "Brace and press overhead to locked arms.",
            "Lower back to the rack, then let the weight swing down between your legs for the next clean.",
        ],
        ..LIFT
    },
    Movement {
        name: "Thruster",
        force: Some(Push),
        pat: Squat,
        diff: Intermediate,
        pri: &[Quadriceps, Shoulders],
        sec: &[Glutes, Triceps, Abdominals],
        eq: &[Barbell, Dumbbell, Kettlebell],
        limb: Limb::Arm,
        axes: UNI,
        steps: &[
            "Hold {load} at your shoulders in a front-rack position with your feet shoulder width apart.",
            "Squat down until your thighs are parallel to the floor.",
            "Drive up hard and use the momentum to press {load} overhead to locked arms, then return it to your shoulders.",
        ],
        ..LIFT
    },
    // Jumps.
    Movement {
        name: "Box Jump",
        diff: Intermediate,
        pri: &[Quadriceps, Glutes],
        sec: &[Calves, Hamstrings],
        axes: UNI,
        styles: &[&SEATED_START, &LANDING_HOLD],
        steps: &[
            "Stand about a foot-length from a sturdy box with your feet hip width apart.",
            "Swing your arms back, dip into a quarter squat and jump onto the box, landing softly.",
            "Stand tall on the box, then step down rather than jumping back down.",
        ],
        ..PLYO
    },
    Movement {
        name: "Broad Jump",
        diff: Intermediate,
        pri: &[Quadriceps, Glutes],
        sec: &[Hamstrings, Calves],
        axes: UNI,
        styles: &[&CONTINUOUS, &LANDING_HOLD],
        steps: &[
            "Stand behind a line with your feet hip width apart.",
            "Swing your arms and jump forward as far as you can, driving your hips through.",
            "Land softly, absorbing the landing with your hips and knees, then walk back.",
        ],
        ..PLYO
    },
    Movement {
        name: "Jump Squat",
        pri: &[Quadriceps, Glutes],
        sec: &[Calves, Hamstrings],
        eq: &[Bodyweight, Dumbbell, Barbell, MedicineBall],
        hold: &[
            (Some(Barbell), "rest {it} across your upper back"),
            (Some(MedicineBall), "hold {it} at your chest"),
            (None, "hold {it} at your sides"),
        ],
        pause: "at the bottom before each jump",
        stance: "about shoulder width apart",
        axes: S_WIDE | S_NARROW | PAUSE | UNI,
        styles: &[&LANDING_HOLD],
        steps: &[
            "Stand with your feet {stance}.",
            "Squat down to about parallel, then jump as high as you can, extending fully.",
            "Land softly with bent knees and go straight into the next rep.",
        ],
        ..PLYO
    },
    Movement {
        name: "Trap Bar Jump",
        diff: Intermediate,
        pri: &[Quadriceps, Glutes],
        sec: &[Calves, Hamstrings, Traps],
        eq: &[TrapBar],
        steps: &[
            "Stand in the middle of the trap bar and grip the handles with a flat back.",
            "Dip into a quarter squat and jump explosively, taking the bar with you.",
            "Land softly in the same quarter squat and reset before the next rep.",
        ],
        ..PLYO
    },
    Movement {
        name: "Tuck Jump",
        diff: Intermediate,
        pri: &[Quadriceps],
        sec: &[Calves, Abdominals, Glutes],
        styles: &[&CONTINUOUS],
        steps: &[
            "Stand with your feet hip width apart and your arms by your sides.",
            "Jump straight up and pull your knees toward your chest at the top.",
            "Extend your legs to land softly on the balls of your feet, then reset.",
        ],
        ..PLYO
    },
    Movement {
        name: "Depth Jump",
        diff: Advanced,
        pri: &[Quadriceps, Calves],
        sec: &[Glutes, Hamstrings],
        steps: &[
            "Step off a box about knee height, landing on both feet.",
            "As soon as you touch down, jump straight up as high as you can with minimal ground contact.",
            "Land softly, reset and climb back onto the box.",
        ],
        ..PLYO
    },
    Movement {
        name: "Depth Drop",
        diff: Intermediate,
        pri: &[Quadriceps],
        sec: &[Glutes, Calves],
        steps: &[
            "Step off a low box, landing on both feet.",
            "Absorb the landing quietly in a quarter squat, knees tracking over your toes.",
            "Hold the landing for a moment, then climb back up.",
        ],
        ..PLYO
    },
    Movement {
        name: "Skater Jump",
        pri: &[Glutes, Quadriceps],
        sec: &[Abductors, Adductors, Calves],
        styles: &[&LANDING_HOLD],
        steps: &[
            "Stand on one leg with a slight bend in the knee.",
            "Bound sideways onto the other leg, landing softly and letting the free leg swing behind.",
            "Immediately bound back the other way, keeping a steady rhythm.",
        ],
        ..PLYO
    },
    Movement {
        name: "Split Jump",
        diff: Intermediate,
        pri: &[Quadriceps, Glutes],
        sec: &[Hamstrings, Calves],
        eq: &[Bodyweight, Dumbbell],
        hold: &[(None, "hold {it} at your sides")],
        steps: &[
            "Start in a split stance with both knees bent to about 90 degrees.",
            "Jump explosively and switch legs in the air.",
            "Land softly in the opposite split stance and go straight into the next jump.",
        ],
        ..PLYO
    },
    Movement {
        name: "Pogo Hop",
        pri: &[Calves],
        sec: &[Quadriceps],
        axes: UNI,
        steps: &[
            "Stand tall with your feet hip width apart and your knees almost straight.",
            "Bounce up and down using mainly your ankles, staying on the balls of your feet.",
            "Keep ground contact short and your posture tall throughout the set.",
        ],
        ..PLYO
    },
    Movement {
        name: "Lateral Line Hop",
        pri: &[Calves],
        sec: &[Quadriceps, Abductors, Adductors],
        axes: UNI,
        steps: &[
            "Stand beside a line on the floor with your feet together.",
            "Hop sideways over the line and back again, landing lightly on the balls of your feet.",
            "Keep the hops quick and low for the set time.",
        ],
        ..PLYO
    },
    Movement {
        name: "Star Jump",
        pri: &[Quadriceps],
        sec: &[Calves, Shoulders, Glutes],
        steps: &[
            "Start in a quarter squat with your arms by your sides.",
            "Jump as high as you can, spreading your arms and legs into a star shape.",
            "Bring them back together before landing softly in the quarter squat.",
        ],
        ..PLYO
    },
    Movement {
        name: "Burpee",
        diff: Intermediate,
        pri: &[Quadriceps, Chest],
        sec: &[Shoulders, Triceps, Abdominals, Glutes],
        styles: &[&WITH_PUSH_UP, &NO_JUMP, &TABATA],
        steps: &[
            "From standing, squat down and place your hands on the floor.",
            "Jump your feet back into a high plank, then jump them back in toward your hands.",
            "Explode up into a jump with your arms overhead, landing softly.",
        ],
        ..PLYO
    },
    Movement {
        name: "Plyometric Push-Up",
        pat: HorizontalPush,
        diff: Intermediate,
        pri: &[Chest],
        sec: &[Triceps, Shoulders],
        steps: &[
            "Set up in a high plank with your hands a little wider than your shoulders.",
            "Lower your chest toward the floor, then push up explosively so your hands leave it.",
            "Land with soft elbows and go straight into the next rep.",
        ],
        ..PLYO
    },
    Movement {
        name: "Clap Push-Up",
        pat: HorizontalPush,
        diff: Advanced,
        pri: &[Chest],
        sec: &[Triceps, Shoulders],
        steps: &[
            "Set up in a high plank with your hands a little wider than your shoulders.",
            "Lower your chest, then push up explosively and clap your hands once in the air.",
            "Catch yourself with soft elbows and go straight into the next rep.",
        ],
        ..PLYO
    },
    // Throws.
    Movement {
        name: "Medicine Ball Slam",
        pat: Core,
        pri: &[Lats, Abdominals],
        sec: &[Shoulders, Triceps],
        eq: &[MedicineBall],
        styles: &[&ROTATIONAL, &TABATA],
        steps: &[
            "Stand tall holding the ball overhead with straight arms.",
            "Slam it into the floor in front of you as hard as you can, hinging at the hips and bracing your abs.",
            "Catch it on the bounce or pick it up, and go straight into the next rep.",
        ],
        ..PLYO
    },
    Movement {
        name: "Medicine Ball Chest Pass",
        pat: HorizontalPush,
        pri: &[Chest],
        sec: &[Triceps, Shoulders],
        eq: &[MedicineBall],
        styles: &[&HALF_KNEELING, &TALL_KNEELING],
        steps: &[
            "Face a sturdy wall about two metres away, holding the ball at your chest.",
            "Push the ball explosively into the wall at chest height, following through with your arms.",
            "Catch it on the rebound and go straight into the next throw.",
        ],
        ..PLYO
    },
    Movement {
        name: "Medicine Ball Rotational Throw",
        pat: Rotation,
        diff: Intermediate,
        pri: &[Abdominals],
        sec: &[Shoulders, Glutes],
        eq: &[MedicineBall],
        styles: &[&HALF_KNEELING, &TALL_KNEELING],
        steps: &[
            "Set up side-on to a sturdy wall about a metre away, holding the ball at hip height.",
            "Rotate away, then drive through your back hip and throw the ball hard into the wall.",
            "Catch it on the rebound; finish all reps, then switch sides.",
        ],
        ..PLYO
    },
    Movement {
        name: "Medicine Ball Backward Throw",
        pat: Hinge,
        diff: Intermediate,
        pri: &[Glutes, Hamstrings],
        sec: &[Shoulders, LowerBack],
        eq: &[MedicineBall],
        steps: &[
            "Stand in an open space holding the ball at arm's length in front of your hips.",
            "Hinge and swing it between your legs, then extend your hips explosively to throw it up and back over your head.",
            "Retrieve the ball and reset before the next throw.",
        ],
        ..PLYO
    },
    Movement {
        name: "Medicine Ball Wall Shot",
        pat: Squat,
        diff: Intermediate,
        pri: &[Quadriceps, Shoulders],
        sec: &[Glutes, Triceps],
        eq: &[MedicineBall],
        styles: &[&INTERVALS, &TABATA],
        steps: &[
            "Stand facing a wall holding the ball at your chest.",
            "Squat to parallel, then drive up and throw the ball to a target about three metres high.",
            "Catch it as it falls and flow straight into the next squat.",
        ],
        ..PLYO
    },
    Movement {
        name: "Lateral Box Jump",
        diff: Intermediate,
        pri: &[Quadriceps, Glutes],
        sec: &[Abductors, Adductors, Calves],
        styles: &[&LANDING_HOLD],
        steps: &[
            "Stand side-on to a low, sturdy box with your feet hip width apart.",
            "Dip and jump sideways onto the box, landing softly with both feet.",
            "Step down on the far side and jump back the other way.",
        ],
        ..PLYO
    },
    Movement {
        name: "Bounding",
        diff: Intermediate,
        pri: &[Glutes, Quadriceps],
        sec: &[Hamstrings, Calves],
        styles: &[&CONTINUOUS],
        steps: &[
            "Jog a few steps to build a little speed.",
            "Push off one leg and drive the other knee forward and up, leaping as far as you can.",
            "Land on the opposite foot and go straight into the next bound, pumping your arms.",
        ],
        ..PLYO
    },
    Movement {
        name: "Frog Jump",
        diff: Intermediate,
        pri: &[Quadriceps, Glutes],
        sec: &[Adductors, Calves],
        styles: &[&CONTINUOUS],
        steps: &[
            "Squat down deep with your feet wide and your fingertips touching the floor.",
            "Jump forward and up as far as you can, swinging your arms.",
            "Land softly back in the deep squat, then reset for the next jump.",
        ],
        ..PLYO
    },
    Movement {
        name: "Kneeling Jump",
        diff: Advanced,
        pri: &[Glutes, Quadriceps],
        sec: &[Hamstrings, Abdominals],
        steps: &[
            "Kneel tall on a padded surface with your toes tucked or flat behind you.",
            "Swing your arms and snap your hips forward to jump your feet underneath you.",
            "Land in a squat, stand up, then kneel down again for the next rep.",
        ],
        ..PLYO
    },
];
