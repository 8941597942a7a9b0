//! Turns client input into checked writes. Every rejection names the field and what is
//! allowed, so a client can fix its request without reading our code.

use std::collections::HashSet;
use std::fmt::Display;
use std::ops::RangeInclusive;

use async_graphql::ID;
use chrono::{DateTime, SubsecRound, TimeDelta, Utc};
use uuid::Uuid;

use crate::error::FeedbackError;
use crate::graphql::inputs::{
    CompleteWorkoutInput, ExerciseOutcomeInput, FinishExerciseInput, LogSetInput,
    RateExerciseInput, StartRestInput,
};

const IDEMPOTENCY_KEY_CHARS: RangeInclusive<usize> = 8..=128;
const SET_INDEX: RangeInclusive<i32> = 1..=100;
const REPS: RangeInclusive<i32> = 0..=1000;
const LOAD_KG: RangeInclusive<f64> = 0.0..=1000.0;
const REPS_IN_RESERVE: RangeInclusive<i32> = 0..=10;
const DIFFICULTY: RangeInclusive<i32> = 1..=5;
const SESSION_RPE: RangeInclusive<i32> = 1..=10;
const RATING: RangeInclusive<i32> = 1..=5;
const EXERCISES_PER_WORKOUT: RangeInclusive<usize> = 1..=100;
const MAX_TEXT_CHARS: usize = 1000;
const REST_SECONDS: RangeInclusive<i32> = 1..=3600;
/// Client clocks drift; anything further ahead than this is a bug, not drift.
const MAX_CLOCK_AHEAD: TimeDelta = TimeDelta::hours(1);

#[derive(Debug, Clone)]
pub struct NewSetLog {
    pub idempotency_key: String,
    pub user_id: Uuid,
    pub workout_id: Uuid,
    pub exercise_id: Uuid,
    pub set_index: i32,
    pub reps: i32,
    pub load_kg: f64,
    pub reps_in_reserve: Option<i32>,
    /// `None`: the server's clock decides.
    pub logged_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone)]
pub struct NewCompletion {
    pub idempotency_key: String,
    pub user_id: Uuid,
    pub workout_id: Uuid,
    pub exercises: Vec<NewOutcome>,
    pub session_rpe: Option<i32>,
    /// `None`: the server's clock decides.
    pub completed_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewOutcome {
    pub exercise_id: Uuid,
    pub completed: bool,
    pub skipped: bool,
    pub difficulty: Option<i32>,
    pub notes: Option<String>,
}

#[derive(Debug, Clone)]
pub struct NewRating {
    pub idempotency_key: String,
    pub user_id: Uuid,
    pub exercise_id: Uuid,
    pub rating: i32,
    pub comment: Option<String>,
}

/// A rest the user starts on the live screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRest {
    pub workout_id: Uuid,
    pub exercise_id: Option<Uuid>,
    pub seconds: u32,
}

/// An exercise the user finished (or skipped) on the live screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FinishedExercise {
    pub workout_id: Uuid,
    pub exercise_id: Uuid,
    pub skipped: bool,
}

pub fn start_rest(input: StartRestInput) -> Result<NewRest, FeedbackError> {
    Ok(NewRest {
        workout_id: uuid("workoutId", &input.workout_id)?,
        exercise_id: input
            .exercise_id
            .map(|id| uuid("exerciseId", &id))
            .transpose()?,
        seconds: within("seconds", input.seconds, REST_SECONDS)?.unsigned_abs(),
    })
}

pub fn finish_exercise(input: FinishExerciseInput) -> Result<FinishedExercise, FeedbackError> {
    Ok(FinishedExercise {
        workout_id: uuid("workoutId", &input.workout_id)?,
        exercise_id: uuid("exerciseId", &input.exercise_id)?,
        skipped: input.skipped,
    })
}

pub fn log_set(input: LogSetInput, now: DateTime<Utc>) -> Result<NewSetLog, FeedbackError> {
    Ok(NewSetLog {
        idempotency_key: idempotency_key(input.idempotency_key)?,
        user_id: uuid("userId", &input.user_id)?,
        workout_id: uuid("workoutId", &input.workout_id)?,
        exercise_id: uuid("exerciseId", &input.exercise_id)?,
        set_index: within("setIndex", input.set_index, SET_INDEX)?,
        reps: within("reps", input.reps, REPS)?,
        load_kg: within("loadKg", input.load_kg, LOAD_KG)?,
        reps_in_reserve: optional("repsInReserve", input.reps_in_reserve, REPS_IN_RESERVE)?,
        logged_at: input
            .logged_at
            .map(|at| past_instant("loggedAt", at, now))
            .transpose()?,
    })
}

