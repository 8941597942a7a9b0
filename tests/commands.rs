//! One-shot commands as a user runs them: `import-exercises` prints a summary, names the
//! rejected records and fails when any were rejected; `compose` writes the checked-in supergraph.

use std::process::{Command, Output};

use serde_json::json;

fn import(data_dir: &std::path::Path, file: &std::path::Path) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fitgraph"))
        .args(["import-exercises", "--format", "free-exercise-db"])
        .arg(file)
        .env("FITGRAPH_DATA_DIR", data_dir)
        .env(
            "FITGRAPH_TRUST__SECRET",
            subgraph_common::testing::TEST_SECRET,
        )
        .output()
        .expect("the binary runs")
}

fn record(id: &str, name: &str, level: &str) -> serde_json::Value {
    json!({
        "id": id, "name": name, "force": "push", "level": level, "mechanic": "compound",
        "equipment": "dumbbell", "primaryMuscles": ["chest"], "secondaryMuscles": ["triceps"],
        "instructions": ["Press the weights up.", "Lower them slowly."], "category": "strength", "images": []
    })
}

#[test]
fn a_file_with_a_bad_record_imports_the_rest_and_fails_naming_it() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = dir.path().join("catalog.json");
    let records = json!([
        record("Floor_Press", "Floor Press", "beginner"),
        record("Odd_Press", "Odd Press", "godlike"),
        record("Squeeze_Press", "Squeeze Press", "intermediate"),
    ]);
    std::fs::write(&file, records.to_string()).expect("writable temp dir");

    let first = import(dir.path(), &file);
    let stdout = String::from_utf8_lossy(&first.stdout);
    let stderr = String::from_utf8_lossy(&first.stderr);
    assert!(
        !first.status.success(),
        "a rejected record makes the command fail"
    );
    assert!(
        stdout.contains("2 created, 0 updated, 0 unchanged, 1 rejected"),
        "{stdout}"
    );
    assert!(
        stdout.contains("record 1") && stdout.contains("Odd_Press") && stdout.contains("level"),
        "{stdout}"
    );
    assert!(stderr.contains("1 record(s) were rejected"), "{stderr}");

    let good = json!([
        record("Floor_Press", "Floor Press", "beginner"),
        record("Squeeze_Press", "Squeeze Press", "intermediate")
    ]);
    std::fs::write(&file, good.to_string()).expect("writable temp dir");
    let second = import(dir.path(), &file);
    assert!(second.status.success());
    assert!(
        String::from_utf8_lossy(&second.stdout)
            .contains("0 created, 0 updated, 2 unchanged, 0 rejected")
    );
}

#[test]
fn a_missing_file_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let output = import(dir.path(), &dir.path().join("absent.json"));
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.starts_with("fitgraph: cannot read"), "{stderr}");
    assert!(!stderr.contains("backtrace"), "{stderr}");
}

#[test]
fn compose_writes_the_checked_in_supergraph() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("supergraph.graphql");
    let output = Command::new(env!("CARGO_BIN_EXE_fitgraph"))
        .args(["compose", "--out"])
        .arg(&out)
        .output()
        .expect("the binary runs");
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let written = std::fs::read_to_string(&out).expect("compose wrote the file");
    let checked_in = include_str!("../schema/supergraph.graphql");
    assert_eq!(
        written, checked_in,
        "schema/supergraph.graphql is out of date: UPDATE_SCHEMA=1 cargo test -p fitgraph-gateway compose"
    );
}
