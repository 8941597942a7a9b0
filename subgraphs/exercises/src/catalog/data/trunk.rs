//! Trunk work (bracing, flexion, rotation), carries and strongman events.

use subgraph_common::vocab::{
    Category::*, Difficulty::*, Equipment, Equipment::*, Force::*, MovementPattern::*, Muscle::*,
};

use crate::catalog::model::*;
use crate::catalog::styles::*;

type Holds = &'static [(Option<Equipment>, &'static str)];

const AT_CHEST: Holds = &[(None, "hold {it} against your chest")];
const HOLD_FOR_TIME: &str = "Hold for the prescribed time, breathing steadily.";
const TUCKED: Style = Style::new(
    "Tucked",
    "Bend your knees toward your chest and keep your arms by your sides to make the hold easier.",
    -1,
);

/// Strongman events need their own implements, so their steps describe the setup.
const EVENT: Movement = Movement {
    cat: Strongman,
    own_setup: true,
    eq: &[Other],
    ..LIFT
};

pub(crate) const MOVEMENTS: &[Movement] = &[
    // Bracing.
    Movement {
        name: "Plank",
        force: Some(Static),
        pat: Core,
        pri: &[Abdominals],
        sec: &[Shoulders, Glutes],
        eq: &[Bodyweight],
        axes: UNI,
        styles: &[&SHORT_LEVER, &HARD_STYLE],
        steps: &[
            "Set your forearms on the floor with your elbows under your shoulders and your legs extended behind you.",
            "Brace your abs and glutes so your body forms a straight line from head to heels.",
            "Hold for the prescribed time, breathing steadily without letting your hips sag.",
        ],
        ..ISO
    },
    Movement {
        name: "Stability Ball Plank",
        force: Some(Static),
        pat: Core,
        diff: Intermediate,
        pri: &[Abdominals],
        sec: &[Shoulders],
        eq: &[StabilityBall],
        steps: &[
            "Rest your forearms on the ball with your elbows under your shoulders and your legs extended behind you.",
            "Brace your abs and glutes so your body forms a straight line while the ball stays still.",
            HOLD_FOR_TIME,
        ],
        ..ISO
    },
    Movement {
        name: "Suspension Plank",
        force: Some(Static),
        pat: Core,
        diff: Intermediate,
        pri: &[Abdominals],
        sec: &[Shoulders, Glutes],
        eq: &[SuspensionTrainer],
        steps: &[
            "Place your feet in the foot cradles and set up in a forearm plank facing the floor.",
            "Brace so your body forms a straight line without letting the straps swing.",
            HOLD_FOR_TIME,
        ],
        ..ISO
    },
    Movement {
        name: "Plank Shoulder Tap",
        force: Some(Static),
        pat: Core,
        pri: &[Abdominals],
        sec: &[Shoulders, Triceps],
        eq: &[Bodyweight],
        axes: TEMPO,
        steps: &[
            "Set up in a high plank with your feet a little wider than hip width.",
            "Lift one hand to tap the opposite shoulder without letting your hips rock.",
            "Return the hand and alternate sides at a steady pace.",
        ],
        ..ISO
    },
    Movement {
        name: "Side Plank",
        force: Some(Static),
        pat: Core,
        pri: &[Abdominals],
        sec: &[Abductors, Shoulders],
        eq: &[Bodyweight],
        styles: &[&SHORT_LEVER],
        steps: &[
            "Lie on your side with your forearm under your shoulder and your legs stacked.",
            "Lift your hips until your body forms a straight line from head to feet.",
            "Hold for the prescribed time, then switch sides.",
        ],
        ..ISO
    },
    Movement {
        name: "Dead Bug",
        force: Some(Static),
        pat: Core,
        pri: &[Abdominals],
        sec: &[LowerBack],
        eq: &[Bodyweight, ResistanceBand, StabilityBall],
        anchor: "behind your head at floor level, holding an end in each hand",
        hold: &[(Some(StabilityBall), "hold it between your hands and knees")],
        pause: "with your arm and leg extended",
        axes: PTI,
        steps: &[
            "Lie on your back with your arms reaching toward the ceiling and your hips and knees bent to 90 degrees.",
            "Press your lower back into the floor and slowly extend one arm overhead and the opposite leg out straight.",
            "Return to the start and alternate sides without letting your back arch.",
        ],
        ..ISO
    },
    Movement {
        name: "Hollow Body Hold",
        force: Some(Static),
        pat: Core,
        diff: Intermediate,
        pri: &[Abdominals],
        eq: &[Bodyweight],
        styles: &[&TUCKED],
        steps: &[
            "Lie on your back with your arms overhead and your legs straight.",
            "Press your lower back into the floor and lift your shoulders and legs a few centimetres off it.",
            "Hold the shallow banana shape for the prescribed time, breathing steadily.",
        ],
        ..ISO
    },
    Movement {
        name: "Hollow Rock",
        force: Some(Static),
        pat: Core,
        diff: Advanced,
        pri: &[Abdominals],
        eq: &[Bodyweight],
        steps: &[
            "Lie on your back and lift into a hollow hold, arms overhead and legs straight off the floor.",
            "Keeping the shape rigid, rock back toward your shoulders and forward toward your hips.",
            "Keep your lower back pressed down throughout the set.",
        ],
        ..ISO
    },
    Movement {
        name: "Ab Wheel Rollout",
        force: Some(Pull),
        pat: Core,
        diff: Intermediate,
        pri: &[Abdominals],
        sec: &[Lats, Shoulders],
        eq: &[Other],
        axes: PT,
        pause: "at full extension",
        steps: &[
            "Kneel on a mat holding an ab wheel on the floor under your shoulders.",
            "Roll the wheel forward slowly, extending your body as far as you can without your lower back sagging.",
            "Pull the wheel back toward your knees using your abs.",
        ],
        ..ISO
    },
    Movement {
        name: "Rollout",
        force: Some(Pull),
        pat: Core,
        diff: Intermediate,
        pri: &[Abdominals],
        sec: &[Lats, Shoulders],
        eq: &[Barbell, StabilityBall],
        pause: "at full extension",
        axes: PT,
        steps: &[
            "Kneel with {load} on the floor in front of you and your hands or forearms on it.",
            "Roll forward slowly, extending your hips and shoulders as far as you can without your lower back sagging.",
            "Pull back to the start using your abs.",
        ],
        ..ISO
    },
    Movement {
        name: "Stability Ball Knee Tuck",
        force: Some(Pull),
        pat: Core,
        diff: Intermediate,
        pri: &[Abdominals],
        sec: &[Shoulders, Quadriceps],
        eq: &[StabilityBall],
        axes: UNI | TEMPO,
        steps: &[
            "Set up in a high plank with your shins resting on the ball.",
            "Pull your knees toward your chest, rolling the ball forward under you.",
            "Roll it back out until your body is straight again.",
        ],
        ..ISO
    },
    Movement {
        name: "Stability Ball Pike",
        force: Some(Pull),
        pat: Core,
        diff: Advanced,
        pri: &[Abdominals],
        sec: &[Shoulders],
        eq: &[StabilityBall],
        axes: TEMPO,
        steps: &[
            "Set up in a high plank with the tops of your feet on the ball.",
            "Keeping your legs straight, lift your hips toward the ceiling so the ball rolls toward your hands.",
            "Lower your hips slowly back to a straight plank.",
        ],
        ..ISO
    },
    Movement {
        name: "Stir the Pot",
        force: Some(Static),
        pat: Core,
        diff: Intermediate,
        pri: &[Abdominals],
        sec: &[Shoulders],
        eq: &[StabilityBall],
        steps: &[
            "Set up in a plank with your forearms on the ball and your feet a little wider than hip width.",
            "Draw small circles with your forearms while keeping your hips and spine perfectly still.",
            "Complete the circles in one direction, then reverse.",
        ],
        ..ISO
    },
    Movement {
        name: "Superman",
        force: Some(Static),
        pat: Core,
        pri: &[LowerBack],
        sec: &[Glutes, Shoulders],
        eq: &[Bodyweight],
        pause: "at the top",
        axes: PTI,
        steps: &[
            "Lie face down with your arms stretched overhead and your legs straight.",
            "Lift your arms, chest and legs a few centimetres off the floor by squeezing your back and glutes.",
            "Lower under control and repeat.",
        ],
        ..ISO
    },
    Movement {
        name: "Bird Dog",
        force: Some(Static),
        pat: Core,
        pri: &[LowerBack, Abdominals],
        sec: &[Glutes, Shoulders],
        eq: &[Bodyweight],
        pause: "with your arm and leg extended",
        axes: PTI,
        steps: &[
            "Start on your hands and knees with your back flat.",
            "Reach one arm forward and the opposite leg back until both are in line with your torso, without your hips tilting.",
            "Return under control and alternate sides.",
        ],
        ..ISO
    },
    // Trunk flexion.
    Movement {
        name: "Crunch",
        force: Some(Pull),
        pat: Core,
        pri: &[Abdominals],
        eq: &[Bodyweight, Dumbbell, MedicineBall],
        pair: false,
        hold: AT_CHEST,
        pause: "at the top",
        axes: DECLINE | PT,
        steps: &[
            "Lie on your back with your knees bent and your feet flat.",
            "Curl your shoulders off the floor by contracting your abs, keeping your lower back down.",
            "Lower slowly to the start.",
        ],
        ..ISO
    },
    Movement {
        name: "Stability Ball Crunch",
        force: Some(Pull),
        pat: Core,
        pri: &[Abdominals],
        eq: &[StabilityBall],
        pause: "at the top",
        axes: PT,
        steps: &[
            "Sit on the ball and walk your feet out until your lower back is supported on it.",
            "Curl your chest up toward your hips, keeping your hips still.",
            "Lower back over the ball to a gentle stretch.",
        ],
        ..ISO
    },
    Movement {
        name: "Kneeling {eq} Crunch",
        force: Some(Pull),
        pat: Core,
        pri: &[Abdominals],
        eq: &[Cable, ResistanceBand],
        pair: false,
        anchor: "above head height",
        pause: "at the bottom",
        axes: PT,
        steps: &[
            "Kneel facing the anchor, holding {load} beside your head.",
            "Curl your ribs down toward your hips, rounding your spine while your hips stay still.",
            "Return slowly to tall kneeling with your abs under tension.",
        ],
        ..ISO
    },
    Movement {
        name: "Machine Crunch",
        force: Some(Pull),
        pat: Core,
        pri: &[Abdominals],
        eq: &[Machine],
        pause: "at the bottom",
        axes: PT,
        steps: &[
            "Sit in the machine with the pads against your chest or the handles beside your head.",
            "Curl your torso forward and down by contracting your abs.",
            "Return slowly without letting the weight stack touch down.",
        ],
        ..ISO
    },
    Movement {
        name: "Sit-Up",
        force: Some(Pull),
        pat: Core,
        pri: &[Abdominals],
        eq: &[Bodyweight, MedicineBall, Dumbbell],
        pair: false,
        hold: AT_CHEST,
        axes: DECLINE | TEMPO,
        steps: &[
            "Lie on your back with your knees bent and your feet anchored under a pad or flat on the floor.",
            "Curl all the way up until your chest approaches your thighs.",
            "Lower back down one vertebra at a time.",
        ],
        ..ISO
    },
    Movement {
        name: "Reverse Crunch",
        force: Some(Pull),
        pat: Core,
        pri: &[Abdominals],
        eq: &[Bodyweight],
        pause: "at the top",
        axes: INCLINE | PT,
        steps: &[
            "Lie on your back with your hips and knees bent to 90 degrees, holding on behind your head or pressing your arms into the floor.",
            "Curl your hips up, bringing your knees toward your chest.",
            "Lower your hips slowly back down.",
        ],
        ..ISO
    },
    Movement {
        name: "Hanging Leg Raise",
        force: Some(Pull),
        pat: Core,
        diff: Intermediate,
        pri: &[Abdominals],
        sec: &[Forearms],
        eq: &[PullUpBar],
        pause: "at the top",
        axes: PTI,
        steps: &[
            "Hang from the bar with an overhand grip and straight arms.",
            "Keeping your legs straight, raise them until they are at least parallel to the floor, without swinging.",
            "Lower them slowly to a dead hang.",
        ],
        ..ISO
    },
    Movement {
        name: "Hanging Knee Raise",
        force: Some(Pull),
        pat: Core,
        pri: &[Abdominals],
        sec: &[Forearms],
        eq: &[PullUpBar],
        pause: "at the top",
        axes: PTI,
        steps: &[
            "Hang from the bar with an overhand grip and straight arms.",
            "Draw your knees up toward your chest, curling your pelvis under, without swinging.",
            "Lower your legs slowly to a dead hang.",
        ],
        ..ISO
    },
    Movement {
        name: "Toes-to-Bar",
        force: Some(Pull),
        pat: Core,
        diff: Advanced,
        pri: &[Abdominals],
        sec: &[Lats, Forearms],
        eq: &[PullUpBar],
        steps: &[
            "Hang from the bar with an overhand grip about shoulder width apart.",
            "Press the bar down with straight arms and swing your feet up to touch the bar between your hands.",
            "Lower your legs under control and go straight into the next rep.",
        ],
        ..ISO
    },
    Movement {
        name: "Lying Leg Raise",
        force: Some(Pull),
        pat: Core,
        pri: &[Abdominals],
        eq: &[Bodyweight],
        pause: "just above the floor",
        axes: PTI,
        steps: &[
            "Lie on your back with your legs straight and your hands under your hips or beside you.",
            "Keeping your lower back down, raise your legs until they point at the ceiling.",
            "Lower them slowly until they are just above the floor.",
        ],
        ..ISO
    },
    Movement {
        name: "V-Up",
        force: Some(Pull),
        pat: Core,
        diff: Intermediate,
        pri: &[Abdominals],
        eq: &[Bodyweight, MedicineBall],
        hold: &[(None, "hold {it} overhead with both hands")],
        axes: TEMPO,
        steps: &[
            "Lie on your back with your arms overhead and your legs straight.",
            "Lift your arms and legs together to meet above your hips, balancing on your glutes.",
            "Lower back to the start under control.",
        ],
        ..ISO
    },
    Movement {
        name: "Flutter Kick",
        force: Some(Pull),
        pat: Core,
        pri: &[Abdominals],
        sec: &[Quadriceps],
        eq: &[Bodyweight],
        steps: &[
            "Lie on your back with your hands under your hips and your legs straight.",
            "Lift your heels a few centimetres off the floor and press your lower back down.",
            "Kick your legs up and down in small, quick alternating movements for the set time.",
        ],
        ..ISO
    },
    Movement {
        name: "Side Bend",
        force: Some(Pull),
        pat: Core,
        pri: &[Abdominals],
        sec: &[LowerBack],
        eq: &[Dumbbell, Kettlebell, Cable, ResistanceBand],
        pair: false,
        anchor: "at floor level",
        pause: "at the bottom",
        axes: PT,
        steps: &[
            "Stand tall holding {load} in one hand at your side, feet hip width apart.",
            "Bend sideways toward the weight as far as is comfortable, without leaning forward or back.",
            "Pull yourself back upright using the opposite side of your waist; finish all reps, then switch sides.",
        ],
        ..ISO
    },
    Movement {
        name: "Mountain Climber",
        cat: Cardio,
        force: Some(Push),
        pat: Core,
        pri: &[Abdominals],
        sec: &[Shoulders, Quadriceps],
        eq: &[Bodyweight],
        styles: &[&CROSS_BODY, &TABATA],
        steps: &[
            "Set up in a high plank with your hands under your shoulders.",
            "Drive one knee toward your chest, then switch legs in a quick running rhythm.",
            "Keep your hips level with your shoulders throughout.",
        ],
        ..LIFT
    },
    Movement {
        name: "Turkish Get-Up",
        force: Some(Push),
        pat: Core,
        diff: Intermediate,
        pri: &[Abdominals, Shoulders],
        sec: &[Glutes, Triceps],
        eq: &[Kettlebell, Dumbbell],
        pair: false,
        steps: &[
            "Lie on your back holding {load} straight above one shoulder, with that knee bent and foot flat.",
            "Roll onto your opposite elbow, then hand, lift your hips and sweep your straight leg under you into a half-kneel.",
            "Stand up from the half-kneel with the weight locked out overhead, then reverse every step back to the floor.",
            "Finish all reps, then switch sides.",
        ],
        ..LIFT
    },
    Movement {
        name: "Windmill",
        force: Some(Push),
        pat: Core,
        diff: Intermediate,
        pri: &[Abdominals],
        sec: &[Shoulders, Hamstrings, Glutes],
        eq: &[Kettlebell, Dumbbell],
        pair: false,
        steps: &[
            "Press {load} overhead with one arm and turn your feet about 45 degrees away from that side.",
            "Push your hips out toward the loaded side and lower your free hand down the inside of your leg, eyes on the weight.",
            "Reverse the movement to stand tall with the arm still locked out; finish all reps, then switch sides.",
        ],
        ..LIFT
    },
    // Rotation and anti-rotation.
    Movement {
        name: "Russian Twist",
        force: Some(Pull),
        pat: Rotation,
        pri: &[Abdominals],
        eq: &[Bodyweight, MedicineBall, Dumbbell, Kettlebell],
        pair: false,
        hold: &[(None, "hold {it} at your chest with both hands")],
        axes: TEMPO,
        steps: &[
            "Sit with your knees bent and lean back until your torso is about 45 degrees from the floor.",
            "Rotate your torso to one side, then the other, keeping your chest up.",
            "Keep your feet down for balance, or lift them to make it harder.",
        ],
        ..ISO
    },
    Movement {
        name: "Bicycle Crunch",
        force: Some(Pull),
        pat: Rotation,
        pri: &[Abdominals],
        eq: &[Bodyweight],
        axes: TEMPO,
        steps: &[
            "Lie on your back with your hands lightly at your temples and your knees lifted to 90 degrees.",
            "Rotate to bring one elbow toward the opposite knee as the other leg extends.",
            "Switch sides in a steady pedalling rhythm without pulling on your neck.",
        ],
        ..ISO
    },
    Movement {
        name: "Lying Windshield Wiper",
        force: Some(Pull),
        pat: Rotation,
        diff: Intermediate,
        pri: &[Abdominals],
        sec: &[LowerBack],
        eq: &[Bodyweight],
        steps: &[
            "Lie on your back with your arms out wide and your legs raised straight toward the ceiling.",
            "Lower your legs together to one side as far as you can control, keeping your shoulders down.",
            "Bring them back through the middle and over to the other side.",
        ],
        ..ISO
    },
    Movement {
        name: "Hanging Windshield Wiper",
        force: Some(Pull),
        pat: Rotation,
        diff: Advanced,
        pri: &[Abdominals],
        sec: &[Lats, Forearms],
        eq: &[PullUpBar],
        steps: &[
            "Hang from the bar and raise your straight legs until your feet are near the bar.",
            "Rotate your legs together to one side, keeping them high.",
            "Sweep them back through the middle and over to the other side.",
        ],
        ..ISO
    },
    Movement {
        name: "Landmine Rotation",
        force: Some(Push),
        pat: Rotation,
        diff: Intermediate,
        pri: &[Abdominals],
        sec: &[Shoulders, Glutes],
        eq: &[Barbell],
        bare: true,
        steps: &[
            "Hold the free end of a landmine bar at chest height with both hands and straight arms, feet wide.",
            "Rotate the bar in an arc down toward one hip, pivoting your back foot.",
            "Drive it back over the top and down to the other hip under control.",
        ],
        ..LIFT
    },
    Movement {
        name: "High-to-Low {eq} Woodchop",
        force: Some(Pull),
        pat: Rotation,
        pri: &[Abdominals],
        sec: &[Shoulders, Glutes],
        eq: &[Cable, ResistanceBand],
        pair: false,
        anchor: "above head height",
        axes: TEMPO,
        styles: &[&HALF_KNEELING],
        steps: &[
            "Set up side-on to the anchor, holding {load} with both hands above your near shoulder.",
            "Pull {load} diagonally down across your body to the outside of your far knee, rotating through your hips and torso.",
            "Return slowly along the same path; finish all reps, then switch sides.",
        ],
        ..LIFT
    },
    Movement {
        name: "Low-to-High {eq} Woodchop",
        force: Some(Pull),
        pat: Rotation,
        pri: &[Abdominals],
        sec: &[Shoulders, Glutes],
        eq: &[Cable, ResistanceBand],
        pair: false,
        anchor: "at floor level",
        axes: TEMPO,
        styles: &[&HALF_KNEELING],
        steps: &[
            "Set up side-on to the anchor, holding {load} with both hands outside your near knee.",
            "Pull {load} diagonally up across your body to above your far shoulder, rotating through your hips and torso.",
            "Return slowly along the same path; finish all reps, then switch sides.",
        ],
        ..LIFT
    },
    Movement {
        name: "Woodchop",
        force: Some(Pull),
        pat: Rotation,
        pri: &[Abdominals],
        sec: &[Shoulders, Glutes],
        eq: &[MedicineBall, Dumbbell],
        pair: false,
        axes: TEMPO,
        steps: &[
            "Stand with your feet wide, holding {load} with both hands above one shoulder.",
            "Chop it diagonally down to the outside of the opposite knee, pivoting your back foot.",
            "Lift it back up along the same path; finish all reps, then switch sides.",
        ],
        ..LIFT
    },
    Movement {
        name: "Pallof Press",
        force: Some(Static),
        pat: Rotation,
        pri: &[Abdominals],
        sec: &[Shoulders, Glutes],
        eq: &[Cable, ResistanceBand],
        pair: false,
        anchor: "at chest height",
        pause: "with your arms straight",
        axes: S_STAGGER | S_NARROW | PTI,
        styles: &[&HALF_KNEELING, &TALL_KNEELING],
        steps: &[
            "Set up side-on to the anchor, holding {load} at the middle of your chest with both hands.",
            "Press it straight out in front of you, resisting the pull to rotate.",
            "Bring it back to your chest under control; finish all reps, then switch sides.",
        ],
        ..ISO
    },
    // Carries.
    Movement {
        name: "Farmer's Carry",
        force: Some(Static),
        pat: Carry,
        pri: &[Forearms, Traps],
        sec: &[Abdominals, Shoulders, Quadriceps],
        eq: &[Dumbbell, Kettlebell, TrapBar],
        hold: &[
            (Some(TrapBar), "stand in the middle of it"),
            (None, "hold {it} at your sides"),
        ],
        axes: UNI,
        styles: &[&MARCHING],
        steps: &[
            "Stand tall and braced with your shoulders pulled down and back.",
            "Walk with short, even steps for the set distance or time without letting your torso lean.",
            "Set the weight down under control by hinging at the hips.",
        ],
        ..LIFT
    },
    Movement {
        name: "Overhead Carry",
        force: Some(Static),
        pat: Carry,
        diff: Intermediate,
        pri: &[Shoulders],
        sec: &[Abdominals, Traps, Triceps],
        eq: &[Dumbbell, Kettlebell, Barbell],
        hold: &[(None, "press {it} overhead to locked arms")],
        axes: UNI,
        styles: &[&MARCHING],
        steps: &[
            "Stand tall with your ribs down and the weight locked out directly over your shoulders.",
            "Walk slowly for the set distance or time without letting your arms drift forward or your back arch.",
            "Lower the weight to your shoulders, then to the floor, under control.",
        ],
        ..LIFT
    },
    Movement {
        name: "Front Rack Carry",
        force: Some(Static),
        pat: Carry,
        diff: Intermediate,
        pri: &[Abdominals, Shoulders],
        sec: &[Traps, MiddleBack, Forearms],
        eq: &[Kettlebell, Dumbbell],
        hold: &[(None, "clean {it} to rest at the front of your shoulders")],
        axes: UNI,
        styles: &[&MARCHING],
        steps: &[
            "Stand tall with the weight racked against your shoulders and your elbows tucked in.",
            "Walk with short steps for the set distance or time, breathing behind a braced trunk.",
            "Lower the weight under control at the finish.",
        ],
        ..LIFT
    },
    Movement {
        name: "Bottoms-Up Kettlebell Carry",
        force: Some(Static),
        pat: Carry,
        diff: Intermediate,
        pri: &[Forearms, Shoulders],
        sec: &[Abdominals],
        eq: &[Kettlebell],
        pair: false,
        steps: &[
            "Hold {load} upside down by the handle at shoulder height, elbow under the bell and wrist straight.",
            "Squeeze the handle hard to keep it balanced and walk slowly for the set distance or time.",
            "Lower it under control, then switch arms.",
        ],
        ..LIFT
    },
    // Strongman events.
    Movement {
        name: "Farmer's Walk",
        force: Some(Static),
        pat: Carry,
        diff: Intermediate,
        pri: &[Forearms, Traps],
        sec: &[Abdominals, Quadriceps, Glutes],
        steps: &[
            "Stand between a pair of heavily loaded farmer's handles and deadlift them to standing.",
            "Walk quickly with short, fast steps over the set distance, keeping your chest up.",
            "Set the handles down together under control at the finish.",
        ],
        ..EVENT
    },
    Movement {
        name: "Sandbag Bear-Hug Carry",
        force: Some(Static),
        pat: Carry,
        diff: Intermediate,
        pri: &[Abdominals, MiddleBack],
        sec: &[Biceps, Quadriceps, Forearms],
        steps: &[
            "Lift a sandbag from the floor and hug it tightly against your chest.",
            "Walk with short steps for the set distance or time, keeping your torso as upright as you can.",
            "Set the bag down by squatting with it rather than dropping it.",
        ],
        ..EVENT
    },
    Movement {
        name: "Yoke Carry",
        force: Some(Static),
        pat: Carry,
        diff: Advanced,
        pri: &[Traps, Quadriceps, Abdominals],
        sec: &[Glutes, LowerBack],
        steps: &[
            "Step under the loaded yoke and set the crossbar on your upper back, gripping the uprights.",
            "Brace hard, stand it up and take short, quick steps for the set distance.",
            "Come to a controlled stop before setting the yoke down.",
        ],
        ..EVENT
    },
    Movement {
        name: "Sled Push",
        pat: Locomotion,
        pri: &[Quadriceps, Glutes],
        sec: &[Calves, Shoulders, Triceps],
        force: Some(Push),
        styles: &[&HEAVY, &INTERVALS],
        steps: &[
            "Load a sled and grip its uprights with your arms extended, body leaning forward at about 45 degrees.",
            "Drive the sled forward with short, powerful steps through the balls of your feet.",
            "Keep your back flat and hips low for the whole distance, then rest and repeat.",
        ],
        ..EVENT
    },
    Movement {
        name: "Backward Sled Drag",
        pat: Locomotion,
        pri: &[Quadriceps],
        sec: &[Calves, Glutes],
        force: Some(Pull),
        styles: &[&HEAVY, &INTERVALS],
        steps: &[
            "Attach a strap to a loaded sled and hold the handles in front of you with straight arms.",
            "Walk backward with small steps, sitting slightly into your hips and driving through the balls of your feet.",
            "Keep tension on the strap for the whole distance, then rest and repeat.",
        ],
        ..EVENT
    },
    Movement {
        name: "Sled Rope Pull",
        pat: HorizontalPull,
        diff: Intermediate,
        pri: &[MiddleBack, Lats],
        sec: &[Biceps, Forearms],
        force: Some(Pull),
        styles: &[&HEAVY],
        steps: &[
            "Attach a long rope to a loaded sled and stand facing it at the far end of the rope.",
            "Pull the rope hand over hand, bracing your trunk so only your arms and back move.",
            "Keep pulling until the sled reaches you, then walk it back out.",
        ],
        ..EVENT
    },
    Movement {
        name: "Tire Flip",
        pat: Hinge,
        diff: Advanced,
        pri: &[Glutes, Hamstrings, Quadriceps],
        sec: &[LowerBack, Shoulders, Triceps, Chest],
        force: Some(Pull),
        steps: &[
            "Squat down at the tire with your chest against it and your fingers under the tread.",
            "Drive forward and up with your legs and hips to lift the tire onto its edge.",
            "Push it over with your hands as it passes your hips, then reset for the next flip.",
        ],
        ..EVENT
    },
    Movement {
        name: "Atlas Stone Lift",
        pat: Hinge,
        diff: Advanced,
        pri: &[Glutes, Hamstrings],
        sec: &[LowerBack, MiddleBack, Biceps, Quadriceps],
        force: Some(Pull),
        steps: &[
            "Stand over the stone with it between your feet and wrap your arms around its lower half.",
            "Lap the stone by extending your hips until it rests on your thighs, then re-grip higher.",
            "Extend your hips explosively to lift it onto the platform.",
        ],
        ..EVENT
    },
    Movement {
        name: "Log Press",
        pat: VerticalPush,
        diff: Advanced,
        pri: &[Shoulders],
        sec: &[Triceps, Quadriceps, Abdominals],
        force: Some(Push),
        steps: &[
            "Clean the log to rest on your chest, gripping its neutral handles.",
            "Dip and drive with your legs, pressing the log overhead to locked arms as you push your head through.",
            "Lower it to your chest under control before the next rep.",
        ],
        ..EVENT
    },
    Movement {
        name: "Sandbag Shouldering",
        pat: Hinge,
        diff: Intermediate,
        pri: &[Glutes, Hamstrings],
        sec: &[LowerBack, MiddleBack, Biceps],
        force: Some(Pull),
        steps: &[
            "Straddle a sandbag and grip underneath it with both arms.",
            "Lift it to your lap, then extend your hips explosively to drive it onto one shoulder.",
            "Let it drop back to the floor under control and alternate shoulders.",
        ],
        ..EVENT
    },
    // More trunk work.
    Movement {
        name: "Captain's Chair Knee Raise",
        force: Some(Pull),
        pat: Core,
        pri: &[Abdominals],
        eq: &[Machine],
        own_setup: true,
        bare: true,
        pause: "at the top",
        axes: PT,
        steps: &[
            "Stand on the captain's chair with your forearms on the pads and your back against the backrest.",
            "Lift your feet off the step and draw your knees up toward your chest.",
            "Lower your legs slowly without swinging.",
        ],
        ..ISO
    },
    Movement {
        name: "Standing {eq} Rotation",
        force: Some(Pull),
        pat: Rotation,
        pri: &[Abdominals],
        sec: &[Shoulders, Glutes],
        eq: &[Cable, ResistanceBand],
        pair: false,
        anchor: "at chest height",
        axes: TEMPO,
        styles: &[&HALF_KNEELING, &TALL_KNEELING],
        steps: &[
            "Set up side-on to the anchor, holding {load} in both hands at chest height with straight arms.",
            "Rotate away from the anchor through your hips and torso, keeping your arms in front of your chest.",
            "Return slowly; finish all reps, then switch sides.",
        ],
        ..ISO
    },
    Movement {
        name: "Heel Tap",
        force: Some(Pull),
        pat: Core,
        pri: &[Abdominals],
        eq: &[Bodyweight],
        axes: TEMPO,
        steps: &[
            "Lie on your back with your knees bent, feet flat, and your shoulders curled slightly off the floor.",
            "Reach one hand down the side of your body to tap that heel.",
            "Return to the middle and alternate sides without lowering your shoulders.",
        ],
        ..ISO
    },
    Movement {
        name: "Bear Plank",
        force: Some(Static),
        pat: Core,
        pri: &[Abdominals],
        sec: &[Shoulders, Quadriceps],
        eq: &[Bodyweight],
        steps: &[
            "Start on your hands and knees with your hands under your shoulders and knees under your hips.",
            "Tuck your toes and lift your knees a few centimetres off the floor, back flat.",
            HOLD_FOR_TIME,
        ],
        ..ISO
    },
    Movement {
        name: "L-Sit",
        force: Some(Static),
        pat: Core,
        diff: Advanced,
        pri: &[Abdominals],
        sec: &[Triceps, Quadriceps],
        eq: &[Bodyweight],
        styles: &[&TUCKED],
        steps: &[
            "Support yourself on straight arms on the floor, parallettes or dip handles.",
            "Lift your straight legs until they are parallel to the floor, pointing your toes.",
            HOLD_FOR_TIME,
        ],
        ..ISO
    },
    Movement {
        name: "Hanging L-Sit",
        force: Some(Static),
        pat: Core,
        diff: Advanced,
        pri: &[Abdominals],
        sec: &[Forearms, Quadriceps],
        eq: &[PullUpBar],
        styles: &[&TUCKED],
        steps: &[
            "Hang from the bar with an overhand grip and straight arms.",
            "Lift your straight legs until they are parallel to the floor, pointing your toes.",
            HOLD_FOR_TIME,
        ],
        ..ISO
    },
    Movement {
        name: "Dragon Flag",
        force: Some(Pull),
        pat: Core,
        diff: Advanced,
        pri: &[Abdominals],
        sec: &[Lats, LowerBack],
        eq: &[Bench],
        axes: TEMPO,
        steps: &[
            "Lie on the bench and grip its end behind your head.",
            "Lift your whole body up onto your upper back, keeping it straight from shoulders to toes.",
            "Lower it slowly as one rigid piece until it hovers just above the bench.",
        ],
        ..ISO
    },
    Movement {
        name: "Jackknife Sit-Up",
        force: Some(Pull),
        pat: Core,
        diff: Intermediate,
        pri: &[Abdominals],
        eq: &[Bodyweight],
        axes: TEMPO,
        steps: &[
            "Lie on your back with your arms overhead and your legs straight.",
            "Lift your arms and legs together, bending your knees toward your chest as you sit up to meet them.",
            "Extend back out slowly to the start.",
        ],
        ..ISO
    },
    Movement {
        name: "Suspension Knee Tuck",
        force: Some(Pull),
        pat: Core,
        diff: Intermediate,
        pri: &[Abdominals],
        sec: &[Shoulders, Quadriceps],
        eq: &[SuspensionTrainer],
        axes: TEMPO,
        steps: &[
            "Place your feet in the foot cradles and set up in a high plank facing the floor.",
            "Pull your knees toward your chest without letting your hips drop.",
            "Extend your legs back to a straight plank under control.",
        ],
        ..ISO
    },
    Movement {
        name: "Suspension Pike",
        force: Some(Pull),
        pat: Core,
        diff: Advanced,
        pri: &[Abdominals],
        sec: &[Shoulders],
        eq: &[SuspensionTrainer],
        axes: TEMPO,
        steps: &[
            "Place your feet in the foot cradles and set up in a high plank facing the floor.",
            "Keeping your legs straight, lift your hips toward the ceiling into an upside-down V.",
            "Lower your hips slowly back to a straight plank.",
        ],
        ..ISO
    },
    Movement {
        name: "Side Plank Hip Dip",
        force: Some(Pull),
        pat: Core,
        diff: Intermediate,
        pri: &[Abdominals],
        sec: &[Abductors],
        eq: &[Bodyweight],
        axes: TEMPO,
        steps: &[
            "Set up in a side plank on your forearm with your legs stacked.",
            "Lower your hips toward the floor without touching down.",
            "Lift them back above a straight line; finish all reps, then switch sides.",
        ],
        ..ISO
    },
    Movement {
        name: "Hanging Oblique Knee Raise",
        force: Some(Pull),
        pat: Rotation,
        diff: Intermediate,
        pri: &[Abdominals],
        sec: &[Forearms],
        eq: &[PullUpBar],
        axes: TEMPO,
        steps: &[
            "Hang from the bar with an overhand grip and straight arms.",
            "Draw your knees up and toward one side, rotating your pelvis.",
            "Lower under control and alternate sides.",
        ],
        ..ISO
    },
    Movement {
        name: "Toe Touch Crunch",
        force: Some(Pull),
        pat: Core,
        pri: &[Abdominals],
        eq: &[Bodyweight, MedicineBall],
        hold: &[(None, "hold {it} in both hands above your chest")],
        pause: "at the top",
        axes: PT,
        steps: &[
            "Lie on your back with your legs pointing straight up at the ceiling.",
            "Reach your hands up toward your toes, curling your shoulders off the floor.",
            "Lower your shoulders slowly back down.",
        ],
        ..ISO
    },
];
