//! The only failures the rules report: a library that cannot serve a user at all.
//!
//! A user's odd data (no equipment, a ten-minute session, signals in the future) is never an
//! error; the rules fall back to something sensible instead.

use subgraph_common::vocab::{FitnessLevel, Goal};

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    #[error("the exercise library holds no exercises")]
    EmptyLibrary,
    #[error("the library has no workout template for the goal {goal} (asked for level {level})")]
    NoTemplate { goal: Goal, level: FitnessLevel },
}
