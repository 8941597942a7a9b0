//! Subscriptions over a real WebSocket, as the gateway opens them: the upgrade request
//! carries the gateway credential (signed over an empty body) and the identity the
//! resolvers see; without a valid credential there is no upgrade, only a 401.

mod common;

use std::sync::Arc;

use chrono::Utc;
use common::live::*;
use common::*;
use fitgraph_auth::{GatewayCredential, TrustMode};
use serde_json::{Value, json};
use subgraph_common::Identity;
use subgraph_common::events::{DomainEvent, EventBus};
use subgraph_common::testing::ws::{LEGACY_WS, TRANSPORT_WS, WsClient, connect};
use subgraph_common::testing::{Backend, ObservedBus, TestServer, spawn_router, test_credential};
use tokio_tungstenite::tungstenite;

subgraph_common::db_tests!(
    a_signed_upgrade_streams_a_workout_over_graphql_transport_ws,
    the_legacy_graphql_ws_protocol_streams_too,
    the_identity_comes_from_the_signed_upgrade,
    upgrades_without_the_gateway_credential_are_refused,
);

struct Served {
    rig: Rig,
    bus: Arc<ObservedBus>,
    server: TestServer,
    workout: String,
}

/// The plans router over HTTP on port 0, with a workout of [`USER`] scheduled.
async fn serve(backend: Backend) -> Served {
    let bus = ObservedBus::in_memory();
    let rig = rig_on(backend, bus.clone()).await;
    let workout = rig.schedule(workout_input(USER, "2026-11-24")).await;
    let server = spawn_router(plans_subgraph::router(
        rig.schema.clone(),
        test_credential(),
    ))
    .await;
    Served {
        rig,
        bus,
        server,
        workout,
    }
}

impl Served {
    async fn connect_as(&self, protocol: &str, identity: &Identity) -> WsClient {
        WsClient::signed(&self.server.graphql_url(), protocol, identity).await
    }

    fn subscription(&self, workout: &str) -> Value {
        json!({ "query": WORKOUT_PROGRESS, "variables": { "id": workout } })
    }

    fn set(&self, sets_logged: u32) -> DomainEvent {
        Set {
            user: USER,
            workout: self.workout.clone(),
            exercise: SQUAT,
            number: sets_logged,
            reps: 8,
            load_kg: 40.0,
            sets_logged,
            at: Utc::now(),
        }
        .event()
    }

    fn completed(&self) -> DomainEvent {
        DomainEvent::WorkoutCompleted {
            user_id: uuid(USER),
            workout_id: uuid(&self.workout),
            sets_logged: 2,
            at: Utc::now(),
        }
    }

    async fn publish(&self, event: DomainEvent) {
        self.bus
            .publish(&event.topic(), &event)
            .await
            .expect("the in-process bus publishes");
    }
}

async fn a_signed_upgrade_streams_a_workout_over_graphql_transport_ws(backend: Backend) {
    let served = serve(backend).await;
    let mut client = served.connect_as(TRANSPORT_WS, &signed_in(USER)).await;
    let subscribe =
        json!({ "id": "1", "type": "subscribe", "payload": served.subscription(&served.workout) });
    client.send(subscribe).await;
    served.bus.wait_for_subscriptions(1).await;

    served.publish(served.set(1)).await;
    served.publish(served.set(2)).await;
    for sets_logged in [1, 2] {
        let next = client.receive().await;
        assert_eq!(
            (&next["type"], &next["id"]),
            (&json!("next"), &json!("1")),
            "{next}"
        );
        let step = &next["payload"]["data"]["workoutProgress"];
        assert_eq!(step["kind"], "SET_LOGGED");
        assert_eq!(step["setsLogged"], sets_logged);
        assert_eq!(step["exercise"]["id"], SQUAT);
        assert_eq!(step["nextExercise"]["exercise"]["id"], BENCH);
    }
    served.publish(served.completed()).await;
    let next = client.receive().await;
    assert_eq!(
        next["payload"]["data"]["workoutProgress"]["kind"],
        "WORKOUT_COMPLETED"
    );
    let complete = client.receive().await;
    assert_eq!(
        (&complete["type"], &complete["id"]),
        (&json!("complete"), &json!("1"))
    );
}

