//! The GraphQL face of the plans subgraph: thin resolvers over `validate`,
//! `store` and the loaders.
//!
//! Every resolver works for the caller the gateway forwarded: objects of other
//! users read as missing, and writes may only name the caller as their user.

mod admin;
mod inputs;
mod live;
mod personal_data;
mod program;
pub mod recommendation;
pub mod snapshot;
mod user;
mod workout;

use async_graphql::{Context, ID, Json, MergedObject, Object, Result};
use fitgraph_entities::plans::workouts;
use sea_orm::DatabaseConnection;
use subgraph_common::GqlResultExt;
use subgraph_common::access::require_user;
use subgraph_common::clock;
use subgraph_common::events::{self, DomainEvent};
use subgraph_common::vocab::{Equipment, FitnessLevel, Goal, TimeOfDay};
use uuid::Uuid;

use crate::error::PlansError;
use crate::loaders;
use crate::store::{self, Owned, Transition};
use crate::validate::parse_id;
use snapshot::{RecoveryRepr, RequiredFields, SignalsRepr};

pub use inputs::{CreateProgramInput, ScheduleWorkoutInput, WorkoutExerciseInput};
pub use live::Subscription;
pub use personal_data::PersonalData;
pub use program::Program;
pub use user::User;
pub use workout::Workout;

/// Every root query field of plans.
#[derive(MergedObject, Default)]
pub struct Query(CoreQuery, admin::AdminQuery);

/// Every root mutation of plans.
#[derive(MergedObject, Default)]
pub struct Mutation(CoreMutation, admin::AdminMutation);

#[derive(Debug, Default, Clone, Copy)]
pub struct CoreQuery;

