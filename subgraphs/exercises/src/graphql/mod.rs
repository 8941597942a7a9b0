//! The GraphQL face of the subgraph: thin resolvers over the service modules.
//!
//! The library's read side is public (tagged so the gateway lets anonymous
//! callers run it); every editor mutation needs the `editor` scope, checked here
//! before anything is written.

mod types;

use std::sync::Arc;

use async_graphql::{Context, ID, Object};
use sea_orm::DatabaseConnection;
use subgraph_common::GqlResultExt;
use subgraph_common::access::{is_owner, require_scope, require_user, scopes};
use subgraph_common::batching::Batched;
use subgraph_common::errors::to_graphql_error;
use subgraph_common::events::{self, DomainEvent};
use subgraph_common::vocab::{Difficulty, Equipment, Goal};
use uuid::Uuid;

pub use types::{
    Exercise, ExerciseConnection, ExerciseEdge, ExerciseFilter, ExerciseInput, ExerciseUpdateInput,
    MediaUrls, PageInfo, PersonalData, WorkoutTemplate,
};

use crate::editor::Attribution;
use crate::listing::{Cursor, Page};
use crate::listing_cache::ListingCache;
use crate::loaders::{ExerciseLoader, LoadError};
use crate::service::{self, parse_id};
use crate::{editor, personal, store};

pub(crate) fn shared_error(err: LoadError) -> async_graphql::Error {
    to_graphql_error(&*err)
}

fn db<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a DatabaseConnection> {
    ctx.data::<DatabaseConnection>()
}

/// Who is editing: the caller, who must hold the `editor` scope.
fn editor(ctx: &Context<'_>) -> async_graphql::Result<Attribution> {
    let identity = require_scope(ctx, scopes::EDITOR).gql()?;
    Attribution::of(identity).gql()
}

/// Tells whoever caches the library, once the edit is stored, that an exercise changed.
async fn exercise_changed(ctx: &Context<'_>, exercise_id: Uuid) {
    if let Ok(pages) = ctx.data::<ListingCache>() {
        pages.clear();
    }
    events::announce_in(ctx, &DomainEvent::ExerciseChanged { exercise_id }).await;
}

fn connection(page: Page, after: Option<&str>) -> ExerciseConnection {
    let edges: Vec<ExerciseEdge> = page
        .exercises
        .into_iter()
        .map(|record| ExerciseEdge {
            cursor: Cursor::of(&record).encode(),
            node: Exercise::from(record),
        })
        .collect();
    ExerciseConnection {
        page_info: PageInfo {
            has_previous_page: after.is_some(),
            has_next_page: page.has_next_page,
            start_cursor: edges.first().map(|edge| edge.cursor.clone()),
            end_cursor: edges.last().map(|edge| edge.cursor.clone()),
        },
        edges,
        total_count: page.total_count,
    }
}

async fn load_exercise(
    ctx: &Context<'_>,
    id: &ID,
    field: &str,
) -> async_graphql::Result<Option<Exercise>> {
    let id = parse_id(field, id).gql()?;
    let loader = ctx.data::<Batched<ExerciseLoader>>()?;
    Ok(loader
        .load_one(id)
        .await
        .map_err(shared_error)?
        .map(Exercise))
}

/// What `first` means when a client sends `null` (or nothing) to `exercises`.
const DEFAULT_PAGE_SIZE: i32 = 20;
/// What `first` means when a client sends `null` (or nothing) to `alternatives`.
const DEFAULT_ALTERNATIVES: i32 = 10;

pub struct Query;

