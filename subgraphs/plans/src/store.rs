//! Reads and writes of the plans tables. Validation happened before; what is left
//! here are the checks only the database can answer (existence, current status).

use std::collections::{BTreeSet, HashMap};
use std::hash::Hash;

use chrono::NaiveDate;
use fitgraph_entities::plans::{programs, workout_exercises, workouts};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, TransactionTrait,
};
use uuid::Uuid;

use crate::error::{PlansError, Result};
use crate::types::WorkoutStatus;
use crate::validate::{NewProgram, NewWorkout, NewWorkoutExercise};

/// Programs start in their first week.
const FIRST_WEEK: i32 = 1;

pub async fn create_program(db: &DatabaseConnection, new: NewProgram) -> Result<programs::Model> {
    let program = programs::Model {
        id: Uuid::now_v7(),
        user_id: new.user_id,
        goal: new.goal.as_str().to_owned(),
        start_date: new.start_date,
        current_week: FIRST_WEEK,
        deload_every_weeks: new.deload_every_weeks,
        created_at: subgraph_common::clock::now(),
    };
    programs::Entity::insert(program.clone().into_active_model())
        .exec_without_returning(db)
        .await?;
    Ok(program)
}

/// Writes the workout and its exercises together, or nothing.
pub async fn schedule_workout(db: &DatabaseConnection, new: NewWorkout) -> Result<workouts::Model> {
    let workout = workouts::Model {
        id: Uuid::now_v7(),
        user_id: new.user_id,
        program_id: new.program_id,
        scheduled_date: new.date,
        title: new.title,
        status: WorkoutStatus::Planned.as_str().to_owned(),
        started_at: None,
        completed_at: None,
        created_at: subgraph_common::clock::now(),
    };
    let rows = exercise_rows(workout.id, new.exercises);
    let txn = db.begin().await?;
    if let Some(program_id) = workout.program_id {
        ensure_program_of_user(&txn, program_id, workout.user_id).await?;
    }
    workouts::Entity::insert(workout.clone().into_active_model())
        .exec_without_returning(&txn)
        .await?;
    workout_exercises::Entity::insert_many(rows)
        .exec_without_returning(&txn)
        .await?;
    txn.commit().await?;
    Ok(workout)
}

fn exercise_rows(
    workout_id: Uuid,
    exercises: Vec<NewWorkoutExercise>,
) -> Vec<workout_exercises::ActiveModel> {
    (1..)
        .zip(exercises)
        .map(|(position, exercise)| {
            workout_exercises::Model {
                workout_id,
                position,
                exercise_id: exercise.exercise_id,
                sets: exercise.sets,
                rep_min: exercise.rep_min,
                rep_max: exercise.rep_max,
                target_load_kg: exercise.target_load_kg,
                rest_seconds: exercise.rest_seconds,
                target_reps: None,
                rep_unit: None,
                reason: None,
            }
            .into_active_model()
        })
        .collect()
}

async fn ensure_program_of_user(
    db: &impl ConnectionTrait,
    program_id: Uuid,
    user_id: Uuid,
) -> Result<()> {
    let program = programs::Entity::find_by_id(program_id).one(db).await?;
    match program {
        Some(program) if program.user_id == user_id => Ok(()),
        _ => Err(PlansError::ProgramNotFoundForUser {
            program_id,
            user_id,
        }),
    }
}

/// A status change allowed only from PLANNED.
#[derive(Debug, Clone, Copy)]
pub enum Transition {
    Start,
    Skip,
}

impl Transition {
    fn target(self) -> WorkoutStatus {
        match self {
            Transition::Start => WorkoutStatus::InProgress,
            Transition::Skip => WorkoutStatus::Skipped,
        }
    }

    fn verb(self) -> &'static str {
        match self {
            Transition::Start => "started",
            Transition::Skip => "skipped",
        }
    }
}

/// Applies `transition` to `workout`, which must be PLANNED. The status and owner
/// checks are part of the UPDATE, so two concurrent starts cannot both succeed, and
/// another user's workout is "not found" exactly like a missing one.
pub async fn transition_workout(
    db: &DatabaseConnection,
    workout: Owned,
    transition: Transition,
) -> Result<workouts::Model> {
    let Owned { user_id, id } = workout;
    let mut update = workouts::Entity::update_many()
        .col_expr(
            workouts::Column::Status,
            Expr::value(transition.target().as_str()),
        )
        .filter(workouts::Column::Id.eq(id))
        .filter(workouts::Column::UserId.eq(user_id))
        .filter(workouts::Column::Status.eq(WorkoutStatus::Planned.as_str()));
    if let Transition::Start = transition {
        update = update.col_expr(
            workouts::Column::StartedAt,
            Expr::value(subgraph_common::clock::now()),
        );
    }
    let changed = update.exec(db).await?.rows_affected;
    let workout = workouts::Entity::find_by_id(id)
        .filter(workouts::Column::UserId.eq(user_id))
        .one(db)
        .await?
        .ok_or(PlansError::WorkoutNotFound(id))?;
    if changed == 0 {
        let status = parse_status(&workout.status)?;
        return Err(PlansError::NotPlanned {
            status,
            action: transition.verb(),
        });
    }
    Ok(workout)
}

