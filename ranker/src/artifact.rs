//! The trained ranker as one self-contained unit: what the model registry stores and the
//! serving process loads.
//!
//! An artifact carries everything scoring needs (cohort tables, feature scaler, both
//! models), so serving computes exactly what training evaluated. It is JSON; loading
//! refuses artifacts of another format or feature schema, and anything that parses but
//! could not score sensibly (wrong lengths, non-finite numbers).

use chrono::{DateTime, NaiveDate, Utc};
use fitgraph_rules::UserSnapshot;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use subgraph_common::catalog::ExerciseSummary;

use crate::cohorts::CohortTables;
use crate::features::{FEATURE_NAMES, feature_schema_hash, features, hex};
use crate::metrics::Metrics;
use crate::model::{AdherenceModel, EffectivenessModel, ModelFamily, Scaler};

/// The artifact layout this code writes and reads.
pub const ARTIFACT_FORMAT: u32 = 1;

/// Share of the ranking value that does not depend on effectiveness (see [`Score`]).
const ADHERENCE_FLOOR: f64 = 0.6;

/// Hex digits of the content hash in a version string.
const VERSION_HASH_DIGITS: usize = 8;

/// Why stored bytes are not a servable artifact.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ArtifactError {
    #[error("malformed ranker artifact: {0}")]
    Malformed(String),
    #[error("ranker artifact format {found} is not the supported format {expected}")]
    Format { found: u32, expected: u32 },
    #[error(
        "ranker artifact was trained with feature schema {found}, this code computes {expected}"
    )]
    SchemaMismatch { found: String, expected: String },
}

/// The days the training examples covered.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq, Eq)]
pub struct TrainingWindow {
    /// The earliest example day.
    pub from: NaiveDate,
    /// The latest example day.
    pub to: NaiveDate,
    /// Examples on or after this day were held out for evaluation, not trained on.
    pub holdout_from: NaiveDate,
}

/// The ranker's view of one candidate.
#[derive(Serialize, Deserialize, Clone, Copy, Debug, PartialEq)]
pub struct Score {
    /// P(completed rather than skipped), 0-1.
    pub adherence: f64,
    /// P(completed at a workable difficulty), 0-1.
    pub effectiveness: f64,
    /// What candidates are ranked by: `adherence * (0.6 + 0.4 * effectiveness)`. An
    /// exercise that is skipped does nothing, so adherence scales everything; among
    /// likely completions the more effective one wins, by up to two thirds more value.
    pub value: f64,
}

impl Score {
    fn combine(adherence: f64, effectiveness: f64) -> Score {
        Score {
            adherence,
            effectiveness,
            value: adherence * (ADHERENCE_FLOOR + (1.0 - ADHERENCE_FLOOR) * effectiveness),
        }
    }
}

/// A trained ranker, as stored in the model registry.
#[derive(Serialize, Deserialize, Clone, Debug, PartialEq)]
pub struct Artifact {
    pub format: u32,
    /// `r<training date>-<8 hex digits of the content hash>`, e.g. `r20261121-abcdef12`.
    pub version: String,
    pub feature_schema_hash: String,
    pub trained_at: DateTime<Utc>,
    pub window: TrainingWindow,
    /// The adherence model's family.
    pub family: ModelFamily,
    /// The adherence model on the held-out window (what [`crate::evaluate`] reproduces).
    pub metrics: Metrics,
    pub cohorts: CohortTables,
    scaler: Scaler,
    adherence: AdherenceModel,
    effectiveness: EffectivenessModel,
}

/// The fields checked before the full parse, so a newer layout or another feature schema
/// is reported as such rather than as malformed.
#[derive(Deserialize)]
struct Header {
    format: u32,
    feature_schema_hash: String,
}

/// What training hands over to become an artifact.
pub(crate) struct ArtifactParts {
    pub trained_at: DateTime<Utc>,
    pub window: TrainingWindow,
    pub metrics: Metrics,
    pub cohorts: CohortTables,
    pub scaler: Scaler,
    pub adherence: AdherenceModel,
    pub effectiveness: EffectivenessModel,
}

