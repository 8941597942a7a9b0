//! GraphQL over WebSocket on `/graphql`, in `graphql-transport-ws` and the legacy
//! `graphql-ws`. One connection carries any number of operations; each runs as
//! its own task through [`Gateway::subscribe`].
//!
//! Everything sent to the client passes one bounded queue drained by a writer
//! task. A client that stops reading fills it; the connection is then dropped
//! (close code 1008) with all its operations and their upstream sockets, so it
//! never holds more than the queue's worth of memory nor slows anyone else.

pub mod protocol;

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::extract::ws::{Message, WebSocket};
use axum::http::{HeaderMap, HeaderName, HeaderValue};
use futures::stream::{SplitSink, SplitStream};
use futures::{SinkExt, StreamExt};
use serde_json::Value;
use tokio::sync::{Notify, mpsc, watch};
use tokio::task::AbortHandle;

use fitgraph_auth::Identity;

use crate::Gateway;
use crate::auth::API_KEY_HEADER;
use crate::request::GraphQLRequest;
use crate::server::FrontDoor;
use protocol::{Command, Encoder, Protocol, close};

/// Limits and timers of WebSocket connections.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSocketConfig {
    /// A connection that has not sent `connection_init` by then is closed (4408).
    pub init_timeout: Duration,
    /// How often the gateway sends a keepalive (`ping`, or `ka` in the legacy protocol).
    pub keepalive: Duration,
    /// Messages waiting for a slow client before its connection is dropped.
    pub outbound_buffer: usize,
    /// Larger incoming messages close the connection (1009).
    pub max_message_bytes: usize,
    /// Operations one connection may run at once.
    pub max_operations: usize,
}

impl Default for WebSocketConfig {
    fn default() -> Self {
        Self {
            init_timeout: Duration::from_secs(10),
            keepalive: Duration::from_secs(15),
            outbound_buffer: 64,
            max_message_bytes: 64 * 1024,
            max_operations: 64,
        }
    }
}

/// Serves one upgraded connection until either side closes it.
pub async fn serve(
    socket: WebSocket,
    protocol: Protocol,
    gateway: Arc<Gateway>,
    front_door: Arc<FrontDoor>,
    upgrade_identity: Identity,
    config: WebSocketConfig,
    closing: Option<watch::Receiver<bool>>,
) {
    let (sink, incoming) = socket.split();
    let (outbound, queued) = mpsc::channel(config.outbound_buffer);
    let writer = tokio::spawn(write_queued(sink, queued));
    let mut connection = Connection {
        encoder: Encoder(protocol),
        gateway,
        front_door,
        identity: upgrade_identity,
        initialised: false,
        outbound,
        operations: Arc::default(),
        overflow: Arc::new(Notify::new()),
        max_operations: config.max_operations,
    };
    let ended = connection.run(incoming, &config, closing).await;
    connection.stop_all();
    match ended {
        // The writer cannot get ahead of a client that does not read: drop it.
        Ended::ClientTooSlow => writer.abort(),
        Ended::Done => {
            drop(connection);
            let _ = tokio::time::timeout(Duration::from_secs(5), writer).await;
        }
    }
}

/// Sends queued messages in order until the queue closes or a close frame goes out.
async fn write_queued(
    mut sink: SplitSink<WebSocket, Message>,
    mut queued: mpsc::Receiver<Message>,
) {
    while let Some(message) = queued.recv().await {
        let closing = matches!(message, Message::Close(_));
        if sink.send(message).await.is_err() || closing {
            break;
        }
    }
    let _ = sink.close().await;
}

enum Ended {
    Done,
    ClientTooSlow,
}

/// What handling one message leads to.
enum Next {
    Continue,
    Close,
}

type Operations = Arc<Mutex<HashMap<String, AbortHandle>>>;

struct Connection {
    encoder: Encoder,
    gateway: Arc<Gateway>,
    front_door: Arc<FrontDoor>,
    identity: Identity,
    initialised: bool,
    outbound: mpsc::Sender<Message>,
    operations: Operations,
    /// Signalled when a message could not be queued because the client lags.
    overflow: Arc<Notify>,
    max_operations: usize,
}

