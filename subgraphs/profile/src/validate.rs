//! Input validation: every check names the field, the allowed range and the value
//! it got, so a client can fix its request without reading our code.

use std::collections::BTreeSet;

use chrono::{DateTime, Datelike, SubsecRound, TimeDelta, Utc};

use crate::error::ProfileError;
use crate::inputs::{GoalsInput, OnboardingInput, WearableReadingInput};
use crate::model::{NewReading, NewUser, ReadingFilter};

pub const DISPLAY_NAME_CHARS: (usize, usize) = (1, 80);
pub const EMAIL_MAX_CHARS: usize = 254;
pub const FIRST_BIRTH_YEAR: i32 = 1900;
pub const MIN_AGE_YEARS: i32 = 13;
pub const HEIGHT_CM: (f64, f64) = (100.0, 250.0);
pub const WEIGHT_KG: (f64, f64) = (25.0, 350.0);
pub const DAYS_PER_WEEK: (i32, i32) = (1, 7);
pub const SESSION_MINUTES: (i32, i32) = (10, 180);
pub const SOURCE_CHARS: (usize, usize) = (1, 64);
pub const MAX_READINGS_PER_CALL: usize = 1_000;
pub const MAX_READINGS_PER_PAGE: i32 = 1_000;
/// Clocks drift; a reading a little ahead of ours is still accepted.
pub const ALLOWED_CLOCK_SKEW: TimeDelta = TimeDelta::minutes(5);

pub fn int_in(
    field: &'static str,
    value: i32,
    (min, max): (i32, i32),
) -> Result<i32, ProfileError> {
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(ProfileError::out_of_range(field, min, max, value))
    }
}

pub fn float_in(
    field: &'static str,
    value: f64,
    (min, max): (f64, f64),
) -> Result<f64, ProfileError> {
    // `contains` is false for NaN, so it is refused as well.
    if (min..=max).contains(&value) {
        Ok(value)
    } else {
        Err(ProfileError::out_of_range(field, min, max, value))
    }
}

/// Trims `value` and checks its length in characters.
fn text_in(
    field: &'static str,
    value: &str,
    (min, max): (usize, usize),
) -> Result<String, ProfileError> {
    let trimmed = value.trim();
    let chars = trimmed.chars().count();
    if (min..=max).contains(&chars) {
        Ok(trimmed.to_owned())
    } else {
        Err(ProfileError::InvalidInput(format!(
            "{field} must be between {min} and {max} characters long (got {chars})"
        )))
    }
}

/// Trims and lowercases an email, checking it has the shape `local@domain.tld`.
pub fn normalize_email(email: &str) -> Result<String, ProfileError> {
    let normalized = email.trim().to_lowercase();
    let well_formed = normalized.chars().count() <= EMAIL_MAX_CHARS
        && !normalized.chars().any(char::is_whitespace)
        && normalized.split_once('@').is_some_and(|(local, domain)| {
            !local.is_empty()
                && !domain.contains('@')
                && domain.contains('.')
                && !domain.starts_with('.')
                && !domain.ends_with('.')
        });
    if well_formed {
        Ok(normalized)
    } else {
        Err(ProfileError::InvalidInput(format!(
            "email must be an address like name@example.com, at most {EMAIL_MAX_CHARS} characters (got `{}`)",
            email.trim()
        )))
    }
}

pub fn birth_year(value: i32, now: DateTime<Utc>) -> Result<i32, ProfileError> {
    int_in(
        "birthYear",
        value,
        (FIRST_BIRTH_YEAR, now.year() - MIN_AGE_YEARS),
    )
}

pub fn onboarding(input: &OnboardingInput, now: DateTime<Utc>) -> Result<NewUser, ProfileError> {
    let equipment: BTreeSet<_> = input.equipment.iter().copied().collect();
    Ok(NewUser {
        display_name: text_in("displayName", &input.display_name, DISPLAY_NAME_CHARS)?,
        email: normalize_email(&input.email)?,
        birth_year: birth_year(input.birth_year, now)?,
        sex: input.sex,
        height_cm: float_in("heightCm", input.height_cm, HEIGHT_CM)?,
        weight_kg: float_in("weightKg", input.weight_kg, WEIGHT_KG)?,
        primary_goal: input.primary_goal,
        fitness_level: input.fitness_level,
        days_per_week: int_in("daysPerWeek", input.days_per_week, DAYS_PER_WEEK)?,
        session_minutes: int_in("sessionMinutes", input.session_minutes, SESSION_MINUTES)?,
        preferred_time_of_day: input.preferred_time_of_day,
        equipment: equipment.into_iter().collect(),
    })
}

