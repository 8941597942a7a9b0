//! The stored generated workouts: one per user and day, with what they came from.

use std::collections::HashMap;

use chrono::{Duration, NaiveDate};
use fitgraph_entities::plans::{recommendations, workout_exercises, workouts};
use fitgraph_rules::{PastPrescription, Prescription, RepUnit};
use sea_orm::sea_query::JoinType;
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::error::Result;
use super::experiments::exercises_to_recommendation;
use crate::types::WorkoutStatus;

/// How far back earlier prescriptions inform progression.
const PRESCRIPTION_MEMORY_DAYS: i64 = 60;

/// A workout the recommender built, ready to store.
#[derive(Debug, Clone)]
pub struct Generated {
    pub user_id: Uuid,
    pub day: NaiveDate,
    pub title: String,
    pub kind: String,
    pub reason: String,
    pub experiment_id: Option<String>,
    pub variant: String,
    pub model_version: Option<String>,
    pub inputs_hash: String,
    pub snapshot_json: String,
    pub exercises: Vec<Prescription>,
}

/// The user's stored workout for `day`, with its recommendation row.
pub async fn for_day(
    db: &DatabaseConnection,
    user_id: Uuid,
    day: NaiveDate,
) -> Result<Option<(recommendations::Model, workouts::Model)>> {
    let found = recommendations::Entity::find()
        .filter(recommendations::Column::UserId.eq(user_id))
        .filter(recommendations::Column::Day.eq(day))
        .find_also_related(workouts::Entity)
        .one(db)
        .await?;
    Ok(found.and_then(|(rec, workout)| workout.map(|workout| (rec, workout))))
}

