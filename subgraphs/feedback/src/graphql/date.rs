//! The `Date` scalar. The plans subgraph publishes a scalar of the same name and meaning,
//! and the gateway merges the two, so name, description and wire format must stay as
//! plans has them.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

/// The one wire format: ISO 8601 calendar date.
const WIRE_FORMAT: &str = "%Y-%m-%d";

/// A calendar day without time zone, written `YYYY-MM-DD`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date(pub NaiveDate);

impl From<NaiveDate> for Date {
    fn from(day: NaiveDate) -> Date {
        Date(day)
    }
}

/// A calendar day without time zone, written `YYYY-MM-DD`.
#[Scalar(name = "Date")]
impl ScalarType for Date {
    fn parse(value: Value) -> InputValueResult<Date> {
        match &value {
            Value::String(text) => NaiveDate::parse_from_str(text, WIRE_FORMAT)
                .map(Date)
                .map_err(|_| InputValueError::custom(format!("`{text}` is not a YYYY-MM-DD day"))),
            _ => Err(InputValueError::expected_type(value)),
        }
    }

    fn to_value(&self) -> Value {
        Value::String(self.0.format(WIRE_FORMAT).to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_written_and_read_as_yyyy_mm_dd() {
        let day = NaiveDate::from_ymd_opt(2026, 3, 7).expect("a real day");
        assert_eq!(Date(day).to_value(), Value::String("2026-03-07".into()));
        assert_eq!(
            Date::parse(Value::String("2026-03-07".into())).ok(),
            Some(Date(day))
        );
        for bad in ["2026-02-29", "07.03.2026", "2026-03-07T00:00:00Z", ""] {
            assert!(Date::parse(Value::String(bad.into())).is_err(), "{bad}");
        }
        assert!(Date::parse(Value::Number(20260307.into())).is_err());
    }
}
