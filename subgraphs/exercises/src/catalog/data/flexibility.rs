//! Held stretches, mobility drills and foam rolling. Only bodyweight, a band or strap,
//! a stability ball or a foam roller: loading a stretch is not a stretch.

use subgraph_common::vocab::{Difficulty::*, Equipment::*, Muscle::*};

use crate::catalog::model::*;
use crate::catalog::styles::*;

const HOLD: &str = "Hold for 20 to 30 seconds, breathing slowly, then switch sides.";
const HOLD_CENTRED: &str = "Hold for 20 to 30 seconds, breathing slowly.";
const HOLD_LONG: &str = "Hold for 30 to 60 seconds, breathing slowly, then switch sides.";

const HELD: Movement = Movement {
    styles: STRETCH_STYLES,
    ..STRETCH
};
const SWUNG: Movement = Movement {
    styles: STRETCH_STYLES_DYNAMIC,
    ..STRETCH
};
const DRILL: Movement = Movement {
    styles: MOBILITY_STYLES,
    ..MOBILITY
};
const ROLL: Movement = Movement {
    eq: &[FoamRoller],
    styles: ROLLING_STYLES,
    ..MOBILITY
};
const ROLL_SLOWLY: &str =
    "Spend 30 to 60 seconds on the area, moving slowly and breathing steadily.";

