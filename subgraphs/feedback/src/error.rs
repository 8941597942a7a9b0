//! Everything that can go wrong in the feedback subgraph, each with its client-facing code.

use std::fmt::Display;
use std::sync::Arc;

use sea_orm::{DbErr, SqlErr};
use subgraph_common::catalog::CatalogError;
use subgraph_common::{AccessError, CodedError, ErrorCode};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum FeedbackError {
    /// Input out of range or malformed; the message names the field and what is allowed.
    #[error("{0}")]
    InvalidInput(String),
    #[error(
        "idempotencyKey `{key}` was already used for a different {operation}; \
         send a new key for a new write, or the original payload to retry"
    )]
    KeyReused {
        key: String,
        operation: &'static str,
    },
    #[error("workout {0} is already completed")]
    AlreadyCompleted(Uuid),
    /// Also what another user's workout is, so its existence never shows.
    #[error("workout {0} does not exist")]
    WorkoutNotFound(Uuid),
    #[error(transparent)]
    Access(#[from] AccessError),
    /// A write names a user other than the caller; nobody acts for someone else.
    #[error("{field} must be your own user id")]
    NotTheCaller { field: &'static str },
    #[error("database error: {0}")]
    Database(#[from] DbErr),
    /// A database error shared by every request of one DataLoader batch.
    #[error("database error: {0}")]
    BatchDatabase(Arc<DbErr>),
    #[error("a unique index rejected a {0} but no row holds the key")]
    VanishedDuplicate(&'static str),
    /// The set writer stopped before answering (the process is shutting down); whether
    /// the set was stored is unknown, and a retry with the same key settles it.
    #[error("the set writer stopped before answering")]
    WriterGone,
    #[error(transparent)]
    Catalog(#[from] CatalogError),
}

impl FeedbackError {
    pub fn out_of_range(field: &str, range: impl Display, got: impl Display) -> FeedbackError {
        FeedbackError::InvalidInput(format!("{field} must be {range} (got {got})"))
    }
}

impl From<Arc<DbErr>> for FeedbackError {
    fn from(err: Arc<DbErr>) -> FeedbackError {
        FeedbackError::BatchDatabase(err)
    }
}

impl CodedError for FeedbackError {
    fn code(&self) -> ErrorCode {
        match self {
            FeedbackError::InvalidInput(_) => ErrorCode::BadUserInput,
            FeedbackError::KeyReused { .. } | FeedbackError::AlreadyCompleted(_) => {
                ErrorCode::Conflict
            }
            FeedbackError::WorkoutNotFound(_) => ErrorCode::NotFound,
            FeedbackError::Access(err) => err.code(),
            FeedbackError::NotTheCaller { .. } => ErrorCode::Forbidden,
            FeedbackError::Database(_)
            | FeedbackError::BatchDatabase(_)
            | FeedbackError::VanishedDuplicate(_)
            | FeedbackError::WriterGone
            | FeedbackError::Catalog(_) => ErrorCode::Internal,
        }
    }
}

/// Whether an insert failed only because a unique index already holds the value.
pub fn is_unique_violation(err: &DbErr) -> bool {
    matches!(err.sql_err(), Some(SqlErr::UniqueConstraintViolation(_)))
}
