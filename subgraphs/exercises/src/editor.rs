//! The editor's writes: create, partially update and deprecate exercises, each
//! validated here and written in one transaction together with the row saying
//! who made it.

use fitgraph_entities::exercises::exercise;
use sea_orm::ActiveValue::{Set, Unchanged};
use sea_orm::{ActiveModelTrait, ConnectionTrait, DatabaseConnection, TransactionTrait};
use subgraph_common::access::{self, AccessError, Identity};
use subgraph_common::vocab::{
    Category, Difficulty, Equipment, Force, Mechanic, MovementPattern, Muscle,
};
use uuid::Uuid;

use crate::error::ExercisesError;
use crate::model::{
    ExerciseContent, ExerciseRecord, MuscleSet, NewExercise, Source, without_repeats,
};
use crate::similarity::{ExerciseProfile, rank_alternatives};
use crate::slug::{MAX_SLUG_LEN, is_valid_slug, slugify};
use crate::store;

/// How many substitutes are kept per exercise.
pub const SUBSTITUTES_PER_EXERCISE: usize = 5;
const NAME_CHARS: std::ops::RangeInclusive<usize> = 3..=120;
const MAX_STEPS: usize = 50;
const MAX_STEP_CHARS: usize = 2_000;

/// Who made an edit, as `exercise_edits` records it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    /// The signed-in editor; `None` for an API-key client acting for no user.
    pub editor_id: Option<Uuid>,
    /// The API key's client name, when the edit came through one.
    pub client: Option<String>,
}

impl Attribution {
    pub fn user(editor_id: Uuid) -> Attribution {
        Attribution {
            editor_id: Some(editor_id),
            client: None,
        }
    }

    pub fn client(name: impl Into<String>) -> Attribution {
        Attribution {
            editor_id: None,
            client: Some(name.into()),
        }
    }

    /// The attribution of an authenticated caller. A user whose subject is not a
    /// fitgraph user id is refused rather than recorded as nobody: their edits
    /// could then be neither exported nor purged.
    pub fn of(identity: &Identity) -> Result<Attribution, AccessError> {
        let editor_id = match identity.user_id {
            Some(_) => Some(access::user_id(identity)?),
            None => None,
        };
        if editor_id.is_none() && identity.client.is_none() {
            return Err(AccessError::Unauthenticated);
        }
        Ok(Attribution {
            editor_id,
            client: identity.client.clone(),
        })
    }
}

/// What an edit did to its exercise.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum EditAction {
    Create,
    Update,
    Deprecate,
}

impl EditAction {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            EditAction::Create => "create",
            EditAction::Update => "update",
            EditAction::Deprecate => "deprecate",
        }
    }
}

/// A new exercise as the editor describes it.
#[derive(Debug, Clone)]
pub struct ExerciseDraft {
    pub name: String,
    /// Derived from the name when absent.
    pub slug: Option<String>,
    pub instructions: Vec<String>,
    pub category: Category,
    pub mechanic: Option<Mechanic>,
    pub force: Option<Force>,
    pub difficulty: Difficulty,
    pub primary_muscles: Vec<Muscle>,
    pub secondary_muscles: Vec<Muscle>,
    pub equipment: Equipment,
    pub movement_pattern: MovementPattern,
}

/// A partial update: `None` keeps the current value; for the nullable fields,
/// `Some(None)` clears it.
#[derive(Debug, Clone, Default)]
pub struct ExercisePatch {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub instructions: Option<Vec<String>>,
    pub category: Option<Category>,
    pub mechanic: Option<Option<Mechanic>>,
    pub force: Option<Option<Force>>,
    pub difficulty: Option<Difficulty>,
    pub primary_muscles: Option<Vec<Muscle>>,
    pub secondary_muscles: Option<Vec<Muscle>>,
    pub equipment: Option<Equipment>,
    pub movement_pattern: Option<MovementPattern>,
}

