//! What feedback announces on the event bus: a set or a completion once, when it is
//! written (never again on an idempotent replay), and the live-screen actions, which
//! are announced without being stored and refused like any write when invalid.

mod support;

use std::sync::Arc;
use std::time::Duration;

use futures::StreamExt;
use serde_json::{Value, json};
use subgraph_common::db_tests;
use subgraph_common::events::{
    Delivery, DomainEvent, EventBus, EventBusError, EventStream, workout_topic,
};
use subgraph_common::testing::{Backend, error_codes};
use support::*;
use uuid::Uuid;

db_tests!(
    a_set_is_announced_once_when_written,
    sets_written_together_announce_each_count_once,
    a_completion_is_announced_once_when_written,
    rests_and_finished_exercises_are_announced_not_stored,
    invalid_or_anonymous_live_actions_announce_nothing,
    live_actions_on_another_users_workout_are_not_found,
    writes_stand_when_the_bus_is_down,
);

struct Rig {
    feedback: Feedback,
    bus: Arc<dyn EventBus>,
}

async fn rig(backend: Backend) -> Rig {
    let bus = subgraph_common::events::in_process();
    let settings = settings_with_exercises_at(unreachable_url());
    let feedback = feedback_on(backend, &settings, bus.clone()).await;
    Rig { feedback, bus }
}

impl Rig {
    async fn watch(&self, workout: &str) -> EventStream {
        let id = Uuid::parse_str(workout).expect("a workout id");
        self.bus
            .subscribe(&workout_topic(id))
            .await
            .expect("the in-process bus subscribes")
    }

    async fn ok(&self, user: &str, query: &str, variables: Value) -> Value {
        let response = self
            .feedback
            .run_as(&signed_in(user), query, variables)
            .await;
        assert_eq!(error_codes(&response), Vec::<String>::new(), "{response:#}");
        response["data"].clone()
    }
}

/// What was announced on `stream` until it has been quiet for a moment.
async fn announced(stream: &mut EventStream) -> Vec<DomainEvent> {
    let mut events = Vec::new();
    while let Ok(Some(delivery)) =
        tokio::time::timeout(Duration::from_millis(300), stream.next()).await
    {
        match delivery {
            Delivery::Event(event) => events.push(event),
            Delivery::Missed(missed) => panic!("{missed} events missed"),
        }
    }
    events
}

fn workout_id() -> &'static str {
    // The workout `set_input` logs against.
    static ID: std::sync::LazyLock<String> =
        std::sync::LazyLock::new(|| Uuid::from_u128(1).to_string());
    &ID
}

async fn a_set_is_announced_once_when_written(backend: Backend) {
    let rig = rig(backend).await;
    let (user, squat) = (new_id(), new_id());
    let mut announcements = rig.watch(workout_id()).await;
    let mut first = set_input("set-key-live-1", &user, &squat, 5, 102.5);
    first["repsInReserve"] = json!(2);
    rig.ok(&user, LOG_SET, json!({ "input": first })).await;
    rig.ok(&user, LOG_SET, json!({ "input": first })).await;
    let mut second = set_input("set-key-live-2", &user, &squat, 4, 102.5);
    second["setIndex"] = json!(2);
    rig.ok(&user, LOG_SET, json!({ "input": second })).await;

    let events = announced(&mut announcements).await;
    assert_eq!(events.len(), 2, "the replay is not announced: {events:#?}");
    let DomainEvent::SetLogged {
        user_id,
        workout_id: workout,
        exercise_id,
        set_index,
        reps,
        load_kg,
        reps_in_reserve,
        sets_logged,
        at,
    } = events[0].clone()
    else {
        panic!("a set: {:?}", events[0]);
    };
    assert_eq!(
        (user_id.to_string(), workout.to_string()),
        (user, workout_id().to_owned())
    );
    assert_eq!(exercise_id.to_string(), squat);
    assert_eq!(
        (set_index, reps, load_kg, reps_in_reserve),
        (1, 5, 102.5, Some(2))
    );
    assert_eq!(sets_logged, 1);
    assert!(
        (chrono::Utc::now() - at).num_seconds().abs() < 60,
        "now-ish: {at}"
    );
    assert!(
        matches!(
            events[1],
            DomainEvent::SetLogged {
                set_index: 2,
                reps: 4,
                reps_in_reserve: None,
                sets_logged: 2,
                ..
            }
        ),
        "{:?}",
        events[1]
    );
}

