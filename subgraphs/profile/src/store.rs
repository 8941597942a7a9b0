//! Reads and writes of the profile tables. Functions take any connection so the
//! service can run several of them in one transaction.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use fitgraph_entities::profile::{user_equipment, users, wearable_readings};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveValue::Set, ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder,
    QuerySelect, SqlErr,
};
use subgraph_common::vocab::Equipment;
use uuid::Uuid;

use crate::error::ProfileError;
use crate::model::{NewReading, NewUser, Reading, ReadingFilter};
use crate::recovery::{RECOVERY_KINDS, ReadingSample};

/// Rows per INSERT: far below SQLite's and PostgreSQL's bound-parameter limits.
const INSERT_CHUNK_ROWS: usize = 250;

pub async fn insert_user(
    db: &impl ConnectionTrait,
    id: Uuid,
    user: &NewUser,
    now: DateTime<Utc>,
) -> Result<users::Model, ProfileError> {
    let row = users::ActiveModel {
        id: Set(id),
        display_name: Set(user.display_name.clone()),
        email: Set(user.email.clone()),
        birth_year: Set(user.birth_year),
        sex: Set(user.sex.as_str().to_owned()),
        height_cm: Set(user.height_cm),
        weight_kg: Set(user.weight_kg),
        primary_goal: Set(user.primary_goal.as_str().to_owned()),
        fitness_level: Set(user.fitness_level.as_str().to_owned()),
        days_per_week: Set(user.days_per_week),
        session_minutes: Set(user.session_minutes),
        preferred_time_of_day: Set(user.preferred_time_of_day.as_str().to_owned()),
        created_at: Set(now),
        updated_at: Set(now),
    };
    users::Entity::insert(row)
        .exec_with_returning(db)
        .await
        .map_err(insert_conflict)
}

/// A unique violation on insert is the email's index or the id (the caller's
/// profile was created concurrently). Both backends name the violated column or
/// index in the message, and only the email's mentions "email".
fn insert_conflict(err: DbErr) -> ProfileError {
    match err.sql_err() {
        Some(SqlErr::UniqueConstraintViolation(detail)) if detail.contains("email") => {
            ProfileError::DuplicateEmail
        }
        Some(SqlErr::UniqueConstraintViolation(_)) => ProfileError::ProfileExists,
        _ => ProfileError::Database(err),
    }
}

