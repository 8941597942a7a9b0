//! Subscriptions over the event bus: a workout followed from start to completion as
//! feedback and plans announce it, refusals at the start, a subscriber that fell
//! behind, and today's workout changing under its user's devices.

mod common;

use chrono::{Duration, Utc};
use common::live::*;
use common::*;
use fitgraph_entities::plans::recommendations;
use sea_orm::{EntityTrait, IntoActiveModel};
use serde_json::{Value, json};
use subgraph_common::Identity;
use subgraph_common::events::{DomainEvent, EventBus};
use subgraph_common::testing::{Backend, ObservedBus, error_codes};

subgraph_common::db_tests!(
    a_workout_is_followed_from_start_to_completion,
    refused_subscriptions_fail_when_they_start,
    a_subscriber_that_fell_behind_is_told_and_goes_on,
    starting_todays_workout_and_profile_changes_reach_its_user,
    skipping_todays_workout_is_announced,
    a_newly_generated_workout_is_followed_to_its_completion,
    following_a_skipped_workout_ends_at_once,
);

async fn publish(bus: &ObservedBus, event: DomainEvent) {
    bus.publish(&event.topic(), &event)
        .await
        .expect("the in-process bus always publishes");
}

async fn a_workout_is_followed_from_start_to_completion(backend: Backend) {
    let bus = ObservedBus::in_memory();
    let rig = rig_on(backend, bus.clone()).await;
    let workout = rig.schedule(workout_input(USER, "2026-11-24")).await;
    let mut live = Live::start(
        &rig.schema,
        &bus,
        &signed_in(USER),
        WORKOUT_PROGRESS,
        json!({ "id": workout }),
        1,
    )
    .await;

    let started = rig.ok(START_WORKOUT, json!({ "id": workout })).await;
    let started_at = instant(&string_at(&started, "/startWorkout/startedAt"));
    let step = live.next_data().await["workoutProgress"].clone();
    assert_eq!(step["kind"], "WORKOUT_STARTED");
    assert_eq!(step["workoutId"], workout.as_str());
    assert_eq!(step["elapsedSeconds"], 0);
    assert_eq!(step["exercise"], Value::Null);
    assert_eq!(step["setsLogged"], 0);
    assert_eq!(step["nextExercise"], next(1, SQUAT), "the first exercise");

    let set = |user, exercise, number, sets_logged, seconds| Set {
        user,
        workout: workout.clone(),
        exercise,
        number,
        reps: 5,
        load_kg: 102.5,
        sets_logged,
        at: started_at + Duration::seconds(seconds),
    };
    // Someone else announcing a set on this workout is not its owner: dropped.
    publish(&bus, set(OTHER_USER, BENCH, 9, 9, 10).event()).await;
    publish(&bus, set(USER, SQUAT, 1, 1, 75).event()).await;
    let step = live.next_data().await["workoutProgress"].clone();
    assert_eq!(
        step,
        json!({
            "kind": "SET_LOGGED", "workoutId": workout, "at": step["at"], "elapsedSeconds": 75,
            "exercise": { "id": SQUAT }, "setNumber": 1, "reps": 5, "loadKg": 102.5,
            "repsInReserve": 2, "restSeconds": null, "setsLogged": 1,
            "nextExercise": next(2, BENCH),
        })
    );

    follow_rest_and_exercises(&bus, &mut live, &workout, started_at).await;

    publish(&bus, set(USER, BENCH, 1, 2, 400).event()).await;
    let step = live.next_data().await["workoutProgress"].clone();
    assert_eq!(
        (&step["kind"], &step["setsLogged"]),
        (&json!("SET_LOGGED"), &json!(2))
    );
    assert_eq!(step["nextExercise"], Value::Null, "the last exercise");

    let completed = DomainEvent::WorkoutCompleted {
        user_id: uuid(USER),
        workout_id: uuid(&workout),
        sets_logged: 2,
        at: started_at + Duration::seconds(600),
    };
    publish(&bus, completed).await;
    let step = live.next_data().await["workoutProgress"].clone();
    assert_eq!(step["kind"], "WORKOUT_COMPLETED");
    assert_eq!(step["elapsedSeconds"], 600);
    assert_eq!(step["setsLogged"], 2);
    assert_eq!(
        (&step["exercise"], &step["nextExercise"]),
        (&Value::Null, &Value::Null)
    );
    live.ends().await;
}

