//! Cardio machines, running, rope work and bodyweight conditioning.

use subgraph_common::vocab::{Difficulty::*, Equipment::*, Muscle::*};

use crate::catalog::model::*;
use crate::catalog::styles::*;

const MACHINE: Movement = Movement {
    eq: &[CardioMachine],
    ..CARDIO
};
const ROPE: Movement = Movement {
    eq: &[Other],
    styles: CONDITIONING_STYLES,
    ..CARDIO
};
const RUN_STYLES: &[&Style] = &[
    &INTERVALS, &SPRINTS, &THRESHOLD, &PYRAMID, &RECOVERY, &HILLS,
];
const WARM_UP: &str = "Start at an easy pace for 3 to 5 minutes to warm up.";
const COOL_DOWN: &str = "Ease off for the last few minutes to cool down gradually.";

pub(crate) const MOVEMENTS: &[Movement] = &[
    // Machines.
    Movement {
        name: "Treadmill Walk",
        pri: &[Calves, Quadriceps, Glutes],
        sec: &[Hamstrings],
        styles: EASY_CARDIO_STYLES,
        steps: &[
            "Start the treadmill at a slow walk and build up over 3 to 5 minutes.",
            "Settle into a brisk walk where your breathing is raised but you can still talk.",
            "Swing your arms naturally and avoid holding the handrails.",
            COOL_DOWN,
        ],
        ..MACHINE
    },
    Movement {
        name: "Incline Treadmill Walk",
        pri: &[Glutes, Calves, Hamstrings],
        sec: &[Quadriceps],
        styles: &[&INTERVALS],
        steps: &[
            "Start the treadmill at a slow walk on a flat setting for 3 to 5 minutes.",
            "Raise the incline to 8 to 12 percent and walk at a pace you can sustain without holding the rails.",
            "Stand tall and take full steps, pushing through your whole foot.",
            "Lower the incline and slow down for the last few minutes.",
        ],
        ..MACHINE
    },
    Movement {
        name: "Treadmill Run",
        diff: Intermediate,
        pri: &[Quadriceps, Hamstrings, Calves, Glutes],
        styles: CARDIO_STYLES,
        steps: &[
            "Set a 1 percent incline and warm up with 5 minutes of brisk walking or easy jogging.",
            "Increase to a steady running pace where you can still speak in short sentences.",
            "Stay tall, land with your feet under your hips and let your arms swing relaxed.",
            COOL_DOWN,
        ],
        ..MACHINE
    },
    Movement {
        name: "Stationary Bike",
        pri: &[Quadriceps, Glutes],
        sec: &[Calves, Hamstrings],
        styles: CARDIO_STYLES,
        steps: &[
            "Set the saddle so your knee is slightly bent at the bottom of each pedal stroke.",
            WARM_UP,
            "Ride at a steady, moderate effort with a smooth cadence of about 80 to 95 revolutions per minute.",
            COOL_DOWN,
        ],
        ..MACHINE
    },
    Movement {
        name: "Recumbent Bike",
        pri: &[Quadriceps, Glutes],
        sec: &[Hamstrings, Calves],
        styles: EASY_CARDIO_STYLES,
        steps: &[
            "Adjust the seat so your knee is slightly bent when the pedal is farthest from you.",
            WARM_UP,
            "Pedal at a steady, moderate effort with your back resting against the seat.",
            COOL_DOWN,
        ],
        ..MACHINE
    },
    Movement {
        name: "Air Bike",
        diff: Intermediate,
        pri: &[Quadriceps, Shoulders],
        sec: &[Glutes, Chest, MiddleBack],
        styles: &[&INTERVALS, &SPRINTS, &TABATA],
        steps: &[
            "Set the saddle so your knee is slightly bent at the bottom of each stroke and hold the moving handles.",
            WARM_UP,
            "Push and pull the handles in time with your legs at a steady, moderate effort.",
            COOL_DOWN,
        ],
        ..MACHINE
    },
    Movement {
        name: "Rowing Machine",
        pri: &[MiddleBack, Quadriceps, Lats],
        sec: &[Biceps, Hamstrings, Glutes],
        styles: CARDIO_STYLES,
        steps: &[
            "Strap your feet in and sit tall holding the handle with straight arms.",
            "Drive with your legs first, then swing your torso back slightly and pull the handle to your lower ribs.",
            "Return in reverse order: arms, then body, then legs, at a steady stroke rate of about 20 to 26 per minute.",
            COOL_DOWN,
        ],
        ..MACHINE
    },
    Movement {
        name: "Elliptical Trainer",
        pri: &[Quadriceps, Glutes],
        sec: &[Hamstrings, Calves],
        styles: &[&INTERVALS, &THRESHOLD, &RECOVERY],
        steps: &[
            "Step onto the pedals, hold the handles and start moving at an easy pace.",
            WARM_UP,
            "Settle into a steady, moderate effort, pushing and pulling the handles as you stride.",
            COOL_DOWN,
        ],
        ..MACHINE
    },
    Movement {
        name: "Stair Climber",
        pri: &[Glutes, Quadriceps],
        sec: &[Calves, Hamstrings],
        styles: &[&INTERVALS, &THRESHOLD],
        steps: &[
            "Step on and hold the rails lightly for balance only.",
            "Start at a slow step rate for 3 to 5 minutes, then settle into a steady pace.",
            "Stand tall and press through your whole foot on each step instead of leaning on the rails.",
            COOL_DOWN,
        ],
        ..MACHINE
    },
    Movement {
        name: "Ski Erg",
        diff: Intermediate,
        pri: &[Lats, Triceps],
        sec: &[Abdominals, Shoulders, Glutes],
        styles: &[&INTERVALS, &SPRINTS, &THRESHOLD],
        steps: &[
            "Stand tall facing the machine, holding a handle in each hand above your head.",
            "Pull the handles down past your hips, hinging at the hips and bending your knees slightly.",
            "Let the handles rise as you stand back up, keeping a steady rhythm.",
            COOL_DOWN,
        ],
        ..MACHINE
    },
    // Outdoors and on foot.
    Movement {
        name: "Outdoor Run",
        diff: Intermediate,
        pri: &[Quadriceps, Hamstrings, Calves, Glutes],
        styles: RUN_STYLES,
        steps: &[
            "Warm up with 5 minutes of brisk walking or very easy jogging.",
            "Run at a steady pace where you can still speak in short sentences.",
            "Stay tall, land with your feet under your hips and keep your shoulders relaxed.",
            "Walk for the last few minutes to cool down.",
        ],
        ..CARDIO
    },
    Movement {
        name: "Easy Jog",
        pri: &[Quadriceps, Calves],
        sec: &[Hamstrings, Glutes],
        styles: &[&INTERVALS],
        steps: &[
            "Warm up with 5 minutes of brisk walking.",
            "Jog at a relaxed pace where you could hold a conversation.",
            "Take short, light steps and walk for a minute whenever you need to.",
        ],
        ..CARDIO
    },
    Movement {
        name: "Brisk Walk",
        pri: &[Calves, Quadriceps],
        sec: &[Glutes, Hamstrings],
        styles: &[&INTERVALS, &HILLS],
        steps: &[
            "Start at an easy stroll for a few minutes.",
            "Pick up to a brisk pace where your breathing is raised but you can still talk.",
            "Swing your arms and push off through your toes with each step.",
        ],
        ..CARDIO
    },
    Movement {
        name: "Stair Climb",
        pri: &[Glutes, Quadriceps],
        sec: &[Calves, Hamstrings],
        styles: &[&INTERVALS],
        steps: &[
            "Find a long flight of stairs and warm up by walking it slowly once or twice.",
            "Climb at a steady pace, placing your whole foot on each step.",
            "Walk back down carefully to recover, then go again.",
        ],
        ..CARDIO
    },
    Movement {
        name: "Shuttle Run",
        diff: Intermediate,
        pri: &[Quadriceps, Hamstrings],
        sec: &[Calves, Glutes],
        styles: &[&INTERVALS],
        steps: &[
            "Mark two lines 10 to 20 metres apart and warm up with easy jogging.",
            "Run to the far line, touch it, turn and run back.",
            "Keep your hips low on each turn and repeat for the set time or number of lengths.",
        ],
        ..CARDIO
    },
    Movement {
        name: "Freestyle Swim",
        diff: Intermediate,
        pri: &[Lats, Shoulders],
        sec: &[Triceps, Abdominals, Glutes],
        eq: &[Other],
        styles: &[&INTERVALS, &THRESHOLD, &RECOVERY],
        steps: &[
            "Warm up with a few easy lengths of any stroke.",
            "Swim front crawl at a steady pace, breathing every two or three strokes.",
            "Keep your body long and near the surface, kicking from the hips.",
            "Finish with a few easy lengths to cool down.",
        ],
        ..CARDIO
    },
    Movement {
        name: "Outdoor Cycling",
        pri: &[Quadriceps, Glutes],
        sec: &[Calves, Hamstrings],
        eq: &[Other],
        styles: &[&INTERVALS, &THRESHOLD, &RECOVERY, &HILLS],
        steps: &[
            "Check your bike, helmet and saddle height before setting off.",
            "Ride easily for the first 5 to 10 minutes to warm up.",
            "Settle into a steady, moderate effort with a smooth pedalling rhythm.",
            COOL_DOWN,
        ],
        ..CARDIO
    },
    // Rope work.
    Movement {
        name: "Jump Rope",
        pri: &[Calves],
        sec: &[Quadriceps, Shoulders, Forearms],
        steps: &[
            "Hold the handles at hip height with the rope behind your heels.",
            "Turn the rope with your wrists and hop just high enough for it to pass under your feet.",
            "Land softly on the balls of your feet and keep a steady rhythm.",
        ],
        ..ROPE
    },
    Movement {
        name: "Jump Rope Boxer Skip",
        pri: &[Calves],
        sec: &[Quadriceps, Shoulders, Forearms],
        steps: &[
            "Hold the handles at hip height with the rope behind your heels.",
            "Shift your weight from foot to foot with each turn, letting the other foot barely leave the floor.",
            "Keep the movement light and relaxed, turning the rope with your wrists.",
        ],
        ..ROPE
    },
    Movement {
        name: "Jump Rope Alternate-Foot Run",
        diff: Intermediate,
        pri: &[Calves],
        sec: &[Quadriceps, Hamstrings, Forearms],
        steps: &[
            "Hold the handles at hip height with the rope behind your heels.",
            "Step over the rope one foot at a time as if jogging on the spot.",
            "Stay on the balls of your feet and keep the rope turning smoothly.",
        ],
        ..ROPE
    },
    Movement {
        name: "Jump Rope High Knees",
        diff: Intermediate,
        pri: &[Calves, Quadriceps],
        sec: &[Abdominals, Forearms],
        steps: &[
            "Hold the handles at hip height with the rope behind your heels.",
            "Run over the rope, driving each knee up to about hip height.",
            "Keep your torso tall and the rope turning quickly with your wrists.",
        ],
        ..ROPE
    },
    Movement {
        name: "Jump Rope Criss-Cross",
        diff: Intermediate,
        pri: &[Calves],
        sec: &[Shoulders, Forearms],
        steps: &[
            "Start with basic jumps to find your rhythm.",
            "On one turn, cross your arms in front of your hips so the rope forms a loop you jump through.",
            "On the next turn, uncross them and keep alternating.",
        ],
        ..ROPE
    },
    Movement {
        name: "Jump Rope Double-Under",
        diff: Advanced,
        pri: &[Calves],
        sec: &[Quadriceps, Shoulders, Forearms],
        steps: &[
            "Start with a few basic jumps to find your rhythm.",
            "Jump a little higher and spin the rope fast enough to pass under your feet twice per jump.",
            "Keep your elbows close and the turn coming from your wrists, landing softly each time.",
        ],
        ..ROPE
    },
    Movement {
        name: "Battle Rope Alternating Waves",
        pri: &[Shoulders],
        sec: &[Biceps, Forearms, Abdominals],
        steps: &[
            "Hold one end of an anchored battle rope in each hand in an athletic half-squat.",
            "Whip your arms up and down alternately to send waves along both ropes.",
            "Keep your core braced and your hips low for the whole effort.",
        ],
        ..ROPE
    },
    Movement {
        name: "Battle Rope Double Waves",
        diff: Intermediate,
        pri: &[Shoulders],
        sec: &[Lats, Abdominals, Forearms],
        steps: &[
            "Hold one end of an anchored battle rope in each hand in an athletic half-squat.",
            "Raise and drive both arms down together to send matching waves along the ropes.",
            "Use your hips and legs to add power while keeping your back flat.",
        ],
        ..ROPE
    },
    Movement {
        name: "Battle Rope Slams",
        diff: Intermediate,
        pri: &[Shoulders, Lats],
        sec: &[Abdominals, Glutes],
        steps: &[
            "Hold one end of an anchored battle rope in each hand, feet shoulder width apart.",
            "Lift both arms high overhead, then slam the ropes into the floor as hard as you can.",
            "Rise onto your toes as you lift and bend your knees as you slam, keeping a fast rhythm.",
        ],
        ..ROPE
    },
    // Bodyweight conditioning.
    Movement {
        name: "High Knees",
        pri: &[Quadriceps],
        sec: &[Calves, Abdominals],
        styles: CONDITIONING_STYLES,
        steps: &[
            "Stand tall with your arms bent at your sides.",
            "Run on the spot, driving each knee up to hip height.",
            "Pump your arms and stay on the balls of your feet at a quick pace.",
        ],
        ..CARDIO
    },
    Movement {
        name: "Butt Kicks",
        pri: &[Hamstrings],
        sec: &[Calves, Quadriceps],
        styles: &[&INTERVALS],
        steps: &[
            "Stand tall with your arms bent at your sides.",
            "Jog on the spot, kicking each heel up toward your glutes.",
            "Keep your knees pointing down and your pace quick and light.",
        ],
        ..CARDIO
    },
    Movement {
        name: "Jumping Jack",
        pri: &[Calves],
        sec: &[Shoulders, Abductors, Adductors],
        styles: CONDITIONING_STYLES,
        steps: &[
            "Stand with your feet together and your arms by your sides.",
            "Jump your feet out wide as you raise your arms overhead.",
            "Jump back to the start and keep a steady rhythm.",
        ],
        ..CARDIO
    },
    Movement {
        name: "Shadow Boxing",
        pri: &[Shoulders],
        sec: &[Abdominals, Calves, Triceps],
        styles: CONDITIONING_STYLES,
        steps: &[
            "Stand in a staggered stance with your hands up by your chin.",
            "Throw relaxed combinations of straight punches and hooks, turning your hips into each one.",
            "Stay light on your feet, moving and returning your hands to your chin after every punch.",
        ],
        ..CARDIO
    },
    Movement {
        name: "March in Place",
        pri: &[Quadriceps],
        sec: &[Calves, Abdominals],
        styles: &[&INTERVALS],
        steps: &[
            "Stand tall with your arms by your sides.",
            "March on the spot, lifting each knee toward hip height.",
            "Swing your arms in time and keep a steady, brisk pace.",
        ],
        ..CARDIO
    },
    Movement {
        name: "Bear Crawl",
        pri: &[Shoulders, Quadriceps],
        sec: &[Abdominals, Triceps],
        styles: &[&INTERVALS],
        steps: &[
            "Start on your hands and toes with your knees bent and hovering just above the floor.",
            "Crawl forward by moving the opposite hand and foot together in small steps.",
            "Keep your back flat and hips low throughout the set distance.",
        ],
        ..CARDIO
    },
    Movement {
        name: "Crab Walk",
        pri: &[Triceps, Glutes],
        sec: &[Shoulders, Hamstrings],
        styles: &[&INTERVALS],
        steps: &[
            "Sit with your knees bent, hands on the floor behind you, and lift your hips.",
            "Walk forward or backward by moving the opposite hand and foot together.",
            "Keep your hips up throughout the set distance.",
        ],
        ..CARDIO
    },
    Movement {
        name: "Lateral Shuffle",
        pri: &[Quadriceps, Abductors],
        sec: &[Adductors, Calves, Glutes],
        styles: &[&INTERVALS],
        steps: &[
            "Stand in an athletic stance with your knees bent and your weight on the balls of your feet.",
            "Shuffle sideways with quick steps without letting your feet cross or touch.",
            "Change direction after a few metres, staying low throughout.",
        ],
        ..CARDIO
    },
    Movement {
        name: "Plank Jack",
        pri: &[Abdominals],
        sec: &[Shoulders, Abductors, Adductors],
        styles: CONDITIONING_STYLES,
        steps: &[
            "Set up in a high plank with your feet together.",
            "Jump your feet out wide and back together, like a jumping jack.",
            "Keep your hips level with your shoulders and your hands planted throughout.",
        ],
        ..CARDIO
    },
    Movement {
        name: "Rucking",
        diff: Intermediate,
        pri: &[Quadriceps, Traps],
        sec: &[Glutes, Calves, Abdominals],
        eq: &[Other],
        styles: &[&INTERVALS, &HILLS],
        steps: &[
            "Pack a rucksack with 10 to 20 percent of your body weight so it sits high and snug on your back.",
            "Walk briskly with short, quick steps and an upright posture.",
            "Keep a pace you can hold for the whole session, then take the pack off and walk easy to cool down.",
        ],
        ..CARDIO
    },
];
