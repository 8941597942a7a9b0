//! A synthetic feedback corpus with a known structure, shared by the integration tests.
//!
//! Whether a user completes an exercise depends on a hidden per-exercise appeal (visible
//! to the ranker only through similar users' completion rates), on the user's affinity for
//! the exercise's category (in the snapshot for most categories), on a per-user
//! propensity (hinted at by the 28-day adherence) and on a base rate.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, OnceLock};

use chrono::{DateTime, Days, NaiveDate, Utc};
use fitgraph_ranker::{Example, TrainConfig, Trained, train};
use fitgraph_rules::{TrainingSignals, UserSnapshot};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use subgraph_common::catalog::ExerciseSummary;
use subgraph_common::vocab::{
    Category, Difficulty, Equipment, FitnessLevel, Goal, MovementPattern, Muscle, RecoveryBand,
    TimeOfDay,
};
use uuid::Uuid;

#[derive(Debug, Clone)]
pub struct Spec {
    pub users: usize,
    pub exercises: usize,
    pub days: u64,
    /// Chance a user has a workout on a given day.
    pub workout_chance: f64,
    pub exercises_per_workout: usize,
    /// Log-odds of completion for an average user and exercise.
    pub base_logit: f64,
    pub seed: u64,
}

impl Default for Spec {
    fn default() -> Self {
        Spec {
            users: 90,
            exercises: 40,
            days: 42,
            workout_chance: 0.4,
            exercises_per_workout: 6,
            base_logit: 0.3,
            seed: 11,
        }
    }
}

pub fn first_day() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 10, 1).expect("a real date")
}

pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_795_000_000, 0).expect("in range")
}

fn sigmoid(logit: f64) -> f64 {
    1.0 / (1.0 + (-logit).exp())
}

/// A plain catalog entry.
pub fn exercise(index: usize, category: Category, difficulty: Difficulty) -> ExerciseSummary {
    ExerciseSummary {
        id: Uuid::from_u128(0xE000 + index as u128),
        name: format!("Exercise {index}"),
        category,
        difficulty,
        equipment: if index.is_multiple_of(3) {
            Equipment::Bodyweight
        } else {
            Equipment::Dumbbell
        },
        movement_pattern: MovementPattern::ALL[index % MovementPattern::ALL.len()],
        primary_muscles: vec![Muscle::ALL[index % Muscle::ALL.len()]],
        secondary_muscles: Vec::new(),
        deprecated: false,
    }
}

/// A snapshot without any history.
pub fn snapshot(goal: Goal, level: FitnessLevel) -> UserSnapshot {
    UserSnapshot {
        goal,
        level,
        days_per_week: 3,
        session_minutes: 45,
        preferred_time: TimeOfDay::Any,
        equipment: BTreeSet::from([Equipment::Dumbbell]),
        recovery: RecoveryBand::Green,
        signals: TrainingSignals::default(),
    }
}

struct User {
    id: Uuid,
    snapshot: Arc<UserSnapshot>,
    /// The true affinities; the snapshot shows most of them.
    affinities: BTreeMap<Category, f64>,
    propensity: f64,
}

fn pick<T: Copy>(rng: &mut ChaCha8Rng, values: &[T]) -> T {
    values[rng.gen_range(0..values.len())]
}

fn make_user(index: usize, base_logit: f64, rng: &mut ChaCha8Rng) -> User {
    let affinities: BTreeMap<Category, f64> = Category::ALL
        .iter()
        .map(|category| (*category, rng.gen_range(-1.0..1.0)))
        .collect();
    let shown = affinities
        .iter()
        .filter(|_| rng.gen_bool(0.8))
        .map(|(category, affinity)| (*category, *affinity))
        .collect();
    let propensity: f64 = rng.gen_range(-0.7..0.7);
    let mut snapshot = snapshot(pick(rng, Goal::ALL), pick(rng, FitnessLevel::ALL));
    snapshot.preferred_time = pick(rng, TimeOfDay::ALL);
    snapshot.recovery = pick(rng, RecoveryBand::ALL);
    snapshot.signals = TrainingSignals {
        category_affinities: shown,
        adherence_28_days: rng.gen_bool(0.7).then(|| sigmoid(base_logit + propensity)),
        recent_difficulty: rng.gen_bool(0.6).then(|| rng.gen_range(1.5..4.5)),
        ..TrainingSignals::default()
    };
    User {
        id: Uuid::from_u128(0xA000 + index as u128),
        snapshot: Arc::new(snapshot),
        affinities,
        propensity,
    }
}

fn make_catalog(count: usize, rng: &mut ChaCha8Rng) -> Vec<(Arc<ExerciseSummary>, f64)> {
    (0..count)
        .map(|index| {
            let category = Category::ALL[index % Category::ALL.len()];
            let exercise = exercise(index, category, pick(rng, Difficulty::ALL));
            (Arc::new(exercise), rng.gen_range(-1.5..1.5))
        })
        .collect()
}

/// The examples of `spec`, day by day.
pub fn corpus(spec: &Spec) -> Vec<Example> {
    let mut rng = ChaCha8Rng::seed_from_u64(spec.seed);
    let catalog = make_catalog(spec.exercises, &mut rng);
    let users: Vec<User> = (0..spec.users)
        .map(|index| make_user(index, spec.base_logit, &mut rng))
        .collect();
    let mut examples = Vec::new();
    for offset in 0..spec.days {
        let day = first_day() + Days::new(offset);
        for user in &users {
            if !rng.gen_bool(spec.workout_chance) {
                continue;
            }
            let workout_id = Uuid::from_u128(rng.r#gen());
            for _ in 0..spec.exercises_per_workout {
                let (exercise, appeal) = &catalog[rng.gen_range(0..catalog.len())];
                let affinity = user
                    .affinities
                    .get(&exercise.category)
                    .copied()
                    .unwrap_or(0.0);
                let logit = spec.base_logit + 1.5 * appeal + 1.5 * affinity + user.propensity;
                let completed = rng.gen_bool(sigmoid(logit));
                let effective = completed && rng.gen_bool(sigmoid(0.2 + appeal));
                examples.push(Example {
                    workout_id,
                    user_id: user.id,
                    day,
                    snapshot: user.snapshot.clone(),
                    exercise: exercise.clone(),
                    completed,
                    effective,
                });
            }
        }
    }
    examples
}

/// The default corpus and the ranker trained on it with the default configuration,
/// computed once per test binary.
pub fn standard() -> &'static (Vec<Example>, Trained) {
    static STANDARD: OnceLock<(Vec<Example>, Trained)> = OnceLock::new();
    STANDARD.get_or_init(|| {
        let examples = corpus(&Spec::default());
        let trained = train(&examples, &TrainConfig::default(), now(), &mut |_| {})
            .expect("the default corpus is large enough to train on");
        (examples, trained)
    })
}

pub fn completion_rate(examples: &[Example]) -> f64 {
    let completed = examples.iter().filter(|example| example.completed).count();
    completed as f64 / examples.len().max(1) as f64
}
