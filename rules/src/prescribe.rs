//! One exercise's prescription for a slot: the slot's dose, a load and target from the
//! exercise's history, and a short reason a user can read.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use subgraph_common::catalog::ExerciseSummary;
use subgraph_common::vocab::Category;
use uuid::Uuid;

use crate::day::Prescription;
use crate::goal::Dose;
use crate::intensity::Intensity;
use crate::overload::{
    History, LoadPlan, RepRange, carries_external_load, lightened, progress_load, progress_reps,
};
use crate::rotation::days_rested;
use crate::snapshot::{PastPrescription, RepUnit, SlotTarget, TrainingSignals};
use crate::words;

/// A muscle's rest is worth mentioning once it is at least this many days.
const DAYS_RESTED_WORTH_MENTIONING: i64 = 2;

/// Everything a prescription depends on besides the exercise and the slot.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Prescriber<'a> {
    pub signals: &'a TrainingSignals,
    pub past: &'a HashMap<Uuid, PastPrescription>,
    pub now: DateTime<Utc>,
    pub intensity: Intensity,
    pub deload: bool,
}

impl Prescriber<'_> {
    /// Whether the user has history with the exercise (a prescription or a logged session).
    pub fn familiar(&self, id: Uuid) -> bool {
        self.past.contains_key(&id) || self.signals.last_sessions.contains_key(&id)
    }

    pub fn prescribe(
        &self,
        exercise: &ExerciseSummary,
        target: SlotTarget,
        dose: &Dose,
    ) -> Prescription {
        let plan = self.load_plan(exercise, dose);
        let mut parts = vec![words::target(target)];
        parts.extend(self.rested_note(exercise));
        parts.push(plan.note);
        Prescription {
            exercise_id: exercise.id,
            sets: dose.sets,
            rep_min: dose.rep_min,
            rep_max: dose.rep_max,
            target_reps: plan.target_reps,
            unit: dose.unit,
            load_kg: plan.load_kg,
            rest_seconds: dose.rest_seconds,
            reason: words::clauses(&parts),
        }
    }

    fn load_plan(&self, exercise: &ExerciseSummary, dose: &Dose) -> LoadPlan {
        let range = RepRange {
            min: dose.rep_min,
            max: dose.rep_max,
        };
        if dose.unit == RepUnit::Seconds {
            return timed(exercise, range);
        }
        let last = self.signals.last_sessions.get(&exercise.id);
        if !carries_external_load(exercise.equipment) {
            return progress_reps(range, last);
        }
        let history = History {
            past: self.past.get(&exercise.id),
            last,
            one_rep_max: self.signals.one_rep_maxes.get(&exercise.id).copied(),
        };
        let plan = progress_load(range, &history, self.intensity.load_increase_allowed);
        self.lighten(plan)
    }

    /// Today's lighter loads (deload, strain) on top of the progression.
    fn lighten(&self, plan: LoadPlan) -> LoadPlan {
        if plan.load_kg.is_none() || !self.intensity.lightens_loads() {
            return plan;
        }
        let why = if self.deload { "deload" } else { "recovery" };
        let percent = ((1.0 - self.intensity.load_factor) * 100.0).round();
        LoadPlan {
            load_kg: lightened(plan.load_kg, self.intensity.load_factor),
            note: format!("{}; {percent:.0}% lighter today ({why})", plan.note),
            ..plan
        }
    }

    fn rested_note(&self, exercise: &ExerciseSummary) -> Option<String> {
        let main = *exercise.primary_muscles.first()?;
        let days = days_rested(self.signals, main, self.now)?;
        (days >= DAYS_RESTED_WORTH_MENTIONING)
            .then(|| format!("{} rested {days} days", words::muscle(main)))
    }
}

fn timed(exercise: &ExerciseSummary, range: RepRange) -> LoadPlan {
    let span = format!("{}-{} s", range.min, range.max);
    let note = if exercise.category == Category::Stretching {
        format!("Hold {span}, breathing slowly")
    } else if carries_external_load(exercise.equipment) {
        format!("{span} per set with a weight you can hold for the whole time")
    } else {
        format!("{span} per set")
    };
    LoadPlan {
        load_kg: None,
        target_reps: range.min,
        note,
    }
}

