//! Rule-built workout candidates: a template for the goal, level and session length, its
//! slots filled with exercises the user's equipment allows, and a prescription for each.
//! Safety rules are hard constraints here; ranking later only reorders within them.
//!
//! [`plan_day()`] is the entry point and [`finalize()`] turns a plan into a workout. Each rule
//! is a small, pure function in its own module:
//!
//! - [`rotation`]: no primary work for a muscle within 48 h (72 h for large ones);
//! - [`rest`]: rest and mobility days (recovery RED, weekly budget, streaks);
//! - [`intensity`]: lighter days from the recovery band;
//! - [`overload`]: double progression on loads and reps, never over +10%;
//! - [`deload`]: every fourth week lighter;
//! - [`volume`]: weekly sets per muscle within the level's cap;
//! - [`goal`]: rep ranges, rest and categories per goal;
//! - [`safety`]: equipment, level, deprecation and category rules;
//! - [`select`]: the template and the session's time budget;
//! - [`order`]: the rules' preference among a slot's candidates;
//! - [`mobility`]: the shape of a mobility day;
//! - [`candidates`]: which exercises may fill a slot, combining the rules above;
//! - [`level`]: fitness levels and exercise difficulties side by side.

pub mod candidates;
pub mod day;
pub mod deload;
pub mod error;
pub mod finalize;
pub mod goal;
pub mod intensity;
pub mod level;
pub mod mobility;
pub mod order;
pub mod overload;
mod plan;
mod prescribe;
pub mod rest;
pub mod rotation;
pub mod safety;
pub mod select;
pub mod snapshot;
pub mod volume;
mod words;

#[cfg(test)]
mod testing;

pub use day::{DayKind, DayPlan, MAX_CANDIDATES_PER_SLOT, PlannedSlot, Prescription};
pub use error::RulesError;
pub use finalize::{finalize, rule_order};
pub use plan::plan_day;
pub use snapshot::{
    DayContext, LastSession, Library, MuscleSignal, PastPrescription, PerformedSet, RepUnit,
    SlotTarget, Template, TemplateSlot, TrainingSignals, UserSnapshot,
};
