//! Tables of the exercises subgraph.

pub mod exercise;
pub mod exercise_edit;
pub mod exercise_muscle;
pub mod exercise_substitution;
pub mod template_slot;
pub mod workout_template;
