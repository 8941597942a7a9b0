//! The seeded library: the catalog, listing and search, alternatives and templates.

mod common;

use std::collections::{HashMap, HashSet};

use common::{CDN, create, data, draft, run, schema};
use exercises_subgraph::similarity::{ExerciseProfile, rank_alternatives};
use exercises_subgraph::{Migrator, SeedReport};
use serde_json::{Value, json};
use subgraph_common::testing::{Backend, TestDatabase, error_codes};
use subgraph_common::vocab::{Difficulty, Equipment, Goal, MovementPattern, Muscle};
use subgraph_common::{Silent, db_tests};

db_tests!(
    seeded_catalog_is_large_distinct_and_complete,
    every_exercise_has_three_alternatives_sharing_its_muscle,
    seeding_twice_creates_nothing_the_second_time,
    filtered_pages_cover_every_match_exactly_once,
    page_size_and_cursor_are_validated,
    text_search_ignores_case_the_same_on_every_backend,
    alternatives_rank_share_the_muscle_and_honour_equipment,
    templates_filter_by_goal_difficulty_and_length,
);

async fn seeded(db: &TestDatabase) -> (sea_orm::DatabaseConnection, SeedReport) {
    let conn = db.migrated::<Migrator>().await;
    let report = exercises_subgraph::seed(&conn, &Silent)
        .await
        .expect("seeding a fresh database works");
    (conn, report)
}

const PAGE: &str = r#"
query Page($filter: ExerciseFilter, $first: Int, $after: String) {
  exercises(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id slug name primaryMuscles secondaryMuscles equipment difficulty videoUrl thumbnailUrl deprecated } }
  }
}"#;

/// Every node matching `filter`, walking pages of `first`; checks the page
/// bookkeeping on the way.
async fn walk(
    schema: &exercises_subgraph::ExercisesSchema,
    filter: Value,
    first: i64,
) -> (Vec<Value>, u64) {
    let mut nodes = Vec::new();
    let mut after = Value::Null;
    let mut total = None;
    loop {
        let page = data(
            schema,
            PAGE,
            json!({ "filter": filter, "first": first, "after": after }),
        )
        .await;
        let connection = &page["exercises"];
        let count = connection["totalCount"]
            .as_u64()
            .expect("totalCount is a number");
        assert_eq!(
            *total.get_or_insert(count),
            count,
            "totalCount stays the same across pages"
        );
        let edges = connection["edges"].as_array().expect("edges is a list");
        assert!(edges.len() as i64 <= first);
        nodes.extend(edges.iter().map(|edge| edge["node"].clone()));
        if !connection["pageInfo"]["hasNextPage"]
            .as_bool()
            .expect("hasNextPage is a boolean")
        {
            return (nodes, count);
        }
        assert_eq!(edges.len() as i64, first, "only the last page may be short");
        after = connection["pageInfo"]["endCursor"].clone();
        assert_eq!(
            after,
            edges.last().expect("a page before the last is not empty")["cursor"]
        );
    }
}

async fn seeded_catalog_is_large_distinct_and_complete(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let (conn, report) = seeded(&db).await;
    let catalog_size = exercises_subgraph::catalog::exercises().len();
    assert!(
        catalog_size >= 5_000,
        "the catalog has {catalog_size} exercises"
    );
    assert_eq!(report.exercises_created, catalog_size);
    assert!(
        exercises_subgraph::is_seeded(&conn)
            .await
            .expect("is_seeded reads the database")
    );

    let schema = schema(&conn);
    let (nodes, total) = walk(&schema, json!({}), 1_000).await;
    assert_eq!(nodes.len() as u64, total);
    assert_eq!(nodes.len(), catalog_size);
    let names: HashSet<&str> = nodes
        .iter()
        .map(|node| node["name"].as_str().expect("name"))
        .collect();
    let slugs: HashSet<&str> = nodes
        .iter()
        .map(|node| node["slug"].as_str().expect("slug"))
        .collect();
    assert_eq!(names.len(), catalog_size, "names are distinct");
    assert_eq!(slugs.len(), catalog_size, "slugs are distinct");
    for node in &nodes {
        let slug = node["slug"].as_str().expect("slug");
        assert!(
            !node["primaryMuscles"].as_array().expect("list").is_empty(),
            "{slug} has a primary muscle"
        );
        assert!(
            node["equipment"].is_string() && node["difficulty"].is_string(),
            "{slug}"
        );
        assert_eq!(
            node["videoUrl"],
            format!("{CDN}/exercises/{slug}/index.m3u8")
        );
        assert_eq!(
            node["thumbnailUrl"],
            format!("{CDN}/exercises/{slug}/thumb.jpg")
        );
    }
}

