//! `plan_day` against a realistic fixture library: every goal and level, and the edge cases.

mod support;

use std::collections::BTreeSet;

use chrono::{Days, TimeDelta};
use fitgraph_rules::{
    DayKind, DayPlan, LastSession, MuscleSignal, PastPrescription, PerformedSet, RepUnit,
    RulesError, SlotTarget, UserSnapshot, finalize, plan_day, rule_order,
};
use subgraph_common::vocab::{
    Category, Difficulty, Equipment, FitnessLevel, Goal, MovementPattern, Muscle, RecoveryBand,
};

use support::coherence::assert_coherent;
use support::{context, exercises, home_gym, id, library, library_of, templates, today, user};

fn plan(snapshot: &UserSnapshot) -> DayPlan {
    let (library, ctx) = (library(), context());
    let plan = plan_day(snapshot, &library, &ctx).expect("the fixture library serves everyone");
    assert_coherent(snapshot, &library, &ctx, &plan);
    plan
}

fn exercise_names(plan: &DayPlan) -> BTreeSet<String> {
    let library = library();
    plan.slots
        .iter()
        .flat_map(|slot| &slot.candidates)
        .map(|c| library.exercises[&c.exercise_id].name.clone())
        .collect()
}

#[test]
fn every_goal_and_level_gets_a_coherent_training_day() {
    for goal in Goal::ALL {
        for level in FitnessLevel::ALL {
            let plan = plan(&user(*goal, *level));
            assert_eq!(
                plan.kind,
                DayKind::Training,
                "{goal} {level}: {}",
                plan.reason
            );
            assert!(
                plan.slots.len() >= 3,
                "{goal} {level}: {} slots",
                plan.slots.len()
            );
            assert!(plan.title.contains(level.as_str()), "{}", plan.title);
            assert!(plan.reason.contains("GREEN"), "{}", plan.reason);
        }
    }
}

#[test]
fn plans_stay_coherent_across_lengths_recoveries_and_equipment() {
    let equipments = [
        BTreeSet::new(),
        BTreeSet::from([Equipment::Dumbbell]),
        home_gym(),
    ];
    let bands = [
        RecoveryBand::Green,
        RecoveryBand::Yellow,
        RecoveryBand::Unknown,
    ];
    for goal in Goal::ALL {
        for level in FitnessLevel::ALL {
            for minutes in [10, 20, 30, 45, 60, 90, 180] {
                for band in bands {
                    for equipment in &equipments {
                        let mut snapshot = user(*goal, *level);
                        snapshot.session_minutes = minutes;
                        snapshot.recovery = band;
                        snapshot.equipment = equipment.clone();
                        let plan = plan(&snapshot);
                        assert_eq!(plan.kind, DayKind::Training, "{goal} {level} {minutes} min");
                    }
                }
            }
        }
    }
}

#[test]
fn goals_shape_reps_rest_and_categories() {
    let library = library();
    let categories = |plan: &DayPlan| -> BTreeSet<Category> {
        plan.slots
            .iter()
            .flat_map(|slot| &slot.candidates)
            .map(|c| library.exercises[&c.exercise_id].category)
            .collect()
    };
    let gain = plan(&user(Goal::MuscleGain, FitnessLevel::Intermediate));
    assert!(categories(&gain).is_subset(&BTreeSet::from([
        Category::Strength,
        Category::Powerlifting
    ])));
    for candidate in gain.slots.iter().flat_map(|s| &s.candidates) {
        assert!(candidate.rep_min >= 6 && candidate.rep_max <= 12 && candidate.rest_seconds >= 60);
    }
    let loss = plan(&user(Goal::WeightLoss, FitnessLevel::Intermediate));
    assert!(
        categories(&loss).contains(&Category::Cardio),
        "weight loss includes cardio"
    );
    assert_eq!(
        loss.slots[0].unit,
        RepUnit::Seconds,
        "and opens with conditioning"
    );
    let endurance = plan(&user(Goal::Endurance, FitnessLevel::Advanced));
    for slot in endurance.slots.iter().filter(|s| s.unit == RepUnit::Reps) {
        let c = &slot.candidates[0];
        assert!(c.rep_min >= 15 && c.rep_max <= 25 && c.rest_seconds <= 45);
    }
    let flexibility = plan(&user(Goal::Flexibility, FitnessLevel::Beginner));
    assert_eq!(
        categories(&flexibility),
        BTreeSet::from([Category::Stretching])
    );
    assert!(flexibility.slots.iter().all(|s| s.unit == RepUnit::Seconds));
    assert!(
        flexibility
            .slots
            .iter()
            .flat_map(|s| &s.candidates)
            .all(|c| c.load_kg.is_none())
    );
    let general = plan(&user(Goal::GeneralFitness, FitnessLevel::Advanced));
    assert!(
        categories(&general).len() >= 4,
        "general fitness is balanced"
    );
}

