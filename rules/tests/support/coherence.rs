//! What every plan must satisfy, whatever the inputs.

use std::collections::{BTreeMap, HashSet};

use fitgraph_rules::candidates::matches_target;
use fitgraph_rules::deload::is_deload_week;
use fitgraph_rules::goal::{Dose, shape};
use fitgraph_rules::mobility::MOBILITY_DAY_MAX_MINUTES;
use fitgraph_rules::overload::{History, carries_external_load, load_ceiling};
use fitgraph_rules::rotation::blocked_muscles;
use fitgraph_rules::safety::{Limits, check};
use fitgraph_rules::select::{TIME_TOLERANCE_PERCENT, estimated_seconds};
use fitgraph_rules::volume::{counts_toward_volume, weekly_set_cap};
use fitgraph_rules::{
    DayContext, DayKind, DayPlan, Library, MAX_CANDIDATES_PER_SLOT, PlannedSlot, RepUnit,
    UserSnapshot, finalize, rule_order,
};
use subgraph_common::catalog::ExerciseSummary;
use subgraph_common::vocab::{Category, Muscle};

/// Panics with a description of the first broken invariant.
pub fn assert_coherent(
    snapshot: &UserSnapshot,
    library: &Library,
    ctx: &DayContext,
    plan: &DayPlan,
) {
    assert!(!plan.reason.trim().is_empty(), "a day always says why");
    assert!(!plan.title.trim().is_empty());
    match plan.kind {
        DayKind::Rest => {
            assert!(plan.slots.is_empty(), "a rest day has no slots");
            assert!(plan.template_id.is_none() && !plan.deload);
            return;
        }
        DayKind::Mobility => assert!(plan.template_id.is_none() && !plan.deload),
        DayKind::Training => {
            assert!(plan.template_id.is_some());
            assert_eq!(plan.deload, is_deload_week(ctx.week_index));
        }
    }
    assert!(
        !plan.slots.is_empty(),
        "only rest days are empty: {plan:#?}"
    );
    for (index, slot) in plan.slots.iter().enumerate() {
        assert_eq!(usize::from(slot.position), index + 1, "positions run 1..n");
        assert_slot(snapshot, library, ctx, plan.kind, slot);
    }
    assert_fits_time(snapshot, plan);
    if plan.kind == DayKind::Training {
        assert_within_weekly_caps(snapshot, library, plan);
    }
    assert_finalizes(plan);
}

fn exercise<'a>(library: &'a Library, slot: &PlannedSlot, index: usize) -> &'a ExerciseSummary {
    let id = slot.candidates[index].exercise_id;
    library
        .exercises
        .get(&id)
        .unwrap_or_else(|| panic!("candidate {id} is not in the library"))
}

fn assert_slot(
    snapshot: &UserSnapshot,
    library: &Library,
    ctx: &DayContext,
    kind: DayKind,
    slot: &PlannedSlot,
) {
    assert!(
        !slot.candidates.is_empty(),
        "slot {} has no candidates",
        slot.position
    );
    assert!(slot.candidates.len() <= MAX_CANDIDATES_PER_SLOT);
    let ids: HashSet<_> = slot.candidates.iter().map(|c| c.exercise_id).collect();
    assert_eq!(
        ids.len(),
        slot.candidates.len(),
        "an exercise appears once per slot"
    );
    let limits = Limits {
        level: snapshot.level,
        equipment: &snapshot.equipment,
        recovery: snapshot.recovery,
        kind,
    };
    let blocked = blocked_muscles(&snapshot.signals, ctx.now);
    let first = &slot.candidates[0];
    for (index, candidate) in slot.candidates.iter().enumerate() {
        let exercise = exercise(library, slot, index);
        let context = format!(
            "{} in slot {} ({:?})",
            exercise.name, slot.position, slot.target
        );
        if let Err(hazard) = check(exercise, &limits) {
            panic!("unsafe candidate {context}: {hazard}");
        }
        assert!(
            matches_target(exercise, slot.target),
            "{context} misses the target"
        );
        match kind {
            DayKind::Training => {
                assert!(
                    shape(snapshot.goal).allows(exercise.category),
                    "{context}: wrong category for the goal"
                );
                let recovering = exercise
                    .primary_muscles
                    .iter()
                    .find(|m| blocked.contains(m));
                assert!(
                    recovering.is_none(),
                    "{context} works recovering {recovering:?}"
                );
            }
            _ => assert_eq!(exercise.category, Category::Stretching, "{context}"),
        }
        assert_eq!(candidate.unit, slot.unit);
        assert_eq!(
            (
                candidate.sets,
                candidate.rep_min,
                candidate.rep_max,
                candidate.rest_seconds
            ),
            (first.sets, first.rep_min, first.rep_max, first.rest_seconds),
            "a slot's candidates share its dose"
        );
        assert!(
            candidate.sets >= 1 && candidate.rep_min <= candidate.rep_max,
            "{context}"
        );
        assert!(
            (candidate.rep_min..=candidate.rep_max).contains(&candidate.target_reps),
            "{context}"
        );
        assert!(
            !candidate.reason.trim().is_empty(),
            "{context} has no reason"
        );
        assert_load(snapshot, ctx, kind, exercise, candidate, &context);
    }
}

