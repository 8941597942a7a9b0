//! Tables of the plans subgraph.
//!
//! `workout_exercises.exercise_id` points at an exercise the exercises subgraph
//! owns; it is stored as a plain id and never joined.

pub mod experiments;
pub mod programs;
pub mod ranker_models;
pub mod recommendations;
pub mod sync_cursors;
pub mod workout_exercises;
pub mod workout_outcomes;
pub mod workouts;
