//! Tables of the feedback subgraph: what users did (sets, completed workouts) and what
//! they thought of it (difficulty, ratings).
//!
//! `user_id`, `workout_id` and `exercise_id` point at rows other subgraphs own; they are
//! stored as plain ids and never joined. Every client write carries an
//! `idempotency_key`, unique per user, so a retried request finds its first result instead of
//! writing twice.

pub mod exercise_outcomes;
pub mod exercise_ratings;
pub mod set_logs;
pub mod workout_completions;