/// Concurrent sets are stored in one batch; each announcement still carries the count
/// the sets before it would give, as if they had been written one by one.
async fn sets_written_together_announce_each_count_once(backend: Backend) {
    let rig = rig(backend).await;
    let (user, squat) = (new_id(), new_id());
    let mut announcements = rig.watch(workout_id()).await;
    let sets = (1..=12).map(|index| {
        let mut set = set_input(&format!("set-key-batch-{index:02}"), &user, &squat, 5, 80.0);
        set["setIndex"] = json!(index);
        rig.ok(&user, LOG_SET, json!({ "input": set }))
    });
    futures::future::join_all(sets).await;

    let mut counts: Vec<u32> = announced(&mut announcements)
        .await
        .into_iter()
        .map(|event| match event {
            DomainEvent::SetLogged { sets_logged, .. } => sets_logged,
            other => panic!("a set: {other:?}"),
        })
        .collect();
    counts.sort_unstable();
    assert_eq!(counts, (1..=12).collect::<Vec<u32>>());
    assert_eq!(rig.feedback.counts().await, [12, 0, 0, 0]);
}

async fn a_completion_is_announced_once_when_written(backend: Backend) {
    let rig = rig(backend).await;
    let (user, squat) = (new_id(), new_id());
    let mut announcements = rig.watch(workout_id()).await;
    let set = set_input("set-key-live-3", &user, &squat, 5, 80.0);
    rig.ok(&user, LOG_SET, json!({ "input": set })).await;
    let input = completion_input(
        "complete-live-1",
        &user,
        workout_id(),
        vec![outcome(&squat, true, false, Some(3))],
    );
    rig.ok(&user, COMPLETE_WORKOUT, json!({ "input": input }))
        .await;
    rig.ok(&user, COMPLETE_WORKOUT, json!({ "input": input }))
        .await;

    let events = announced(&mut announcements).await;
    assert_eq!(events.len(), 2, "the set and one completion: {events:#?}");
    let user_id = Uuid::parse_str(&user).expect("a user id");
    assert!(
        matches!(
            events[1],
            DomainEvent::WorkoutCompleted { user_id: by, sets_logged: 1, .. } if by == user_id
        ),
        "{:?}",
        events[1]
    );
}

const START_REST: &str = "mutation($input: StartRestInput!) { startRest(input: $input) { at } }";
const END_REST: &str = "mutation($id: ID!) { endRest(workoutId: $id) { at } }";
const FINISH_EXERCISE: &str =
    "mutation($input: FinishExerciseInput!) { finishExercise(input: $input) { at } }";

async fn rests_and_finished_exercises_are_announced_not_stored(backend: Backend) {
    let rig = rig(backend).await;
    let (user, squat, workout) = (new_id(), new_id(), new_id());
    let mut announcements = rig.watch(&workout).await;
    let rest = json!({ "workoutId": workout, "exerciseId": squat, "seconds": 90 });
    let started = rig.ok(&user, START_REST, json!({ "input": rest })).await;
    rig.ok(&user, END_REST, json!({ "id": workout })).await;
    let done = json!({ "workoutId": workout, "exerciseId": squat, "skipped": false });
    rig.ok(&user, FINISH_EXERCISE, json!({ "input": done }))
        .await;
    let skipped = json!({ "workoutId": workout, "exerciseId": squat, "skipped": true });
    rig.ok(&user, FINISH_EXERCISE, json!({ "input": skipped }))
        .await;

    let (user_id, workout_id, exercise_id) = (uuid(&user), uuid(&workout), uuid(&squat));
    let events = announced(&mut announcements).await;
    assert_eq!(events.len(), 4, "{events:#?}");
    let DomainEvent::RestStarted { at, .. } = events[0] else {
        panic!("a rest: {:?}", events[0]);
    };
    let at_text = started["startRest"]["at"].as_str().expect("an instant");
    assert_eq!(
        at_text.parse::<chrono::DateTime<chrono::Utc>>().ok(),
        Some(at)
    );
    assert_eq!(
        events[0],
        DomainEvent::RestStarted {
            user_id,
            workout_id,
            exercise_id: Some(exercise_id),
            seconds: 90,
            sets_logged: 0,
            at
        }
    );
    assert!(matches!(
        events[1],
        DomainEvent::RestEnded { sets_logged: 0, .. }
    ));
    assert!(matches!(
        events[2],
        DomainEvent::ExerciseFinished { skipped: false, exercise_id: e, .. } if e == exercise_id
    ));
    assert!(matches!(
        events[3],
        DomainEvent::ExerciseFinished { skipped: true, .. }
    ));
    assert_eq!(
        rig.feedback.counts().await,
        [0, 0, 0, 0],
        "nothing is stored"
    );
}

