//! Progressive overload across weeks by double progression.
//!
//! Within a rep range the user first adds reps at the same load; once every set of the last
//! session reached the top of the range at (at least) the prescribed load, the load goes up
//! and the target drops back to the bottom of the range. Without any history, an estimated
//! one-rep max (Epley, `e1RM = w * (1 + r / 30)`) gives a starting load that leaves a couple
//! of reps in reserve; without that either, the user picks the weight.
//!
//! Whatever happens, a load is never more than [`MAX_LOAD_INCREASE`] above the lighter of the
//! last prescribed and the last performed load of the exercise: the user has not shown they
//! can handle more, and a jump beyond that is where injuries come from.

use subgraph_common::vocab::Equipment;

use crate::snapshot::{LastSession, PastPrescription};
use crate::words::kilograms;

/// The usual step up once a range is mastered.
pub const LOAD_STEP: f64 = 0.05;
/// The hard ceiling on any increase over the last known load.
pub const MAX_LOAD_INCREASE: f64 = 0.10;
/// The smallest change most gyms can make (a pair of 0.25 kg plates); loads are rounded
/// down to it, and lighter known loads are treated as unknown.
pub const LOAD_INCREMENT_KG: f64 = 0.5;
/// New exercises start with reps left in the tank while the user learns them.
pub const TARGET_REPS_IN_RESERVE: u16 = 2;
/// Epley's constant: each rep to failure counts as a thirtieth of the one-rep max.
pub const EPLEY_REPS_PER_ONE_REP_MAX: f64 = 30.0;
/// Logged loads come from unit conversions (lb to kg); this much short still counts as the
/// prescribed load.
const LOAD_TOLERANCE_KG: f64 = 0.05;

/// The range the slot asks for today, in reps.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RepRange {
    pub min: u16,
    pub max: u16,
}

/// What is known about the user and one exercise.
#[derive(Debug, Clone, Copy, Default)]
pub struct History<'a> {
    pub past: Option<&'a PastPrescription>,
    pub last: Option<&'a LastSession>,
    pub one_rep_max: Option<f64>,
}

/// The load and rep target for today, and why.
#[derive(Debug, Clone, PartialEq)]
pub struct LoadPlan {
    pub load_kg: Option<f64>,
    pub target_reps: u16,
    pub note: String,
}

/// Whether the equipment adds weight that a prescription should name. Bands, balls,
/// suspension trainers and bars to hang from do not: the body is the load.
pub fn carries_external_load(equipment: Equipment) -> bool {
    matches!(
        equipment,
        Equipment::Barbell
            | Equipment::Dumbbell
            | Equipment::Kettlebell
            | Equipment::Cable
            | Equipment::Machine
            | Equipment::SmithMachine
            | Equipment::MedicineBall
            | Equipment::EzBar
            | Equipment::TrapBar
            | Equipment::Other
    )
}

/// Epley's estimate of the one-rep max from `reps` done at `load_kg`.
pub fn epley_one_rep_max(load_kg: f64, reps: u16) -> f64 {
    load_kg * (1.0 + f64::from(reps) / EPLEY_REPS_PER_ONE_REP_MAX)
}

/// Epley inverted: the load for `reps` that leaves `reps_in_reserve` before failure.
pub fn load_for_reps(one_rep_max: f64, reps: u16, reps_in_reserve: u16) -> f64 {
    let to_failure = f64::from(reps.saturating_add(reps_in_reserve));
    one_rep_max / (1.0 + to_failure / EPLEY_REPS_PER_ONE_REP_MAX)
}

/// Rounded down to [`LOAD_INCREMENT_KG`].
pub fn round_down_to_increment(kg: f64) -> f64 {
    (kg / LOAD_INCREMENT_KG).floor() * LOAD_INCREMENT_KG
}

/// A load scaled by `factor` (at most 1: lighter days), rounded down; `None` when too light
/// to name.
pub fn lightened(load_kg: Option<f64>, factor: f64) -> Option<f64> {
    load_kg
        .map(|kg| round_down_to_increment(kg * factor.min(1.0)))
        .filter(|kg| *kg >= LOAD_INCREMENT_KG)
}

/// The load progression starts from: the lighter of the last prescribed load and the
/// heaviest set of the last session, whichever are known.
pub fn reference_load(history: &History<'_>) -> Option<f64> {
    let prescribed = history.past.and_then(|past| usable(past.load_kg?));
    let performed = history.last.and_then(heaviest_set);
    match (prescribed, performed) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (known, None) | (None, known) => known,
    }
}

