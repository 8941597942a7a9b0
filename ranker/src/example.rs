//! The unit of training data: one prescribed exercise and what the user did with it.

use std::sync::Arc;

use chrono::NaiveDate;
use fitgraph_rules::UserSnapshot;
use subgraph_common::catalog::ExerciseSummary;
use uuid::Uuid;

/// One prescribed exercise and what came of it.
///
/// The snapshot is the one stored when the workout was generated, so training sees what
/// serving saw; it is shared (`Arc`) because every exercise of a workout has the same one.
#[derive(Debug, Clone, PartialEq)]
pub struct Example {
    /// Groups examples for NDCG: one workout is one ranked list.
    pub workout_id: Uuid,
    pub user_id: Uuid,
    /// The day the workout was for; the train/holdout split is by this day.
    pub day: NaiveDate,
    pub snapshot: Arc<UserSnapshot>,
    pub exercise: Arc<ExerciseSummary>,
    /// The adherence label: completed rather than skipped.
    pub completed: bool,
    /// The effectiveness label (plans sets it to completed with a reported difficulty of 2-4).
    pub effective: bool,
}
