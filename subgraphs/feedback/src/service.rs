//! What the resolvers call: validation, then the caller check, then storage;
//! history, then signals. Writes act for the caller only: an input naming another
//! user is refused before anything is read.

use chrono::{DateTime, Utc};
use fitgraph_entities::feedback::{exercise_ratings, set_logs};
use sea_orm::DatabaseConnection;
use subgraph_common::catalog::{CatalogClient, DEFAULT_MAX_AGE};
use uuid::Uuid;

use crate::error::FeedbackError;
use crate::graphql::inputs::{CompleteWorkoutInput, LogSetInput, RateExerciseInput};
use crate::loaders::{HistoryKey, Loaders};
use crate::signals::{self, History, TrainingSignals};
use crate::store::{self, Completion};
use crate::validate;

pub async fn log_set(
    db: &DatabaseConnection,
    caller: Uuid,
    input: LogSetInput,
) -> Result<set_logs::Model, FeedbackError> {
    let new = validate::log_set(input, subgraph_common::clock::now())?;
    ensure_caller(caller, new.user_id)?;
    store::log_set(db, new).await
}

pub async fn complete_workout(
    db: &DatabaseConnection,
    caller: Uuid,
    input: CompleteWorkoutInput,
) -> Result<Completion, FeedbackError> {
    let new = validate::complete_workout(input, subgraph_common::clock::now())?;
    ensure_caller(caller, new.user_id)?;
    store::complete_workout(db, new).await
}

pub async fn rate_exercise(
    db: &DatabaseConnection,
    caller: Uuid,
    input: RateExerciseInput,
) -> Result<exercise_ratings::Model, FeedbackError> {
    let new = validate::rate_exercise(input)?;
    ensure_caller(caller, new.user_id)?;
    store::rate_exercise(db, new).await
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
