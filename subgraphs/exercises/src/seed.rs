//! Seeding the generated catalog and templates, and (re)computing substitutions.

use std::collections::HashSet;
use std::fmt;

use fitgraph_entities::exercises::{
    exercise, exercise_substitution, template_slot, workout_template,
};
use sea_orm::ActiveValue::Set;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter,
    QuerySelect, TransactionTrait,
};
use subgraph_common::Progress;
use uuid::Uuid;

use crate::catalog::{self, ExerciseSeed, TemplateSeed};
use crate::editor::SUBSTITUTES_PER_EXERCISE;
use crate::error::ExercisesError;
use crate::model::{ExerciseContent, MuscleSet, NewExercise, SlotTarget, Source};
use crate::similarity;
use crate::store;

/// Exercises written per transaction while seeding.
const SEED_BATCH: usize = 1_000;

/// What a seed run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SeedReport {
    pub exercises_created: usize,
    /// Catalog exercises whose slug was already taken, so left as they were.
    pub exercises_existing: usize,
    pub templates_created: usize,
    pub templates_existing: usize,
    /// Exercises whose substitutes were recomputed (0 when nothing changed).
    pub substitutions_computed: usize,
}

impl fmt::Display for SeedReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} exercises created ({} already present), {} templates created ({} already present), \
             substitutes computed for {} exercises",
            self.exercises_created,
            self.exercises_existing,
            self.templates_created,
            self.templates_existing,
            self.substitutions_computed
        )
    }
}

/// Loads the catalog and templates; what exists (by slug) is kept, so running it
/// again creates nothing. Substitutes are recomputed when exercises were added.
pub async fn seed(
    db: &DatabaseConnection,
    progress: &dyn Progress,
) -> Result<SeedReport, ExercisesError> {
    let mut report = SeedReport::default();
    (report.exercises_created, report.exercises_existing) = seed_exercises(db, progress).await?;
    (report.templates_created, report.templates_existing) = seed_templates(db, progress).await?;
    let substitutions_missing = exercise_substitution::Entity::find()
        .one(db)
        .await?
        .is_none();
    if report.exercises_created > 0 || substitutions_missing {
        report.substitutions_computed = rebuild_substitutions(db, progress).await?;
    }
    Ok(report)
}

/// Whether the whole catalog and every template are in the database.
pub async fn is_seeded(db: &DatabaseConnection) -> Result<bool, ExercisesError> {
    let exercises = exercise::Entity::find()
        .filter(exercise::Column::Source.eq(Source::Catalog.as_str()))
        .count(db)
        .await?;
    if exercises < catalog::exercises().len() as u64 {
        return Ok(false);
    }
    let templates = workout_template::Entity::find().count(db).await?;
    Ok(templates >= catalog::templates().len() as u64)
}

async fn seed_exercises(
    db: &DatabaseConnection,
    progress: &dyn Progress,
) -> Result<(usize, usize), ExercisesError> {
    let seeds = catalog::exercises();
    let total = seeds.len();
    let mut taken: HashSet<String> = store::all_slugs(db).await?.into_iter().collect();
    let new: Vec<NewExercise> = seeds
        .into_iter()
        .map(catalog_exercise)
        .filter(|new| taken.insert(new.slug.clone()))
        .collect();
    progress.start("seeding exercises", new.len() as u64);
    for batch in new.chunks(SEED_BATCH) {
        let txn = db.begin().await?;
        store::insert_exercises(&txn, batch).await?;
        txn.commit().await?;
        progress.advance(batch.len() as u64);
    }
    progress.finish();
    Ok((new.len(), total - new.len()))
}