pub async fn find_user(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<Option<users::Model>, ProfileError> {
    Ok(users::Entity::find_by_id(id).one(db).await?)
}

/// The user, or NOT_FOUND.
pub async fn require_user(
    db: &impl ConnectionTrait,
    id: Uuid,
) -> Result<users::Model, ProfileError> {
    find_user(db, id)
        .await?
        .ok_or(ProfileError::UserNotFound(id))
}

pub async fn find_user_by_email(
    db: &impl ConnectionTrait,
    email: &str,
) -> Result<Option<users::Model>, ProfileError> {
    Ok(users::Entity::find()
        .filter(users::Column::Email.eq(email))
        .one(db)
        .await?)
}

pub async fn users_by_ids(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<Vec<users::Model>, ProfileError> {
    Ok(users::Entity::find()
        .filter(users::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?)
}

pub async fn update_user(
    db: &impl ConnectionTrait,
    row: users::ActiveModel,
) -> Result<users::Model, ProfileError> {
    Ok(users::Entity::update(row).exec(db).await?)
}

/// Equipment per user, sorted; users without any get an empty list.
pub async fn equipment_by_user_ids(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Equipment>>, ProfileError> {
    let rows = user_equipment::Entity::find()
        .filter(user_equipment::Column::UserId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    let mut by_user: HashMap<Uuid, Vec<Equipment>> =
        ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in rows {
        by_user
            .entry(row.user_id)
            .or_default()
            .push(row.equipment.parse()?);
    }
    by_user.values_mut().for_each(|equipment| equipment.sort());
    Ok(by_user)
}

/// Makes `equipment` the user's whole set.
pub async fn replace_equipment(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    equipment: &[Equipment],
) -> Result<(), ProfileError> {
    user_equipment::Entity::delete_many()
        .filter(user_equipment::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    let rows = equipment.iter().map(|item| user_equipment::ActiveModel {
        user_id: Set(user_id),
        equipment: Set(item.as_str().to_owned()),
    });
    user_equipment::Entity::insert_many(rows)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// Inserts readings, skipping those whose (user, kind, recordedAt, source) is
/// already stored (or repeated in the batch); returns how many were new.
pub async fn insert_readings(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    readings: &[NewReading],
    now: DateTime<Utc>,
) -> Result<u64, ProfileError> {
    let identity = OnConflict::columns([
        wearable_readings::Column::UserId,
        wearable_readings::Column::Kind,
        wearable_readings::Column::RecordedAt,
        wearable_readings::Column::Source,
    ])
    .do_nothing()
    .to_owned();
    let mut inserted = 0;
    for chunk in readings.chunks(INSERT_CHUNK_ROWS) {
        let rows = chunk
            .iter()
            .map(|reading| reading_row(user_id, reading, now));
        inserted += wearable_readings::Entity::insert_many(rows)
            .on_conflict(identity.clone())
            .exec_without_returning(db)
            .await?;
    }
    Ok(inserted)
}

fn reading_row(
    user_id: Uuid,
    reading: &NewReading,
    now: DateTime<Utc>,
) -> wearable_readings::ActiveModel {
    wearable_readings::ActiveModel {
        id: Set(Uuid::now_v7()),
        user_id: Set(user_id),
        kind: Set(reading.kind.as_str().to_owned()),
        value: Set(reading.value),
        recorded_at: Set(reading.recorded_at),
        source: Set(reading.source.clone()),
        created_at: Set(now),
    }
}

/// One user's readings, newest first.
pub async fn list_readings(
    db: &impl ConnectionTrait,
    user_id: Uuid,
    filter: &ReadingFilter,
) -> Result<Vec<Reading>, ProfileError> {
    let mut query =
        wearable_readings::Entity::find().filter(wearable_readings::Column::UserId.eq(user_id));
    if let Some(kind) = filter.kind {
        query = query.filter(wearable_readings::Column::Kind.eq(kind.as_str()));
    }
    if let Some(from) = filter.from {
        query = query.filter(wearable_readings::Column::RecordedAt.gte(from));
    }
    if let Some(to) = filter.to {
        query = query.filter(wearable_readings::Column::RecordedAt.lte(to));
    }
    let rows = query
        .order_by_desc(wearable_readings::Column::RecordedAt)
        .order_by_asc(wearable_readings::Column::Kind)
        .order_by_asc(wearable_readings::Column::Source)
        .limit(filter.limit)
        .all(db)
        .await?;
    rows.into_iter().map(Reading::try_from).collect()
}

/// The readings recovery looks at, since `since`, for several users in one SELECT.
pub async fn recovery_samples_by_user_ids(
    db: &impl ConnectionTrait,
    ids: &[Uuid],
    since: DateTime<Utc>,
) -> Result<HashMap<Uuid, Vec<ReadingSample>>, ProfileError> {
    let rows = wearable_readings::Entity::find()
        .filter(wearable_readings::Column::UserId.is_in(ids.iter().copied()))
        .filter(wearable_readings::Column::RecordedAt.gte(since))
        .filter(wearable_readings::Column::Kind.is_in(RECOVERY_KINDS.map(|kind| kind.as_str())))
        .all(db)
        .await?;
    let mut by_user: HashMap<Uuid, Vec<ReadingSample>> =
        ids.iter().map(|id| (*id, Vec::new())).collect();
    for row in rows {
        let sample = ReadingSample {
            kind: row.kind.parse()?,
            value: row.value,
            recorded_at: row.recorded_at,
        };
        by_user.entry(row.user_id).or_default().push(sample);
    }
    Ok(by_user)
}

/// Every reading of one user, oldest first (for the personal data export).
pub async fn all_readings(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<Vec<wearable_readings::Model>, ProfileError> {
    Ok(wearable_readings::Entity::find()
        .filter(wearable_readings::Column::UserId.eq(user_id))
        .order_by_asc(wearable_readings::Column::RecordedAt)
        .order_by_asc(wearable_readings::Column::Kind)
        .order_by_asc(wearable_readings::Column::Source)
        .all(db)
        .await?)
}

/// Removes every row this subgraph holds about a user; returns how many.
/// Children go first, so nothing depends on the foreign keys cascading.
pub async fn delete_user_rows(
    db: &impl ConnectionTrait,
    user_id: Uuid,
) -> Result<u64, ProfileError> {
    let readings = wearable_readings::Entity::delete_many()
        .filter(wearable_readings::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    let equipment = user_equipment::Entity::delete_many()
        .filter(user_equipment::Column::UserId.eq(user_id))
        .exec(db)
        .await?;
    let user = users::Entity::delete_by_id(user_id).exec(db).await?;
    Ok(readings.rows_affected + equipment.rows_affected + user.rows_affected)
}

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use subgraph_common::testing::{Backend, TestDatabase};
    use subgraph_common::vocab::{FitnessLevel, Goal};

    use super::*;
    use crate::kinds::{Sex, TimeOfDay};

    fn new_user(email: &str) -> NewUser {
        NewUser {
            display_name: "Ada".to_owned(),
            email: email.to_owned(),
            birth_year: 1990,
            sex: Sex::Female,
            height_cm: 170.0,
            weight_kg: 60.0,
            primary_goal: Goal::Endurance,
            fitness_level: FitnessLevel::Beginner,
            days_per_week: 3,
            session_minutes: 30,
            preferred_time_of_day: TimeOfDay::Any,
            equipment: Vec::new(),
        }
    }

    /// The service checks for an existing profile first; these are the races
    /// that check cannot see, told apart by the violated constraint.
    async fn unique_violations_name_their_cause(backend: Backend) {
        let db = TestDatabase::create(backend).await;
        let conn = db.migrated::<crate::Migrator>().await;
        let (id, now) = (Uuid::now_v7(), Utc::now());
        insert_user(&conn, id, &new_user("ada@example.com"), now)
            .await
            .expect("the first insert succeeds");
        let same_id = insert_user(&conn, id, &new_user("other@example.com"), now).await;
        assert!(
            matches!(same_id, Err(ProfileError::ProfileExists)),
            "{same_id:?}"
        );
        let same_email =
            insert_user(&conn, Uuid::now_v7(), &new_user("ada@example.com"), now).await;
        assert!(
            matches!(same_email, Err(ProfileError::DuplicateEmail)),
            "{same_email:?}"
        );
    }

    subgraph_common::db_tests!(unique_violations_name_their_cause);
}