impl Artifact {
    /// Assembles the artifact and names its version after its content.
    pub(crate) fn assemble(parts: ArtifactParts) -> Artifact {
        let mut artifact = Artifact {
            format: ARTIFACT_FORMAT,
            version: String::new(),
            feature_schema_hash: feature_schema_hash(),
            trained_at: parts.trained_at,
            window: parts.window,
            family: parts.adherence.family(),
            metrics: parts.metrics,
            cohorts: parts.cohorts,
            scaler: parts.scaler,
            adherence: parts.adherence,
            effectiveness: parts.effectiveness,
        };
        let digest = hex(&Sha256::digest(artifact.to_bytes()));
        artifact.version = format!(
            "r{}-{}",
            artifact.trained_at.format("%Y%m%d"),
            &digest[..VERSION_HASH_DIGITS]
        );
        artifact
    }

    /// The artifact as JSON.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect(
            "an artifact holds only numbers, strings and string-keyed maps, which JSON encodes",
        )
    }

    /// Parses and checks stored bytes; see [`ArtifactError`] for what is refused.
    pub fn from_bytes(bytes: &[u8]) -> Result<Artifact, ArtifactError> {
        let malformed = |err: serde_json::Error| ArtifactError::Malformed(err.to_string());
        let header: Header = serde_json::from_slice(bytes).map_err(malformed)?;
        if header.format != ARTIFACT_FORMAT {
            return Err(ArtifactError::Format {
                found: header.format,
                expected: ARTIFACT_FORMAT,
            });
        }
        let expected = feature_schema_hash();
        if header.feature_schema_hash != expected {
            return Err(ArtifactError::SchemaMismatch {
                found: header.feature_schema_hash,
                expected,
            });
        }
        let artifact: Artifact = serde_json::from_slice(bytes).map_err(malformed)?;
        artifact.validate().map_err(ArtifactError::Malformed)?;
        Ok(artifact)
    }

    fn validate(&self) -> Result<(), String> {
        let features = FEATURE_NAMES.len();
        self.scaler.validate(features)?;
        self.adherence.validate(features)?;
        self.effectiveness.validate(features)?;
        self.cohorts.validate()?;
        if self.adherence.family() != self.family {
            return Err(format!(
                "the artifact claims family {} but holds a {} model",
                self.family,
                self.adherence.family()
            ));
        }
        Ok(())
    }

    /// Scores one candidate exercise for the user of `snapshot`.
    pub fn score(&self, snapshot: &UserSnapshot, exercise: &ExerciseSummary) -> Score {
        let mut row = features(snapshot, exercise, &self.cohorts);
        self.scaler.apply(&mut row);
        Score::combine(
            self.adherence.probability(&row),
            self.effectiveness.probability(&row),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::TreeModel;

    fn handmade() -> Artifact {
        let day = NaiveDate::from_ymd_opt(2026, 11, 21).expect("a real date");
        Artifact::assemble(ArtifactParts {
            trained_at: DateTime::from_timestamp(1_795_000_000, 0).expect("in range"),
            window: TrainingWindow {
                from: day,
                to: day,
                holdout_from: day,
            },
            metrics: Metrics::compute(&[], &[], &[], 10),
            cohorts: CohortTables::empty(),
            scaler: Scaler::identity(FEATURE_NAMES.len()),
            adherence: AdherenceModel::DecisionTree(TreeModel::constant(0.7)),
            effectiveness: EffectivenessModel::Constant { rate: 0.4 },
        })
    }

    #[test]
    fn a_handmade_artifact_round_trips() {
        let artifact = handmade();
        assert_eq!(artifact.validate(), Ok(()));
        assert!(
            artifact.version.starts_with("r20261118-"),
            "{}",
            artifact.version
        );
        assert_eq!(Artifact::from_bytes(&artifact.to_bytes()), Ok(artifact));
    }

    #[test]
    fn a_non_finite_number_is_refused() {
        let mut artifact = handmade();
        artifact.scaler.poison_first_mean();
        assert!(artifact.validate().is_err());
        assert!(matches!(
            Artifact::from_bytes(&artifact.to_bytes()),
            Err(ArtifactError::Malformed(_))
        ));
    }

    #[test]
    fn a_family_that_does_not_match_the_model_is_refused() {
        let mut artifact = handmade();
        artifact.family = ModelFamily::LogisticRegression;
        assert!(artifact.validate().is_err());
    }

    #[test]
    fn the_value_is_adherence_weighted_by_effectiveness() {
        let score = Score::combine(0.8, 0.5);
        assert!((score.value - 0.8 * 0.8).abs() < 1e-12);
        assert_eq!(Score::combine(0.0, 1.0).value, 0.0);
        assert!((Score::combine(1.0, 1.0).value - 1.0).abs() < 1e-12);
    }
}