#[cfg(test)]
mod tests {
    use chrono::TimeDelta;
    use subgraph_common::vocab::{Equipment, MovementPattern, Muscle, RecoveryBand};

    use super::*;
    use crate::deload::deloaded;
    use crate::intensity::from_recovery;
    use crate::snapshot::{LastSession, MuscleSignal, PerformedSet};
    use crate::testing::{context, exercise};

    const HINGE: SlotTarget = SlotTarget::Pattern(MovementPattern::Hinge);

    fn dose(unit: RepUnit) -> Dose {
        Dose {
            sets: 3,
            rep_min: 8,
            rep_max: 10,
            rest_seconds: 90,
            unit,
        }
    }

    fn deadlift() -> ExerciseSummary {
        exercise(
            "Romanian Deadlift",
            MovementPattern::Hinge,
            &[Muscle::Hamstrings],
        )
    }

    fn signals_with_history() -> TrainingSignals {
        let mut signals = TrainingSignals::default();
        signals.muscles.push(MuscleSignal {
            muscle: Muscle::Hamstrings,
            last_trained_at: context().now - TimeDelta::hours(3 * 24 + 2),
            sets_last_7_days: 3,
        });
        let sets = vec![
            PerformedSet {
                reps: 10,
                load_kg: 60.0,
                reps_in_reserve: Some(1),
            };
            3
        ];
        let date = context().today - TimeDelta::days(3);
        signals
            .last_sessions
            .insert(deadlift().id, LastSession { date, sets });
        signals
    }

    fn prescriber<'a>(
        signals: &'a TrainingSignals,
        past: &'a HashMap<Uuid, PastPrescription>,
        intensity: Intensity,
        deload: bool,
    ) -> Prescriber<'a> {
        Prescriber {
            signals,
            past,
            now: context().now,
            intensity,
            deload,
        }
    }

    #[test]
    fn a_reason_names_the_target_the_rest_and_the_progression() {
        let signals = signals_with_history();
        let past = HashMap::new();
        let green = prescriber(&signals, &past, Intensity::AS_PLANNED, false);
        let p = green.prescribe(&deadlift(), HINGE, &dose(RepUnit::Reps));
        assert_eq!(p.load_kg, Some(63.0));
        assert_eq!(p.target_reps, 8);
        assert_eq!(
            p.reason,
            "Hinge pattern; hamstrings rested 3 days; +5% load: all sets reached 10 reps last time"
        );
        assert!(green.familiar(deadlift().id));
    }

    #[test]
    fn a_deload_holds_and_lightens_the_load() {
        let signals = signals_with_history();
        let past = HashMap::new();
        let deload = deloaded(from_recovery(RecoveryBand::Green));
        let p = prescriber(&signals, &past, deload, true).prescribe(
            &deadlift(),
            HINGE,
            &dose(RepUnit::Reps),
        );
        assert_eq!(p.load_kg, Some(54.0));
        assert!(
            p.reason.ends_with("10% lighter today (deload)"),
            "{}",
            p.reason
        );
    }

    #[test]
    fn bodyweight_and_timed_work_carry_no_load() {
        let signals = signals_with_history();
        let past = HashMap::new();
        let green = prescriber(&signals, &past, Intensity::AS_PLANNED, false);
        let timed = green.prescribe(&deadlift(), HINGE, &dose(RepUnit::Seconds));
        assert_eq!((timed.load_kg, timed.target_reps), (None, 8));
        let mut bridge = exercise("Glute Bridge", MovementPattern::Hinge, &[Muscle::Glutes]);
        bridge.equipment = Equipment::Bodyweight;
        let p = green.prescribe(&bridge, HINGE, &dose(RepUnit::Reps));
        assert_eq!(p.load_kg, None);
        assert_eq!(p.reason, "Hinge pattern; aim for 8 reps");
    }
}
