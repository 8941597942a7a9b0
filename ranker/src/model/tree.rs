//! A CART decision tree (linfa-trees) turned into a probability model.
//!
//! linfa's tree only predicts a class, so the fitted tree is flattened into an array of
//! split and leaf nodes and every leaf gets its own probability: the completion rate of
//! the training rows that reach it, smoothed towards the overall rate (an m-estimate), so a
//! small leaf cannot claim certainty.
//!
//! Two details of linfa-trees shape the fit:
//! - it scans every training row for every node and feature, which is slow unoptimised,
//!   so the *structure* is learned on a seeded sample of at most [`STRUCTURE_ROWS`] rows,
//!   while the leaf probabilities use every training row;
//! - it prunes sibling leaves that predict the same class, which on unbalanced labels
//!   would collapse the tree towards the majority class. Weighting both classes equally
//!   makes a leaf's class mean "above or below the base rate", so what survives pruning
//!   still separates likely from unlikely completions.

use linfa::DatasetBase;
use linfa::traits::Fit;
use linfa_trees::{DecisionTree, SplitQuality, TreeNode};
use ndarray::{Array1, ArrayView2};
use serde::{Deserialize, Serialize};

use super::{seeded_sample, select_rows};

/// The most rows the tree structure is learned from.
const STRUCTURE_ROWS: usize = 16_000;

const MAX_DEPTH: usize = 8;

/// The least (class-balanced) weight a leaf may hold; about that many rows.
const MIN_LEAF_WEIGHT: f32 = 20.0;

/// How many pseudo-rows at the overall rate every leaf probability starts from.
const LEAF_PRIOR_WEIGHT: f64 = 10.0;

/// linfa breaks a tie between equally weighted classes in hash-map order, which differs
/// between processes; nudging one class's weight makes exact ties impossible in practice
/// and keeps fits reproducible.
const TIE_BREAKING_NUDGE: f32 = 1.000_7;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
enum Node {
    /// Rows with `row[feature] <= threshold` go left.
    Split {
        feature: usize,
        threshold: f64,
        left: usize,
        right: usize,
    },
    Leaf {
        probability: f64,
    },
}

/// The flattened tree; the root is node 0 and children always follow their parent.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct TreeModel {
    nodes: Vec<Node>,
}

impl TreeModel {
    /// Fits on standardised `records`; `seed` picks the structure sample.
    pub(crate) fn fit(
        records: ArrayView2<'_, f64>,
        labels: &[bool],
        seed: u64,
    ) -> Result<Self, String> {
        if records.nrows() != labels.len() || labels.is_empty() {
            return Err(format!(
                "{} rows for {} labels",
                records.nrows(),
                labels.len()
            ));
        }
        let sample = seeded_sample(records.nrows(), STRUCTURE_ROWS, seed);
        let tree = fit_structure(records, labels, &sample)?;
        let mut model = TreeModel { nodes: Vec::new() };
        model.flatten(tree.root_node());
        model.estimate_leaf_probabilities(records, labels);
        Ok(model)
    }

    /// Appends `node` and its subtree in pre-order and returns its index.
    fn flatten(&mut self, node: &TreeNode<f64, bool>) -> usize {
        let index = self.nodes.len();
        self.nodes.push(Node::Leaf { probability: 0.0 });
        let children = node.children();
        let left = children.first().and_then(|child| child.as_deref());
        let right = children.get(1).and_then(|child| child.as_deref());
        if let (false, Some(left), Some(right)) = (node.is_leaf(), left, right) {
            let (feature, threshold, _) = node.split();
            let left = self.flatten(left);
            let right = self.flatten(right);
            self.nodes[index] = Node::Split {
                feature,
                threshold,
                left,
                right,
            };
        }
        index
    }

    fn estimate_leaf_probabilities(&mut self, records: ArrayView2<'_, f64>, labels: &[bool]) {
        let mut reached = vec![(0u64, 0u64); self.nodes.len()];
        for (row, label) in records.rows().into_iter().zip(labels) {
            let leaf = match row.as_slice() {
                Some(values) => self.leaf_of(values),
                None => self.leaf_of(&row.to_vec()),
            };
            if let Some((completed, total)) = reached.get_mut(leaf) {
                *completed += u64::from(*label);
                *total += 1;
            }
        }
        let positives = labels.iter().filter(|label| **label).count();
        let base_rate = positives as f64 / labels.len() as f64;
        for (node, (completed, total)) in self.nodes.iter_mut().zip(reached) {
            if let Node::Leaf { probability } = node {
                *probability = (completed as f64 + LEAF_PRIOR_WEIGHT * base_rate)
                    / (total as f64 + LEAF_PRIOR_WEIGHT);
            }
        }
    }

    fn leaf_of(&self, row: &[f64]) -> usize {
        let mut index = 0;
        // Children always have larger indices than their parent, so this ends.
        while let Some(Node::Split {
            feature,
            threshold,
            left,
            right,
        }) = self.nodes.get(index)
        {
            let value = row.get(*feature).copied().unwrap_or(0.0);
            index = if value <= *threshold { *left } else { *right };
        }
        index
    }

