//! The gateway's end of a subscription on a subgraph: one WebSocket per client
//! subscription, spoken in `graphql-transport-ws`. A pump task reads the socket
//! and hands each event to the pipeline through a small bounded channel; when the
//! pipeline drops its end (the client went away), the pump completes the
//! operation upstream and closes the socket.

use std::time::Duration;

use apollo_compiler::response::{JsonMap, JsonValue};
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::http::StatusCode;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

use crate::executor::{SubgraphClient, SubgraphFailure, SubgraphResponse};

/// What the pump hands on: an event, or why the subscription broke off.
pub type UpstreamItem = Result<SubgraphResponse, SubgraphFailure>;

/// Events waiting for the pipeline; the subgraph is not read further until
/// there is room, so a slow consumer never grows the gateway's memory.
const EVENT_BUFFER: usize = 16;

/// The one operation id the gateway uses: each socket carries one subscription.
const OPERATION_ID: &str = "1";

type Socket = WebSocketStream<MaybeTlsStream<TcpStream>>;

/// Opens the subscription `operation` on `service` and streams its events. The
/// stream ends after the subgraph completes it, or after one `Err` saying why
/// it broke off.
pub async fn subscribe(
    client: &SubgraphClient,
    service: &str,
    operation: &str,
    variables: JsonMap,
) -> ReceiverStream<UpstreamItem> {
    let (sender, receiver) = mpsc::channel(EVENT_BUFFER);
    match open(client, service, operation, variables).await {
        Ok(socket) => {
            tokio::spawn(pump(socket, sender, service.to_owned()));
        }
        Err(failure) => {
            // The channel is new and empty: this cannot wait.
            let _ = sender.try_send(Err(failure));
        }
    }
    ReceiverStream::new(receiver)
}

/// Connects, initialises and sends the subscription; everything within the
/// client's subgraph timeout.
async fn open(
    client: &SubgraphClient,
    service: &str,
    operation: &str,
    variables: JsonMap,
) -> Result<Socket, SubgraphFailure> {
    let request = client.websocket_request(service)?;
    let timeout = client.timeout();
    let opening = async {
        let (mut socket, _) = tokio_tungstenite::connect_async(request)
            .await
            .map_err(|error| connect_failure(service, error))?;
        send_json(&mut socket, &json!({ "type": "connection_init" }), service).await?;
        await_ack(&mut socket, service).await?;
        let subscribe = json!({
            "id": OPERATION_ID,
            "type": "subscribe",
            "payload": { "query": operation, "variables": variables },
        });
        send_json(&mut socket, &subscribe, service).await?;
        Ok(socket)
    };
    tokio::time::timeout(timeout, opening)
        .await
        .map_err(|_| SubgraphFailure::Timeout {
            service: service.to_owned(),
            timeout,
        })?
}

fn connect_failure(service: &str, error: tokio_tungstenite::tungstenite::Error) -> SubgraphFailure {
    use tokio_tungstenite::tungstenite::Error;
    tracing::warn!(subgraph = service, %error, "cannot open a subscription socket");
    match error {
        Error::Http(response) if response.status() != StatusCode::SWITCHING_PROTOCOLS => {
            SubgraphFailure::Status {
                service: service.to_owned(),
                status: response.status().as_u16(),
            }
        }
        error => SubgraphFailure::Http {
            service: service.to_owned(),
            detail: error.to_string(),
        },
    }
}

async fn await_ack(socket: &mut Socket, service: &str) -> Result<(), SubgraphFailure> {
    while let Some(message) = socket.next().await {
        let message = message.map_err(|error| broken(service, &error.to_string()))?;
        match parse(&message) {
            Some((kind, _)) if kind == "connection_ack" => return Ok(()),
            Some((kind, _)) if kind == "ping" => {
                send_json(socket, &json!({ "type": "pong" }), service).await?;
            }
            _ if matches!(message, Message::Ping(_) | Message::Pong(_)) => {}
            _ => {
                return Err(broken(
                    service,
                    "the subgraph did not acknowledge the connection",
                ));
            }
        }
    }
    Err(broken(
        service,
        "the subgraph closed the socket during initialisation",
    ))
}

