//! The recommendation ranker: features, models, metrics and the artifact, shared by
//! training and serving.
//!
//! The rules build each workout slot from several safe candidate exercises; the ranker only
//! reorders those candidates. For one (user snapshot, exercise) pair it predicts
//! *adherence* (the probability the user completes the exercise rather than skipping it)
//! and *effectiveness* (the probability it is completed at a workable difficulty), and
//! combines both into the ranking value of a [`Score`].
//!
//! Training ([`train`]) runs daily on the feedback of past workouts ([`Example`]s): it
//! holds out the most recent days, builds similar-user engagement tables
//! ([`CohortTables`]) from the rest, fits every [`ModelFamily`] on the adherence label,
//! keeps the one that does best on the held-out days ([`Metrics::beats`]) and packs it
//! into an [`Artifact`] that the serving process deserialises and swaps in.
//!
//! Training and serving call the same [`features`] function, and an artifact refuses to
//! load when the feature schema it was trained with differs from the running code's
//! ([`feature_schema_hash`]). Everything here is pure computation: no I/O, no clocks, no
//! async.

mod artifact;
mod cohorts;
mod example;
mod features;
pub mod metrics;
mod model;
mod train;

pub use artifact::{ARTIFACT_FORMAT, Artifact, ArtifactError, Score, TrainingWindow};
pub use cohorts::CohortTables;
pub use example::Example;
pub use features::{FEATURE_NAMES, feature_schema_hash, features, hash_feature_names};
pub use metrics::Metrics;
pub use model::ModelFamily;
pub use train::{FamilyReport, RankerError, TrainConfig, TrainStage, Trained, evaluate, train};
