//! One person's day: ask for today's workout, then show up or skip it, do or skip each
//! exercise according to hidden tastes, and report it all in one completion.

use std::collections::HashSet;

use chrono::NaiveDate;
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use serde::Deserialize;
use serde_json::{Value, json};

use super::gateway::{Failure, Gateway};
use super::population::{HiddenTraits, Person, appeal, daily_rng, normal, sigmoid};

const TODAY: &str = "query Today { me { todayWorkout { id kind modelVersion \
    exercises { exercise { id slug category equipment difficulty } } } } }";
const SKIP: &str = "mutation Skip($id: ID!) { skipWorkout(workoutId: $id) { id } }";
const COMPLETE: &str =
    "mutation Complete($input: CompleteWorkoutInput!) { completeWorkout(input: $input) { id } }";
const RATE: &str =
    "mutation Rate($input: RateExerciseInput!) { rateExercise(input: $input) { id } }";

/// Chance that a completed workout is followed by rating one of its exercises.
pub(crate) const RATING_CHANCE: f64 = 0.1;

/// A simulated day: its 1-based number and its date on the services' clock.
#[derive(Debug, Clone, Copy)]
pub struct Day {
    pub number: u32,
    pub date: NaiveDate,
}

/// What the day's tallies need from one person's day.
#[derive(Debug, Default, Clone, Copy)]
pub struct Lived {
    /// Today's workout was ordered by a ranker model.
    pub served_by_model: bool,
}

#[derive(Deserialize)]
struct TodayAnswer {
    me: Option<Me>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Me {
    today_workout: Option<TodayWorkout>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TodayWorkout {
    id: String,
    kind: String,
    model_version: Option<String>,
    exercises: Vec<Prescribed>,
}

#[derive(Deserialize)]
struct Prescribed {
    exercise: ExerciseFacts,
}

#[derive(Deserialize)]
struct ExerciseFacts {
    id: String,
    /// Stable across installs, unlike the id, which each fresh library mints anew.
    slug: String,
    category: String,
    equipment: String,
    difficulty: String,
}

/// How one prescribed exercise went.
struct Outcome<'a> {
    exercise: &'a ExerciseFacts,
    completed: bool,
    difficulty: Option<i64>,
}

/// Lives `person`'s `day` against the graph; failures are counted by the gateway.
pub async fn live_day(
    gateway: &Gateway,
    seed: u64,
    person: &Person,
    token: &str,
    day: Day,
) -> Lived {
    let Some(workout) = today_workout(gateway, token).await else {
        return Lived::default();
    };
    let lived = Lived {
        served_by_model: workout.model_version.is_some(),
    };
    if workout.kind == "REST" || workout.exercises.is_empty() {
        return lived;
    }
    let mut rng = daily_rng(seed, person.index, day.number);
    if !shows_up(&mut rng, &person.traits) {
        gateway
            .send::<Value>("skipWorkout", token, SKIP, json!({ "id": workout.id }))
            .await;
        return lived;
    }
    let exercises = distinct_exercises(&workout);
    let outcomes: Vec<Outcome> = exercises
        .into_iter()
        .map(|exercise| attempt(&mut rng, seed, person, exercise))
        .collect();
    complete(
        gateway,
        &mut rng,
        person,
        token,
        day,
        &workout.id,
        &outcomes,
    )
    .await;
    if rng.gen_bool(RATING_CHANCE) {
        rate_one(gateway, &mut rng, seed, person, token, day, &outcomes).await;
    }
    lived
}

async fn today_workout(gateway: &Gateway, token: &str) -> Option<TodayWorkout> {
    let answer = gateway.call::<TodayAnswer>(token, TODAY, json!({})).await;
    let workout = answer.and_then(|answer| {
        let me = answer
            .me
            .ok_or_else(|| Failure::plain("`me` is null: the profile is missing"))?;
        me.today_workout
            .ok_or_else(|| Failure::plain("`todayWorkout` is null for the user themself"))
    });
    gateway.count("todayWorkout", workout)
}

/// Each exercise once, in order: a completion names every exercise exactly once.
fn distinct_exercises(workout: &TodayWorkout) -> Vec<&ExerciseFacts> {
    let mut seen = HashSet::new();
    workout
        .exercises
        .iter()
        .map(|prescribed| &prescribed.exercise)
        .filter(|exercise| seen.insert(exercise.id.as_str()))
        .collect()
}

/// Whether the person does an exercise and how hard it felt.
fn attempt<'a>(
    rng: &mut ChaCha8Rng,
    seed: u64,
    person: &Person,
    exercise: &'a ExerciseFacts,
) -> Outcome<'a> {
    let (completed, difficulty) = try_exercise(rng, seed, &person.traits, &exercise.facts());
    Outcome {
        exercise,
        completed,
        difficulty,
    }
}

impl ExerciseFacts {
    fn facts(&self) -> Facts<'_> {
        Facts {
            slug: &self.slug,
            category: &self.category,
            equipment: &self.equipment,
            difficulty: &self.difficulty,
        }
    }
}

