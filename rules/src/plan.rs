//! Today's plan: rest, mobility or a training session built from a template.
//!
//! A training session walks the template's slots in order. A slot is left out when its
//! target muscle is recovering, when no safe exercise of the goal fits it, or when the
//! weekly set caps leave no room; the next slot of the template then takes its place. The
//! first slot that no longer fits the session ends it. Time is budgeted on the goal's dose
//! before deload and recovery cuts, so a lighter day is also a shorter one rather than one
//! with more exercises. If nothing is left, the day becomes gentle mobility (or rest).

use std::collections::BTreeSet;

use subgraph_common::vocab::{Muscle, RecoveryBand};

use crate::candidates::{Gathered, SlotFilter, gather};
use crate::day::{DayKind, DayPlan, MAX_CANDIDATES_PER_SLOT, PlannedSlot};
use crate::deload::{deloaded, is_deload_week};
use crate::error::RulesError;
use crate::goal::{self, GoalShape};
use crate::intensity::{Intensity, from_recovery};
use crate::mobility::mobility_day;
use crate::prescribe::Prescriber;
use crate::rest::{RestDecision, rest_decision};
use crate::rotation::{
    LARGE_MUSCLE_RECOVERY_HOURS, SMALL_MUSCLE_RECOVERY_HOURS, blocked_muscles, blocked_target,
};
use crate::safety::Limits;
use crate::select::{TimeBudget, pick_template};
use crate::snapshot::{DayContext, Library, Template, TemplateSlot, UserSnapshot};
use crate::volume::{VolumeLedger, fit_slot};
use crate::words;

/// Today's plan for the user. Errors only when the library cannot serve the user's goal at
/// all (no exercises, no template for the goal), whatever kind of day it is, so a broken
/// library shows at once.
pub fn plan_day(
    snapshot: &UserSnapshot,
    library: &Library,
    ctx: &DayContext,
) -> Result<DayPlan, RulesError> {
    if library.exercises.is_empty() {
        return Err(RulesError::EmptyLibrary);
    }
    let template = pick_template(
        &library.templates,
        snapshot.goal,
        snapshot.level,
        snapshot.session_minutes,
    )
    .ok_or(RulesError::NoTemplate {
        goal: snapshot.goal,
        level: snapshot.level,
    })?;
    let plan = match rest_decision(snapshot, ctx.today) {
        RestDecision::Rest { reason } => DayPlan::rest(reason),
        RestDecision::Mobility { reason } => mobility_day(snapshot, library, ctx, reason)
            .unwrap_or_else(|| {
                DayPlan::rest(
                    "Recovery is RED and no stretch in the library suits your equipment, \
                     so today is a rest day."
                        .to_owned(),
                )
            }),
        RestDecision::Train => training_day(snapshot, library, ctx, template),
    };
    Ok(plan)
}

/// Why slots were left out, for the day's reason.
#[derive(Debug, Default)]
struct Omissions {
    recovering: BTreeSet<Muscle>,
    capped: bool,
}

enum Skip {
    Recovering(BTreeSet<Muscle>),
    Capped,
    Unserved,
    OutOfTime,
}

/// Fills a template's slots for one training day.
struct Session<'a> {
    library: &'a Library,
    shape: GoalShape,
    filter: SlotFilter<'a>,
    prescriber: Prescriber<'a>,
    ledger: VolumeLedger,
    budget: TimeBudget,
    slots: Vec<PlannedSlot>,
}

impl Session<'_> {
    fn fill(&mut self, template: &Template) -> Omissions {
        let mut omissions = Omissions::default();
        for slot in &template.slots {
            match self.try_slot(slot) {
                Ok(planned) => self.slots.push(planned),
                Err(Skip::Recovering(muscles)) => omissions.recovering.extend(muscles),
                Err(Skip::Capped) => omissions.capped = true,
                Err(Skip::Unserved) => {}
                // Slots beyond the first that does not fit are trimmed, as the template
                // builder does: taking a shorter later one would unbalance the session.
                Err(Skip::OutOfTime) => break,
            }
        }
        omissions
    }

    fn try_slot(&mut self, slot: &TemplateSlot) -> Result<PlannedSlot, Skip> {
        if let Some(muscle) = blocked_target(self.filter.blocked, slot.target) {
            return Err(Skip::Recovering(BTreeSet::from([muscle])));
        }
        let prescriber = self.prescriber;
        let found = match gather(&self.library.exercises, slot.target, &self.filter, |id| {
            prescriber.familiar(id)
        }) {
            Gathered::Found(found) => found,
            Gathered::OnlyRecovering(muscles) => return Err(Skip::Recovering(muscles)),
            Gathered::NoneSafe => return Err(Skip::Unserved),
        };
        let planned = self.shape.dose_for(slot);
        let intensity = prescriber.intensity;
        let (room, mut fitting) = fit_slot(&self.ledger, found, intensity.sets(planned.sets));
        if room == 0 {
            return Err(Skip::Capped);
        }
        let first = self.slots.is_empty();
        let timed = self.budget.admit(planned, first).ok_or(Skip::OutOfTime)?;
        let dose = goal::Dose {
            sets: room.min(intensity.sets(timed.sets)),
            ..timed
        };
        fitting.truncate(MAX_CANDIDATES_PER_SLOT);
        self.ledger.record(fitting.iter().copied(), dose.sets);
        Ok(PlannedSlot {
            position: u8::try_from(self.slots.len() + 1).unwrap_or(u8::MAX),
            target: slot.target,
            unit: dose.unit,
            candidates: fitting
                .iter()
                .map(|exercise| prescriber.prescribe(exercise, slot.target, &dose))
                .collect(),
        })
    }
}

