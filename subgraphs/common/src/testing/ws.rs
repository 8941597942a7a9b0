//! A subscription WebSocket client as the gateway is one: the upgrade request signed
//! with the gateway credential over an empty body, then a GraphQL subscription
//! protocol (`graphql-transport-ws` or the legacy `graphql-ws`).

use std::time::{Duration, SystemTime};

use fitgraph_auth::GatewayCredential;
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::http::HeaderValue;
use tokio_tungstenite::tungstenite::{self, Message};
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

pub const TRANSPORT_WS: &str = "graphql-transport-ws";
pub const LEGACY_WS: &str = "graphql-ws";

pub struct WsClient {
    socket: WebSocketStream<MaybeTlsStream<TcpStream>>,
}

/// Opens the WebSocket at `graphql_url` (`http://.../graphql`) with `protocol`, the
/// upgrade signed by `credential` for `identity` (none: unsigned).
pub async fn connect(
    graphql_url: &str,
    protocol: &str,
    signed: Option<(&GatewayCredential, &crate::Identity)>,
) -> Result<WsClient, tungstenite::Error> {
    let url = graphql_url.replacen("http://", "ws://", 1);
    let mut request = url
        .into_client_request()
        .expect("the test server's URL is a valid WebSocket URL");
    let headers = request.headers_mut();
    headers.insert(
        "sec-websocket-protocol",
        HeaderValue::from_str(protocol).expect("a protocol name is a valid header"),
    );
    if let Some((credential, identity)) = signed {
        headers.extend(credential.headers(identity, b"", SystemTime::now()));
    }
    let (socket, _) = tokio_tungstenite::connect_async(request).await?;
    Ok(WsClient { socket })
}

impl WsClient {
    pub async fn send(&mut self, message: Value) {
        self.socket
            .send(Message::text(message.to_string()))
            .await
            .expect("the socket is open");
    }

    /// The next protocol message (within 5 s), keep-alives (`ka`, and the
    /// `ping` a gateway sends) skipped.
    pub async fn receive(&mut self) -> Value {
        loop {
            let message = tokio::time::timeout(Duration::from_secs(5), self.socket.next())
                .await
                .expect("a message within 5 s")
                .expect("the socket is open")
                .expect("the socket reads");
            let Message::Text(text) = message else {
                continue;
            };
            let value: Value = serde_json::from_str(&text).expect("protocol messages are JSON");
            if value["type"] != "ka" && value["type"] != "ping" {
                return value;
            }
        }
    }

    /// Opens the WebSocket of `graphql_url` signed with [`super::test_credential`] for
    /// `identity`, and initialises the connection.
    pub async fn signed(graphql_url: &str, protocol: &str, identity: &crate::Identity) -> WsClient {
        let credential = super::test_credential();
        let mut client = connect(graphql_url, protocol, Some((&credential, identity)))
            .await
            .expect("a signed upgrade is accepted");
        client.init().await;
        client
    }

    /// `connection_init`, answered by `connection_ack`.
    pub async fn init(&mut self) {
        self.send(json!({ "type": "connection_init", "payload": {} }))
            .await;
        let ack = self.receive().await;
        assert_eq!(ack["type"], "connection_ack", "{ack}");
    }
}
