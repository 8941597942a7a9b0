//! Doing a workout, as the simulator's people do theirs: each exercise done or skipped
//! by hidden taste and capacity, the session's exertion reported with the completion,
//! now and then one exercise rated. Beyond what the simulator reports, every set of a
//! done exercise is logged (`logSet`), as a client app would, so feedback holds set logs
//! and its signals see loads and reps.

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use fitgraph_entities::feedback::{
    exercise_outcomes, exercise_ratings, set_logs, workout_completions,
};
use fitgraph_rules::overload::carries_external_load;
use fitgraph_rules::{Prescription, RepUnit};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use subgraph_common::catalog::ExerciseSummary;
use subgraph_common::vocab::{Equipment, FitnessLevel};
use uuid::Uuid;

use super::history::Report;
use super::ids::{self, Kind};
use super::library::Catalog;
use super::people::Person;
use crate::simulate::behaviour::{Facts, RATING_CHANCE, exertion, opinion, try_exercise};

/// Minutes between asking for the workout and starting it.
const WARM_UP_MINUTES: i64 = 10;

/// A workout about to be done.
pub struct Workout<'a> {
    pub seed: u64,
    pub catalog: &'a Catalog,
    pub person: &'a Person,
    pub workout_id: Uuid,
    pub completion_id: Uuid,
    pub rating_id: Uuid,
    /// The prescribed exercises, each once, in order.
    pub chosen: &'a [Prescription],
    pub asked_at: DateTime<Utc>,
}

/// What doing it left in feedback.
pub struct Performed {
    pub report: Report,
    pub rating: Option<exercise_ratings::Model>,
}

/// Does `workout`: outcomes first, then exertion, then maybe a rating (the simulator's
/// order of draws), then the sets of every exercise done.
pub fn workout(workout: &Workout<'_>, rng: &mut ChaCha8Rng) -> Performed {
    let traits = &workout.person.traits;
    let started = workout.asked_at + TimeDelta::minutes(WARM_UP_MINUTES);
    let finished = started + TimeDelta::minutes(i64::from(workout.person.profile.session_minutes));
    let outcomes: Vec<exercise_outcomes::Model> = (0..)
        .zip(workout.chosen)
        .map(|(position, prescription)| {
            let facts = facts(workout.catalog, prescription.exercise_id);
            let (completed, felt) = try_exercise(rng, workout.seed, traits, &facts.as_facts());
            exercise_outcomes::Model {
                completion_id: workout.completion_id,
                exercise_id: prescription.exercise_id,
                position,
                completed,
                skipped: !completed,
                difficulty: felt.and_then(|felt| i32::try_from(felt).ok()),
                notes: None,
            }
        })
        .collect();
    let felt: Vec<i64> = outcomes
        .iter()
        .filter_map(|outcome| outcome.difficulty.map(i64::from))
        .collect();
    let completion = workout_completions::Model {
        id: workout.completion_id,
        idempotency_key: format!("scale-{}", workout.workout_id),
        user_id: workout.person.id,
        workout_id: workout.workout_id,
        session_rpe: i32::try_from(exertion(rng, &felt)).ok(),
        completed_at: finished.trunc_subsecs(0),
    };
    let rating = rate(workout, rng, &outcomes, finished);
    let set_logs = log_sets(workout, rng, &outcomes, started, finished);
    Performed {
        report: Report {
            completion,
            outcomes,
            set_logs,
        },
        rating,
    }
}

/// What the behaviour model reads of an exercise, owned.
pub struct OwnedFacts {
    slug: String,
    category: &'static str,
    equipment: &'static str,
    difficulty: &'static str,
}

impl OwnedFacts {
    pub fn as_facts(&self) -> Facts<'_> {
        Facts {
            slug: &self.slug,
            category: self.category,
            equipment: self.equipment,
            difficulty: self.difficulty,
        }
    }
}

/// The catalog's facts about an exercise, by their GraphQL names.
pub fn facts(catalog: &Catalog, exercise_id: Uuid) -> OwnedFacts {
    let exercise = catalog.exercise(exercise_id);
    OwnedFacts {
        slug: catalog.slug(exercise_id).to_owned(),
        category: exercise.map_or("", |e| e.category.as_str()),
        equipment: exercise.map_or("", |e| e.equipment.as_str()),
        difficulty: exercise.map_or("", |e| e.difficulty.as_str()),
    }
}

