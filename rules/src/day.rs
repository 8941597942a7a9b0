//! What the rules hand to plans: one day's plan with ordered candidates per slot.

use serde::{Deserialize, Serialize};
use uuid::Uuid;

use crate::snapshot::{RepUnit, SlotTarget};

/// A bound on candidates per slot: enough for the ranker to choose among, small enough to
/// keep the stored plan and the ranking cheap.
pub const MAX_CANDIDATES_PER_SLOT: usize = 24;

/// What kind of day the rules planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum DayKind {
    /// Resistance, conditioning or flexibility work from a template.
    Training,
    /// Gentle stretching and mobility drills held for time, without load.
    Mobility,
    /// No workout at all.
    Rest,
}

impl DayKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DayKind::Training => "TRAINING",
            DayKind::Mobility => "MOBILITY",
            DayKind::Rest => "REST",
        }
    }
}

/// Today's plan before the ranker: slots in order, each with its safe candidates.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct DayPlan {
    pub kind: DayKind,
    /// E.g. "Intermediate Hypertrophy Full Body (60 min) (deload)" or "Rest day".
    pub title: String,
    /// Why the day looks like this, for the user.
    pub reason: String,
    /// The template the slots come from; `None` for rest and mobility days.
    pub template_id: Option<Uuid>,
    /// Whether this is a deload session (only ever set on training days).
    pub deload: bool,
    /// Empty on rest days; never empty otherwise.
    pub slots: Vec<PlannedSlot>,
}

/// One position of the workout and the exercises that may fill it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlannedSlot {
    /// 1-based order within the day.
    pub position: u8,
    pub target: SlotTarget,
    pub unit: RepUnit,
    /// Never empty, every one safe, best by the rules first, each exercise once, at most
    /// [`MAX_CANDIDATES_PER_SLOT`].
    pub candidates: Vec<Prescription>,
}

/// One exercise with everything needed to perform it today.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Prescription {
    pub exercise_id: Uuid,
    pub sets: u8,
    pub rep_min: u16,
    pub rep_max: u16,
    /// What to aim for today within the range (double progression).
    pub target_reps: u16,
    pub unit: RepUnit,
    /// `None` for bodyweight or timed work, and when nothing is known yet.
    pub load_kg: Option<f64>,
    pub rest_seconds: u16,
    /// Short and user-facing: why this exercise, and why this load and target.
    pub reason: String,
}

impl DayPlan {
    /// A day without any workout.
    pub fn rest(reason: String) -> DayPlan {
        DayPlan {
            kind: DayKind::Rest,
            title: "Rest day".to_owned(),
            reason,
            template_id: None,
            deload: false,
            slots: Vec::new(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_kinds_read_and_serialise_as_their_graphql_names() {
        for (kind, text) in [
            (DayKind::Training, "TRAINING"),
            (DayKind::Mobility, "MOBILITY"),
            (DayKind::Rest, "REST"),
        ] {
            assert_eq!(kind.as_str(), text);
            let json = serde_json::to_string(&kind).expect("a unit variant serialises");
            assert_eq!(json, format!("\"{text}\""));
            let back: DayKind = serde_json::from_str(&json).expect("and reads back");
            assert_eq!(back, kind);
        }
    }
}
