//! Tables of the plans subgraph.
//!
//! `workout_exercises.exercise_id` points at an exercise the exercises subgraph
//! owns; it is stored as a plain id and never joined.

pub mod programs;
pub mod workout_exercises;
pub mod workouts;
