//! L2-regularised logistic regression (linfa-logistic), reporting the probability of the
//! `true` label whatever class linfa chose as its positive one.
//!
//! linfa-logistic calls the *more frequent* class of the training labels "positive" and
//! `predict_probabilities` returns the probability of that class. With mostly skipped
//! exercises that would be P(skipped), which ranked upside down is the worst possible
//! ranker; [`LogisticModel::probability`] therefore checks the fitted model's labels.
//!
//! On large training sets the model is fitted on a seeded sample of rows (see
//! [`FIT_ROWS`]): the weights are settled long before all rows are used.

use linfa::DatasetBase;
use linfa::traits::Fit;
use linfa_logistic::{FittedLogisticRegression, LogisticRegression};
use ndarray::ArrayView2;
use serde::{Deserialize, Serialize};

use super::{seeded_sample, select_rows};

/// Strength of the L2 penalty (the loss is summed, not averaged, over examples).
const L2_ALPHA: f64 = 1.0;

/// L-BFGS iterations; standardised features converge well before this.
const MAX_ITERATIONS: u64 = 100;

/// The solver stops once the gradient of the summed loss is below this per fitted row
/// (standardised weights are then within about 0.005 of the optimum). linfa's fixed
/// default (1e-4 for the whole sum) is rarely reached on tens of thousands of rows, so
/// every fit would run all iterations for no visible change in the scores.
const GRADIENT_TOLERANCE_PER_ROW: f64 = 1e-3;

/// The most rows a logistic model is fitted on. Forty weights are pinned down long before
/// this, and linfa's solver costs seconds per pass over 100k rows in unoptimised builds.
const FIT_ROWS: usize = 25_000;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct LogisticModel {
    fitted: FittedLogisticRegression<f64, bool>,
}

impl LogisticModel {
    /// Fits on standardised `records` (a sample picked by `seed` when there are many);
    /// both labels must occur.
    pub(crate) fn fit(
        records: ArrayView2<'_, f64>,
        labels: &[bool],
        seed: u64,
    ) -> Result<Self, String> {
        let mut sample = seeded_sample(records.nrows(), FIT_ROWS, seed);
        // A rare class can be missed by the sample; then only all rows will do.
        if !has_both_classes(sample.iter().filter_map(|index| labels.get(*index))) {
            sample = (0..records.nrows()).collect();
        }
        let (records, targets) = select_rows(records, labels, &sample);
        let tolerance = GRADIENT_TOLERANCE_PER_ROW * records.nrows().max(1) as f64;
        let dataset = DatasetBase::new(records, targets);
        let fitted = LogisticRegression::default()
            .alpha(L2_ALPHA)
            .max_iterations(MAX_ITERATIONS)
            .gradient_tolerance(tolerance)
            .fit(&dataset)
            .map_err(|err| err.to_string())?;
        Ok(LogisticModel { fitted })
    }

    /// P(label is true) for one standardised row of the length the model was fitted on.
    pub(crate) fn probability(&self, row: &[f64]) -> f64 {
        let records = ArrayView2::from_shape((1, row.len()), row)
            .expect("any slice is a one-row matrix of its own length");
        let of_positive_class = self.fitted.predict_probabilities(&records)[0];
        if self.fitted.labels().pos.class {
            of_positive_class
        } else {
            1.0 - of_positive_class
        }
    }

    pub(crate) fn validate(&self, features: usize) -> Result<(), String> {
        let weights = self.fitted.params();
        if weights.len() != features {
            return Err(format!(
                "the logistic model has {} weights for {features} features",
                weights.len()
            ));
        }
        if !self.fitted.intercept().is_finite() || weights.iter().any(|weight| !weight.is_finite())
        {
            return Err("the logistic model has a non-finite weight".into());
        }
        let labels = self.fitted.labels();
        if labels.pos.class == labels.neg.class {
            return Err("the logistic model's two classes are the same label".into());
        }
        Ok(())
    }
}

fn has_both_classes<'a>(labels: impl Iterator<Item = &'a bool>) -> bool {
    let (mut any_true, mut any_false) = (false, false);
    for label in labels {
        any_true |= *label;
        any_false |= !*label;
    }
    any_true && any_false
}

#[cfg(test)]
mod tests {
    use ndarray::Array2;

    use super::*;

    /// One feature that is high for `true` examples; `true` is the minority when
    /// `trues < total / 2`.
    fn fit_with(trues: usize, total: usize) -> LogisticModel {
        let values: Vec<f64> = (0..total)
            .map(|index| if index < trues { 1.0 } else { -1.0 } + (index % 7) as f64 * 0.1)
            .collect();
        let labels: Vec<bool> = (0..total).map(|index| index < trues).collect();
        let records = Array2::from_shape_vec((total, 1), values).expect("one column");
        LogisticModel::fit(records.view(), &labels, 1).expect("both classes present")
    }

    #[test]
    fn probability_means_true_whichever_class_is_more_frequent() {
        for (trues, total) in [(20, 100), (80, 100)] {
            let model = fit_with(trues, total);
            let high = model.probability(&[1.3]);
            let low = model.probability(&[-0.7]);
            assert!(high > 0.5 && low < 0.5, "{trues}/{total}: {high} vs {low}");
        }
    }

    #[test]
    fn a_rare_class_missed_by_the_sample_still_fits() {
        let rows = FIT_ROWS + 1000;
        let seed = 3;
        let sampled = seeded_sample(rows, FIT_ROWS, seed);
        let rare = (0..rows)
            .find(|index| sampled.binary_search(index).is_err())
            .expect("the sample leaves rows out");
        let labels: Vec<bool> = (0..rows).map(|index| index == rare).collect();
        let values: Vec<f64> = (0..rows).map(|index| (index % 13) as f64).collect();
        let records = Array2::from_shape_vec((rows, 1), values).expect("one column");
        assert!(LogisticModel::fit(records.view(), &labels, seed).is_ok());
    }

    #[test]
    fn validation_checks_the_feature_count() {
        let model = fit_with(50, 100);
        assert_eq!(model.validate(1), Ok(()));
        assert!(model.validate(2).is_err());
    }
}
