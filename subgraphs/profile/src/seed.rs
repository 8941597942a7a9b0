//! Demo users for local development: four people with different goals, levels
//! and equipment, each with daily wearable readings shaped so their recovery
//! differs (GREEN, YELLOW from poor sleep, RED from suppressed HRV, UNKNOWN from
//! too little history). The readings follow fixed arithmetic patterns, so every
//! run produces the same data relative to the current day.

use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use sea_orm::{DatabaseConnection, TransactionTrait};
use subgraph_common::vocab::{Equipment, FitnessLevel, Goal};
use uuid::Uuid;

use crate::error::ProfileError;
use crate::kinds::{ReadingKind, Sex, TimeOfDay};
use crate::model::{NewReading, NewUser};
use crate::store;

/// Day-to-day swings of ln(rMSSD) over a week; they sum to zero, so any 7
/// consecutive days average to the user's level.
const HRV_WEEKLY_SWING_LN: [f64; 7] = [0.12, -0.08, 0.03, -0.13, 0.09, -0.05, 0.02];
const SLEEP_SCORE_SWING: [f64; 5] = [3.0, -4.0, 1.0, 5.0, -5.0];
const DEMO_SOURCE: &str = "demo-watch";

/// How one demo user's readings look.
struct History {
    days: i64,
    hrv_baseline_ms: f64,
    /// Added to ln(rMSSD) on days 1..=7 (negative: suppressed HRV).
    recent_hrv_shift_ln: f64,
    resting_heart_rate: f64,
    sleep_score: f64,
    sleep_minutes: f64,
}

/// A demo user seeded on first start; its id is fixed so that development tokens
/// (`fitgraph token --user ID`) and docs can name it.
#[derive(Debug, Clone, Copy)]
pub struct DemoUser {
    pub id: Uuid,
    pub email: &'static str,
}

pub const DEMO_USERS: [DemoUser; 4] = [
    DemoUser {
        id: Uuid::from_u128(0x0191_e0a0_0000_7000_8000_0000_0000_0a7a),
        email: "ava.demo@fitgraph.example",
    },
    DemoUser {
        id: Uuid::from_u128(0x0191_e0a0_0000_7000_8000_0000_0000_0be7),
        email: "ben.demo@fitgraph.example",
    },
    DemoUser {
        id: Uuid::from_u128(0x0191_e0a0_0000_7000_8000_0000_0000_0c1e),
        email: "cleo.demo@fitgraph.example",
    },
    DemoUser {
        id: Uuid::from_u128(0x0191_e0a0_0000_7000_8000_0000_0000_0de7),
        email: "dev.demo@fitgraph.example",
    },
];

/// Creates the demo users that do not exist yet (matched by email); returns how
/// many it created, so a second run returns 0.
pub async fn seed_demo_users(db: &DatabaseConnection) -> Result<usize, ProfileError> {
    let now = Utc::now().trunc_subsecs(0);
    let mut created = 0;
    for (demo, (user, history)) in DEMO_USERS.iter().zip(demo_users()) {
        if store::find_user_by_email(db, &user.email).await?.is_some() {
            continue;
        }
        match insert_demo_user(db, demo.id, &user, &history, now).await {
            Ok(()) => created += 1,
            // Another seeder got there first (or the demo user changed their email):
            // the user exists, which is the goal.
            Err(ProfileError::DuplicateEmail | ProfileError::ProfileExists) => {}
            Err(err) => return Err(err),
        }
    }
    Ok(created)
}

async fn insert_demo_user(
    db: &DatabaseConnection,
    id: Uuid,
    user: &NewUser,
    history: &History,
    now: DateTime<Utc>,
) -> Result<(), ProfileError> {
    let txn = db.begin().await?;
    let row = store::insert_user(&txn, id, user, now).await?;
    store::replace_equipment(&txn, row.id, &user.equipment).await?;
    store::insert_readings(&txn, row.id, &history.readings(now), now).await?;
    txn.commit().await?;
    Ok(())
}

impl History {
    fn readings(&self, now: DateTime<Utc>) -> Vec<NewReading> {
        (1..=self.days).flat_map(|day| self.day(day, now)).collect()
    }

    /// Day 1 is today; every reading of a day is stamped `day - 1` days before now.
    fn day(&self, day: i64, now: DateTime<Utc>) -> [NewReading; 4] {
        let recorded_at = now - TimeDelta::days(day - 1);
        let cycle = usize::try_from(day).unwrap_or_default();
        let shift = if day <= 7 {
            self.recent_hrv_shift_ln
        } else {
            0.0
        };
        let hrv = (self.hrv_baseline_ms.ln() + HRV_WEEKLY_SWING_LN[cycle % 7] + shift).exp();
        let sleep_swing = SLEEP_SCORE_SWING[cycle % SLEEP_SCORE_SWING.len()];
        let reading = |kind, value: f64| NewReading {
            kind,
            value: (value * 10.0).round() / 10.0,
            recorded_at,
            source: DEMO_SOURCE.to_owned(),
        };
        [
            reading(ReadingKind::HrvRmssd, hrv),
            reading(
                ReadingKind::RestingHeartRate,
                self.resting_heart_rate - shift * 20.0 + sleep_swing / 2.0,
            ),
            reading(ReadingKind::SleepScore, self.sleep_score + sleep_swing),
            reading(
                ReadingKind::SleepMinutes,
                self.sleep_minutes + sleep_swing * 6.0,
            ),
        ]
    }
}

fn demo_users() -> [(NewUser, History); 4] {
    [ava(), ben(), cleo(), dev()]
}

