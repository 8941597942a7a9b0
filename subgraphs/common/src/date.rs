//! The `Date` scalar. Plans and feedback both publish it, and the gateway merges
//! scalars by name, so it lives here once: same name, description and wire format.

use async_graphql::{InputValueError, InputValueResult, Scalar, ScalarType, Value};
use chrono::NaiveDate;

const DATE_FORMAT: &str = "%Y-%m-%d";

/// A calendar day without time zone, written `YYYY-MM-DD`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Date(pub NaiveDate);

impl From<NaiveDate> for Date {
    fn from(day: NaiveDate) -> Date {
        Date(day)
    }
}

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
    fn dates_parse_only_as_calendar_days() {
        let parsed = Date::parse(Value::String("2026-11-21".into())).expect("a valid day");
        assert_eq!(parsed.to_value(), Value::String("2026-11-21".into()));
        for bad in ["2026-02-30", "21/11/2026", "2026-03-07T00:00:00Z", ""] {
            assert!(Date::parse(Value::String(bad.into())).is_err(), "{bad}");
        }
        assert!(Date::parse(Value::Number(20261121.into())).is_err());
    }
}