/// Now and then, one exercise they did, rated as much as they like it.
fn rate(
    workout: &Workout<'_>,
    rng: &mut ChaCha8Rng,
    outcomes: &[exercise_outcomes::Model],
    finished: DateTime<Utc>,
) -> Option<exercise_ratings::Model> {
    let done: Vec<Uuid> = outcomes
        .iter()
        .filter(|outcome| outcome.completed)
        .map(|outcome| outcome.exercise_id)
        .collect();
    if done.is_empty() || !rng.gen_bool(RATING_CHANCE) {
        return None;
    }
    let exercise_id = done[rng.gen_range(0..done.len())];
    let facts = facts(workout.catalog, exercise_id);
    let rating = opinion(rng, workout.seed, &workout.person.traits, &facts.as_facts());
    Some(exercise_ratings::Model {
        id: workout.rating_id,
        idempotency_key: format!("scale-rate-{}", workout.workout_id),
        user_id: workout.person.id,
        exercise_id,
        rating: i32::try_from(rating).unwrap_or(3),
        comment: None,
        created_at: (finished + TimeDelta::minutes(2)).trunc_subsecs(0),
    })
}

/// One log per prescribed set of every exercise done, spread over the session.
fn log_sets(
    workout: &Workout<'_>,
    rng: &mut ChaCha8Rng,
    outcomes: &[exercise_outcomes::Model],
    started: DateTime<Utc>,
    finished: DateTime<Utc>,
) -> Vec<set_logs::Model> {
    let per_exercise = (finished - started) / i32::try_from(outcomes.len().max(1)).unwrap_or(1);
    let (workout_high, workout_low) = workout.workout_id.as_u64_pair();
    let mut logs = Vec::new();
    for ((outcome, prescription), number) in outcomes.iter().zip(workout.chosen).zip(0_i32..) {
        if !outcome.completed {
            continue;
        }
        let exercise = workout.catalog.exercise(outcome.exercise_id);
        let load = prescription
            .load_kg
            .unwrap_or_else(|| starting_load(workout.person, exercise));
        let sets = i32::from(prescription.sets.max(1));
        let per_set = per_exercise / sets;
        for set_index in 1..=sets {
            let logged_at = started + per_exercise * number + per_set * set_index;
            let parts = [
                workout_high,
                workout_low,
                u64::from(number.unsigned_abs()),
                u64::from(set_index.unsigned_abs()),
            ];
            logs.push(set_logs::Model {
                id: ids::id(workout.seed, Kind::SetLog, &parts),
                idempotency_key: format!("scale-set-{}-{number}-{set_index}", workout.workout_id),
                user_id: workout.person.id,
                workout_id: workout.workout_id,
                exercise_id: outcome.exercise_id,
                set_index,
                reps: performed_reps(rng, prescription),
                load_kg: load,
                reps_in_reserve: (prescription.unit == RepUnit::Reps).then(|| rng.gen_range(0..=3)),
                logged_at: logged_at.min(finished).trunc_subsecs(0),
            });
        }
    }
    logs
}

/// Reps near the target (seconds held, for timed work).
fn performed_reps(rng: &mut ChaCha8Rng, prescription: &Prescription) -> i32 {
    let target = i32::from(prescription.target_reps.max(1));
    match prescription.unit {
        RepUnit::Reps => (target + rng.gen_range(-2..=1)).max(1),
        RepUnit::Seconds => target,
    }
}

/// The load someone picks for an exercise the plan gives no load for yet: a share of
/// their body weight by level and kind of equipment, on the plates' 2.5 kg steps;
/// nothing for work without external load.
fn starting_load(person: &Person, exercise: Option<&ExerciseSummary>) -> f64 {
    let Some(equipment) = exercise.map(|e| e.equipment) else {
        return 0.0;
    };
    if !carries_external_load(equipment) {
        return 0.0;
    }
    let by_level = match person.profile.level {
        FitnessLevel::Beginner => 0.3,
        FitnessLevel::Intermediate => 0.5,
        FitnessLevel::Advanced => 0.7,
    };
    let by_equipment = match equipment {
        Equipment::Dumbbell | Equipment::Kettlebell => 0.25,
        Equipment::Cable | Equipment::Machine => 0.6,
        _ => 1.0,
    };
    let load = person.profile.weight_kg * by_level * by_equipment;
    ((load / 2.5).round() * 2.5).max(2.5)
}
