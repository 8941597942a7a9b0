//! Subscriptions: the owning subgraph streams the root field over a WebSocket,
//! and for every event the gateway fetches the fields other subgraphs own.
//! Clients reach them over `graphql-transport-ws`, legacy `graphql-ws` and
//! server-sent events; protocol violations close with the spec's codes.

mod common;

use std::sync::Arc;
use std::time::Duration;

use common::{plan, supergraph};
use fitgraph_auth::{GatewayCredential, TrustMode};
use fitgraph_gateway::auth::{ApiKeyConfig, AuthConfig, Authenticator};
use fitgraph_gateway::server::{self, FrontDoor, ServerConfig};
use fitgraph_gateway::websocket::WebSocketConfig;
use fitgraph_gateway::{Gateway, GatewayConfig};
use fitgraph_gateway_testkit::{Behavior, FixtureSubgraph, RunningSubgraph};
use futures::{SinkExt, StreamExt};
use serde_json::{Value, json};
use tokio::net::TcpStream;
use tokio_tungstenite::tungstenite::Message;
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::{MaybeTlsStream, WebSocketStream};

const REVIEWS: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { latestReview: Review }
type Subscription { reviewAdded(minStars: Int = 1): Review! }
type Review { id: ID! stars: Int! body: String! product: Product! }
type Product @key(fields: "upc", resolvable: false) { upc: String! }
"#;

const PRODUCTS: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { product(upc: String!): Product }
type Product @key(fields: "upc") { upc: String! name: String! }
"#;

const SUBSCRIPTION: &str =
    "subscription Reviews { reviewAdded(minStars: 4) { id stars product { upc name } } }";

fn fixture_supergraph() -> String {
    supergraph(&[("products", PRODUCTS), ("reviews", REVIEWS)])
}

#[test]
fn a_subscription_streams_from_its_owner_and_fetches_the_rest_per_event() {
    insta::assert_snapshot!(
        "subscription_with_entities",
        plan(&fixture_supergraph(), SUBSCRIPTION)
    );
}

#[test]
fn a_subscription_within_one_subgraph_has_no_rest() {
    insta::assert_snapshot!(
        "subscription_single_subgraph",
        plan(
            &fixture_supergraph(),
            "subscription { reviewAdded { id body product { upc } } }"
        )
    );
}

fn review(id: &str, stars: i64, upc: &str) -> Value {
    json!({ "reviewAdded": { "id": id, "stars": stars, "body": "x", "product": { "upc": upc } } })
}

/// The fixture subgraphs and a gateway server over them.
struct Rig {
    url: String,
    gateway: Arc<Gateway>,
    reviews: RunningSubgraph,
    products: RunningSubgraph,
    /// Sending `true` starts the server's shutdown.
    shutdown: tokio::sync::watch::Sender<bool>,
}

const PARTNER_KEY: &str = "partner-key-0123456789";

impl Rig {
    async fn start() -> Rig {
        Rig::start_with(WebSocketConfig::default()).await
    }

    async fn start_with(websocket: WebSocketConfig) -> Rig {
        let products = FixtureSubgraph::new("products", PRODUCTS)
            .entities(
                "Product",
                json!([{ "upc": "1", "name": "Table" }, { "upc": "2", "name": "Chair" }]),
            )
            .spawn()
            .await;
        let reviews = FixtureSubgraph::new("reviews", REVIEWS).spawn().await;
        let sdl = fitgraph_gateway_testkit::supergraph_with_urls(
            &fixture_supergraph(),
            &[("products", products.url()), ("reviews", reviews.url())],
        );
        let config = GatewayConfig {
            anonymous_access: fitgraph_gateway::AnonymousAccess::Everything,
            credential: Some(GatewayCredential::generate(TrustMode::Hmac)),
            ..GatewayConfig::default()
        };
        let gateway =
            Arc::new(Gateway::new(&sdl, config).expect("the fixture supergraph is valid"));
        let authenticator = Authenticator::new(AuthConfig {
            jwt: None,
            api_keys: vec![ApiKeyConfig {
                name: "partner".into(),
                key: PARTNER_KEY.into(),
                scopes: vec![],
                manifest: None,
            }],
        })
        .await
        .expect("API keys need no key material");
        let front_door = FrontDoor {
            authenticator,
            rate_limiter: None,
        };
        let (shutdown, shutting_down) = tokio::sync::watch::channel(false);
        let server_config = ServerConfig {
            websocket,
            shutdown: Some(shutting_down),
            ..ServerConfig::default()
        };
        let router = server::router(Arc::clone(&gateway), front_door, &server_config);
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a free port on localhost");
        let address = listener
            .local_addr()
            .expect("a bound listener has an address");
        tokio::spawn(server::serve(listener, router, std::future::pending()));
        Rig {
            url: format!("ws://{address}/graphql"),
            gateway,
            reviews,
            products,
            shutdown,
        }
    }

