//! The GraphQL face of the subgraph: thin resolvers over `service`.

pub mod inputs;
pub mod types;

use async_graphql::{Context, ID, Object, Result};
use sea_orm::DatabaseConnection;
use subgraph_common::GqlResultExt;

use crate::service;
use crate::validate;
use inputs::{CompleteWorkoutInput, LogSetInput, RateExerciseInput};
use types::{ExerciseRating, SetLog, User, Workout, WorkoutCompletion};

pub struct Query;

#[Object]
impl Query {
    /// Federation: the fields this subgraph adds to `User`.
    #[graphql(entity)]
    async fn find_user_by_id(&self, id: ID) -> Result<User> {
        Ok(User {
            id: validate::uuid("User.id", &id).gql()?,
        })
    }

    /// Federation: the fields this subgraph adds to `Workout`.
    #[graphql(entity)]
    async fn find_workout_by_id(&self, id: ID) -> Result<Workout> {
        Ok(Workout {
            id: validate::uuid("Workout.id", &id).gql()?,
        })
    }
}

pub struct Mutation;

#[Object]
impl Mutation {
    /// Records one performed set. Retrying with the same idempotencyKey and payload
    /// returns the first result and writes nothing; another payload is a CONFLICT.
    async fn log_set(&self, ctx: &Context<'_>, input: LogSetInput) -> Result<SetLog> {
        let db = ctx.data::<DatabaseConnection>()?;
        service::log_set(db, input).await.map(SetLog::from).gql()
    }

    /// Marks a workout done with how each prescribed exercise went, all or nothing. A
    /// workout is completed once: completing it again under a new key is a CONFLICT.
    /// Idempotent under idempotencyKey like `logSet`.
    async fn complete_workout(
        &self,
        ctx: &Context<'_>,
        input: CompleteWorkoutInput,
    ) -> Result<WorkoutCompletion> {
        let db = ctx.data::<DatabaseConnection>()?;
        service::complete_workout(db, input)
            .await
            .map(WorkoutCompletion::from)
            .gql()
    }

    /// Records what the user thinks of an exercise. Idempotent under idempotencyKey like `logSet`.
    async fn rate_exercise(
        &self,
        ctx: &Context<'_>,
        input: RateExerciseInput,
    ) -> Result<ExerciseRating> {
        let db = ctx.data::<DatabaseConnection>()?;
        service::rate_exercise(db, input)
            .await
            .map(ExerciseRating::from)
            .gql()
    }
}
