//! Who may do what: anyone reads the library; only callers with the `editor` scope
//! change it, and each change records who made it; a user's edits are exported to
//! them alone and purged on request; nothing is answered without the gateway's
//! credential; the SDL marks exactly the library's read side public.

mod common;

use std::collections::{HashMap, HashSet};

use async_graphql::Positioned;
use async_graphql::parser::types::{ConstDirective, TypeKind, TypeSystemDefinition};
use common::{EDITOR_ID, create, data, data_as, draft, editor, input, member, run_as, schema};
use exercises_subgraph::{ExercisesSchema, Migrator, router, sdl};
use fitgraph_entities::exercises::{exercise, exercise_edit, exercise_muscle};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
};
use serde_json::{Value, json};
use subgraph_common::access::{Identity, scopes};
use subgraph_common::testing::{Backend, TestDatabase, error_codes, spawn_router, test_credential};
use subgraph_common::vocab::{Equipment, MovementPattern, Muscle};
use subgraph_common::{Silent, db_tests};
use uuid::Uuid;

db_tests!(
    anonymous_callers_read_the_whole_library,
    anonymous_callers_cannot_edit,
    callers_without_the_editor_scope_are_forbidden,
    editors_edit_and_each_edit_is_attributed,
    export_returns_only_the_callers_edits,
    purge_forgets_the_caller_and_is_idempotent,
    http_requests_need_the_gateway_credential,
);

const CREATE: &str =
    "mutation($input: ExerciseInput!) { createExercise(input: $input) { id slug name } }";
const UPDATE: &str = "mutation($id: ID!, $input: ExerciseUpdateInput!) {
  updateExercise(id: $id, input: $input) { id name } }";
const DEPRECATE: &str = "mutation($id: ID!) { deprecateExercise(id: $id) { id deprecated } }";
const PURGE: &str = "mutation { purgeExercisesData }";
const PERSONAL_DATA: &str = "query($representations: [_Any!]!) {
  _entities(representations: $representations) { ... on PersonalData { userId exercises } } }";

const LIBRARY: &str = r#"query($id: ID!, $slug: String!) {
  exercise(id: $id) { ...full }
  exerciseBySlug(slug: $slug) { id }
  exercises(first: 2) {
    totalCount
    pageInfo { hasPreviousPage hasNextPage startCursor endCursor }
    edges { cursor node { id name } }
  }
  alternatives(exerciseId: $id, first: 3) { id }
  templates(goal: MUSCLE_GAIN) {
    id slug name goal difficulty durationMinutes
    slots { position targetMuscle targetPattern sets repMin repMax unit restSeconds }
  }
  _entities(representations: [{ __typename: "Exercise", id: $id }]) { ... on Exercise { id name } }
}
fragment full on Exercise {
  id slug name instructions category mechanic force difficulty primaryMuscles secondaryMuscles
  equipment movementPattern videoUrl thumbnailUrl deprecated substitutions { id name }
}"#;

/// A user who is not the test editor but also holds the `editor` scope.
fn other_editor(id: Uuid) -> Identity {
    Identity::user(id.to_string(), &[scopes::EDITOR])
}

/// An API-key client allowed to edit, acting for no user.
fn editing_client() -> Identity {
    Identity::client("partner-cms", &[scopes::EDITOR])
}

/// Rows in the tables an editor mutation writes: exercises, their muscles, edits.
async fn row_counts(db: &DatabaseConnection) -> (u64, u64, u64) {
    let exercises = exercise::Entity::find()
        .count(db)
        .await
        .expect("count exercises");
    let muscles = exercise_muscle::Entity::find()
        .count(db)
        .await
        .expect("count muscles");
    let edits = exercise_edit::Entity::find()
        .count(db)
        .await
        .expect("count edits");
    (exercises, muscles, edits)
}

/// Every edit row, oldest first, as (exercise, editor, client, action).
async fn edits(db: &DatabaseConnection) -> Vec<(Uuid, Option<Uuid>, Option<String>, String)> {
    exercise_edit::Entity::find()
        .order_by_asc(exercise_edit::Column::CreatedAt)
        .order_by_asc(exercise_edit::Column::Id)
        .all(db)
        .await
        .expect("read edits")
        .into_iter()
        .map(|edit| (edit.exercise_id, edit.editor_id, edit.client, edit.action))
        .collect()
}