pub fn parse_status(stored: &str) -> Result<WorkoutStatus> {
    stored
        .parse()
        .map_err(|err: subgraph_common::vocab::UnknownValue| {
            PlansError::CorruptRow(err.to_string())
        })
}

/// An object id as one user asks for it. The owner is part of every lookup, so
/// another user's object loads exactly like a missing one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Owned {
    pub user_id: Uuid,
    pub id: Uuid,
}

fn owners(keys: &[Owned]) -> BTreeSet<Uuid> {
    keys.iter().map(|key| key.user_id).collect()
}

/// The workouts among `keys` that belong to the user asking for them.
pub async fn workouts_owned(
    db: &DatabaseConnection,
    keys: &[Owned],
) -> Result<HashMap<Owned, workouts::Model>> {
    let rows = workouts::Entity::find()
        .filter(workouts::Column::Id.is_in(keys.iter().map(|key| key.id)))
        .filter(workouts::Column::UserId.is_in(owners(keys)))
        .all(db)
        .await?;
    // A batch may mix users (the loader is shared by concurrent requests); each key
    // gets a row only when that row's owner is the key's user.
    Ok(rows
        .into_iter()
        .map(|row| {
            (
                Owned {
                    user_id: row.user_id,
                    id: row.id,
                },
                row,
            )
        })
        .collect())
}

/// The programs among `keys` that belong to the user asking for them.
pub async fn programs_owned(
    db: &DatabaseConnection,
    keys: &[Owned],
) -> Result<HashMap<Owned, programs::Model>> {
    let rows = programs::Entity::find()
        .filter(programs::Column::Id.is_in(keys.iter().map(|key| key.id)))
        .filter(programs::Column::UserId.is_in(owners(keys)))
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|row| {
            (
                Owned {
                    user_id: row.user_id,
                    id: row.id,
                },
                row,
            )
        })
        .collect())
}

pub async fn exercises_by_workout(
    db: &DatabaseConnection,
    workout_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<workout_exercises::Model>>> {
    let rows = workout_exercises::Entity::find()
        .filter(workout_exercises::Column::WorkoutId.is_in(workout_ids.iter().copied()))
        .order_by_asc(workout_exercises::Column::WorkoutId)
        .order_by_asc(workout_exercises::Column::Position)
        .all(db)
        .await?;
    Ok(group_by(rows, |row| row.workout_id))
}

pub async fn programs_by_user(
    db: &DatabaseConnection,
    user_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<programs::Model>>> {
    let rows = programs::Entity::find()
        .filter(programs::Column::UserId.is_in(user_ids.iter().copied()))
        .order_by_asc(programs::Column::StartDate)
        .order_by_asc(programs::Column::Id)
        .all(db)
        .await?;
    Ok(group_by(rows, |row| row.user_id))
}

pub async fn workouts_by_program(
    db: &DatabaseConnection,
    program_ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<workouts::Model>>> {
    let rows = workouts::Entity::find()
        .filter(workouts::Column::ProgramId.is_in(program_ids.iter().copied()))
        .order_by_asc(workouts::Column::ScheduledDate)
        .order_by_asc(workouts::Column::Id)
        .all(db)
        .await?;
    // UUIDv7 ids order same-day workouts by creation.
    Ok(group_by(rows, |row| {
        row.program_id
            .expect("the IN filter only matches rows with a program")
    }))
}

/// The workouts of `user_ids` scheduled between `from` and `to`, both inclusive.
pub async fn workouts_by_user_between(
    db: &DatabaseConnection,
    user_ids: &[Uuid],
    from: NaiveDate,
    to: NaiveDate,
) -> Result<HashMap<Uuid, Vec<workouts::Model>>> {
    let rows = workouts::Entity::find()
        .filter(workouts::Column::UserId.is_in(user_ids.iter().copied()))
        .filter(workouts::Column::ScheduledDate.between(from, to))
        .order_by_asc(workouts::Column::ScheduledDate)
        .order_by_asc(workouts::Column::Id)
        .all(db)
        .await?;
    Ok(group_by(rows, |row| row.user_id))
}

/// Groups rows by key, keeping their order within each group.
pub(crate) fn group_by<K: Hash + Eq, V>(rows: Vec<V>, key: impl Fn(&V) -> K) -> HashMap<K, Vec<V>> {
    let mut groups: HashMap<K, Vec<V>> = HashMap::new();
    for row in rows {
        groups.entry(key(&row)).or_default().push(row);
    }
    groups
}