/// Ranks every exercise in memory with the service's own ranking, then checks a
/// sample through the GraphQL resolver gives the very same answers.
async fn every_exercise_has_three_alternatives_sharing_its_muscle(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let (conn, _) = seeded(&db).await;
    let profiles = exercises_subgraph::similarity::load_active_profiles(&conn)
        .await
        .expect("profiles load");
    assert_eq!(
        profiles.len(),
        exercises_subgraph::catalog::exercises().len()
    );
    let mut pools: HashMap<Muscle, Vec<&ExerciseProfile>> = HashMap::new();
    for profile in &profiles {
        for muscle in Muscle::ALL
            .iter()
            .filter(|muscle| profile.has_primary(**muscle))
        {
            pools.entry(*muscle).or_default().push(profile);
        }
    }
    let mut ranked: HashMap<uuid::Uuid, Vec<uuid::Uuid>> = HashMap::new();
    for target in &profiles {
        let anchor = target
            .anchor
            .expect("every catalog exercise has a primary muscle");
        let best = rank_alternatives(target, pools[&anchor].iter().copied(), None, 10);
        assert!(
            best.len() >= 3,
            "{} has only {} alternatives",
            target.name,
            best.len()
        );
        assert!(
            best.iter()
                .all(|alt| alt.has_primary(anchor) && alt.id != target.id),
            "{}",
            target.name
        );
        ranked.insert(target.id, best.iter().map(|alt| alt.id).collect());
    }
    let schema = schema(&conn);
    let query = "query($id: ID!) { alternatives(exerciseId: $id) { id primaryMuscles } }";
    for target in profiles.iter().step_by(profiles.len() / 40) {
        let found = data(&schema, query, json!({ "id": target.id.to_string() })).await;
        let ids = common::ids(&found["alternatives"]);
        let expected: Vec<String> = ranked[&target.id].iter().map(ToString::to_string).collect();
        assert_eq!(
            ids, expected,
            "the resolver ranks {} like the service",
            target.name
        );
    }
}

async fn seeding_twice_creates_nothing_the_second_time(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let (conn, first) = seeded(&db).await;
    assert!(
        first.templates_created > 0 && first.substitutions_computed > 0,
        "{first}"
    );
    let second = exercises_subgraph::seed(&conn, &Silent)
        .await
        .expect("a second seed works");
    assert_eq!(second.exercises_created, 0, "{second}");
    assert_eq!(second.templates_created, 0, "{second}");
    assert_eq!(second.exercises_existing, first.exercises_created);
    assert_eq!(second.templates_existing, first.templates_created);
    assert_eq!(
        second.substitutions_computed, 0,
        "nothing new, nothing recomputed"
    );
    let substitutions = data(
        &schema(&conn),
        "{ exercises(first: 50) { edges { node { id substitutions { id } } } } }",
        json!({}),
    )
    .await;
    for edge in substitutions["exercises"]["edges"]
        .as_array()
        .expect("edges")
    {
        let count = edge["node"]["substitutions"]
            .as_array()
            .expect("list")
            .len();
        assert!(
            (3..=5).contains(&count),
            "seeded exercises keep 3 to 5 substitutes (got {count})"
        );
    }
}