pub async fn create_exercise(
    db: &DatabaseConnection,
    by: &Attribution,
    draft: ExerciseDraft,
) -> Result<ExerciseRecord, ExercisesError> {
    let slug = match draft.slug.as_deref() {
        Some(slug) => checked_slug(slug)?,
        None => derived_slug(&draft.name)?,
    };
    let content = validated(ExerciseContent {
        name: draft.name,
        instructions: draft.instructions,
        category: draft.category,
        mechanic: draft.mechanic,
        force: draft.force,
        difficulty: draft.difficulty,
        muscles: MuscleSet {
            primary: draft.primary_muscles,
            secondary: draft.secondary_muscles,
        },
        equipment: draft.equipment,
        movement_pattern: draft.movement_pattern,
    })?;
    let id = Uuid::now_v7();
    let new = NewExercise {
        id,
        slug: slug.clone(),
        source: Source::Editor,
        source_id: id.to_string(),
        content,
    };
    let txn = db.begin().await?;
    store::insert_exercises(&txn, std::slice::from_ref(&new))
        .await
        .map_err(|err| ExercisesError::from_slug_write(err, &slug))?;
    let record = record_of(&new, false);
    refresh_substitutions(&txn, &record, &new.content.muscles).await?;
    store::insert_edit(&txn, id, by, EditAction::Create).await?;
    txn.commit().await?;
    Ok(record)
}

/// Changes the fields `patch` gives. A patch that changes nothing writes nothing,
/// not even an edit row.
pub async fn update_exercise(
    db: &DatabaseConnection,
    by: &Attribution,
    id: Uuid,
    patch: ExercisePatch,
) -> Result<ExerciseRecord, ExercisesError> {
    let txn = db.begin().await?;
    let current = store::exercise_by_id(&txn, id)
        .await?
        .ok_or_else(|| ExercisesError::exercise_not_found(id))?;
    let muscles = store::muscles_by_exercise(&txn, &[id])
        .await?
        .remove(&id)
        .unwrap_or_default();
    let before = ExerciseContent::from_record(&current, muscles);
    let slug = patch
        .slug
        .as_deref()
        .map(checked_slug)
        .transpose()?
        .unwrap_or_else(|| current.slug.clone());
    let after = validated(patched(before.clone(), patch))?;
    if after == before && slug == current.slug {
        return Ok(current);
    }
    let mut row = exercise::ActiveModel {
        id: Unchanged(id),
        slug: Set(slug.clone()),
        updated_at: Set(chrono::Utc::now()),
        ..Default::default()
    };
    after.apply_to(&mut row);
    row.update(&txn)
        .await
        .map_err(|err| ExercisesError::from_slug_write(err, &slug))?;
    if after.muscles != before.muscles {
        store::replace_muscles(&txn, id, &after.muscles).await?;
    }
    let new = NewExercise {
        id,
        slug,
        source: Source::Editor,
        source_id: String::new(),
        content: after,
    };
    let record = record_of(&new, current.deprecated);
    refresh_substitutions(&txn, &record, &new.content.muscles).await?;
    store::insert_edit(&txn, id, by, EditAction::Update).await?;
    txn.commit().await?;
    Ok(record)
}

/// Hides an exercise from listings and alternatives; it still resolves by id.
/// Deprecating it again changes nothing and records no edit.
pub async fn deprecate_exercise(
    db: &DatabaseConnection,
    by: &Attribution,
    id: Uuid,
) -> Result<ExerciseRecord, ExercisesError> {
    let txn = db.begin().await?;
    let current = store::exercise_by_id(&txn, id)
        .await?
        .ok_or_else(|| ExercisesError::exercise_not_found(id))?;
    if current.deprecated {
        return Ok(current);
    }
    let row = exercise::ActiveModel {
        id: Unchanged(id),
        deprecated: Set(true),
        updated_at: Set(chrono::Utc::now()),
        ..Default::default()
    };
    row.update(&txn).await?;
    store::insert_edit(&txn, id, by, EditAction::Deprecate).await?;
    txn.commit().await?;
    Ok(ExerciseRecord {
        deprecated: true,
        ..current
    })
}

fn patched(mut content: ExerciseContent, patch: ExercisePatch) -> ExerciseContent {
    content.name = patch.name.unwrap_or(content.name);
    content.instructions = patch.instructions.unwrap_or(content.instructions);
    content.category = patch.category.unwrap_or(content.category);
    content.mechanic = patch.mechanic.unwrap_or(content.mechanic);
    content.force = patch.force.unwrap_or(content.force);
    content.difficulty = patch.difficulty.unwrap_or(content.difficulty);
    content.muscles.primary = patch.primary_muscles.unwrap_or(content.muscles.primary);
    content.muscles.secondary = patch.secondary_muscles.unwrap_or(content.muscles.secondary);
    content.equipment = patch.equipment.unwrap_or(content.equipment);
    content.movement_pattern = patch.movement_pattern.unwrap_or(content.movement_pattern);
    content
}

