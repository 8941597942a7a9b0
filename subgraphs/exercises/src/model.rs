//! The exercise library's domain types and their mapping to and from rows.

use std::str::FromStr;

use fitgraph_entities::exercises::{exercise, exercise_muscle};
use sea_orm::ActiveValue::Set;
use subgraph_common::vocab::{
    Category, Difficulty, Equipment, Force, Mechanic, MovementPattern, Muscle,
};
use uuid::Uuid;

use crate::error::ExercisesError;

/// Where an exercise came from, stored in `exercises.source`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The generated catalog seeded on first start.
    Catalog,
    /// An import of the public free-exercise-db file.
    FreeExerciseDb,
    /// Created through the editor mutations.
    Editor,
}

impl Source {
    pub fn as_str(self) -> &'static str {
        match self {
            Source::Catalog => "fitgraph",
            Source::FreeExerciseDb => "free-exercise-db",
            Source::Editor => "editor",
        }
    }
}

/// Everything that describes an exercise, independent of its identity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExerciseContent {
    pub name: String,
    pub instructions: Vec<String>,
    pub category: Category,
    pub mechanic: Option<Mechanic>,
    pub force: Option<Force>,
    pub difficulty: Difficulty,
    pub muscles: MuscleSet,
    pub equipment: Equipment,
    pub movement_pattern: MovementPattern,
}

/// The muscles an exercise works, each list in the order it was given.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MuscleSet {
    pub primary: Vec<Muscle>,
    pub secondary: Vec<Muscle>,
}

/// An exercise as stored in `exercises` (its muscles live in their own table).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExerciseRecord {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub instructions: Vec<String>,
    pub category: Category,
    pub mechanic: Option<Mechanic>,
    pub force: Option<Force>,
    pub difficulty: Difficulty,
    pub equipment: Equipment,
    pub movement_pattern: MovementPattern,
    pub deprecated: bool,
}

/// A new exercise ready to be inserted.
#[derive(Debug, Clone)]
pub struct NewExercise {
    pub id: Uuid,
    pub slug: String,
    pub source: Source,
    pub source_id: String,
    pub content: ExerciseContent,
}

fn parse<T: FromStr>(value: &str, column: &str) -> Result<T, ExercisesError> {
    value.parse().map_err(|_| {
        ExercisesError::Corrupt(format!(
            "`{value}` in exercises.{column} is not a known value"
        ))
    })
}

fn parse_optional<T: FromStr>(
    value: Option<&str>,
    column: &str,
) -> Result<Option<T>, ExercisesError> {
    value.map(|text| parse(text, column)).transpose()
}

pub(crate) fn encode_instructions(steps: &[String]) -> String {
    serde_json::to_string(steps).expect("a list of strings always serializes to JSON")
}

fn decode_instructions(text: &str) -> Result<Vec<String>, ExercisesError> {
    serde_json::from_str(text)
        .map_err(|err| ExercisesError::Corrupt(format!("exercises.instructions: {err}")))
}

impl TryFrom<exercise::Model> for ExerciseRecord {
    type Error = ExercisesError;

    fn try_from(row: exercise::Model) -> Result<Self, Self::Error> {
        Ok(ExerciseRecord {
            instructions: decode_instructions(&row.instructions)?,
            category: parse(&row.category, "category")?,
            mechanic: parse_optional(row.mechanic.as_deref(), "mechanic")?,
            force: parse_optional(row.force.as_deref(), "force")?,
            difficulty: parse(&row.difficulty, "difficulty")?,
            equipment: parse(&row.equipment, "equipment")?,
            movement_pattern: parse(&row.movement_pattern, "movement_pattern")?,
            id: row.id,
            slug: row.slug,
            name: row.name,
            deprecated: row.deprecated,
        })
    }
}

impl MuscleSet {
    /// Each muscle once, and a muscle listed as both primary and secondary kept as
    /// primary only; for data we take as given (the catalog, imports).
    pub(crate) fn tidy(primary: Vec<Muscle>, secondary: Vec<Muscle>) -> MuscleSet {
        let primary = without_repeats(primary);
        let secondary = without_repeats(secondary)
            .into_iter()
            .filter(|muscle| !primary.contains(muscle))
            .collect();
        MuscleSet { primary, secondary }
    }