/// Reads the socket until the subscription ends or the consumer goes away.
async fn pump(mut socket: Socket, events: mpsc::Sender<UpstreamItem>, service: String) {
    loop {
        let message = tokio::select! {
            () = events.closed() => {
                complete_and_close(&mut socket).await;
                return;
            }
            message = socket.next() => message,
        };
        let step = match message {
            Some(Ok(message)) => handle(&mut socket, &message, &service).await,
            Some(Err(error)) => Step::Stop(Some(broken(&service, &error.to_string()))),
            None => Step::Stop(Some(broken(&service, "the subgraph closed the socket"))),
        };
        match step {
            Step::Continue => {}
            Step::Event(event) => {
                if events.send(Ok(event)).await.is_err() {
                    complete_and_close(&mut socket).await;
                    return;
                }
            }
            Step::Last(event) => {
                let _ = events.send(Ok(event)).await;
                let _ = socket.close(None).await;
                return;
            }
            Step::Stop(failure) => {
                if let Some(failure) = failure {
                    let _ = events.send(Err(failure)).await;
                }
                let _ = socket.close(None).await;
                return;
            }
        }
    }
}

enum Step {
    Continue,
    Event(SubgraphResponse),
    /// A final event (the `error` message): nothing follows it.
    Last(SubgraphResponse),
    /// The subscription is over; `Some` when it broke off rather than completed.
    Stop(Option<SubgraphFailure>),
}

async fn handle(socket: &mut Socket, message: &Message, service: &str) -> Step {
    if matches!(
        message,
        Message::Ping(_) | Message::Pong(_) | Message::Frame(_)
    ) {
        return Step::Continue;
    }
    if let Message::Close(_) = message {
        return Step::Stop(Some(broken(service, "the subgraph closed the socket")));
    }
    let Some((kind, body)) = parse(message) else {
        return Step::Stop(Some(malformed(service)));
    };
    match kind.as_str() {
        "next" => match serde_json::from_value(body["payload"].clone()) {
            Ok(event) => Step::Event(event),
            Err(_) => Step::Stop(Some(malformed(service))),
        },
        "error" => Step::Last(SubgraphResponse {
            data: None,
            errors: errors_of(&body["payload"]),
        }),
        "complete" => Step::Stop(None),
        "ping" => match send_json(socket, &json!({ "type": "pong" }), service).await {
            Ok(()) => Step::Continue,
            Err(failure) => Step::Stop(Some(failure)),
        },
        _ => Step::Continue,
    }
}

/// The errors of an `error` message's payload (a list of GraphQL errors).
fn errors_of(payload: &Value) -> Vec<JsonValue> {
    payload
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|error| serde_json::from_value(error.clone()).ok())
        .collect()
}

fn parse(message: &Message) -> Option<(String, Value)> {
    let Message::Text(text) = message else {
        return None;
    };
    let body: Value = serde_json::from_str(text.as_str()).ok()?;
    let kind = body.get("type")?.as_str()?.to_owned();
    Some((kind, body))
}

async fn send_json(
    socket: &mut Socket,
    body: &Value,
    service: &str,
) -> Result<(), SubgraphFailure> {
    socket
        .send(Message::text(body.to_string()))
        .await
        .map_err(|error| broken(service, &error.to_string()))
}

/// Tells the subgraph the operation is over, then closes; failures are moot.
async fn complete_and_close(socket: &mut Socket) {
    let complete = json!({ "id": OPERATION_ID, "type": "complete" });
    let _ = socket.send(Message::text(complete.to_string())).await;
    let closing = socket.close(None);
    let _ = tokio::time::timeout(CLOSE_GRACE, closing).await;
}

/// How long a closing handshake may take before the socket is just dropped.
const CLOSE_GRACE: Duration = Duration::from_secs(2);

fn broken(service: &str, detail: &str) -> SubgraphFailure {
    tracing::warn!(subgraph = service, detail, "subscription socket failed");
    SubgraphFailure::Http {
        service: service.to_owned(),
        detail: detail.to_owned(),
    }
}

fn malformed(service: &str) -> SubgraphFailure {
    tracing::warn!(
        subgraph = service,
        "a subgraph sent a malformed subscription message"
    );
    SubgraphFailure::Malformed {
        service: service.to_owned(),
    }
}