    fn http_url(&self) -> String {
        self.url.replacen("ws://", "http://", 1)
    }

    /// Waits until `n` subscriptions listen on the reviews subgraph.
    async fn await_subscribers(&self, n: usize) {
        eventually(|| self.reviews.subscribers() == n, "upstream subscribers").await;
    }
}

async fn eventually(condition: impl Fn() -> bool, what: &str) {
    for _ in 0..200 {
        if condition() {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("timed out waiting for {what}");
}

type Client = WebSocketStream<MaybeTlsStream<TcpStream>>;

async fn connect(url: &str, protocol: &str) -> Client {
    let mut request = url.into_client_request().expect("a valid ws URL");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        protocol.parse().expect("a valid header value"),
    );
    let (socket, response) = tokio_tungstenite::connect_async(request)
        .await
        .expect("the gateway accepts the WebSocket");
    assert_eq!(
        response.headers()["sec-websocket-protocol"],
        protocol,
        "the gateway speaks the protocol asked for"
    );
    socket
}

async fn send(client: &mut Client, message: Value) {
    client
        .send(Message::text(message.to_string()))
        .await
        .expect("the gateway takes the message");
}

/// The next JSON message, skipping keepalives.
async fn receive(client: &mut Client) -> Value {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), client.next())
            .await
            .expect("a message within 10 s")
            .expect("the socket is open")
            .expect("the socket reads");
        match message {
            Message::Text(text) => {
                let value: Value =
                    serde_json::from_str(text.as_str()).expect("the gateway sends JSON");
                if value["type"] != "ping" && value["type"] != "ka" {
                    return value;
                }
            }
            Message::Close(frame) => panic!("closed unexpectedly: {frame:?}"),
            _ => {}
        }
    }
}

/// The close code the gateway ends the connection with.
async fn close_code(client: &mut Client) -> u16 {
    loop {
        let message = tokio::time::timeout(Duration::from_secs(10), client.next())
            .await
            .expect("the gateway closes within 10 s");
        match message {
            Some(Ok(Message::Close(Some(frame)))) => return frame.code.into(),
            Some(Ok(Message::Close(None))) | None | Some(Err(_)) => return 1005,
            Some(Ok(_)) => {}
        }
    }
}

async fn initialised(url: &str, payload: Value) -> Client {
    let mut client = connect(url, "graphql-transport-ws").await;
    send(
        &mut client,
        json!({ "type": "connection_init", "payload": payload }),
    )
    .await;
    assert_eq!(receive(&mut client).await["type"], "connection_ack");
    client
}

fn subscribe(id: &str, query: &str) -> Value {
    json!({ "id": id, "type": "subscribe", "payload": { "query": query } })
}

