//! How recovered a user is, judged from their wearable readings. `assess_recovery`
//! is pure: the readings and the current time go in, the verdict comes out.
//!
//! # Rules
//!
//! * **Days** are UTC calendar days counted back from `now`: today is day 1,
//!   yesterday day 2, and so on. Readings dated after today are ignored.
//! * **Daily HRV** is the mean of `ln(rMSSD)` over that day's `HRV_RMSSD` readings
//!   (the log makes the skewed rMSSD roughly normal, so means and SDs are meaningful).
//! * **7-day window**: days 1..=7. `hrv7DayMeanLn` is the mean of its daily values;
//!   it needs HRV on at least 3 of those days.
//! * **Baseline** (the "30-60-day baseline"): days 8..=60. `baselineMeanLn` and
//!   `baselineSdLn` (sample SD) are taken over its daily values; it needs HRV on at
//!   least 21 distinct days spanning at least 30 days (oldest to newest, both counted).
//! * Missing any of those requirements gives **UNKNOWN**; `reasons` says which.
//! * **z** = (hrv7DayMeanLn - baselineMeanLn) / baselineSdLn, with the SD floored at
//!   0.05 (about 5 % rMSSD) so a flat baseline, e.g. a device repeating one value,
//!   neither divides by zero nor turns a trivial dip into RED.
//! * **Band from HRV**: z >= -0.5 (inside or above baselineMean - 0.5 SD) is GREEN,
//!   -1.5 <= z < -0.5 is YELLOW, z < -1.5 is RED.
//! * **Sleep** lowers the band one step (GREEN -> YELLOW, YELLOW -> RED) when the mean
//!   of the daily mean `SLEEP_SCORE` over days 1..=3 is below 60, or, when there is no
//!   score in those days, the mean daily `SLEEP_MINUTES` is below 360. UNKNOWN stays
//!   UNKNOWN. Without sleep data, sleep is not considered.
//! * `readingsUsed` counts the HRV readings of days 1..=60 and the sleep readings of
//!   days 1..=3.

use std::collections::BTreeMap;
use std::ops::RangeInclusive;

use async_graphql::SimpleObject;
use chrono::{DateTime, NaiveTime, TimeDelta, Utc};

use crate::kinds::{ReadingKind, RecoveryBand};

pub const WINDOW_DAYS: RangeInclusive<i64> = 1..=7;
pub const BASELINE_DAYS: RangeInclusive<i64> = 8..=60;
pub const SLEEP_DAYS: RangeInclusive<i64> = 1..=3;
pub const MIN_WINDOW_DAYS: usize = 3;
pub const MIN_BASELINE_DAYS: usize = 21;
pub const MIN_BASELINE_SPAN_DAYS: i64 = 30;
pub const MIN_BASELINE_SD_LN: f64 = 0.05;
pub const YELLOW_BELOW_Z: f64 = -0.5;
pub const RED_BELOW_Z: f64 = -1.5;
pub const POOR_SLEEP_SCORE: f64 = 60.0;
pub const SHORT_SLEEP_MINUTES: f64 = 360.0;

/// The kinds `assess_recovery` looks at.
pub const RECOVERY_KINDS: [ReadingKind; 3] = [
    ReadingKind::HrvRmssd,
    ReadingKind::SleepScore,
    ReadingKind::SleepMinutes,
];

/// One reading as recovery needs it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReadingSample {
    pub kind: ReadingKind,
    pub value: f64,
    pub recorded_at: DateTime<Utc>,
}

/// A user's recovery today and why.
#[derive(SimpleObject, Debug, Clone, PartialEq)]
#[graphql(shareable)]
pub struct Recovery {
    pub band: RecoveryBand,
    /// Mean daily ln(rMSSD) over the last 7 days (today included).
    #[graphql(name = "hrv7DayMeanLn")]
    pub hrv_7_day_mean_ln: Option<f64>,
    /// Mean daily ln(rMSSD) over days 8-60 before now.
    pub baseline_mean_ln: Option<f64>,
    /// Sample SD of daily ln(rMSSD) over days 8-60 before now.
    pub baseline_sd_ln: Option<f64>,
    /// How many baseline SDs the 7-day mean lies from the baseline mean.
    pub hrv_z_score: Option<f64>,
    /// Mean daily sleep score over the last 3 days.
    #[graphql(name = "sleepScore3Day")]
    pub sleep_score_3_day: Option<f64>,
    /// Mean daily minutes asleep over the last 3 days.
    #[graphql(name = "sleepMinutes3Day")]
    pub sleep_minutes_3_day: Option<f64>,
    /// Why the band is what it is, one finding per entry.
    pub reasons: Vec<String>,
    /// How many readings went into the assessment.
    pub readings_used: i32,
}