#[Object]
impl CoreQuery {
    /// A workout of the caller by id; null when there is none.
    async fn workout(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Workout>> {
        find_workout(ctx, &id).await
    }

    /// A program of the caller by id; null when there is none.
    async fn program(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Program>> {
        let key = owned_by_caller(ctx, &id)?;
        Ok(loaders::program(ctx, key).await?.map(Program))
    }

    #[graphql(entity)]
    async fn find_workout_by_id(&self, ctx: &Context<'_>, id: ID) -> Result<Option<Workout>> {
        find_workout(ctx, &id).await
    }

    /// Users live in the profile subgraph; plans only adds their workouts, programs and
    /// recommendations, which those fields show to the user themself only. The other
    /// arguments are the fields `todayWorkout` and `upcoming` require, when asked.
    #[graphql(entity)]
    #[allow(clippy::too_many_arguments)]
    async fn find_user_by_id(
        &self,
        #[graphql(key)] id: ID,
        primary_goal: Option<Json<Goal>>,
        fitness_level: Option<Json<FitnessLevel>>,
        days_per_week: Option<i32>,
        session_minutes: Option<i32>,
        preferred_time_of_day: Option<Json<TimeOfDay>>,
        equipment: Option<Json<Vec<Equipment>>>,
        recovery: Option<Json<RecoveryRepr>>,
        training_signals: Option<Json<SignalsRepr>>,
    ) -> Result<User> {
        let required = RequiredFields {
            goal: primary_goal.map(|json| json.0),
            level: fitness_level.map(|json| json.0),
            days_per_week,
            session_minutes,
            preferred_time: preferred_time_of_day.map(|json| json.0),
            equipment: equipment.map(|json| json.0),
            recovery: recovery.map(|json| json.0),
            signals: training_signals.map(|json| json.0),
        };
        Ok(User::with_required(parse_id("id", &id).gql()?, required))
    }

    /// Another user's data is null. An anonymous caller still gets the object, so
    /// that its `plans` field can say UNAUTHENTICATED.
    #[graphql(entity)]
    async fn find_personal_data_by_user_id(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
    ) -> Result<Option<PersonalData>> {
        let user_id = parse_id("userId", &user_id).gql()?;
        match require_user(ctx) {
            Ok(caller) if caller != user_id => Ok(None),
            _ => Ok(Some(PersonalData::new(user_id))),
        }
    }
}

/// The signed-in caller with the id `id` names, for a lookup among their own objects.
fn owned_by_caller(ctx: &Context<'_>, id: &ID) -> Result<Owned> {
    let user_id = require_user(ctx).gql()?;
    let id = parse_id("id", id).gql()?;
    Ok(Owned { user_id, id })
}

async fn find_workout(ctx: &Context<'_>, id: &ID) -> Result<Option<Workout>> {
    let key = owned_by_caller(ctx, id)?;
    Ok(loaders::workout(ctx, key).await?.map(Workout))
}

/// Refuses a write that names someone other than the caller as its user.
fn ensure_caller(caller: Uuid, user_id: Uuid) -> Result<(), PlansError> {
    if caller == user_id {
        Ok(())
    } else {
        Err(PlansError::NotTheCaller { field: "userId" })
    }
}

#[derive(Debug, Default, Clone, Copy)]
pub struct CoreMutation;

#[Object]
impl CoreMutation {
    /// Starts a program of the caller in its first week.
    async fn create_program(
        &self,
        ctx: &Context<'_>,
        input: CreateProgramInput,
    ) -> Result<Program> {
        let caller = require_user(ctx).gql()?;
        let new = input.validate().gql()?;
        ensure_caller(caller, new.user_id).gql()?;
        let program = store::create_program(ctx.data::<DatabaseConnection>()?, new)
            .await
            .gql()?;
        Ok(Program(program))
    }

    /// Schedules a PLANNED workout of the caller with its exercises; all of it is
    /// written or none.
    async fn schedule_workout(
        &self,
        ctx: &Context<'_>,
        input: ScheduleWorkoutInput,
    ) -> Result<Workout> {
        let caller = require_user(ctx).gql()?;
        let new = input.validate().gql()?;
        ensure_caller(caller, new.user_id).gql()?;
        let workout = store::schedule_workout(ctx.data::<DatabaseConnection>()?, new)
            .await
            .gql()?;
        Ok(Workout(workout))
    }

    /// PLANNED -> IN_PROGRESS, recording startedAt; `workoutProgress` subscribers see
    /// WORKOUT_STARTED.
    async fn start_workout(&self, ctx: &Context<'_>, workout_id: ID) -> Result<Workout> {
        transition(ctx, &workout_id, Transition::Start).await
    }

    /// PLANNED -> SKIPPED.
    async fn skip_workout(&self, ctx: &Context<'_>, workout_id: ID) -> Result<Workout> {
        transition(ctx, &workout_id, Transition::Skip).await
    }

    /// Deletes everything plans holds about the caller, for account deletion; returns
    /// the number of rows removed (0 when there is nothing left). Only the profile
    /// subgraph calls it, so it is hidden from clients.
    #[graphql(inaccessible)]
    async fn purge_plans_data(&self, ctx: &Context<'_>) -> Result<u64> {
        let caller = require_user(ctx).gql()?;
        crate::personal_data::purge(ctx.data::<DatabaseConnection>()?, caller)
            .await
            .gql()
    }
}

async fn transition(ctx: &Context<'_>, workout_id: &ID, transition: Transition) -> Result<Workout> {
    let user_id = require_user(ctx).gql()?;
    let id = parse_id("workoutId", workout_id).gql()?;
    let db = ctx.data::<DatabaseConnection>()?;
    let workout = store::transition_workout(db, Owned { user_id, id }, transition)
        .await
        .gql()?;
    announce_transition(ctx, db, &workout, transition).await;
    Ok(Workout(workout))
}

/// Tells live subscribers, after the change is stored: a start to the workout's
/// watchers, and any change of today's workout to its user's devices.
async fn announce_transition(
    ctx: &Context<'_>,
    db: &DatabaseConnection,
    workout: &workouts::Model,
    transition: Transition,
) {
    if let Transition::Start = transition {
        let event = DomainEvent::WorkoutStarted {
            user_id: workout.user_id,
            workout_id: workout.id,
            at: workout.started_at.unwrap_or_else(clock::now),
        };
        events::announce_in(ctx, &event).await;
    }
    if is_todays(db, workout).await {
        let reason = match transition {
            Transition::Start => crate::live::reasons::STARTED,
            Transition::Skip => crate::live::reasons::SKIPPED,
        };
        crate::live::announce_today_changed(ctx, workout, reason).await;
    }
}

/// Whether `workout` is the one `todayWorkout` shows its user today.
async fn is_todays(db: &DatabaseConnection, workout: &workouts::Model) -> bool {
    match crate::live::generated_workout(db, workout.user_id, clock::today()).await {
        Ok(todays) => todays == Some(workout.id),
        Err(error) => {
            tracing::warn!(%error, "cannot tell whether a workout is today's; not announced");
            false
        }
    }
}
