//! Mobility days: gentle stretching and mobility drills held for time, without load, for a
//! strained user (recovery RED) or when nothing of the day's template can be done safely.
//!
//! Rotation does not apply: easy stretching of a recently trained muscle helps it recover.
//! Weekly set caps do not apply either; stretches are not hard sets.

use std::collections::BTreeSet;

use subgraph_common::vocab::{Category, MovementPattern, Muscle};

use crate::candidates::{Gathered, SlotFilter, gather};
use crate::day::{DayKind, DayPlan, MAX_CANDIDATES_PER_SLOT, PlannedSlot};
use crate::goal::Dose;
use crate::intensity::Intensity;
use crate::prescribe::Prescriber;
use crate::safety::Limits;
use crate::select::TimeBudget;
use crate::snapshot::{DayContext, Library, RepUnit, SlotTarget, UserSnapshot};

/// A recovery session is short: enough to move, not enough to tire.
pub const MOBILITY_DAY_MAX_MINUTES: u16 = 20;
/// Two holds per stretch, one per side for one-sided stretches.
pub const MOBILITY_SETS: u8 = 2;
/// Holds long enough to relax into, short enough to stay gentle.
pub const MOBILITY_HOLD_SECONDS: (u16, u16) = (30, 45);
/// Just the time to change sides.
pub const MOBILITY_REST_SECONDS: u16 = 15;

/// A whole-body round: a drill to warm up, then the muscles that stiffen most with training.
pub const MOBILITY_TARGETS: [SlotTarget; 10] = [
    SlotTarget::Pattern(MovementPattern::Mobility),
    SlotTarget::Muscle(Muscle::Hamstrings),
    SlotTarget::Muscle(Muscle::Glutes),
    SlotTarget::Muscle(Muscle::Quadriceps),
    SlotTarget::Muscle(Muscle::Chest),
    SlotTarget::Muscle(Muscle::Lats),
    SlotTarget::Muscle(Muscle::Shoulders),
    SlotTarget::Muscle(Muscle::LowerBack),
    SlotTarget::Muscle(Muscle::Calves),
    SlotTarget::Muscle(Muscle::Adductors),
];

const GENTLE: &[Category] = &[Category::Stretching];

const DOSE: Dose = Dose {
    sets: MOBILITY_SETS,
    rep_min: MOBILITY_HOLD_SECONDS.0,
    rep_max: MOBILITY_HOLD_SECONDS.1,
    rest_seconds: MOBILITY_REST_SECONDS,
    unit: RepUnit::Seconds,
};

/// A mobility day with `reason`, or `None` when the library holds no stretch the user can do.
pub fn mobility_day(
    snapshot: &UserSnapshot,
    library: &Library,
    ctx: &DayContext,
    reason: String,
) -> Option<DayPlan> {
    let no_rotation = BTreeSet::new();
    let filter = SlotFilter {
        limits: Limits {
            level: snapshot.level,
            equipment: &snapshot.equipment,
            recovery: snapshot.recovery,
            kind: DayKind::Mobility,
        },
        categories: GENTLE,
        blocked: &no_rotation,
    };
    let prescriber = Prescriber {
        signals: &snapshot.signals,
        past: &ctx.past_prescriptions,
        now: ctx.now,
        intensity: Intensity::AS_PLANNED,
        deload: false,
    };
    let minutes = snapshot.session_minutes.min(MOBILITY_DAY_MAX_MINUTES);
    let mut budget = TimeBudget::for_session(minutes);
    let mut slots = Vec::new();
    for target in MOBILITY_TARGETS {
        let Gathered::Found(mut found) = gather(&library.exercises, target, &filter, |id| {
            prescriber.familiar(id)
        }) else {
            continue;
        };
        let Some(dose) = budget.admit(DOSE, slots.is_empty()) else {
            break;
        };
        found.truncate(MAX_CANDIDATES_PER_SLOT);
        slots.push(PlannedSlot {
            position: u8::try_from(slots.len() + 1).unwrap_or(u8::MAX),
            target,
            unit: dose.unit,
            candidates: found
                .iter()
                .map(|exercise| prescriber.prescribe(exercise, target, &dose))
                .collect(),
        });
    }
    (!slots.is_empty()).then(|| DayPlan {
        kind: DayKind::Mobility,
        title: "Recovery Mobility".to_owned(),
        reason,
        template_id: None,
        deload: false,
        slots,
    })
}
