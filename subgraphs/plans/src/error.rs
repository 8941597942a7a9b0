//! Everything that can go wrong in the plans subgraph, each with its client code.

use std::sync::Arc;

use chrono::NaiveDate;
use sea_orm::DbErr;
use subgraph_common::events::EventBusError;
use subgraph_common::{AccessError, CodedError, ErrorCode};
use uuid::Uuid;

use crate::types::WorkoutStatus;

/// `Clone` because DataLoaders hand one error to every waiting resolver.
#[derive(Debug, Clone, thiserror::Error)]
pub enum PlansError {
    #[error("{field} is not a valid ID (got \"{value}\")")]
    InvalidId { field: String, value: String },
    #[error("{field} must be between {min} and {max} (got {got})")]
    OutOfRange {
        field: String,
        min: i64,
        max: i64,
        got: i64,
    },
    #[error("{field} must be 0 or more (got {got})")]
    Negative { field: String, got: f64 },
    #[error("{field} must not be blank")]
    Blank { field: &'static str },
    #[error("{field} must be at most {max} characters (got {got})")]
    TooLong {
        field: &'static str,
        max: usize,
        got: usize,
    },
    #[error("from ({from}) must not be after to ({to})")]
    InvertedRange { from: NaiveDate, to: NaiveDate },
    #[error("from ({from}) to ({to}) spans {days} days; at most {max} are allowed")]
    RangeTooLong {
        from: NaiveDate,
        to: NaiveDate,
        days: i64,
        max: i64,
    },
    #[error("workout {0} does not exist")]
    WorkoutNotFound(Uuid),
    // Someone else's program reads as missing, so ids cannot be probed.
    #[error("program {program_id} does not exist for user {user_id}")]
    ProgramNotFoundForUser { program_id: Uuid, user_id: Uuid },
    #[error("workout is {status}; only a PLANNED workout can be {action}")]
    NotPlanned {
        status: WorkoutStatus,
        action: &'static str,
    },
    #[error(transparent)]
    Access(#[from] AccessError),
    /// A write names a user other than the caller; nobody acts for someone else.
    #[error("{field} must be your own user id")]
    NotTheCaller { field: &'static str },
    #[error("database error: {0}")]
    Database(#[source] Arc<DbErr>),
    #[error("the event bus failed: {0}")]
    Events(#[source] Arc<EventBusError>),
    /// A live subscriber fell behind; what it shows may be stale until it re-reads.
    #[error("this subscription fell behind and missed {0} update(s); re-read the workout")]
    EventsMissed(u64),
    #[error("stored data is invalid: {0}")]
    CorruptRow(String),
}

impl From<DbErr> for PlansError {
    fn from(err: DbErr) -> Self {
        PlansError::Database(Arc::new(err))
    }
}

impl From<EventBusError> for PlansError {
    fn from(err: EventBusError) -> Self {
        PlansError::Events(Arc::new(err))
    }
}

impl CodedError for PlansError {
    fn code(&self) -> ErrorCode {
        match self {
            PlansError::InvalidId { .. }
            | PlansError::OutOfRange { .. }
            | PlansError::Negative { .. }
            | PlansError::Blank { .. }
            | PlansError::TooLong { .. }
            | PlansError::InvertedRange { .. }
            | PlansError::RangeTooLong { .. } => ErrorCode::BadUserInput,
            PlansError::WorkoutNotFound(_) | PlansError::ProgramNotFoundForUser { .. } => {
                ErrorCode::NotFound
            }
            PlansError::NotPlanned { .. } => ErrorCode::Conflict,
            PlansError::Access(err) => err.code(),
            PlansError::NotTheCaller { .. } => ErrorCode::Forbidden,
            PlansError::EventsMissed(_) => ErrorCode::EventsMissed,
            PlansError::Database(_) | PlansError::CorruptRow(_) | PlansError::Events(_) => {
                ErrorCode::Internal
            }
        }
    }
}

pub type Result<T, E = PlansError> = std::result::Result<T, E>;
