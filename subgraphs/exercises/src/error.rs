//! The errors of the exercises subgraph and the client-facing code each maps to.

use sea_orm::{DbErr, SqlErr};
use subgraph_common::{CodedError, ErrorCode};

#[derive(Debug, thiserror::Error)]
pub enum ExercisesError {
    /// The caller sent something out of range or malformed; the text says what and why.
    #[error("{0}")]
    InvalidInput(String),
    #[error("{0}")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    /// A stored row no longer parses (e.g. a vocabulary value was renamed).
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
}

impl CodedError for ExercisesError {
    fn code(&self) -> ErrorCode {
        match self {
            ExercisesError::InvalidInput(_) => ErrorCode::BadUserInput,
            ExercisesError::NotFound(_) => ErrorCode::NotFound,
            ExercisesError::Conflict(_) => ErrorCode::Conflict,
            ExercisesError::Database(_) | ExercisesError::Corrupt(_) => ErrorCode::Internal,
        }
    }
}

impl ExercisesError {
    pub(crate) fn invalid(message: impl Into<String>) -> Self {
        ExercisesError::InvalidInput(message.into())
    }

    pub(crate) fn exercise_not_found(id: uuid::Uuid) -> Self {
        ExercisesError::NotFound(format!("no exercise with id {id}"))
    }

    /// A slug clash is the caller's doing and reported as such; any other database
    /// failure stays internal.
    pub(crate) fn from_slug_write(err: DbErr, slug: &str) -> Self {
        match err.sql_err() {
            Some(SqlErr::UniqueConstraintViolation(_)) => {
                ExercisesError::Conflict(format!("an exercise with slug `{slug}` already exists"))
            }
            _ => ExercisesError::Database(err),
        }
    }
}