/// A rest after the first squat set, then both exercises finished (bench skipped).
async fn follow_rest_and_exercises(
    bus: &ObservedBus,
    live: &mut Live,
    workout: &str,
    started_at: chrono::DateTime<Utc>,
) {
    let (user_id, workout_id) = (uuid(USER), uuid(workout));
    let at = |seconds| started_at + Duration::seconds(seconds);
    let events = [
        DomainEvent::RestStarted {
            user_id,
            workout_id,
            exercise_id: Some(uuid(SQUAT)),
            seconds: 90,
            sets_logged: 1,
            at: at(80),
        },
        DomainEvent::RestEnded {
            user_id,
            workout_id,
            sets_logged: 1,
            at: at(170),
        },
        DomainEvent::ExerciseFinished {
            user_id,
            workout_id,
            exercise_id: uuid(SQUAT),
            skipped: false,
            sets_logged: 1,
            at: at(200),
        },
        DomainEvent::ExerciseFinished {
            user_id,
            workout_id,
            exercise_id: uuid(BENCH),
            skipped: true,
            sets_logged: 1,
            at: at(300),
        },
    ];
    for event in events {
        publish(bus, event).await;
    }
    let expected = [
        ("REST_STARTED", 80, Some(SQUAT), json!(90), next(2, BENCH)),
        ("REST_ENDED", 170, Some(SQUAT), Value::Null, next(2, BENCH)),
        (
            "EXERCISE_COMPLETED",
            200,
            Some(SQUAT),
            Value::Null,
            next(2, BENCH),
        ),
        (
            "EXERCISE_SKIPPED",
            300,
            Some(BENCH),
            Value::Null,
            Value::Null,
        ),
    ];
    for (kind, elapsed, exercise, rest, next_exercise) in expected {
        let step = live.next_data().await["workoutProgress"].clone();
        assert_eq!(step["kind"], kind);
        assert_eq!(step["elapsedSeconds"], elapsed, "{kind}");
        assert_eq!(
            step["exercise"],
            exercise.map_or(Value::Null, |id| json!({ "id": id }))
        );
        assert_eq!(step["restSeconds"], rest, "{kind}");
        assert_eq!(step["setsLogged"], 1, "{kind}");
        assert_eq!(step["setNumber"], Value::Null, "{kind}");
        assert_eq!(step["nextExercise"], next_exercise, "{kind}");
    }
}

fn next(position: i32, exercise: &str) -> Value {
    json!({ "position": position, "exercise": { "id": exercise } })
}

async fn refused_subscriptions_fail_when_they_start(backend: Backend) {
    let bus = ObservedBus::in_memory();
    let rig = rig_on(backend, bus.clone()).await;
    let others = rig.schedule(workout_input(OTHER_USER, "2026-11-24")).await;
    let unknown = "0192f000-0000-7000-8000-00000000ffff";
    let user = signed_in(USER);
    let cases = [
        (
            Identity::anonymous(),
            WORKOUT_PROGRESS,
            json!({ "id": unknown }),
            "UNAUTHENTICATED",
        ),
        (
            user.clone(),
            WORKOUT_PROGRESS,
            json!({ "id": "42" }),
            "BAD_USER_INPUT",
        ),
        (
            user.clone(),
            WORKOUT_PROGRESS,
            json!({ "id": unknown }),
            "NOT_FOUND",
        ),
        (
            user.clone(),
            WORKOUT_PROGRESS,
            json!({ "id": others }),
            "NOT_FOUND",
        ),
        (
            Identity::anonymous(),
            TODAY_WORKOUT_CHANGED,
            json!({}),
            "UNAUTHENTICATED",
        ),
    ];
    let mut not_found = Vec::new();
    for (identity, query, variables, code) in cases {
        let mut live = Live::open(&rig.schema, &identity, query, variables.clone());
        let response = live.next().await;
        assert_eq!(error_codes(&response), [code], "{variables}: {response:#}");
        if code == "NOT_FOUND" {
            let id = variables["id"].as_str().expect("an id").to_owned();
            let message = response["errors"][0]["message"]
                .as_str()
                .expect("a message");
            not_found.push(message.replace(&id, "<id>"));
        }
        live.ends().await;
    }
    assert_eq!(
        not_found[0], not_found[1],
        "another user's workout reads exactly like a missing one"
    );
    assert_eq!(
        bus.subscriptions(),
        0,
        "a refused subscription listens to nothing"
    );
}

