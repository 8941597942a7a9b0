//! DataLoaders: every read a resolver makes goes through one, so a list of N
//! parents costs one SELECT per table instead of N.
//!
//! The loaders are shared by every request and keep no cache, so nothing one user
//! read is ever served to another. Objects asked for by id are keyed by the asking
//! user as well ([`Owned`]); children (a workout's exercises, a program's workouts)
//! are only reached through a parent that was loaded that way.

use std::collections::HashMap;

use async_graphql::dataloader::Loader;
use async_graphql::{Context, ObjectType, SchemaBuilder, SubscriptionType};
use chrono::NaiveDate;
use fitgraph_entities::plans::{programs, recommendations, workout_exercises, workouts};
use sea_orm::DatabaseConnection;
use subgraph_common::GqlResultExt;
use subgraph_common::batching::Batched;
use uuid::Uuid;

use crate::error::{PlansError, Result};
use crate::store::{self, Owned};

/// Registers one loader per read on the schema being built.
pub fn register<Q, M, S>(
    builder: SchemaBuilder<Q, M, S>,
    db: &DatabaseConnection,
) -> SchemaBuilder<Q, M, S>
where
    Q: ObjectType + 'static,
    M: ObjectType + 'static,
    S: SubscriptionType + 'static,
{
    builder
        .data(loader(WorkoutById(db.clone())))
        .data(loader(ProgramById(db.clone())))
        .data(loader(ExercisesByWorkout(db.clone())))
        .data(loader(WorkoutsByProgram(db.clone())))
        .data(loader(ProgramsByUser(db.clone())))
        .data(loader(WorkoutsByUserWindow(db.clone())))
        .data(loader(RecommendationByWorkout(db.clone())))
}

fn loader<T: Send + Sync + 'static>(inner: T) -> Batched<T> {
    Batched::new(inner)
}

pub struct WorkoutById(DatabaseConnection);
pub struct ProgramById(DatabaseConnection);
pub struct ExercisesByWorkout(DatabaseConnection);
pub struct WorkoutsByProgram(DatabaseConnection);
pub struct ProgramsByUser(DatabaseConnection);
pub struct WorkoutsByUserWindow(DatabaseConnection);
pub struct RecommendationByWorkout(DatabaseConnection);

/// One user's workouts between two days, both inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorkoutWindow {
    pub user_id: Uuid,
    pub from: NaiveDate,
    pub to: NaiveDate,
}

impl Loader<Owned> for WorkoutById {
    type Value = workouts::Model;
    type Error = PlansError;

    async fn load(&self, keys: &[Owned]) -> Result<HashMap<Owned, Self::Value>> {
        store::workouts_owned(&self.0, keys).await
    }
}

impl Loader<Owned> for ProgramById {
    type Value = programs::Model;
    type Error = PlansError;

    async fn load(&self, keys: &[Owned]) -> Result<HashMap<Owned, Self::Value>> {
        store::programs_owned(&self.0, keys).await
    }
}

impl Loader<Uuid> for ExercisesByWorkout {
    type Value = Vec<workout_exercises::Model>;
    type Error = PlansError;

    async fn load(&self, workout_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>> {
        store::exercises_by_workout(&self.0, workout_ids).await
    }
}

impl Loader<Uuid> for WorkoutsByProgram {
    type Value = Vec<workouts::Model>;
    type Error = PlansError;

    async fn load(&self, program_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>> {
        store::workouts_by_program(&self.0, program_ids).await
    }
}

impl Loader<Uuid> for ProgramsByUser {
    type Value = Vec<programs::Model>;
    type Error = PlansError;

    async fn load(&self, user_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>> {
        store::programs_by_user(&self.0, user_ids).await
    }
}

impl Loader<WorkoutWindow> for WorkoutsByUserWindow {
    type Value = Vec<workouts::Model>;
    type Error = PlansError;

    /// One query per distinct window; the users of one request usually share one.
    async fn load(&self, keys: &[WorkoutWindow]) -> Result<HashMap<WorkoutWindow, Self::Value>> {
        let mut users_by_window: HashMap<(NaiveDate, NaiveDate), Vec<Uuid>> = HashMap::new();
        for key in keys {
            users_by_window
                .entry((key.from, key.to))
                .or_default()
                .push(key.user_id);
        }
        let mut found = HashMap::with_capacity(keys.len());
        for ((from, to), user_ids) in users_by_window {
            let mut by_user = store::workouts_by_user_between(&self.0, &user_ids, from, to).await?;
            for user_id in user_ids {
                let workouts = by_user.remove(&user_id).unwrap_or_default();
                found.insert(WorkoutWindow { user_id, from, to }, workouts);
            }
        }
        Ok(found)
    }
}

impl Loader<Uuid> for RecommendationByWorkout {
    type Value = recommendations::Model;
    type Error = PlansError;

    async fn load(&self, workout_ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>> {
        crate::recommend::recommendations_by_workout(&self.0, workout_ids)
            .await
            .map_err(|err| PlansError::CorruptRow(err.to_string()))
    }
}

/// How a generated workout came about; none for a workout the user scheduled.
pub async fn recommendation_of(
    ctx: &Context<'_>,
    workout_id: Uuid,
) -> async_graphql::Result<Option<recommendations::Model>> {
    ctx.data::<Batched<RecommendationByWorkout>>()?
        .load_one(workout_id)
        .await
        .gql()
}

/// The workout `key.id` if `key.user_id` owns it.
pub async fn workout(
    ctx: &Context<'_>,
    key: Owned,
) -> async_graphql::Result<Option<workouts::Model>> {
    ctx.data::<Batched<WorkoutById>>()?
        .load_one(key)
        .await
        .gql()
}

/// The program `key.id` if `key.user_id` owns it.
pub async fn program(
    ctx: &Context<'_>,
    key: Owned,
) -> async_graphql::Result<Option<programs::Model>> {
    ctx.data::<Batched<ProgramById>>()?
        .load_one(key)
        .await
        .gql()
}

pub async fn exercises_of(
    ctx: &Context<'_>,
    workout_id: Uuid,
) -> async_graphql::Result<Vec<workout_exercises::Model>> {
    let found = ctx
        .data::<Batched<ExercisesByWorkout>>()?
        .load_one(workout_id)
        .await
        .gql()?;
    Ok(found.unwrap_or_default())
}

pub async fn workouts_of_program(
    ctx: &Context<'_>,
    program_id: Uuid,
) -> async_graphql::Result<Vec<workouts::Model>> {
    let found = ctx
        .data::<Batched<WorkoutsByProgram>>()?
        .load_one(program_id)
        .await
        .gql()?;
    Ok(found.unwrap_or_default())
}

pub async fn programs_of_user(
    ctx: &Context<'_>,
    user_id: Uuid,
) -> async_graphql::Result<Vec<programs::Model>> {
    let found = ctx
        .data::<Batched<ProgramsByUser>>()?
        .load_one(user_id)
        .await
        .gql()?;
    Ok(found.unwrap_or_default())
}

pub async fn workouts_in(
    ctx: &Context<'_>,
    window: WorkoutWindow,
) -> async_graphql::Result<Vec<workouts::Model>> {
    let found = ctx
        .data::<Batched<WorkoutsByUserWindow>>()?
        .load_one(window)
        .await
        .gql()?;
    Ok(found.unwrap_or_default())
}