pub fn complete_workout(
    input: CompleteWorkoutInput,
    now: DateTime<Utc>,
) -> Result<NewCompletion, FeedbackError> {
    let idempotency_key = idempotency_key(input.idempotency_key)?;
    let user_id = uuid("userId", &input.user_id)?;
    let workout_id = uuid("workoutId", &input.workout_id)?;
    let count = input.exercises.len();
    if !EXERCISES_PER_WORKOUT.contains(&count) {
        return Err(FeedbackError::out_of_range(
            "exercises",
            "a list of 1 to 100 exercises",
            count,
        ));
    }
    let exercises = input
        .exercises
        .into_iter()
        .enumerate()
        .map(|(index, outcome)| exercise_outcome(index, outcome))
        .collect::<Result<Vec<_>, _>>()?;
    reject_repeated_exercises(&exercises)?;
    Ok(NewCompletion {
        idempotency_key,
        user_id,
        workout_id,
        exercises,
        session_rpe: optional("sessionRpe", input.session_rpe, SESSION_RPE)?,
        completed_at: input
            .completed_at
            .map(|at| past_instant("completedAt", at, now))
            .transpose()?,
    })
}

pub fn rate_exercise(input: RateExerciseInput) -> Result<NewRating, FeedbackError> {
    Ok(NewRating {
        idempotency_key: idempotency_key(input.idempotency_key)?,
        user_id: uuid("userId", &input.user_id)?,
        exercise_id: uuid("exerciseId", &input.exercise_id)?,
        rating: within("rating", input.rating, RATING)?,
        comment: bounded_text("comment", input.comment)?,
    })
}

fn exercise_outcome(
    index: usize,
    input: ExerciseOutcomeInput,
) -> Result<NewOutcome, FeedbackError> {
    let field = |name: &str| format!("exercises[{index}].{name}");
    if input.completed && input.skipped {
        return Err(FeedbackError::InvalidInput(format!(
            "exercises[{index}] cannot be both completed and skipped (set at most one of them)"
        )));
    }
    Ok(NewOutcome {
        exercise_id: uuid(&field("exerciseId"), &input.exercise_id)?,
        completed: input.completed,
        skipped: input.skipped,
        difficulty: optional(&field("difficulty"), input.difficulty, DIFFICULTY)?,
        notes: bounded_text(&field("notes"), input.notes)?,
    })
}

fn reject_repeated_exercises(exercises: &[NewOutcome]) -> Result<(), FeedbackError> {
    let mut seen = HashSet::new();
    match exercises
        .iter()
        .find(|outcome| !seen.insert(outcome.exercise_id))
    {
        Some(repeated) => Err(FeedbackError::InvalidInput(format!(
            "exercises lists exercise {} more than once (one entry per exercise)",
            repeated.exercise_id
        ))),
        None => Ok(()),
    }
}

fn idempotency_key(key: String) -> Result<String, FeedbackError> {
    let chars = key.chars().count();
    if IDEMPOTENCY_KEY_CHARS.contains(&chars) {
        Ok(key)
    } else {
        Err(FeedbackError::out_of_range(
            "idempotencyKey",
            "8 to 128 characters long",
            format!("{chars} characters"),
        ))
    }
}

pub(crate) fn uuid(field: &str, id: &ID) -> Result<Uuid, FeedbackError> {
    Uuid::parse_str(id.as_str())
        .map_err(|_| FeedbackError::out_of_range(field, "a UUID", format!("`{}`", id.as_str())))
}

fn within<T: PartialOrd + Display>(
    field: &str,
    value: T,
    range: RangeInclusive<T>,
) -> Result<T, FeedbackError> {
    if range.contains(&value) {
        Ok(value)
    } else {
        Err(FeedbackError::out_of_range(
            field,
            format!("between {} and {}", range.start(), range.end()),
            value,
        ))
    }
}

fn optional<T: PartialOrd + Display>(
    field: &str,
    value: Option<T>,
    range: RangeInclusive<T>,
) -> Result<Option<T>, FeedbackError> {
    value.map(|value| within(field, value, range)).transpose()
}

fn bounded_text(field: &str, text: Option<String>) -> Result<Option<String>, FeedbackError> {
    match text {
        Some(text) if text.chars().count() > MAX_TEXT_CHARS => Err(FeedbackError::out_of_range(
            field,
            format!("at most {MAX_TEXT_CHARS} characters"),
            format!("{} characters", text.chars().count()),
        )),
        text => Ok(text),
    }
}