/// Checks the rules every stored exercise meets, tidying what is harmless
/// (surrounding spaces, a muscle listed twice).
fn validated(mut content: ExerciseContent) -> Result<ExerciseContent, ExercisesError> {
    content.name = content.name.trim().to_owned();
    let name_chars = content.name.chars().count();
    if !NAME_CHARS.contains(&name_chars) {
        return Err(ExercisesError::invalid(format!(
            "name must be between {} and {} characters (got {name_chars})",
            NAME_CHARS.start(),
            NAME_CHARS.end()
        )));
    }
    content.instructions = validated_steps(content.instructions)?;
    content.muscles = validated_muscles(content.muscles)?;
    Ok(content)
}

fn validated_steps(steps: Vec<String>) -> Result<Vec<String>, ExercisesError> {
    if steps.len() > MAX_STEPS {
        return Err(ExercisesError::invalid(format!(
            "instructions may have at most {MAX_STEPS} steps (got {})",
            steps.len()
        )));
    }
    let steps: Vec<String> = steps.iter().map(|step| step.trim().to_owned()).collect();
    for (index, step) in steps.iter().enumerate() {
        let chars = step.chars().count();
        if chars == 0 || chars > MAX_STEP_CHARS {
            return Err(ExercisesError::invalid(format!(
                "instructions[{index}] must be between 1 and {MAX_STEP_CHARS} characters (got {chars})"
            )));
        }
    }
    Ok(steps)
}

fn validated_muscles(muscles: MuscleSet) -> Result<MuscleSet, ExercisesError> {
    let primary = without_repeats(muscles.primary);
    let secondary = without_repeats(muscles.secondary);
    if primary.is_empty() {
        return Err(ExercisesError::invalid(
            "primaryMuscles must name at least one muscle",
        ));
    }
    if let Some(both) = primary.iter().find(|muscle| secondary.contains(muscle)) {
        return Err(ExercisesError::invalid(format!(
            "{both} cannot be both a primary and a secondary muscle; list it in primaryMuscles only"
        )));
    }
    Ok(MuscleSet { primary, secondary })
}

fn checked_slug(slug: &str) -> Result<String, ExercisesError> {
    if is_valid_slug(slug) {
        return Ok(slug.to_owned());
    }
    Err(ExercisesError::invalid(format!(
        "slug must be 1 to {MAX_SLUG_LEN} lowercase letters or digits in words joined by single hyphens (got `{slug}`)"
    )))
}

fn derived_slug(name: &str) -> Result<String, ExercisesError> {
    let slug = slugify(name);
    if slug.is_empty() {
        return Err(ExercisesError::invalid(format!(
            "name `{name}` has no ASCII letters or digits to derive a slug from; give a slug"
        )));
    }
    Ok(slug)
}

fn record_of(new: &NewExercise, deprecated: bool) -> ExerciseRecord {
    let content = &new.content;
    ExerciseRecord {
        id: new.id,
        slug: new.slug.clone(),
        name: content.name.clone(),
        instructions: content.instructions.clone(),
        category: content.category,
        mechanic: content.mechanic,
        force: content.force,
        difficulty: content.difficulty,
        equipment: content.equipment,
        movement_pattern: content.movement_pattern,
        deprecated,
    }
}

/// Recomputes the substitutes of one exercise (others keep theirs until the next seed).
async fn refresh_substitutions<C: ConnectionTrait>(
    db: &C,
    record: &ExerciseRecord,
    muscles: &MuscleSet,
) -> Result<(), ExercisesError> {
    let target = ExerciseProfile::new(record, muscles);
    let Some(anchor) = target.anchor else {
        return Ok(());
    };
    let candidates: Vec<ExerciseProfile> = store::candidates(db, anchor)
        .await?
        .into_iter()
        .map(|(_, profile)| profile)
        .collect();
    let best: Vec<Uuid> = rank_alternatives(&target, &candidates, None, SUBSTITUTES_PER_EXERCISE)
        .into_iter()
        .map(|profile| profile.id)
        .collect();
    store::replace_substitutions(db, record.id, &best).await?;
    Ok(())
}