/// The heaviest load any plan may give this exercise, when a last load is known.
pub fn load_ceiling(history: &History<'_>) -> Option<f64> {
    reference_load(history).map(|kg| kg * (1.0 + MAX_LOAD_INCREASE))
}

/// Today's load and target for an exercise with external load, counted in reps.
pub fn progress_load(range: RepRange, history: &History<'_>, increase_allowed: bool) -> LoadPlan {
    let Some(reference) = reference_load(history) else {
        return from_one_rep_max(range, history.one_rep_max);
    };
    let Some(session) = history.last.filter(|session| !session.sets.is_empty()) else {
        let note = format!("Same load as last prescribed ({})", kilograms(reference));
        return hold(reference, range.min, note);
    };
    let top = top_of_last_range(history, range);
    let required = history.past.and_then(|past| usable(past.load_kg?));
    if !reached_top(session, top, required) {
        let best = best_reps(session);
        let target = best.saturating_add(1).clamp(range.min, range.max);
        let note = format!("Same load; aim for {target} reps (best last time: {best})");
        return hold(reference, target, note);
    }
    if !increase_allowed {
        let note = format!("All sets reached {top} reps last time; load held today");
        return hold(reference, range.max, note);
    }
    raise(reference, range, top)
}

/// Today's target for bodyweight work counted in reps: one more than last time's best.
pub fn progress_reps(range: RepRange, last: Option<&LastSession>) -> LoadPlan {
    let Some(session) = last.filter(|session| !session.sets.is_empty()) else {
        let note = format!("Aim for {} reps", range.min);
        return LoadPlan {
            load_kg: None,
            target_reps: range.min,
            note,
        };
    };
    let best = best_reps(session);
    if reached_top(session, range.max, None) {
        let note = format!(
            "All sets reached {} reps last time: slow the tempo or try a harder variation",
            range.max
        );
        return LoadPlan {
            load_kg: None,
            target_reps: range.max,
            note,
        };
    }
    let target = best.saturating_add(1).clamp(range.min, range.max);
    LoadPlan {
        load_kg: None,
        target_reps: target,
        note: format!("Aim for {target} reps (best last time: {best})"),
    }
}

fn hold(reference: f64, target_reps: u16, note: String) -> LoadPlan {
    LoadPlan {
        load_kg: lightened(Some(reference), 1.0),
        target_reps,
        note,
    }
}

fn raise(reference: f64, range: RepRange, top: u16) -> LoadPlan {
    let step = (reference * LOAD_STEP).max(LOAD_INCREMENT_KG);
    let ceiling = reference * (1.0 + MAX_LOAD_INCREASE);
    let raised = round_down_to_increment((reference + step).min(ceiling));
    if raised <= reference {
        let note = format!(
            "All sets reached {top} reps; the smallest step up would be over 10%, so add reps first"
        );
        return hold(reference, range.max, note);
    }
    let percent = ((raised / reference - 1.0) * 100.0).round();
    LoadPlan {
        load_kg: Some(raised),
        target_reps: range.min,
        note: format!("+{percent:.0}% load: all sets reached {top} reps last time"),
    }
}

fn from_one_rep_max(range: RepRange, one_rep_max: Option<f64>) -> LoadPlan {
    let load = one_rep_max
        .and_then(usable)
        .map(|max| load_for_reps(max, range.min, TARGET_REPS_IN_RESERVE));
    match lightened(load, 1.0) {
        Some(kg) => LoadPlan {
            load_kg: Some(kg),
            target_reps: range.min,
            note: format!(
                "{} from your estimated one-rep max, leaving {TARGET_REPS_IN_RESERVE} reps in reserve",
                kilograms(kg)
            ),
        },
        None => LoadPlan {
            load_kg: None,
            target_reps: range.min,
            note: format!(
                "New to you: pick a weight you could lift for {TARGET_REPS_IN_RESERVE} more reps than {}",
                range.min
            ),
        },
    }
}

/// The top of the range the user was given last time (today's when unknown).
fn top_of_last_range(history: &History<'_>, range: RepRange) -> u16 {
    history
        .past
        .map(|past| past.rep_max)
        .filter(|top| *top > 0)
        .unwrap_or(range.max)
}

/// Every set reached `top` reps, at `required` load or more when one was prescribed.
fn reached_top(session: &LastSession, top: u16, required: Option<f64>) -> bool {
    session.sets.iter().all(|set| {
        let heavy_enough =
            required.is_none_or(|required| set.load_kg + LOAD_TOLERANCE_KG >= required);
        set.reps >= u32::from(top) && heavy_enough
    })
}

