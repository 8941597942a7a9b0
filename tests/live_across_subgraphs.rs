//! A live workout as `dev` runs it, seen from the plans subgraph: the subgraphs
//! share one event bus, so what the client does through the gateway (profile, plans
//! and feedback mutations) reaches subscriptions on the plans WebSocket, opened as
//! the gateway opens them — `workoutProgress` and `todayWorkoutChanged` together.

mod support;

use std::collections::VecDeque;

use serde_json::{Value, json};
use subgraph_common::testing::Backend;
use subgraph_common::testing::ws::{TRANSPORT_WS, WsClient};
use subgraph_common::{Identity, SubgraphName, db_tests};
use support::{Caller, Stack};

db_tests!(a_workout_is_followed_live_across_the_subgraphs);

const TODAY: &str = "{ me { todayWorkout { id exercises { exercise { id } } } } }";

/// The plans WebSocket with two subscriptions on it, read per subscription id.
struct Inbox {
    socket: WsClient,
    unread: VecDeque<Value>,
}

impl Inbox {
    async fn subscribe(&mut self, id: &str, query: &str, variables: Value) {
        let payload = json!({ "query": query, "variables": variables });
        self.socket
            .send(json!({ "id": id, "type": "subscribe", "payload": payload }))
            .await;
    }

    /// The next message of subscription `id`; the other's wait their turn.
    async fn next(&mut self, id: &str) -> Value {
        if let Some(at) = self.unread.iter().position(|message| message["id"] == id) {
            return self.unread.remove(at).expect("the position is in range");
        }
        loop {
            let message = self.socket.receive().await;
            if message["id"] == id {
                return message;
            }
            self.unread.push_back(message);
        }
    }

    async fn data(&mut self, id: &str, field: &str) -> Value {
        let message = self.next(id).await;
        assert_eq!(message["type"], "next", "{message}");
        assert_eq!(message["payload"].get("errors"), None, "{message}");
        message["payload"]["data"][field].clone()
    }
}

async fn a_workout_is_followed_live_across_the_subgraphs(backend: Backend) {
    let stack = Stack::start(backend).await;
    stack.seed_library().await;
    let answers = json!({ "primaryGoal": "MUSCLE_GAIN", "equipment": ["DUMBBELL", "BENCH"] });
    let (caller, user) = stack.onboard(answers).await;
    let plans = format!(
        "http://{}/graphql",
        stack.subgraph(SubgraphName::Plans).address
    );
    let socket = WsClient::signed(&plans, TRANSPORT_WS, &Identity::user(&user, &[])).await;
    let mut inbox = Inbox {
        socket,
        unread: VecDeque::new(),
    };

    let changes = "subscription { todayWorkoutChanged { workoutId reason } }";
    inbox.subscribe("today", changes, json!({})).await;
    stack.bus.wait_for_subscriptions(1).await;
    let data = stack.ok(&caller, TODAY, json!({})).await;
    let workout = data["me"]["todayWorkout"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let first = data["me"]["todayWorkout"]["exercises"][0]["exercise"]["id"].clone();
    let change = inbox.data("today", "todayWorkoutChanged").await;
    assert_eq!(
        change,
        json!({ "workoutId": workout, "reason": "GENERATED" })
    );

    let progress = "subscription ($id: ID!) { workoutProgress(workoutId: $id) \
        { kind setsLogged exercise { id } nextExercise { exercise { id } } } }";
    inbox
        .subscribe("live", progress, json!({ "id": workout }))
        .await;
    // Today's workout topic (followed since it was generated), then this one.
    stack.bus.wait_for_subscriptions(3).await;
    start_log_and_complete(&stack, &caller, &user, &workout, &first, &mut inbox).await;
}

async fn start_log_and_complete(
    stack: &Stack,
    caller: &Caller,
    user: &str,
    workout: &str,
    first: &Value,
    inbox: &mut Inbox,
) {
    let start = "mutation($w: ID!) { startWorkout(workoutId: $w) { status } }";
    stack.ok(caller, start, json!({ "w": workout })).await;
    let step = inbox.data("live", "workoutProgress").await;
    assert_eq!(step["kind"], "WORKOUT_STARTED");
    assert_eq!(step["nextExercise"]["exercise"]["id"], *first);
    let change = inbox.data("today", "todayWorkoutChanged").await;
    assert_eq!(change, json!({ "workoutId": workout, "reason": "STARTED" }));

    let log = "mutation($input: LogSetInput!) { logSet(input: $input) { id } }";
    let set = json!({ "idempotencyKey": "live-e2e-set-1", "userId": user, "workoutId": workout,
        "exerciseId": first, "setIndex": 1, "reps": 10, "loadKg": 12.5 });
    stack.ok(caller, log, json!({ "input": set })).await;
    let step = inbox.data("live", "workoutProgress").await;
    assert_eq!(
        (&step["kind"], &step["setsLogged"], &step["exercise"]["id"]),
        (&json!("SET_LOGGED"), &json!(1), first)
    );

    let goals =
        "mutation($id: ID!) { updateGoals(userId: $id, input: { primaryGoal: ENDURANCE }) { id } }";
    stack.ok(caller, goals, json!({ "id": user })).await;
    let change = inbox.data("today", "todayWorkoutChanged").await;
    assert_eq!(
        change,
        json!({ "workoutId": null, "reason": "PROFILE_CHANGED" })
    );

    let complete =
        "mutation($input: CompleteWorkoutInput!) { completeWorkout(input: $input) { id } }";
    let outcome = json!({ "exerciseId": first, "completed": true, "skipped": false });
    let input = json!({ "idempotencyKey": "live-e2e-done-1", "userId": user,
        "workoutId": workout, "exercises": [outcome] });
    stack.ok(caller, complete, json!({ "input": input })).await;
    let step = inbox.data("live", "workoutProgress").await;
    assert_eq!(
        (&step["kind"], &step["setsLogged"]),
        (&json!("WORKOUT_COMPLETED"), &json!(1))
    );
    assert_eq!(inbox.next("live").await["type"], "complete");
    let change = inbox.data("today", "todayWorkoutChanged").await;
    assert_eq!(
        change,
        json!({ "workoutId": workout, "reason": "COMPLETED" })
    );
}