async fn squat(db: &DatabaseConnection, name: &str) -> exercises_subgraph::ExerciseRecord {
    create(
        db,
        draft(
            name,
            &[Muscle::Quadriceps],
            Equipment::Barbell,
            MovementPattern::Squat,
        ),
    )
    .await
}

/// The `exercises` document of `user`'s personal data, asked for as `caller`.
async fn export_as(schema: &ExercisesSchema, caller: &Identity, user: Uuid) -> Value {
    let representations = json!([{ "__typename": "PersonalData", "userId": user.to_string() }]);
    let found = data_as(
        schema,
        caller,
        PERSONAL_DATA,
        json!({ "representations": representations }),
    )
    .await;
    let entity = &found["_entities"][0];
    assert_eq!(entity["userId"], user.to_string(), "{found}");
    entity["exercises"].clone()
}

async fn anonymous_callers_read_the_whole_library(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    exercises_subgraph::seed(&conn, &Silent)
        .await
        .expect("seeding a fresh database works");
    let schema = schema(&conn);
    let first = data(
        &schema,
        "{ exercises(first: 1) { edges { node { id slug } } } }",
        json!({}),
    )
    .await;
    let first = &first["exercises"]["edges"][0]["node"];
    let variables = json!({ "id": first["id"], "slug": first["slug"] });
    let id = first["id"].clone();
    let found = data(&schema, LIBRARY, variables.clone()).await;
    assert_eq!(found["exercise"]["id"], id);
    assert!(
        !found["exercise"]["substitutions"]
            .as_array()
            .expect("a list")
            .is_empty()
    );
    assert_eq!(found["exerciseBySlug"]["id"], id);
    let page = &found["exercises"];
    assert_eq!(page["edges"].as_array().map(Vec::len), Some(2));
    assert_eq!(page["pageInfo"]["hasPreviousPage"], false);
    assert_eq!(page["pageInfo"]["hasNextPage"], true);
    assert_eq!(page["pageInfo"]["startCursor"], page["edges"][0]["cursor"]);
    assert_eq!(page["pageInfo"]["endCursor"], page["edges"][1]["cursor"]);
    assert_eq!(found["alternatives"].as_array().map(Vec::len), Some(3));
    assert!(!found["templates"].as_array().expect("a list").is_empty());
    assert_eq!(found["_entities"][0]["id"], id);

    let next = data(
        &schema,
        "query($after: String) { exercises(first: 2, after: $after) { pageInfo { hasPreviousPage } } }",
        json!({ "after": page["pageInfo"]["endCursor"] }),
    )
    .await;
    assert_eq!(next["exercises"]["pageInfo"]["hasPreviousPage"], true);
    assert_eq!(
        data_as(&schema, &member(Uuid::now_v7()), LIBRARY, variables).await,
        found,
        "a signed-in user reads the same library"
    );
}

/// Runs every editor mutation as `caller` against the exercise `target` and checks
/// each is refused with `code` before anything is written.
async fn assert_every_mutation_refused(
    conn: &DatabaseConnection,
    target: Uuid,
    caller: &Identity,
    code: &str,
) {
    let schema = schema(conn);
    let id = target.to_string();
    let before = (row_counts(conn).await, edits(conn).await);
    let stored = data(
        &schema,
        "query($id: ID!) { exercise(id: $id) { name deprecated } }",
        json!({ "id": id }),
    )
    .await;
    let attempts = [
        (CREATE, json!({ "input": input("Goblet Squat") })),
        (
            UPDATE,
            json!({ "id": id, "input": { "name": "Renamed Squat" } }),
        ),
        (DEPRECATE, json!({ "id": id })),
        // The caller is checked before the input is even read.
        (DEPRECATE, json!({ "id": "not-a-uuid" })),
        (
            UPDATE,
            json!({ "id": id, "input": { "primaryMuscles": [] } }),
        ),
    ];
    for (mutation, variables) in attempts {
        let response = run_as(&schema, caller, mutation, variables.clone()).await;
        assert_eq!(
            error_codes(&response),
            [code],
            "{caller:?} {variables}: {response}"
        );
        assert_eq!(response["data"], Value::Null, "{response}");
    }
    assert_eq!(
        (row_counts(conn).await, edits(conn).await),
        before,
        "{caller:?} wrote nothing"
    );
    let after = data(
        &schema,
        "query($id: ID!) { exercise(id: $id) { name deprecated } }",
        json!({ "id": id }),
    )
    .await;
    assert_eq!(after, stored, "{caller:?} changed nothing");
}

