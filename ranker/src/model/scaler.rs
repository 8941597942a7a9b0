//! Standardisation of feature columns, learned on the training rows and stored in the
//! artifact so serving scales exactly as training did.
//!
//! The logistic models need it: their L2 penalty treats all weights alike, which is only
//! fair when the columns have comparable spread, and the solver converges in far fewer
//! iterations on standardised columns. The tree does not care but sees the same rows.

use serde::{Deserialize, Serialize};

/// Columns that (nearly) never vary keep a unit scale instead of blowing up.
const MIN_SCALE: f64 = 1e-9;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub(crate) struct Scaler {
    means: Vec<f64>,
    scales: Vec<f64>,
}

impl Scaler {
    /// Mean and standard deviation of every column of `rows`, given row after row in one
    /// slice of `width` columns.
    pub(crate) fn fit(rows: &[f64], width: usize) -> Scaler {
        let count = (rows.len() / width.max(1)).max(1) as f64;
        let mut means = vec![0.0; width];
        for row in rows.chunks_exact(width.max(1)) {
            for (mean, value) in means.iter_mut().zip(row) {
                *mean += value;
            }
        }
        for mean in &mut means {
            *mean /= count;
        }
        let mut variances = vec![0.0; width];
        for row in rows.chunks_exact(width.max(1)) {
            for ((variance, mean), value) in variances.iter_mut().zip(&means).zip(row) {
                *variance += (value - mean).powi(2);
            }
        }
        let scales = variances
            .iter()
            .map(|variance| (variance / count).sqrt())
            .map(|deviation| {
                if deviation > MIN_SCALE {
                    deviation
                } else {
                    1.0
                }
            })
            .collect();
        Scaler { means, scales }
    }

    /// Standardises one row in place; the row has as many values as the scaler has columns.
    pub(crate) fn apply(&self, row: &mut [f64]) {
        for ((value, mean), scale) in row.iter_mut().zip(&self.means).zip(&self.scales) {
            *value = (*value - mean) / scale;
        }
    }

    pub(crate) fn validate(&self, features: usize) -> Result<(), String> {
        if self.means.len() != features || self.scales.len() != features {
            return Err(format!(
                "the scaler has {} means and {} scales for {features} features",
                self.means.len(),
                self.scales.len()
            ));
        }
        if self.means.iter().any(|mean| !mean.is_finite()) {
            return Err("the scaler has a non-finite mean".into());
        }
        if self
            .scales
            .iter()
            .any(|scale| !(scale.is_finite() && *scale > 0.0))
        {
            return Err("the scaler has a scale that is not a positive number".into());
        }
        Ok(())
    }

    #[cfg(test)]
    pub(crate) fn identity(width: usize) -> Scaler {
        Scaler {
            means: vec![0.0; width],
            scales: vec![1.0; width],
        }
    }

    #[cfg(test)]
    pub(crate) fn poison_first_mean(&mut self) {
        if let Some(mean) = self.means.first_mut() {
            *mean = f64::NAN;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn columns_become_zero_mean_unit_deviation_and_constants_stay_finite() {
        let scaler = Scaler::fit(&[1.0, 5.0, 3.0, 5.0], 2);
        let mut first = [1.0, 5.0];
        scaler.apply(&mut first);
        assert_eq!(first, [-1.0, 0.0]);
        assert_eq!(scaler.validate(2), Ok(()));
        assert!(scaler.validate(3).is_err());
    }
}
