//! The HTTP side of a fixture subgraph: records each POST, applies the
//! configured [`Behavior`], then executes the request with apollo-compiler.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use apollo_compiler::executable::OperationType;
use apollo_compiler::request::RequestError;
use apollo_compiler::resolvers::Execution;
use apollo_compiler::response::{GraphQLError, JsonMap};
use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Schema};
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use serde::Deserialize;
use serde_json::{Value, json};

use crate::resolve::{Fixtures, JsonObject};
use crate::{Behavior, RecordedRequest};

/// State shared by the server task and every [`crate::RunningSubgraph`] handle.
pub(crate) struct Shared {
    pub(crate) name: String,
    pub(crate) schema: Valid<Schema>,
    pub(crate) fixtures: Fixtures,
    pub(crate) requests: Mutex<Vec<RecordedRequest>>,
    pub(crate) behavior: Mutex<Behavior>,
    /// Subscription events emitted by the test; `None` completes every subscription.
    pub(crate) events: tokio::sync::broadcast::Sender<Option<Value>>,
    /// Subscription sockets open right now.
    pub(crate) open_sockets: std::sync::atomic::AtomicUsize,
}

/// Locks ignoring poisoning: a panicking test must not cascade into every
/// later request to the same fixture.
pub(crate) fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

#[derive(Deserialize)]
pub(crate) struct Body {
    pub(crate) query: Option<String>,
    #[serde(rename = "operationName")]
    pub(crate) operation_name: Option<String>,
    pub(crate) variables: Option<Value>,
}

pub(crate) fn router(shared: Arc<Shared>) -> Router {
    Router::new()
        .route("/graphql", post(handle).get(crate::subscriptions::upgrade))
        .with_state(shared)
}

async fn handle(State(shared): State<Arc<Shared>>, headers: HeaderMap, raw: Bytes) -> Response {
    let body = serde_json::from_slice::<Body>(&raw);
    lock(&shared.requests).push(match &body {
        Ok(body) => RecordedRequest {
            query: body.query.clone().unwrap_or_default(),
            variables: body.variables.clone().unwrap_or(Value::Null),
            operation_name: body.operation_name.clone(),
            headers,
            body: raw.to_vec(),
        },
        Err(_) => RecordedRequest {
            query: String::from_utf8_lossy(&raw).into_owned(),
            variables: Value::Null,
            operation_name: None,
            headers,
            body: raw.to_vec(),
        },
    });
    let behavior = lock(&shared.behavior).clone();
    match behavior {
        Behavior::Normal => {}
        Behavior::Delay(duration) => tokio::time::sleep(duration).await,
        Behavior::Status(code) => {
            let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
            let text = format!(
                "fixture subgraph {} answers with status {code}",
                shared.name
            );
            return (status, text).into_response();
        }
        // Labelled as JSON so a client cannot skip parsing based on the content type.
        Behavior::Malformed => {
            return (
                [(header::CONTENT_TYPE, "application/json")],
                "{\"data\": <not json",
            )
                .into_response();
        }
        Behavior::Down => {
            let text = format!("fixture subgraph {} is down", shared.name);
            return (StatusCode::SERVICE_UNAVAILABLE, text).into_response();
        }
    }
    match body {
        Ok(body) => Json(execute(&shared, &body)).into_response(),
        Err(err) => {
            let reply = errors([format!("request body is not a GraphQL JSON request: {err}")]);
            (StatusCode::BAD_REQUEST, Json(reply)).into_response()
        }
    }
}

pub(crate) fn errors(messages: impl IntoIterator<Item = String>) -> Value {
    let errors: Vec<Value> = messages
        .into_iter()
        .map(|message| json!({ "message": message }))
        .collect();
    json!({ "errors": errors })
}

pub(crate) fn graphql_errors(errors: impl IntoIterator<Item = GraphQLError>) -> Value {
    let errors: Vec<GraphQLError> = errors.into_iter().collect();
    json!({ "errors": errors })
}

/// Runs one subscription event: the operation over `event` as the Subscription
/// root object. Returns the response body.
pub(crate) fn execute_event(
    shared: &Shared,
    document: &Valid<ExecutableDocument>,
    variables: &JsonMap,
    event: &Value,
) -> Value {
    let Ok(operation) = document.operations.get(None) else {
        return errors(["send exactly one operation".to_owned()]);
    };
    let Value::Object(event) = event else {
        return errors(["subscription events must be JSON objects".to_owned()]);
    };
    let root = JsonObject::new(operation.object_type(), event.clone(), &shared.fixtures);
    let result = Execution::new(&shared.schema, document)
        .operation(operation)
        .raw_variable_values(variables)
        .execute_sync(&root);
    match result {
        Ok(response) => {
            serde_json::to_value(response).unwrap_or_else(|err| errors([err.to_string()]))
        }
        Err(err) => graphql_errors([err.to_graphql_error(&document.sources)]),
    }
}

/// Runs one GraphQL request. Request errors (parse, validation, variables)
/// come back as `{"errors": [..]}` without `data`, as the spec asks.
fn execute(shared: &Shared, body: &Body) -> Value {
    let Some(query) = body.query.as_deref() else {
        return errors(["request has no \"query\"".to_owned()]);
    };
    let document =
        match ExecutableDocument::parse_and_validate(&shared.schema, query, "request.graphql") {
            Ok(document) => document,
            Err(invalid) => return graphql_errors(invalid.errors.iter().map(|d| d.to_json())),
        };
    let request_error =
        |err: RequestError| graphql_errors([err.to_graphql_error(&document.sources)]);
    let variables: JsonMap = match &body.variables {
        None | Some(Value::Null) => JsonMap::new(),
        Some(vars @ Value::Object(_)) => match serde_json::from_value(vars.clone()) {
            Ok(vars) => vars,
            Err(err) => return errors([format!("invalid variables: {err}")]),
        },
        Some(_) => return errors(["\"variables\" must be a JSON object".to_owned()]),
    };
    let operation = match document.operations.get(body.operation_name.as_deref()) {
        Ok(operation) => operation,
        Err(err) => return request_error(err),
    };
    let fixtures = &shared.fixtures;
    let root = match operation.operation_type {
        OperationType::Query => fixtures.query.clone(),
        OperationType::Mutation => fixtures.mutation.clone(),
        OperationType::Subscription => {
            return errors(["fixture subgraphs do not serve subscriptions".to_owned()]);
        }
    };
    let root = JsonObject::new(operation.object_type(), root, fixtures);
    let result = Execution::new(&shared.schema, &document)
        .operation(operation)
        .raw_variable_values(&variables)
        .enable_schema_introspection(true)
        .execute_sync(&root);
    match result {
        Ok(response) => {
            serde_json::to_value(response).unwrap_or_else(|err| errors([err.to_string()]))
        }
        Err(err) => request_error(err),
    }
}