#[test]
fn no_equipment_gets_bodyweight_work_only() {
    let library = library();
    for goal in Goal::ALL {
        let mut snapshot = user(*goal, FitnessLevel::Intermediate);
        snapshot.equipment = BTreeSet::new();
        let plan = plan(&snapshot);
        assert_eq!(plan.kind, DayKind::Training);
        for candidate in plan.slots.iter().flat_map(|s| &s.candidates) {
            assert_eq!(
                library.exercises[&candidate.exercise_id].equipment,
                Equipment::Bodyweight
            );
            assert_eq!(candidate.load_kg, None);
        }
    }
}

#[test]
fn beginners_never_get_advanced_olympic_or_strongman_work() {
    let library = library();
    for goal in Goal::ALL {
        let plan = plan(&user(*goal, FitnessLevel::Beginner));
        for candidate in plan.slots.iter().flat_map(|s| &s.candidates) {
            let exercise = &library.exercises[&candidate.exercise_id];
            assert_eq!(
                exercise.difficulty,
                Difficulty::Beginner,
                "{}",
                exercise.name
            );
            assert!(!matches!(
                exercise.category,
                Category::OlympicWeightlifting | Category::Strongman
            ));
        }
    }
    let mut strained = user(Goal::WeightLoss, FitnessLevel::Beginner);
    strained.recovery = RecoveryBand::Yellow;
    let names = exercise_names(&plan(&strained));
    assert!(
        !names.contains("Squat Jump"),
        "no plyometrics for a strained beginner"
    );
    assert!(
        exercise_names(&plan(&user(Goal::WeightLoss, FitnessLevel::Beginner)))
            .contains("Squat Jump")
    );
}

#[test]
fn deprecated_exercises_are_never_prescribed() {
    for goal in Goal::ALL {
        let names = exercise_names(&plan(&user(*goal, FitnessLevel::Beginner)));
        assert!(!names.contains("Old Smith Squat") && !names.contains("Old Toe Touch"));
    }
}

#[test]
fn one_day_of_ten_minutes_still_trains() {
    for goal in Goal::ALL {
        for level in FitnessLevel::ALL {
            let mut snapshot = user(*goal, *level);
            snapshot.days_per_week = 1;
            snapshot.session_minutes = 10;
            let plan = plan(&snapshot);
            assert_eq!(plan.kind, DayKind::Training);
            let exercises = finalize(&plan, rule_order).len();
            // Stretches are short holds: a few fit where only one or two lifts would.
            let most = if *goal == Goal::Flexibility { 5 } else { 2 };
            assert!(
                (1..=most).contains(&exercises),
                "{goal} {level}: {exercises}"
            );
            snapshot.signals.training_days = BTreeSet::from([today() - Days::new(2)]);
            let rest = self::plan(&snapshot);
            assert_eq!(rest.kind, DayKind::Rest);
            assert!(
                rest.reason.contains("trained 1 of your 1 days this week"),
                "{}",
                rest.reason
            );
        }
    }
}