async fn filtered_pages_cover_every_match_exactly_once(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let (conn, _) = seeded(&db).await;
    let schema = schema(&conn);
    let filter = json!({ "muscles": ["CHEST", "TRICEPS"], "equipment": ["DUMBBELL", "BARBELL", "BODYWEIGHT"] });
    let (nodes, total) = walk(&schema, filter.clone(), 37).await;
    assert!(total > 37, "the filter spans several pages (got {total})");
    assert_eq!(nodes.len() as u64, total);
    let ids: HashSet<&str> = nodes
        .iter()
        .map(|node| node["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids.len(), nodes.len(), "no exercise appears twice");
    for node in &nodes {
        let worked: Vec<&Value> = node["primaryMuscles"]
            .as_array()
            .into_iter()
            .chain(node["secondaryMuscles"].as_array())
            .flatten()
            .collect();
        assert!(
            worked.iter().any(|m| *m == "CHEST" || *m == "TRICEPS"),
            "{node}"
        );
        assert!(
            ["DUMBBELL", "BARBELL", "BODYWEIGHT"]
                .contains(&node["equipment"].as_str().expect("equipment"))
        );
    }
    if backend == Backend::Sqlite {
        // SQLite compares text bytewise, like Rust, so the order is checkable here.
        let names: Vec<&str> = nodes
            .iter()
            .map(|node| node["name"].as_str().expect("name"))
            .collect();
        assert!(
            names.windows(2).all(|pair| pair[0] <= pair[1]),
            "pages are in name order"
        );
    }

    let hidden = nodes[0]["id"].as_str().expect("id");
    common::deprecate(&conn, hidden.parse().expect("ids are UUIDs")).await;
    let (without, total_without) = walk(&schema, filter.clone(), 500).await;
    assert_eq!(total_without, total - 1);
    assert!(without.iter().all(|node| node["id"] != hidden));
    let mut including = filter;
    including["includeDeprecated"] = json!(true);
    let (with, _) = walk(&schema, including, 500).await;
    assert!(
        with.iter()
            .any(|node| node["id"] == hidden && node["deprecated"] == true)
    );

    let beginner = data(
        &schema,
        PAGE,
        json!({ "filter": { "difficulty": "BEGINNER", "category": "STRENGTH" }, "first": 100 }),
    )
    .await;
    for edge in beginner["exercises"]["edges"].as_array().expect("edges") {
        assert_eq!(edge["node"]["difficulty"], "BEGINNER");
    }
}

async fn page_size_and_cursor_are_validated(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let schema = schema(&conn);
    for first in [0, -1, 1_001] {
        let response = run(&schema, PAGE, json!({ "first": first })).await;
        assert_eq!(
            error_codes(&response),
            ["BAD_USER_INPUT"],
            "first = {first}"
        );
        assert!(
            response["errors"][0]["message"]
                .as_str()
                .expect("message")
                .contains("between 1 and 1000")
        );
    }
    let response = run(&schema, PAGE, json!({ "first": 1_000 })).await;
    assert_eq!(response["data"]["exercises"]["totalCount"], 0);
    for after in ["not a cursor", "bm8tY29sb24", ""] {
        let response = run(&schema, PAGE, json!({ "after": after })).await;
        assert_eq!(
            error_codes(&response),
            ["BAD_USER_INPUT"],
            "after = {after:?}"
        );
    }
}

async fn text_search_ignores_case_the_same_on_every_backend(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    for name in [
        "Front Squat",
        "Zercher SQUAT",
        "squat jump",
        "Ärmel Curl",
        "100% Effort_Row",
        "Bench Press",
        "Straight Row",
    ] {
        create(
            &conn,
            draft(
                name,
                &[Muscle::Quadriceps],
                Equipment::Barbell,
                MovementPattern::Squat,
            ),
        )
        .await;
    }
    let schema = schema(&conn);
    let search = |text: &'static str| {
        let schema = schema.clone();
        async move {
            let page = data(
                &schema,
                PAGE,
                json!({ "filter": { "text": text }, "first": 50 }),
            )
            .await;
            let mut names: Vec<String> = page["exercises"]["edges"]
                .as_array()
                .expect("edges")
                .iter()
                .map(|edge| edge["node"]["name"].as_str().expect("name").to_owned())
                .collect();
            names.sort();
            names
        }
    };
    assert_eq!(
        search("sQuAt").await,
        ["Front Squat", "Zercher SQUAT", "squat jump"]
    );
    assert_eq!(search("ÄRMEL").await, ["Ärmel Curl"]);
    assert_eq!(search("ärmel curl").await, ["Ärmel Curl"]);
    assert_eq!(search("%").await, ["100% Effort_Row"], "% is literal");
    assert_eq!(search("t_r").await, ["100% Effort_Row"], "_ is literal");
    assert_eq!(
        search("  bench ").await,
        ["Bench Press"],
        "surrounding spaces are ignored"
    );
    assert!(search("deadlift").await.is_empty());
}

async fn alternatives_rank_share_the_muscle_and_honour_equipment(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let push = MovementPattern::HorizontalPush;
    let target = create(
        &conn,
        draft(
            "Barbell Bench Press",
            &[Muscle::Chest, Muscle::Triceps],
            Equipment::Barbell,
            push,
        ),
    )
    .await;
    let dumbbell = create(
        &conn,
        draft(
            "Dumbbell Bench Press",
            &[Muscle::Chest],
            Equipment::Dumbbell,
            push,
        ),
    )
    .await;
    let mut push_up = draft("Push-Up", &[Muscle::Chest], Equipment::Bodyweight, push);
    push_up.difficulty = Difficulty::Beginner;
    let push_up = create(&conn, push_up).await;
    let mut fly = draft(
        "Cable Fly",
        &[Muscle::Chest],
        Equipment::Cable,
        MovementPattern::HorizontalPush,
    );
    fly.mechanic = Some(subgraph_common::vocab::Mechanic::Isolation);
    fly.movement_pattern = MovementPattern::ShoulderIsolation;
    let fly = create(&conn, fly).await;
    create(
        &conn,
        draft("Triceps Dip", &[Muscle::Triceps], Equipment::Dumbbell, push),
    )
    .await;
    let retired = create(
        &conn,
        draft(
            "Old Dumbbell Press",
            &[Muscle::Chest],
            Equipment::Dumbbell,
            push,
        ),
    )
    .await;
    common::deprecate(&conn, retired.id).await;

    let schema = schema(&conn);
    let query = "query($id: ID!, $equipment: [Equipment!], $first: Int) {
        alternatives(exerciseId: $id, equipment: $equipment, first: $first) { id equipment } }";
    let all = data(&schema, query, json!({ "id": target.id.to_string() })).await;
    let expected: Vec<String> = [dumbbell.id, push_up.id, fly.id]
        .iter()
        .map(ToString::to_string)
        .collect();
    assert_eq!(
        common::ids(&all["alternatives"]),
        expected,
        "best first; never itself, a dip or a deprecated one"
    );

    let home = data(
        &schema,
        query,
        json!({ "id": target.id.to_string(), "equipment": ["BODYWEIGHT", "CABLE"] }),
    )
    .await;
    assert_eq!(
        common::ids(&home["alternatives"]),
        [push_up.id.to_string(), fly.id.to_string()]
    );
    let one = data(
        &schema,
        query,
        json!({ "id": target.id.to_string(), "first": 1 }),
    )
    .await;
    assert_eq!(common::ids(&one["alternatives"]), [dumbbell.id.to_string()]);

    let unknown = run(
        &schema,
        query,
        json!({ "id": uuid::Uuid::now_v7().to_string() }),
    )
    .await;
    assert_eq!(error_codes(&unknown), ["NOT_FOUND"]);
    let malformed = run(&schema, query, json!({ "id": "bench-press" })).await;
    assert_eq!(error_codes(&malformed), ["BAD_USER_INPUT"]);
    let too_many = run(
        &schema,
        query,
        json!({ "id": target.id.to_string(), "first": 0 }),
    )
    .await;
    assert_eq!(error_codes(&too_many), ["BAD_USER_INPUT"]);
}

