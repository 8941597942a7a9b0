//! Turns client input into checked values before anything touches the database,
//! with messages that name the field and the allowed range.

use std::ops::RangeInclusive;

use async_graphql::ID;
use chrono::{Days, NaiveDate};
use subgraph_common::vocab::Goal;
use uuid::Uuid;

use crate::error::{PlansError, Result};
use crate::graphql::{CreateProgramInput, ScheduleWorkoutInput, WorkoutExerciseInput};

pub const DELOAD_EVERY_WEEKS: RangeInclusive<i32> = 2..=8;
pub const EXERCISES_PER_WORKOUT: RangeInclusive<i32> = 1..=30;
pub const SETS: RangeInclusive<i32> = 1..=20;
pub const REPS: RangeInclusive<i32> = 1..=100;
pub const REST_SECONDS: RangeInclusive<i32> = 0..=900;
pub const TITLE_MAX_CHARS: usize = 200;
/// The longest `User.workouts` window, so one request cannot read a whole history.
pub const MAX_WINDOW_DAYS: u64 = 366;

#[derive(Debug, Clone, PartialEq)]
pub struct NewProgram {
    pub user_id: Uuid,
    pub goal: Goal,
    pub start_date: NaiveDate,
    pub deload_every_weeks: i32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewWorkout {
    pub user_id: Uuid,
    pub program_id: Option<Uuid>,
    pub date: NaiveDate,
    pub title: String,
    pub exercises: Vec<NewWorkoutExercise>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct NewWorkoutExercise {
    pub exercise_id: Uuid,
    pub sets: i32,
    pub rep_min: i32,
    pub rep_max: i32,
    pub target_load_kg: Option<f64>,
    pub rest_seconds: i32,
}

/// A GraphQL `ID` that must hold a UUID.
pub fn parse_id(field: &str, id: &ID) -> Result<Uuid> {
    Uuid::parse_str(id.as_str()).map_err(|_| PlansError::InvalidId {
        field: field.to_owned(),
        value: id.to_string(),
    })
}

fn within(field: &str, value: i32, allowed: RangeInclusive<i32>) -> Result<i32> {
    if allowed.contains(&value) {
        return Ok(value);
    }
    Err(PlansError::OutOfRange {
        field: field.to_owned(),
        min: (*allowed.start()).into(),
        max: (*allowed.end()).into(),
        got: value.into(),
    })
}

impl CreateProgramInput {
    pub fn validate(self) -> Result<NewProgram> {
        Ok(NewProgram {
            user_id: parse_id("userId", &self.user_id)?,
            goal: self.goal,
            start_date: self.start_date.0,
            deload_every_weeks: within(
                "deloadEveryWeeks",
                self.deload_every_weeks,
                DELOAD_EVERY_WEEKS,
            )?,
        })
    }
}

impl ScheduleWorkoutInput {
    pub fn validate(self) -> Result<NewWorkout> {
        let user_id = parse_id("userId", &self.user_id)?;
        let program_id = self
            .program_id
            .as_ref()
            .map(|id| parse_id("programId", id))
            .transpose()?;
        let title = validate_title(&self.title)?;
        let count = i32::try_from(self.exercises.len()).unwrap_or(i32::MAX);
        if !EXERCISES_PER_WORKOUT.contains(&count) {
            return Err(PlansError::OutOfRange {
                field: "the number of exercises".to_owned(),
                min: (*EXERCISES_PER_WORKOUT.start()).into(),
                max: (*EXERCISES_PER_WORKOUT.end()).into(),
                got: count.into(),
            });
        }
        let exercises = self
            .exercises
            .into_iter()
            .enumerate()
            .map(|(index, exercise)| exercise.validate(index))
            .collect::<Result<Vec<_>>>()?;
        Ok(NewWorkout {
            user_id,
            program_id,
            date: self.date.0,
            title,
            exercises,
        })
    }
}

fn validate_title(title: &str) -> Result<String> {
    let title = title.trim();
    if title.is_empty() {
        return Err(PlansError::Blank { field: "title" });
    }
    let chars = title.chars().count();
    if chars > TITLE_MAX_CHARS {
        return Err(PlansError::TooLong {
            field: "title",
            max: TITLE_MAX_CHARS,
            got: chars,
        });
    }
    Ok(title.to_owned())
}

impl WorkoutExerciseInput {
    fn validate(self, index: usize) -> Result<NewWorkoutExercise> {
        let field = |name: &str| format!("exercises[{index}].{name}");
        let rep_min = within(&field("repMin"), self.rep_min, REPS)?;
        let rep_max = within(&field("repMax"), self.rep_max, rep_min..=*REPS.end())?;
        if let Some(load) = self.target_load_kg.filter(|load| *load < 0.0) {
            return Err(PlansError::Negative {
                field: field("targetLoadKg"),
                got: load,
            });
        }
        Ok(NewWorkoutExercise {
            exercise_id: parse_id(&field("exerciseId"), &self.exercise_id)?,
            sets: within(&field("sets"), self.sets, SETS)?,
            rep_min,
            rep_max,
            target_load_kg: self.target_load_kg,
            rest_seconds: within(&field("restSeconds"), self.rest_seconds, REST_SECONDS)?,
        })
    }
}

/// The inclusive date window `User.workouts` reads. A missing bound sits
/// `MAX_WINDOW_DAYS` from the given one; with neither, the window is centred on today.
pub fn workout_window(
    from: Option<NaiveDate>,
    to: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(NaiveDate, NaiveDate)> {
    let span = Days::new(MAX_WINDOW_DAYS);
    let half_span = Days::new(MAX_WINDOW_DAYS / 2);
    let (from, to) = match (from, to) {
        (Some(from), Some(to)) => (from, to),
        (Some(from), None) => (from, from.checked_add_days(span).unwrap_or(NaiveDate::MAX)),
        (None, Some(to)) => (to.checked_sub_days(span).unwrap_or(NaiveDate::MIN), to),
        (None, None) => (
            today.checked_sub_days(half_span).unwrap_or(NaiveDate::MIN),
            today.checked_add_days(half_span).unwrap_or(NaiveDate::MAX),
        ),
    };
    if from > to {
        return Err(PlansError::InvertedRange { from, to });
    }
    let days = (to - from).num_days();
    let max = i64::try_from(MAX_WINDOW_DAYS).expect("the window limit is a small constant");
    if days > max {
        return Err(PlansError::RangeTooLong {
            from,
            to,
            days,
            max,
        });
    }
    Ok((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(text: &str) -> NaiveDate {
        NaiveDate::parse_from_str(text, "%Y-%m-%d").expect("test dates are valid")
    }

    #[test]
    fn a_full_window_is_kept_as_given() {
        let window = workout_window(
            Some(day("2026-01-01")),
            Some(day("2027-01-02")),
            day("2026-06-01"),
        );
        assert_eq!(
            window.expect("366 days are allowed"),
            (day("2026-01-01"), day("2027-01-02"))
        );
    }

    #[test]
    fn an_inverted_or_overlong_window_is_refused() {
        let inverted = workout_window(
            Some(day("2026-02-01")),
            Some(day("2026-01-01")),
            day("2026-01-01"),
        );
        assert!(matches!(inverted, Err(PlansError::InvertedRange { .. })));
        let long = workout_window(
            Some(day("2026-01-01")),
            Some(day("2027-01-03")),
            day("2026-01-01"),
        );
        assert!(matches!(
            long,
            Err(PlansError::RangeTooLong { days: 367, .. })
        ));
    }

    #[test]
    fn missing_bounds_default_to_the_longest_window() {
        let today = day("2026-11-21");
        assert_eq!(
            workout_window(Some(today), None, today).expect("valid").1,
            day("2027-11-22")
        );
        assert_eq!(
            workout_window(None, Some(today), today).expect("valid").0,
            day("2025-11-20")
        );
        assert_eq!(
            workout_window(None, None, today).expect("valid"),
            (day("2026-05-22"), day("2027-05-23"))
        );
    }

    #[test]
    fn out_of_range_messages_name_the_field_and_range() {
        let err = within("exercises[0].sets", 21, SETS).expect_err("21 sets is too many");
        assert_eq!(
            err.to_string(),
            "exercises[0].sets must be between 1 and 20 (got 21)"
        );
    }

    #[test]
    fn malformed_ids_are_bad_input() {
        let err = parse_id("workoutId", &ID::from("nope")).expect_err("not a UUID");
        assert_eq!(
            err.to_string(),
            "workoutId is not a valid ID (got \"nope\")"
        );
    }
}