#[test]
fn a_used_weekly_budget_is_a_rest_day() {
    let mut snapshot = user(Goal::MuscleGain, FitnessLevel::Advanced);
    snapshot.days_per_week = 2;
    // Monday and, last week, Sunday: one this week, so training goes ahead.
    snapshot.signals.training_days =
        BTreeSet::from([today() - Days::new(2), today() - Days::new(3)]);
    assert_eq!(plan(&snapshot).kind, DayKind::Training);
    snapshot
        .signals
        .training_days
        .insert(today() - Days::new(1));
    let rest = plan(&snapshot);
    assert_eq!(rest, DayPlan::rest(rest.reason.clone()));
    assert_eq!(
        rest.reason,
        "You have trained 2 of your 2 days this week, so today is a rest day."
    );
}

#[test]
fn too_many_days_in_a_row_is_a_rest_day() {
    let mut snapshot = user(Goal::Endurance, FitnessLevel::Intermediate);
    snapshot.days_per_week = 7;
    snapshot.signals.training_days = (1..=3).map(|n| today() - Days::new(n)).collect();
    let rest = plan(&snapshot);
    assert_eq!(rest.kind, DayKind::Rest);
    assert!(rest.reason.contains("3 days in a row"), "{}", rest.reason);
}

#[test]
fn red_recovery_is_gentle_mobility_without_load() {
    let library = library();
    for level in FitnessLevel::ALL {
        let mut snapshot = user(Goal::MuscleGain, *level);
        snapshot.recovery = RecoveryBand::Red;
        let plan = plan(&snapshot);
        assert_eq!(plan.kind, DayKind::Mobility);
        assert!(
            plan.reason.starts_with("Recovery is RED"),
            "{}",
            plan.reason
        );
        assert!(plan.slots.len() >= 5);
        for candidate in plan.slots.iter().flat_map(|s| &s.candidates) {
            let exercise = &library.exercises[&candidate.exercise_id];
            assert_eq!(exercise.category, Category::Stretching);
            assert_eq!(
                (candidate.unit, candidate.load_kg),
                (RepUnit::Seconds, None)
            );
            assert_ne!(
                exercise.name, "Kettlebell Goblet Squat Hold",
                "no loaded stretch"
            );
        }
    }
}

#[test]
fn recently_trained_muscles_get_no_primary_work() {
    let mut snapshot = user(Goal::MuscleGain, FitnessLevel::Intermediate);
    let now = context().now;
    let trained = |muscle, hours| MuscleSignal {
        muscle,
        last_trained_at: now - TimeDelta::hours(hours),
        sets_last_7_days: 4,
    };
    snapshot.signals.muscles = vec![
        trained(Muscle::Chest, 60),
        trained(Muscle::Biceps, 30),
        trained(Muscle::Hamstrings, 80),
    ];
    let plan = plan(&snapshot);
    assert_eq!(plan.kind, DayKind::Training);
    let library = library();
    for candidate in plan.slots.iter().flat_map(|s| &s.candidates) {
        let primary = &library.exercises[&candidate.exercise_id].primary_muscles;
        assert!(!primary.contains(&Muscle::Chest) && !primary.contains(&Muscle::Biceps));
    }
    assert!(
        !plan
            .slots
            .iter()
            .any(|s| s.target == SlotTarget::Muscle(Muscle::Biceps))
    );
    assert!(
        !plan
            .slots
            .iter()
            .any(|s| s.target == SlotTarget::Pattern(MovementPattern::HorizontalPush)),
        "every horizontal push works the chest"
    );
    assert!(
        plan.reason.contains("Resting biceps and chest"),
        "{}",
        plan.reason
    );
    let deadlift = candidate(&plan, id("Romanian Deadlift")).expect("hamstrings rested 80 hours");
    assert!(
        deadlift
            .reason
            .starts_with("Hinge pattern; hamstrings rested 3 days"),
        "{}",
        deadlift.reason
    );
}

