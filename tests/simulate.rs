//! The learning loop end to end, small: synthetic users train through the gateway for a
//! few simulated weeks, the ranker is trained every night, a model is promoted and then
//! orders the ranker variants' workouts.
//!
//! This is the only test in this file: the simulated clock is global to the process.

use fitgraph::cli::SimulateArgs;
use fitgraph::simulate::simulate;
use subgraph_common::Settings;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_small_population_trains_promotes_and_serves_a_model() {
    subgraph_common::server::init_tracing("warn");
    let mut settings = Settings::default();
    // A short run has few days to hold out; three leave enough before them to train on.
    settings.recommend.holdout_days = 3;
    let args = SimulateArgs {
        users: 40,
        days: 18,
        seed: 3,
        concurrency: 8,
        data_dir: None,
    };
    let mut report = Vec::new();
    let result = simulate(settings, &args, &mut report).await;
    let report = String::from_utf8_lossy(&report);
    eprintln!("{report}");
    let summary = result.expect("the simulation runs to the end");

    assert!(
        summary
            .nights
            .iter()
            .any(|night| night.examples > 0 && night.version.is_some()),
        "some night trained a model on examples:\n{report}"
    );
    assert!(
        summary.nights.iter().any(|night| night.promoted),
        "a model was promoted:\n{report}"
    );
    assert!(
        summary.workouts_with_model > 0,
        "workouts generated after the promotion were ordered by the model:\n{report}"
    );
    assert_eq!(summary.failed_requests, 0, "no request failed:\n{report}");
    assert!(summary.requests > 0);
    assert!(
        summary.weeks.len() >= 2,
        "a table per week (18 days make three):\n{report}"
    );
    assert!(
        report.contains("verdict:"),
        "the report ends with a verdict:\n{report}"
    );
}
