//! Profile changes are announced on the user's topic once stored, so what follows from
//! the profile (today's workout) is re-read; refused writes and readings that add
//! nothing announce nothing.

use std::time::Duration;

use chrono::Utc;
use futures::StreamExt;
use serde_json::json;
use subgraph_common::db_tests;
use subgraph_common::events::{Delivery, DomainEvent, EventStream, user_topic};
use subgraph_common::testing::{Backend, error_codes};
use uuid::Uuid;

use crate::support::*;

db_tests!(changes_are_announced_on_the_users_topic);

const UPDATE_GOALS: &str =
    "mutation($id: ID!) { updateGoals(userId: $id, input: { primaryGoal: ENDURANCE }) { id } }";

async fn announced(stream: &mut EventStream) -> Vec<DomainEvent> {
    let mut events = Vec::new();
    while let Ok(Some(Delivery::Event(event))) =
        tokio::time::timeout(Duration::from_millis(300), stream.next()).await
    {
        events.push(event);
    }
    events
}

async fn changes_are_announced_on_the_users_topic(backend: Backend) {
    let setup = setup(backend).await;
    let subject = new_subject();
    let user_id = Uuid::parse_str(&subject).expect("a subject is a UUID");
    let mut changes = setup
        .bus
        .subscribe(&user_topic(user_id))
        .await
        .expect("subscribes");
    let me = as_user(&subject);
    let input = json!({ "input": onboarding("live@example.test") });
    let created = setup.run_as(&me, CREATE_USER, input).await;
    assert_eq!(error_codes(&created), Vec::<String>::new(), "{created}");
    let goals = setup
        .run_as(&me, UPDATE_GOALS, json!({ "id": subject }))
        .await;
    assert_eq!(error_codes(&goals), Vec::<String>::new(), "{goals}");
    let equipment = json!({ "userId": subject, "equipment": ["DUMBBELL"] });
    setup.run_as(&me, SET_EQUIPMENT, equipment).await;
    let readings = json!({ "userId": subject,
        "readings": [reading("RESTING_HEART_RATE", 55.0, Utc::now(), "watch")] });
    setup.run_as(&me, RECORD_READINGS, readings.clone()).await;
    let repeated = setup.run_as(&me, RECORD_READINGS, readings).await;
    assert_eq!(repeated["data"]["recordWearableReadings"]["accepted"], 0);
    let someone_else = as_user(&new_subject());
    let forbidden = setup
        .run_as(&someone_else, UPDATE_GOALS, json!({ "id": subject }))
        .await;
    assert_eq!(error_codes(&forbidden), ["FORBIDDEN"]);

    assert_eq!(
        announced(&mut changes).await,
        vec![DomainEvent::ProfileChanged { user_id }; 4],
        "created, goals, equipment and the new reading"
    );
}
