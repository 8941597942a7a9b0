//! The generated people: what they told onboarding, what their wearable says, and the
//! hidden traits (the simulator's) that decide what they do with their workouts.
//!
//! Person `index` is drawn from a stream of its own, so any person can be drawn again
//! alone, in any order, and comes out the same.

use std::collections::BTreeSet;

use rand::Rng;
use rand::seq::SliceRandom;
use rand::seq::index::sample;
use rand_chacha::ChaCha8Rng;
use subgraph_common::vocab::{Equipment, FitnessLevel, Goal, TimeOfDay};
use uuid::Uuid;

use super::ids::{self, Kind};
use crate::simulate::population::{
    FULL_GYM, HOME_GYM, HiddenTraits, SEXES, hidden_traits, normal, pick_level, sigmoid,
};

/// Session lengths people pick; templates exist for 30 and 60 minutes, and the rules
/// fit the others into their time budget.
const SESSION_MINUTES: [u16; 5] = [20, 30, 45, 60, 90];

/// Share of people who sync a wearable.
const WEARABLE_SHARE: f64 = 0.25;

/// Where synced readings come from (stored lowercased, as profile normalises them).
const SOURCES: [&str; 4] = ["garmin", "oura", "whoop", "apple-watch"];

/// Sign-ups are spread over this many days before today.
const SIGN_UP_SPREAD_DAYS: u32 = 120;

/// One generated person.
#[derive(Debug, Clone)]
pub struct Person {
    pub index: u32,
    pub id: Uuid,
    pub profile: Profile,
    pub traits: HiddenTraits,
    pub wearable: Option<Wearable>,
    /// Days before today they signed up; their history cannot start earlier.
    pub joined_days_ago: u32,
    /// Chance they open the app on a day they mean to train.
    pub diligence: f64,
    /// The weekdays (0 = Monday) they mean to train on, `days_per_week` of them.
    pub training_weekdays: Vec<u32>,
}

/// The onboarding answers.
#[derive(Debug, Clone)]
pub struct Profile {
    pub display_name: String,
    pub email: String,
    pub birth_year: i32,
    pub sex: &'static str,
    pub height_cm: f64,
    pub weight_kg: f64,
    pub goal: Goal,
    pub level: FitnessLevel,
    pub days_per_week: u8,
    pub session_minutes: u16,
    pub preferred_time: TimeOfDay,
    pub equipment: BTreeSet<Equipment>,
}

/// How someone's wearable readings look.
#[derive(Debug, Clone)]
pub struct Wearable {
    pub source: &'static str,
    /// Their usual ln(rMSSD).
    pub hrv_baseline_ln: f64,
    /// Day-to-day spread of ln(rMSSD).
    pub hrv_daily_sd_ln: f64,
    /// Added to ln(rMSSD) over the last week: zero, or a dip that turns recovery
    /// YELLOW or RED.
    pub recent_shift_ln: f64,
    pub sleep_score: f64,
}

/// The email of person `index`, by which generated people can be found.
pub fn email(index: u32) -> String {
    format!("scale-{index}@fitgraph.test")
}

/// Person `index` of the population drawn from `seed`.
pub fn draw(seed: u64, index: u32) -> Person {
    let mut rng = ids::stream(seed, Kind::Person, &[u64::from(index)]);
    let level = pick_level(&mut rng);
    let profile = profile(&mut rng, index, level);
    let traits = hidden_traits(&mut rng, level);
    let wearable = rng.gen_bool(WEARABLE_SHARE).then(|| wearable(&mut rng));
    let joined_days_ago = rng.gen_range(1..=SIGN_UP_SPREAD_DAYS);
    let diligence = sigmoid(traits.motivation + normal(&mut rng, 0.6, 0.6));
    let days = usize::from(profile.days_per_week);
    let mut training_weekdays: Vec<u32> = sample(&mut rng, 7, days)
        .into_iter()
        .map(|day| u32::try_from(day).expect("a weekday is below 7"))
        .collect();
    training_weekdays.sort_unstable();
    Person {
        index,
        id: ids::id(seed, Kind::User, &[u64::from(index)]),
        profile,
        traits,
        wearable,
        joined_days_ago,
        diligence,
        training_weekdays,
    }
}