#[tokio::test]
async fn every_event_arrives_in_order_with_fields_from_both_subgraphs() {
    let rig = Rig::start().await;
    let mut client = initialised(&rig.url, json!({})).await;
    send(&mut client, subscribe("s1", SUBSCRIPTION)).await;
    rig.await_subscribers(1).await;
    rig.products.reset();
    for (id, upc) in [("r1", "1"), ("r2", "2"), ("r3", "1")] {
        rig.reviews.emit(review(id, 5, upc));
    }
    let mut names = Vec::new();
    for expected in ["r1", "r2", "r3"] {
        let message = receive(&mut client).await;
        assert_eq!(message["type"], "next");
        assert_eq!(message["id"], "s1");
        let review = &message["payload"]["data"]["reviewAdded"];
        assert_eq!(review["id"], expected, "{message}");
        assert!(message["payload"].get("errors").is_none(), "{message}");
        names.push(review["product"]["name"].clone());
    }
    assert_eq!(names, [json!("Table"), json!("Chair"), json!("Table")]);
    assert_eq!(
        rig.products.request_count(),
        3,
        "one entity fetch per event"
    );
    let upstream = &rig.reviews.requests()[0];
    assert!(
        upstream.query.starts_with("subscription"),
        "{}",
        upstream.query
    );
    assert_eq!(
        upstream.variables,
        json!({}),
        "literal arguments stay in the document"
    );
    rig.reviews.complete_subscriptions();
    assert_eq!(
        receive(&mut client).await,
        json!({ "id": "s1", "type": "complete" })
    );
    eventually(
        || rig.gateway.active_subscriptions() == 0,
        "the stream to end",
    )
    .await;
}

#[tokio::test]
async fn shutting_down_closes_subscriptions_with_going_away() {
    let rig = Rig::start().await;
    let mut client = initialised(&rig.url, json!({})).await;
    send(&mut client, subscribe("s1", SUBSCRIPTION)).await;
    rig.await_subscribers(1).await;
    rig.shutdown
        .send(true)
        .expect("the server watches its shutdown");
    assert_eq!(close_code(&mut client).await, 1001);
    eventually(
        || rig.reviews.open_subscriptions() == 0,
        "the upstream socket to close",
    )
    .await;
}

#[tokio::test]
async fn completing_from_the_client_closes_the_upstream_socket() {
    let rig = Rig::start().await;
    let mut client = initialised(&rig.url, json!({})).await;
    send(&mut client, subscribe("s1", SUBSCRIPTION)).await;
    rig.await_subscribers(1).await;
    assert_eq!(rig.gateway.active_subscriptions(), 1);
    send(&mut client, json!({ "id": "s1", "type": "complete" })).await;
    eventually(
        || rig.reviews.open_subscriptions() == 0,
        "the upstream socket to close",
    )
    .await;
    eventually(
        || rig.gateway.active_subscriptions() == 0,
        "the stream to end",
    )
    .await;
    // The id is free again, and the connection still works.
    send(&mut client, subscribe("s1", SUBSCRIPTION)).await;
    rig.await_subscribers(1).await;
    drop(client);
    eventually(
        || rig.reviews.open_subscriptions() == 0,
        "cleanup after the client left",
    )
    .await;
}

#[tokio::test]
async fn the_legacy_protocol_streams_too() {
    let rig = Rig::start().await;
    let mut client = connect(&rig.url, "graphql-ws").await;
    send(&mut client, json!({ "type": "connection_init" })).await;
    assert_eq!(receive(&mut client).await["type"], "connection_ack");
    send(
        &mut client,
        json!({ "id": "7", "type": "start", "payload": { "query": SUBSCRIPTION } }),
    )
    .await;
    rig.await_subscribers(1).await;
    rig.reviews.emit(review("r9", 4, "2"));
    let message = receive(&mut client).await;
    assert_eq!(message["type"], "data");
    assert_eq!(
        message["payload"]["data"]["reviewAdded"]["product"]["name"],
        "Chair"
    );
    send(&mut client, json!({ "id": "7", "type": "stop" })).await;
    eventually(
        || rig.reviews.open_subscriptions() == 0,
        "the upstream socket to close",
    )
    .await;
}