impl Connection {
    async fn run(
        &mut self,
        mut incoming: SplitStream<WebSocket>,
        config: &WebSocketConfig,
        closing: Option<watch::Receiver<bool>>,
    ) -> Ended {
        let shutting_down = async move {
            match closing {
                Some(mut closing) => {
                    // A sender gone without saying means no shutdown will come.
                    if closing.wait_for(|closing| *closing).await.is_err() {
                        std::future::pending::<()>().await;
                    }
                }
                None => std::future::pending().await,
            }
        };
        tokio::pin!(shutting_down);
        let init_deadline = tokio::time::sleep(config.init_timeout);
        tokio::pin!(init_deadline);
        let mut keepalive = tokio::time::interval_at(
            tokio::time::Instant::now() + config.keepalive,
            config.keepalive,
        );
        let overflow = Arc::clone(&self.overflow);
        loop {
            let next = tokio::select! {
                () = &mut init_deadline, if !self.initialised => {
                    self.close(close::INIT_TIMEOUT, "Connection initialisation timeout")
                }
                () = overflow.notified() => return Ended::ClientTooSlow,
                () = &mut shutting_down => {
                    self.close(close::GOING_AWAY, "the server is shutting down")
                }
                _ = keepalive.tick(), if self.initialised => {
                    self.send(self.encoder.keepalive())
                }
                message = incoming.next() => match message {
                    Some(Ok(message)) => self.receive(message).await,
                    Some(Err(error)) => self.read_failed(&error),
                    None => Next::Close,
                },
            };
            if matches!(next, Next::Close) {
                return Ended::Done;
            }
        }
    }

    async fn receive(&mut self, message: Message) -> Next {
        let text = match message {
            Message::Text(text) => text,
            Message::Close(_) => return Next::Close,
            // Control frames are answered by the WebSocket layer itself.
            Message::Ping(_) | Message::Pong(_) => return Next::Continue,
            Message::Binary(_) => {
                return self.violation(close::BAD_REQUEST, "binary messages are not supported");
            }
        };
        match protocol::decode(self.encoder.0, text.as_str()) {
            Ok(command) => self.command(command).await,
            Err(reason) => self.violation(close::BAD_REQUEST, &reason),
        }
    }

    async fn command(&mut self, command: Command) -> Next {
        match command {
            Command::Init(payload) => self.init(payload.as_ref()).await,
            Command::Ping(payload) => self.send(self.encoder.pong(payload)),
            Command::Pong => Next::Continue,
            Command::Start { id, request } => self.start(id, request),
            Command::Stop { id } => {
                self.stop(&id);
                Next::Continue
            }
            Command::Terminate => self.close(close::NORMAL, "terminated by the client"),
        }
    }

    async fn init(&mut self, payload: Option<&Value>) -> Next {
        if self.initialised {
            return self.close(close::TOO_MANY_INITS, "Too many initialisation requests");
        }
        let credentials = payload.map(credential_headers).unwrap_or_default();
        if !credentials.is_empty() {
            match self
                .front_door
                .authenticator
                .authenticate(&credentials)
                .await
            {
                Ok(identity) => self.identity = identity,
                Err(error) => {
                    tracing::info!(%error, "WebSocket credentials refused");
                    for message in self
                        .encoder
                        .forbidden("Forbidden: the credentials were refused")
                    {
                        self.send(message);
                    }
                    return Next::Close;
                }
            }
        }
        self.initialised = true;
        self.send(self.encoder.ack())
    }

    fn start(&mut self, id: String, request: GraphQLRequest) -> Next {
        if !self.initialised {
            return self.violation(
                close::UNAUTHORIZED,
                "Unauthorized: send connection_init first",
            );
        }
        let mut operations = self
            .operations
            .lock()
            .expect("the operations lock is never poisoned");
        if operations.contains_key(&id) {
            drop(operations);
            return self.violation(
                close::DUPLICATE_ID,
                &format!("Subscriber for {id} already exists"),
            );
        }
        if operations.len() >= self.max_operations {
            drop(operations);
            let body = crate::GraphQLResponse::request_error(
                "TOO_MANY_OPERATIONS",
                format!(
                    "a connection runs at most {} operations at once",
                    self.max_operations
                ),
            )
            .into_body();
            for message in self.encoder.request_error(&id, body) {
                self.send(message);
            }
            return Next::Continue;
        }
        let operation = Operation {
            id: id.clone(),
            encoder: self.encoder,
            outbound: self.outbound.clone(),
            overflow: Arc::clone(&self.overflow),
            operations: Arc::clone(&self.operations),
        };
        let task =
            tokio::spawn(operation.run(Arc::clone(&self.gateway), request, self.identity.clone()));
        // Inserted under the lock the task takes to remove itself, so a quick
        // operation cannot finish before it is listed.
        operations.insert(id, task.abort_handle());
        Next::Continue
    }

    fn stop(&self, id: &str) {
        let removed = self
            .operations
            .lock()
            .expect("the operations lock is never poisoned")
            .remove(id);
        if let Some(task) = removed {
            task.abort();
        }
    }