/// Recommendation rows by workout id, for `Workout.reason` and friends.
pub async fn by_workout_ids(
    db: &DatabaseConnection,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, recommendations::Model>> {
    let rows = recommendations::Entity::find()
        .filter(recommendations::Column::WorkoutId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    Ok(rows.into_iter().map(|row| (row.workout_id, row)).collect())
}

/// Stores `generated`, replacing the workout `replacing` (the same user's, same day)
/// in the same transaction, so a reader never sees neither or both.
pub async fn save(
    db: &DatabaseConnection,
    generated: Generated,
    replacing: Option<Uuid>,
) -> Result<workouts::Model> {
    let now = subgraph_common::clock::now();
    let workout = workouts::Model {
        id: Uuid::now_v7(),
        user_id: generated.user_id,
        program_id: None,
        scheduled_date: generated.day,
        title: generated.title.clone(),
        status: WorkoutStatus::Planned.as_str().to_owned(),
        started_at: None,
        completed_at: None,
        created_at: now,
    };
    let txn = db.begin().await?;
    if let Some(old) = replacing {
        // Children first: the embedded database may not cascade.
        recommendations::Entity::delete_by_id(old)
            .exec(&txn)
            .await?;
        workout_exercises::Entity::delete_many()
            .filter(workout_exercises::Column::WorkoutId.eq(old))
            .exec(&txn)
            .await?;
        workouts::Entity::delete_by_id(old).exec(&txn).await?;
    }
    workouts::Entity::insert(workout.clone().into_active_model())
        .exec_without_returning(&txn)
        .await?;
    let rows = exercise_rows(workout.id, &generated.exercises);
    if !rows.is_empty() {
        workout_exercises::Entity::insert_many(rows)
            .exec_without_returning(&txn)
            .await?;
    }
    recommendations::Entity::insert(
        recommendation_row(workout.id, generated, now).into_active_model(),
    )
    .exec_without_returning(&txn)
    .await?;
    txn.commit().await?;
    Ok(workout)
}

fn recommendation_row(
    workout_id: Uuid,
    generated: Generated,
    now: chrono::DateTime<chrono::Utc>,
) -> recommendations::Model {
    recommendations::Model {
        workout_id,
        user_id: generated.user_id,
        day: generated.day,
        kind: generated.kind,
        reason: generated.reason,
        experiment_id: generated.experiment_id,
        variant: generated.variant,
        model_version: generated.model_version,
        inputs_hash: generated.inputs_hash,
        snapshot: generated.snapshot_json,
        created_at: now,
    }
}

pub fn exercise_rows(
    workout_id: Uuid,
    exercises: &[Prescription],
) -> Vec<workout_exercises::ActiveModel> {
    (1..)
        .zip(exercises)
        .map(|(position, p)| exercise_model(workout_id, position, p).into_active_model())
        .collect()
}

/// The stored form of one prescription.
pub fn exercise_model(
    workout_id: Uuid,
    position: i32,
    p: &Prescription,
) -> workout_exercises::Model {
    workout_exercises::Model {
        workout_id,
        position,
        exercise_id: p.exercise_id,
        sets: i32::from(p.sets),
        rep_min: i32::from(p.rep_min),
        rep_max: i32::from(p.rep_max),
        target_load_kg: p.load_kg,
        rest_seconds: i32::from(p.rest_seconds),
        target_reps: Some(i32::from(p.target_reps)),
        rep_unit: Some(unit_text(p.unit).to_owned()),
        reason: Some(p.reason.clone()),
    }
}

pub fn unit_text(unit: RepUnit) -> &'static str {
    match unit {
        RepUnit::Reps => "REPS",
        RepUnit::Seconds => "SECONDS",
    }
}

/// What earlier generated workouts tell the rules: the user's week of training with
/// fitgraph and the latest prescription per exercise.
pub struct History {
    pub week_index: u32,
    pub past_prescriptions: HashMap<Uuid, PastPrescription>,
}

pub async fn history(db: &DatabaseConnection, user_id: Uuid, today: NaiveDate) -> Result<History> {
    let first_day: Option<NaiveDate> = recommendations::Entity::find()
        .select_only()
        .column(recommendations::Column::Day)
        .filter(recommendations::Column::UserId.eq(user_id))
        .order_by_asc(recommendations::Column::Day)
        .into_tuple()
        .one(db)
        .await?;
    let week_index = first_day
        .map(|first| ((today - first).num_days().max(0) / 7) as u32)
        .unwrap_or(0);
    let since = today - Duration::days(PRESCRIPTION_MEMORY_DAYS);
    let rows: Vec<(workout_exercises::Model, NaiveDate)> = workout_exercises::Entity::find()
        .join(JoinType::InnerJoin, exercises_to_recommendation())
        .filter(recommendations::Column::UserId.eq(user_id))
        .filter(recommendations::Column::Day.gte(since))
        .filter(recommendations::Column::Day.lt(today))
        .column_as(recommendations::Column::Day, "day")
        .order_by_asc(recommendations::Column::Day)
        .into_model::<PrescribedOn>()
        .all(db)
        .await?
        .into_iter()
        .map(PrescribedOn::split)
        .collect();
    let mut past_prescriptions = HashMap::new();
    for (row, day) in rows {
        // Ascending days: a later prescription of the same exercise replaces an earlier one.
        past_prescriptions.insert(
            row.exercise_id,
            PastPrescription {
                date: day,
                sets: u8::try_from(row.sets).unwrap_or(u8::MAX),
                rep_min: u16::try_from(row.rep_min).unwrap_or(0),
                rep_max: u16::try_from(row.rep_max).unwrap_or(u16::MAX),
                load_kg: row.target_load_kg,
            },
        );
    }
    Ok(History {
        week_index,
        past_prescriptions,
    })
}

/// A `workout_exercises` row with its recommendation's day.
#[derive(Debug, sea_orm::FromQueryResult)]
struct PrescribedOn {
    workout_id: Uuid,
    position: i32,
    exercise_id: Uuid,
    sets: i32,
    rep_min: i32,
    rep_max: i32,
    target_load_kg: Option<f64>,
    rest_seconds: i32,
    target_reps: Option<i32>,
    rep_unit: Option<String>,
    reason: Option<String>,
    day: NaiveDate,
}

impl PrescribedOn {
    fn split(self) -> (workout_exercises::Model, NaiveDate) {
        let model = workout_exercises::Model {
            workout_id: self.workout_id,
            position: self.position,
            exercise_id: self.exercise_id,
            sets: self.sets,
            rep_min: self.rep_min,
            rep_max: self.rep_max,
            target_load_kg: self.target_load_kg,
            rest_seconds: self.rest_seconds,
            target_reps: self.target_reps,
            rep_unit: self.rep_unit,
            reason: self.reason,
        };
        (model, self.day)
    }
}
