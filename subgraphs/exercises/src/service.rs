//! The read side beyond plain lookups: alternatives and workout templates.

use std::collections::HashMap;

use fitgraph_entities::exercises::{template_slot, workout_template};
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder};
use subgraph_common::vocab::{Difficulty, Equipment, Goal};
use uuid::Uuid;

use crate::error::ExercisesError;
use crate::model::{ExerciseRecord, SlotTarget, TemplateSlot, WorkoutTemplate};
use crate::similarity::{ExerciseProfile, rank_alternatives};
use crate::store;

/// The most alternatives one call returns.
pub const MAX_ALTERNATIVES: i32 = 100;

/// Reads an `ID` argument as the UUID it must be.
pub fn parse_id(field: &str, id: &str) -> Result<Uuid, ExercisesError> {
    Uuid::parse_str(id)
        .map_err(|_| ExercisesError::invalid(format!("{field} must be a UUID (got `{id}`)")))
}

/// The `first` best stand-ins for an exercise (see `similarity` for the ranking),
/// optionally only among exercises using the given equipment.
pub async fn alternatives<C: ConnectionTrait>(
    db: &C,
    exercise_id: Uuid,
    equipment: Option<&[Equipment]>,
    first: i32,
) -> Result<Vec<ExerciseRecord>, ExercisesError> {
    if !(1..=MAX_ALTERNATIVES).contains(&first) {
        return Err(ExercisesError::invalid(format!(
            "first must be between 1 and {MAX_ALTERNATIVES} (got {first})"
        )));
    }
    let target = store::exercise_by_id(db, exercise_id)
        .await?
        .ok_or_else(|| ExercisesError::exercise_not_found(exercise_id))?;
    let muscles = store::muscles_by_exercise(db, &[exercise_id])
        .await?
        .remove(&exercise_id)
        .unwrap_or_default();
    let target = ExerciseProfile::new(&target, &muscles);
    let Some(anchor) = target.anchor else {
        return Ok(Vec::new());
    };
    let (records, profiles): (Vec<ExerciseRecord>, Vec<ExerciseProfile>) =
        store::candidates(db, anchor).await?.into_iter().unzip();
    let limit = usize::try_from(first).expect("first was checked to be positive");
    let best: Vec<Uuid> = rank_alternatives(&target, &profiles, equipment, limit)
        .into_iter()
        .map(|profile| profile.id)
        .collect();
    let mut records: HashMap<Uuid, ExerciseRecord> = records
        .into_iter()
        .map(|record| (record.id, record))
        .collect();
    Ok(best.iter().filter_map(|id| records.remove(id)).collect())
}

/// Templates matching every given criterion, shortest first within a goal and difficulty.
pub async fn templates<C: ConnectionTrait>(
    db: &C,
    goal: Option<Goal>,
    difficulty: Option<Difficulty>,
    max_minutes: Option<i32>,
) -> Result<Vec<WorkoutTemplate>, ExercisesError> {
    let mut query = workout_template::Entity::find();
    if let Some(goal) = goal {
        query = query.filter(workout_template::Column::Goal.eq(goal.as_str()));
    }
    if let Some(difficulty) = difficulty {
        query = query.filter(workout_template::Column::Difficulty.eq(difficulty.as_str()));
    }
    if let Some(minutes) = max_minutes {
        if minutes < 1 {
            return Err(ExercisesError::invalid(format!(
                "maxMinutes must be at least 1 (got {minutes})"
            )));
        }
        query = query.filter(workout_template::Column::DurationMinutes.lte(minutes));
    }
    let rows = query
        .order_by_asc(workout_template::Column::Goal)
        .order_by_asc(workout_template::Column::Difficulty)
        .order_by_asc(workout_template::Column::DurationMinutes)
        .order_by_asc(workout_template::Column::Name)
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let mut slots = slots_by_template(db, &ids).await?;
    rows.into_iter()
        .map(|row| {
            let slots = slots.remove(&row.id).unwrap_or_default();
            WorkoutTemplate::from_row(row, slots)
        })
        .collect()
}

async fn slots_by_template<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<TemplateSlot>>, ExercisesError> {
    let rows = template_slot::Entity::find()
        .filter(template_slot::Column::TemplateId.is_in(ids.iter().copied()))
        .order_by_asc(template_slot::Column::Position)
        .all(db)
        .await?;
    let mut grouped: HashMap<Uuid, Vec<TemplateSlot>> = HashMap::new();
    for row in rows {
        grouped
            .entry(row.template_id)
            .or_default()
            .push(TemplateSlot::from_row(&row)?);
    }
    Ok(grouped)
}

/// Slot targets are stored as a kind and a vocabulary value.
impl SlotTarget {
    pub(crate) const MUSCLE: &'static str = "MUSCLE";
    pub(crate) const PATTERN: &'static str = "PATTERN";

    pub(crate) fn columns(self) -> (&'static str, &'static str) {
        match self {
            SlotTarget::Muscle(muscle) => (SlotTarget::MUSCLE, muscle.as_str()),
            SlotTarget::Pattern(pattern) => (SlotTarget::PATTERN, pattern.as_str()),
        }
    }

    fn from_columns(kind: &str, target: &str) -> Option<SlotTarget> {
        match kind {
            SlotTarget::MUSCLE => target.parse().ok().map(SlotTarget::Muscle),
            SlotTarget::PATTERN => target.parse().ok().map(SlotTarget::Pattern),
            _ => None,
        }
    }
}

impl TemplateSlot {
    fn from_row(row: &template_slot::Model) -> Result<TemplateSlot, ExercisesError> {
        let target = SlotTarget::from_columns(&row.target_kind, &row.target).ok_or_else(|| {
            ExercisesError::Corrupt(format!(
                "template slot target {} `{}`",
                row.target_kind, row.target
            ))
        })?;
        Ok(TemplateSlot {
            position: row.position,
            target,
            sets: row.sets,
            rep_min: row.rep_min,
            rep_max: row.rep_max,
            rest_seconds: row.rest_seconds,
        })
    }
}

impl WorkoutTemplate {
    fn from_row(
        row: workout_template::Model,
        slots: Vec<TemplateSlot>,
    ) -> Result<WorkoutTemplate, ExercisesError> {
        let corrupt = |column: &str, value: &str| {
            ExercisesError::Corrupt(format!("workout_templates.{column} `{value}`"))
        };
        Ok(WorkoutTemplate {
            goal: row.goal.parse().map_err(|_| corrupt("goal", &row.goal))?,
            difficulty: row
                .difficulty
                .parse()
                .map_err(|_| corrupt("difficulty", &row.difficulty))?,
            id: row.id,
            slug: row.slug,
            name: row.name,
            duration_minutes: row.duration_minutes,
            slots,
        })
    }
}
