//! Values the plans subgraph exposes besides its objects: the workout status and
//! the `Date` scalar.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

subgraph_common::stored_enum! {
    /// Where a workout is in its life: PLANNED, then IN_PROGRESS or SKIPPED, then COMPLETED.
    WorkoutStatus {
        Planned => "PLANNED",
        InProgress => "IN_PROGRESS",
        Completed => "COMPLETED",
        Skipped => "SKIPPED",
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
        for &status in WorkoutStatus::ALL {
            assert_eq!(status.as_str().parse::<WorkoutStatus>().ok(), Some(status));
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
