//! The use cases behind the mutations: validate first, then write, every
//! multi-row write in one transaction so nothing is ever half done.

use chrono::{DateTime, Utc};
use sea_orm::{ActiveValue::Set, DatabaseConnection, IntoActiveModel, TransactionTrait};
use subgraph_common::vocab::Equipment;
use uuid::Uuid;

use crate::error::ProfileError;
use crate::inputs::{GoalsInput, OnboardingInput, WearableReadingInput};
use crate::model::{NewUser, UserProfile};
use crate::{store, validate};

/// What recording a batch of readings did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RecordedReadings {
    pub accepted: usize,
    pub duplicates: usize,
}

/// Creates the profile of user `id` (the caller's token subject).
pub async fn create_user(
    db: &DatabaseConnection,
    id: Uuid,
    input: &OnboardingInput,
) -> Result<UserProfile, ProfileError> {
    let now = subgraph_common::clock::now();
    let user = validate::onboarding(input, now)?;
    insert_user_with_equipment(db, id, &user, now).await
}

/// Stores a validated user and their equipment together.
pub(crate) async fn insert_user_with_equipment(
    db: &DatabaseConnection,
    id: Uuid,
    user: &NewUser,
    now: DateTime<Utc>,
) -> Result<UserProfile, ProfileError> {
    let txn = db.begin().await?;
    // Checked first for a precise error; the primary key still catches a race.
    if store::find_user(&txn, id).await?.is_some() {
        return Err(ProfileError::ProfileExists);
    }
    let row = store::insert_user(&txn, id, user, now).await?;
    store::replace_equipment(&txn, row.id, &user.equipment).await?;
    txn.commit().await?;
    UserProfile::try_from(row)
}

pub async fn update_goals(
    db: &DatabaseConnection,
    user_id: Uuid,
    input: &GoalsInput,
) -> Result<UserProfile, ProfileError> {
    validate::goals(input)?;
    let txn = db.begin().await?;
    let mut row = store::require_user(&txn, user_id)
        .await?
        .into_active_model();
    row.primary_goal = Set(input.primary_goal.as_str().to_owned());
    if let Some(days) = input.days_per_week {
        row.days_per_week = Set(days);
    }
    if let Some(minutes) = input.session_minutes {
        row.session_minutes = Set(minutes);
    }
    if let Some(time) = input.preferred_time_of_day {
        row.preferred_time_of_day = Set(time.as_str().to_owned());
    }
    if let Some(level) = input.fitness_level {
        row.fitness_level = Set(level.as_str().to_owned());
    }
    row.updated_at = Set(subgraph_common::clock::now());
    let updated = store::update_user(&txn, row).await?;
    txn.commit().await?;
    UserProfile::try_from(updated)
}

pub async fn update_body_stats(
    db: &DatabaseConnection,
    user_id: Uuid,
    height_cm: Option<f64>,
    weight_kg: Option<f64>,
) -> Result<UserProfile, ProfileError> {
    validate::body_stats(height_cm, weight_kg)?;
    let txn = db.begin().await?;
    let mut row = store::require_user(&txn, user_id)
        .await?
        .into_active_model();
    if let Some(height) = height_cm {
        row.height_cm = Set(height);
    }
    if let Some(weight) = weight_kg {
        row.weight_kg = Set(weight);
    }
    row.updated_at = Set(subgraph_common::clock::now());
    let updated = store::update_user(&txn, row).await?;
    txn.commit().await?;
    UserProfile::try_from(updated)
}

/// Replaces the user's equipment with `equipment` (repeats ignored).
pub async fn set_equipment(
    db: &DatabaseConnection,
    user_id: Uuid,
    equipment: &[Equipment],
) -> Result<UserProfile, ProfileError> {
    let mut unique = equipment.to_vec();
    unique.sort();
    unique.dedup();
    let txn = db.begin().await?;
    let mut row = store::require_user(&txn, user_id)
        .await?
        .into_active_model();
    store::replace_equipment(&txn, user_id, &unique).await?;
    row.updated_at = Set(subgraph_common::clock::now());
    let updated = store::update_user(&txn, row).await?;
    txn.commit().await?;
    UserProfile::try_from(updated)
}

/// Validates the whole batch, then stores what is new; repeats count as duplicates.
pub async fn record_readings(
    db: &DatabaseConnection,
    user_id: Uuid,
    inputs: &[WearableReadingInput],
) -> Result<RecordedReadings, ProfileError> {
    let now = subgraph_common::clock::now();
    let readings = validate::readings(inputs, now)?;
    let txn = db.begin().await?;
    store::require_user(&txn, user_id).await?;
    let inserted = store::insert_readings(&txn, user_id, &readings, now).await?;
    txn.commit().await?;
    // A row count never exceeds the batch length, itself at most 1,000.
    let accepted = usize::try_from(inserted)
        .unwrap_or(readings.len())
        .min(readings.len());
    Ok(RecordedReadings {
        accepted,
        duplicates: readings.len() - accepted,
    })
}

/// Whether `email` (compared trimmed and case-insensitively) is `profile`'s.
pub fn has_email(profile: &UserProfile, email: &str) -> bool {
    profile.email == email.trim().to_lowercase()
}