async fn anonymous_callers_cannot_edit(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let target = squat(&conn, "Back Squat").await.id;
    let anonymous = Identity::anonymous();
    assert_every_mutation_refused(&conn, target, &anonymous, "UNAUTHENTICATED").await;
    // Editing needs a fitgraph user (or an API key), not just any token subject:
    // an edit by anyone else could be neither exported nor purged.
    let stranger = Identity::user("auth0|123", &[scopes::EDITOR]);
    assert_every_mutation_refused(&conn, target, &stranger, "UNAUTHENTICATED").await;
}

async fn callers_without_the_editor_scope_are_forbidden(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let target = squat(&conn, "Back Squat").await.id;
    let user = Uuid::now_v7();
    let admin = Identity::user(user.to_string(), &[scopes::ADMIN]);
    let client = Identity::client("partner-app", &[]);
    for caller in [member(user), admin, client] {
        assert_every_mutation_refused(&conn, target, &caller, "FORBIDDEN").await;
    }
}

async fn editors_edit_and_each_edit_is_attributed(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let schema = schema(&conn);
    let editor = editor();
    let created = data_as(
        &schema,
        &editor,
        CREATE,
        json!({ "input": input("Goblet Squat") }),
    )
    .await;
    let id = created["createExercise"]["id"].clone();
    let goblet: Uuid = id
        .as_str()
        .and_then(|id| id.parse().ok())
        .expect("a UUID id");
    let renamed = json!({ "id": id, "input": { "name": "Goblet Box Squat" } });
    let updated = data_as(&schema, &editor, UPDATE, renamed.clone()).await;
    assert_eq!(updated["updateExercise"]["name"], "Goblet Box Squat");
    data_as(&schema, &editor, UPDATE, renamed).await;
    let deprecated = data_as(&schema, &editor, DEPRECATE, json!({ "id": id })).await;
    assert_eq!(deprecated["deprecateExercise"]["deprecated"], true);
    data_as(&schema, &editor, DEPRECATE, json!({ "id": id })).await;
    let refused = run_as(
        &schema,
        &editor,
        CREATE,
        json!({ "input": input("Goblet Squat") }),
    )
    .await;
    assert_eq!(
        error_codes(&refused),
        ["CONFLICT"],
        "a refused edit is not recorded"
    );

    let client = data_as(
        &schema,
        &editing_client(),
        CREATE,
        json!({ "input": input("Zercher Squat") }),
    )
    .await;
    let zercher: Uuid = client["createExercise"]["id"]
        .as_str()
        .and_then(|id| id.parse().ok())
        .expect("a UUID id");

    let mine = |action: &str| (goblet, Some(*EDITOR_ID), None, action.to_owned());
    assert_eq!(
        edits(&conn).await,
        [
            mine("create"),
            mine("update"),
            mine("deprecate"),
            (
                zercher,
                None,
                Some("partner-cms".to_owned()),
                "create".to_owned()
            ),
        ],
        "one row per change, none for a change that changed nothing"
    );
    assert_eq!(row_counts(&conn).await.0, 2);
}

