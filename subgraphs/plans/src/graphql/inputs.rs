//! Mutation inputs. Ranges are checked in `validate`, which names the field in
//! its message, rather than by GraphQL validators.

use async_graphql::{ID, InputObject};
use subgraph_common::vocab::Goal;

use crate::types::Date;

#[derive(Debug, Clone, InputObject)]
pub struct CreateProgramInput {
    pub user_id: ID,
    pub goal: Goal,
    pub start_date: Date,
    /// Every how many weeks a lighter deload week comes (2-8).
    #[graphql(default = 4)]
    pub deload_every_weeks: i32,
}

#[derive(Debug, Clone, InputObject)]
pub struct ScheduleWorkoutInput {
    pub user_id: ID,
    pub date: Date,
    /// 1-200 characters.
    pub title: String,
    /// A program of the same user.
    pub program_id: Option<ID>,
    /// 1-30 exercises, in the order they are performed.
    pub exercises: Vec<WorkoutExerciseInput>,
}

#[derive(Debug, Clone, InputObject)]
pub struct WorkoutExerciseInput {
    /// An exercise of the exercises subgraph.
    pub exercise_id: ID,
    /// 1-20.
    pub sets: i32,
    /// 1-100.
    pub rep_min: i32,
    /// repMin-100.
    pub rep_max: i32,
    /// 0 or more; null for bodyweight or unspecified.
    pub target_load_kg: Option<f64>,
    /// 0-900.
    pub rest_seconds: i32,
}