fn uuid(text: &str) -> Uuid {
    Uuid::parse_str(text).expect("a test id")
}

async fn invalid_or_anonymous_live_actions_announce_nothing(backend: Backend) {
    let rig = rig(backend).await;
    let (user, squat, workout) = (new_id(), new_id(), new_id());
    let mut announcements = rig.watch(&workout).await;
    let rest = |seconds: i64, exercise: &str| json!({ "input": { "workoutId": workout, "exerciseId": exercise, "seconds": seconds } });
    let finish = json!({ "input": { "workoutId": "w-1", "exerciseId": squat, "skipped": true } });
    let cases = [
        (START_REST, rest(0, &squat), "BAD_USER_INPUT"),
        (START_REST, rest(3601, &squat), "BAD_USER_INPUT"),
        (START_REST, rest(60, "squat"), "BAD_USER_INPUT"),
        (END_REST, json!({ "id": "not-a-uuid" }), "BAD_USER_INPUT"),
        (FINISH_EXERCISE, finish, "BAD_USER_INPUT"),
    ];
    for (query, variables, code) in cases {
        let response = rig
            .feedback
            .run_as(&signed_in(&user), query, variables.clone())
            .await;
        assert_eq!(error_codes(&response), [code], "{variables}: {response:#}");
    }
    let anonymous = subgraph_common::Identity::anonymous();
    let response = rig
        .feedback
        .run_as(&anonymous, START_REST, rest(60, &squat))
        .await;
    assert_eq!(error_codes(&response), ["UNAUTHENTICATED"]);
    let response = rig
        .feedback
        .run_as(&anonymous, END_REST, json!({ "id": workout }))
        .await;
    assert_eq!(error_codes(&response), ["UNAUTHENTICATED"]);
    assert_eq!(announced(&mut announcements).await, Vec::new());
}

async fn live_actions_on_another_users_workout_are_not_found(backend: Backend) {
    let rig = rig(backend).await;
    let (owner, intruder, squat) = (new_id(), new_id(), new_id());
    rig.ok(
        &owner,
        LOG_SET,
        json!({ "input": set_input("set-key-live-4", &owner, &squat, 5, 60.0) }),
    )
    .await;
    let mut announcements = rig.watch(workout_id()).await;
    let response = rig
        .feedback
        .run_as(
            &signed_in(&intruder),
            END_REST,
            json!({ "id": workout_id() }),
        )
        .await;
    assert_eq!(error_codes(&response), ["NOT_FOUND"], "{response:#}");
    assert_eq!(announced(&mut announcements).await, Vec::new());
}

/// A bus whose Redis went away after start-up.
struct Down;

#[async_trait::async_trait]
impl EventBus for Down {
    async fn publish(&self, _: &str, _: &DomainEvent) -> Result<(), EventBusError> {
        let gone = std::io::Error::new(std::io::ErrorKind::ConnectionReset, "gone");
        Err(EventBusError::Redis(gone.into()))
    }

    async fn subscribe(&self, _: &str) -> Result<EventStream, EventBusError> {
        Ok(Box::pin(futures::stream::empty()))
    }
}

async fn writes_stand_when_the_bus_is_down(backend: Backend) {
    let settings = settings_with_exercises_at(unreachable_url());
    let feedback = feedback_on(backend, &settings, Arc::new(Down)).await;
    let (user, squat) = (new_id(), new_id());
    let me = signed_in(&user);
    let set = set_input("set-key-live-5", &user, &squat, 5, 60.0);
    let logged = feedback.run_as(&me, LOG_SET, json!({ "input": set })).await;
    assert_eq!(error_codes(&logged), Vec::<String>::new(), "{logged:#}");
    let input = completion_input(
        "complete-live-2",
        &user,
        workout_id(),
        vec![outcome(&squat, true, false, None)],
    );
    let completed = feedback
        .run_as(&me, COMPLETE_WORKOUT, json!({ "input": input }))
        .await;
    assert_eq!(
        error_codes(&completed),
        Vec::<String>::new(),
        "{completed:#}"
    );
    assert_eq!(feedback.counts().await, [1, 1, 1, 0]);
    let rest = json!({ "input": { "workoutId": workout_id(), "seconds": 60 } });
    let rested = feedback.run_as(&me, START_REST, rest).await;
    assert_eq!(error_codes(&rested), Vec::<String>::new(), "{rested:#}");
}