    fn stop_all(&self) {
        let operations = std::mem::take(
            &mut *self
                .operations
                .lock()
                .expect("the operations lock is never poisoned"),
        );
        for task in operations.into_values() {
            task.abort();
        }
    }

    /// Queues `message`; a client too slow to take it loses the connection.
    fn send(&self, message: Message) -> Next {
        if offer(&self.outbound, &self.overflow, message) {
            Next::Continue
        } else {
            Next::Close
        }
    }

    fn violation(&self, code: u16, reason: &str) -> Next {
        tracing::debug!(code, reason, "WebSocket protocol violation");
        match self.encoder.0 {
            Protocol::TransportWs => self.close(code, reason),
            // The legacy protocol reports and carries on.
            Protocol::Legacy => self.send(self.encoder.violation(code, reason)),
        }
    }

    fn close(&self, code: u16, reason: &str) -> Next {
        self.send(protocol::close_frame(code, reason));
        Next::Close
    }

    fn read_failed(&self, error: &axum::Error) -> Next {
        // The WebSocket layer reports an oversized message as a capacity error.
        let text = format!("{error} {:?}", std::error::Error::source(error)).to_ascii_lowercase();
        let too_big = text.contains("too long") || text.contains("space limit");
        if too_big {
            return self.close(
                close::TOO_BIG,
                "the message is larger than the gateway accepts",
            );
        }
        tracing::debug!(%error, "WebSocket read failed");
        Next::Close
    }
}

/// Queues `message` without waiting; a full queue signals overflow.
fn offer(outbound: &mpsc::Sender<Message>, overflow: &Notify, message: Message) -> bool {
    match outbound.try_send(message) {
        Ok(()) => true,
        Err(mpsc::error::TrySendError::Full(_)) => {
            tracing::warn!("a WebSocket client is not reading; dropping its connection");
            overflow.notify_one();
            false
        }
        Err(mpsc::error::TrySendError::Closed(_)) => false,
    }
}

/// One running operation of a connection.
struct Operation {
    id: String,
    encoder: Encoder,
    outbound: mpsc::Sender<Message>,
    overflow: Arc<Notify>,
    operations: Operations,
}

impl Operation {
    async fn run(self, gateway: Arc<Gateway>, request: GraphQLRequest, caller: Identity) {
        match gateway.subscribe(request, &caller).await {
            Err(response) => {
                for message in self.encoder.request_error(&self.id, response.into_body()) {
                    self.offer(message);
                }
            }
            Ok(mut responses) => {
                let mut delivered = true;
                while let Some(body) = responses.next().await {
                    delivered = self.offer(self.encoder.next(&self.id, body));
                    if !delivered {
                        break;
                    }
                }
                if delivered {
                    self.offer(self.encoder.complete(&self.id));
                }
            }
        }
        self.operations
            .lock()
            .expect("the operations lock is never poisoned")
            .remove(&self.id);
    }

    fn offer(&self, message: Message) -> bool {
        offer(&self.outbound, &self.overflow, message)
    }
}

/// `Authorization` and `X-API-Key` from a `connection_init` payload, as headers:
/// given at the top level or under `headers`, any letter case. Browsers cannot
/// set headers on a WebSocket, so this is how they authenticate.
fn credential_headers(payload: &Value) -> HeaderMap {
    let mut headers = HeaderMap::new();
    let sources = [Some(payload), payload.get("headers")];
    for source in sources.into_iter().flatten().filter_map(Value::as_object) {
        for (name, value) in source {
            let name = name.to_ascii_lowercase();
            if name != "authorization" && name != API_KEY_HEADER {
                continue;
            }
            let (Ok(name), Some(value)) = (HeaderName::try_from(name), value.as_str()) else {
                continue;
            };
            // A value no header could carry is still a credential: send one the
            // authenticator refuses rather than silently ignoring it.
            let value = HeaderValue::from_str(value).unwrap_or(HeaderValue::from_static("invalid"));
            headers.insert(name, value);
        }
    }
    headers
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn credentials_come_from_the_payload_or_its_headers() {
        let top = credential_headers(&json!({ "Authorization": "Bearer a", "other": "x" }));
        assert_eq!(
            top.get("authorization").map(|v| v.to_str().ok()),
            Some(Some("Bearer a"))
        );
        assert_eq!(top.len(), 1);
        let nested = credential_headers(&json!({ "headers": { "X-API-Key": "k" } }));
        assert_eq!(
            nested.get(API_KEY_HEADER).map(|v| v.to_str().ok()),
            Some(Some("k"))
        );
        assert!(credential_headers(&json!({ "authorization": 7 })).is_empty());
        assert!(credential_headers(&json!("text")).is_empty());
    }
}