fn catalog_exercise(seed: ExerciseSeed) -> NewExercise {
    let slug = seed.slug.to_string();
    NewExercise {
        id: Uuid::now_v7(),
        source: Source::Catalog,
        source_id: slug.clone(),
        slug,
        content: ExerciseContent {
            name: seed.name.to_string(),
            instructions: seed
                .instructions
                .into_iter()
                .map(|step| step.to_string())
                .collect(),
            category: seed.category,
            mechanic: seed.mechanic,
            force: seed.force,
            difficulty: seed.difficulty,
            muscles: MuscleSet::tidy(
                seed.primary_muscles.to_vec(),
                seed.secondary_muscles.to_vec(),
            ),
            equipment: seed.equipment,
            movement_pattern: seed.movement_pattern,
        },
    }
}

async fn seed_templates(
    db: &DatabaseConnection,
    progress: &dyn Progress,
) -> Result<(usize, usize), ExercisesError> {
    let seeds = catalog::templates();
    let total = seeds.len();
    let existing: Vec<String> = workout_template::Entity::find()
        .select_only()
        .column(workout_template::Column::Slug)
        .into_tuple()
        .all(db)
        .await?;
    let mut taken: HashSet<String> = existing.into_iter().collect();
    let new: Vec<TemplateSeed> = seeds
        .into_iter()
        .filter(|seed| taken.insert(seed.slug.to_string()))
        .collect();
    progress.start("seeding templates", new.len() as u64);
    let txn = db.begin().await?;
    insert_templates(&txn, &new).await?;
    txn.commit().await?;
    progress.advance(new.len() as u64);
    progress.finish();
    Ok((new.len(), total - new.len()))
}

fn small<T: TryInto<i32>>(value: T) -> i32 {
    value
        .try_into()
        .unwrap_or_else(|_| panic!("catalog template numbers are small constants"))
}

async fn insert_templates<C: ConnectionTrait>(
    db: &C,
    seeds: &[TemplateSeed],
) -> Result<(), ExercisesError> {
    let mut templates = Vec::with_capacity(seeds.len());
    let mut slots = Vec::new();
    for seed in seeds {
        let id = Uuid::now_v7();
        templates.push(workout_template::ActiveModel {
            id: Set(id),
            slug: Set(seed.slug.to_string()),
            name: Set(seed.name.to_string()),
            goal: Set(seed.goal.as_str().to_owned()),
            difficulty: Set(seed.difficulty.as_str().to_owned()),
            duration_minutes: Set(small(seed.duration_minutes)),
        });
        for (position, slot) in seed.slots.iter().enumerate() {
            let (kind, target) = match &slot.target {
                catalog::SlotTarget::Muscle(muscle) => SlotTarget::Muscle(*muscle),
                catalog::SlotTarget::Pattern(pattern) => SlotTarget::Pattern(*pattern),
            }
            .columns();
            slots.push(template_slot::ActiveModel {
                template_id: Set(id),
                position: Set(small(position + 1)),
                target_kind: Set(kind.to_owned()),
                target: Set(target.to_owned()),
                sets: Set(small(slot.sets)),
                rep_min: Set(small(slot.rep_min)),
                rep_max: Set(small(slot.rep_max)),
                rest_seconds: Set(small(slot.rest_seconds)),
            });
        }
    }
    if templates.is_empty() {
        return Ok(());
    }
    for chunk in templates.chunks(500) {
        workout_template::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    for chunk in slots.chunks(1_000) {
        template_slot::Entity::insert_many(chunk.to_vec())
            .exec_without_returning(db)
            .await?;
    }
    Ok(())
}

/// Recomputes the substitutes of every exercise in memory and swaps the whole table
/// in one transaction, so readers never see it half-filled. Returns how many
/// exercises got substitutes.
pub async fn rebuild_substitutions(
    db: &DatabaseConnection,
    progress: &dyn Progress,
) -> Result<usize, ExercisesError> {
    let profiles = store::active_profiles(db).await?;
    let table = similarity::substitutions(&profiles, SUBSTITUTES_PER_EXERCISE);
    progress.start("computing substitutions", table.len() as u64);
    let txn = db.begin().await?;
    store::replace_all_substitutions(&txn, &table, |done| progress.advance(done as u64)).await?;
    txn.commit().await?;
    progress.finish();
    Ok(table.len())
}