/// Stored timestamps keep microseconds, what PostgreSQL keeps, so a value read back
/// compares equal to the one written (idempotent retries depend on it).
pub fn storable(at: DateTime<Utc>) -> DateTime<Utc> {
    at.trunc_subsecs(6)
}

fn past_instant(
    field: &str,
    at: DateTime<Utc>,
    now: DateTime<Utc>,
) -> Result<DateTime<Utc>, FeedbackError> {
    if at > now + MAX_CLOCK_AHEAD {
        return Err(FeedbackError::out_of_range(
            field,
            "at most 1 hour in the future",
            at.to_rfc3339(),
        ));
    }
    Ok(storable(at))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_input() -> LogSetInput {
        LogSetInput {
            idempotency_key: "key-00000001".into(),
            user_id: ID(Uuid::now_v7().to_string()),
            workout_id: ID(Uuid::now_v7().to_string()),
            exercise_id: ID(Uuid::now_v7().to_string()),
            set_index: 1,
            reps: 5,
            load_kg: 100.0,
            reps_in_reserve: Some(2),
            logged_at: None,
        }
    }

    fn message(result: Result<NewSetLog, FeedbackError>) -> String {
        result.expect_err("the input is invalid").to_string()
    }

    #[test]
    fn a_valid_set_passes() {
        let set = log_set(set_input(), Utc::now()).expect("valid");
        assert_eq!(
            (set.reps, set.load_kg, set.reps_in_reserve),
            (5, 100.0, Some(2))
        );
    }

    #[test]
    fn rejections_name_the_field_range_and_value() {
        let now = Utc::now();
        let negative_load = LogSetInput {
            load_kg: -2.5,
            ..set_input()
        };
        assert_eq!(
            message(log_set(negative_load, now)),
            "loadKg must be between 0 and 1000 (got -2.5)"
        );
        let short_key = LogSetInput {
            idempotency_key: "abc".into(),
            ..set_input()
        };
        assert_eq!(
            message(log_set(short_key, now)),
            "idempotencyKey must be 8 to 128 characters long (got 3 characters)"
        );
        let bad_id = LogSetInput {
            user_id: ID("42".into()),
            ..set_input()
        };
        assert_eq!(
            message(log_set(bad_id, now)),
            "userId must be a UUID (got `42`)"
        );
        let future = LogSetInput {
            logged_at: Some(now + TimeDelta::days(2)),
            ..set_input()
        };
        assert!(
            message(log_set(future, now))
                .starts_with("loggedAt must be at most 1 hour in the future")
        );
    }

    #[test]
    fn outcomes_are_checked_one_by_one() {
        let outcome = |difficulty| ExerciseOutcomeInput {
            exercise_id: ID(Uuid::now_v7().to_string()),
            completed: true,
            skipped: false,
            difficulty,
            notes: None,
        };
        let input = |exercises| CompleteWorkoutInput {
            idempotency_key: "complete-1".into(),
            user_id: ID(Uuid::now_v7().to_string()),
            workout_id: ID(Uuid::now_v7().to_string()),
            exercises,
            session_rpe: None,
            completed_at: None,
        };
        let err = complete_workout(input(vec![outcome(Some(3)), outcome(Some(7))]), Utc::now())
            .expect_err("7");
        assert_eq!(
            err.to_string(),
            "exercises[1].difficulty must be between 1 and 5 (got 7)"
        );
        let err = complete_workout(input(vec![]), Utc::now()).expect_err("empty");
        assert_eq!(
            err.to_string(),
            "exercises must be a list of 1 to 100 exercises (got 0)"
        );
        let both = ExerciseOutcomeInput {
            skipped: true,
            ..outcome(None)
        };
        let err = complete_workout(input(vec![both]), Utc::now()).expect_err("both");
        assert!(
            err.to_string()
                .starts_with("exercises[0] cannot be both completed and skipped")
        );
    }

    #[test]
    fn long_notes_are_refused() {
        let text = Some("x".repeat(MAX_TEXT_CHARS + 1));
        let err = bounded_text("exercises[0].notes", text).expect_err("too long");
        assert_eq!(
            err.to_string(),
            "exercises[0].notes must be at most 1000 characters (got 1001 characters)"
        );
        assert!(
            bounded_text("comment", Some("é".repeat(MAX_TEXT_CHARS))).is_ok(),
            "characters, not bytes"
        );
    }
}