    /// P(label is true) for one standardised row.
    pub(crate) fn probability(&self, row: &[f64]) -> f64 {
        match self.nodes.get(self.leaf_of(row)) {
            Some(Node::Leaf { probability }) => *probability,
            // Unreachable for a validated tree: the walk only stops at a leaf.
            _ => 0.5,
        }
    }

    pub(crate) fn validate(&self, features: usize) -> Result<(), String> {
        if self.nodes.is_empty() {
            return Err("the tree has no nodes".into());
        }
        for (index, node) in self.nodes.iter().enumerate() {
            match node {
                Node::Split {
                    feature,
                    threshold,
                    left,
                    right,
                } => {
                    let child_ok = |child: usize| child > index && child < self.nodes.len();
                    if *feature >= features || !threshold.is_finite() {
                        return Err(format!(
                            "tree node {index} splits on an invalid feature or value"
                        ));
                    }
                    if !(child_ok(*left) && child_ok(*right)) {
                        return Err(format!("tree node {index} has a child out of order"));
                    }
                }
                Node::Leaf { probability } => {
                    if !(0.0..=1.0).contains(probability) {
                        return Err(format!("tree leaf {index} has probability {probability}"));
                    }
                }
            }
        }
        Ok(())
    }

    #[cfg(test)]
    pub(crate) fn constant(probability: f64) -> TreeModel {
        TreeModel {
            nodes: vec![Node::Leaf { probability }],
        }
    }

    #[cfg(test)]
    fn leaves(&self) -> usize {
        self.nodes
            .iter()
            .filter(|node| matches!(node, Node::Leaf { .. }))
            .count()
    }
}

fn fit_structure(
    records: ArrayView2<'_, f64>,
    labels: &[bool],
    sample: &[usize],
) -> Result<DecisionTree<f64, bool>, String> {
    let (sample_records, sample_labels) = select_rows(records, labels, sample);
    let weights = balanced_weights(&sample_labels);
    let dataset = DatasetBase::new(sample_records, sample_labels).with_weights(weights);
    DecisionTree::params()
        .split_quality(SplitQuality::Gini)
        .max_depth(Some(MAX_DEPTH))
        .min_weight_leaf(MIN_LEAF_WEIGHT)
        .min_weight_split(2.0 * MIN_LEAF_WEIGHT)
        .fit(&dataset)
        .map_err(|err| err.to_string())
}

/// Weights giving both classes the same total, averaging 1 per row.
fn balanced_weights(labels: &Array1<bool>) -> Array1<f32> {
    let rows = labels.len() as f32;
    let trues = labels.iter().filter(|label| **label).count();
    let falses = labels.len() - trues;
    let true_weight = rows / (2.0 * trues.max(1) as f32) * TIE_BREAKING_NUDGE;
    let false_weight = rows / (2.0 * falses.max(1) as f32);
    labels.mapv(|label| if label { true_weight } else { false_weight })
}

#[cfg(test)]
mod tests {
    use ndarray::Array2;

    use super::*;

    /// Two features; the label is true mostly when the first exceeds 0.3.
    fn data(rows: usize) -> (Array2<f64>, Vec<bool>) {
        let mut values = Vec::with_capacity(rows * 2);
        let mut labels = Vec::with_capacity(rows);
        for index in 0..rows {
            let first = ((index * 37) % 101) as f64 / 100.0;
            let second = ((index * 53) % 97) as f64 / 96.0;
            values.extend([first, second]);
            labels.push(first > 0.3 && index % 10 != 0);
        }
        let records = Array2::from_shape_vec((rows, 2), values).expect("two columns");
        (records, labels)
    }

    #[test]
    fn leaves_carry_probabilities_that_separate_the_classes() {
        let (records, labels) = data(2000);
        let tree = TreeModel::fit(records.view(), &labels, 7).expect("fits");
        assert_eq!(tree.validate(2), Ok(()));
        assert!(tree.leaves() >= 2);
        let likely = tree.probability(&[0.9, 0.5]);
        let unlikely = tree.probability(&[0.1, 0.5]);
        assert!(likely > 0.8 && unlikely < 0.2, "{likely} vs {unlikely}");
    }

    #[test]
    fn the_structure_sample_is_seeded_and_bounded() {
        let rows = STRUCTURE_ROWS + 500;
        let first = seeded_sample(rows, STRUCTURE_ROWS, 1);
        assert_eq!(first.len(), STRUCTURE_ROWS);
        assert!(first.windows(2).all(|pair| pair[0] < pair[1]));
        assert_eq!(first, seeded_sample(rows, STRUCTURE_ROWS, 1));
        assert_ne!(first, seeded_sample(rows, STRUCTURE_ROWS, 2));
        assert_eq!(
            seeded_sample(10, STRUCTURE_ROWS, 1),
            (0..10).collect::<Vec<_>>()
        );
    }

    #[test]
    fn validation_refuses_children_before_parents() {
        let tree = TreeModel {
            nodes: vec![
                Node::Split {
                    feature: 0,
                    threshold: 0.0,
                    left: 0,
                    right: 1,
                },
                Node::Leaf { probability: 0.5 },
            ],
        };
        assert!(tree.validate(1).is_err());
    }
}
