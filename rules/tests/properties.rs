//! Randomised users, histories and days: every plan is coherent and safe, and no load is
//! ever more than 10% above the last prescribed or performed load.

mod support;

use std::collections::{BTreeSet, HashMap};

use chrono::{Days, TimeDelta};
use fitgraph_rules::{
    DayContext, LastSession, MuscleSignal, PastPrescription, PerformedSet, UserSnapshot, plan_day,
};
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use subgraph_common::vocab::{Equipment, FitnessLevel, Goal, Muscle, RecoveryBand};
use uuid::Uuid;

use support::coherence::assert_coherent;
use support::{context, exercises, library, today, user};

const PLANS: usize = 3_000;

fn pick<T: Copy>(rng: &mut ChaCha8Rng, from: &[T]) -> T {
    *from.choose(rng).expect("a non-empty choice")
}

fn random_load(rng: &mut ChaCha8Rng) -> f64 {
    match rng.gen_range(0..12) {
        0 => f64::NAN,
        1 => 0.0,
        2 => -5.0,
        _ => rng.gen_range(1.0..250.0),
    }
}

fn random_history(
    rng: &mut ChaCha8Rng,
    ids: &[Uuid],
    snapshot: &mut UserSnapshot,
    ctx: &mut DayContext,
) {
    let count = rng.gen_range(0..ids.len());
    let chosen: Vec<Uuid> = ids.choose_multiple(rng, count).copied().collect();
    for id in &chosen {
        if rng.gen_bool(0.6) {
            ctx.past_prescriptions.insert(
                *id,
                PastPrescription {
                    date: today() - Days::new(rng.gen_range(1..30)),
                    sets: rng.gen_range(0..6),
                    rep_min: rng.gen_range(0..15),
                    rep_max: rng.gen_range(0..30),
                    load_kg: rng.gen_bool(0.8).then(|| random_load(rng)),
                },
            );
        }
        if rng.gen_bool(0.6) {
            let sets = (0..rng.gen_range(0..6))
                .map(|_| PerformedSet {
                    reps: rng.gen_range(0..30),
                    load_kg: random_load(rng),
                    reps_in_reserve: None,
                })
                .collect();
            let date = today() - Days::new(rng.gen_range(1..42));
            snapshot
                .signals
                .last_sessions
                .insert(*id, LastSession { date, sets });
        }
        if rng.gen_bool(0.3) {
            snapshot
                .signals
                .one_rep_maxes
                .insert(*id, random_load(rng) * 1.5);
        }
    }
}

fn random_day(rng: &mut ChaCha8Rng, ids: &[Uuid]) -> (UserSnapshot, DayContext) {
    let mut snapshot = user(pick(rng, Goal::ALL), pick(rng, FitnessLevel::ALL));
    snapshot.days_per_week = rng.gen_range(0..9);
    snapshot.session_minutes = pick(rng, &[0, 5, 10, 15, 20, 30, 45, 60, 75, 90, 120, 180]);
    snapshot.recovery = pick(rng, RecoveryBand::ALL);
    snapshot.equipment = Equipment::ALL
        .iter()
        .copied()
        .filter(|_| rng.gen_bool(0.4))
        .collect::<BTreeSet<_>>();
    snapshot.signals.training_days = (1..15)
        .filter(|_| rng.gen_bool(0.3))
        .map(|n| today() - Days::new(n))
        .collect();
    let mut ctx = context();
    ctx.week_index = rng.gen_range(0..20);
    for muscle in Muscle::ALL {
        if rng.gen_bool(0.4) {
            snapshot.signals.muscles.push(MuscleSignal {
                muscle: *muscle,
                last_trained_at: ctx.now - TimeDelta::hours(rng.gen_range(-10..200)),
                sets_last_7_days: rng.gen_range(0..30),
            });
        }
    }
    random_history(rng, ids, &mut snapshot, &mut ctx);
    (snapshot, ctx)
}

#[test]
fn random_days_always_plan_coherently_and_safely() {
    let library = library();
    let ids: Vec<Uuid> = exercises().iter().map(|e| e.id).collect();
    let mut rng = ChaCha8Rng::seed_from_u64(2025);
    let mut kinds: HashMap<_, u32> = HashMap::new();
    for _ in 0..PLANS {
        let (snapshot, ctx) = random_day(&mut rng, &ids);
        let plan = plan_day(&snapshot, &library, &ctx).expect("the fixture serves every goal");
        assert_coherent(&snapshot, &library, &ctx, &plan);
        *kinds.entry(plan.kind).or_insert(0) += 1;
    }
    // The generator reaches every kind of day, so the checks above cover all three.
    assert_eq!(kinds.len(), 3, "{kinds:?}");
}
