//! The people in the profile database: a user row with the onboarding answers, the
//! equipment they own, and for wearable owners the readings recovery is judged from.

use chrono::{DateTime, NaiveTime, SubsecRound, TimeDelta, Utc};
use fitgraph_entities::profile::{user_equipment, users, wearable_readings};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use sea_orm::{DatabaseConnection, TransactionTrait};
use subgraph_common::{Progress, SubgraphName};

use super::ScaleError;
use super::ids::{self, Kind};
use super::people::{self, Person, Wearable};
use super::write;
use crate::simulate::population::normal;

/// People written per transaction.
const PEOPLE_PER_CHUNK: u32 = 1000;

/// HRV is synced on days 1..=37 (day 1 is today): the 7-day window and a 30-day
/// baseline, as recovery needs them.
const HRV_DAYS: u32 = 37;
/// Chance a day inside the baseline (but not at its ends) has no HRV reading.
const HRV_GAP_CHANCE: f64 = 0.2;
/// Sleep scores are synced for the days recovery looks at.
const SLEEP_DAYS: u32 = 3;

/// What the users phase wrote, and which people's user rows are this run's own.
#[derive(Debug, Default, Clone)]
pub struct Written {
    pub users: u64,
    pub equipment: u64,
    pub readings: u64,
    /// Per index: whether the user row with this person's id exists (written now or
    /// before). Not when the email belongs to someone else.
    pub present: Vec<bool>,
}

/// Writes people `0..count` (what exists is kept) and reports what it wrote.
pub async fn write_people(
    db: &DatabaseConnection,
    seed: u64,
    count: u32,
    now: DateTime<Utc>,
    progress: &dyn Progress,
) -> Result<Written, ScaleError> {
    progress.start("users", u64::from(count));
    let mut written = Written {
        present: Vec::with_capacity(count as usize),
        ..Written::default()
    };
    let mut start = 0;
    while start < count {
        let end = start.saturating_add(PEOPLE_PER_CHUNK).min(count);
        let people: Vec<Person> = (start..end)
            .map(|index| people::draw(seed, index))
            .collect();
        write_chunk(db, seed, &people, now, &mut written).await?;
        progress.advance(u64::from(end - start));
        start = end;
    }
    progress.finish();
    Ok(written)
}

async fn write_chunk(
    db: &DatabaseConnection,
    seed: u64,
    people: &[Person],
    now: DateTime<Utc>,
    written: &mut Written,
) -> Result<(), ScaleError> {
    let place = |table| write::place(SubgraphName::Profile, table);
    let txn = db.begin().await.map_err(place("users").failed())?;
    let rows = people.iter().map(|person| user_row(person, now)).collect();
    written.users += write::insert_new::<users::Entity, _>(&txn, rows, place("users")).await?;
    let ids: Vec<_> = people.iter().map(|person| person.id).collect();
    let present =
        write::existing::<users::Entity, _>(&txn, users::Column::Id, &ids, place("users")).await?;
    let ours: Vec<&Person> = people.iter().filter(|p| present.contains(&p.id)).collect();
    written
        .present
        .extend(people.iter().map(|p| present.contains(&p.id)));
    let equipment = ours
        .iter()
        .flat_map(|person| equipment_rows(person))
        .collect();
    written.equipment +=
        write::insert_new::<user_equipment::Entity, _>(&txn, equipment, place("user_equipment"))
            .await?;
    let readings = ours
        .iter()
        .flat_map(|person| reading_rows(seed, person, now))
        .collect();
    written.readings += write::insert_new::<wearable_readings::Entity, _>(
        &txn,
        readings,
        place("wearable_readings"),
    )
    .await?;
    txn.commit().await.map_err(place("users").failed())
}

fn user_row(person: &Person, now: DateTime<Utc>) -> users::Model {
    let profile = &person.profile;
    let joined = (now - TimeDelta::days(i64::from(person.joined_days_ago))).trunc_subsecs(0);
    users::Model {
        id: person.id,
        display_name: profile.display_name.clone(),
        email: profile.email.clone(),
        birth_year: profile.birth_year,
        sex: profile.sex.to_owned(),
        height_cm: profile.height_cm,
        weight_kg: profile.weight_kg,
        primary_goal: profile.goal.as_str().to_owned(),
        fitness_level: profile.level.as_str().to_owned(),
        days_per_week: i32::from(profile.days_per_week),
        session_minutes: i32::from(profile.session_minutes),
        preferred_time_of_day: profile.preferred_time.as_str().to_owned(),
        created_at: joined,
        updated_at: joined,
    }
}

fn equipment_rows(person: &Person) -> Vec<user_equipment::Model> {
    person
        .profile
        .equipment
        .iter()
        .map(|equipment| user_equipment::Model {
            user_id: person.id,
            equipment: equipment.as_str().to_owned(),
        })
        .collect()
}

/// A wearable owner's HRV over the last `HRV_DAYS` days (some days missing) and sleep
/// over the last `SLEEP_DAYS`; nothing for everyone else.
fn reading_rows(seed: u64, person: &Person, now: DateTime<Utc>) -> Vec<wearable_readings::Model> {
    let Some(wearable) = &person.wearable else {
        return Vec::new();
    };
    let mut rng = ids::stream(seed, Kind::Reading, &[u64::from(person.index)]);
    // Early in the morning (UTC) of `day`, 1 being today: recovery counts readings by
    // their UTC day. Never after now.
    let reading = |kind: &str, kind_number: u64, day: u32, value: f64| {
        let date = now.date_naive() - TimeDelta::days(i64::from(day) - 1);
        let morning = date.and_time(NaiveTime::MIN).and_utc() + TimeDelta::minutes(20);
        let parts = [u64::from(person.index), kind_number, u64::from(day)];
        wearable_readings::Model {
            id: ids::id(seed, Kind::Reading, &parts),
            user_id: person.id,
            kind: kind.to_owned(),
            value: (value * 10.0).round() / 10.0,
            recorded_at: morning.min(now).trunc_subsecs(0),
            source: wearable.source.to_owned(),
            created_at: now.trunc_subsecs(0),
        }
    };
    let mut rows = Vec::new();
    for day in 1..=HRV_DAYS {
        // The baseline needs its first and last day to span 30 days.
        let kept_always = day <= 8 || day == HRV_DAYS;
        let hrv_ln = hrv_ln(&mut rng, wearable, day);
        if kept_always || !rng.gen_bool(HRV_GAP_CHANCE) {
            rows.push(reading("HRV_RMSSD", 1, day, hrv_ln.exp()));
        }
        if day <= SLEEP_DAYS {
            let score = wearable.sleep_score + rng.gen_range(-6.0..6.0);
            rows.push(reading("SLEEP_SCORE", 2, day, score.clamp(0.0, 100.0)));
        }
    }
    rows
}

fn hrv_ln(rng: &mut ChaCha8Rng, wearable: &Wearable, day: u32) -> f64 {
    let shift = if day <= 7 {
        wearable.recent_shift_ln
    } else {
        0.0
    };
    wearable.hrv_baseline_ln + shift + normal(rng, 0.0, wearable.hrv_daily_sd_ln)
}
