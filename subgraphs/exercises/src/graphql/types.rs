//! The GraphQL object and input types; resolvers here only fetch through loaders.

use std::sync::Arc;

use async_graphql::{
    ComplexObject, Context, Enum, ID, InputObject, Json, MaybeUndefined, Object, SimpleObject,
};
use subgraph_common::batching::Batched;
use subgraph_common::vocab::{
    Category, Difficulty, Equipment, Force, Goal, Mechanic, MovementPattern, Muscle,
};
use uuid::Uuid;

use subgraph_common::GqlResultExt;

use super::shared_error;
use crate::editor::{ExerciseDraft, ExercisePatch};
use crate::listing;
use crate::loaders::{ExerciseLoader, MuscleLoader, SubstitutionLoader};
use crate::model::{self, ExerciseRecord, MuscleSet, SlotTarget, SlotUnit};
use crate::personal;

/// Where exercise media lives: `{cdn}/exercises/{slug}/...`.
pub struct MediaUrls {
    pub cdn_base_url: String,
}

impl MediaUrls {
    pub fn new(cdn_base_url: &str) -> MediaUrls {
        MediaUrls {
            cdn_base_url: cdn_base_url.trim_end_matches('/').to_owned(),
        }
    }

    fn asset(&self, slug: &str, file: &str) -> String {
        format!("{}/exercises/{slug}/{file}", self.cdn_base_url)
    }
}

/// An exercise of the library.
pub struct Exercise(pub Arc<ExerciseRecord>);

impl Exercise {
    async fn muscles(&self, ctx: &Context<'_>) -> async_graphql::Result<Arc<MuscleSet>> {
        let loader = ctx.data::<Batched<MuscleLoader>>()?;
        let muscles = loader.load_one(self.0.id).await.map_err(shared_error)?;
        Ok(muscles.unwrap_or_default())
    }
}

// The fields are tagged public one by one, not the type: `Exercise` is an entity
// other subgraphs may extend, and a field they add (a user's rating, say) must not
// become public because the library's fields are.
#[Object]
impl Exercise {
    #[graphql(tag = "public")]
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    /// Stable, URL-safe name.
    #[graphql(tag = "public")]
    async fn slug(&self) -> &str {
        &self.0.slug
    }

    #[graphql(tag = "public")]
    async fn name(&self) -> &str {
        &self.0.name
    }

    /// The steps, in order.
    #[graphql(tag = "public")]
    async fn instructions(&self) -> &[String] {
        &self.0.instructions
    }

    #[graphql(tag = "public")]
    async fn category(&self) -> Category {
        self.0.category
    }

    #[graphql(tag = "public")]
    async fn mechanic(&self) -> Option<Mechanic> {
        self.0.mechanic
    }

    #[graphql(tag = "public")]
    async fn force(&self) -> Option<Force> {
        self.0.force
    }

    #[graphql(tag = "public")]
    async fn difficulty(&self) -> Difficulty {
        self.0.difficulty
    }