async fn export_returns_only_the_callers_edits(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let schema = schema(&conn);
    let (editor, other) = (editor(), Uuid::now_v7());
    let created = data_as(
        &schema,
        &editor,
        CREATE,
        json!({ "input": input("Goblet Squat") }),
    )
    .await;
    let id = created["createExercise"]["id"].clone();
    data_as(
        &schema,
        &editor,
        UPDATE,
        json!({ "id": id, "input": { "name": "Goblet Box Squat" } }),
    )
    .await;
    data_as(
        &schema,
        &other_editor(other),
        CREATE,
        json!({ "input": input("Front Squat") }),
    )
    .await;
    data_as(
        &schema,
        &editing_client(),
        CREATE,
        json!({ "input": input("Zercher Squat") }),
    )
    .await;

    let mine = export_as(&schema, &editor, *EDITOR_ID).await;
    let edits = mine["edits"].as_array().expect("a list of edits");
    let actions: Vec<&Value> = edits.iter().map(|edit| &edit["action"]).collect();
    assert_eq!(actions, ["create", "update"], "{mine}");
    for edit in edits {
        assert_eq!(edit["exerciseId"], id);
        assert_eq!(edit["exerciseSlug"], "goblet-squat");
        assert_eq!(
            edit["exerciseName"], "Goblet Box Squat",
            "the exercise as it is now"
        );
        assert_eq!(edit["client"], Value::Null);
        assert!(
            edit["editedAt"].as_str().is_some_and(|at| at.len() >= 20),
            "{edit}"
        );
    }
    let theirs = export_as(&schema, &other_editor(other), other).await;
    assert_eq!(
        theirs["edits"].as_array().map(Vec::len),
        Some(1),
        "{theirs}"
    );
    assert_eq!(theirs["edits"][0]["exerciseSlug"], "front-squat");
    let nobody = Uuid::now_v7();
    assert_eq!(
        export_as(&schema, &member(nobody), nobody).await,
        json!({ "edits": [] })
    );

    let strangers = json!({ "representations": [
        { "__typename": "PersonalData", "userId": other.to_string() },
        { "__typename": "PersonalData", "userId": "not-a-uuid" },
        { "__typename": "PersonalData", "userId": EDITOR_ID.to_string() },
    ] });
    let found = data_as(&schema, &editor, PERSONAL_DATA, strangers.clone()).await;
    assert_eq!(
        found["_entities"][0],
        Value::Null,
        "another user's data is not there"
    );
    assert_eq!(found["_entities"][1], Value::Null);
    assert_eq!(found["_entities"][2]["exercises"], mine);
    let anonymous = data(&schema, PERSONAL_DATA, strangers).await;
    assert_eq!(
        anonymous["_entities"],
        json!([null, null, null]),
        "nobody's data for nobody"
    );
}

async fn purge_forgets_the_caller_and_is_idempotent(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let schema = schema(&conn);
    let (editor, other) = (editor(), Uuid::now_v7());
    let goblet = squat(&conn, "Goblet Squat").await;
    data_as(
        &schema,
        &editor,
        DEPRECATE,
        json!({ "id": goblet.id.to_string() }),
    )
    .await;
    data_as(
        &schema,
        &other_editor(other),
        CREATE,
        json!({ "input": input("Front Squat") }),
    )
    .await;
    let before = row_counts(&conn).await;

    for refused in [Identity::anonymous(), editing_client()] {
        let response = run_as(&schema, &refused, PURGE, json!({})).await;
        assert_eq!(
            error_codes(&response),
            ["UNAUTHENTICATED"],
            "{refused:?}: {response}"
        );
    }
    let purged = data_as(&schema, &editor, PURGE, json!({})).await;
    assert_eq!(
        purged["purgeExercisesData"], 2,
        "the direct create and the deprecation"
    );
    let again = data_as(&schema, &editor, PURGE, json!({})).await;
    assert_eq!(again["purgeExercisesData"], 0, "purging twice is harmless");

    assert_eq!(
        export_as(&schema, &editor, *EDITOR_ID).await,
        json!({ "edits": [] })
    );
    let theirs = export_as(&schema, &other_editor(other), other).await;
    assert_eq!(
        theirs["edits"].as_array().map(Vec::len),
        Some(1),
        "others keep theirs"
    );
    assert_eq!(
        row_counts(&conn).await,
        before,
        "the library and its history stay"
    );
    let forgotten = exercise_edit::Entity::find()
        .filter(exercise_edit::Column::ExerciseId.eq(goblet.id))
        .all(&conn)
        .await
        .expect("read edits");
    assert_eq!(forgotten.len(), 2);
    assert!(
        forgotten.iter().all(|edit| edit.editor_id.is_none()),
        "{forgotten:?}"
    );
}

