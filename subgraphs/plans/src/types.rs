//! Values the plans subgraph exposes besides its objects: the workout status and
//! the `Date` scalar.

use std::fmt;
use std::str::FromStr;

use async_graphql::{Enum, InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

/// Where a workout is in its life: PLANNED, then IN_PROGRESS or SKIPPED, then COMPLETED.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq, Hash)]
#[graphql(rename_items = "SCREAMING_SNAKE_CASE")]
pub enum WorkoutStatus {
    Planned,
    InProgress,
    Completed,
    Skipped,
}

impl WorkoutStatus {
    pub const ALL: [WorkoutStatus; 4] = [
        WorkoutStatus::Planned,
        WorkoutStatus::InProgress,
        WorkoutStatus::Completed,
        WorkoutStatus::Skipped,
    ];

    /// The stored and GraphQL name.
    pub fn as_str(self) -> &'static str {
        match self {
            WorkoutStatus::Planned => "PLANNED",
            WorkoutStatus::InProgress => "IN_PROGRESS",
            WorkoutStatus::Completed => "COMPLETED",
            WorkoutStatus::Skipped => "SKIPPED",
        }
    }
}

impl fmt::Display for WorkoutStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for WorkoutStatus {
    type Err = String;

    fn from_str(value: &str) -> Result<Self, Self::Err> {
        WorkoutStatus::ALL
            .into_iter()
            .find(|status| status.as_str() == value)
            .ok_or_else(|| format!("`{value}` is not a workout status"))
    }
}

/// A calendar day without time zone, written `YYYY-MM-DD`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

const DATE_FORMAT: &str = "%Y-%m-%d";

/// A calendar day without time zone, written `YYYY-MM-DD`.
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Self> {
        let Value::String(text) = &value else {
            return Err(InputValueError::expected_type(value));
        };
        NaiveDate::parse_from_str(text, DATE_FORMAT)
            .map(Date)
            .map_err(|_| {
                InputValueError::custom(format!("expected a date as YYYY-MM-DD (got \"{text}\")"))
            })
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format(DATE_FORMAT).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_their_stored_text() {
        for status in WorkoutStatus::ALL {
            assert_eq!(status.as_str().parse::<WorkoutStatus>(), Ok(status));
        }
        assert!("planned".parse::<WorkoutStatus>().is_err());
    }

    #[test]
    fn dates_parse_only_as_calendar_days() {
        let parsed = Date::parse(Value::String("2026-11-21".into())).expect("a valid day");
        assert_eq!(parsed.to_value(), Value::String("2026-11-21".into()));
        assert!(Date::parse(Value::String("2026-02-30".into())).is_err());
        assert!(Date::parse(Value::String("21/11/2026".into())).is_err());
        assert!(Date::parse(Value::Number(20261121.into())).is_err());
    }
}
