//! From candidates to a workout: one exercise per slot, never the same one twice.

use std::collections::HashSet;

use crate::day::{DayPlan, PlannedSlot, Prescription};

/// The rules' own order for a slot: its candidates as listed.
pub fn rule_order(slot: &PlannedSlot) -> Vec<usize> {
    (0..slot.candidates.len()).collect()
}

/// Picks one exercise per slot: for each slot in order, walks `order(slot)` (indices into
/// `slot.candidates`; unknown indices are skipped) and takes the first candidate not already
/// chosen by an earlier slot; a slot with none left is dropped. [`rule_order`] keeps the
/// rules' preference.
pub fn finalize(
    plan: &DayPlan,
    mut order: impl FnMut(&PlannedSlot) -> Vec<usize>,
) -> Vec<Prescription> {
    let mut chosen = HashSet::new();
    let mut workout = Vec::new();
    for slot in &plan.slots {
        let pick = order(slot)
            .into_iter()
            .filter_map(|index| slot.candidates.get(index))
            .find(|candidate| !chosen.contains(&candidate.exercise_id));
        if let Some(candidate) = pick {
            chosen.insert(candidate.exercise_id);
            workout.push(candidate.clone());
        }
    }
    workout
}

#[cfg(test)]
mod tests {
    use subgraph_common::vocab::MovementPattern;
    use uuid::Uuid;

    use super::*;
    use crate::day::DayKind;
    use crate::snapshot::{RepUnit, SlotTarget};

    fn prescription(id: u128) -> Prescription {
        Prescription {
            exercise_id: Uuid::from_u128(id),
            sets: 3,
            rep_min: 8,
            rep_max: 12,
            target_reps: 8,
            unit: RepUnit::Reps,
            load_kg: None,
            rest_seconds: 90,
            reason: String::new(),
        }
    }

    fn plan(slots: &[&[u128]]) -> DayPlan {
        DayPlan {
            kind: DayKind::Training,
            title: "Test".into(),
            reason: String::new(),
            template_id: None,
            deload: false,
            slots: slots
                .iter()
                .enumerate()
                .map(|(index, ids)| PlannedSlot {
                    position: u8::try_from(index + 1).expect("few slots"),
                    target: SlotTarget::Pattern(MovementPattern::Squat),
                    unit: RepUnit::Reps,
                    candidates: ids.iter().map(|id| prescription(*id)).collect(),
                })
                .collect(),
        }
    }

    fn ids(workout: &[Prescription]) -> Vec<u128> {
        workout.iter().map(|p| p.exercise_id.as_u128()).collect()
    }

    #[test]
    fn the_rule_order_takes_each_slots_first_unused_candidate() {
        let plan = plan(&[&[1, 2], &[1, 3], &[1, 3]]);
        assert_eq!(ids(&finalize(&plan, rule_order)), [1, 3]);
    }

    #[test]
    fn a_custom_order_is_followed_and_bad_indices_are_skipped() {
        let plan = plan(&[&[1, 2, 3], &[1, 2]]);
        let workout = finalize(&plan, |slot| {
            let mut order = rule_order(slot);
            order.reverse();
            order.insert(0, 99);
            order
        });
        assert_eq!(ids(&workout), [3, 2]);
    }

    #[test]
    fn an_order_may_leave_a_slot_without_a_pick() {
        let plan = plan(&[&[1], &[2]]);
        assert_eq!(
            ids(&finalize(&plan, |slot| if slot.position == 1 {
                vec![]
            } else {
                vec![0]
            })),
            [2]
        );
    }
}
