//! Everything that can go wrong in the profile subgraph, with the client-facing
//! code each maps to.

use sea_orm::DbErr;
use subgraph_common::vocab::UnknownValue;
use subgraph_common::{AccessError, CodedError, ErrorCode};
use uuid::Uuid;

#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("{field} must be between {min} and {max} (got {got})")]
    OutOfRange {
        field: &'static str,
        min: String,
        max: String,
        got: String,
    },
    /// Any other invalid input; the message names the field and what is allowed.
    #[error("{0}")]
    InvalidInput(String),
    #[error("readings[{index}]: {problem}")]
    InvalidReading {
        index: usize,
        problem: Box<ProfileError>,
    },
    #[error("`{0}` is not a valid user id (expected a UUID)")]
    InvalidUserId(String),
    #[error("no user with id {0}")]
    UserNotFound(Uuid),
    #[error("a user with this email already exists")]
    DuplicateEmail,
    #[error("you already have a profile")]
    ProfileExists,
    #[error(transparent)]
    Access(#[from] AccessError),
    /// The caller named another user's id; they know that id already, so saying
    /// so reveals nothing.
    #[error("you may only change your own profile")]
    NotYourProfile,
    /// A subgraph did not purge a deleted user's data; recorded, then retried.
    #[error("{subgraph} did not purge: {reason}")]
    PurgeFailed { subgraph: String, reason: String },
    #[error("stored data is invalid: {0}")]
    CorruptRow(#[from] UnknownValue),
    #[error("database error: {0}")]
    Database(#[from] DbErr),
}

impl ProfileError {
    pub fn out_of_range(
        field: &'static str,
        min: impl ToString,
        max: impl ToString,
        got: impl ToString,
    ) -> Self {
        ProfileError::OutOfRange {
            field,
            min: min.to_string(),
            max: max.to_string(),
            got: got.to_string(),
        }
    }
}

impl CodedError for ProfileError {
    fn code(&self) -> ErrorCode {
        match self {
            ProfileError::OutOfRange { .. }
            | ProfileError::InvalidInput(_)
            | ProfileError::InvalidReading { .. }
            | ProfileError::InvalidUserId(_) => ErrorCode::BadUserInput,
            ProfileError::UserNotFound(_) => ErrorCode::NotFound,
            ProfileError::DuplicateEmail | ProfileError::ProfileExists => ErrorCode::Conflict,
            ProfileError::Access(err) => err.code(),
            ProfileError::NotYourProfile => ErrorCode::Forbidden,
            ProfileError::CorruptRow(_)
            | ProfileError::Database(_)
            | ProfileError::PurgeFailed { .. } => ErrorCode::Internal,
        }
    }
}

/// Parses a GraphQL `ID` that must name a user.
pub fn parse_user_id(id: &str) -> Result<Uuid, ProfileError> {
    Uuid::parse_str(id.trim()).map_err(|_| ProfileError::InvalidUserId(id.to_owned()))
}