    /// Groups muscle rows (of one exercise) back into ordered primary and secondary lists.
    pub(crate) fn from_rows<'a>(
        rows: impl IntoIterator<Item = &'a exercise_muscle::Model>,
    ) -> Result<Self, ExercisesError> {
        let mut rows: Vec<&exercise_muscle::Model> = rows.into_iter().collect();
        rows.sort_by_key(|row| row.position);
        let mut set = MuscleSet::default();
        for row in rows {
            let muscle: Muscle = row.muscle.parse().map_err(|_| {
                ExercisesError::Corrupt(format!("`{}` in exercise_muscles.muscle", row.muscle))
            })?;
            if row.is_primary {
                set.primary.push(muscle)
            } else {
                set.secondary.push(muscle)
            }
        }
        Ok(set)
    }

    pub(crate) fn rows(&self, exercise_id: Uuid) -> Vec<exercise_muscle::ActiveModel> {
        let primary = self.primary.iter().map(|muscle| (muscle, true));
        let secondary = self.secondary.iter().map(|muscle| (muscle, false));
        primary
            .chain(secondary)
            .enumerate()
            .map(
                |(position, (muscle, is_primary))| exercise_muscle::ActiveModel {
                    exercise_id: Set(exercise_id),
                    muscle: Set(muscle.as_str().to_owned()),
                    is_primary: Set(is_primary),
                    position: Set(
                        i32::try_from(position).expect("an exercise lists at most 17 muscles")
                    ),
                },
            )
            .collect()
    }
}

impl ExerciseContent {
    /// Sets the content columns of an `exercises` row (identity and timestamps are the caller's).
    pub(crate) fn apply_to(&self, row: &mut exercise::ActiveModel) {
        row.name = Set(self.name.clone());
        row.name_search = Set(search_key(&self.name));
        row.instructions = Set(encode_instructions(&self.instructions));
        row.category = Set(self.category.as_str().to_owned());
        row.mechanic = Set(self.mechanic.map(|mechanic| mechanic.as_str().to_owned()));
        row.force = Set(self.force.map(|force| force.as_str().to_owned()));
        row.difficulty = Set(self.difficulty.as_str().to_owned());
        row.equipment = Set(self.equipment.as_str().to_owned());
        row.movement_pattern = Set(self.movement_pattern.as_str().to_owned());
    }

    /// The content of a stored exercise, to compare against an incoming version.
    pub(crate) fn from_record(record: &ExerciseRecord, muscles: MuscleSet) -> ExerciseContent {
        ExerciseContent {
            name: record.name.clone(),
            instructions: record.instructions.clone(),
            category: record.category,
            mechanic: record.mechanic,
            force: record.force,
            difficulty: record.difficulty,
            muscles,
            equipment: record.equipment,
            movement_pattern: record.movement_pattern,
        }
    }
}

impl NewExercise {
    pub(crate) fn row(&self, now: chrono::DateTime<chrono::Utc>) -> exercise::ActiveModel {
        let mut row = exercise::ActiveModel {
            id: Set(self.id),
            slug: Set(self.slug.clone()),
            deprecated: Set(false),
            source: Set(self.source.as_str().to_owned()),
            source_id: Set(self.source_id.clone()),
            created_at: Set(now),
            updated_at: Set(now),
            ..Default::default()
        };
        self.content.apply_to(&mut row);
        row
    }
}

/// The muscles in their first-listed order, each once.
pub(crate) fn without_repeats(muscles: Vec<Muscle>) -> Vec<Muscle> {
    let mut seen = Vec::with_capacity(muscles.len());
    for muscle in muscles {
        if !seen.contains(&muscle) {
            seen.push(muscle);
        }
    }
    seen
}

/// What text search matches against: the name lowercased here rather than by the
/// database, so SQLite and PostgreSQL agree on every script.
pub(crate) fn search_key(text: &str) -> String {
    text.to_lowercase()
}

/// What a template slot asks for: the catalog's own type, so the stored templates
/// and the generated ones share one rule for what their reps mean.
pub use crate::catalog::{SlotTarget, SlotUnit};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TemplateSlot {
    pub position: i32,
    pub target: SlotTarget,
    pub sets: i32,
    pub rep_min: i32,
    pub rep_max: i32,
    pub rest_seconds: i32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkoutTemplate {
    pub id: Uuid,
    pub slug: String,
    pub name: String,
    pub goal: subgraph_common::vocab::Goal,
    pub difficulty: Difficulty,
    pub duration_minutes: i32,
    pub slots: Vec<TemplateSlot>,
}
