//! Everything plans holds about one user, exported as one JSON document (the
//! profile subgraph's data export) or deleted at once (account deletion).

use fitgraph_entities::plans::{
    programs, recommendations, workout_exercises, workout_outcomes, workouts,
};
use sea_orm::sea_query::{Query, SelectStatement};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder,
    TransactionTrait,
};
use serde_json::{Value, json};
use uuid::Uuid;

use crate::error::Result;
use crate::store::group_by;

/// The user's programs and workouts, each workout with its exercises.
pub async fn export(db: &DatabaseConnection, user_id: Uuid) -> Result<Value> {
    let programs = programs::Entity::find()
        .filter(programs::Column::UserId.eq(user_id))
        .order_by_asc(programs::Column::StartDate)
        .order_by_asc(programs::Column::Id)
        .all(db)
        .await?;
    let workouts = workouts::Entity::find()
        .filter(workouts::Column::UserId.eq(user_id))
        .order_by_asc(workouts::Column::ScheduledDate)
        .order_by_asc(workouts::Column::Id)
        .all(db)
        .await?;
    let exercises = workout_exercises::Entity::find()
        .filter(workout_exercises::Column::WorkoutId.in_subquery(workout_ids_of(user_id)))
        .order_by_asc(workout_exercises::Column::WorkoutId)
        .order_by_asc(workout_exercises::Column::Position)
        .all(db)
        .await?;
    let mut exercises = group_by(exercises, |row| row.workout_id);
    let workouts: Vec<Value> = workouts
        .iter()
        .map(|workout| workout_json(workout, &exercises.remove(&workout.id).unwrap_or_default()))
        .collect();
    Ok(json!({
        "userId": user_id,
        "programs": programs.iter().map(program_json).collect::<Vec<_>>(),
        "workouts": workouts,
    }))
}

/// Deletes every row of the user, children first, all or nothing; returns how many
/// rows went. A second call finds nothing and returns 0.
pub async fn purge(db: &DatabaseConnection, user_id: Uuid) -> Result<u64> {
    let txn = db.begin().await?;
    let removed = delete_all_of(&txn, user_id).await?;
    txn.commit().await?;
    Ok(removed)
}

async fn delete_all_of(db: &impl ConnectionTrait, user_id: Uuid) -> Result<u64> {
    // What the recommender keeps about the user goes too: the snapshots its workouts
    // were generated from and the outcomes copied from feedback.
    let recommendations = recommendations::Entity::delete_many()
        .filter(recommendations::Column::UserId.eq(user_id))
        .exec(db)
        .await?
        .rows_affected;
    let outcomes = workout_outcomes::Entity::delete_many()
        .filter(workout_outcomes::Column::UserId.eq(user_id))
        .exec(db)
        .await?
        .rows_affected;
    let exercises = workout_exercises::Entity::delete_many()
        .filter(workout_exercises::Column::WorkoutId.in_subquery(workout_ids_of(user_id)))
        .exec(db)
        .await?
        .rows_affected;
    let workouts = workouts::Entity::delete_many()
        .filter(workouts::Column::UserId.eq(user_id))
        .exec(db)
        .await?
        .rows_affected;
    let programs = programs::Entity::delete_many()
        .filter(programs::Column::UserId.eq(user_id))
        .exec(db)
        .await?
        .rows_affected;
    Ok(recommendations + outcomes + exercises + workouts + programs)
}

/// `SELECT id FROM workouts WHERE user_id = ?`, to reach the user's workout exercises.
fn workout_ids_of(user_id: Uuid) -> SelectStatement {
    Query::select()
        .column(workouts::Column::Id)
        .from(workouts::Entity)
        .and_where(workouts::Column::UserId.eq(user_id))
        .to_owned()
}

fn program_json(program: &programs::Model) -> Value {
    json!({
        "id": program.id,
        "goal": program.goal,
        "startDate": program.start_date,
        "currentWeek": program.current_week,
        "deloadEveryWeeks": program.deload_every_weeks,
        "createdAt": program.created_at,
    })
}

fn workout_json(workout: &workouts::Model, exercises: &[workout_exercises::Model]) -> Value {
    json!({
        "id": workout.id,
        "programId": workout.program_id,
        "date": workout.scheduled_date,
        "title": workout.title,
        "status": workout.status,
        "startedAt": workout.started_at,
        "completedAt": workout.completed_at,
        "createdAt": workout.created_at,
        "exercises": exercises.iter().map(workout_exercise_json).collect::<Vec<_>>(),
    })
}

fn workout_exercise_json(exercise: &workout_exercises::Model) -> Value {
    json!({
        "position": exercise.position,
        "exerciseId": exercise.exercise_id,
        "sets": exercise.sets,
        "repMin": exercise.rep_min,
        "repMax": exercise.rep_max,
        "targetLoadKg": exercise.target_load_kg,
        "restSeconds": exercise.rest_seconds,
    })
}
