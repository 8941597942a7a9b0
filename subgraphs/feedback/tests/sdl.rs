//! The checked-in SDL is what the code publishes to the gateway.

use subgraph_common::testing::{Backend, TestDatabase, assert_schema_file};

#[test]
fn sdl_matches_checked_in_schema() {
    let sdl = feedback_subgraph::sdl();
    assert!(
        sdl.contains("@link"),
        "federation v2 SDL links the federation spec"
    );
    assert!(sdl.contains("type User @key(fields: \"id\")"), "{sdl}");
    assert!(sdl.contains("type Workout @key(fields: \"id\")"), "{sdl}");
    assert!(
        sdl.contains("type Exercise @key(fields: \"id\", resolvable: false)"),
        "{sdl}"
    );
    assert_schema_file(
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema/feedback.graphql"),
        &sdl,
    );
}

#[tokio::test]
async fn sdl_is_what_the_service_field_returns() {
    let db = TestDatabase::create(Backend::Sqlite).await;
    let conn = db.migrated::<feedback_subgraph::Migrator>().await;
    let schema = feedback_subgraph::schema(conn, &subgraph_common::Settings::default());
    let response = schema.execute("{ _service { sdl } }").await;
    let body = serde_json::to_value(&response).expect("a response serializes");
    // The engine appends one blank line to `_service.sdl`; the documents are otherwise identical.
    let served = body["data"]["_service"]["sdl"]
        .as_str()
        .expect("_service.sdl is a string");
    assert_eq!(served, feedback_subgraph::sdl());
}

/// The signal types plans declares to `@requires` them must be shareable here too.
#[test]
fn signal_types_are_shareable() {
    let sdl = feedback_subgraph::sdl();
    let shareable = [
        "TrainingSignals",
        "MuscleSignal",
        "CategoryAffinity",
        "MuscleAffinity",
        "ExerciseAffinity",
        "OneRepMax",
        "ExerciseSession",
        "SessionSet",
    ];
    for name in shareable {
        assert!(
            sdl.contains(&format!("type {name} @shareable {{")),
            "{name} is not @shareable:\n{sdl}"
        );
    }
    assert!(
        sdl.contains(
            "\"\"\"\nA calendar day without time zone, written `YYYY-MM-DD`.\n\"\"\"\nscalar Date\n"
        ),
        "Date must match the plans subgraph's scalar:\n{sdl}"
    );
}

#[test]
fn the_outcomes_feed_is_hidden_from_clients() {
    let sdl = feedback_subgraph::sdl();
    assert!(
        sdl.contains(
            "trainingOutcomes(after: String, first: Int = 500): TrainingOutcomePage! @inaccessible"
        ),
        "{sdl}"
    );
}
