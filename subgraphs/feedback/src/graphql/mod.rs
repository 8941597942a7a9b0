//! The GraphQL face of the subgraph: thin resolvers over `service`.
//!
//! Every resolver works for the caller the gateway forwarded: it reads only the
//! caller's records, and writes may only name the caller as their user. The one
//! exception, `trainingOutcomes`, reads everyone's and is for services with the `admin`
//! scope only.

pub mod date;
pub mod inputs;
pub mod outcomes;
pub mod signals;
pub mod types;

use std::sync::Arc;

use async_graphql::{Context, ID, Object, Result};
use sea_orm::DatabaseConnection;
use subgraph_common::GqlResultExt;
use subgraph_common::access::{require_scope, require_user, scopes};
use subgraph_common::events::EventBus;

use crate::outcomes as feed;
use crate::personal_data;
use crate::set_writer::SetLogWriter;
use crate::validate;
use crate::{live, service};
use inputs::{
    CompleteWorkoutInput, FinishExerciseInput, LogSetInput, RateExerciseInput, StartRestInput,
};
use outcomes::TrainingOutcomePage;
use types::{ExerciseRating, LiveEvent, PersonalData, SetLog, User, Workout, WorkoutCompletion};

fn event_bus<'a>(ctx: &Context<'a>) -> Result<&'a dyn EventBus> {
    Ok(ctx.data::<Arc<dyn EventBus>>()?.as_ref())
}

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

    /// Every user's completed workouts with how each exercise went, for model training
    /// and experiment analysis; needs the `admin` scope. Ordered by when they were
    /// recorded: a completion recorded later always comes after every cursor handed out
    /// before, so keeping the last `endCursor` reads each completion once. A completion
    /// is listed once it is 30 seconds old. `first`: 1-1000.
    #[graphql(inaccessible)]
    async fn training_outcomes(
        &self,
        ctx: &Context<'_>,
        after: Option<String>,
        #[graphql(default_with = "Some(feed::DEFAULT_PAGE_SIZE)")] first: Option<i32>,
    ) -> Result<TrainingOutcomePage> {
        require_scope(ctx, scopes::ADMIN).gql()?;
        let first = feed::page_size(first).gql()?;
        let db = ctx.data::<DatabaseConnection>()?;
        let now = subgraph_common::clock::now();
        feed::page(db, after.as_deref(), first, now)
            .await
            .map(TrainingOutcomePage::from)
            .gql()
    }
}

pub struct Mutation;

#[Object]
impl Mutation {
    /// Records one performed set of the caller. Retrying with the same idempotencyKey and
    /// payload returns the first result and writes nothing; another payload is a CONFLICT.
    /// The workout's live subscribers see the set once, when it is written.
    async fn log_set(&self, ctx: &Context<'_>, input: LogSetInput) -> Result<SetLog> {
        let caller = require_user(ctx).gql()?;
        let writer = ctx.data::<SetLogWriter>()?;
        service::log_set(writer, event_bus(ctx)?, caller, input)
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
        service::complete_workout(db, event_bus(ctx)?, caller, input)
            .await
            .map(WorkoutCompletion::from)
            .gql()
    }

    /// Starts a rest in the caller's live workout. Nothing is stored: the workout's
    /// live subscribers see REST_STARTED.
    async fn start_rest(&self, ctx: &Context<'_>, input: StartRestInput) -> Result<LiveEvent> {
        let caller = require_user(ctx).gql()?;
        let db = ctx.data::<DatabaseConnection>()?;
        let at = live::start_rest(db, event_bus(ctx)?, caller, input)
            .await
            .gql()?;
        Ok(LiveEvent { at })
    }

    /// Ends the rest under way in the caller's live workout (REST_ENDED). Nothing is stored.
    async fn end_rest(&self, ctx: &Context<'_>, workout_id: ID) -> Result<LiveEvent> {
        let caller = require_user(ctx).gql()?;
        let db = ctx.data::<DatabaseConnection>()?;
        let at = live::end_rest(db, event_bus(ctx)?, caller, &workout_id)
            .await
            .gql()?;
        Ok(LiveEvent { at })
    }

    /// Marks an exercise of the caller's live workout done or skipped
    /// (EXERCISE_COMPLETED / EXERCISE_SKIPPED). Nothing is stored: `completeWorkout`
    /// records how each exercise went.
    async fn finish_exercise(
        &self,
        ctx: &Context<'_>,
        input: FinishExerciseInput,
    ) -> Result<LiveEvent> {
        let caller = require_user(ctx).gql()?;
        let db = ctx.data::<DatabaseConnection>()?;
        let at = live::finish_exercise(db, event_bus(ctx)?, caller, input)
            .await
            .gql()?;
        Ok(LiveEvent { at })
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