#[test]
fn all_muscles_recently_trained_is_a_mobility_day() {
    let mut snapshot = user(Goal::MuscleGain, FitnessLevel::Advanced);
    snapshot.signals.muscles = Muscle::ALL
        .iter()
        .map(|muscle| MuscleSignal {
            muscle: *muscle,
            last_trained_at: context().now - TimeDelta::hours(20),
            sets_last_7_days: 3,
        })
        .collect();
    let plan = plan(&snapshot);
    assert_eq!(plan.kind, DayKind::Mobility);
    assert!(
        plan.reason.contains("before they have recovered"),
        "{}",
        plan.reason
    );
    assert!(
        plan.reason.ends_with("so today is gentle mobility."),
        "{}",
        plan.reason
    );
}

#[test]
fn a_deload_week_halves_sets_and_never_adds_load() {
    let mut snapshot = user(Goal::MuscleGain, FitnessLevel::Intermediate);
    let squat = id("Barbell Back Squat");
    snapshot
        .signals
        .last_sessions
        .insert(squat, top_session(100.0));
    let library = library();
    let mut ctx = context();
    ctx.past_prescriptions.insert(squat, past(100.0));
    let normal = plan_day(&snapshot, &library, &ctx).expect("served");
    ctx.week_index = 7;
    let deload = plan_day(&snapshot, &library, &ctx).expect("served");
    assert_coherent(&snapshot, &library, &ctx, &deload);
    assert!(deload.deload && !normal.deload);
    assert!(deload.title.ends_with("(deload)"), "{}", deload.title);
    assert!(
        deload.reason.starts_with("Deload week"),
        "{}",
        deload.reason
    );
    let sets = |plan: &DayPlan| plan.slots[0].candidates[0].sets;
    assert_eq!(sets(&deload), sets(&normal).div_ceil(2));
    assert_eq!(load_of(&normal, squat), Some(105.0));
    assert_eq!(
        load_of(&deload, squat),
        Some(90.0),
        "held at 100 kg, then 10% lighter"
    );
}

#[test]
fn yellow_recovery_lightens_the_day() {
    let mut snapshot = user(Goal::MuscleGain, FitnessLevel::Intermediate);
    let squat = id("Barbell Back Squat");
    snapshot
        .signals
        .last_sessions
        .insert(squat, top_session(100.0));
    let green = plan(&snapshot);
    snapshot.recovery = RecoveryBand::Yellow;
    let yellow = plan(&snapshot);
    assert!(
        yellow.reason.contains("Recovery is YELLOW"),
        "{}",
        yellow.reason
    );
    assert_eq!(
        yellow.slots[0].candidates[0].sets + 1,
        green.slots[0].candidates[0].sets
    );
    assert_eq!(load_of(&yellow, squat), Some(90.0));
    snapshot.recovery = RecoveryBand::Unknown;
    let unknown = plan(&snapshot);
    assert_eq!(
        load_of(&unknown, squat),
        Some(100.0),
        "unknown recovery adds no load"
    );
    assert_eq!(
        unknown.slots[0].candidates[0].sets,
        green.slots[0].candidates[0].sets
    );
}

#[test]
fn progression_continues_week_over_week() {
    let mut snapshot = user(Goal::MuscleGain, FitnessLevel::Intermediate);
    let bench = id("Barbell Bench Press");
    let library = library();
    let mut ctx = context();
    snapshot.signals.one_rep_maxes.insert(bench, 80.0);
    let first = plan_day(&snapshot, &library, &ctx).expect("served");
    let start = candidate(&first, bench).expect("bench press offered");
    // 80 / (1 + (8 + 2) / 30) = 60.
    assert_eq!((start.load_kg, start.target_reps), (Some(60.0), 8));
    ctx.past_prescriptions.insert(
        bench,
        PastPrescription {
            date: today() - Days::new(7),
            sets: start.sets,
            rep_min: start.rep_min,
            rep_max: start.rep_max,
            load_kg: start.load_kg,
        },
    );
    let partial = LastSession {
        date: today() - Days::new(7),
        sets: vec![set(12, 60.0), set(10, 60.0), set(9, 60.0)],
    };
    snapshot.signals.last_sessions.insert(bench, partial);
    let second = plan_day(&snapshot, &library, &ctx).expect("served");
    let more_reps = candidate(&second, bench).expect("offered again");
    assert_eq!((more_reps.load_kg, more_reps.target_reps), (Some(60.0), 12));
    snapshot.signals.last_sessions.insert(
        bench,
        LastSession {
            date: today() - Days::new(7),
            sets: vec![set(12, 60.0); 3],
        },
    );
    let third = plan_day(&snapshot, &library, &ctx).expect("served");
    let heavier = candidate(&third, bench).expect("offered again");
    assert_eq!((heavier.load_kg, heavier.target_reps), (Some(63.0), 8));
    assert!(
        heavier
            .reason
            .contains("+5% load: all sets reached 12 reps"),
        "{}",
        heavier.reason
    );
}