async fn templates_filter_by_goal_difficulty_and_length(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let (conn, _) = seeded(&db).await;
    let schema = schema(&conn);
    let query = "query($goal: Goal, $difficulty: Difficulty, $max: Int) {
        templates(goal: $goal, difficulty: $difficulty, maxMinutes: $max) {
          id slug name goal difficulty durationMinutes
          slots { position targetMuscle targetPattern sets repMin repMax unit restSeconds } } }";
    for goal in Goal::ALL {
        for difficulty in Difficulty::ALL {
            let found = data(
                &schema,
                query,
                json!({ "goal": goal, "difficulty": difficulty }),
            )
            .await;
            let templates = found["templates"].as_array().expect("list");
            assert!(
                !templates.is_empty(),
                "a template for {goal} x {difficulty}"
            );
            for template in templates {
                assert_eq!(
                    (&template["goal"], &template["difficulty"]),
                    (&json!(goal), &json!(difficulty))
                );
                assert_slots_are_well_formed(template);
            }
        }
    }
    let all = data(&schema, query, json!({})).await;
    let durations: Vec<i64> = all["templates"]
        .as_array()
        .expect("list")
        .iter()
        .map(|t| t["durationMinutes"].as_i64().expect("int"))
        .collect();
    let shortest = *durations.iter().min().expect("templates exist");
    let short = data(&schema, query, json!({ "max": shortest })).await;
    let short = short["templates"].as_array().expect("list");
    assert_eq!(
        short.len(),
        durations
            .iter()
            .filter(|minutes| **minutes <= shortest)
            .count()
    );
    assert!(
        short
            .iter()
            .all(|t| t["durationMinutes"].as_i64() <= Some(shortest))
    );
    let none = run(&schema, query, json!({ "max": 0 })).await;
    assert_eq!(error_codes(&none), ["BAD_USER_INPUT"]);
}

fn assert_slots_are_well_formed(template: &Value) {
    let slots = template["slots"].as_array().expect("slots");
    assert!(!slots.is_empty(), "{} has slots", template["slug"]);
    for (index, slot) in slots.iter().enumerate() {
        assert_eq!(slot["position"], json!(index + 1), "positions count from 1");
        assert!(
            slot["targetMuscle"].is_null() != slot["targetPattern"].is_null(),
            "exactly one target: {slot}"
        );
        assert!(slot["repMin"].as_i64() <= slot["repMax"].as_i64(), "{slot}");
        let timed = ["STRETCH", "MOBILITY", "CARRY", "LOCOMOTION"].map(|pattern| json!(pattern));
        let expected_unit = if timed.contains(&slot["targetPattern"]) {
            "SECONDS"
        } else {
            "REPS"
        };
        assert_eq!(slot["unit"], json!(expected_unit), "{slot}");
    }
}