fn assert_load(
    snapshot: &UserSnapshot,
    ctx: &DayContext,
    kind: DayKind,
    exercise: &ExerciseSummary,
    candidate: &fitgraph_rules::Prescription,
    context: &str,
) {
    let Some(load) = candidate.load_kg else {
        return;
    };
    assert!(
        kind == DayKind::Training,
        "{context}: no load on mobility days"
    );
    assert!(
        candidate.unit == RepUnit::Reps,
        "{context}: timed work carries no load"
    );
    assert!(
        carries_external_load(exercise.equipment),
        "{context}: bodyweight carries no load"
    );
    assert!(load.is_finite() && load > 0.0, "{context}: load {load}");
    let history = History {
        past: ctx.past_prescriptions.get(&exercise.id),
        last: snapshot.signals.last_sessions.get(&exercise.id),
        one_rep_max: None,
    };
    if let Some(ceiling) = load_ceiling(&history) {
        assert!(
            load <= ceiling + 1e-9,
            "{context}: {load} kg over the ceiling {ceiling} kg"
        );
    }
}

fn slot_dose(slot: &PlannedSlot) -> Dose {
    let first = &slot.candidates[0];
    Dose {
        sets: first.sets,
        rep_min: first.rep_min,
        rep_max: first.rep_max,
        rest_seconds: first.rest_seconds,
        unit: first.unit,
    }
}

fn assert_fits_time(snapshot: &UserSnapshot, plan: &DayPlan) {
    let minutes = match plan.kind {
        DayKind::Mobility => snapshot.session_minutes.min(MOBILITY_DAY_MAX_MINUTES),
        _ => snapshot.session_minutes,
    };
    let budget = u32::from(minutes) * 60 * TIME_TOLERANCE_PERCENT / 100;
    let total: u32 = plan
        .slots
        .iter()
        .map(|slot| estimated_seconds(&slot_dose(slot)))
        .sum();
    assert!(
        total <= budget || plan.slots.len() == 1,
        "{total} s planned for a {minutes}-minute session"
    );
}

/// Whatever the ranker picks, no muscle's primary sets exceed the weekly cap: each slot's
/// sets count against every counting candidate's primary muscles.
fn assert_within_weekly_caps(snapshot: &UserSnapshot, library: &Library, plan: &DayPlan) {
    let cap = weekly_set_cap(snapshot.level);
    let mut planned: BTreeMap<Muscle, u32> = BTreeMap::new();
    for slot in &plan.slots {
        let mut muscles: Vec<Muscle> = (0..slot.candidates.len())
            .map(|index| exercise(library, slot, index))
            .filter(|exercise| counts_toward_volume(exercise.category))
            .flat_map(|exercise| exercise.primary_muscles.clone())
            .collect();
        muscles.sort();
        muscles.dedup();
        for muscle in muscles {
            *planned.entry(muscle).or_default() += u32::from(slot.candidates[0].sets);
        }
    }
    for (muscle, sets) in planned {
        let before = snapshot
            .signals
            .muscles
            .iter()
            .filter(|signal| signal.muscle == muscle)
            .map(|signal| signal.sets_last_7_days)
            .max()
            .unwrap_or(0);
        assert!(
            before + sets <= cap,
            "{muscle}: {before} + {sets} sets over the cap of {cap}"
        );
    }
}

fn assert_finalizes(plan: &DayPlan) {
    for reversed in [false, true] {
        let workout = finalize(plan, |slot| {
            let mut order = rule_order(slot);
            if reversed {
                order.reverse();
            }
            order
        });
        assert!(!workout.is_empty(), "a plan with slots yields a workout");
        assert!(workout.len() <= plan.slots.len());
        let ids: HashSet<_> = workout.iter().map(|p| p.exercise_id).collect();
        assert_eq!(ids.len(), workout.len(), "no exercise twice in a workout");
    }
}