fn best_reps(session: &LastSession) -> u16 {
    let best = session.sets.iter().map(|set| set.reps).max().unwrap_or(0);
    u16::try_from(best).unwrap_or(u16::MAX)
}

fn heaviest_set(session: &LastSession) -> Option<f64> {
    session
        .sets
        .iter()
        .filter_map(|set| usable(set.load_kg))
        .reduce(f64::max)
}

/// A load worth reasoning from: finite and at least one increment.
fn usable(kg: f64) -> Option<f64> {
    (kg.is_finite() && kg >= LOAD_INCREMENT_KG).then_some(kg)
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;
    use rand::{Rng, SeedableRng};
    use rand_chacha::ChaCha8Rng;

    use super::*;
    use crate::snapshot::PerformedSet;

    const RANGE: RepRange = RepRange { min: 8, max: 10 };

    fn date() -> NaiveDate {
        NaiveDate::from_ymd_opt(2025, 3, 5).expect("a valid date")
    }

    fn past(load_kg: Option<f64>) -> PastPrescription {
        PastPrescription {
            date: date(),
            sets: 3,
            rep_min: 8,
            rep_max: 10,
            load_kg,
        }
    }

    fn session(sets: &[(u32, f64)]) -> LastSession {
        LastSession {
            date: date(),
            sets: sets
                .iter()
                .map(|&(reps, load_kg)| PerformedSet {
                    reps,
                    load_kg,
                    reps_in_reserve: None,
                })
                .collect(),
        }
    }

    #[test]
    fn epley_and_its_inverse_agree() {
        let max = epley_one_rep_max(100.0, 10);
        assert!((max - 133.333).abs() < 0.01);
        assert!((load_for_reps(max, 10, 0) - 100.0).abs() < 1e-9);
        assert!((load_for_reps(max, 8, 2) - 100.0).abs() < 1e-9);
    }

    #[test]
    fn all_sets_at_the_top_raise_the_load_five_percent_and_reset_the_target() {
        let past = past(Some(60.0));
        let last = session(&[(10, 60.0), (10, 60.0), (11, 60.0)]);
        let history = History {
            past: Some(&past),
            last: Some(&last),
            one_rep_max: None,
        };
        let plan = progress_load(RANGE, &history, true);
        assert_eq!(plan.load_kg, Some(63.0));
        assert_eq!(plan.target_reps, 8);
        assert_eq!(plan.note, "+5% load: all sets reached 10 reps last time");
    }

    #[test]
    fn a_missed_set_keeps_the_load_and_adds_a_rep() {
        let past = past(Some(60.0));
        let last = session(&[(10, 60.0), (9, 60.0), (8, 60.0)]);
        let history = History {
            past: Some(&past),
            last: Some(&last),
            one_rep_max: None,
        };
        let plan = progress_load(RANGE, &history, true);
        assert_eq!(plan.load_kg, Some(60.0));
        assert_eq!(plan.target_reps, 10, "best 10 + 1, capped at the top");
    }

    #[test]
    fn the_top_reached_below_the_prescribed_load_is_not_a_success() {
        let past = past(Some(60.0));
        let last = session(&[(10, 50.0), (10, 50.0)]);
        let history = History {
            past: Some(&past),
            last: Some(&last),
            one_rep_max: None,
        };
        let plan = progress_load(RANGE, &history, true);
        assert_eq!(plan.load_kg, Some(50.0), "what the user actually lifted");
        assert_eq!(plan.target_reps, 10);
    }

    #[test]
    fn no_increase_allowed_holds_the_load_at_the_top() {
        let past = past(Some(60.0));
        let last = session(&[(10, 60.0), (10, 60.0)]);
        let history = History {
            past: Some(&past),
            last: Some(&last),
            one_rep_max: None,
        };
        let plan = progress_load(RANGE, &history, false);
        assert_eq!(plan.load_kg, Some(60.0));
        assert_eq!(plan.target_reps, 10);
    }

    #[test]
    fn light_loads_step_by_the_smallest_increment_within_ten_percent() {
        let last = session(&[(10, 5.0), (10, 5.0)]);
        let history = History {
            last: Some(&last),
            ..History::default()
        };
        assert_eq!(progress_load(RANGE, &history, true).load_kg, Some(5.5));
        let last = session(&[(10, 2.0)]);
        let history = History {
            last: Some(&last),
            ..History::default()
        };
        let plan = progress_load(RANGE, &history, true);
        assert_eq!(plan.load_kg, Some(2.0), "2.5 kg would be 25% more");
        assert_eq!(plan.target_reps, 10);
    }

    #[test]
    fn a_prescription_not_yet_performed_is_repeated() {
        let past = past(Some(42.3));
        let history = History {
            past: Some(&past),
            ..History::default()
        };
        let plan = progress_load(RANGE, &history, true);
        assert_eq!(plan.load_kg, Some(42.0));
        assert_eq!(plan.target_reps, 8);
    }

    #[test]
    fn without_history_the_one_rep_max_gives_the_load_with_reps_in_reserve() {
        let history = History {
            one_rep_max: Some(100.0),
            ..History::default()
        };
        let plan = progress_load(RANGE, &history, true);
        // 100 / (1 + 10 / 30) = 75.
        assert_eq!(plan.load_kg, Some(75.0));
        assert_eq!(plan.target_reps, 8);
        assert!(plan.note.contains("2 reps in reserve"), "{}", plan.note);
    }

    #[test]
    fn with_nothing_known_the_user_picks_the_weight() {
        for one_rep_max in [None, Some(f64::NAN), Some(-3.0), Some(0.2)] {
            let history = History {
                one_rep_max,
                ..History::default()
            };
            let plan = progress_load(RANGE, &history, true);
            assert_eq!(plan.load_kg, None);
            assert!(plan.note.contains("pick a weight"), "{}", plan.note);
        }
    }

    #[test]
    fn bodyweight_reps_progress_one_at_a_time() {
        assert_eq!(progress_reps(RANGE, None).target_reps, 8);
        let last = session(&[(9, 0.0), (7, 0.0)]);
        let plan = progress_reps(RANGE, Some(&last));
        assert_eq!((plan.load_kg, plan.target_reps), (None, 10));
        let last = session(&[(12, 0.0), (10, 0.0)]);
        let plan = progress_reps(RANGE, Some(&last));
        assert_eq!(plan.target_reps, 10);
        assert!(plan.note.contains("harder variation"), "{}", plan.note);
    }

    #[test]
    fn lightening_rounds_down_and_drops_unnameable_loads() {
        assert_eq!(lightened(Some(63.0), 0.9), Some(56.5));
        assert_eq!(lightened(Some(0.5), 0.9), None);
        assert_eq!(lightened(Some(40.0), 1.5), Some(40.0), "never heavier");
        assert_eq!(lightened(None, 0.9), None);
    }

    fn random_history(rng: &mut ChaCha8Rng) -> (Option<PastPrescription>, Option<LastSession>) {
        let load = |rng: &mut ChaCha8Rng| match rng.gen_range(0..10) {
            0 => f64::NAN,
            1 => 0.0,
            2 => rng.gen_range(0.0..2.0),
            _ => rng.gen_range(0.5..300.0),
        };
        let past = rng.gen_bool(0.7).then(|| PastPrescription {
            date: date(),
            sets: rng.gen_range(1..6),
            rep_min: rng.gen_range(1..10),
            rep_max: rng.gen_range(0..20),
            load_kg: rng.gen_bool(0.8).then(|| load(rng)),
        });
        let last = rng.gen_bool(0.7).then(|| LastSession {
            date: date(),
            sets: (0..rng.gen_range(0..6))
                .map(|_| PerformedSet {
                    reps: rng.gen_range(0..25),
                    load_kg: load(rng),
                    reps_in_reserve: None,
                })
                .collect(),
        });
        (past, last)
    }

    /// The safety property: no history, however odd, yields a load more than 10% above the
    /// last prescribed or performed load.
    #[test]
    fn loads_never_exceed_ten_percent_over_the_last_known_load() {
        let mut rng = ChaCha8Rng::seed_from_u64(7);
        for _ in 0..20_000 {
            let (past, last) = random_history(&mut rng);
            let history = History {
                past: past.as_ref(),
                last: last.as_ref(),
                one_rep_max: rng.gen_bool(0.5).then(|| rng.gen_range(-10.0..400.0)),
            };
            let min = rng.gen_range(1..15);
            let range = RepRange {
                min,
                max: min + rng.gen_range(0..10),
            };
            let plan = progress_load(range, &history, rng.gen_bool(0.5));
            assert!((range.min..=range.max).contains(&plan.target_reps));
            let Some(load) = plan.load_kg else { continue };
            assert!(load >= LOAD_INCREMENT_KG && (load / LOAD_INCREMENT_KG).fract() == 0.0);
            let known = [
                past.as_ref().and_then(|p| p.load_kg),
                last.as_ref().and_then(heaviest_set),
            ];
            for last_load in known.into_iter().flatten().filter(|kg| *kg >= 0.5) {
                assert!(
                    load <= last_load * 1.1 + 1e-9,
                    "{load} kg after {last_load} kg ({past:?}, {last:?})"
                );
            }
        }
    }
}
