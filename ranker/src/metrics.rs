//! Ranking and calibration metrics on held-out examples, and the rule that decides whether
//! one model is better than another.

use serde::{Deserialize, Serialize};

/// Probabilities are kept this far from 0 and 1 so one confident mistake costs a bounded
/// amount of log-loss instead of infinity.
const PROBABILITY_CLIP: f64 = 1e-15;

/// How a model did on held-out examples. `auc` and `log_loss` judge the adherence
/// probability against `completed`; `ndcg_at_k` ranks each workout's exercises by that
/// probability with the completed ones as relevant.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Metrics {
    pub auc: f64,
    pub log_loss: f64,
    pub ndcg_at_k: f64,
    pub k: usize,
    pub examples: usize,
    pub positive_rate: f64,
}

impl Metrics {
    /// The smallest AUC difference that counts as better rather than noise.
    pub const AUC_MARGIN: f64 = 0.002;

    /// The promotion rule. `self` beats `other` when its AUC is higher by at least
    /// [`AUC_MARGIN`](Self::AUC_MARGIN), or when the two AUCs are within the margin and
    /// `self` has the strictly lower log-loss. AUC comes first because the ranker's job is
    /// ordering; log-loss breaks near-ties in favour of the better-calibrated model.
    /// Metrics with a NaN never beat anything.
    pub fn beats(&self, other: &Metrics) -> bool {
        let difference = self.auc - other.auc;
        if difference >= Self::AUC_MARGIN {
            return true;
        }
        difference.abs() < Self::AUC_MARGIN && self.log_loss < other.log_loss
    }

    /// All metrics of one scored window: `probabilities` and `labels` per example,
    /// `groups` the same examples grouped by workout.
    pub(crate) fn compute(
        probabilities: &[f64],
        labels: &[bool],
        groups: &[Vec<(f64, bool)>],
        k: usize,
    ) -> Metrics {
        let positives = labels.iter().filter(|label| **label).count();
        Metrics {
            auc: auc(probabilities, labels),
            log_loss: log_loss(probabilities, labels),
            ndcg_at_k: ndcg_at_k(groups, k),
            k,
            examples: labels.len(),
            positive_rate: if labels.is_empty() {
                0.0
            } else {
                positives as f64 / labels.len() as f64
            },
        }
    }
}

/// Area under the ROC curve: the probability that a random positive scores above a random
/// negative, from ranks (Mann-Whitney U), tied scores sharing their average rank. 0.5 when
/// either class is absent. Extra items of the longer slice are ignored.
pub fn auc(scores: &[f64], labels: &[bool]) -> f64 {
    let mut order: Vec<(f64, bool)> = scores.iter().copied().zip(labels.iter().copied()).collect();
    let positives = order.iter().filter(|(_, label)| *label).count();
    let negatives = order.len() - positives;
    if positives == 0 || negatives == 0 {
        return 0.5;
    }
    order.sort_by(|left, right| left.0.total_cmp(&right.0));
    let mut positive_rank_sum = 0.0;
    let mut start = 0;
    while start < order.len() {
        let tie_end = start
            + order[start..]
                .iter()
                .take_while(|(score, _)| score.total_cmp(&order[start].0).is_eq())
                .count();
        // Ranks are 1-based: the tie occupies ranks start+1 ..= tie_end.
        let average_rank = (start + 1 + tie_end) as f64 / 2.0;
        let tied_positives = order[start..tie_end]
            .iter()
            .filter(|(_, label)| *label)
            .count();
        positive_rank_sum += average_rank * tied_positives as f64;
        start = tie_end;
    }
    let positives = positives as f64;
    let u = positive_rank_sum - positives * (positives + 1.0) / 2.0;
    u / (positives * negatives as f64)
}

/// Mean binary cross-entropy (natural log) of `probabilities` against `labels`, each
/// probability clipped to `[1e-15, 1 - 1e-15]`; 0 for no examples. Extra items of the
/// longer slice are ignored.
pub fn log_loss(probabilities: &[f64], labels: &[bool]) -> f64 {
    let losses: Vec<f64> = probabilities
        .iter()
        .zip(labels)
        .map(|(probability, label)| {
            let clipped = probability.clamp(PROBABILITY_CLIP, 1.0 - PROBABILITY_CLIP);
            if *label {
                -clipped.ln()
            } else {
                -(1.0 - clipped).ln()
            }
        })
        .collect();
    if losses.is_empty() {
        return 0.0;
    }
    losses.iter().sum::<f64>() / losses.len() as f64
}

/// Normalised discounted cumulative gain of the top `k` of each group (binary relevance,
/// gain 1/log2(rank + 1)), averaged over the groups with at least one relevant item; 0 when
/// there are none. Tied scores are ordered irrelevant-first, so ties never earn credit and a
/// constant scorer gets the worst ordering.
pub fn ndcg_at_k(groups: &[Vec<(f64, bool)>], k: usize) -> f64 {
    let scored: Vec<f64> = groups
        .iter()
        .filter(|group| group.iter().any(|(_, relevant)| *relevant))
        .map(|group| group_ndcg(group, k))
        .collect();
    if scored.is_empty() {
        return 0.0;
    }
    scored.iter().sum::<f64>() / scored.len() as f64
}

fn discount(position: usize) -> f64 {
    // Position is 0-based, so rank 1 has discount 1/log2(2) = 1.
    1.0 / ((position + 2) as f64).log2()
}

fn group_ndcg(group: &[(f64, bool)], k: usize) -> f64 {
    let mut ranked = group.to_vec();
    ranked.sort_by(|left, right| right.0.total_cmp(&left.0).then(left.1.cmp(&right.1)));
    let dcg: f64 = ranked
        .iter()
        .take(k)
        .enumerate()
        .filter(|(_, (_, relevant))| *relevant)
        .map(|(position, _)| discount(position))
        .sum();
    let relevant = group.iter().filter(|(_, relevant)| *relevant).count();
    let ideal: f64 = (0..relevant.min(k)).map(discount).sum();
    if ideal == 0.0 { 0.0 } else { dcg / ideal }
}
