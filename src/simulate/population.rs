//! The synthetic people: what they tell the onboarding questionnaire, and the hidden
//! traits that drive what they actually do, which the system never sees.
//!
//! Everything is drawn from the run's seed, so the same seed simulates the same people
//! and (with per-user, per-day streams) the same decisions, whatever order concurrent
//! requests happen to finish in.

use std::collections::HashMap;

use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use serde_json::{Value, json};
use uuid::Uuid;

/// Exercise categories, as the exercises subgraph names them.
pub const CATEGORIES: [&str; 7] = [
    "STRENGTH",
    "STRETCHING",
    "PLYOMETRICS",
    "POWERLIFTING",
    "OLYMPIC_WEIGHTLIFTING",
    "STRONGMAN",
    "CARDIO",
];

/// Every piece of equipment the schema knows, in a fixed order so tastes are drawn
/// the same way every run.
pub const EQUIPMENT: [&str; 18] = [
    "BODYWEIGHT",
    "BARBELL",
    "DUMBBELL",
    "KETTLEBELL",
    "CABLE",
    "MACHINE",
    "SMITH_MACHINE",
    "RESISTANCE_BAND",
    "MEDICINE_BALL",
    "STABILITY_BALL",
    "FOAM_ROLLER",
    "EZ_BAR",
    "TRAP_BAR",
    "PULL_UP_BAR",
    "SUSPENSION_TRAINER",
    "BENCH",
    "CARDIO_MACHINE",
    "OTHER",
];

const GOALS: [&str; 5] = [
    "WEIGHT_LOSS",
    "MUSCLE_GAIN",
    "ENDURANCE",
    "FLEXIBILITY",
    "GENERAL_FITNESS",
];
const LEVELS: [&str; 3] = ["BEGINNER", "INTERMEDIATE", "ADVANCED"];
const TIMES_OF_DAY: [&str; 5] = ["MORNING", "MIDDAY", "AFTERNOON", "EVENING", "ANY"];
pub(crate) const SEXES: [&str; 4] = ["FEMALE", "MALE", "OTHER", "UNDISCLOSED"];
const SESSION_MINUTES: [i32; 3] = [30, 45, 60];
pub(crate) const HOME_GYM: [&str; 4] = ["DUMBBELL", "RESISTANCE_BAND", "PULL_UP_BAR", "BENCH"];
pub(crate) const FULL_GYM: [&str; 8] = [
    "BARBELL",
    "DUMBBELL",
    "CABLE",
    "MACHINE",
    "BENCH",
    "PULL_UP_BAR",
    "KETTLEBELL",
    "CARDIO_MACHINE",
];

/// One synthetic user.
#[derive(Debug, Clone)]
pub struct Person {
    /// 0-based position in the population; names their email and random streams.
    pub index: u32,
    pub id: Uuid,
    /// The onboarding questionnaire's answers, as `OnboardingInput`.
    pub onboarding: Value,
    pub traits: HiddenTraits,
}

/// What drives a person's behaviour and is never told to the system.
#[derive(Debug, Clone)]
pub struct HiddenTraits {
    /// How much they like each exercise category, ~N(0, 1).
    pub category_taste: HashMap<&'static str, f64>,
    /// How much they like each piece of equipment, ~N(0, 0.8).
    pub equipment_taste: HashMap<&'static str, f64>,
    /// General drive to show up and finish, ~N(0.8, 0.5).
    pub motivation: f64,
    /// What they can handle, on the difficulty scale (0 beginner .. 2 advanced).
    pub capacity: f64,
}

impl HiddenTraits {
    pub fn category(&self, category: &str) -> f64 {
        self.category_taste.get(category).copied().unwrap_or(0.0)
    }

    pub fn equipment(&self, equipment: &str) -> f64 {
        self.equipment_taste.get(equipment).copied().unwrap_or(0.0)
    }
}

/// `users` people drawn from `seed`, plus the administrator's id (drawn from the same
/// stream so it is fixed too).
pub fn draw(seed: u64, users: u32) -> (Vec<Person>, Uuid) {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let people = (0..users).map(|index| person(&mut rng, index)).collect();
    let admin = random_uuid(&mut rng);
    (people, admin)
}

fn person(rng: &mut ChaCha8Rng, index: u32) -> Person {
    let id = random_uuid(rng);
    let level = pick_level(rng);
    let onboarding = onboarding(rng, index, level);
    let traits = hidden_traits(rng, level);
    Person {
        index,
        id,
        onboarding,
        traits,
    }
}

/// The tastes, drive and capacity of someone at `level` (an index into `LEVELS`).
pub(crate) fn hidden_traits(rng: &mut ChaCha8Rng, level: usize) -> HiddenTraits {
    HiddenTraits {
        category_taste: CATEGORIES
            .iter()
            .map(|c| (*c, normal(rng, 0.0, 1.0)))
            .collect(),
        equipment_taste: EQUIPMENT
            .iter()
            .map(|e| (*e, normal(rng, 0.0, 0.8)))
            .collect(),
        motivation: normal(rng, 0.8, 0.5),
        capacity: level as f64 + normal(rng, 0.0, 0.5),
    }
}

