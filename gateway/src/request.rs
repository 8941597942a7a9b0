//! What a client sends and what it gets back, independent of HTTP.

use std::borrow::Cow;

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
#[derive(Debug, Clone)]
pub struct GraphQLResponse {
    body: Body,
    pub outcome: Outcome,
}

/// The JSON body: `{"data": ..., "errors": [...]}`; `data` is absent for request
/// errors. Responses shaped on the fast path arrive already written out, and are sent
/// as they are.
#[derive(Debug, Clone)]
enum Body {
    Tree(Value),
    Encoded {
        text: bytes::Bytes,
        has_errors: bool,
    },
}

impl PartialEq for GraphQLResponse {
    fn eq(&self, other: &Self) -> bool {
        self.outcome == other.outcome && self.body() == other.body()
    }
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
    pub fn new(body: Value, outcome: Outcome) -> Self {
        Self {
            body: Body::Tree(body),
            outcome,
        }
    }

    /// A response whose body is already JSON text (written by the gateway itself).
    pub(crate) fn encoded(text: Vec<u8>, has_errors: bool, outcome: Outcome) -> Self {
        Self {
            body: Body::Encoded {
                text: text.into(),
                has_errors,
            },
            outcome,
        }
    }

    /// A request error: no `data`, one error with a stable code.
    pub fn request_error(code: &str, message: impl Into<String>) -> Self {
        Self::request_errors(vec![error_json(code, message, None)])
    }

    pub fn request_errors(errors: Vec<Value>) -> Self {
        Self::new(
            serde_json::json!({ "errors": errors }),
            Outcome::RequestError,
        )
    }

    /// The body as a JSON tree.
    pub fn body(&self) -> Cow<'_, Value> {
        match &self.body {
            Body::Tree(value) => Cow::Borrowed(value),
            Body::Encoded { text, .. } => Cow::Owned(decode(text)),
        }
    }

    pub fn into_body(self) -> Value {
        match self.body {
            Body::Tree(value) => value,
            Body::Encoded { text, .. } => decode(&text),
        }
    }

    /// The body as JSON text, as it goes on the wire.
    pub fn to_bytes(&self) -> bytes::Bytes {
        match &self.body {
            Body::Tree(value) => serde_json::to_vec(value)
                .expect("a JSON tree always serialises")
                .into(),
            Body::Encoded { text, .. } => text.clone(),
        }
    }

    /// Whether the body lists errors.
    pub fn has_errors(&self) -> bool {
        match &self.body {
            Body::Tree(value) => value.get("errors").is_some(),
            Body::Encoded { has_errors, .. } => *has_errors,
        }
    }
}

fn decode(text: &[u8]) -> Value {
    serde_json::from_slice(text).expect("the gateway only encodes valid JSON")
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
