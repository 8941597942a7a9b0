//! Live-screen actions: a rest starting or ending, an exercise finished or skipped.
//! Nothing is stored; each is announced to the workout's subscribers (plans'
//! `workoutProgress`) with how many sets the caller has logged in it so far.

use async_graphql::ID;
use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;
use subgraph_common::clock;
use subgraph_common::events::{self, DomainEvent, EventBus};
use uuid::Uuid;

use crate::error::FeedbackError;
use crate::graphql::inputs::{FinishExerciseInput, StartRestInput};
use crate::store;
use crate::validate;

/// Announces a rest starting in the caller's live workout; returns when it started.
pub async fn start_rest(
    db: &DatabaseConnection,
    bus: &dyn EventBus,
    caller: Uuid,
    input: StartRestInput,
) -> Result<DateTime<Utc>, FeedbackError> {
    let rest = validate::start_rest(input)?;
    let sets_logged = live_workout(db, caller, rest.workout_id).await?;
    let at = clock::now();
    let event = DomainEvent::RestStarted {
        user_id: caller,
        workout_id: rest.workout_id,
        exercise_id: rest.exercise_id,
        seconds: rest.seconds,
        sets_logged,
        at,
    };
    events::announce(bus, &event).await;
    Ok(at)
}

/// Announces the end of the rest under way in the caller's live workout.
pub async fn end_rest(
    db: &DatabaseConnection,
    bus: &dyn EventBus,
    caller: Uuid,
    workout_id: &ID,
) -> Result<DateTime<Utc>, FeedbackError> {
    let workout_id = validate::uuid("workoutId", workout_id)?;
    let sets_logged = live_workout(db, caller, workout_id).await?;
    let at = clock::now();
    let event = DomainEvent::RestEnded {
        user_id: caller,
        workout_id,
        sets_logged,
        at,
    };
    events::announce(bus, &event).await;
    Ok(at)
}

/// Announces that the caller finished (or skipped) an exercise of their live workout.
pub async fn finish_exercise(
    db: &DatabaseConnection,
    bus: &dyn EventBus,
    caller: Uuid,
    input: FinishExerciseInput,
) -> Result<DateTime<Utc>, FeedbackError> {
    let finished = validate::finish_exercise(input)?;
    let sets_logged = live_workout(db, caller, finished.workout_id).await?;
    let at = clock::now();
    let event = DomainEvent::ExerciseFinished {
        user_id: caller,
        workout_id: finished.workout_id,
        exercise_id: finished.exercise_id,
        skipped: finished.skipped,
        sets_logged,
        at,
    };
    events::announce(bus, &event).await;
    Ok(at)
}

/// How many sets the caller has logged in `workout_id`, which must not be another
/// user's (that reads as "not found", as it does for stored writes).
async fn live_workout(
    db: &DatabaseConnection,
    caller: Uuid,
    workout_id: Uuid,
) -> Result<u32, FeedbackError> {
    store::ensure_not_anothers_workout(db, workout_id, caller).await?;
    let count = store::sets_logged(db, caller, workout_id).await?;
    Ok(u32::try_from(count).unwrap_or(u32::MAX))
}
