//! The metrics on hand-worked cases, and the promotion rule.

use fitgraph_ranker::Metrics;
use fitgraph_ranker::metrics::{auc, log_loss, ndcg_at_k};

fn close(actual: f64, expected: f64) -> bool {
    (actual - expected).abs() < 1e-9
}

#[test]
fn auc_of_a_perfect_ranking_is_one_and_of_a_reversed_one_zero() {
    let labels = [false, false, true, true];
    assert!(close(auc(&[0.1, 0.2, 0.7, 0.9], &labels), 1.0));
    assert!(close(auc(&[0.9, 0.7, 0.2, 0.1], &labels), 0.0));
}

#[test]
fn auc_counts_ordered_pairs() {
    // Positives 0.35 and 0.8 against negatives 0.1 and 0.4: three of four pairs ordered.
    let auc = auc(&[0.1, 0.4, 0.35, 0.8], &[false, false, true, true]);
    assert!(close(auc, 0.75), "{auc}");
}

#[test]
fn auc_gives_tied_pairs_half_credit() {
    assert!(close(auc(&[0.5; 4], &[true, false, true, false]), 0.5));
    // Positives 0.5, 0.9; negatives 0.5, 0.2: pairs worth 0.5 + 1 + 1 + 1 of 4.
    let auc = auc(&[0.5, 0.5, 0.2, 0.9], &[true, false, false, true]);
    assert!(close(auc, 0.875), "{auc}");
}

#[test]
fn auc_without_one_class_is_a_coin_flip() {
    assert!(close(auc(&[0.1, 0.9], &[true, true]), 0.5));
    assert!(close(auc(&[0.1, 0.9], &[false, false]), 0.5));
    assert!(close(auc(&[], &[]), 0.5));
}

#[test]
fn log_loss_is_the_mean_cross_entropy() {
    let expected = -(0.9f64.ln() + 0.8f64.ln()) / 2.0;
    assert!(close(log_loss(&[0.9, 0.2], &[true, false]), expected));
    assert!(close(log_loss(&[0.5], &[true]), std::f64::consts::LN_2));
}

#[test]
fn log_loss_clips_certain_mistakes() {
    let loss = log_loss(&[0.0], &[true]);
    assert!(close(loss, -(1e-15f64).ln()), "{loss}");
    let loss = log_loss(&[1.0], &[false]);
    assert!(loss.is_finite() && loss > 30.0, "{loss}");
    assert_eq!(log_loss(&[], &[]), 0.0);
}

#[test]
fn ndcg_discounts_relevant_items_by_rank() {
    // Relevant at ranks 2 and 3 of 3; ideal has them at ranks 1 and 2.
    let group = vec![(0.9, false), (0.8, true), (0.1, true)];
    let dcg = 1.0 / 3f64.log2() + 1.0 / 4f64.log2();
    let ideal = 1.0 + 1.0 / 3f64.log2();
    assert!(close(
        ndcg_at_k(std::slice::from_ref(&group), 10),
        dcg / ideal
    ));
    assert!(close(ndcg_at_k(std::slice::from_ref(&group), 1), 0.0));
}

#[test]
fn ndcg_averages_groups_with_a_relevant_item() {
    let perfect = vec![(0.9, true), (0.1, false)];
    let worst = vec![(0.9, false), (0.1, true)];
    let nothing_relevant = vec![(0.5, false), (0.4, false)];
    let expected = (1.0 + 1.0 / 3f64.log2()) / 2.0;
    let ndcg = ndcg_at_k(&[perfect, worst, nothing_relevant.clone()], 10);
    assert!(close(ndcg, expected), "{ndcg}");
    assert_eq!(ndcg_at_k(&[nothing_relevant], 10), 0.0);
}

#[test]
fn ndcg_gives_ties_no_credit() {
    let tied = vec![(0.5, true), (0.5, false)];
    assert!(close(ndcg_at_k(&[tied], 10), 1.0 / 3f64.log2()));
}

fn metrics(auc: f64, log_loss: f64) -> Metrics {
    Metrics {
        auc,
        log_loss,
        ndcg_at_k: 0.8,
        k: 10,
        examples: 1000,
        positive_rate: 0.6,
    }
}

#[test]
fn a_clearly_higher_auc_wins_whatever_the_log_loss() {
    let higher = metrics(0.700, 0.60);
    let lower = metrics(0.695, 0.50);
    assert!(higher.beats(&lower));
    assert!(!lower.beats(&higher));
}

#[test]
fn within_the_auc_margin_the_lower_log_loss_wins() {
    let calibrated = metrics(0.7005, 0.55);
    let sharper = metrics(0.7010, 0.60);
    assert!(calibrated.beats(&sharper));
    assert!(!sharper.beats(&calibrated));
}

#[test]
fn equal_or_undefined_metrics_do_not_win() {
    let same = metrics(0.7, 0.5);
    assert!(!same.beats(&same.clone()));
    assert!(!metrics(f64::NAN, 0.1).beats(&same));
    assert!(!same.beats(&metrics(0.7, f64::NAN)));
}
