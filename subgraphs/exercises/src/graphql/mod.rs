//! The GraphQL face of the subgraph: thin resolvers over the service modules.

mod types;

use std::sync::Arc;

use async_graphql::connection::{
    Connection, CursorType, DefaultConnectionName, DefaultEdgeName, DisableNodesField, Edge,
    EmptyFields,
};
use async_graphql::dataloader::DataLoader;
use async_graphql::{Context, ID, Object};
use sea_orm::DatabaseConnection;
use subgraph_common::GqlResultExt;
use subgraph_common::errors::to_graphql_error;
use subgraph_common::vocab::{Difficulty, Equipment, Goal};

pub use types::{
    Exercise, ExerciseConnectionFields, ExerciseFilter, ExerciseInput, ExerciseUpdateInput,
    MediaUrls, WorkoutTemplate,
};

use crate::error::ExercisesError;
use crate::listing::{self, Cursor};
use crate::loaders::{ExerciseLoader, LoadError};
use crate::service::{self, parse_id};
use crate::{editor, store};

/// `Exercise` pages: `edges { cursor node }`, `pageInfo`, `totalCount`.
pub type ExerciseConnection = Connection<
    ExerciseCursor,
    Exercise,
    ExerciseConnectionFields,
    EmptyFields,
    DefaultConnectionName,
    DefaultEdgeName,
    DisableNodesField,
>;

/// The opaque cursor of an exercise page.
pub struct ExerciseCursor(Cursor);

impl CursorType for ExerciseCursor {
    type Error = ExercisesError;

    fn decode_cursor(text: &str) -> Result<Self, Self::Error> {
        Cursor::decode(text).map(ExerciseCursor)
    }

    fn encode_cursor(&self) -> String {
        self.0.encode()
    }
}

pub(crate) fn shared_error(err: LoadError) -> async_graphql::Error {
    to_graphql_error(&*err)
}

fn db<'a>(ctx: &Context<'a>) -> async_graphql::Result<&'a DatabaseConnection> {
    ctx.data::<DatabaseConnection>()
}

async fn load_exercise(
    ctx: &Context<'_>,
    id: &ID,
    field: &str,
) -> async_graphql::Result<Option<Exercise>> {
    let id = parse_id(field, id).gql()?;
    let loader = ctx.data::<DataLoader<ExerciseLoader>>()?;
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
    async fn exercise(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<Exercise>> {
        load_exercise(ctx, &id, "id").await
    }

    /// The exercise with this slug, or null.
    async fn exercise_by_slug(
        &self,
        ctx: &Context<'_>,
        slug: String,
    ) -> async_graphql::Result<Option<Exercise>> {
        let record = store::exercise_by_slug(db(ctx)?, &slug).await.gql()?;
        Ok(record.map(Exercise::from))
    }

    /// The library in name order, filtered, a page at a time (`first` 1 to 1000).
    async fn exercises(
        &self,
        ctx: &Context<'_>,
        filter: Option<ExerciseFilter>,
        #[graphql(default_with = "Some(DEFAULT_PAGE_SIZE)")] first: Option<i32>,
        after: Option<String>,
    ) -> async_graphql::Result<ExerciseConnection> {
        let filter = filter.unwrap_or_default().into();
        let first = first.unwrap_or(DEFAULT_PAGE_SIZE);
        let page = listing::list(db(ctx)?, &filter, first, after.as_deref())
            .await
            .gql()?;
        let mut connection = Connection::with_additional_fields(
            after.is_some(),
            page.has_next_page,
            ExerciseConnectionFields {
                total_count: page.total_count,
            },
        );
        connection.edges.extend(
            page.exercises.into_iter().map(|record| {
                Edge::new(ExerciseCursor(Cursor::of(&record)), Exercise::from(record))
            }),
        );
        Ok(connection)
    }

    /// The best stand-ins for an exercise, best first: they share its main muscle and
    /// are never deprecated; `equipment` limits them to what is available.
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
}

pub struct Mutation;

#[Object]
impl Mutation {
    async fn create_exercise(
        &self,
        ctx: &Context<'_>,
        input: ExerciseInput,
    ) -> async_graphql::Result<Exercise> {
        let record = editor::create_exercise(db(ctx)?, input.into())
            .await
            .gql()?;
        Ok(Exercise(Arc::new(record)))
    }

    /// Changes only the fields given.
    async fn update_exercise(
        &self,
        ctx: &Context<'_>,
        id: ID,
        input: ExerciseUpdateInput,
    ) -> async_graphql::Result<Exercise> {
        let id = parse_id("id", &id).gql()?;
        let record = editor::update_exercise(db(ctx)?, id, input.into())
            .await
            .gql()?;
        Ok(Exercise(Arc::new(record)))
    }

    /// Hides the exercise from listings and alternatives; it keeps resolving by id.
    async fn deprecate_exercise(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Exercise> {
        let id = parse_id("id", &id).gql()?;
        let record = editor::deprecate_exercise(db(ctx)?, id).await.gql()?;
        Ok(Exercise(Arc::new(record)))
    }
}