#[test]
fn exercises_with_history_come_first_among_equals() {
    let mut snapshot = user(Goal::MuscleGain, FitnessLevel::Beginner);
    let first = plan(&snapshot);
    let squat_slot = |plan: &DayPlan| {
        plan.slots
            .iter()
            .find(|s| s.target == SlotTarget::Pattern(MovementPattern::Squat))
            .expect("a squat slot")
            .candidates
            .iter()
            .map(|c| c.exercise_id)
            .collect::<Vec<_>>()
    };
    let leg_press = id("Leg Press");
    assert_ne!(squat_slot(&first)[0], leg_press);
    snapshot
        .signals
        .last_sessions
        .insert(leg_press, top_session(80.0));
    assert_eq!(squat_slot(&plan(&snapshot))[0], leg_press);
}

#[test]
fn weekly_set_caps_hold_whatever_is_picked() {
    let mut snapshot = user(Goal::MuscleGain, FitnessLevel::Beginner);
    let long_ago = context().now - TimeDelta::days(5);
    snapshot.signals.muscles = vec![
        MuscleSignal {
            muscle: Muscle::Quadriceps,
            last_trained_at: long_ago,
            sets_last_7_days: 12,
        },
        MuscleSignal {
            muscle: Muscle::Chest,
            last_trained_at: long_ago,
            sets_last_7_days: 10,
        },
    ];
    let plan = plan(&snapshot);
    let library = library();
    for slot in &plan.slots {
        for candidate in &slot.candidates {
            let exercise = &library.exercises[&candidate.exercise_id];
            assert!(
                !exercise.primary_muscles.contains(&Muscle::Quadriceps),
                "{}",
                exercise.name
            );
            if exercise.primary_muscles.contains(&Muscle::Chest) {
                assert!(candidate.sets <= 2);
            }
        }
    }
}

#[test]
fn a_slot_without_a_safe_exercise_is_dropped_and_the_rest_kept() {
    let without_hinges: Vec<_> = exercises()
        .into_iter()
        .filter(|e| e.movement_pattern != MovementPattern::Hinge)
        .collect();
    let library = library_of(without_hinges, templates());
    let snapshot = user(Goal::MuscleGain, FitnessLevel::Intermediate);
    let ctx = context();
    let plan = plan_day(&snapshot, &library, &ctx).expect("served");
    assert_coherent(&snapshot, &library, &ctx, &plan);
    assert_eq!(plan.kind, DayKind::Training);
    assert!(
        !plan
            .slots
            .iter()
            .any(|s| s.target == SlotTarget::Pattern(MovementPattern::Hinge))
    );
    assert!(
        plan.slots
            .iter()
            .any(|s| s.target == SlotTarget::Pattern(MovementPattern::Squat))
    );
}