/// BEGINNER 50%, INTERMEDIATE 35%, ADVANCED 15%, as an index into `LEVELS`.
pub(crate) fn pick_level(rng: &mut ChaCha8Rng) -> usize {
    match rng.gen_range(0.0..1.0) {
        draw if draw < 0.50 => 0,
        draw if draw < 0.85 => 1,
        _ => 2,
    }
}

/// 30% bodyweight only, 30% a home set-up, 40% a full gym.
fn pick_equipment(rng: &mut ChaCha8Rng) -> Vec<&'static str> {
    match rng.gen_range(0.0..1.0) {
        draw if draw < 0.3 => Vec::new(),
        draw if draw < 0.6 => HOME_GYM.to_vec(),
        _ => FULL_GYM.to_vec(),
    }
}

fn onboarding(rng: &mut ChaCha8Rng, index: u32, level: usize) -> Value {
    let sex = *SEXES.choose(rng).expect("the list is not empty");
    let height = normal(rng, 172.0, 9.0).clamp(150.0, 205.0);
    // A body-mass index around 25 keeps weight plausible for the height.
    let bmi = normal(rng, 25.0, 3.5).clamp(18.0, 38.0);
    let weight = bmi * (height / 100.0) * (height / 100.0);
    json!({
        "displayName": format!("Sim User {}", index + 1),
        "email": format!("sim-{}@example.test", index + 1),
        "birthYear": rng.gen_range(1960..=2005),
        "sex": sex,
        "heightCm": (height * 10.0).round() / 10.0,
        "weightKg": (weight * 10.0).round() / 10.0,
        "primaryGoal": *GOALS.choose(rng).expect("the list is not empty"),
        "fitnessLevel": LEVELS[level],
        "daysPerWeek": rng.gen_range(2..=6),
        "sessionMinutes": *SESSION_MINUTES.choose(rng).expect("the list is not empty"),
        "preferredTimeOfDay": *TIMES_OF_DAY.choose(rng).expect("the list is not empty"),
        "equipment": pick_equipment(rng),
    })
}

fn random_uuid(rng: &mut ChaCha8Rng) -> Uuid {
    let mut bytes = [0_u8; 16];
    rng.fill(&mut bytes[..]);
    uuid::Builder::from_random_bytes(bytes).into_uuid()
}

/// A normal draw by the Box–Muller transform.
pub fn normal(rng: &mut ChaCha8Rng, mean: f64, std_dev: f64) -> f64 {
    // 1 - u lies in (0, 1], so the logarithm is finite.
    let u1: f64 = 1.0 - rng.gen_range(0.0..1.0);
    let u2: f64 = rng.gen_range(0.0..1.0);
    let standard = (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos();
    mean + std_dev * standard
}

/// How much everyone likes an exercise, ~N(0, 1), the same for the whole population:
/// the signal that other users' engagement can teach the ranker. Keyed by the
/// exercise's slug, so a fresh library (with new ids) keeps each exercise's appeal.
pub fn appeal(seed: u64, exercise_slug: &str) -> f64 {
    let mut rng = ChaCha8Rng::seed_from_u64(mix(seed, fnv1a(exercise_slug.as_bytes())));
    normal(&mut rng, 0.0, 1.0)
}

/// The random stream of one person on one day, independent of every other.
pub fn daily_rng(seed: u64, person: u32, day: u32) -> ChaCha8Rng {
    let stream = (u64::from(person) << 32) | u64::from(day);
    ChaCha8Rng::seed_from_u64(mix(seed, stream))
}

/// FNV-1a: a stable hash (unlike `DefaultHasher`, which may change between releases).
fn fnv1a(bytes: &[u8]) -> u64 {
    bytes.iter().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(*byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// Combines two words into a well-spread seed (the SplitMix64 finaliser).
pub(crate) fn mix(a: u64, b: u64) -> u64 {
    let mut z = a ^ b.wrapping_mul(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

pub fn sigmoid(x: f64) -> f64 {
    1.0 / (1.0 + (-x).exp())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_same_seed_draws_the_same_people() {
        let (first, admin_first) = draw(11, 5);
        let (second, admin_second) = draw(11, 5);
        assert_eq!(admin_first, admin_second);
        for (a, b) in first.iter().zip(&second) {
            assert_eq!(a.id, b.id);
            assert_eq!(a.onboarding, b.onboarding);
            assert_eq!(a.traits.motivation, b.traits.motivation);
        }
    }

    #[test]
    fn normal_draws_have_the_asked_mean_and_spread() {
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        let draws: Vec<f64> = (0..20_000).map(|_| normal(&mut rng, 2.0, 0.5)).collect();
        let mean = draws.iter().sum::<f64>() / draws.len() as f64;
        let variance = draws.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / draws.len() as f64;
        assert!((mean - 2.0).abs() < 0.02, "mean {mean}");
        assert!(
            (variance.sqrt() - 0.5).abs() < 0.02,
            "spread {}",
            variance.sqrt()
        );
    }

    #[test]
    fn appeal_depends_on_the_exercise_and_the_seed_only() {
        assert_eq!(appeal(3, "a"), appeal(3, "a"));
        assert_ne!(appeal(3, "a"), appeal(3, "b"));
        assert_ne!(appeal(3, "a"), appeal(4, "a"));
    }
}