pub(crate) const MOVEMENTS: &[Movement] = &[
    // Legs and hips.
    Movement {
        name: "Standing Hamstring Stretch",
        pri: &[Hamstrings],
        sec: &[Calves],
        steps: &[
            "Stand tall and rest the heel of one leg on a low step or bench with the knee straight.",
            "Keeping your back flat, hinge forward from the hips until you feel a stretch behind your thigh.",
            HOLD,
        ],
        ..SWUNG
    },
    Movement {
        name: "Seated Hamstring Stretch",
        pri: &[Hamstrings],
        sec: &[LowerBack, Calves],
        eq: &[Bodyweight, ResistanceBand],
        anchor: "around the sole of your extended foot, holding an end in each hand",
        steps: &[
            "Sit with one leg straight and the sole of the other foot against its inner thigh.",
            "Hinge forward from the hips toward the straight leg's foot, keeping your back long.",
            HOLD,
        ],
        ..HELD
    },
    Movement {
        name: "Lying Hamstring Stretch",
        pri: &[Hamstrings],
        sec: &[Calves],
        eq: &[Bodyweight, ResistanceBand],
        anchor: "around the sole of one foot, holding an end in each hand",
        steps: &[
            "Lie on your back with both legs straight.",
            "Raise one leg as high as you can while keeping it straight, holding behind the thigh or drawing it in gently.",
            HOLD,
        ],
        ..SWUNG
    },
    Movement {
        name: "Standing Forward Fold",
        pri: &[Hamstrings],
        sec: &[LowerBack, Calves],
        steps: &[
            "Stand with your feet hip width apart and your knees slightly soft.",
            "Fold forward from your hips and let your head and arms hang toward the floor.",
            "Hold for 20 to 30 seconds, breathing slowly, then roll up one vertebra at a time.",
        ],
        ..HELD
    },
    Movement {
        name: "Seated Straddle Stretch",
        diff: Intermediate,
        pri: &[Adductors, Hamstrings],
        sec: &[LowerBack],
        steps: &[
            "Sit tall with your legs straight and spread as wide as is comfortable, toes pointing up.",
            "Walk your hands forward and hinge from the hips, keeping your back long.",
            HOLD_CENTRED,
        ],
        ..HELD
    },
    Movement {
        name: "Standing Quad Stretch",
        pri: &[Quadriceps],
        eq: &[Bodyweight, ResistanceBand],
        anchor: "around the ankle of the stretching leg, holding the ends over your shoulder",
        steps: &[
            "Stand tall holding a wall or chair for balance.",
            "Bend one knee and draw that heel toward your glute, by hand or with the band, keeping your knees together.",
            HOLD,
        ],
        ..HELD
    },
    Movement {
        name: "Side-Lying Quad Stretch",
        pri: &[Quadriceps],
        eq: &[Bodyweight, ResistanceBand],
        anchor: "around the ankle of your top leg, holding the ends over your shoulder",
        steps: &[
            "Lie on your side with your head resting on your lower arm.",
            "Bend your top knee and draw that heel toward your glute, keeping your knees together and hips stacked.",
            HOLD,
        ],
        ..HELD
    },
    Movement {
        name: "Kneeling Hip Flexor Stretch",
        pri: &[Quadriceps],
        sec: &[Abdominals],
        steps: &[
            "Kneel on one knee with the other foot flat in front, both knees at about 90 degrees.",
            "Tuck your pelvis under, squeeze the glute of the kneeling leg and shift your hips gently forward.",
            HOLD,
        ],
        ..SWUNG
    },
    Movement {
        name: "Couch Stretch",
        diff: Intermediate,
        pri: &[Quadriceps],
        sec: &[Abdominals],
        steps: &[
            "Kneel with one knee against the base of a wall or couch and that shin running up it, the other foot flat in front.",
            "Lift your torso upright and squeeze your glute until you feel a deep stretch down the front of the thigh.",
            HOLD_LONG,
        ],
        ..HELD
    },
    Movement {
        name: "Lizard Stretch",
        diff: Intermediate,
        pri: &[Adductors, Quadriceps],
        sec: &[Glutes],
        steps: &[
            "From a high plank, step one foot forward to the outside of your hand.",
            "Lower your back knee to the floor and sink your hips forward and down, staying on your hands or forearms.",
            HOLD,
        ],
        ..HELD
    },
    Movement {
        name: "Pigeon Stretch",
        diff: Intermediate,
        pri: &[Glutes],
        sec: &[Abductors, Quadriceps],
        steps: &[
            "From your hands and knees, bring one knee forward behind your wrist with the shin angled across your body.",
            "Extend the other leg straight back and lower your hips toward the floor, walking your hands forward if comfortable.",
            HOLD_LONG,
        ],
        ..HELD
    },
    Movement {
        name: "Figure-Four Stretch",
        pri: &[Glutes],
        sec: &[Abductors],
        steps: &[
            "Lie on your back with both knees bent and cross one ankle over the opposite knee.",
            "Reach through and hold behind the uncrossed thigh, drawing it gently toward your chest.",
            HOLD,
        ],
        ..HELD
    },
    Movement {
        name: "Standing IT Band Stretch",
        pri: &[Abductors],
        sec: &[Glutes],
        steps: &[
            "Stand tall and cross one leg behind the other.",
            "Push your hip out toward the side of the back leg and reach the same-side arm overhead and over.",
            HOLD,
        ],
        ..HELD
    },
    Movement {
        name: "Butterfly Stretch",
        pri: &[Adductors],
        sec: &[Glutes],
        steps: &[
            "Sit tall with the soles of your feet together and your knees falling out to the sides.",
            "Hold your feet and hinge forward slightly from the hips, letting your knees sink toward the floor.",
            HOLD_CENTRED,
        ],
        ..SWUNG
    },
    Movement {
        name: "Frog Stretch",
        diff: Intermediate,
        pri: &[Adductors],
        sec: &[Glutes],
        steps: &[
            "Start on your hands and knees, then slide your knees wide apart with your ankles in line with your knees.",
            "Rock your hips slowly back toward your heels until you feel a stretch along your inner thighs.",
            "Hold for 30 to 60 seconds, breathing slowly.",
        ],
        ..HELD
    },
    Movement {
        name: "Side Lunge Stretch",
        pri: &[Adductors],
        sec: &[Hamstrings],
        steps: &[
            "Stand with your feet about twice shoulder width apart.",
            "Bend one knee and shift your hips toward it, keeping the other leg straight with its foot flat.",
            HOLD,
        ],
        ..SWUNG
    },
    Movement {
        name: "Happy Baby",
        pri: &[Adductors],
        sec: &[Glutes, LowerBack],
        steps: &[
            "Lie on your back and draw your knees toward your armpits.",
            "Hold the outsides of your feet with the soles facing the ceiling, knees wide.",
            HOLD_CENTRED,
        ],
        ..HELD
    },
    Movement {
        name: "Standing Calf Stretch",
        pri: &[Calves],
        steps: &[
            "Stand facing a wall with your hands on it and one foot a long step behind the other.",
            "Keeping the back heel down and that knee straight, lean your hips toward the wall.",
            HOLD,
        ],
        ..SWUNG
    },
    Movement {
        name: "Soleus Stretch",
        pri: &[Calves],
        steps: &[
            "Stand facing a wall with your hands on it and one foot a short step behind the other.",
            "Keeping both heels down, bend your back knee until you feel a stretch low in that calf.",
            HOLD,
        ],
        ..HELD
    },
    Movement {
        name: "Seated Calf Stretch",
        pri: &[Calves],
        eq: &[Bodyweight, ResistanceBand],
        anchor: "around the ball of your foot, holding an end in each hand",
        steps: &[
            "Sit tall with one leg straight in front of you.",
            "Draw the toes of that foot back toward you, by hand or with the band, keeping the knee straight.",
            HOLD,
        ],
        ..HELD
    },
    Movement {
        name: "Downward Dog",
        pri: &[Hamstrings, Calves],
        sec: &[Shoulders, Lats],
        steps: &[
            "From your hands and knees, tuck your toes and lift your hips up and back into an upside-down V.",
            "Press your chest toward your thighs and your heels toward the floor, knees soft if needed.",
            HOLD_CENTRED,
        ],
        ..SWUNG
    },
    // Back and trunk.
    Movement {
        name: "Child's Pose",
        pri: &[LowerBack, Lats],
        sec: &[Shoulders, Glutes],
        eq: &[Bodyweight, StabilityBall],
        steps: &[
            "Kneel with your big toes together and your knees apart, then sit back toward your heels.",
            "Reach your arms forward along the floor or onto the ball and let your chest sink between your knees.",
            "Hold for 30 to 60 seconds, breathing slowly into your back.",
        ],
        ..HELD
    },
    Movement {
        name: "Cobra Stretch",
        pri: &[Abdominals],
        sec: &[LowerBack],
        steps: &[
            "Lie face down with your hands under your shoulders.",
            "Press up through your hands to lift your chest, keeping your hips on the floor and shoulders down.",
            "Hold for 20 to 30 seconds, breathing slowly, then lower.",
        ],
        ..SWUNG
    },
    Movement {
        name: "Standing Side Bend Stretch",
        pri: &[Abdominals],
        sec: &[Lats],
        steps: &[
            "Stand tall with your feet hip width apart and one arm reaching overhead.",
            "Lean over to the opposite side, reaching up and over without twisting.",
            HOLD,
        ],
        ..SWUNG
    },
    Movement {
        name: "Seated Spinal Twist",
        pri: &[LowerBack],
        sec: &[Glutes, MiddleBack],
        steps: &[
            "Sit with one leg straight and the other foot planted outside its knee.",
            "Sit tall and rotate toward the bent knee, hooking your opposite elbow outside it.",
            HOLD,
        ],
        ..HELD
    },
    Movement {
        name: "Supine Twist",
        pri: &[LowerBack],
        sec: &[Glutes, Chest],
        steps: &[
            "Lie on your back with your arms out wide and one knee drawn toward your chest.",
            "Let that knee fall across your body to the floor while both shoulders stay down.",
            HOLD,
        ],
        ..HELD
    },
    Movement {
        name: "Knee-to-Chest Stretch",
        pri: &[LowerBack],
        sec: &[Glutes],
        steps: &[
            "Lie on your back with your legs straight.",
            "Draw one knee toward your chest with both hands, keeping the other leg relaxed on the floor.",
            HOLD,
        ],
        ..HELD
    },
    Movement {
        name: "Kneeling Lat Stretch",
        pri: &[Lats],
        sec: &[Shoulders, Triceps],
        eq: &[Bodyweight, StabilityBall],
        steps: &[
            "Kneel facing a bench, box or the ball and rest your hands on it with straight arms.",
            "Sit your hips back and let your chest sink toward the floor between your arms.",
            HOLD_CENTRED,
        ],
        ..HELD
    },
    Movement {
        name: "Upper Back Stretch",
        pri: &[MiddleBack],
        sec: &[Traps, Shoulders],
        steps: &[
            "Clasp your hands in front of you at chest height with your arms straight.",
            "Round your upper back and push your hands away, letting your shoulder blades spread apart.",
            "Hold for 20 to 30 seconds, breathing slowly into your back.",
        ],
        ..HELD
    },
    Movement {
        name: "Stability Ball Back Stretch",
        pri: &[Abdominals, Chest],
        sec: &[Shoulders, LowerBack],
        eq: &[StabilityBall],
        steps: &[
            "Sit on the ball and walk your feet forward until your back rests along it.",
            "Let your head, arms and shoulders drape back over the ball, keeping your feet planted.",
            "Hold for 20 to 30 seconds, breathing slowly, then walk back up to sitting.",
        ],
        ..HELD
    },
    // Chest, shoulders and arms.
    Movement {
        name: "Doorway Chest Stretch",
        pri: &[Chest],
        sec: &[Shoulders],
        steps: &[
            "Stand in a doorway with your forearms on the frame, elbows at shoulder height.",
            "Step one foot through and lean forward gently until you feel a stretch across your chest.",
            HOLD_CENTRED,
        ],
        ..HELD
    },
    Movement {
        name: "Stability Ball Chest Stretch",
        pri: &[Chest],
        sec: &[Shoulders],
        eq: &[StabilityBall],
        steps: &[
            "Kneel beside the ball and rest one straight arm on top of it.",
            "Roll the ball slightly forward and lower your chest toward the floor, turning your head away from the arm.",
            HOLD,
        ],
        ..HELD
    },
    Movement {
        name: "Cross-Body Shoulder Stretch",
        pri: &[Shoulders],
        sec: &[MiddleBack],
        steps: &[
            "Stand or sit tall and bring one straight arm across your chest.",
            "Hold it above the elbow with your other hand and draw it gently closer, keeping the shoulder down.",
            HOLD,
        ],
        ..HELD
    },
    Movement {
        name: "Sleeper Stretch",
        diff: Intermediate,
        pri: &[Shoulders],
        steps: &[
            "Lie on your side with your bottom arm out in front at shoulder height and the elbow bent to 90 degrees.",
            "Use your top hand to ease the bottom forearm down toward the floor.",
            HOLD,
        ],
        ..HELD
    },
    Movement {
        name: "Overhead Triceps Stretch",
        pri: &[Triceps],
        sec: &[Lats],
        eq: &[Bodyweight, ResistanceBand],
        anchor: "over one shoulder so it hangs down your back",
        steps: &[
            "Reach one arm overhead and bend the elbow so your hand drops behind your neck.",
            "Ease the elbow back and down with your other hand, or by pulling gently down on the band behind your back.",
            HOLD,
        ],
        ..HELD
    },
    Movement {
        name: "Biceps Wall Stretch",
        pri: &[Biceps],
        sec: &[Chest, Shoulders],
        steps: &[
            "Stand side-on to a wall and place your palm on it at shoulder height, arm straight behind you.",
            "Turn your body slowly away from the wall until you feel a stretch along the front of your arm.",
            HOLD,
        ],
        ..HELD
    },
    Movement {
        name: "Wrist Flexor Stretch",
        pri: &[Forearms],
        steps: &[
            "Hold one arm straight out in front with your palm facing up.",
            "Use your other hand to draw the fingers gently down and back toward you.",
            HOLD,
        ],
        ..HELD
    },
    Movement {
        name: "Wrist Extensor Stretch",
        pri: &[Forearms],
        steps: &[
            "Hold one arm straight out in front with your palm facing down.",
            "Use your other hand to draw the back of that hand gently down toward you.",
            HOLD,
        ],
        ..HELD
    },
    // Neck.
    Movement {
        name: "Neck Side Stretch",
        pri: &[Neck],
        sec: &[Traps],
        steps: &[
            "Sit or stand tall with your shoulders relaxed.",
            "Tilt one ear toward the same-side shoulder, resting that hand lightly on your head without pulling.",
            HOLD,
        ],
        ..HELD
    },
    Movement {
        name: "Chin-to-Chest Stretch",
        pri: &[Neck],
        sec: &[Traps],
        steps: &[
            "Sit or stand tall with your shoulders relaxed.",
            "Lower your chin toward your chest, letting the weight of your head lengthen the back of your neck.",
            HOLD_CENTRED,
        ],
        ..HELD
    },
    Movement {
        name: "Levator Scapulae Stretch",
        pri: &[Neck, Traps],
        steps: &[
            "Sit tall and turn your head about 45 degrees toward one armpit.",
            "Lower your nose toward that armpit, guiding your head lightly with the same-side hand.",
            HOLD,
        ],
        ..HELD
    },
    Movement {
        name: "Upper Trap Stretch",
        pri: &[Traps],
        sec: &[Neck],
        steps: &[
            "Sit tall and hold the edge of the seat with one hand to keep that shoulder down.",
            "Tilt your head away from the anchored side until you feel a stretch along the top of the shoulder.",
            HOLD,
        ],
        ..HELD
    },
    // Mobility drills.
    Movement {
        name: "Cat-Cow",
        pri: &[LowerBack],
        sec: &[Abdominals, MiddleBack],
        steps: &[
            "Start on your hands and knees with your hands under your shoulders and knees under your hips.",
            "Let your belly drop and lift your chest and tailbone.",
            "Round your spine toward the ceiling, tucking your chin and tailbone, and flow between the two.",
        ],
        ..DRILL
    },
    Movement {
        name: "World's Greatest Stretch",
        diff: Intermediate,
        pri: &[Glutes, Hamstrings, MiddleBack],
        sec: &[Quadriceps, Adductors],
        steps: &[
            "Step into a long lunge and place both hands on the floor inside your front foot.",
            "Rotate your inside arm up toward the ceiling, following it with your eyes.",
            "Return the hand, straighten the front leg to stretch the hamstring, then switch sides.",
        ],
        ..DRILL
    },
    Movement {
        name: "Hip 90/90 Switch",
        pri: &[Glutes],
        sec: &[Adductors, Abductors],
        steps: &[
            "Sit with both knees bent to 90 degrees, one leg in front of you and the other out to the side.",
            "Keeping your feet on the floor, rotate both knees over to the other side so the legs swap roles.",
            "Sit tall throughout, using your hands behind you for support if needed.",
        ],
        ..DRILL
    },
    Movement {
        name: "Leg Swing",
        pri: &[Hamstrings],
        sec: &[Quadriceps, Glutes],
        steps: &[
            "Stand side-on to a wall, holding it for balance.",
            "Swing your outside leg forward and back in a smooth, gradually growing arc, staying tall.",
            "Complete the reps, then switch legs.",
        ],
        ..DRILL
    },
    Movement {
        name: "Lateral Leg Swing",
        pri: &[Adductors],
        sec: &[Abductors],
        steps: &[
            "Stand facing a wall with both hands on it for balance.",
            "Swing one leg across in front of you and out to the side in a smooth arc.",
            "Complete the reps, then switch legs.",
        ],
        ..DRILL
    },
    Movement {
        name: "Standing Hip Circle",
        pri: &[Glutes],
        sec: &[Adductors, Abductors],
        steps: &[
            "Stand tall holding a wall for balance and lift one knee to hip height.",
            "Draw a large, slow circle with the knee, opening it out to the side and back down.",
            "Reverse direction, then switch legs.",
        ],
        ..DRILL
    },
    Movement {
        name: "Walking Knee Hug",
        pri: &[Glutes],
        sec: &[Hamstrings],
        steps: &[
            "Stand tall at the start of a clear stretch of floor.",
            "Step forward and hug the opposite knee to your chest, rising onto the toes of the standing foot.",
            "Release, step through and repeat on the other side as you walk.",
        ],
        ..DRILL
    },
    Movement {
        name: "Inchworm",
        pri: &[Hamstrings, Shoulders],
        sec: &[Abdominals],
        steps: &[
            "Stand tall, hinge forward and place your hands on the floor, bending your knees only as much as needed.",
            "Walk your hands out to a high plank, keeping your hips steady.",
            "Walk your feet in toward your hands and stand up.",
        ],
        ..DRILL
    },
    Movement {
        name: "Deep Squat Pry",
        pri: &[Adductors, Quadriceps],
        sec: &[Glutes, Calves],
        steps: &[
            "Sink into a deep squat with your heels down, holding a post or your hands together at your chest.",
            "Use your elbows to ease your knees apart and shift gently from side to side.",
            "Keep your chest up and breathe slowly throughout.",
        ],
        ..DRILL
    },
    Movement {
        name: "Knee-to-Wall Ankle Mobilisation",
        pri: &[Calves],
        eq: &[Bodyweight, ResistanceBand],
        anchor: "low behind you and around the front of your ankle",
        steps: &[
            "Stand facing a wall with one foot a hand's width from it.",
            "Keeping your heel down, drive your knee forward to touch the wall, then return.",
            "Move the foot back as it gets easy; finish the reps, then switch sides.",
        ],
        ..DRILL
    },
    Movement {
        name: "Open Book",
        pri: &[MiddleBack],
        sec: &[Chest, Shoulders],
        steps: &[
            "Lie on your side with your knees bent to 90 degrees and your arms straight out in front, palms together.",
            "Open your top arm up and over to the other side, rotating your upper back while your knees stay together.",
            "Return slowly; finish the reps, then switch sides.",
        ],
        ..DRILL
    },
    Movement {
        name: "Thread the Needle",
        pri: &[MiddleBack],
        sec: &[Shoulders],
        steps: &[
            "Start on your hands and knees.",
            "Slide one arm under your body along the floor, lowering that shoulder and rotating your upper back.",
            "Reverse to reach the same arm up toward the ceiling; finish the reps, then switch sides.",
        ],
        ..DRILL
    },
    Movement {
        name: "Wall Slide",
        pri: &[Shoulders],
        sec: &[Traps, MiddleBack],
        eq: &[Bodyweight, ResistanceBand],
        anchor: "around your wrists",
        steps: &[
            "Stand with your back, head and forearms against a wall, elbows bent at 90 degrees.",
            "Slide your arms up the wall as high as you can while keeping contact.",
            "Slide back down, drawing your shoulder blades down.",
        ],
        ..DRILL
    },
    Movement {
        name: "Arm Circle",
        pri: &[Shoulders],
        steps: &[
            "Stand tall with your arms straight out to the sides.",
            "Draw small circles forward, gradually making them larger.",
            "Reverse direction after the set number of circles.",
        ],
        ..DRILL
    },
    Movement {
        name: "Band Shoulder Pass-Through",
        pri: &[Shoulders],
        sec: &[Chest],
        eq: &[ResistanceBand],
        steps: &[
            "Hold the band in front of your hips with a wide overhand grip and straight arms.",
            "Raise it overhead and back behind you in one arc, keeping your arms straight.",
            "Bring it back to the front the same way, narrowing your grip as your range improves.",
        ],
        ..DRILL
    },
    Movement {
        name: "Pelvic Tilt",
        pri: &[LowerBack],
        sec: &[Abdominals],
        steps: &[
            "Lie on your back with your knees bent and your feet flat.",
            "Flatten your lower back into the floor by gently tilting your pelvis back.",
            "Release into a small arch, and move slowly between the two.",
        ],
        ..DRILL
    },
    Movement {
        name: "Stability Ball Pelvic Tilt",
        pri: &[LowerBack],
        sec: &[Abdominals],
        eq: &[StabilityBall],
        steps: &[
            "Sit tall on the ball with your feet flat and hip width apart.",
            "Roll the ball slightly forward by tucking your pelvis under, then back by tilting it forward.",
            "Keep your upper body still so the movement comes from your hips.",
        ],
        ..DRILL
    },
    Movement {
        name: "Neck Half Circle",
        pri: &[Neck],
        sec: &[Traps],
        steps: &[
            "Sit or stand tall and drop your chin toward your chest.",
            "Roll your head slowly toward one shoulder, back through the middle and toward the other shoulder.",
            "Avoid rolling your head backward; keep the movement slow and comfortable.",
        ],
        ..DRILL
    },
    Movement {
        name: "Chin Tuck",
        pri: &[Neck],
        steps: &[
            "Sit or stand tall looking straight ahead.",
            "Glide your head straight back to make a double chin, without tilting it up or down.",
            "Relax forward and repeat.",
        ],
        ..DRILL
    },
    Movement {
        name: "Wrist Circle",
        pri: &[Forearms],
        steps: &[
            "Interlace your fingers in front of your chest with your elbows bent.",
            "Roll your wrists in slow, full circles in one direction.",
            "Reverse direction after the set number of circles.",
        ],
        ..DRILL
    },
    Movement {
        name: "Foam Roller Thoracic Extension",
        pri: &[MiddleBack],
        sec: &[Shoulders],
        eq: &[FoamRoller],
        steps: &[
            "Lie on your back with the roller across your upper back and your hands supporting your head.",
            "Keep your hips down and let your upper back extend over the roller.",
            "Move the roller a few centimetres up or down and repeat along your upper back.",
        ],
        ..DRILL
    },
    // Foam rolling.
    Movement {
        name: "Foam Roller Quadriceps Release",
        pri: &[Quadriceps],
        steps: &[
            "Lie face down with the roller under the front of your thighs, propped on your forearms.",
            "Roll slowly from just above your knees to just below your hips.",
            ROLL_SLOWLY,
        ],
        ..ROLL
    },
    Movement {
        name: "Foam Roller Hamstring Release",
        pri: &[Hamstrings],
        steps: &[
            "Sit with the roller under the back of your thighs and your hands on the floor behind you.",
            "Lift your hips and roll slowly from just above your knees to just below your glutes.",
            ROLL_SLOWLY,
        ],
        ..ROLL
    },
    Movement {
        name: "Foam Roller Calf Release",
        pri: &[Calves],
        steps: &[
            "Sit with the roller under your calves and your hands on the floor behind you.",
            "Lift your hips and roll slowly from your ankles to just below your knees, crossing one leg over for more pressure.",
            ROLL_SLOWLY,
        ],
        ..ROLL
    },
    Movement {
        name: "Foam Roller Glute Release",
        pri: &[Glutes],
        steps: &[
            "Sit on the roller and cross one ankle over the opposite knee, leaning toward the crossed side.",
            "Roll slowly over the back and side of that hip.",
            ROLL_SLOWLY,
        ],
        ..ROLL
    },
    Movement {
        name: "Foam Roller Outer Thigh Release",
        pri: &[Abductors],
        sec: &[Quadriceps],
        steps: &[
            "Lie on your side with the roller under your outer thigh, supported on your forearm and top foot.",
            "Roll slowly from just below your hip to just above your knee.",
            ROLL_SLOWLY,
        ],
        ..ROLL
    },
    Movement {
        name: "Foam Roller Adductor Release",
        pri: &[Adductors],
        steps: &[
            "Lie face down with one leg out to the side and the roller under that inner thigh.",
            "Roll slowly from just above your knee toward your groin by shifting your body sideways.",
            ROLL_SLOWLY,
        ],
        ..ROLL
    },
    Movement {
        name: "Foam Roller Upper Back Release",
        pri: &[MiddleBack],
        sec: &[Traps],
        steps: &[
            "Lie on your back with the roller under your shoulder blades, arms crossed over your chest.",
            "Lift your hips and roll slowly from the bottom of your ribs to the top of your shoulders.",
            ROLL_SLOWLY,
        ],
        ..ROLL
    },
    Movement {
        name: "Foam Roller Lat Release",
        pri: &[Lats],
        steps: &[
            "Lie on your side with the roller under your armpit and that arm stretched overhead.",
            "Roll slowly down the side of your back to the bottom of your ribs.",
            ROLL_SLOWLY,
        ],
        ..ROLL
    },
    Movement {
        name: "Puppy Pose",
        pri: &[Lats, Shoulders],
        sec: &[MiddleBack],
        steps: &[
            "Start on your hands and knees, then walk your hands forward while keeping your hips over your knees.",
            "Let your chest sink toward the floor with your arms straight and forehead resting down.",
            HOLD_CENTRED,
        ],
        ..HELD
    },
    Movement {
        name: "Quadruped Rock Back",
        pri: &[Glutes],
        sec: &[Adductors, LowerBack],
        steps: &[
            "Start on your hands and knees with your knees a little wider than your hips.",
            "Keeping your back flat, rock your hips back toward your heels as far as you can.",
            "Rock forward again to the start and repeat smoothly.",
        ],
        ..DRILL
    },
    Movement {
        name: "Shoulder Controlled Articular Rotation",
        pri: &[Shoulders],
        sec: &[Chest, Lats],
        steps: &[
            "Stand tall, make a fist with one hand and brace your trunk so only your arm moves.",
            "Raise the straight arm forward and overhead, then turn it and circle it behind you as far as it will go.",
            "Return slowly along the same path; finish the reps, then switch arms.",
        ],
        ..DRILL
    },
    Movement {
        name: "Hip Controlled Articular Rotation",
        pri: &[Glutes],
        sec: &[Adductors, Abductors],
        steps: &[
            "Stand tall holding a support and lift one knee in front of you, bracing so your pelvis stays still.",
            "Draw the biggest slow circle you can with the knee: out to the side, back, and around behind you.",
            "Reverse the circle, then switch legs.",
        ],
        ..DRILL
    },
];
