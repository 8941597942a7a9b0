//! The two GraphQL-over-WebSocket subprotocols: what clients send, decoded into
//! one set of commands, and what the gateway sends, encoded per protocol.
//!
//! `graphql-transport-ws` answers protocol violations by closing the socket with
//! a 44xx code; the legacy `graphql-ws` (subscriptions-transport-ws) has no close
//! codes and reports them as `error` messages instead.

use axum::extract::ws::{CloseFrame, Message};
use serde_json::{Map, Value, json};

use crate::request::GraphQLRequest;

/// The current protocol.
pub const TRANSPORT_WS: &str = "graphql-transport-ws";
/// The legacy protocol of subscriptions-transport-ws.
pub const LEGACY_WS: &str = "graphql-ws";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
    TransportWs,
    Legacy,
}

impl Protocol {
    pub fn from_name(name: &str) -> Option<Self> {
        match name {
            TRANSPORT_WS => Some(Protocol::TransportWs),
            LEGACY_WS => Some(Protocol::Legacy),
            _ => None,
        }
    }
}

/// Close codes of `graphql-transport-ws`.
pub mod close {
    pub const BAD_REQUEST: u16 = 4400;
    pub const UNAUTHORIZED: u16 = 4401;
    pub const FORBIDDEN: u16 = 4403;
    pub const INIT_TIMEOUT: u16 = 4408;
    pub const DUPLICATE_ID: u16 = 4409;
    pub const TOO_MANY_INITS: u16 = 4429;
    /// WebSocket's own "message too big".
    pub const TOO_BIG: u16 = 1009;
    /// WebSocket's own "policy violation": the client does not keep up.
    pub const TOO_SLOW: u16 = 1008;
    pub const NORMAL: u16 = 1000;
    /// WebSocket's own "going away": the server shuts down; clients reconnect.
    pub const GOING_AWAY: u16 = 1001;
}

/// What a client asked for.
#[derive(Debug, PartialEq)]
pub enum Command {
    Init(Option<Value>),
    Ping(Option<Value>),
    Pong,
    Start { id: String, request: GraphQLRequest },
    Stop { id: String },
    Terminate,
}

/// Decodes one text message; `Err` says what is wrong with it.
pub fn decode(protocol: Protocol, text: &str) -> Result<Command, String> {
    let message: Map<String, Value> = match serde_json::from_str(text) {
        Ok(Value::Object(message)) => message,
        Ok(_) => return Err("a message must be a JSON object".into()),
        Err(error) => return Err(format!("the message is not JSON: {error}")),
    };
    let kind = message
        .get("type")
        .and_then(Value::as_str)
        .ok_or("the message has no string `type`")?;
    let payload = message.get("payload").cloned().filter(|p| !p.is_null());
    match (protocol, kind) {
        (_, "connection_init") => Ok(Command::Init(payload)),
        (Protocol::TransportWs, "ping") => Ok(Command::Ping(payload)),
        (Protocol::TransportWs, "pong") => Ok(Command::Pong),
        (Protocol::TransportWs, "subscribe") | (Protocol::Legacy, "start") => Ok(Command::Start {
            id: operation_id(&message)?,
            request: operation_request(payload)?,
        }),
        (Protocol::TransportWs, "complete") | (Protocol::Legacy, "stop") => Ok(Command::Stop {
            id: operation_id(&message)?,
        }),
        (Protocol::Legacy, "connection_terminate") => Ok(Command::Terminate),
        (_, other) => Err(format!("unknown message type `{other}`")),
    }
}

fn operation_id(message: &Map<String, Value>) -> Result<String, String> {
    match message.get("id").and_then(Value::as_str) {
        Some(id) if !id.is_empty() => Ok(id.to_owned()),
        _ => Err("the message needs a non-empty string `id`".into()),
    }
}

fn operation_request(payload: Option<Value>) -> Result<GraphQLRequest, String> {
    let payload = payload.ok_or("the message needs a `payload` with the operation")?;
    if !payload.is_object() {
        return Err("the `payload` must be a JSON object".into());
    }
    serde_json::from_value(payload)
        .map_err(|error| format!("the payload is not a GraphQL request: {error}"))
}

/// The messages the gateway sends, per protocol.
#[derive(Debug, Clone, Copy)]
pub struct Encoder(pub Protocol);

impl Encoder {
    pub fn ack(self) -> Message {
        text(json!({ "type": "connection_ack" }))
    }

    /// A keepalive: `ping` (the client answers `pong`) or the legacy `ka`.
    pub fn keepalive(self) -> Message {
        match self.0 {
            Protocol::TransportWs => text(json!({ "type": "ping" })),
            Protocol::Legacy => text(json!({ "type": "ka" })),
        }
    }

    pub fn pong(self, payload: Option<Value>) -> Message {
        match payload {
            Some(payload) => text(json!({ "type": "pong", "payload": payload })),
            None => text(json!({ "type": "pong" })),
        }
    }

