//! What the resolvers call: validation, then storage; history, then signals.

use chrono::{DateTime, Utc};
use fitgraph_entities::feedback::{exercise_ratings, set_logs};
use sea_orm::DatabaseConnection;
use subgraph_common::catalog::{CatalogClient, DEFAULT_MAX_AGE};
use uuid::Uuid;

use crate::error::FeedbackError;
use crate::graphql::inputs::{CompleteWorkoutInput, LogSetInput, RateExerciseInput};
use crate::loaders::{HistoryKey, Loaders};
use crate::signals::{self, TrainingSignals};
use crate::store::{self, Completion};
use crate::validate;

pub async fn log_set(
    db: &DatabaseConnection,
    input: LogSetInput,
) -> Result<set_logs::Model, FeedbackError> {
    store::log_set(db, validate::log_set(input, Utc::now())?).await
}

pub async fn complete_workout(
    db: &DatabaseConnection,
    input: CompleteWorkoutInput,
) -> Result<Completion, FeedbackError> {
    store::complete_workout(db, validate::complete_workout(input, Utc::now())?).await
}

pub async fn rate_exercise(
    db: &DatabaseConnection,
    input: RateExerciseInput,
) -> Result<exercise_ratings::Model, FeedbackError> {
    store::rate_exercise(db, validate::rate_exercise(input)?).await
}

/// One user's signals as of `as_of`. The catalog is only consulted (and loaded on first
/// use) when the user has history to interpret.
pub async fn training_signals(
    loaders: &Loaders,
    catalog: &CatalogClient,
    user_id: Uuid,
    as_of: DateTime<Utc>,
) -> Result<TrainingSignals, FeedbackError> {
    let history = loaders.history(HistoryKey { user_id, as_of }).await?;
    if history.is_empty() {
        return Ok(signals::compute(&history, &Default::default(), as_of));
    }
    let exercises = catalog.ensure_fresh(DEFAULT_MAX_AGE).await?;
    Ok(signals::compute(&history, &exercises, as_of))
}