fn profile(rng: &mut ChaCha8Rng, index: u32, level: usize) -> Profile {
    let height = normal(rng, 172.0, 9.0).clamp(150.0, 205.0);
    // A body-mass index around 25 keeps weight plausible for the height.
    let bmi = normal(rng, 25.0, 3.5).clamp(18.0, 38.0);
    let weight = bmi * (height / 100.0) * (height / 100.0);
    Profile {
        display_name: format!("Scale User {index}"),
        email: email(index),
        birth_year: rng.gen_range(1960..=2005),
        sex: SEXES.choose(rng).expect("the list is not empty"),
        height_cm: (height * 10.0).round() / 10.0,
        weight_kg: (weight * 10.0).round() / 10.0,
        goal: *Goal::ALL.choose(rng).expect("the list is not empty"),
        level: FitnessLevel::ALL[level],
        days_per_week: rng.gen_range(2..=6),
        session_minutes: *SESSION_MINUTES.choose(rng).expect("the list is not empty"),
        preferred_time: *TimeOfDay::ALL.choose(rng).expect("the list is not empty"),
        equipment: equipment(rng),
    }
}

/// 30% bodyweight only, 30% part of a home set-up, 40% a gym missing up to two things.
fn equipment(rng: &mut ChaCha8Rng) -> BTreeSet<Equipment> {
    let (set, keep): (&[&str], usize) = match rng.gen_range(0.0..1.0) {
        draw if draw < 0.3 => (&[], 0),
        draw if draw < 0.6 => (&HOME_GYM, rng.gen_range(1..=HOME_GYM.len())),
        _ => (&FULL_GYM, FULL_GYM.len() - rng.gen_range(0..=2)),
    };
    sample(rng, set.len(), keep)
        .into_iter()
        .map(|position| {
            set[position]
                .parse()
                .expect("the simulator's set-ups name vocabulary equipment")
        })
        .collect()
}

/// GREEN for most, a YELLOW dip for some and a RED one for a few.
fn wearable(rng: &mut ChaCha8Rng) -> Wearable {
    let hrv_daily_sd_ln = rng.gen_range(0.06..0.14);
    let dip = match rng.gen_range(0.0..1.0) {
        draw if draw < 0.7 => 0.0,
        draw if draw < 0.9 => 1.0,
        _ => 2.3,
    };
    Wearable {
        source: SOURCES.choose(rng).expect("the list is not empty"),
        hrv_baseline_ln: normal(rng, 55.0_f64.ln(), 0.3),
        hrv_daily_sd_ln,
        recent_shift_ln: -dip * hrv_daily_sd_ln,
        sleep_score: normal(rng, 76.0, 8.0).clamp(35.0, 98.0),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::HashSet;

    use super::*;

    #[test]
    fn a_person_depends_on_the_seed_and_index_only() {
        let again = draw(7, 12);
        let person = draw(7, 12);
        assert_eq!(person.id, again.id);
        assert_eq!(person.profile.email, "scale-12@fitgraph.test");
        assert_eq!(person.profile.equipment, again.profile.equipment);
        assert_eq!(person.traits.motivation, again.traits.motivation);
        assert_ne!(person.id, draw(8, 12).id);
        assert_ne!(person.id, draw(7, 13).id);
    }

    #[test]
    fn the_population_is_varied() {
        let people: Vec<Person> = (0..400).map(|index| draw(7, index)).collect();
        let goals: HashSet<Goal> = people.iter().map(|p| p.profile.goal).collect();
        let levels: HashSet<FitnessLevel> = people.iter().map(|p| p.profile.level).collect();
        let setups: HashSet<&BTreeSet<Equipment>> =
            people.iter().map(|p| &p.profile.equipment).collect();
        assert_eq!(goals.len(), Goal::ALL.len());
        assert_eq!(levels.len(), FitnessLevel::ALL.len());
        assert!(setups.len() > 20, "{} equipment set-ups", setups.len());
        let wearing = people.iter().filter(|p| p.wearable.is_some()).count();
        assert!(
            (60..140).contains(&wearing),
            "{wearing} of 400 wear a device"
        );
        for person in &people {
            let days = person.training_weekdays.len();
            assert_eq!(days, usize::from(person.profile.days_per_week));
            assert!(person.training_weekdays.iter().all(|day| *day < 7));
        }
    }
}