#[test]
fn nothing_safe_is_mobility_or_rest_never_an_unsafe_workout() {
    let advanced_only: Vec<_> = exercises()
        .into_iter()
        .filter(|e| e.difficulty == Difficulty::Advanced || e.category == Category::Stretching)
        .collect();
    let library = library_of(advanced_only.clone(), templates());
    let snapshot = user(Goal::MuscleGain, FitnessLevel::Beginner);
    let ctx = context();
    let plan = plan_day(&snapshot, &library, &ctx).expect("served");
    assert_coherent(&snapshot, &library, &ctx, &plan);
    assert_eq!(plan.kind, DayKind::Mobility);
    assert!(
        plan.reason.starts_with("None of today's exercises suit"),
        "{}",
        plan.reason
    );
    let no_stretches: Vec<_> = advanced_only
        .into_iter()
        .filter(|e| e.category != Category::Stretching)
        .collect();
    let library = library_of(no_stretches, templates());
    let plan = plan_day(&snapshot, &library, &ctx).expect("served");
    assert_coherent(&snapshot, &library, &ctx, &plan);
    assert_eq!(plan.kind, DayKind::Rest);
    assert!(
        plan.reason.ends_with("so today is a rest day."),
        "{}",
        plan.reason
    );
    let mut red = snapshot.clone();
    red.recovery = RecoveryBand::Red;
    let plan = plan_day(&red, &library, &ctx).expect("served");
    assert_eq!(plan.kind, DayKind::Rest);
}

#[test]
fn a_library_that_serves_nobody_is_an_error() {
    let snapshot = user(Goal::Endurance, FitnessLevel::Beginner);
    let empty = library_of(Vec::new(), templates());
    assert_eq!(
        plan_day(&snapshot, &empty, &context()),
        Err(RulesError::EmptyLibrary)
    );
    let no_templates = library_of(exercises(), Vec::new());
    assert_eq!(
        plan_day(&snapshot, &no_templates, &context()),
        Err(RulesError::NoTemplate {
            goal: Goal::Endurance,
            level: FitnessLevel::Beginner
        })
    );
    let other_goals: Vec<_> = templates()
        .into_iter()
        .filter(|t| t.goal != Goal::Endurance)
        .collect();
    let library = library_of(exercises(), other_goals);
    assert!(matches!(
        plan_day(&snapshot, &library, &context()),
        Err(RulesError::NoTemplate { .. })
    ));
}

#[test]
fn odd_user_data_falls_back_sensibly() {
    let mut snapshot = user(Goal::GeneralFitness, FitnessLevel::Advanced);
    snapshot.days_per_week = 0;
    snapshot.session_minutes = 0;
    snapshot.signals.one_rep_maxes = exercises().iter().map(|e| (e.id, f64::NAN)).collect();
    snapshot.signals.muscles = vec![MuscleSignal {
        muscle: Muscle::Quadriceps,
        last_trained_at: context().now + TimeDelta::days(30),
        sets_last_7_days: u32::MAX,
    }];
    let plan = plan(&snapshot);
    assert_eq!(plan.kind, DayKind::Training);
    assert_eq!(
        plan.slots.len(),
        1,
        "a zero-minute session still gets one exercise"
    );
    snapshot.session_minutes = u16::MAX;
    assert_eq!(self::plan(&snapshot).kind, DayKind::Training);
}

#[test]
fn plans_are_deterministic() {
    let snapshot = user(Goal::WeightLoss, FitnessLevel::Intermediate);
    assert_eq!(plan(&snapshot), plan(&snapshot));
}

fn set(reps: u32, load_kg: f64) -> PerformedSet {
    PerformedSet {
        reps,
        load_kg,
        reps_in_reserve: Some(1),
    }
}

fn top_session(load_kg: f64) -> LastSession {
    LastSession {
        date: today() - Days::new(4),
        sets: vec![set(12, load_kg); 3],
    }
}

fn past(load_kg: f64) -> PastPrescription {
    PastPrescription {
        date: today() - Days::new(4),
        sets: 3,
        rep_min: 8,
        rep_max: 12,
        load_kg: Some(load_kg),
    }
}

fn candidate(plan: &DayPlan, id: uuid::Uuid) -> Option<&fitgraph_rules::Prescription> {
    plan.slots
        .iter()
        .flat_map(|s| &s.candidates)
        .find(|c| c.exercise_id == id)
}

fn load_of(plan: &DayPlan, id: uuid::Uuid) -> Option<f64> {
    candidate(plan, id).and_then(|c| c.load_kg)
}
