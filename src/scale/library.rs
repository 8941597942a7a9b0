//! The exercise library as the recommender sees it (the catalog and the workout
//! templates), read straight from the exercises database rather than over HTTP, plus the
//! slugs the behaviour model keys each exercise's appeal by.

use std::collections::{BTreeSet, HashMap};
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use exercises_subgraph::catalog::SlotUnit;
use fitgraph_entities::exercises::{exercise, exercise_muscle};
use fitgraph_rules::safety::{Limits, check};
use fitgraph_rules::{DayKind, Library, RepUnit, SlotTarget, Template, TemplateSlot};
use sea_orm::{DatabaseConnection, EntityTrait};
use subgraph_common::SubgraphName;
use subgraph_common::catalog::ExerciseSummary;
use subgraph_common::vocab::{Equipment, FitnessLevel, RecoveryBand};
use uuid::Uuid;

use super::ScaleError;
use super::write;

/// The library, and the part of it each kind of user may be given.
pub struct Catalog {
    pub library: Library,
    slugs: HashMap<Uuid, String>,
    /// Per level and equipment: the exercises that pass the safety rules which depend
    /// on nothing else (see [`Catalog::for_user`]).
    allowed: Mutex<HashMap<(FitnessLevel, BTreeSet<Equipment>), Library>>,
}

impl Catalog {
    /// The exercise's slug (every catalog exercise has one).
    pub fn slug(&self, id: Uuid) -> &str {
        self.slugs.get(&id).map_or("", String::as_str)
    }

    pub fn exercise(&self, id: Uuid) -> Option<&ExerciseSummary> {
        self.library.exercises.get(&id)
    }

    /// The library narrowed to what a user at `level` with `equipment` may ever be
    /// prescribed: not deprecated, owned equipment, within the level and, for beginners,
    /// nothing that needs coaching. The rules reject everything else anyway, so they
    /// plan exactly the same days from it, only without scanning thousands of
    /// exercises that could never fit.
    pub fn for_user(&self, level: FitnessLevel, equipment: &BTreeSet<Equipment>) -> Library {
        let key = (level, equipment.clone());
        let mut allowed = self
            .allowed
            .lock()
            .expect("nothing under this lock panics, so it is never poisoned");
        if let Some(library) = allowed.get(&key) {
            return library.clone();
        }
        let limits = Limits {
            level,
            equipment,
            recovery: RecoveryBand::Green,
            kind: DayKind::Training,
        };
        let exercises: HashMap<Uuid, ExerciseSummary> = self
            .library
            .exercises
            .iter()
            .filter(|(_, exercise)| check(exercise, &limits).is_ok())
            .map(|(id, exercise)| (*id, exercise.clone()))
            .collect();
        let library = Library {
            exercises: Arc::new(exercises),
            templates: self.library.templates.clone(),
        };
        allowed.insert(key, library.clone());
        library
    }
}

/// Reads every exercise with its muscles, and every template.
pub async fn load(db: &DatabaseConnection) -> Result<Catalog, ScaleError> {
    let failed = |table| write::place(SubgraphName::Exercises, table).failed();
    let rows = exercise::Entity::find()
        .all(db)
        .await
        .map_err(failed("exercises"))?;
    let mut muscles: HashMap<Uuid, Vec<exercise_muscle::Model>> = HashMap::new();
    for row in exercise_muscle::Entity::find()
        .all(db)
        .await
        .map_err(failed("exercise_muscles"))?
    {
        muscles.entry(row.exercise_id).or_default().push(row);
    }
    let mut exercises = HashMap::with_capacity(rows.len());
    let mut slugs = HashMap::with_capacity(rows.len());
    for row in rows {
        let own = muscles.remove(&row.id).unwrap_or_default();
        slugs.insert(row.id, row.slug.clone());
        exercises.insert(row.id, summary(row, own)?);
    }
    let templates = exercises_subgraph::templates(db, None, None, None)
        .await
        .map_err(|err| ScaleError::Library(err.to_string()))?
        .into_iter()
        .map(template)
        .collect::<Result<Vec<_>, _>>()?;
    if exercises.is_empty() || templates.is_empty() {
        return Err(ScaleError::Library(
            "it holds no exercises or no templates".to_owned(),
        ));
    }
    Ok(Catalog {
        library: Library {
            exercises: Arc::new(exercises),
            templates: Arc::new(templates),
        },
        slugs,
        allowed: Mutex::new(HashMap::new()),
    })
}

fn parse<T: FromStr>(value: &str, what: &str) -> Result<T, ScaleError> {
    value
        .parse()
        .map_err(|_| ScaleError::Library(format!("`{value}` is not a known {what}")))
}

/// One exercise as other subgraphs read it from the catalog.
fn summary(
    row: exercise::Model,
    mut muscles: Vec<exercise_muscle::Model>,
) -> Result<ExerciseSummary, ScaleError> {
    muscles.sort_by_key(|muscle| muscle.position);
    let mut primary_muscles = Vec::new();
    let mut secondary_muscles = Vec::new();
    for muscle in muscles {
        let parsed = parse(&muscle.muscle, "muscle")?;
        if muscle.is_primary {
            primary_muscles.push(parsed);
        } else {
            secondary_muscles.push(parsed);
        }
    }
    Ok(ExerciseSummary {
        id: row.id,
        category: parse(&row.category, "category")?,
        difficulty: parse(&row.difficulty, "difficulty")?,
        equipment: parse(&row.equipment, "equipment")?,
        movement_pattern: parse(&row.movement_pattern, "movement pattern")?,
        name: row.name,
        primary_muscles,
        secondary_muscles,
        deprecated: row.deprecated,
    })
}

/// A stored template in the rules' terms.
fn template(stored: exercises_subgraph::WorkoutTemplate) -> Result<Template, ScaleError> {
    let out_of_range =
        |what: &str| ScaleError::Library(format!("template {}: {what} is out of range", stored.id));
    let slots = stored
        .slots
        .iter()
        .map(|slot| {
            Ok(TemplateSlot {
                position: u8::try_from(slot.position).map_err(|_| out_of_range("a position"))?,
                sets: u8::try_from(slot.sets).map_err(|_| out_of_range("sets"))?,
                rep_min: u16::try_from(slot.rep_min).map_err(|_| out_of_range("repMin"))?,
                rep_max: u16::try_from(slot.rep_max).map_err(|_| out_of_range("repMax"))?,
                rest_seconds: u16::try_from(slot.rest_seconds)
                    .map_err(|_| out_of_range("restSeconds"))?,
                target: match slot.target {
                    exercises_subgraph::SlotTarget::Muscle(muscle) => SlotTarget::Muscle(muscle),
                    exercises_subgraph::SlotTarget::Pattern(pattern) => {
                        SlotTarget::Pattern(pattern)
                    }
                },
                unit: match slot.target.unit() {
                    SlotUnit::Reps => RepUnit::Reps,
                    SlotUnit::Seconds => RepUnit::Seconds,
                },
            })
        })
        .collect::<Result<Vec<_>, ScaleError>>()?;
    Ok(Template {
        id: stored.id,
        duration_minutes: u16::try_from(stored.duration_minutes)
            .map_err(|_| out_of_range("durationMinutes"))?,
        name: stored.name,
        goal: stored.goal,
        difficulty: stored.difficulty,
        slots,
    })
}