async fn http_requests_need_the_gateway_credential(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    squat(&conn, "Back Squat").await;
    let server = spawn_router(router(schema(&conn), test_credential())).await;
    let before = row_counts(&conn).await;

    let attempts = [
        ("{ exercises { totalCount } }", json!({})),
        (CREATE, json!({ "input": input("Goblet Squat") })),
        (PURGE, json!({})),
    ];
    for (operation, variables) in attempts {
        let (status, body) = server.graphql_unsigned(operation, variables).await;
        assert_eq!(status, 401, "{body}");
        assert_eq!(error_codes(&body), ["UNAUTHENTICATED"], "{body}");
        assert!(body.get("data").is_none(), "{body}");
    }
    assert_eq!(
        row_counts(&conn).await,
        before,
        "nothing unsigned was written"
    );

    let read = server
        .graphql("{ exercises { totalCount } }", json!({}))
        .await;
    assert_eq!(
        read,
        json!({ "data": { "exercises": { "totalCount": 1 } } })
    );
    let create = json!({ "input": input("Goblet Squat") });
    let anonymous = server.graphql(CREATE, create.clone()).await;
    assert_eq!(error_codes(&anonymous), ["UNAUTHENTICATED"], "{anonymous}");
    let created = server.graphql_as(&editor(), CREATE, create).await;
    assert_eq!(
        created["data"]["createExercise"]["slug"], "goblet-squat",
        "{created}"
    );
    let last = edits(&conn).await.pop().expect("the create was recorded");
    assert_eq!((last.1, last.3.as_str()), (Some(*EDITOR_ID), "create"));
}

/// One field of an object type in the SDL.
struct Field {
    name: String,
    public: bool,
    /// The named type it returns, list and non-null wrappers removed.
    returns: String,
}

/// An object type in the SDL and whether it, and each of its fields, carries
/// `@tag(name: "public")`.
struct Object {
    public: bool,
    fields: Vec<Field>,
}

fn is_public(directives: &[Positioned<ConstDirective>]) -> bool {
    let public = async_graphql::Value::String("public".to_owned());
    directives.iter().any(|directive| {
        directive.node.name.node == "tag"
            && directive
                .node
                .get_argument("name")
                .is_some_and(|name| name.node == public)
    })
}

fn objects(sdl: &str) -> HashMap<String, Object> {
    let document = async_graphql::parser::parse_schema(sdl).expect("the SDL parses");
    let mut objects = HashMap::new();
    for definition in document.definitions {
        let TypeSystemDefinition::Type(ty) = definition else {
            continue;
        };
        let TypeKind::Object(object) = &ty.node.kind else {
            continue;
        };
        let fields = object
            .fields
            .iter()
            .map(|field| Field {
                name: field.node.name.node.to_string(),
                public: is_public(&field.node.directives),
                returns: field.node.ty.node.to_string().replace(['[', ']', '!'], ""),
            })
            .collect();
        let public = is_public(&ty.node.directives);
        objects.insert(ty.node.name.node.to_string(), Object { public, fields });
    }
    objects
}

/// The rule the gateway applies to anonymous callers: every field selected must be
/// public, by its own tag or its type's.
#[test]
fn the_library_is_public_and_nothing_else_is() {
    let sdl = sdl();
    let objects = objects(&sdl);
    let query = &objects["Query"];
    let public: Vec<&Field> = query.fields.iter().filter(|field| field.public).collect();
    let names: HashSet<&str> = public.iter().map(|field| field.name.as_str()).collect();
    let library = [
        "exercise",
        "exerciseBySlug",
        "exercises",
        "alternatives",
        "templates",
    ];
    assert_eq!(names, HashSet::from(library), "{sdl}");

    // Every object reachable from the public fields is public throughout.
    let mut queue: Vec<&str> = public.iter().map(|field| field.returns.as_str()).collect();
    let mut seen = HashSet::new();
    while let Some(name) = queue.pop() {
        let Some(object) = objects.get(name) else {
            continue;
        };
        if !seen.insert(name) {
            continue;
        }
        for field in &object.fields {
            let field_name = &field.name;
            assert!(
                object.public || field.public,
                "{name}.{field_name} is reachable but not public"
            );
            queue.push(&field.returns);
        }
    }
    let expected = [
        "Exercise",
        "ExerciseConnection",
        "ExerciseEdge",
        "PageInfo",
        "WorkoutTemplate",
        "TemplateSlot",
    ];
    assert_eq!(seen, HashSet::from(expected));

    let mutation = &objects["Mutation"];
    assert!(
        mutation.fields.iter().all(|field| !field.public),
        "no mutation is public"
    );
    let personal = &objects["PersonalData"];
    assert!(
        !personal.public && personal.fields.iter().all(|field| !field.public),
        "personal data is never public"
    );
    assert!(
        sdl.contains(r#"type PersonalData @key(fields: "userId")"#),
        "{sdl}"
    );
    assert!(sdl.contains("exercises: JSON!"), "{sdl}");
    assert!(
        sdl.contains("purgeExercisesData: Int! @inaccessible"),
        "{sdl}"
    );
}