/// The earliest instant a reading can matter to `assess_recovery` at `now`: the
/// start (UTC) of day 60.
pub fn lookback_start(now: DateTime<Utc>) -> DateTime<Utc> {
    let first_day = now.date_naive() - TimeDelta::days(BASELINE_DAYS.end() - 1);
    first_day.and_time(NaiveTime::MIN).and_utc()
}

pub fn assess_recovery(readings: &[ReadingSample], now: DateTime<Utc>) -> Recovery {
    let window = DailySeries::of(readings, now, ReadingKind::HrvRmssd, WINDOW_DAYS);
    let baseline = DailySeries::of(readings, now, ReadingKind::HrvRmssd, BASELINE_DAYS);
    let scores = DailySeries::of(readings, now, ReadingKind::SleepScore, SLEEP_DAYS);
    let minutes = DailySeries::of(readings, now, ReadingKind::SleepMinutes, SLEEP_DAYS);
    let hrv = HrvStats::of(&window, &baseline);
    let mut reasons = Vec::new();
    let (mut band, z) = hrv_band(&window, &baseline, &hrv, &mut reasons);
    let sleep_score = scores.mean();
    let sleep_minutes = minutes.mean();
    if sleep_is_poor(sleep_score, sleep_minutes, &mut reasons) {
        band = band.lowered();
    }
    let used = window.readings + baseline.readings + scores.readings + minutes.readings;
    Recovery {
        band,
        hrv_7_day_mean_ln: hrv.mean_7_day,
        baseline_mean_ln: hrv.baseline_mean,
        baseline_sd_ln: hrv.baseline_sd,
        hrv_z_score: z,
        sleep_score_3_day: sleep_score,
        sleep_minutes_3_day: sleep_minutes,
        reasons,
        readings_used: i32::try_from(used).unwrap_or(i32::MAX),
    }
}

/// Daily means of one kind over a range of day numbers.
struct DailySeries {
    by_day: BTreeMap<i64, f64>,
    readings: usize,
}

impl DailySeries {
    fn of(
        readings: &[ReadingSample],
        now: DateTime<Utc>,
        kind: ReadingKind,
        days: RangeInclusive<i64>,
    ) -> Self {
        let mut sums: BTreeMap<i64, (f64, usize)> = BTreeMap::new();
        let today = now.date_naive();
        for reading in readings.iter().filter(|reading| reading.kind == kind) {
            let day = (today - reading.recorded_at.date_naive()).num_days() + 1;
            let Some(value) = comparable_value(kind, reading.value) else {
                continue;
            };
            if days.contains(&day) {
                let entry = sums.entry(day).or_default();
                entry.0 += value;
                entry.1 += 1;
            }
        }
        let readings = sums.values().map(|(_, count)| count).sum();
        let by_day = sums
            .into_iter()
            .map(|(day, (sum, count))| (day, sum / count as f64))
            .collect();
        DailySeries { by_day, readings }
    }

    fn days(&self) -> usize {
        self.by_day.len()
    }

    /// Oldest to newest day, both counted.
    fn span_days(&self) -> i64 {
        match (self.by_day.keys().next(), self.by_day.keys().next_back()) {
            (Some(newest), Some(oldest)) => oldest - newest + 1,
            _ => 0,
        }
    }

    fn mean(&self) -> Option<f64> {
        mean(self.by_day.values().copied())
    }

    fn sample_sd(&self) -> Option<f64> {
        let count = self.by_day.len();
        let mean = self.mean().filter(|_| count >= 2)?;
        let squares: f64 = self
            .by_day
            .values()
            .map(|value| (value - mean).powi(2))
            .sum();
        Some((squares / (count - 1) as f64).sqrt())
    }
}

/// HRV is compared on the log scale; a non-positive rMSSD has no log and is skipped.
fn comparable_value(kind: ReadingKind, value: f64) -> Option<f64> {
    match kind {
        ReadingKind::HrvRmssd => (value > 0.0).then(|| value.ln()),
        _ => value.is_finite().then_some(value),
    }
}

fn mean(values: impl Iterator<Item = f64>) -> Option<f64> {
    let (sum, count) = values.fold((0.0, 0usize), |(sum, count), value| {
        (sum + value, count + 1)
    });
    (count > 0).then(|| sum / count as f64)
}

struct HrvStats {
    mean_7_day: Option<f64>,
    baseline_mean: Option<f64>,
    baseline_sd: Option<f64>,
}

