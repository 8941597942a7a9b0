//! What can go wrong while recommending, training or analysing experiments.

use std::sync::Arc;

use sea_orm::DbErr;
use subgraph_common::{AccessError, CodedError, ErrorCode};

#[derive(Debug, Clone, thiserror::Error)]
pub enum RecommendError {
    /// The gateway did not send what `@requires` asks for: a planning or routing fault.
    #[error("the user snapshot is missing `{0}`; todayWorkout must be asked through the gateway")]
    SnapshotMissing(&'static str),
    #[error("the snapshot's {field} is invalid: {reason}")]
    SnapshotInvalid { field: &'static str, reason: String },
    #[error("the exercise library is unavailable: {0}")]
    Library(String),
    #[error("cannot build a workout: {0}")]
    Rules(String),
    #[error("the feedback subgraph's outcomes cannot be read: {0}")]
    Feed(String),
    #[error("training failed: {0}")]
    Training(String),
    #[error("{field} must be between {min} and {max} (got {got})")]
    OutOfRange {
        field: &'static str,
        min: i64,
        max: i64,
        got: i64,
    },
    #[error("experiment `{0}` does not exist")]
    UnknownExperiment(String),
    #[error("invalid experiment: {0}")]
    InvalidExperiment(String),
    #[error(transparent)]
    Access(#[from] AccessError),
    #[error("database error: {0}")]
    Database(#[source] Arc<DbErr>),
    #[error("stored data is invalid: {0}")]
    CorruptRow(String),
}

impl From<DbErr> for RecommendError {
    fn from(err: DbErr) -> Self {
        RecommendError::Database(Arc::new(err))
    }
}

impl CodedError for RecommendError {
    fn code(&self) -> ErrorCode {
        match self {
            RecommendError::OutOfRange { .. } | RecommendError::InvalidExperiment(_) => {
                ErrorCode::BadUserInput
            }
            RecommendError::UnknownExperiment(_) => ErrorCode::NotFound,
            RecommendError::Access(err) => err.code(),
            RecommendError::SnapshotMissing(_)
            | RecommendError::SnapshotInvalid { .. }
            | RecommendError::Library(_)
            | RecommendError::Rules(_)
            | RecommendError::Feed(_)
            | RecommendError::Training(_)
            | RecommendError::Database(_)
            | RecommendError::CorruptRow(_) => ErrorCode::Internal,
        }
    }
}

pub type Result<T, E = RecommendError> = std::result::Result<T, E>;
