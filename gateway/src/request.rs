//! What a client sends and what it gets back, independent of HTTP.

use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};

/// A GraphQL request as the GraphQL-over-HTTP spec defines it.
#[derive(Debug, Clone, Default, Deserialize, Serialize, PartialEq)]
#[serde(rename_all = "camelCase")]
pub struct GraphQLRequest {
    pub query: Option<String>,
    pub operation_name: Option<String>,
    pub variables: Option<Map<String, Value>>,
    pub extensions: Option<Map<String, Value>>,
    /// The id of a persisted document to run instead of `query`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub document_id: Option<String>,
}

/// How the transport received the request; decides what it may run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// `POST`: queries and mutations.
    Post,
    /// `GET`: queries only (a mutation over GET is refused, nothing runs).
    Get,
}

/// A response body plus what kind of outcome it is, so the transport can pick an
/// HTTP status.
#[derive(Debug, Clone, PartialEq)]
pub struct GraphQLResponse {
    /// The JSON body: `{"data": ..., "errors": [...]}`; `data` is absent for
    /// request errors.
    pub body: Value,
    pub outcome: Outcome,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// The operation ran (possibly with field errors and partial data).
    Executed,
    /// The document could not be parsed, failed validation, or its variables
    /// could not be coerced: nothing ran.
    RequestError,
    /// A mutation arrived over GET: nothing ran.
    MutationOverGet,
    /// A persisted query hash the gateway cannot run (not stored, or automatic
    /// persisted queries are off): nothing ran, and the client should send the
    /// query text.
    PersistedQueryMiss,
}

impl GraphQLResponse {
    /// A request error: no `data`, one error with a stable code.
    pub fn request_error(code: &str, message: impl Into<String>) -> Self {
        Self::request_errors(vec![error_json(code, message, None)])
    }

    pub fn request_errors(errors: Vec<Value>) -> Self {
        Self {
            body: serde_json::json!({ "errors": errors }),
            outcome: Outcome::RequestError,
        }
    }
}

/// One error in the response's `errors` list, with `extensions.code`.
pub fn error_json(code: &str, message: impl Into<String>, locations: Option<Value>) -> Value {
    let mut error = Map::new();
    error.insert("message".into(), Value::String(message.into()));
    if let Some(locations) = locations {
        error.insert("locations".into(), locations);
    }
    error.insert("extensions".into(), serde_json::json!({ "code": code }));
    Value::Object(error)
}