impl HrvStats {
    fn of(window: &DailySeries, baseline: &DailySeries) -> Self {
        HrvStats {
            mean_7_day: window.mean(),
            baseline_mean: baseline.mean(),
            baseline_sd: baseline.sample_sd(),
        }
    }
}

/// The band HRV alone gives, and the z-score when there was enough data.
fn hrv_band(
    window: &DailySeries,
    baseline: &DailySeries,
    hrv: &HrvStats,
    reasons: &mut Vec<String>,
) -> (RecoveryBand, Option<f64>) {
    let missing = missing_hrv_data(window, baseline);
    let (true, Some(mean_7_day), Some(base_mean), Some(base_sd)) = (
        missing.is_empty(),
        hrv.mean_7_day,
        hrv.baseline_mean,
        hrv.baseline_sd,
    ) else {
        reasons.extend(missing);
        return (RecoveryBand::Unknown, None);
    };
    let z = (mean_7_day - base_mean) / base_sd.max(MIN_BASELINE_SD_LN);
    let (band, verdict) = if z < RED_BELOW_Z {
        (
            RecoveryBand::Red,
            "HRV is well below your baseline (z < -1.5)",
        )
    } else if z < YELLOW_BELOW_Z {
        (
            RecoveryBand::Yellow,
            "HRV is below your baseline (-1.5 <= z < -0.5)",
        )
    } else {
        (
            RecoveryBand::Green,
            "HRV is within or above your baseline (z >= -0.5)",
        )
    };
    reasons.push(format!(
        "{verdict}: 7-day mean ln rMSSD {mean_7_day:.3} vs baseline {base_mean:.3} \
         (SD {base_sd:.3}), z = {z:.2}"
    ));
    if base_sd < MIN_BASELINE_SD_LN {
        reasons.push(format!(
            "baseline SD {base_sd:.3} is below {MIN_BASELINE_SD_LN}; z uses {MIN_BASELINE_SD_LN}"
        ));
    }
    (band, Some(z))
}

fn missing_hrv_data(window: &DailySeries, baseline: &DailySeries) -> Vec<String> {
    let mut missing = Vec::new();
    if baseline.days() < MIN_BASELINE_DAYS {
        missing.push(format!(
            "the baseline (days 8-60) needs HRV on at least {MIN_BASELINE_DAYS} distinct days (has {})",
            baseline.days()
        ));
    }
    if baseline.span_days() < MIN_BASELINE_SPAN_DAYS {
        missing.push(format!(
            "the baseline (days 8-60) needs HRV spanning at least {MIN_BASELINE_SPAN_DAYS} days (spans {})",
            baseline.span_days()
        ));
    }
    if window.days() < MIN_WINDOW_DAYS {
        missing.push(format!(
            "the last 7 days need HRV on at least {MIN_WINDOW_DAYS} days (has {})",
            window.days()
        ));
    }
    missing
}

/// Whether recent sleep lowers the band; explains the sleep finding either way.
fn sleep_is_poor(score: Option<f64>, minutes: Option<f64>, reasons: &mut Vec<String>) -> bool {
    let (poor, finding) = match (score, minutes) {
        (Some(score), _) if score < POOR_SLEEP_SCORE => (
            true,
            format!(
                "sleep score averaged {score:.0} over the last 3 days (below {POOR_SLEEP_SCORE}): one band lower"
            ),
        ),
        (Some(score), _) => (
            false,
            format!("sleep score averaged {score:.0} over the last 3 days"),
        ),
        (None, Some(minutes)) if minutes < SHORT_SLEEP_MINUTES => (
            true,
            format!(
                "sleep averaged {minutes:.0} minutes over the last 3 days (below {SHORT_SLEEP_MINUTES}): one band lower"
            ),
        ),
        (None, Some(minutes)) => (
            false,
            format!("sleep averaged {minutes:.0} minutes over the last 3 days"),
        ),
        (None, None) => (
            false,
            "no sleep data in the last 3 days; sleep not considered".to_owned(),
        ),
    };
    reasons.push(finding);
    poor
}

#[cfg(test)]
mod tests {
    use super::*;