#[tokio::test]
async fn queries_run_over_the_socket_as_one_result() {
    let rig = Rig::start().await;
    let mut client = initialised(&rig.url, json!({})).await;
    send(
        &mut client,
        subscribe("q", "{ product(upc: \"1\") { name } }"),
    )
    .await;
    let message = receive(&mut client).await;
    assert_eq!(message["type"], "next");
    assert_eq!(message["payload"]["data"]["product"], json!(null));
    assert_eq!(
        receive(&mut client).await,
        json!({ "id": "q", "type": "complete" })
    );
}

#[tokio::test]
async fn an_invalid_operation_is_an_error_message_and_the_connection_stays() {
    let rig = Rig::start().await;
    let mut client = initialised(&rig.url, json!({})).await;
    send(
        &mut client,
        subscribe("bad", "subscription { reviewAdded { nope } }"),
    )
    .await;
    let message = receive(&mut client).await;
    assert_eq!(message["type"], "error");
    assert_eq!(message["id"], "bad");
    assert_eq!(
        message["payload"][0]["extensions"]["code"],
        "GRAPHQL_VALIDATION_FAILED"
    );
    send(&mut client, subscribe("good", SUBSCRIPTION)).await;
    rig.await_subscribers(1).await;
}

#[tokio::test]
async fn an_unreachable_owner_is_reported_as_an_event_error() {
    let rig = Rig::start().await;
    rig.reviews.set_behavior(Behavior::Down);
    let mut client = initialised(&rig.url, json!({})).await;
    send(&mut client, subscribe("s", SUBSCRIPTION)).await;
    let message = receive(&mut client).await;
    assert_eq!(message["type"], "next");
    assert_eq!(message["payload"]["data"], json!(null));
    assert_eq!(
        message["payload"]["errors"][0]["extensions"]["code"],
        "SUBREQUEST_HTTP_ERROR"
    );
    assert_eq!(receive(&mut client).await["type"], "complete");
}

#[tokio::test]
async fn protocol_violations_close_with_the_spec_codes() {
    let rig = Rig::start().await;
    let cases: Vec<(Vec<Value>, u16)> = vec![
        (vec![subscribe("s", SUBSCRIPTION)], 4401),
        (
            vec![
                json!({ "type": "connection_init" }),
                json!({ "type": "connection_init" }),
            ],
            4429,
        ),
        (
            vec![
                json!({ "type": "connection_init" }),
                json!({ "type": "shout" }),
            ],
            4400,
        ),
        (
            vec![json!({ "type": "connection_init" }), json!([1, 2])],
            4400,
        ),
        (
            vec![
                json!({ "type": "connection_init" }),
                json!({ "type": "subscribe", "id": "s" }),
            ],
            4400,
        ),
        (
            vec![
                json!({ "type": "connection_init" }),
                subscribe("s", SUBSCRIPTION),
                subscribe("s", SUBSCRIPTION),
            ],
            4409,
        ),
    ];
    for (messages, code) in cases {
        let mut client = connect(&rig.url, "graphql-transport-ws").await;
        for message in &messages {
            send(&mut client, message.clone()).await;
        }
        assert_eq!(close_code(&mut client).await, code, "{messages:?}");
    }
    let mut client = connect(&rig.url, "graphql-transport-ws").await;
    client
        .send(Message::text("{not json"))
        .await
        .expect("the gateway takes the message");
    assert_eq!(close_code(&mut client).await, 4400, "malformed JSON");
    eventually(
        || rig.gateway.active_subscriptions() == 0,
        "no leaked streams",
    )
    .await;
    eventually(
        || rig.reviews.open_subscriptions() == 0,
        "no leaked upstream sockets",
    )
    .await;
}

#[tokio::test]
async fn a_silent_connection_times_out_and_oversized_messages_are_refused() {
    let rig = Rig::start_with(WebSocketConfig {
        init_timeout: Duration::from_millis(200),
        max_message_bytes: 1024,
        ..WebSocketConfig::default()
    })
    .await;
    let mut silent = connect(&rig.url, "graphql-transport-ws").await;
    assert_eq!(close_code(&mut silent).await, 4408);
    let mut client = initialised(&rig.url, json!({})).await;
    let padding = "x".repeat(4096);
    send(
        &mut client,
        subscribe(
            "big",
            &format!("subscription {{ reviewAdded {{ id }} }} # {padding}"),
        ),
    )
    .await;
    assert_eq!(close_code(&mut client).await, 1009);
}

