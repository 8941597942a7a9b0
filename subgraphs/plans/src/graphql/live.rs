//! Subscriptions: a workout as it happens, and word that today's workout changed.
//! Both check the caller when they start, so a refused subscription is an error, never
//! a stream that stays silent.

use std::sync::Arc;

use async_graphql::{Context, ID, Result, SimpleObject, Subscription as GqlSubscription};
use chrono::{DateTime, Utc};
use futures::{Stream, StreamExt};
use sea_orm::DatabaseConnection;
use subgraph_common::GqlResultExt;
use subgraph_common::access::require_user;
use subgraph_common::events::EventBus;

use crate::graphql::workout::{Exercise, WorkoutExercise};
use crate::live::{self, ProgressWatch, TodayWatch, WorkoutProgressKind};
use crate::store::Owned;
use crate::types::Date;
use crate::validate::parse_id;

#[derive(Debug, Default, Clone, Copy)]
pub struct Subscription;

#[GqlSubscription]
impl Subscription {
    /// What happens in one of the caller's workouts, in order, until it is completed.
    /// NOT_FOUND for an unknown workout and for another user's alike. An item with the
    /// error code EVENTS_MISSED says updates were lost (the stream goes on): re-read
    /// the workout.
    async fn workout_progress(
        &self,
        ctx: &Context<'_>,
        workout_id: ID,
    ) -> Result<impl Stream<Item = Result<WorkoutProgress>>> {
        let user_id = require_user(ctx).gql()?;
        let id = parse_id("workoutId", &workout_id).gql()?;
        let bus = event_bus(ctx)?;
        let watch = ProgressWatch::open(db(ctx)?, bus.as_ref(), Owned { user_id, id })
            .await
            .gql()?;
        Ok(watch
            .into_stream()
            .map(|item| item.map(WorkoutProgress::from).gql()))
    }

    /// Fires when the caller's workout for today is generated, regenerated, started,
    /// skipped or completed, and when their profile changes in a way that may change
    /// it: re-fetch `todayWorkout` then.
    async fn today_workout_changed(
        &self,
        ctx: &Context<'_>,
    ) -> Result<impl Stream<Item = Result<TodayWorkoutChange>>> {
        let user_id = require_user(ctx).gql()?;
        let watch = TodayWatch::open(db(ctx)?, event_bus(ctx)?.clone(), user_id)
            .await
            .gql()?;
        Ok(watch
            .into_stream()
            .map(|item| item.map(TodayWorkoutChange::from).gql()))
    }
}

fn db<'a>(ctx: &Context<'a>) -> Result<&'a DatabaseConnection> {
    ctx.data::<DatabaseConnection>()
}

fn event_bus<'a>(ctx: &Context<'a>) -> Result<&'a Arc<dyn EventBus>> {
    ctx.data::<Arc<dyn EventBus>>()
}

/// One step of a live workout.
#[derive(SimpleObject)]
pub struct WorkoutProgress {
    kind: WorkoutProgressKind,
    workout_id: ID,
    at: DateTime<Utc>,
    /// Seconds since the workout's startedAt; 0 while it has not started.
    elapsed_seconds: i32,
    /// The exercise the step is about; null for steps about the whole workout.
    exercise: Option<Exercise>,
    /// For SET_LOGGED: the set's number within its exercise (1 for the first).
    set_number: Option<i32>,
    /// For SET_LOGGED.
    reps: Option<i32>,
    /// For SET_LOGGED: external load in kilograms, 0 for bodyweight.
    load_kg: Option<f64>,
    /// For SET_LOGGED, when the user said.
    reps_in_reserve: Option<i32>,
    /// For REST_STARTED: how long the rest is meant to last.
    rest_seconds: Option<i32>,
    /// Sets logged in this workout so far, this one included.
    sets_logged: i32,
    /// The exercise after `exercise` in the workout's order (the first one on
    /// WORKOUT_STARTED); null after the last.
    next_exercise: Option<WorkoutExercise>,
}

impl From<live::Progress> for WorkoutProgress {
    fn from(progress: live::Progress) -> WorkoutProgress {
        WorkoutProgress {
            kind: progress.kind,
            workout_id: ID::from(progress.workout_id),
            at: progress.at,
            elapsed_seconds: saturating_i32(progress.elapsed_seconds),
            exercise: progress.exercise_id.map(|id| Exercise { id: ID::from(id) }),
            set_number: progress.set_number.map(i64::from).map(saturating_i32),
            reps: progress.reps.map(i64::from).map(saturating_i32),
            load_kg: progress.load_kg,
            reps_in_reserve: progress.reps_in_reserve.map(i64::from).map(saturating_i32),
            rest_seconds: progress.rest_seconds.map(i64::from).map(saturating_i32),
            sets_logged: saturating_i32(i64::from(progress.sets_logged)),
            next_exercise: progress.next_exercise.map(WorkoutExercise),
        }
    }
}

/// Events come off a shared bus; an absurd number shows as the largest Int, not a failure.
fn saturating_i32(value: i64) -> i32 {
    i32::try_from(value).unwrap_or(if value < 0 { i32::MIN } else { i32::MAX })
}

/// Today's workout changed: re-fetch `todayWorkout`.
#[derive(SimpleObject)]
pub struct TodayWorkoutChange {
    /// The day whose workout changed.
    date: Date,
    /// The workout concerned; null when the change may replace it (a profile change).
    workout_id: Option<ID>,
    /// GENERATED, REGENERATED, STARTED, SKIPPED, COMPLETED or PROFILE_CHANGED.
    reason: String,
}

impl From<live::TodayChange> for TodayWorkoutChange {
    fn from(change: live::TodayChange) -> TodayWorkoutChange {
        TodayWorkoutChange {
            date: Date(change.date),
            workout_id: change.workout_id.map(ID::from),
            reason: change.reason,
        }
    }
}