#[Object]
impl Query {
    /// The exercise with this id, or null.
    #[graphql(tag = "public")]
    async fn exercise(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Exercise>> {
        load_exercise(ctx, &id, "id").await
    }

    /// The exercise with this slug, or null.
    #[graphql(tag = "public")]
    async fn exercise_by_slug(
        &self,
        ctx: &Context<'_>,
        slug: String,
    ) -> async_graphql::Result<Option<Exercise>> {
        let record = store::exercise_by_slug(db(ctx)?, &slug).await.gql()?;
        Ok(record.map(Exercise::from))
    }

    /// The library in name order, filtered, a page at a time (`first` 1 to 1000).
    #[graphql(tag = "public")]
    async fn exercises(
        &self,
        ctx: &Context<'_>,
        filter: Option<ExerciseFilter>,
        #[graphql(default_with = "Some(DEFAULT_PAGE_SIZE)")] first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<ExerciseConnection> {
        let filter = filter.unwrap_or_default().into();
        let first = first.unwrap_or(DEFAULT_PAGE_SIZE);
        let page = ctx
            .data::<ListingCache>()?
            .list(db(ctx)?, &filter, first, after.as_deref())
            .await
            .gql()?;
        Ok(connection(page, after.as_deref()))
    }

    /// The best stand-ins for an exercise, best first: they share its main muscle and
    /// are never deprecated; `equipment` limits them to what is available.
    #[graphql(tag = "public")]
    async fn alternatives(
        &self,
        ctx: &Context<'_>,
        exercise_id: ID,
        equipment: Option<Vec<Equipment>>,
        #[graphql(default_with = "Some(DEFAULT_ALTERNATIVES)")] first: Option<i32>,
    ) -> async_graphql::Result<Vec<Exercise>> {
        let id = parse_id("exerciseId", &exercise_id).gql()?;
        let first = first.unwrap_or(DEFAULT_ALTERNATIVES);
        let found = service::alternatives(db(ctx)?, id, equipment.as_deref(), first)
            .await
            .gql()?;
        Ok(found.into_iter().map(Exercise::from).collect())
    }

    /// Workout templates matching every given criterion.
    #[graphql(tag = "public")]
    async fn templates(
        &self,
        ctx: &Context<'_>,
        goal: Option<Goal>,
        difficulty: Option<Difficulty>,
        max_minutes: Option<i32>,
    ) -> async_graphql::Result<Vec<WorkoutTemplate>> {
        let found = service::templates(db(ctx)?, goal, difficulty, max_minutes)
            .await
            .gql()?;
        Ok(found.into_iter().map(WorkoutTemplate::from).collect())
    }

    /// Federation: resolves `Exercise` references from other subgraphs, batched.
    #[graphql(entity)]
    async fn find_exercise_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<Exercise>> {
        load_exercise(ctx, &id, "id").await
    }

    /// Federation: the caller's own part of their data export. Anyone else's id
    /// (and any id for an anonymous caller) resolves to null, as if there were
    /// nothing: an error would fail every representation of the batch, and null
    /// does not even tell whether the user exists.
    #[graphql(entity)]
    async fn find_personal_data_by_user_id(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
    ) -> Option<PersonalData> {
        let user_id = Uuid::parse_str(&user_id).ok()?;
        is_owner(ctx, user_id).then_some(PersonalData { user_id })
    }
}

pub struct Mutation;

#[Object]
impl Mutation {
    async fn create_exercise(
        &self,
        ctx: &Context<'_>,
        input: ExerciseInput,
    ) -> async_graphql::Result<Exercise> {
        let by = editor(ctx)?;
        let record = editor::create_exercise(db(ctx)?, &by, input.into())
            .await
            .gql()?;
        exercise_changed(ctx, record.id).await;
        Ok(Exercise(Arc::new(record)))
    }

    /// Changes only the fields given.
    async fn update_exercise(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: ExerciseUpdateInput,
    ) -> async_graphql::Result<Exercise> {
        let by = editor(ctx)?;
        let id = parse_id("id", &id).gql()?;
        let record = editor::update_exercise(db(ctx)?, &by, id, input.into())
            .await
            .gql()?;
        exercise_changed(ctx, record.id).await;
        Ok(Exercise(Arc::new(record)))
    }

    /// Hides the exercise from listings and alternatives; it keeps resolving by id.
    async fn deprecate_exercise(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Exercise> {
        let by = editor(ctx)?;
        let id = parse_id("id", &id).gql()?;
        let record = editor::deprecate_exercise(db(ctx)?, &by, id).await.gql()?;
        exercise_changed(ctx, record.id).await;
        Ok(Exercise(Arc::new(record)))
    }

    /// Account deletion: unlinks the caller from the library edits they made and
    /// returns how many there were (0 when run again). Hidden from clients; only
    /// profile's deletion worker calls it, as the user being deleted.
    #[graphql(inaccessible)]
    async fn purge_exercises_data(&self, ctx: &Context<'_>) -> async_graphql::Result<u64> {
        let user = require_user(ctx).gql()?;
        personal::purge(db(ctx)?, user).await.gql()
    }
}
