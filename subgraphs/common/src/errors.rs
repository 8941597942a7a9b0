//! Client-facing error codes. Every GraphQL error a client sees carries a stable
//! `extensions.code`; internal detail (SQL, file paths, URLs) is logged, never returned.

use std::sync::Arc;

use async_graphql::extensions::{
    Extension, ExtensionContext, ExtensionFactory, NextRequest, NextSubscribe,
};
use async_graphql::{ErrorExtensions, Response, ServerError};
use futures::StreamExt;
use futures::stream::BoxStream;

/// The stable codes clients may branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorCode {
    /// The input is out of range, malformed or refers to an unknown value.
    BadUserInput,
    /// The object asked for does not exist.
    NotFound,
    /// The write clashes with existing data (a duplicate email, a reused key).
    Conflict,
    /// The document itself is invalid against the schema.
    ValidationFailed,
    /// Something broke on our side; details are in the logs only.
    Internal,
    /// The caller is not signed in (or the request did not come through the gateway).
    Unauthenticated,
    /// The caller is signed in but lacks the scope this needs.
    Forbidden,
    /// A subscription fell behind and some events never reached it; it goes on with
    /// the next ones, so re-read whatever it shows.
    EventsMissed,
}

impl ErrorCode {
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorCode::BadUserInput => "BAD_USER_INPUT",
            ErrorCode::NotFound => "NOT_FOUND",
            ErrorCode::Conflict => "CONFLICT",
            ErrorCode::ValidationFailed => "GRAPHQL_VALIDATION_FAILED",
            ErrorCode::Internal => "INTERNAL_SERVER_ERROR",
            ErrorCode::Unauthenticated => "UNAUTHENTICATED",
            ErrorCode::Forbidden => "FORBIDDEN",
            ErrorCode::EventsMissed => "EVENTS_MISSED",
        }
    }
}

/// The message clients get for an internal failure.
pub const INTERNAL_MESSAGE: &str = "internal error; it has been logged";

/// An error that knows which client-facing code it maps to.
pub trait CodedError: std::error::Error {
    fn code(&self) -> ErrorCode;
}

/// Turns a coded error into a GraphQL error, hiding internal detail.
pub fn to_graphql_error<E: CodedError>(err: &E) -> async_graphql::Error {
    let code = err.code();
    let message = if code == ErrorCode::Internal {
        tracing::error!(error = %err, source = ?std::error::Error::source(err), "internal error");
        INTERNAL_MESSAGE.to_owned()
    } else {
        err.to_string()
    };
    async_graphql::Error::new(message).extend_with(|_, ext| ext.set("code", code.as_str()))
}

/// `result.gql()` in a resolver turns a crate error into a coded GraphQL error.
pub trait GqlResultExt<T> {
    fn gql(self) -> async_graphql::Result<T>;
}

impl<T, E: CodedError> GqlResultExt<T> for Result<T, E> {
    fn gql(self) -> async_graphql::Result<T> {
        self.map_err(|err| to_graphql_error(&err))
    }
}

/// A schema extension that gives every error without a code one, so that errors
/// raised by the GraphQL engine itself (parse, validation, input coercion) are coded
/// too, and an uncoded resolver error never leaks its text.
pub struct ErrorCodes;

impl ExtensionFactory for ErrorCodes {
    fn create(&self) -> Arc<dyn Extension> {
        Arc::new(ErrorCodes)
    }
}

#[async_trait::async_trait]
impl Extension for ErrorCodes {
    async fn request(&self, ctx: &ExtensionContext<'_>, next: NextRequest<'_>) -> Response {
        let mut response = next.run(ctx).await;
        response.errors.iter_mut().for_each(ensure_code);
        response
    }

    fn subscribe<'s>(
        &self,
        ctx: &ExtensionContext<'_>,
        stream: BoxStream<'s, Response>,
        next: NextSubscribe<'_>,
    ) -> BoxStream<'s, Response> {
        next.run(ctx, stream)
            .map(|mut response| {
                response.errors.iter_mut().for_each(ensure_code);
                response
            })
            .boxed()
    }
}

fn ensure_code(error: &mut ServerError) {
    if error
        .extensions
        .as_ref()
        .is_some_and(|ext| ext.get("code").is_some())
    {
        return;
    }
    let code = if is_input_coercion(&error.message) {
        ErrorCode::BadUserInput
    } else if error.path.is_empty() {
        ErrorCode::ValidationFailed
    } else {
        tracing::error!(message = %error.message, path = ?error.path, "uncoded resolver error");
        error.message = INTERNAL_MESSAGE.to_owned();
        ErrorCode::Internal
    };
    error
        .extensions
        .get_or_insert_with(Default::default)
        .set("code", code.as_str());
}

fn is_input_coercion(message: &str) -> bool {
    message.starts_with("Failed to parse") || message.starts_with("Invalid value for argument")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    enum SampleError {
        #[error("days per week must be 1-7 (got 9)")]
        OutOfRange,
        #[error("SELECT * FROM secrets failed")]
        Database,
    }

    impl CodedError for SampleError {
        fn code(&self) -> ErrorCode {
            match self {
                SampleError::OutOfRange => ErrorCode::BadUserInput,
                SampleError::Database => ErrorCode::Internal,
            }
        }
    }

    fn code_of(err: &async_graphql::Error) -> Option<String> {
        let value = err.extensions.as_ref()?.get("code")?;
        Some(value.to_string().trim_matches('"').to_owned())
    }

    #[test]
    fn user_errors_keep_their_message_and_code() {
        let err = to_graphql_error(&SampleError::OutOfRange);
        assert_eq!(err.message, "days per week must be 1-7 (got 9)");
        assert_eq!(code_of(&err).as_deref(), Some("BAD_USER_INPUT"));
    }

    #[test]
    fn internal_errors_hide_their_detail() {
        let err = to_graphql_error(&SampleError::Database);
        assert_eq!(err.message, INTERNAL_MESSAGE);
        assert_eq!(code_of(&err).as_deref(), Some("INTERNAL_SERVER_ERROR"));
    }
}
