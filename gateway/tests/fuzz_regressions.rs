//! Inputs from fuzzing (`scripts/fuzz.sh`), replayed through the same
//! synchronous request path the fuzz targets run: parse, validate, access,
//! limits, plan, and the checks every plan must pass. The path is shared with
//! the fuzz targets through `fuzz/src/pipeline.rs`, so a crash found there
//! reproduces here.
//!
//! Each input runs in a child process (this test binary, re-run for one test),
//! so a stack overflow, which aborts the process, fails its own test with the
//! query and the child's output instead of killing the whole test binary.

// The fuzz targets read what each stage carries; these tests only match on it.
#[allow(dead_code)]
#[path = "../../fuzz/src/pipeline.rs"]
mod pipeline;

use std::path::Path;
use std::process::Command;

use pipeline::Stage;

/// Set in the child process to the name of the test it runs.
const CHILD: &str = "FITGRAPH_FUZZ_REGRESSION_CHILD";

/// Runs `query` through the pipeline in a child process and fails, showing the
/// child's panic or abort, unless it returns normally. Returns nothing in the
/// child, where it runs the query itself.
fn replays_cleanly(test: &str, query: &str) {
    if std::env::var(CHILD).is_ok_and(|child| child == test) {
        let stage = pipeline::run(query, None);
        eprintln!("stage: {}", stage.label());
        return;
    }
    let output = Command::new(std::env::current_exe().expect("the test binary's path"))
        .args([test, "--exact", "--nocapture", "--test-threads=1"])
        .env(CHILD, test)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("the test binary runs");
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let tail: Vec<&str> = stderr.lines().rev().take(12).collect();
        let tail: Vec<&str> = tail.into_iter().rev().collect();
        panic!(
            "the request path failed ({}) on:\n{query}\n--- child output (end) ---\n{}",
            output.status,
            tail.join("\n")
        );
    }
}

/// A client alias in the planner's reserved `_fg_` namespace, on a field of an
/// entity whose key (`id`) the planner has to fetch for a jump to another
/// subgraph while the client uses `id` as the response key of another field:
/// `SelectionTree::add_field` (gateway/src/planner/tree.rs) moves the key to
/// `_fg_id`, finds that taken too, moves it to `_fg_id` again, and recurses
/// until the stack overflows. Found by reading the planner, not by the fuzz
/// targets (the `structured` one can generate such aliases but had not).
#[test]
fn reserved_alias_taken_by_client_does_not_overflow_the_planner() {
    replays_cleanly(
        "reserved_alias_taken_by_client_does_not_overflow_the_planner",
        r#"{ user(id: "1") { id: displayName _fg_id: email trainingSignals { asOf } } }"#,
    );
}

/// The same collision in the other order: the key `id` is already in the tree
/// (for the jump) when the client's `id: displayName` arrives, so the key is
/// renamed to `_fg_id`, which the client already uses for `email`. The profile
/// subgraph would get `{ user(id: "1") { _fg_id: email __typename _fg_id: id
/// id: displayName } }`, which no GraphQL server accepts. Found by reading the
/// planner; the response-key check of `fuzz/src/pipeline.rs` reports it.
#[test]
fn reserved_alias_taken_by_client_keeps_subgraph_operations_valid() {
    replays_cleanly(
        "reserved_alias_taken_by_client_keeps_subgraph_operations_valid",
        r#"{ user(id: "1") { _fg_id: email trainingSignals { asOf } id: displayName } }"#,
    );
}

/// A key the planner fetches for a jump (`Workout.id`, for `completion` in the
/// feedback subgraph) next to a client field under a `@skip`/`@include` on a
/// variable that uses the key's name as its alias. The walk puts the client
/// field inside a type-less fragment carrying the condition (`Walker::wrap`,
/// gateway/src/planner/walk.rs), and `SelectionTree::add_field`
/// (gateway/src/planner/tree.rs) only looks for response-key conflicts among
/// the items of its own level, not inside such fragments, which merge into the
/// same object. So the key is added as plain `id` and the plans subgraph gets
/// `{ workout(id: "1") { ... @include(if: $s) { id: title } __typename id } }`:
/// invalid, and were it answered, `id` could be the title. Found by the
/// `structured` target (minimised by hand from its crash input).
#[test]
fn key_for_a_jump_does_not_collide_with_an_alias_under_a_condition() {
    replays_cleanly(
        "key_for_a_jump_does_not_collide_with_an_alias_under_a_condition",
        r#"query($s: Boolean!) { workout(id: "1") { ... @include(if: $s) { id: title } completion { id } } }"#,
    );
}

/// Two fields under one response key with different arguments cannot merge
/// (GraphQL's "field selections merge"), so the operation must be refused.
/// apollo-compiler 1.33 lets it through when the arguments differ only in a
/// list's length (`validation/selection.rs`, `same_value`, zips the two lists),
/// and the planner then sends the subgraph both fields under one key
/// (`SelectionTree::add_field` adds a second field when neither is internal).
/// Found by the `structured` target (with `createExercise(input:
/// { instructions: ["1"] ... })` next to `instructions: []`).
#[test]
fn list_arguments_of_different_lengths_are_refused() {
    for query in [
        r#"{ alternatives(exerciseId: "1", equipment: [BARBELL]) { id } alternatives(exerciseId: "1", equipment: []) { id } }"#,
        r#"{ exercises(filter: { muscles: [CHEST] }) { totalCount } exercises(filter: { muscles: [CHEST, BICEPS] }) { totalCount } }"#,
    ] {
        match pipeline::run(query, None) {
            Stage::ValidationFailed | Stage::PlanFailed(_) => {}
            other => panic!(
                "an operation whose fields cannot merge got to {}:\n{query}",
                other.label()
            ),
        }
    }
}

/// Every seed of the fuzz corpus is a valid operation: it must plan.
#[test]
fn fuzz_seeds_plan() {
    let seeds = Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/seeds");
    let mut paths: Vec<_> = std::fs::read_dir(&seeds)
        .expect("fuzz/seeds exists")
        .map(|entry| entry.expect("a readable entry").path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "graphql"))
        .collect();
    paths.sort();
    assert!(!paths.is_empty(), "no seeds in {}", seeds.display());
    for path in paths {
        let bytes = std::fs::read(&path).expect("a readable seed");
        let (query, operation_name) = pipeline::split_input(&bytes).expect("seeds are UTF-8");
        match pipeline::run(query, operation_name) {
            Stage::Planned(_) => {}
            other => panic!("seed {} did not plan: {other:?}", path.display()),
        }
    }
}