fn training_day(
    snapshot: &UserSnapshot,
    library: &Library,
    ctx: &DayContext,
    template: &Template,
) -> DayPlan {
    let deload = is_deload_week(ctx.week_index);
    let recovery = from_recovery(snapshot.recovery);
    let intensity = if deload { deloaded(recovery) } else { recovery };
    let blocked = blocked_muscles(&snapshot.signals, ctx.now);
    let shape = goal::shape(snapshot.goal);
    let mut session = Session {
        library,
        shape,
        filter: SlotFilter {
            limits: Limits {
                level: snapshot.level,
                equipment: &snapshot.equipment,
                recovery: snapshot.recovery,
                kind: DayKind::Training,
            },
            categories: shape.categories,
            blocked: &blocked,
        },
        prescriber: Prescriber {
            signals: &snapshot.signals,
            past: &ctx.past_prescriptions,
            now: ctx.now,
            intensity,
            deload,
        },
        ledger: VolumeLedger::new(snapshot.level, &snapshot.signals),
        budget: TimeBudget::for_session(snapshot.session_minutes),
        slots: Vec::new(),
    };
    let omissions = session.fill(template);
    if session.slots.is_empty() {
        return nothing_left(snapshot, library, ctx, &omissions);
    }
    let title = if deload {
        format!("{} (deload)", template.name)
    } else {
        template.name.clone()
    };
    DayPlan {
        kind: DayKind::Training,
        title,
        reason: training_reason(snapshot.recovery, deload, intensity, &omissions),
        template_id: Some(template.id),
        deload,
        slots: session.slots,
    }
}

/// Every slot was left out: gentle mobility instead, or rest if even that is impossible.
fn nothing_left(
    snapshot: &UserSnapshot,
    library: &Library,
    ctx: &DayContext,
    omissions: &Omissions,
) -> DayPlan {
    let cause = if !omissions.recovering.is_empty() {
        format!(
            "Today's exercises would all work {} again before they have recovered",
            recovering_list(&omissions.recovering)
        )
    } else if omissions.capped {
        "Your weekly sets for today's muscles are used up".to_owned()
    } else {
        "None of today's exercises suit your equipment and level".to_owned()
    };
    mobility_day(
        snapshot,
        library,
        ctx,
        format!("{cause}, so today is gentle mobility."),
    )
    .unwrap_or_else(|| DayPlan::rest(format!("{cause}, so today is a rest day.")))
}

fn training_reason(
    band: RecoveryBand,
    deload: bool,
    intensity: Intensity,
    omissions: &Omissions,
) -> String {
    let mut sentences = Vec::new();
    if deload {
        sentences.push(
            "Deload week: fewer sets and lighter loads let fatigue clear before the next block."
                .to_owned(),
        );
    }
    match band {
        RecoveryBand::Green if !deload => {
            sentences.push("Recovery is GREEN: training as planned.".to_owned())
        }
        RecoveryBand::Green => {}
        RecoveryBand::Unknown => sentences.push(
            "No recent recovery data: training as planned, without load increases.".to_owned(),
        ),
        RecoveryBand::Yellow | RecoveryBand::Red => sentences.push(format!(
            "Recovery is {band}: a set fewer per exercise and {:.0}% lighter loads.",
            (1.0 - intensity.load_factor) * 100.0
        )),
    }
    if !omissions.recovering.is_empty() {
        sentences.push(format!(
            "Resting {}: trained in the last {}-{} hours.",
            recovering_list(&omissions.recovering),
            SMALL_MUSCLE_RECOVERY_HOURS,
            LARGE_MUSCLE_RECOVERY_HOURS
        ));
    }
    if omissions.capped {
        sentences.push("Some work is left out: this week's sets for it are done.".to_owned());
    }
    sentences.join(" ")
}

fn recovering_list(muscles: &BTreeSet<Muscle>) -> String {
    let names: Vec<String> = muscles.iter().map(|m| words::muscle(*m)).collect();
    words::listed(&names)
}