    const BASE_LN: f64 = 4.1;
    const SPREAD_LN: f64 = 0.1;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-11-21T09:30:00Z")
            .expect("valid time")
            .to_utc()
    }

    /// A reading on day `day` (1 = today) at the same time of day as `now`.
    fn on_day(kind: ReadingKind, day: i64, value: f64) -> ReadingSample {
        ReadingSample {
            kind,
            value,
            recorded_at: now() - TimeDelta::days(day - 1),
        }
    }

    fn hrv(day: i64, ln_rmssd: f64) -> ReadingSample {
        on_day(ReadingKind::HrvRmssd, day, ln_rmssd.exp())
    }

    /// Days 8..=59 alternating BASE_LN ± SPREAD_LN: mean BASE_LN, SD just over SPREAD_LN.
    fn steady_baseline() -> Vec<ReadingSample> {
        (8..=59)
            .map(|day| {
                hrv(
                    day,
                    if day % 2 == 0 {
                        BASE_LN + SPREAD_LN
                    } else {
                        BASE_LN - SPREAD_LN
                    },
                )
            })
            .collect()
    }

    /// The baseline plus 7 days whose ln rMSSD sits `sds` baseline spreads from its mean.
    fn with_week_at(sds: f64) -> Vec<ReadingSample> {
        let mut readings = steady_baseline();
        readings.extend((1..=7).map(|day| hrv(day, BASE_LN + sds * SPREAD_LN)));
        readings
    }

    fn sleep_scores(readings: &mut Vec<ReadingSample>, score: f64) {
        readings.extend((1..=3).map(|day| on_day(ReadingKind::SleepScore, day, score)));
    }

    #[test]
    fn a_normal_week_is_green() {
        let recovery = assess_recovery(&with_week_at(0.0), now());
        assert_eq!(recovery.band, RecoveryBand::Green);
        let z = recovery.hrv_z_score.expect("enough data for z");
        assert!(z.abs() < 0.01, "z = {z}");
        assert!((recovery.baseline_mean_ln.expect("baseline") - BASE_LN).abs() < 1e-9);
        assert!((recovery.hrv_7_day_mean_ln.expect("window") - BASE_LN).abs() < 1e-9);
        assert_eq!(recovery.readings_used, 52 + 7);
    }

    #[test]
    fn a_week_above_baseline_is_green() {
        assert_eq!(
            assess_recovery(&with_week_at(3.0), now()).band,
            RecoveryBand::Green
        );
    }

    #[test]
    fn a_week_one_sd_down_is_yellow() {
        let recovery = assess_recovery(&with_week_at(-1.0), now());
        assert_eq!(recovery.band, RecoveryBand::Yellow);
        assert!(
            recovery.reasons[0].contains("below your baseline"),
            "{:?}",
            recovery.reasons
        );
    }

    #[test]
    fn a_week_two_sds_down_is_red() {
        let recovery = assess_recovery(&with_week_at(-2.0), now());
        assert_eq!(recovery.band, RecoveryBand::Red);
        assert!(recovery.hrv_z_score.expect("z") < RED_BELOW_Z);
    }

    #[test]
    fn the_daily_value_is_the_mean_of_that_days_logs() {
        let mut readings = steady_baseline();
        readings.extend((1..=7).map(|day| hrv(day, BASE_LN)));
        // Two extra readings on day 1 whose logs average BASE_LN keep the day at BASE_LN.
        readings.push(hrv(1, BASE_LN + 0.5));
        readings.push(hrv(1, BASE_LN - 0.5));
        let recovery = assess_recovery(&readings, now());
        assert!((recovery.hrv_7_day_mean_ln.expect("window") - BASE_LN).abs() < 1e-9);
        assert_eq!(recovery.readings_used, 52 + 9);
    }

    #[test]
    fn too_few_baseline_days_is_unknown() {
        let mut readings: Vec<_> = (8..=60).step_by(3).map(|day| hrv(day, BASE_LN)).collect();
        readings.extend((1..=7).map(|day| hrv(day, BASE_LN)));
        let recovery = assess_recovery(&readings, now());
        assert_eq!(recovery.band, RecoveryBand::Unknown);
        assert_eq!(recovery.hrv_z_score, None);
        assert!(
            recovery.reasons[0].contains("at least 21 distinct days (has 18)"),
            "{:?}",
            recovery.reasons
        );
    }

    #[test]
    fn a_baseline_spanning_under_thirty_days_is_unknown() {
        let mut readings: Vec<_> = (8..=35)
            .map(|day| hrv(day, BASE_LN + (day % 3) as f64 * 0.05))
            .collect();
        readings.extend((1..=7).map(|day| hrv(day, BASE_LN)));
        let recovery = assess_recovery(&readings, now());
        assert_eq!(recovery.band, RecoveryBand::Unknown);
        assert_eq!(recovery.reasons.len(), 2, "{:?}", recovery.reasons);
        assert!(
            recovery.reasons[0].contains("spanning at least 30 days (spans 28)"),
            "{:?}",
            recovery.reasons
        );
    }

    #[test]
    fn fewer_than_three_recent_days_is_unknown() {
        let mut readings = steady_baseline();
        readings.push(hrv(1, BASE_LN));
        readings.push(hrv(2, BASE_LN));
        // Day 0 would be tomorrow: ignored.
        readings.push(ReadingSample {
            recorded_at: now() + TimeDelta::days(1),
            ..hrv(1, BASE_LN)
        });
        let recovery = assess_recovery(&readings, now());
        assert_eq!(recovery.band, RecoveryBand::Unknown);
        assert!(recovery.reasons[0].contains("last 7 days need HRV on at least 3 days (has 2)"));
    }

    #[test]
    fn no_readings_at_all_is_unknown_with_every_reason() {
        let recovery = assess_recovery(&[], now());
        assert_eq!(recovery.band, RecoveryBand::Unknown);
        assert_eq!(recovery.readings_used, 0);
        assert_eq!(recovery.reasons.len(), 4, "{:?}", recovery.reasons);
    }

    #[test]
    fn readings_older_than_sixty_days_are_ignored() {
        let mut readings = with_week_at(0.0);
        readings.push(hrv(61, BASE_LN - 3.0));
        let recovery = assess_recovery(&readings, now());
        assert_eq!(recovery.readings_used, 52 + 7);
        assert_eq!(recovery.band, RecoveryBand::Green);
    }

    #[test]
    fn poor_sleep_score_lowers_green_to_yellow() {
        let mut readings = with_week_at(0.0);
        sleep_scores(&mut readings, 50.0);
        let recovery = assess_recovery(&readings, now());
        assert_eq!(recovery.band, RecoveryBand::Yellow);
        assert_eq!(recovery.sleep_score_3_day, Some(50.0));
        assert!(
            recovery
                .reasons
                .iter()
                .any(|reason| reason.contains("one band lower"))
        );
    }

    #[test]
    fn short_sleep_without_scores_lowers_yellow_to_red() {
        let mut readings = with_week_at(-1.0);
        readings.extend((1..=3).map(|day| on_day(ReadingKind::SleepMinutes, day, 300.0)));
        let recovery = assess_recovery(&readings, now());
        assert_eq!(recovery.band, RecoveryBand::Red);
        assert_eq!(recovery.sleep_minutes_3_day, Some(300.0));
    }

    #[test]
    fn a_good_sleep_score_wins_over_short_minutes() {
        let mut readings = with_week_at(0.0);
        sleep_scores(&mut readings, 75.0);
        readings.extend((1..=3).map(|day| on_day(ReadingKind::SleepMinutes, day, 300.0)));
        assert_eq!(assess_recovery(&readings, now()).band, RecoveryBand::Green);
    }

    #[test]
    fn good_sleep_leaves_the_band_and_old_sleep_is_ignored() {
        let mut readings = with_week_at(-1.0);
        sleep_scores(&mut readings, 80.0);
        readings.push(on_day(ReadingKind::SleepScore, 4, 10.0));
        let recovery = assess_recovery(&readings, now());
        assert_eq!(recovery.band, RecoveryBand::Yellow);
        assert_eq!(recovery.sleep_score_3_day, Some(80.0));
    }

    #[test]
    fn poor_sleep_does_not_make_unknown_known() {
        let mut readings = vec![hrv(1, BASE_LN)];
        sleep_scores(&mut readings, 20.0);
        assert_eq!(
            assess_recovery(&readings, now()).band,
            RecoveryBand::Unknown
        );
    }

    #[test]
    fn a_flat_baseline_gives_a_finite_z() {
        let mut readings: Vec<_> = (8..=60).map(|day| hrv(day, BASE_LN)).collect();
        readings.extend((1..=7).map(|day| hrv(day, BASE_LN - 0.01)));
        let recovery = assess_recovery(&readings, now());
        assert!(recovery.baseline_sd_ln.expect("baseline SD") < 1e-9);
        let z = recovery.hrv_z_score.expect("z");
        assert!(z.is_finite() && (z - (-0.2)).abs() < 1e-6, "z = {z}");
        assert_eq!(recovery.band, RecoveryBand::Green);
    }

    #[test]
    fn lookback_starts_at_midnight_of_day_sixty() {
        let start = lookback_start(now());
        assert_eq!(start.to_rfc3339(), "2026-09-23T00:00:00+00:00");
        let oldest_used = now() - TimeDelta::days(59);
        assert!(oldest_used >= start);
    }
}
