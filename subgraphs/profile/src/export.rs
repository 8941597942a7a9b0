//! The personal data export: everything this subgraph holds about one user, as
//! one JSON document. Stored values are exported as stored, so nothing is lost
//! to a view's formatting.

use fitgraph_entities::profile::{users, wearable_readings};
use sea_orm::{DatabaseConnection, TransactionTrait};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::error::ProfileError;
use crate::store;

/// `{ user, equipment, wearableReadings }`; `user` is null and the lists empty
/// for someone without a profile.
pub async fn profile_document(
    db: &DatabaseConnection,
    user_id: Uuid,
) -> Result<Value, ProfileError> {
    // One transaction, so the three reads see the same moment.
    let txn = db.begin().await?;
    let user = store::find_user(&txn, user_id).await?;
    let mut equipment = store::equipment_by_user_ids(&txn, &[user_id]).await?;
    let readings = store::all_readings(&txn, user_id).await?;
    txn.commit().await?;
    let equipment: Vec<&str> = equipment
        .remove(&user_id)
        .unwrap_or_default()
        .into_iter()
        .map(|item| item.as_str())
        .collect();
    Ok(json!({
        "user": user.map(user_json),
        "equipment": equipment,
        "wearableReadings": readings.into_iter().map(reading_json).collect::<Vec<_>>(),
    }))
}

fn user_json(row: users::Model) -> Value {
    json!({
        "id": row.id,
        "displayName": row.display_name,
        "email": row.email,
        "birthYear": row.birth_year,
        "sex": row.sex,
        "heightCm": row.height_cm,
        "weightKg": row.weight_kg,
        "primaryGoal": row.primary_goal,
        "fitnessLevel": row.fitness_level,
        "daysPerWeek": row.days_per_week,
        "sessionMinutes": row.session_minutes,
        "preferredTimeOfDay": row.preferred_time_of_day,
        "createdAt": row.created_at,
        "updatedAt": row.updated_at,
    })
}

fn reading_json(row: wearable_readings::Model) -> Value {
    json!({
        "id": row.id,
        "kind": row.kind,
        "value": row.value,
        "recordedAt": row.recorded_at,
        "source": row.source,
        "createdAt": row.created_at,
    })
}