async fn a_subscriber_that_fell_behind_is_told_and_goes_on(backend: Backend) {
    let bus = ObservedBus::in_memory();
    let rig = rig_on(backend, bus.clone()).await;
    let workout = rig.schedule(workout_input(USER, "2026-11-24")).await;
    let mut live = Live::start(
        &rig.schema,
        &bus,
        &signed_in(USER),
        WORKOUT_PROGRESS,
        json!({ "id": workout }),
        1,
    )
    .await;
    // More than an in-process subscriber may fall behind, while it reads nothing.
    for number in 1..=1_100 {
        let set = Set {
            user: USER,
            workout: workout.clone(),
            exercise: SQUAT,
            number: 1,
            reps: 5,
            load_kg: 60.0,
            sets_logged: number,
            at: Utc::now(),
        };
        publish(&bus, set.event()).await;
    }
    // The first sets were handed over before the subscriber stopped reading.
    let mut before_the_gap = 0;
    let gap = loop {
        let response = live.next().await;
        if response.get("errors").is_some() {
            break response;
        }
        before_the_gap += 1;
        assert!(before_the_gap < 5, "the gap is reported: {response:#}");
    };
    assert_eq!(error_codes(&gap), ["EVENTS_MISSED"], "{gap:#}");
    let step = live.next_data().await["workoutProgress"].clone();
    assert_eq!(step["kind"], "SET_LOGGED", "the stream goes on");
    let sets = step["setsLogged"].as_i64().expect("a count");
    assert!(sets > 1 && sets <= 1_100, "past the missed events: {sets}");
}

/// Schedules a workout of `user` for today and records it as the one generated for
/// today, as `todayWorkout` would have.
async fn todays_workout(rig: &Rig, user: &str) -> String {
    let today = subgraph_common::clock::today();
    let workout = rig.schedule(workout_input(user, &today.to_string())).await;
    let row = recommendations::Model {
        workout_id: uuid(&workout),
        user_id: uuid(user),
        day: today,
        kind: "TRAINING".to_owned(),
        reason: "chosen for the test".to_owned(),
        experiment_id: None,
        variant: "rules".to_owned(),
        model_version: None,
        inputs_hash: "test".to_owned(),
        snapshot: "{}".to_owned(),
        created_at: Utc::now(),
    };
    recommendations::Entity::insert(row.into_active_model())
        .exec_without_returning(&rig.conn)
        .await
        .expect("a recommendation row inserts");
    workout
}

fn change(workout: Option<&str>, reason: &str) -> Value {
    json!({ "todayWorkoutChanged": {
        "date": subgraph_common::clock::today().to_string(), "workoutId": workout, "reason": reason,
    } })
}

