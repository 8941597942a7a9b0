//! Library edits are announced on the event bus's `exercises` topic once they are
//! stored; a refused edit announces nothing.

mod common;

use std::time::Duration;

use common::{editor, input, run_as, settings};
use exercises_subgraph::Migrator;
use futures::StreamExt;
use serde_json::json;
use subgraph_common::db_tests;
use subgraph_common::events::{Delivery, DomainEvent, EventStream, exercises_topic};
use subgraph_common::testing::{Backend, TestDatabase, error_codes};
use uuid::Uuid;

db_tests!(edits_are_announced_once_stored);

const CREATE: &str = "mutation($input: ExerciseInput!) { createExercise(input: $input) { id } }";
const UPDATE: &str = "mutation($id: ID!, $input: ExerciseUpdateInput!) { updateExercise(id: $id, input: $input) { id } }";
const DEPRECATE: &str = "mutation($id: ID!) { deprecateExercise(id: $id) { id } }";

async fn announced(stream: &mut EventStream) -> Vec<DomainEvent> {
    let mut events = Vec::new();
    while let Ok(Some(Delivery::Event(event))) =
        tokio::time::timeout(Duration::from_millis(300), stream.next()).await
    {
        events.push(event);
    }
    events
}

async fn edits_are_announced_once_stored(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let bus = subgraph_common::events::in_process();
    let schema = exercises_subgraph::schema_with_bus(conn, &settings(), bus.clone());
    let mut library = bus.subscribe(&exercises_topic()).await.expect("subscribes");

    let mut invalid = input("Goblet Squat");
    invalid["name"] = json!("");
    let refused = run_as(&schema, &editor(), CREATE, json!({ "input": invalid })).await;
    assert_eq!(error_codes(&refused), ["BAD_USER_INPUT"], "{refused}");
    let created = run_as(
        &schema,
        &editor(),
        CREATE,
        json!({ "input": input("Goblet Squat") }),
    )
    .await;
    let id = created["data"]["createExercise"]["id"]
        .as_str()
        .expect("an id")
        .to_owned();
    let rename = json!({ "id": id, "input": { "name": "Heels-Up Goblet Squat" } });
    let updated = run_as(&schema, &editor(), UPDATE, rename).await;
    assert_eq!(error_codes(&updated), Vec::<String>::new(), "{updated}");
    let deprecated = run_as(&schema, &editor(), DEPRECATE, json!({ "id": id })).await;
    assert_eq!(
        error_codes(&deprecated),
        Vec::<String>::new(),
        "{deprecated}"
    );

    let exercise_id = Uuid::parse_str(&id).expect("a UUID");
    assert_eq!(
        announced(&mut library).await,
        vec![DomainEvent::ExerciseChanged { exercise_id }; 3]
    );
}
