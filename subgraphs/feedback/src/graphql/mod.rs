//! The GraphQL face of the subgraph: thin resolvers over `service`.
//!
//! Every resolver works for the caller the gateway forwarded: it reads only the
//! caller's records, and writes may only name the caller as their user.

pub mod inputs;
pub mod types;

use async_graphql::{Context, ID, Object, Result};
use sea_orm::DatabaseConnection;
use subgraph_common::GqlResultExt;
use subgraph_common::access::require_user;

use crate::personal_data;
use crate::service;
use crate::validate;
use inputs::{CompleteWorkoutInput, LogSetInput, RateExerciseInput};
use types::{ExerciseRating, PersonalData, SetLog, User, Workout, WorkoutCompletion};

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

    /// Federation: what feedback holds about a user, for their data export. Another
    /// user's is null; an anonymous caller still gets the object, so that its
    /// `feedback` field can say UNAUTHENTICATED.
    #[graphql(entity)]
    async fn find_personal_data_by_user_id(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
    ) -> Result<Option<PersonalData>> {
        let user_id = validate::uuid("PersonalData.userId", &user_id).gql()?;
        match require_user(ctx) {
            Ok(caller) if caller != user_id => Ok(None),
            _ => Ok(Some(PersonalData { user_id })),
        }
    }
}

pub struct Mutation;

#[Object]
impl Mutation {
    /// Records one performed set of the caller. Retrying with the same idempotencyKey and
    /// payload returns the first result and writes nothing; another payload is a CONFLICT.
    async fn log_set(&self, ctx: &Context<'_>, input: LogSetInput) -> Result<SetLog> {
        let caller = require_user(ctx).gql()?;
        let db = ctx.data::<DatabaseConnection>()?;
        service::log_set(db, caller, input)
            .await
            .map(SetLog::from)
            .gql()
    }

    /// Marks a workout of the caller done with how each prescribed exercise went, all or
    /// nothing. A workout is completed once: completing it again under a new key is a
    /// CONFLICT. Idempotent under idempotencyKey like `logSet`.
    async fn complete_workout(
        &self,
        ctx: &Context<'_>,
        input: CompleteWorkoutInput,
    ) -> Result<WorkoutCompletion> {
        let caller = require_user(ctx).gql()?;
        let db = ctx.data::<DatabaseConnection>()?;
        service::complete_workout(db, caller, input)
            .await
            .map(WorkoutCompletion::from)
            .gql()
    }

    /// Records what the caller thinks of an exercise. Idempotent under idempotencyKey like
    /// `logSet`.
    async fn rate_exercise(
        &self,
        ctx: &Context<'_>,
        input: RateExerciseInput,
    ) -> Result<ExerciseRating> {
        let caller = require_user(ctx).gql()?;
        let db = ctx.data::<DatabaseConnection>()?;
        service::rate_exercise(db, caller, input)
            .await
            .map(ExerciseRating::from)
            .gql()
    }

    /// Deletes everything feedback holds about the caller, for account deletion; returns
    /// the number of rows removed (0 when there is nothing left). Only the profile
    /// subgraph calls it, so it is hidden from clients.
    #[graphql(inaccessible)]
    async fn purge_feedback_data(&self, ctx: &Context<'_>) -> Result<u64> {
        let caller = require_user(ctx).gql()?;
        personal_data::purge(ctx.data::<DatabaseConnection>()?, caller)
            .await
            .gql()
    }
}
