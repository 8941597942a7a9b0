//! Subscriptions on a fixture subgraph: `GET /graphql` upgraded to a WebSocket
//! speaking `graphql-transport-ws`. A subscribe is recorded like a POST (with the
//! upgrade request's headers); from then on every event the test emits is
//! answered with the operation's selection, until the test completes the
//! subscriptions or the client completes or closes.

use std::sync::Arc;
use std::sync::atomic::Ordering;

use apollo_compiler::ExecutableDocument;
use apollo_compiler::response::JsonMap;
use axum::extract::State;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use tokio::sync::broadcast::error::RecvError;

use crate::server::{Body, Shared, errors, execute_event, graphql_errors, lock};
use crate::{Behavior, RecordedRequest};

pub(crate) async fn upgrade(
    State(shared): State<Arc<Shared>>,
    headers: HeaderMap,
    upgrade: WebSocketUpgrade,
) -> Response {
    let behavior = lock(&shared.behavior).clone();
    if let Behavior::Status(code) = behavior {
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return (status, "refused by the test").into_response();
    }
    if behavior == Behavior::Down {
        return (StatusCode::SERVICE_UNAVAILABLE, "down").into_response();
    }
    upgrade
        .protocols(["graphql-transport-ws"])
        .on_upgrade(move |socket| serve(shared, headers, socket))
}

async fn serve(shared: Arc<Shared>, headers: HeaderMap, mut socket: WebSocket) {
    shared.open_sockets.fetch_add(1, Ordering::SeqCst);
    run(&shared, headers, &mut socket).await;
    let _ = socket.send(Message::Close(None)).await;
    shared.open_sockets.fetch_sub(1, Ordering::SeqCst);
}

async fn run(shared: &Shared, headers: HeaderMap, socket: &mut WebSocket) {
    if next_of_type(socket, "connection_init").await.is_none() {
        return;
    }
    if send(socket, json!({ "type": "connection_ack" }))
        .await
        .is_err()
    {
        return;
    }
    let Some(subscribe) = next_of_type(socket, "subscribe").await else {
        return;
    };
    let id = subscribe["id"].clone();
    let body: Body = match serde_json::from_value(subscribe["payload"].clone()) {
        Ok(body) => body,
        Err(error) => {
            let payload = errors([format!("not a GraphQL request: {error}")]);
            let _ = send(
                socket,
                json!({ "id": id, "type": "error", "payload": payload["errors"] }),
            )
            .await;
            return;
        }
    };
    record(shared, &body, headers);
    let query = body.query.clone().unwrap_or_default();
    let document =
        match ExecutableDocument::parse_and_validate(&shared.schema, query, "subscription.graphql")
        {
            Ok(document) => document,
            Err(invalid) => {
                let payload = graphql_errors(invalid.errors.iter().map(|d| d.to_json()));
                let _ = send(
                    socket,
                    json!({ "id": id, "type": "error", "payload": payload["errors"] }),
                )
                .await;
                return;
            }
        };
    let variables: JsonMap = body
        .variables
        .clone()
        .and_then(|variables| serde_json::from_value(variables).ok())
        .unwrap_or_default();
    let mut events = shared.events.subscribe();
    loop {
        tokio::select! {
            event = events.recv() => match event {
                Ok(Some(event)) => {
                    let payload = execute_event(shared, &document, &variables, &event);
                    if send(socket, json!({ "id": id, "type": "next", "payload": payload })).await.is_err() {
                        return;
                    }
                }
                Ok(None) => {
                    let _ = send(socket, json!({ "id": id, "type": "complete" })).await;
                    return;
                }
                Err(RecvError::Lagged(_)) => {}
                Err(RecvError::Closed) => return,
            },
            message = socket.recv() => match message {
                Some(Ok(Message::Text(text))) => {
                    let message: Value = serde_json::from_str(text.as_str()).unwrap_or_default();
                    if message["type"] == "complete" {
                        return;
                    }
                    if message["type"] == "ping" && send(socket, json!({ "type": "pong" })).await.is_err() {
                        return;
                    }
                }
                Some(Ok(Message::Close(_)) | Err(_)) | None => return,
                Some(Ok(_)) => {}
            },
        }
    }
}

fn record(shared: &Shared, body: &Body, headers: HeaderMap) {
    lock(&shared.requests).push(RecordedRequest {
        query: body.query.clone().unwrap_or_default(),
        variables: body.variables.clone().unwrap_or(Value::Null),
        operation_name: body.operation_name.clone(),
        headers,
        body: Vec::new(),
    });
}

/// The next text message of type `kind`, skipping pings; `None` if the socket ends.
async fn next_of_type(socket: &mut WebSocket, kind: &str) -> Option<Value> {
    while let Some(Ok(message)) = socket.recv().await {
        let Message::Text(text) = message else {
            continue;
        };
        let message: Value = serde_json::from_str(text.as_str()).ok()?;
        if message["type"] == kind {
            return Some(message);
        }
    }
    None
}

async fn send(socket: &mut WebSocket, message: Value) -> Result<(), axum::Error> {
    socket.send(Message::Text(message.to_string().into())).await
}