pub fn goals(input: &GoalsInput) -> Result<(), ProfileError> {
    if let Some(days) = input.days_per_week {
        int_in("daysPerWeek", days, DAYS_PER_WEEK)?;
    }
    if let Some(minutes) = input.session_minutes {
        int_in("sessionMinutes", minutes, SESSION_MINUTES)?;
    }
    Ok(())
}

pub fn body_stats(height_cm: Option<f64>, weight_kg: Option<f64>) -> Result<(), ProfileError> {
    if height_cm.is_none() && weight_kg.is_none() {
        return Err(ProfileError::InvalidInput(
            "updateBodyStats needs heightCm, weightKg or both".to_owned(),
        ));
    }
    if let Some(height) = height_cm {
        float_in("heightCm", height, HEIGHT_CM)?;
    }
    if let Some(weight) = weight_kg {
        float_in("weightKg", weight, WEIGHT_KG)?;
    }
    Ok(())
}

/// Checks the whole batch before anything is written; the first bad reading names its index.
pub fn readings(
    inputs: &[WearableReadingInput],
    now: DateTime<Utc>,
) -> Result<Vec<NewReading>, ProfileError> {
    if inputs.len() > MAX_READINGS_PER_CALL {
        return Err(ProfileError::InvalidInput(format!(
            "readings may hold at most {MAX_READINGS_PER_CALL} readings per call (got {}); send them in batches",
            inputs.len()
        )));
    }
    inputs
        .iter()
        .enumerate()
        .map(|(index, input)| {
            reading(input, now).map_err(|problem| ProfileError::InvalidReading {
                index,
                problem: Box::new(problem),
            })
        })
        .collect()
}

fn reading(input: &WearableReadingInput, now: DateTime<Utc>) -> Result<NewReading, ProfileError> {
    let (min, max) = input.kind.valid_range();
    if !(min..=max).contains(&input.value) {
        return Err(ProfileError::InvalidInput(format!(
            "value of a {} reading must be between {min} and {max} (got {})",
            input.kind, input.value
        )));
    }
    let latest = now + ALLOWED_CLOCK_SKEW;
    if input.recorded_at > latest {
        return Err(ProfileError::InvalidInput(format!(
            "recordedAt must not be more than 5 minutes in the future (got {}, now is {})",
            input.recorded_at.to_rfc3339(),
            now.to_rfc3339()
        )));
    }
    Ok(NewReading {
        kind: input.kind,
        value: input.value,
        // PostgreSQL keeps microseconds; truncating here makes the idempotency key
        // the same instant on every backend.
        recorded_at: input.recorded_at.trunc_subsecs(6),
        source: text_in("source", &input.source, SOURCE_CHARS)?.to_lowercase(),
    })
}

pub fn reading_filter(
    kind: Option<crate::kinds::ReadingKind>,
    from: Option<DateTime<Utc>>,
    to: Option<DateTime<Utc>>,
    first: i32,
) -> Result<ReadingFilter, ProfileError> {
    let limit = int_in("first", first, (1, MAX_READINGS_PER_PAGE))?;
    if let (Some(from), Some(to)) = (from, to)
        && from > to
    {
        return Err(ProfileError::InvalidInput(format!(
            "from must not be after to (got from {} and to {})",
            from.to_rfc3339(),
            to.to_rfc3339()
        )));
    }
    Ok(ReadingFilter {
        kind,
        from,
        to,
        limit: limit.unsigned_abs().into(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_trimmed_and_lowercased() {
        assert_eq!(
            normalize_email("  Ada@Example.COM ").expect("valid"),
            "ada@example.com"
        );
    }

    #[test]
    fn malformed_emails_are_refused() {
        for bad in [
            "",
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a da@example.com",
            "a@b@c.com",
            "ada@.com",
        ] {
            assert!(normalize_email(bad).is_err(), "{bad} should be refused");
        }
    }

    #[test]
    fn out_of_range_names_field_range_and_value() {
        let err = int_in("daysPerWeek", 9, DAYS_PER_WEEK).unwrap_err();
        assert_eq!(
            err.to_string(),
            "daysPerWeek must be between 1 and 7 (got 9)"
        );
        let err = float_in("heightCm", 99.5, HEIGHT_CM).unwrap_err();
        assert_eq!(
            err.to_string(),
            "heightCm must be between 100 and 250 (got 99.5)"
        );
    }

    #[test]
    fn birth_year_keeps_users_at_least_thirteen() {
        let now = DateTime::parse_from_rfc3339("2026-11-21T10:00:00Z")
            .expect("valid time")
            .to_utc();
        assert!(birth_year(2013, now).is_ok());
        assert_eq!(
            birth_year(2014, now).unwrap_err().to_string(),
            "birthYear must be between 1900 and 2013 (got 2014)"
        );
        assert!(birth_year(1899, now).is_err());
    }
}