    /// The muscles the exercise mainly trains; the first is the main one.
    #[graphql(tag = "public")]
    async fn primary_muscles(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Muscle>> {
        Ok(self.muscles(ctx).await?.primary.clone())
    }

    #[graphql(tag = "public")]
    async fn secondary_muscles(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Muscle>> {
        Ok(self.muscles(ctx).await?.secondary.clone())
    }

    #[graphql(tag = "public")]
    async fn equipment(&self) -> Equipment {
        self.0.equipment
    }

    #[graphql(tag = "public")]
    async fn movement_pattern(&self) -> MovementPattern {
        self.0.movement_pattern
    }

    /// An HLS playlist demonstrating the exercise.
    #[graphql(tag = "public")]
    async fn video_url(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        Ok(ctx.data::<MediaUrls>()?.asset(&self.0.slug, "index.m3u8"))
    }

    #[graphql(tag = "public")]
    async fn thumbnail_url(&self, ctx: &Context<'_>) -> async_graphql::Result<String> {
        Ok(ctx.data::<MediaUrls>()?.asset(&self.0.slug, "thumb.jpg"))
    }

    /// Deprecated exercises still resolve but are left out of listings and alternatives.
    #[graphql(tag = "public")]
    async fn deprecated(&self) -> bool {
        self.0.deprecated
    }

    /// The closest stand-ins, best first (precomputed; deprecated ones left out).
    #[graphql(tag = "public")]
    async fn substitutions(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Exercise>> {
        let substitutes = ctx.data::<Batched<SubstitutionLoader>>()?;
        let Some(ids) = substitutes
            .load_one(self.0.id)
            .await
            .map_err(shared_error)?
        else {
            return Ok(Vec::new());
        };
        let exercises = ctx.data::<Batched<ExerciseLoader>>()?;
        let mut found = exercises
            .load_many(ids.iter().copied())
            .await
            .map_err(shared_error)?;
        Ok(ids
            .iter()
            .filter_map(|id| found.remove(id))
            .filter(|record| !record.deprecated)
            .map(Exercise)
            .collect())
    }
}

impl From<ExerciseRecord> for Exercise {
    fn from(record: ExerciseRecord) -> Self {
        Exercise(Arc::new(record))
    }
}

// The connection types are written out, not async-graphql's `Connection`, only so
// that they can carry the public tag; the SDL is the one `Connection` produced.
#[derive(SimpleObject)]
#[graphql(shareable, tag = "public")]
pub struct ExerciseConnection {
    /// Information to aid in pagination.
    pub page_info: PageInfo,
    /// A list of edges.
    pub edges: Vec<ExerciseEdge>,
    /// How many exercises match the filter across all pages.
    pub total_count: u64,
}

/// An edge in a connection.
#[derive(SimpleObject)]
#[graphql(shareable, tag = "public")]
pub struct ExerciseEdge {
    /// The item at the end of the edge
    pub node: Exercise,
    /// A cursor for use in pagination
    pub cursor: String,
}

/// Information about pagination in a connection
#[derive(SimpleObject)]
#[graphql(shareable, tag = "public")]
pub struct PageInfo {
    /// When paginating backwards, are there more items?
    pub has_previous_page: bool,
    /// When paginating forwards, are there more items?
    pub has_next_page: bool,
    /// When paginating backwards, the cursor to continue.
    pub start_cursor: Option<String>,
    /// When paginating forwards, the cursor to continue.
    pub end_cursor: Option<String>,
}

/// Narrows `exercises`. Absent fields and empty lists do not restrict.
#[derive(InputObject, Default)]
pub struct ExerciseFilter {
    /// Any of these as a primary or secondary muscle.
    pub muscles: Option<Vec<Muscle>>,
    /// The exercise's equipment is one of these.
    pub equipment: Option<Vec<Equipment>>,
    pub category: Option<Category>,
    pub difficulty: Option<Difficulty>,
    /// A case-insensitive part of the name.
    pub text: Option<String>,
    /// Also list deprecated exercises.
    #[graphql(default_with = "Some(false)")]
    pub include_deprecated: Option<bool>,
}

impl From<ExerciseFilter> for listing::ExerciseFilter {
    fn from(filter: ExerciseFilter) -> Self {
        listing::ExerciseFilter {
            muscles: filter.muscles.unwrap_or_default(),
            equipment: filter.equipment.unwrap_or_default(),
            category: filter.category,
            difficulty: filter.difficulty,
            text: filter.text,
            include_deprecated: filter.include_deprecated.unwrap_or(false),
        }
    }
}

/// A new exercise for the library.
#[derive(InputObject)]
pub struct ExerciseInput {
    /// 3 to 120 characters.
    pub name: String,
    /// Derived from the name when absent; must be unused.
    pub slug: Option<String>,
    #[graphql(default)]
    pub instructions: Vec<String>,
    pub category: Category,
    pub mechanic: Option<Mechanic>,
    pub force: Option<Force>,
    pub difficulty: Difficulty,
    /// At least one; the first is the main one.
    pub primary_muscles: Vec<Muscle>,
    /// None of the primary muscles.
    #[graphql(default)]
    pub secondary_muscles: Vec<Muscle>,
    pub equipment: Equipment,
    pub movement_pattern: MovementPattern,
}

impl From<ExerciseInput> for ExerciseDraft {
    fn from(input: ExerciseInput) -> Self {
        ExerciseDraft {
            name: input.name,
            slug: input.slug,
            instructions: input.instructions,
            category: input.category,
            mechanic: input.mechanic,
            force: input.force,
            difficulty: input.difficulty,
            primary_muscles: input.primary_muscles,
            secondary_muscles: input.secondary_muscles,
            equipment: input.equipment,
            movement_pattern: input.movement_pattern,
        }
    }
}

/// Changes to an exercise; absent fields keep their value, `null` clears `mechanic` or `force`.
#[derive(InputObject)]
pub struct ExerciseUpdateInput {
    pub name: Option<String>,
    pub slug: Option<String>,
    pub instructions: Option<Vec<String>>,
    pub category: Option<Category>,
    pub mechanic: MaybeUndefined<Mechanic>,
    pub force: MaybeUndefined<Force>,
    pub difficulty: Option<Difficulty>,
    pub primary_muscles: Option<Vec<Muscle>>,
    pub secondary_muscles: Option<Vec<Muscle>>,
    pub equipment: Option<Equipment>,
    pub movement_pattern: Option<MovementPattern>,
}

fn clearable<T>(value: MaybeUndefined<T>) -> Option<Option<T>> {
    match value {
        MaybeUndefined::Undefined => None,
        MaybeUndefined::Null => Some(None),
        MaybeUndefined::Value(value) => Some(Some(value)),
    }
}

impl From<ExerciseUpdateInput> for ExercisePatch {
    fn from(input: ExerciseUpdateInput) -> Self {
        ExercisePatch {
            name: input.name,
            slug: input.slug,
            instructions: input.instructions,
            category: input.category,
            mechanic: clearable(input.mechanic),
            force: clearable(input.force),
            difficulty: input.difficulty,
            primary_muscles: input.primary_muscles,
            secondary_muscles: input.secondary_muscles,
            equipment: input.equipment,
            movement_pattern: input.movement_pattern,
        }
    }
}

/// A ready-made workout for a goal and difficulty.
#[derive(SimpleObject)]
#[graphql(tag = "public")]
pub struct WorkoutTemplate {
    pub id: ID,
    pub slug: String,
    pub name: String,
    pub goal: Goal,
    pub difficulty: Difficulty,
    pub duration_minutes: i32,
    pub slots: Vec<TemplateSlot>,
}

/// One exercise slot; exactly one of `targetMuscle` and `targetPattern` is set.
#[derive(SimpleObject)]
#[graphql(complex, tag = "public")]
pub struct TemplateSlot {
    pub position: i32,
    #[graphql(skip)]
    pub target: SlotTarget,
    pub sets: i32,
    pub rep_min: i32,
    pub rep_max: i32,
    pub rest_seconds: i32,
}

#[ComplexObject]
impl TemplateSlot {
    async fn target_muscle(&self) -> Option<Muscle> {
        match self.target {
            SlotTarget::Muscle(muscle) => Some(muscle),
            SlotTarget::Pattern(_) => None,
        }
    }

    async fn target_pattern(&self) -> Option<MovementPattern> {
        match self.target {
            SlotTarget::Pattern(pattern) => Some(pattern),
            SlotTarget::Muscle(_) => None,
        }
    }

    /// What `repMin` and `repMax` count: repetitions, or seconds per set for
    /// stretches, mobility drills, carries and cardio intervals.
    async fn unit(&self) -> RepUnit {
        match self.target.unit() {
            SlotUnit::Reps => RepUnit::Reps,
            SlotUnit::Seconds => RepUnit::Seconds,
        }
    }
}

/// The unit of a slot's `repMin`/`repMax`.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum RepUnit {
    Reps,
    Seconds,
}

impl From<model::WorkoutTemplate> for WorkoutTemplate {
    fn from(template: model::WorkoutTemplate) -> Self {
        WorkoutTemplate {
            id: ID(template.id.to_string()),
            slug: template.slug,
            name: template.name,
            goal: template.goal,
            difficulty: template.difficulty,
            duration_minutes: template.duration_minutes,
            slots: template.slots.into_iter().map(TemplateSlot::from).collect(),
        }
    }
}

impl From<model::TemplateSlot> for TemplateSlot {
    fn from(slot: model::TemplateSlot) -> Self {
        TemplateSlot {
            position: slot.position,
            target: slot.target,
            sets: slot.sets,
            rep_min: slot.rep_min,
            rep_max: slot.rep_max,
            rest_seconds: slot.rest_seconds,
        }
    }
}

/// What the exercises subgraph holds about one user, for their data export.
/// Only ever built for the caller themself (see `Query::find_personal_data_by_user_id`).
pub struct PersonalData {
    pub(super) user_id: Uuid,
}

#[Object]
impl PersonalData {
    async fn user_id(&self) -> ID {
        ID(self.user_id.to_string())
    }

    /// The library edits the user made: `{ "edits": [{ exerciseId, exerciseSlug,
    /// exerciseName, action, client, editedAt }] }`, oldest first.
    async fn exercises(&self, ctx: &Context<'_>) -> async_graphql::Result<Json<serde_json::Value>> {
        let db = super::db(ctx)?;
        Ok(Json(personal::export(db, self.user_id).await.gql()?))
    }
}