    /// One result of operation `id`.
    pub fn next(self, id: &str, body: Value) -> Message {
        let kind = match self.0 {
            Protocol::TransportWs => "next",
            Protocol::Legacy => "data",
        };
        text(json!({ "id": id, "type": kind, "payload": body }))
    }

    /// Operation `id` failed before it ran; the legacy protocol gets the errors as
    /// a result, the form its clients display. A `complete` follows only there.
    pub fn request_error(self, id: &str, body: Value) -> Vec<Message> {
        match self.0 {
            Protocol::TransportWs => {
                let errors = body.get("errors").cloned().unwrap_or_else(|| json!([]));
                vec![text(
                    json!({ "id": id, "type": "error", "payload": errors }),
                )]
            }
            Protocol::Legacy => vec![self.next(id, body), self.complete(id)],
        }
    }

    pub fn complete(self, id: &str) -> Message {
        text(json!({ "id": id, "type": "complete" }))
    }

    /// A protocol violation: a close frame, or the legacy `error` message.
    pub fn violation(self, code: u16, reason: &str) -> Message {
        match self.0 {
            Protocol::TransportWs => close_frame(code, reason),
            Protocol::Legacy => text(json!({ "type": "error", "payload": { "message": reason } })),
        }
    }

    /// Refused credentials: the legacy protocol says `connection_error` first.
    pub fn forbidden(self, reason: &str) -> Vec<Message> {
        let close = close_frame(close::FORBIDDEN, reason);
        match self.0 {
            Protocol::TransportWs => vec![close],
            Protocol::Legacy => vec![
                text(json!({ "type": "connection_error", "payload": { "message": reason } })),
                close,
            ],
        }
    }
}

pub fn close_frame(code: u16, reason: &str) -> Message {
    Message::Close(Some(CloseFrame {
        code,
        reason: reason.into(),
    }))
}

fn text(body: Value) -> Message {
    Message::Text(body.to_string().into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subscribe_messages_carry_the_request() {
        let command = decode(
            Protocol::TransportWs,
            r#"{"id":"a","type":"subscribe","payload":{"query":"subscription { x }","variables":{"v":1}}}"#,
        );
        let Ok(Command::Start { id, request }) = command else {
            panic!("not a start: {command:?}");
        };
        assert_eq!(id, "a");
        assert_eq!(request.query.as_deref(), Some("subscription { x }"));
        assert_eq!(request.variables.map(|v| v["v"].clone()), Some(json!(1)));
    }

    #[test]
    fn each_protocol_has_its_own_vocabulary() {
        let start = r#"{"id":"1","type":"start","payload":{"query":"{ a }"}}"#;
        assert!(matches!(
            decode(Protocol::Legacy, start),
            Ok(Command::Start { .. })
        ));
        assert!(decode(Protocol::TransportWs, start).is_err());
        let stop = r#"{"id":"1","type":"stop"}"#;
        assert!(matches!(
            decode(Protocol::Legacy, stop),
            Ok(Command::Stop { .. })
        ));
        let complete = r#"{"id":"1","type":"complete"}"#;
        assert!(matches!(
            decode(Protocol::TransportWs, complete),
            Ok(Command::Stop { .. })
        ));
        assert_eq!(
            decode(Protocol::Legacy, r#"{"type":"connection_terminate"}"#),
            Ok(Command::Terminate)
        );
    }

    #[test]
    fn malformed_messages_say_what_is_wrong() {
        let cases = [
            ("not json", "not JSON"),
            ("[1]", "JSON object"),
            (r#"{"id":"1"}"#, "`type`"),
            (r#"{"type":"subscribe","payload":{"query":"{a}"}}"#, "`id`"),
            (
                r#"{"type":"subscribe","id":"","payload":{"query":"{a}"}}"#,
                "`id`",
            ),
            (r#"{"type":"subscribe","id":"1"}"#, "`payload`"),
            (
                r#"{"type":"subscribe","id":"1","payload":"{a}"}"#,
                "JSON object",
            ),
            (
                r#"{"type":"subscribe","id":"1","payload":{"query":7}}"#,
                "not a GraphQL request",
            ),
            (r#"{"type":"next","id":"1"}"#, "unknown message type `next`"),
        ];
        for (text, expected) in cases {
            let error = decode(Protocol::TransportWs, text).expect_err(text);
            assert!(error.contains(expected), "{text}: {error}");
        }
    }

    #[test]
    fn request_errors_follow_each_protocol() {
        let body = json!({ "errors": [{ "message": "no" }] });
        let modern = Encoder(Protocol::TransportWs).request_error("7", body.clone());
        assert_eq!(modern.len(), 1);
        let Message::Text(text) = &modern[0] else {
            panic!("not text");
        };
        let sent: Value = serde_json::from_str(text.as_str()).expect("the gateway sends JSON");
        assert_eq!(
            sent,
            json!({ "id": "7", "type": "error", "payload": [{ "message": "no" }] })
        );
        let legacy = Encoder(Protocol::Legacy).request_error("7", body);
        assert_eq!(legacy.len(), 2, "a result then complete");
    }
}
