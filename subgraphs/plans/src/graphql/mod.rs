//! The GraphQL face of the plans subgraph: thin resolvers over `validate`,
//! `store` and the loaders.

mod inputs;
mod program;
mod user;
mod workout;

use async_graphql::{Context, ID, Object, Result};
use sea_orm::DatabaseConnection;
use subgraph_common::GqlResultExt;

use crate::loaders;
use crate::store::{self, Transition};
use crate::validate::parse_id;

pub use inputs::{CreateProgramInput, ScheduleWorkoutInput, WorkoutExerciseInput};
pub use program::Program;
pub use user::User;
pub use workout::Workout;

#[derive(Debug, Default, Clone, Copy)]
pub struct Query;

#[Object]
impl Query {
    /// A workout by id; null when there is none.
    async fn workout(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Workout>> {
        find_workout(ctx, &id).await
    }

    /// A program by id; null when there is none.
    async fn program(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Program>> {
        let id = parse_id("id", &id).gql()?;
        Ok(loaders::program(ctx, id).await?.map(Program))
    }

    #[graphql(entity)]
    async fn find_workout_by_id(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Workout>> {
        find_workout(ctx, &id).await
    }

    /// Users live in the profile subgraph; plans only adds their workouts and programs.
    #[graphql(entity)]
    async fn find_user_by_id(&self, id: ID) -> Result<User> {
        Ok(User::new(parse_id("id", &id).gql()?))
    }
}

async fn find_workout(ctx: &Context<'_>, id: &ID) -> Result<Option<Workout>> {
    let id = parse_id("id", id).gql()?;
    Ok(loaders::workout(ctx, id).await?.map(Workout))
}

#[derive(Debug, Default, Clone, Copy)]
pub struct Mutation;

#[Object]
impl Mutation {
    /// Starts a program in its first week.
    async fn create_program(
        &self,
        ctx: &Context<'_>,
        input: CreateProgramInput,
    ) -> Result<Program> {
        let new = input.validate().gql()?;
        let program = store::create_program(ctx.data::<DatabaseConnection>()?, new)
            .await
            .gql()?;
        Ok(Program(program))
    }

    /// Schedules a PLANNED workout with its exercises; all of it is written or none.
    async fn schedule_workout(
        &self,
        ctx: &Context<'_>,
        input: ScheduleWorkoutInput,
    ) -> Result<Workout> {
        let new = input.validate().gql()?;
        let workout = store::schedule_workout(ctx.data::<DatabaseConnection>()?, new)
            .await
            .gql()?;
        Ok(Workout(workout))
    }

    /// PLANNED -> IN_PROGRESS, recording startedAt.
    async fn start_workout(&self, ctx: &Context<'_>, workout_id: ID) -> Result<Workout> {
        transition(ctx, &workout_id, Transition::Start).await
    }

    /// PLANNED -> SKIPPED.
    async fn skip_workout(&self, ctx: &Context<'_>, workout_id: ID) -> Result<Workout> {
        transition(ctx, &workout_id, Transition::Skip).await
    }
}

async fn transition(ctx: &Context<'_>, workout_id: &ID, transition: Transition) -> Result<Workout> {
    let id = parse_id("workoutId", workout_id).gql()?;
    let workout = store::transition_workout(ctx.data::<DatabaseConnection>()?, id, transition)
        .await
        .gql()?;
    Ok(Workout(workout))
}
