//! Importing free-exercise-db: the real file (when present), a small file with
//! broken records, updates on re-import, and files that are not an array.

mod common;

use std::path::PathBuf;

use common::{data, schema};
use exercises_subgraph::{ImportError, Migrator, import_free_exercise_db};
use fitgraph_entities::exercises::exercise;
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QuerySelect};
use serde_json::{Value, json};
use subgraph_common::testing::{Backend, TestDatabase};
use subgraph_common::{Silent, db_tests};

db_tests!(
    real_file_imports_once_then_is_unchanged,
    broken_records_are_named_and_the_rest_imported,
    changed_records_are_updated_in_place,
    imported_slugs_never_take_catalog_slugs,
    files_that_are_not_arrays_are_refused,
);

fn real_file() -> PathBuf {
    match std::env::var_os("FREE_EXERCISE_DB") {
        Some(path) => PathBuf::from(path),
        None => PathBuf::from(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/../../../shared/data/free-exercise-db/exercises.json"
        )),
    }
}

fn record(id: &str, name: &str) -> Value {
    json!({
        "id": id, "name": name, "force": "push", "level": "intermediate", "mechanic": "compound",
        "equipment": "dumbbell", "primaryMuscles": ["chest"], "secondaryMuscles": ["triceps", "shoulders"],
        "instructions": ["Lie on a flat bench.", "Press the dumbbells up."], "category": "strength",
        "images": [format!("{id}/0.jpg")]
    })
}

fn small_file() -> Vec<Value> {
    let mut broken_level = record("Broken_Level", "Broken Level Press");
    broken_level["level"] = json!("master");
    let mut broken_type = record("Broken_Type", "Broken Type Press");
    broken_type["primaryMuscles"] = json!("chest");
    vec![
        record("Dumbbell_Bench_Press", "Dumbbell Bench Press"),
        broken_level,
        record("Incline_Dumbbell_Press", "Incline Dumbbell Press"),
        json!({ "id": "Good_Morning", "name": "Good Morning", "force": "pull", "level": "expert", "mechanic": null,
                "equipment": null, "primaryMuscles": ["hamstrings"], "secondaryMuscles": ["lower back", "glutes"],
                "instructions": ["Bend at the hips."], "category": "powerlifting", "images": [] }),
        broken_type,
        record("Floor_Press", "Floor Press"),
    ]
}

fn bytes(records: &[Value]) -> Vec<u8> {
    serde_json::to_vec(records).expect("test records serialize")
}

async fn real_file_imports_once_then_is_unchanged(backend: Backend) {
    let path = real_file();
    let Ok(json) = std::fs::read(&path) else {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must provide free-exercise-db at {}",
            path.display()
        );
        eprintln!(
            "note: {} is absent; skipping the real-file import (set FREE_EXERCISE_DB)",
            path.display()
        );
        return;
    };
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let first = import_free_exercise_db(&conn, &json, &Silent)
        .await
        .expect("the real file imports");
    assert_eq!(
        (first.created, first.updated, first.unchanged),
        (873, 0, 0),
        "{first}"
    );
    assert!(first.rejected.is_empty(), "{first}");
    let second = import_free_exercise_db(&conn, &json, &Silent)
        .await
        .expect("the real file imports again");
    assert_eq!(
        (second.created, second.updated, second.unchanged),
        (0, 0, 873),
        "{second}"
    );
    assert!(
        second
            .to_string()
            .starts_with("0 created, 0 updated, 873 unchanged, 0 rejected"),
        "{second}"
    );

    let query = "query($slug: String!) {
        exerciseBySlug(slug: $slug) { name difficulty equipment primaryMuscles movementPattern category } }";
    let slug = slug_of(&conn, "3_4_Sit-Up").await;
    let found = data(&schema(&conn), query, json!({ "slug": slug })).await;
    let sit_up = &found["exerciseBySlug"];
    assert_eq!(sit_up["name"], "3/4 Sit-Up");
    assert_eq!(
        (&sit_up["difficulty"], &sit_up["equipment"]),
        (&json!("BEGINNER"), &json!("BODYWEIGHT"))
    );
    assert_eq!(sit_up["primaryMuscles"], json!(["ABDOMINALS"]));
    assert_eq!(sit_up["movementPattern"], "CORE");
}

async fn broken_records_are_named_and_the_rest_imported(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let report = import_free_exercise_db(&conn, &bytes(&small_file()), &Silent)
        .await
        .expect("the file imports");
    assert_eq!(
        (report.created, report.updated, report.unchanged),
        (4, 0, 0),
        "{report}"
    );
    let rejected: Vec<(usize, Option<&str>, &str)> = report
        .rejected
        .iter()
        .map(|r| (r.index, r.source_id.as_deref(), r.field.as_str()))
        .collect();
    assert_eq!(
        rejected,
        [
            (1, Some("Broken_Level"), "level"),
            (4, Some("Broken_Type"), "primaryMuscles")
        ]
    );
    assert!(report.rejected[0].reason.contains("`master`"), "{report}");
    let summary = report.to_string();
    assert!(
        summary.contains("record 1 (id `Broken_Level`): level"),
        "{summary}"
    );

    let query = "query($slug: String!) {
        exerciseBySlug(slug: $slug) { difficulty equipment mechanic secondaryMuscles movementPattern category } }";
    let slug = slug_of(&conn, "Good_Morning").await;
    let found = data(&schema(&conn), query, json!({ "slug": slug })).await;
    let good_morning = &found["exerciseBySlug"];
    assert_eq!(
        good_morning["difficulty"], "ADVANCED",
        "expert maps to ADVANCED"
    );
    assert_eq!(
        good_morning["equipment"], "BODYWEIGHT",
        "null equipment means bodyweight"
    );
    assert_eq!(good_morning["mechanic"], Value::Null);
    assert_eq!(
        good_morning["secondaryMuscles"],
        json!(["LOWER_BACK", "GLUTES"])
    );
    assert_eq!(good_morning["movementPattern"], "HINGE");
    assert_eq!(good_morning["category"], "POWERLIFTING");

    let mut repeated = small_file();
    repeated.push(record("Floor_Press", "Floor Press Again"));
    let again = import_free_exercise_db(&conn, &bytes(&repeated), &Silent)
        .await
        .expect("imports");
    assert_eq!(
        (again.created, again.updated, again.unchanged),
        (0, 0, 4),
        "{again}"
    );
    assert_eq!(
        again.rejected.last().map(|r| (r.index, r.field.as_str())),
        Some((6, "id")),
        "{again}"
    );
}

