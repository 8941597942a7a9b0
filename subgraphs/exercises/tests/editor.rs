//! The editor mutations: validation, conflicts, partial updates and deprecation,
//! with nothing written when a request is refused. Mutations run as a user with
//! the `editor` scope and reads as an anonymous caller (who may read the library);
//! tests/access.rs covers everyone else.

mod common;

use common::{create, data, data_as, draft, editor, input, run, run_as, schema};
use exercises_subgraph::Migrator;
use fitgraph_entities::exercises::{exercise, exercise_muscle};
use sea_orm::{DatabaseConnection, EntityTrait, PaginatorTrait};
use serde_json::{Value, json};
use subgraph_common::db_tests;
use subgraph_common::testing::{Backend, TestDatabase, error_codes};
use subgraph_common::vocab::{Equipment, MovementPattern, Muscle};

db_tests!(
    create_derives_the_slug_and_returns_the_exercise,
    create_refuses_bad_input_and_writes_nothing,
    duplicate_slugs_conflict_and_write_nothing,
    update_changes_only_the_given_fields,
    update_refuses_bad_input_and_unknown_ids,
    deprecated_exercises_resolve_but_are_hidden,
    lookups_by_id_and_slug,
    created_exercises_get_substitutes,
);

const CREATE: &str = "mutation($input: ExerciseInput!) {
  createExercise(input: $input) {
    id slug name instructions category mechanic force difficulty primaryMuscles secondaryMuscles
    equipment movementPattern videoUrl thumbnailUrl deprecated } }";

const UPDATE: &str = "mutation($id: ID!, $input: ExerciseUpdateInput!) {
  updateExercise(id: $id, input: $input) {
    id slug name mechanic difficulty primaryMuscles secondaryMuscles equipment } }";

const BY_ID: &str = "query($id: ID!) { exercise(id: $id) { id slug name mechanic primaryMuscles secondaryMuscles deprecated } }";

async fn row_counts(db: &DatabaseConnection) -> (u64, u64) {
    let exercises = exercise::Entity::find()
        .count(db)
        .await
        .expect("count exercises");
    let muscles = exercise_muscle::Entity::find()
        .count(db)
        .await
        .expect("count muscles");
    (exercises, muscles)
}