#[tokio::test]
async fn a_websocket_needs_a_graphql_subprotocol() {
    let rig = Rig::start().await;
    let request = rig
        .url
        .as_str()
        .into_client_request()
        .expect("a valid ws URL");
    let refused = tokio_tungstenite::connect_async(request).await;
    let Err(tokio_tungstenite::tungstenite::Error::Http(response)) = refused else {
        panic!("the upgrade should be refused: {refused:?}");
    };
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn connection_init_carries_credentials_forwarded_upstream() {
    let rig = Rig::start().await;
    let mut client = initialised(&rig.url, json!({ "X-API-Key": PARTNER_KEY })).await;
    send(&mut client, subscribe("s", SUBSCRIPTION)).await;
    rig.await_subscribers(1).await;
    let upstream = &rig.reviews.requests()[0];
    assert_eq!(upstream.headers["x-fitgraph-client"], "partner");
    assert!(
        upstream.headers.contains_key("x-fitgraph-signature"),
        "signed by the gateway"
    );

    let mut refused = connect(&rig.url, "graphql-transport-ws").await;
    send(
        &mut refused,
        json!({ "type": "connection_init", "payload": { "x-api-key": "wrong" } }),
    )
    .await;
    assert_eq!(close_code(&mut refused).await, 4403);
}

#[tokio::test]
async fn server_sent_events_carry_subscriptions_over_plain_http() {
    let rig = Rig::start().await;
    let response = reqwest::Client::new()
        .post(rig.http_url())
        .header("accept", "text/event-stream")
        .json(&json!({ "query": SUBSCRIPTION }))
        .send()
        .await
        .expect("the gateway answers");
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/event-stream");
    rig.await_subscribers(1).await;
    rig.reviews.emit(review("r1", 5, "2"));
    rig.reviews.complete_subscriptions();
    let text = tokio::time::timeout(Duration::from_secs(10), response.text())
        .await
        .expect("the stream ends after complete")
        .expect("the body reads");
    let events: Vec<&str> = text
        .split("\n\n")
        .filter(|e| !e.trim().is_empty())
        .collect();
    assert_eq!(events.len(), 2, "{text}");
    assert!(events[0].starts_with("event: next\ndata: "), "{text}");
    let data: Value = serde_json::from_str(&events[0]["event: next\ndata: ".len()..])
        .expect("each event's data is a JSON response");
    assert_eq!(data["data"]["reviewAdded"]["product"]["name"], "Chair");
    assert!(events[1].starts_with("event: complete"), "{text}");
}

#[tokio::test]
async fn a_subscription_over_plain_post_asks_for_a_streaming_transport() {
    let rig = Rig::start().await;
    let response = reqwest::Client::new()
        .post(rig.http_url())
        .json(&json!({ "query": SUBSCRIPTION }))
        .send()
        .await
        .expect("the gateway answers");
    let body: Value = response.json().await.expect("a JSON body");
    assert_eq!(body["errors"][0]["extensions"]["code"], "BAD_REQUEST");
    assert_eq!(rig.reviews.request_count(), 0);
}

/// A client socket with a tiny receive buffer, so a client that does not read
/// pushes back on the gateway after a few events rather than megabytes.
async fn connect_with_small_buffer(url: &str) -> Client {
    let address = url
        .trim_start_matches("ws://")
        .trim_end_matches("/graphql")
        .parse()
        .expect("the rig's address");
    let socket = tokio::net::TcpSocket::new_v4().expect("a TCP socket");
    socket
        .set_recv_buffer_size(4096)
        .expect("the buffer size can be set");
    let stream = socket.connect(address).await.expect("the gateway accepts");
    let mut request = url.into_client_request().expect("a valid ws URL");
    request.headers_mut().insert(
        "sec-websocket-protocol",
        "graphql-transport-ws".parse().expect("valid"),
    );
    let (client, _) = tokio_tungstenite::client_async(request, MaybeTlsStream::Plain(stream))
        .await
        .expect("the upgrade succeeds");
    client
}

#[tokio::test]
async fn a_client_that_never_reads_is_dropped_and_others_carry_on() {
    let rig = Rig::start_with(WebSocketConfig {
        outbound_buffer: 4,
        ..WebSocketConfig::default()
    })
    .await;
    let mut stuck = connect_with_small_buffer(&rig.url).await;
    send(&mut stuck, json!({ "type": "connection_init" })).await;
    send(
        &mut stuck,
        subscribe("s", "subscription { reviewAdded { id body } }"),
    )
    .await;
    let mut reader = initialised(&rig.url, json!({})).await;
    send(
        &mut reader,
        subscribe("s", "subscription { reviewAdded { id body } }"),
    )
    .await;
    rig.await_subscribers(2).await;
    let body = "y".repeat(32 * 1024);
    let total = 300;
    let reading = tokio::spawn(async move {
        let mut seen = 0;
        while seen < total {
            let message = receive(&mut reader).await;
            assert_eq!(
                message["payload"]["data"]["reviewAdded"]["id"],
                seen.to_string()
            );
            seen += 1;
        }
        (seen, reader)
    });
    for n in 0..total {
        let event = json!({ "reviewAdded": { "id": n.to_string(), "stars": 1, "body": body, "product": { "upc": "1" } } });
        rig.reviews.emit(event);
        // The fixture's broadcast holds 1024 events; pacing keeps the reader whole.
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    let (seen, reader) = reading.await.expect("the reader finishes");
    assert_eq!(seen, total, "the reader got everything");
    // The stuck client's connection is gone, with its upstream socket; the
    // reader's subscription is the only one left.
    eventually(
        || rig.gateway.active_subscriptions() == 1,
        "the stuck client to be dropped",
    )
    .await;
    eventually(
        || rig.reviews.open_subscriptions() == 1,
        "its upstream socket to close",
    )
    .await;
    drop(reader);
    eventually(
        || rig.reviews.open_subscriptions() == 0,
        "the reader's upstream to close",
    )
    .await;
    drop(stuck);
}

#[tokio::test]
async fn automatic_persisted_queries_work_over_the_socket() {
    use sha2::{Digest, Sha256};
    let rig = Rig::start().await;
    let hash = hex_digest(&Sha256::digest(SUBSCRIPTION.as_bytes()));
    let extensions = json!({ "persistedQuery": { "version": 1, "sha256Hash": hash } });
    let mut client = initialised(&rig.url, json!({})).await;
    let hash_only =
        json!({ "id": "a", "type": "subscribe", "payload": { "extensions": extensions } });
    send(&mut client, hash_only.clone()).await;
    let missed = receive(&mut client).await;
    assert_eq!(missed["type"], "error", "{missed}");
    assert_eq!(
        missed["payload"][0]["extensions"]["code"],
        "PERSISTED_QUERY_NOT_FOUND"
    );
    let register = json!({ "id": "b", "type": "subscribe", "payload": { "query": SUBSCRIPTION, "extensions": extensions } });
    send(&mut client, register).await;
    rig.await_subscribers(1).await;
    send(&mut client, json!({ "id": "b", "type": "complete" })).await;
    rig.await_subscribers(0).await;
    send(&mut client, hash_only).await;
    rig.await_subscribers(1).await;
    rig.reviews.emit(review("r1", 5, "1"));
    let message = receive(&mut client).await;
    assert_eq!(message["id"], "a");
    assert_eq!(
        message["payload"]["data"]["reviewAdded"]["product"]["name"],
        "Table"
    );
}

fn hex_digest(bytes: &[u8]) -> String {
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}
