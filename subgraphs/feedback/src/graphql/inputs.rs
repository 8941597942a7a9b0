//! What clients send. Ranges are checked by `validate`, which names the field and the
//! allowed range in its error, rather than by the GraphQL layer.

use async_graphql::{ID, InputObject};
use chrono::{DateTime, Utc};

#[derive(InputObject)]
pub struct LogSetInput {
    /// Chosen by the client, 8-128 characters, one per intended write: a retry with the
    /// same key and payload returns the first result, the same key with another payload
    /// is a CONFLICT.
    pub idempotency_key: String,
    pub user_id: ID,
    pub workout_id: ID,
    pub exercise_id: ID,
    /// 1 for the first set of this exercise in the workout (1-100).
    pub set_index: i32,
    /// 0-1000.
    pub reps: i32,
    /// External load in kilograms, 0 for bodyweight (0-1000).
    pub load_kg: f64,
    /// Reps the user could still have done, 0-10.
    pub reps_in_reserve: Option<i32>,
    /// When the set was done; now when omitted.
    pub logged_at: Option<DateTime<Utc>>,
}

#[derive(InputObject)]
pub struct CompleteWorkoutInput {
    /// See `LogSetInput.idempotencyKey`.
    pub idempotency_key: String,
    pub user_id: ID,
    pub workout_id: ID,
    /// One entry per prescribed exercise (1-100, each exercise once).
    pub exercises: Vec<ExerciseOutcomeInput>,
    /// Session rating of perceived exertion, 1-10.
    pub session_rpe: Option<i32>,
    /// When the workout ended; now when omitted.
    pub completed_at: Option<DateTime<Utc>>,
}

#[derive(InputObject)]
pub struct ExerciseOutcomeInput {
    pub exercise_id: ID,
    pub completed: bool,
    /// Not both `completed` and `skipped`; neither means partly done.
    pub skipped: bool,
    /// 1 (far too easy) to 5 (far too hard).
    pub difficulty: Option<i32>,
    /// At most 1000 characters.
    pub notes: Option<String>,
}

#[derive(InputObject)]
pub struct RateExerciseInput {
    /// See `LogSetInput.idempotencyKey`.
    pub idempotency_key: String,
    pub user_id: ID,
    pub exercise_id: ID,
    /// 1 (dislike) to 5 (love).
    pub rating: i32,
    /// At most 1000 characters.
    pub comment: Option<String>,
}

#[derive(InputObject)]
pub struct StartRestInput {
    pub workout_id: ID,
    /// The exercise the rest follows, if any.
    pub exercise_id: Option<ID>,
    /// How long the rest is meant to last, 1-3600.
    pub seconds: i32,
}

#[derive(InputObject)]
pub struct FinishExerciseInput {
    pub workout_id: ID,
    pub exercise_id: ID,
    /// Whether the user skipped the exercise rather than finishing it.
    pub skipped: bool,
}