async fn create_refused(
    schema: &exercises_subgraph::ExercisesSchema,
    input: Value,
) -> (Vec<String>, String) {
    let response = run_as(schema, &editor(), CREATE, json!({ "input": input })).await;
    assert!(response["data"].is_null(), "{response}");
    let message = response["errors"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_owned();
    (error_codes(&response), message)
}

async fn create_derives_the_slug_and_returns_the_exercise(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let schema = schema(&conn);
    let created = data_as(
        &schema,
        &editor(),
        CREATE,
        json!({ "input": input("  Goblet Squat ") }),
    )
    .await;
    let exercise = &created["createExercise"];
    assert_eq!(exercise["slug"], "goblet-squat");
    assert_eq!(exercise["name"], "Goblet Squat", "the name is trimmed");
    assert_eq!(exercise["primaryMuscles"], json!(["QUADRICEPS"]));
    assert_eq!(exercise["secondaryMuscles"], json!(["GLUTES"]));
    assert_eq!(exercise["instructions"].as_array().map(Vec::len), Some(2));
    assert_eq!(exercise["force"], Value::Null);
    assert_eq!(exercise["deprecated"], false);
    assert_eq!(
        exercise["videoUrl"],
        format!("{}/exercises/goblet-squat/index.m3u8", common::CDN)
    );
    let mut explicit = input("Goblet Squat (heels raised)");
    explicit["slug"] = json!("heels-up-goblet-squat");
    let created = data_as(&schema, &editor(), CREATE, json!({ "input": explicit })).await;
    assert_eq!(created["createExercise"]["slug"], "heels-up-goblet-squat");
    assert_eq!(row_counts(&conn).await, (2, 4));
}

async fn create_refuses_bad_input_and_writes_nothing(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let schema = schema(&conn);
    let cases: Vec<(Value, &str)> = vec![
        (json!({ "difficulty": "EXPERT" }), ""),
        (
            json!({ "primaryMuscles": [] }),
            "primaryMuscles must name at least one muscle",
        ),
        (
            json!({ "secondaryMuscles": ["QUADRICEPS"] }),
            "QUADRICEPS cannot be both",
        ),
        (
            json!({ "name": "Ab" }),
            "name must be between 3 and 120 characters (got 2)",
        ),
        (json!({ "name": "x".repeat(121) }), "(got 121)"),
        (json!({ "name": "Жим лёжа" }), "give a slug"),
        (json!({ "slug": "Not A Slug" }), "slug must be"),
        (
            json!({ "instructions": ["Stand.", "   "] }),
            "instructions[1]",
        ),
    ];
    for (change, expected) in cases {
        let mut bad = input("Goblet Squat");
        for (key, value) in change.as_object().expect("an object of changes") {
            bad[key] = value.clone();
        }
        let (codes, message) = create_refused(&schema, bad).await;
        assert_eq!(codes, ["BAD_USER_INPUT"], "{change}: {message}");
        assert!(message.contains(expected), "{change}: {message}");
    }
    assert_eq!(row_counts(&conn).await, (0, 0));
}

async fn duplicate_slugs_conflict_and_write_nothing(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let schema = schema(&conn);
    data_as(
        &schema,
        &editor(),
        CREATE,
        json!({ "input": input("Goblet Squat") }),
    )
    .await;
    let before = row_counts(&conn).await;
    let (codes, message) = create_refused(&schema, input("goblet squat!")).await;
    assert_eq!(codes, ["CONFLICT"]);
    assert!(
        message.contains("`goblet-squat` already exists"),
        "{message}"
    );
    let mut explicit = input("Another Squat");
    explicit["slug"] = json!("goblet-squat");
    let (codes, _) = create_refused(&schema, explicit).await;
    assert_eq!(codes, ["CONFLICT"]);
    assert_eq!(
        row_counts(&conn).await,
        before,
        "neither the row nor its muscles were written"
    );
}

async fn update_changes_only_the_given_fields(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let schema = schema(&conn);
    let created = data_as(
        &schema,
        &editor(),
        CREATE,
        json!({ "input": input("Goblet Squat") }),
    )
    .await;
    let id = created["createExercise"]["id"].clone();
    let renamed = data_as(
        &schema,
        &editor(),
        UPDATE,
        json!({ "id": id, "input": { "name": "Goblet Box Squat" } }),
    )
    .await;
    let renamed = &renamed["updateExercise"];
    assert_eq!(renamed["name"], "Goblet Box Squat");
    assert_eq!(
        renamed["slug"], "goblet-squat",
        "the slug stays unless given"
    );
    assert_eq!(renamed["mechanic"], "COMPOUND");
    assert_eq!(renamed["primaryMuscles"], json!(["QUADRICEPS"]));

    let changes = json!({ "mechanic": null, "primaryMuscles": ["GLUTES", "QUADRICEPS"], "secondaryMuscles": ["HAMSTRINGS"],
                          "equipment": "KETTLEBELL", "slug": "kettlebell-box-squat" });
    let updated = data_as(
        &schema,
        &editor(),
        UPDATE,
        json!({ "id": id, "input": changes }),
    )
    .await;
    let updated = &updated["updateExercise"];
    assert_eq!(updated["mechanic"], Value::Null, "null clears");
    assert_eq!(updated["equipment"], "KETTLEBELL");
    assert_eq!(updated["slug"], "kettlebell-box-squat");
    assert_eq!(
        updated["difficulty"], "BEGINNER",
        "untouched fields keep their value"
    );
    let stored = data(&schema, BY_ID, json!({ "id": id })).await;
    assert_eq!(
        stored["exercise"]["primaryMuscles"],
        json!(["GLUTES", "QUADRICEPS"])
    );
    assert_eq!(
        stored["exercise"]["secondaryMuscles"],
        json!(["HAMSTRINGS"])
    );
    assert_eq!(row_counts(&conn).await, (1, 3));
}

async fn update_refuses_bad_input_and_unknown_ids(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let schema = schema(&conn);
    data_as(
        &schema,
        &editor(),
        CREATE,
        json!({ "input": input("Front Squat") }),
    )
    .await;
    let created = data_as(
        &schema,
        &editor(),
        CREATE,
        json!({ "input": input("Goblet Squat") }),
    )
    .await;
    let id = created["createExercise"]["id"].clone();
    let before = data(&schema, BY_ID, json!({ "id": id })).await;

    let refusals = [
        (json!({ "primaryMuscles": [] }), "BAD_USER_INPUT"),
        (
            json!({ "secondaryMuscles": ["QUADRICEPS"], "name": "Renamed Squat" }),
            "BAD_USER_INPUT",
        ),
        (json!({ "name": "  " }), "BAD_USER_INPUT"),
        (json!({ "difficulty": "EXPERT" }), "BAD_USER_INPUT"),
        (
            json!({ "slug": "front-squat", "name": "Renamed Squat" }),
            "CONFLICT",
        ),
    ];
    for (change, code) in refusals {
        let response = run_as(
            &schema,
            &editor(),
            UPDATE,
            json!({ "id": id, "input": change }),
        )
        .await;
        assert_eq!(error_codes(&response), [code], "{change}: {response}");
    }
    assert_eq!(
        data(&schema, BY_ID, json!({ "id": id })).await,
        before,
        "nothing changed"
    );

    let unknown =
        json!({ "id": uuid::Uuid::now_v7().to_string(), "input": { "name": "Any Name" } });
    assert_eq!(
        error_codes(&run_as(&schema, &editor(), UPDATE, unknown).await),
        ["NOT_FOUND"]
    );
    let malformed = json!({ "id": "goblet-squat", "input": { "name": "Any Name" } });
    assert_eq!(
        error_codes(&run_as(&schema, &editor(), UPDATE, malformed).await),
        ["BAD_USER_INPUT"]
    );
}

async fn deprecated_exercises_resolve_but_are_hidden(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let schema = schema(&conn);
    let kept = create(
        &conn,
        draft(
            "Back Squat",
            &[Muscle::Quadriceps],
            Equipment::Barbell,
            MovementPattern::Squat,
        ),
    )
    .await;
    let retired = create(
        &conn,
        draft(
            "Front Squat",
            &[Muscle::Quadriceps],
            Equipment::Barbell,
            MovementPattern::Squat,
        ),
    )
    .await;
    let deprecate = "mutation($id: ID!) { deprecateExercise(id: $id) { id deprecated } }";
    let done = data_as(
        &schema,
        &editor(),
        deprecate,
        json!({ "id": retired.id.to_string() }),
    )
    .await;
    assert_eq!(done["deprecateExercise"]["deprecated"], true);
    let again = data_as(
        &schema,
        &editor(),
        deprecate,
        json!({ "id": retired.id.to_string() }),
    )
    .await;
    assert_eq!(
        again["deprecateExercise"]["deprecated"], true,
        "deprecating twice is harmless"
    );

    let listed = data(
        &schema,
        "{ exercises { totalCount edges { node { id } } } }",
        json!({}),
    )
    .await;
    assert_eq!(listed["exercises"]["totalCount"], 1);
    assert_eq!(
        listed["exercises"]["edges"][0]["node"]["id"],
        kept.id.to_string()
    );
    let resolved = data(&schema, BY_ID, json!({ "id": retired.id.to_string() })).await;
    assert_eq!(resolved["exercise"]["deprecated"], true);
    let alternatives = data(
        &schema,
        "query($id: ID!) { alternatives(exerciseId: $id) { id } }",
        json!({ "id": kept.id.to_string() }),
    )
    .await;
    assert_eq!(
        alternatives["alternatives"],
        json!([]),
        "a deprecated exercise is never an alternative"
    );

    let unknown = run_as(
        &schema,
        &editor(),
        deprecate,
        json!({ "id": uuid::Uuid::now_v7().to_string() }),
    )
    .await;
    assert_eq!(error_codes(&unknown), ["NOT_FOUND"]);
}

async fn lookups_by_id_and_slug(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let schema = schema(&conn);
    let squat = create(
        &conn,
        draft(
            "Back Squat",
            &[Muscle::Quadriceps],
            Equipment::Barbell,
            MovementPattern::Squat,
        ),
    )
    .await;
    let by_slug = data(
        &schema,
        "{ exerciseBySlug(slug: \"back-squat\") { id name } }",
        json!({}),
    )
    .await;
    assert_eq!(by_slug["exerciseBySlug"]["id"], squat.id.to_string());
    let missing = data(
        &schema,
        "{ exerciseBySlug(slug: \"front-squat\") { id } }",
        json!({}),
    )
    .await;
    assert_eq!(missing["exerciseBySlug"], Value::Null);
    let unknown = data(
        &schema,
        BY_ID,
        json!({ "id": uuid::Uuid::now_v7().to_string() }),
    )
    .await;
    assert_eq!(
        unknown["exercise"],
        Value::Null,
        "an unknown id is null, not an error"
    );
    let malformed = run(&schema, BY_ID, json!({ "id": "back-squat" })).await;
    assert_eq!(error_codes(&malformed), ["BAD_USER_INPUT"]);
}

async fn created_exercises_get_substitutes(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let squat = MovementPattern::Squat;
    let back = create(
        &conn,
        draft(
            "Back Squat",
            &[Muscle::Quadriceps],
            Equipment::Barbell,
            squat,
        ),
    )
    .await;
    let front = create(
        &conn,
        draft(
            "Front Squat",
            &[Muscle::Quadriceps],
            Equipment::Barbell,
            squat,
        ),
    )
    .await;
    create(
        &conn,
        draft(
            "Bench Press",
            &[Muscle::Chest],
            Equipment::Barbell,
            MovementPattern::HorizontalPush,
        ),
    )
    .await;
    let goblet = create(
        &conn,
        draft(
            "Goblet Squat",
            &[Muscle::Quadriceps],
            Equipment::Dumbbell,
            squat,
        ),
    )
    .await;
    let query = "query($id: ID!) { exercise(id: $id) { substitutions { id } } }";
    let found = data(
        &schema(&conn),
        query,
        json!({ "id": goblet.id.to_string() }),
    )
    .await;
    let mut ids = common::ids(&found["exercise"]["substitutions"]);
    ids.sort();
    let mut expected = vec![back.id.to_string(), front.id.to_string()];
    expected.sort();
    assert_eq!(ids, expected);
}
