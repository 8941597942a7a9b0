//! Training on synthetic corpora with a known structure.

mod common;

use chrono::Days;
use fitgraph_ranker::{
    Example, ModelFamily, RankerError, TrainConfig, TrainStage, Trained, evaluate, metrics, train,
};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;

fn train_quietly(examples: &[Example], config: &TrainConfig) -> Result<Trained, RankerError> {
    train(examples, config, common::now(), &mut |_| {})
}

#[test]
fn learns_what_drives_completion_and_beats_a_random_scorer() {
    let (_, trained) = common::standard();
    let metrics = &trained.artifact.metrics;
    assert!(metrics.auc > 0.65, "held-out AUC {}", metrics.auc);

    let mut rng = ChaCha8Rng::seed_from_u64(5);
    let random: Vec<f64> = trained.holdout.iter().map(|_| rng.r#gen()).collect();
    let labels: Vec<bool> = trained
        .holdout
        .iter()
        .map(|example| example.completed)
        .collect();
    let random_auc = metrics::auc(&random, &labels);
    assert!(
        metrics.auc > random_auc + 0.1,
        "{} vs random {random_auc}",
        metrics.auc
    );
    assert!(metrics.log_loss < metrics::log_loss(&vec![0.5; labels.len()], &labels));
}

#[test]
fn every_family_is_compared_and_the_winner_is_kept() {
    let (_, trained) = common::standard();
    let families: Vec<ModelFamily> = trained
        .compared
        .iter()
        .map(|report| report.family)
        .collect();
    assert_eq!(families, ModelFamily::ALL.to_vec());
    let chosen = trained
        .compared
        .iter()
        .find(|report| report.family == trained.artifact.family)
        .expect("the chosen family was compared");
    assert_eq!(chosen.metrics, trained.artifact.metrics);
    let first = &trained.compared[0];
    assert!(chosen.family == first.family || chosen.metrics.beats(&first.metrics));
    for report in &trained.compared {
        assert!(report.metrics.auc > 0.6, "{report:?}");
        assert_eq!(report.metrics.examples, trained.holdout.len());
    }
}

#[test]
fn evaluating_the_artifact_reproduces_its_metrics() {
    let (_, trained) = common::standard();
    let metrics = evaluate(&trained.artifact, &trained.holdout, 10);
    assert_eq!(metrics, trained.artifact.metrics);
}

#[test]
fn the_last_days_are_held_out_and_cohorts_come_from_the_rest() {
    let (examples, trained) = common::standard();
    let latest = examples
        .iter()
        .map(|example| example.day)
        .max()
        .expect("examples");
    let cutoff = latest - Days::new(7);
    let window = &trained.artifact.window;
    assert_eq!(window.to, latest);
    assert_eq!(window.from, common::first_day());
    assert_eq!(window.holdout_from, cutoff + Days::new(1));
    let held_out = examples
        .iter()
        .filter(|example| example.day > cutoff)
        .count();
    assert_eq!(trained.holdout.len(), held_out);
    assert!(trained.holdout.iter().all(|example| example.day > cutoff));
    let trained_on = (examples.len() - held_out) as u64;
    assert_eq!(trained.artifact.cohorts.observations(), trained_on);
}

#[test]
fn training_is_deterministic_and_reports_its_stages() {
    let (examples, first) = common::standard();
    let mut stages = Vec::new();
    let again = train(
        examples,
        &TrainConfig::default(),
        common::now(),
        &mut |stage| stages.push(stage),
    )
    .expect("trains");
    assert_eq!(again.artifact.version, first.artifact.version);
    assert_eq!(again.artifact.to_bytes(), first.artifact.to_bytes());
    assert_eq!(again.compared, first.compared);
    assert!(first.artifact.version.starts_with("r20261118-"));
    assert_eq!(
        stages,
        vec![
            TrainStage::BuildingCohorts,
            TrainStage::Featurizing {
                examples: examples.len()
            },
            TrainStage::Fitting {
                family: ModelFamily::LogisticRegression
            },
            TrainStage::Evaluating {
                family: ModelFamily::LogisticRegression
            },
            TrainStage::Fitting {
                family: ModelFamily::DecisionTree
            },
            TrainStage::Evaluating {
                family: ModelFamily::DecisionTree
            },
            TrainStage::Done,
        ]
    );
}

#[test]
fn a_tiny_corpus_is_not_enough() {
    let (examples, _) = common::standard();
    let err = train_quietly(&examples[..150], &TrainConfig::default()).expect_err("too small");
    assert!(
        matches!(err, RankerError::NotEnoughData { train, holdout, .. } if train + holdout == 150),
        "{err}"
    );
    let err = train_quietly(&[], &TrainConfig::default()).expect_err("nothing");
    assert!(matches!(
        err,
        RankerError::NotEnoughData {
            train: 0,
            holdout: 0,
            ..
        }
    ));
}

#[test]
fn an_empty_holdout_window_is_not_enough() {
    let (examples, _) = common::standard();
    let config = TrainConfig {
        holdout_days: 0,
        ..TrainConfig::default()
    };
    let err = train_quietly(examples, &config).expect_err("nothing held out");
    assert!(
        matches!(err, RankerError::NotEnoughData { holdout: 0, .. }),
        "{err}"
    );
}

#[test]
fn a_single_completion_class_is_not_enough() {
    let (examples, _) = common::standard();
    let all_completed: Vec<Example> = examples
        .iter()
        .cloned()
        .map(|example| Example {
            completed: true,
            ..example
        })
        .collect();
    let err = train_quietly(&all_completed, &TrainConfig::default()).expect_err("one class");
    assert!(
        matches!(&err, RankerError::NotEnoughData { reason, .. } if reason.contains("completed")),
        "{err}"
    );
}

#[test]
fn a_single_effectiveness_class_trains_a_constant() {
    let (examples, _) = common::standard();
    let never_effective: Vec<Example> = examples
        .iter()
        .cloned()
        .map(|example| Example {
            effective: false,
            ..example
        })
        .collect();
    let trained = train_quietly(&never_effective, &TrainConfig::default()).expect("trains");
    for example in trained.holdout.iter().take(20) {
        let score = trained.artifact.score(&example.snapshot, &example.exercise);
        assert_eq!(score.effectiveness, 0.0);
        assert_eq!(score.value, 0.6 * score.adherence);
    }
}

/// Whatever class is in the majority, adherence must mean P(completed): completed
/// examples rank higher and the mean probability is near the observed rate.
fn assert_adherence_means_completion(base_logit: f64) {
    let spec = common::Spec {
        base_logit,
        ..common::Spec::default()
    };
    let examples = common::corpus(&spec);
    let trained = train_quietly(&examples, &TrainConfig::default()).expect("trains");
    let holdout = &trained.holdout;
    let adherence: Vec<f64> = holdout
        .iter()
        .map(|example| {
            trained
                .artifact
                .score(&example.snapshot, &example.exercise)
                .adherence
        })
        .collect();
    let labels: Vec<bool> = holdout.iter().map(|example| example.completed).collect();
    let auc = metrics::auc(&adherence, &labels);
    assert!(auc > 0.6, "base logit {base_logit}: AUC {auc}");
    let mean = adherence.iter().sum::<f64>() / adherence.len() as f64;
    let observed = common::completion_rate(holdout);
    assert!(
        (mean - observed).abs() < 0.1,
        "mean {mean} vs observed {observed}"
    );
    for report in &trained.compared {
        assert!(
            report.metrics.auc > 0.6,
            "base logit {base_logit}: {report:?}"
        );
    }
}

#[test]
fn mostly_completed_corpora_rank_completions_first() {
    let spec_rate = common::completion_rate(&common::corpus(&common::Spec {
        base_logit: 2.5,
        ..common::Spec::default()
    }));
    assert!(spec_rate > 0.75, "{spec_rate}");
    assert_adherence_means_completion(2.5);
}

#[test]
fn mostly_skipped_corpora_rank_completions_first() {
    let spec_rate = common::completion_rate(&common::corpus(&common::Spec {
        base_logit: -2.5,
        ..common::Spec::default()
    }));
    assert!(spec_rate < 0.25, "{spec_rate}");
    assert_adherence_means_completion(-2.5);
}

#[test]
fn the_ranking_value_combines_both_probabilities() {
    let (_, trained) = common::standard();
    for example in trained.holdout.iter().take(50) {
        let score = trained.artifact.score(&example.snapshot, &example.exercise);
        assert!((0.0..=1.0).contains(&score.adherence));
        assert!((0.0..=1.0).contains(&score.effectiveness));
        let expected = score.adherence * (0.6 + 0.4 * score.effectiveness);
        assert!((score.value - expected).abs() < 1e-12);
    }
}