async fn the_legacy_graphql_ws_protocol_streams_too(backend: Backend) {
    let served = serve(backend).await;
    let mut client = served.connect_as(LEGACY_WS, &signed_in(USER)).await;
    let start =
        json!({ "id": "7", "type": "start", "payload": served.subscription(&served.workout) });
    client.send(start).await;
    served.bus.wait_for_subscriptions(1).await;

    served.publish(served.set(1)).await;
    let data = client.receive().await;
    assert_eq!(
        (&data["type"], &data["id"]),
        (&json!("data"), &json!("7")),
        "{data}"
    );
    assert_eq!(
        data["payload"]["data"]["workoutProgress"]["kind"],
        "SET_LOGGED"
    );
    served.publish(served.completed()).await;
    let data = client.receive().await;
    assert_eq!(
        data["payload"]["data"]["workoutProgress"]["kind"],
        "WORKOUT_COMPLETED"
    );
    let complete = client.receive().await;
    assert_eq!(
        (&complete["type"], &complete["id"]),
        (&json!("complete"), &json!("7"))
    );
}

async fn the_identity_comes_from_the_signed_upgrade(backend: Backend) {
    let served = serve(backend).await;
    let cases = [
        (signed_in(OTHER_USER), "NOT_FOUND"),
        (Identity::anonymous(), "UNAUTHENTICATED"),
    ];
    for (identity, code) in cases {
        let mut client = served.connect_as(TRANSPORT_WS, &identity).await;
        let subscribe = json!({ "id": "1", "type": "subscribe", "payload": served.subscription(&served.workout) });
        client.send(subscribe).await;
        let answer = client.receive().await;
        let errors = match answer["type"].as_str() {
            Some("next") => answer["payload"]["errors"].clone(),
            Some("error") => answer["payload"].clone(),
            _ => panic!("an error: {answer}"),
        };
        assert_eq!(errors[0]["extensions"]["code"], code, "{answer}");
    }
    assert_eq!(
        served.bus.subscriptions(),
        0,
        "nobody else's workout is listened to"
    );
    assert_eq!(
        served
            .rig
            .ok(START_WORKOUT, json!({ "id": served.workout }))
            .await["startWorkout"]["status"],
        "IN_PROGRESS",
        "the workout is untouched"
    );
}

async fn upgrades_without_the_gateway_credential_are_refused(backend: Backend) {
    let served = serve(backend).await;
    let forged = GatewayCredential::new("not-the-gateway-secret-0123456789abcdef", TrustMode::Hmac)
        .expect("a long enough secret");
    let user = signed_in(USER);
    for signed in [None, Some((&forged, &user))] {
        let refused = connect(&served.server.graphql_url(), TRANSPORT_WS, signed).await;
        let Err(tungstenite::Error::Http(response)) = refused else {
            panic!("the upgrade is refused with an HTTP response");
        };
        assert_eq!(response.status().as_u16(), 401);
        let body: Value = serde_json::from_slice(response.body().as_deref().unwrap_or_default())
            .expect("the refusal is JSON");
        assert_eq!(body["errors"][0]["extensions"]["code"], "UNAUTHENTICATED");
    }
    let explorer = reqwest::get(served.server.graphql_url())
        .await
        .expect("the explorer answers");
    assert_eq!(
        explorer.status().as_u16(),
        200,
        "a plain GET still shows the explorer"
    );
    assert!(
        explorer
            .text()
            .await
            .unwrap_or_default()
            .contains("graphiql"),
        "the explorer page"
    );
}
