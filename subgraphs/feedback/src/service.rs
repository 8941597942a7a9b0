//! What the resolvers call: validation, then the caller check, then storage, then the
//! announcement on the event bus; history, then signals. Writes act for the caller
//! only: an input naming another user is refused before anything is read.
//!
//! Announcements follow the commit and only a write that happened is announced, so an
//! idempotent replay tells nobody twice.

use chrono::{DateTime, Utc};
use fitgraph_entities::feedback::{exercise_ratings, set_logs};
use sea_orm::DatabaseConnection;
use subgraph_common::catalog::{CatalogClient, DEFAULT_MAX_AGE};
use subgraph_common::clock;
use subgraph_common::events::{self, DomainEvent, EventBus};
use uuid::Uuid;

use crate::error::FeedbackError;
use crate::graphql::inputs::{CompleteWorkoutInput, LogSetInput, RateExerciseInput};
use crate::loaders::{HistoryKey, Loaders};
use crate::set_writer::SetLogWriter;
use crate::signals::{self, History, TrainingSignals};
use crate::store::{self, Completion, Stored};
use crate::validate;

pub async fn log_set(
    writer: &SetLogWriter,
    bus: &dyn EventBus,
    caller: Uuid,
    input: LogSetInput,
) -> Result<set_logs::Model, FeedbackError> {
    let new = validate::log_set(input, clock::now())?;
    ensure_caller(caller, new.user_id)?;
    let logged = writer.log(new).await?;
    count_ingested("set_logged", matches!(logged.stored, Stored::Written(_)));
    if let (Stored::Written(row), Some(sets_logged)) = (&logged.stored, logged.sets_logged) {
        announce_set(bus, row, sets_logged).await;
    }
    Ok(logged.stored.into_inner())
}

/// A stored write whose count could not be read is not announced: the write stands.
async fn announce_set(bus: &dyn EventBus, row: &set_logs::Model, sets_logged: u64) {
    let sets_logged = u32::try_from(sets_logged).unwrap_or(u32::MAX);
    let event = DomainEvent::SetLogged {
        user_id: row.user_id,
        workout_id: row.workout_id,
        exercise_id: row.exercise_id,
        // Validation keeps these non-negative.
        set_index: row.set_index.unsigned_abs(),
        reps: row.reps.unsigned_abs(),
        load_kg: row.load_kg,
        reps_in_reserve: row.reps_in_reserve.map(i32::unsigned_abs),
        sets_logged,
        at: clock::now(),
    };
    events::announce(bus, &event).await;
}

pub async fn complete_workout(
    db: &DatabaseConnection,
    bus: &dyn EventBus,
    caller: Uuid,
    input: CompleteWorkoutInput,
) -> Result<Completion, FeedbackError> {
    let new = validate::complete_workout(input, clock::now())?;
    ensure_caller(caller, new.user_id)?;
    let stored = store::complete_workout(db, new).await?;
    count_ingested("workout_completed", matches!(stored, Stored::Written(_)));
    if let Stored::Written(completion) = &stored {
        let (user_id, workout_id) = (completion.row.user_id, completion.row.workout_id);
        if let Some(sets_logged) = sets_logged_for_announcement(db, user_id, workout_id).await {
            let event = DomainEvent::WorkoutCompleted {
                user_id,
                workout_id,
                sets_logged,
                at: clock::now(),
            };
            events::announce(bus, &event).await;
        }
    }
    Ok(stored.into_inner())
}

/// The count a stored write's announcement carries. The write stands whatever
/// happens here, so a failure only costs the announcement.
async fn sets_logged_for_announcement(
    db: &DatabaseConnection,
    user_id: Uuid,
    workout_id: Uuid,
) -> Option<u32> {
    match store::sets_logged(db, user_id, workout_id).await {
        Ok(count) => Some(u32::try_from(count).unwrap_or(u32::MAX)),
        Err(error) => {
            tracing::warn!(%error, %workout_id, "cannot count the sets logged; the write is not announced");
            None
        }
    }
}

pub async fn rate_exercise(
    db: &DatabaseConnection,
    caller: Uuid,
    input: RateExerciseInput,
) -> Result<exercise_ratings::Model, FeedbackError> {
    let new = validate::rate_exercise(input)?;
    ensure_caller(caller, new.user_id)?;
    let rated = store::rate_exercise(db, new).await?;
    count_ingested("exercise_rated", true);
    Ok(rated)
}

/// Feedback events acknowledged, by kind; a retried write already stored counts
/// as a replay, not a new event (the ingest rate is this counter's rate).
fn count_ingested(kind: &'static str, new: bool) {
    let result = if new { "stored" } else { "replayed" };
    metrics::counter!("fitgraph_feedback_events_total", "kind" => kind, "result" => result)
        .increment(1);
}

fn ensure_caller(caller: Uuid, user_id: Uuid) -> Result<(), FeedbackError> {
    if caller == user_id {
        Ok(())
    } else {
        Err(FeedbackError::NotTheCaller { field: "userId" })
    }
}

/// `user_id`'s signals as of `as_of`, as `caller` may see them: another user's are
/// those of someone without history, computed without reading theirs. The catalog is
/// only consulted (and loaded on first use) when there is history to interpret.
pub async fn training_signals(
    loaders: &Loaders,
    catalog: &CatalogClient,
    caller: Uuid,
    user_id: Uuid,
    as_of: DateTime<Utc>,
) -> Result<TrainingSignals, FeedbackError> {
    if caller != user_id {
        return Ok(signals::compute(
            &History::default(),
            &Default::default(),
            as_of,
        ));
    }
    let history = loaders.history(HistoryKey { user_id, as_of }).await?;
    if history.is_empty() {
        return Ok(signals::compute(&history, &Default::default(), as_of));
    }
    let exercises = catalog.ensure_fresh(DEFAULT_MAX_AGE).await?;
    Ok(signals::compute(&history, &exercises, as_of))
}
