//! How long training takes on a production-sized corpus. Ignored by default:
//! `cargo test -p fitgraph-ranker --test timing -- --ignored --nocapture`.

mod common;

use std::time::Instant;

use fitgraph_ranker::{TrainConfig, train};

#[test]
#[ignore = "slow: trains on 100k examples"]
fn trains_on_100k_examples() {
    let spec = common::Spec {
        users: 800,
        exercises: 300,
        days: 42,
        workout_chance: 0.5,
        ..common::Spec::default()
    };
    let examples = common::corpus(&spec);
    assert!(examples.len() >= 95_000, "{} examples", examples.len());
    let started = Instant::now();
    let mut last_stage = Instant::now();
    let trained = train(
        &examples,
        &TrainConfig::default(),
        common::now(),
        &mut |stage| {
            println!(
                "{:>7.2}s (+{:.2}s) {stage:?}",
                started.elapsed().as_secs_f64(),
                last_stage.elapsed().as_secs_f64()
            );
            last_stage = Instant::now();
        },
    )
    .expect("trains");
    println!(
        "{} examples trained in {:.1}s; chose {}; compared {:?}",
        examples.len(),
        started.elapsed().as_secs_f64(),
        trained.artifact.family,
        trained.compared
    );
}