async fn changed_records_are_updated_in_place(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let mut records = small_file();
    let first = import_free_exercise_db(&conn, &bytes(&records), &Silent)
        .await
        .expect("imports");
    assert_eq!(
        first.changed.len(),
        4,
        "every created exercise is reported changed"
    );
    let slug = slug_of(&conn, "Dumbbell_Bench_Press").await;
    records[0]["name"] = json!("Flat Dumbbell Bench Press");
    records[0]["secondaryMuscles"] = json!(["shoulders"]);
    records[0]["level"] = json!("beginner");
    let report = import_free_exercise_db(&conn, &bytes(&records), &Silent)
        .await
        .expect("imports");
    assert_eq!(
        (report.created, report.updated, report.unchanged),
        (0, 1, 3),
        "{report}"
    );
    let [changed] = report.changed[..] else {
        panic!("one exercise changed: {:?}", report.changed);
    };
    let row = exercise::Entity::find_by_id(changed)
        .one(&conn)
        .await
        .expect("reads")
        .expect("the changed exercise exists");
    assert_eq!(row.source_id, "Dumbbell_Bench_Press");

    assert_eq!(
        slug_of(&conn, "Dumbbell_Bench_Press").await,
        slug,
        "the slug stays"
    );
    let query = "query($slug: String!) { exerciseBySlug(slug: $slug) { name difficulty secondaryMuscles } }";
    let found = data(&schema(&conn), query, json!({ "slug": slug })).await;
    assert_eq!(
        found["exerciseBySlug"],
        json!({ "name": "Flat Dumbbell Bench Press", "difficulty": "BEGINNER", "secondaryMuscles": ["SHOULDERS"] }),
    );
}

/// The slug an imported record was stored under.
async fn slug_of(conn: &sea_orm::DatabaseConnection, source_id: &str) -> String {
    let slug: Option<String> = exercise::Entity::find()
        .filter(exercise::Column::Source.eq("free-exercise-db"))
        .filter(exercise::Column::SourceId.eq(source_id))
        .select_only()
        .column(exercise::Column::Slug)
        .into_tuple()
        .one(conn)
        .await
        .expect("the slug loads");
    slug.unwrap_or_else(|| panic!("{source_id} was imported"))
}

async fn imported_slugs_never_take_catalog_slugs(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let catalog = exercises_subgraph::catalog::exercises();
    let taken = &catalog[0];
    let records = [
        record("Clash", &taken.name.to_string()),
        record("Clash_Again", &taken.name.to_string()),
    ];
    let report = import_free_exercise_db(&conn, &bytes(&records), &Silent)
        .await
        .expect("imports");
    assert_eq!(report.created, 2);
    let slugs: Vec<String> = exercise::Entity::find()
        .filter(exercise::Column::Source.eq("free-exercise-db"))
        .select_only()
        .column(exercise::Column::Slug)
        .into_tuple()
        .all(&conn)
        .await
        .expect("slugs load");
    let catalog_slugs: std::collections::HashSet<String> =
        catalog.iter().map(|seed| seed.slug.to_string()).collect();
    assert_eq!(slugs.len(), 2);
    assert!(
        slugs.iter().all(|slug| !catalog_slugs.contains(slug)),
        "{slugs:?}"
    );
    assert_ne!(slugs[0], slugs[1]);

    let report = exercises_subgraph::seed(&conn, &Silent)
        .await
        .expect("seeding after an import works");
    assert_eq!(
        report.exercises_created,
        catalog.len(),
        "the import took no catalog slug"
    );
}

async fn files_that_are_not_arrays_are_refused(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let object = import_free_exercise_db(&conn, br#"{"exercises": []}"#, &Silent).await;
    let Err(err @ ImportError::NotAnArray(_)) = object else {
        panic!("an object is refused: {object:?}")
    };
    assert!(err.to_string().contains("expected a JSON array"), "{err}");
    let garbage = import_free_exercise_db(&conn, b"[{\"id\": ", &Silent).await;
    assert!(
        matches!(garbage, Err(ImportError::InvalidJson(_))),
        "{garbage:?}"
    );
    let empty = import_free_exercise_db(&conn, b"[]", &Silent)
        .await
        .expect("an empty array is fine");
    assert_eq!((empty.created, empty.rejected.len()), (0, 0));
}
