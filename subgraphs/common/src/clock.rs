//! The instant the services call "now".
//!
//! Production reads the system clock. A simulation of many weeks runs every service of
//! one process against a clock moved forward by an offset, so recovery windows, training
//! signals and "today's workout" all agree on the simulated day. Request signing and token
//! expiry keep using the real clock: they guard against replay, not describe training.

use std::sync::atomic::{AtomicI64, Ordering};

use chrono::{DateTime, Duration, NaiveDate, Utc};

static OFFSET_SECONDS: AtomicI64 = AtomicI64::new(0);

/// The current instant, offset when a simulation moved the clock.
pub fn now() -> DateTime<Utc> {
    Utc::now() + Duration::seconds(OFFSET_SECONDS.load(Ordering::Relaxed))
}

/// The current UTC calendar day.
pub fn today() -> NaiveDate {
    now().date_naive()
}

/// Moves the clock of every service in this process forward by `by` (never back).
pub fn advance(by: Duration) {
    let seconds = by.num_seconds().max(0);
    OFFSET_SECONDS.fetch_add(seconds, Ordering::Relaxed);
}

/// How far the clock runs ahead of the system clock.
pub fn offset() -> Duration {
    Duration::seconds(OFFSET_SECONDS.load(Ordering::Relaxed))
}