async fn starting_todays_workout_and_profile_changes_reach_its_user(backend: Backend) {
    let bus = ObservedBus::in_memory();
    let rig = rig_on(backend, bus.clone()).await;
    let todays = todays_workout(&rig, USER).await;
    let another_day = rig.schedule(workout_input(USER, "2026-11-24")).await;
    // Its user's topic and today's workout's own.
    let mut live = Live::start(
        &rig.schema,
        &bus,
        &signed_in(USER),
        TODAY_WORKOUT_CHANGED,
        json!({}),
        2,
    )
    .await;

    rig.ok(START_WORKOUT, json!({ "id": another_day })).await;
    live.stays_quiet().await;
    rig.ok(START_WORKOUT, json!({ "id": todays })).await;
    assert_eq!(live.next_data().await, change(Some(&todays), "STARTED"));

    let other_user = uuid(OTHER_USER);
    publish(
        &bus,
        DomainEvent::ProfileChanged {
            user_id: other_user,
        },
    )
    .await;
    live.stays_quiet().await;
    let user_id = uuid(USER);
    publish(&bus, DomainEvent::ProfileChanged { user_id }).await;
    assert_eq!(live.next_data().await, change(None, "PROFILE_CHANGED"));

    let completed = DomainEvent::WorkoutCompleted {
        user_id,
        workout_id: uuid(&todays),
        sets_logged: 0,
        at: Utc::now(),
    };
    publish(&bus, completed).await;
    assert_eq!(live.next_data().await, change(Some(&todays), "COMPLETED"));
}

async fn skipping_todays_workout_is_announced(backend: Backend) {
    let bus = ObservedBus::in_memory();
    let rig = rig_on(backend, bus.clone()).await;
    let todays = todays_workout(&rig, USER).await;
    let mut live = Live::start(
        &rig.schema,
        &bus,
        &signed_in(USER),
        TODAY_WORKOUT_CHANGED,
        json!({}),
        2,
    )
    .await;
    rig.ok(SKIP_WORKOUT, json!({ "id": todays })).await;
    assert_eq!(live.next_data().await, change(Some(&todays), "SKIPPED"));
}

async fn a_newly_generated_workout_is_followed_to_its_completion(backend: Backend) {
    let bus = ObservedBus::in_memory();
    let rig = rig_on(backend, bus.clone()).await;
    let mut live = Live::start(
        &rig.schema,
        &bus,
        &signed_in(USER),
        TODAY_WORKOUT_CHANGED,
        json!({}),
        1,
    )
    .await;
    let (user_id, workout_id) = (uuid(USER), uuid("0192f000-0000-7000-8000-0000000000c1"));
    let generated = DomainEvent::TodayWorkoutChanged {
        user_id,
        date: subgraph_common::clock::today(),
        workout_id: Some(workout_id),
        reason: "GENERATED".to_owned(),
    };
    let listening = bus.subscriptions() + 1;
    publish(&bus, generated).await;
    let workout = workout_id.to_string();
    assert_eq!(live.next_data().await, change(Some(&workout), "GENERATED"));
    bus.wait_for_subscriptions(listening).await;
    let completed = DomainEvent::WorkoutCompleted {
        user_id,
        workout_id,
        sets_logged: 3,
        at: Utc::now(),
    };
    publish(&bus, completed).await;
    assert_eq!(live.next_data().await, change(Some(&workout), "COMPLETED"));
}

async fn following_a_skipped_workout_ends_at_once(backend: Backend) {
    use futures::StreamExt;
    let bus = ObservedBus::in_memory();
    let rig = rig_on(backend, bus.clone()).await;
    let workout = rig.schedule(workout_input(USER, "2026-11-24")).await;
    rig.ok(SKIP_WORKOUT, json!({ "id": workout })).await;
    let request = async_graphql::Request::new(WORKOUT_PROGRESS)
        .variables(async_graphql::Variables::from_json(
            json!({ "id": workout }),
        ))
        .data(signed_in(USER));
    let items: Vec<_> = tokio::time::timeout(
        std::time::Duration::from_secs(5),
        rig.schema.execute_stream(request).collect(),
    )
    .await
    .expect("the stream of a workout that is over ends at once");
    assert!(items.is_empty(), "{items:?}");
}