/// Steady HRV and good sleep: GREEN.
fn ava() -> (NewUser, History) {
    let user = NewUser {
        display_name: "Ava Demo".to_owned(),
        email: "ava.demo@fitgraph.example".to_owned(),
        birth_year: 1992,
        sex: Sex::Female,
        height_cm: 168.0,
        weight_kg: 61.5,
        primary_goal: Goal::MuscleGain,
        fitness_level: FitnessLevel::Intermediate,
        days_per_week: 4,
        session_minutes: 60,
        preferred_time_of_day: TimeOfDay::Evening,
        equipment: vec![
            Equipment::Barbell,
            Equipment::Dumbbell,
            Equipment::PullUpBar,
            Equipment::Bench,
        ],
    };
    let history = History {
        days: 60,
        hrv_baseline_ms: 68.0,
        recent_hrv_shift_ln: 0.0,
        resting_heart_rate: 56.0,
        sleep_score: 82.0,
        sleep_minutes: 450.0,
    };
    (user, history)
}

/// HRV is fine but the last nights were poor: YELLOW.
fn ben() -> (NewUser, History) {
    let user = NewUser {
        display_name: "Ben Demo".to_owned(),
        email: "ben.demo@fitgraph.example".to_owned(),
        birth_year: 1985,
        sex: Sex::Male,
        height_cm: 181.0,
        weight_kg: 94.0,
        primary_goal: Goal::WeightLoss,
        fitness_level: FitnessLevel::Beginner,
        days_per_week: 3,
        session_minutes: 30,
        preferred_time_of_day: TimeOfDay::Morning,
        equipment: vec![Equipment::Bodyweight, Equipment::ResistanceBand],
    };
    let history = History {
        days: 60,
        hrv_baseline_ms: 42.0,
        recent_hrv_shift_ln: 0.0,
        resting_heart_rate: 66.0,
        sleep_score: 52.0,
        sleep_minutes: 340.0,
    };
    (user, history)
}

/// A hard training block has pushed HRV well below baseline: RED.
fn cleo() -> (NewUser, History) {
    let user = NewUser {
        display_name: "Cleo Demo".to_owned(),
        email: "cleo.demo@fitgraph.example".to_owned(),
        birth_year: 1998,
        sex: Sex::Other,
        height_cm: 172.0,
        weight_kg: 64.0,
        primary_goal: Goal::Endurance,
        fitness_level: FitnessLevel::Advanced,
        days_per_week: 6,
        session_minutes: 75,
        preferred_time_of_day: TimeOfDay::Morning,
        equipment: vec![
            Equipment::Kettlebell,
            Equipment::CardioMachine,
            Equipment::FoamRoller,
        ],
    };
    let history = History {
        days: 60,
        hrv_baseline_ms: 85.0,
        recent_hrv_shift_ln: -0.22,
        resting_heart_rate: 48.0,
        sleep_score: 71.0,
        sleep_minutes: 420.0,
    };
    (user, history)
}

/// Ten days of history cannot form a baseline yet: UNKNOWN.
fn dev() -> (NewUser, History) {
    let user = NewUser {
        display_name: "Dev Demo".to_owned(),
        email: "dev.demo@fitgraph.example".to_owned(),
        birth_year: 2001,
        sex: Sex::Undisclosed,
        height_cm: 176.0,
        weight_kg: 70.0,
        primary_goal: Goal::Flexibility,
        fitness_level: FitnessLevel::Beginner,
        days_per_week: 2,
        session_minutes: 20,
        preferred_time_of_day: TimeOfDay::Any,
        equipment: vec![Equipment::StabilityBall, Equipment::FoamRoller],
    };
    let history = History {
        days: 10,
        hrv_baseline_ms: 55.0,
        recent_hrv_shift_ln: 0.0,
        resting_heart_rate: 62.0,
        sleep_score: 77.0,
        sleep_minutes: 430.0,
    };
    (user, history)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::kinds::RecoveryBand;
    use crate::recovery::{ReadingSample, assess_recovery};
    use crate::validate;

    fn bands_at(now: DateTime<Utc>) -> Vec<RecoveryBand> {
        demo_users()
            .iter()
            .map(|(_, history)| {
                let samples: Vec<_> = history
                    .readings(now)
                    .iter()
                    .map(|r| ReadingSample {
                        kind: r.kind,
                        value: r.value,
                        recorded_at: r.recorded_at,
                    })
                    .collect();
                assess_recovery(&samples, now).band
            })
            .collect()
    }

    #[test]
    fn demo_users_cover_every_band() {
        let now = Utc::now();
        assert_eq!(
            bands_at(now),
            [
                RecoveryBand::Green,
                RecoveryBand::Yellow,
                RecoveryBand::Red,
                RecoveryBand::Unknown
            ]
        );
    }

    #[test]
    fn demo_users_and_readings_pass_validation() {
        let now = Utc::now();
        for (user, history) in demo_users() {
            let readings = history.readings(now);
            for reading in &readings {
                let (min, max) = reading.kind.valid_range();
                assert!((min..=max).contains(&reading.value), "{reading:?}");
            }
            assert!(
                validate::int_in("daysPerWeek", user.days_per_week, validate::DAYS_PER_WEEK)
                    .is_ok()
            );
            assert!(
                validate::int_in(
                    "sessionMinutes",
                    user.session_minutes,
                    validate::SESSION_MINUTES
                )
                .is_ok()
            );
            assert!(validate::normalize_email(&user.email).is_ok_and(|email| email == user.email));
        }
    }
}