/// What the behaviour model reads of an exercise: the GraphQL names of its category,
/// equipment and difficulty, and its slug (which names its appeal to everyone).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Facts<'a> {
    pub slug: &'a str,
    pub category: &'a str,
    pub equipment: &'a str,
    pub difficulty: &'a str,
}

/// Whether someone given a workout shows up for it (else they skip it).
pub(crate) fn shows_up(rng: &mut ChaCha8Rng, traits: &HiddenTraits) -> bool {
    rng.gen_bool(sigmoid(traits.motivation + 0.5))
}

/// Whether someone with `traits` does an exercise, and how hard it felt (1-5) if they did.
pub(crate) fn try_exercise(
    rng: &mut ChaCha8Rng,
    seed: u64,
    traits: &HiddenTraits,
    exercise: &Facts<'_>,
) -> (bool, Option<i64>) {
    let too_hard_by = difficulty_index(exercise.difficulty) - traits.capacity;
    let inclination =
        traits.motivation + liking(seed, traits, exercise) - 1.2 * too_hard_by.max(0.0);
    let completed = rng.gen_bool(sigmoid(inclination));
    // Drawn either way, so one exercise's outcome never shifts the next one's draws.
    let felt = 3.0 + too_hard_by + normal(rng, 0.0, 0.7);
    (
        completed,
        completed.then(|| (felt.round() as i64).clamp(1, 5)),
    )
}

/// Taste for the exercise's category and equipment, and its appeal to everyone.
fn liking(seed: u64, traits: &HiddenTraits, exercise: &Facts<'_>) -> f64 {
    traits.category(exercise.category)
        + 0.6 * traits.equipment(exercise.equipment)
        + 1.2 * appeal(seed, exercise.slug)
}

/// How someone rates an exercise (1-5): as much as they like it.
pub(crate) fn opinion(
    rng: &mut ChaCha8Rng,
    seed: u64,
    traits: &HiddenTraits,
    exercise: &Facts<'_>,
) -> i64 {
    let opinion = 3.0 + 0.8 * liking(seed, traits, exercise) + normal(rng, 0.0, 0.5);
    (opinion.round() as i64).clamp(1, 5)
}

/// BEGINNER 0, INTERMEDIATE 1, ADVANCED 2 (an unknown level counts as the middle).
fn difficulty_index(difficulty: &str) -> f64 {
    match difficulty {
        "BEGINNER" => 0.0,
        "ADVANCED" => 2.0,
        _ => 1.0,
    }
}

async fn complete(
    gateway: &Gateway,
    rng: &mut ChaCha8Rng,
    person: &Person,
    token: &str,
    day: Day,
    workout_id: &str,
    outcomes: &[Outcome<'_>],
) {
    let exercises: Vec<Value> = outcomes
        .iter()
        .map(|outcome| {
            json!({
                "exerciseId": outcome.exercise.id,
                "completed": outcome.completed,
                "skipped": !outcome.completed,
                "difficulty": outcome.difficulty,
            })
        })
        .collect();
    let input = json!({
        "idempotencyKey": format!("sim-{}-{}", person.id, day.date),
        "userId": person.id,
        "workoutId": workout_id,
        "exercises": exercises,
        "sessionRpe": session_rpe(rng, outcomes),
    });
    gateway
        .send::<Value>(
            "completeWorkout",
            token,
            COMPLETE,
            json!({ "input": input }),
        )
        .await;
}

/// Perceived exertion follows how hard the completed exercises felt (1-10).
fn session_rpe(rng: &mut ChaCha8Rng, outcomes: &[Outcome<'_>]) -> i64 {
    let felt: Vec<i64> = outcomes.iter().filter_map(|o| o.difficulty).collect();
    exertion(rng, &felt)
}

/// Session RPE (1-10) from how hard each completed exercise felt (1-5).
pub(crate) fn exertion(rng: &mut ChaCha8Rng, felt: &[i64]) -> i64 {
    let felt: Vec<f64> = felt.iter().map(|d| *d as f64).collect();
    let noise = normal(rng, 0.0, 1.0);
    if felt.is_empty() {
        return 2;
    }
    let mean = felt.iter().sum::<f64>() / felt.len() as f64;
    ((4.0 + 1.5 * (mean - 1.0) + noise).round() as i64).clamp(1, 10)
}

/// Rates one exercise the person completed, as much as they like it.
async fn rate_one(
    gateway: &Gateway,
    rng: &mut ChaCha8Rng,
    seed: u64,
    person: &Person,
    token: &str,
    day: Day,
    outcomes: &[Outcome<'_>],
) {
    let done: Vec<&ExerciseFacts> = outcomes
        .iter()
        .filter(|o| o.completed)
        .map(|o| o.exercise)
        .collect();
    if done.is_empty() {
        return;
    }
    let exercise = done[rng.gen_range(0..done.len())];
    let rating = opinion(rng, seed, &person.traits, &exercise.facts());
    let input = json!({
        "idempotencyKey": format!("sim-rate-{}-{}", person.id, day.date),
        "userId": person.id,
        "exerciseId": exercise.id,
        "rating": rating,
    });
    gateway
        .send::<Value>("rateExercise", token, RATE, json!({ "input": input }))
        .await;
}
