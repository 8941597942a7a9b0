//! How alike two exercises are, shared by the `alternatives` query and the
//! substitutions computed at seed time, so both rank the same way.
//!
//! A candidate qualifies only when it lists the target's first primary muscle among
//! its own primary muscles, is not the target and is not deprecated. Qualifying
//! candidates score out of 100:
//! - 40 for the same movement pattern,
//! - up to 30 for the overlap of all muscles worked (shared / combined),
//! - 10 for the same mechanic, 10 for the same category,
//! - 10 for the same difficulty, 5 one level apart.
//!
//! Ties go to the name, then the id, so rankings are stable.

use std::cmp::Ordering;
use std::collections::HashMap;

use subgraph_common::vocab::{Category, Difficulty, Equipment, Mechanic, MovementPattern, Muscle};
use uuid::Uuid;

use crate::error::ExercisesError;
use crate::model::{ExerciseRecord, MuscleSet};
use crate::store;

/// What ranking needs to know about an exercise.
#[derive(Debug, Clone)]
pub struct ExerciseProfile {
    pub id: Uuid,
    pub name: String,
    /// The muscle a substitute must also train as a primary muscle.
    pub anchor: Option<Muscle>,
    primary_mask: u32,
    muscle_mask: u32,
    pub movement_pattern: MovementPattern,
    pub mechanic: Option<Mechanic>,
    pub category: Category,
    pub difficulty: Difficulty,
    pub equipment: Equipment,
    pub deprecated: bool,
}

fn mask(muscles: &[Muscle]) -> u32 {
    muscles
        .iter()
        .fold(0, |bits, muscle| bits | 1 << (*muscle as u32))
}

impl ExerciseProfile {
    pub fn new(record: &ExerciseRecord, muscles: &MuscleSet) -> Self {
        let primary_mask = mask(&muscles.primary);
        ExerciseProfile {
            id: record.id,
            name: record.name.clone(),
            anchor: muscles.primary.first().copied(),
            primary_mask,
            muscle_mask: primary_mask | mask(&muscles.secondary),
            movement_pattern: record.movement_pattern,
            mechanic: record.mechanic,
            category: record.category,
            difficulty: record.difficulty,
            equipment: record.equipment,
            deprecated: record.deprecated,
        }
    }

    pub fn has_primary(&self, muscle: Muscle) -> bool {
        self.primary_mask & (1 << (muscle as u32)) != 0
    }

    /// Whether `candidate` may stand in for this exercise at all.
    fn accepts(&self, candidate: &ExerciseProfile, equipment: Option<&[Equipment]>) -> bool {
        let Some(anchor) = self.anchor else {
            return false;
        };
        candidate.id != self.id
            && !candidate.deprecated
            && candidate.has_primary(anchor)
            && equipment.is_none_or(|allowed| allowed.contains(&candidate.equipment))
    }
}

/// The similarity of `candidate` to `target`, 0 to 100.
pub fn score(target: &ExerciseProfile, candidate: &ExerciseProfile) -> u32 {
    let mut score = 0;
    if target.movement_pattern == candidate.movement_pattern {
        score += 40;
    }
    let combined = (target.muscle_mask | candidate.muscle_mask).count_ones();
    let shared = (target.muscle_mask & candidate.muscle_mask).count_ones();
    score += (30 * shared + combined / 2)
        .checked_div(combined)
        .unwrap_or(0);
    if target.mechanic == candidate.mechanic {
        score += 10;
    }
    if target.category == candidate.category {
        score += 10;
    }
    let levels_apart = (target.difficulty as u32).abs_diff(candidate.difficulty as u32);
    score + 10u32.saturating_sub(5 * levels_apart)
}

/// Every exercise not deprecated, ready for ranking (two SELECTs, whatever the size).
pub async fn load_active_profiles(
    db: &sea_orm::DatabaseConnection,
) -> Result<Vec<ExerciseProfile>, ExercisesError> {
    store::active_profiles(db).await
}

/// The `limit` best stand-ins for `target` among `candidates`, best first.
pub fn rank_alternatives<'a>(
    target: &ExerciseProfile,
    candidates: impl IntoIterator<Item = &'a ExerciseProfile>,
    equipment: Option<&[Equipment]>,
    limit: usize,
) -> Vec<&'a ExerciseProfile> {
    let mut scored: Vec<(u32, &ExerciseProfile)> = candidates
        .into_iter()
        .filter(|candidate| target.accepts(candidate, equipment))
        .map(|candidate| (score(target, candidate), candidate))
        .collect();
    let best_first = |a: &(u32, &ExerciseProfile), b: &(u32, &ExerciseProfile)| -> Ordering {
        b.0.cmp(&a.0)
            .then_with(|| a.1.name.cmp(&b.1.name))
            .then_with(|| a.1.id.cmp(&b.1.id))
    };
    // Only the head needs sorting: partition around the limit first.
    if limit == 0 {
        return Vec::new();
    }
    if scored.len() > limit {
        scored.select_nth_unstable_by(limit - 1, best_first);
        scored.truncate(limit);
    }
    scored.sort_unstable_by(best_first);
    scored.into_iter().map(|(_, candidate)| candidate).collect()
}

/// The best `per_exercise` substitutes of every exercise in `profiles`, drawing
/// from the same set; deprecated exercises get none.
pub fn substitutions(profiles: &[ExerciseProfile], per_exercise: usize) -> Vec<(Uuid, Vec<Uuid>)> {
    let mut by_primary: HashMap<Muscle, Vec<&ExerciseProfile>> = HashMap::new();
    for profile in profiles.iter().filter(|profile| !profile.deprecated) {
        for muscle in Muscle::ALL
            .iter()
            .filter(|muscle| profile.has_primary(**muscle))
        {
            by_primary.entry(*muscle).or_default().push(profile);
        }
    }
    profiles
        .iter()
        .filter(|profile| !profile.deprecated)
        .filter_map(|target| {
            let pool = by_primary.get(&target.anchor?)?;
            let best = rank_alternatives(target, pool.iter().copied(), None, per_exercise);
            Some((
                target.id,
                best.into_iter().map(|profile| profile.id).collect(),
            ))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn profile(
        name: &str,
        primary: &[Muscle],
        pattern: MovementPattern,
        equipment: Equipment,
    ) -> ExerciseProfile {
        let record = ExerciseRecord {
            id: Uuid::now_v7(),
            slug: name.to_lowercase(),
            name: name.to_owned(),
            instructions: Vec::new(),
            category: Category::Strength,
            mechanic: Some(Mechanic::Compound),
            force: None,
            difficulty: Difficulty::Intermediate,
            equipment,
            movement_pattern: pattern,
            deprecated: false,
        };
        ExerciseProfile::new(
            &record,
            &MuscleSet {
                primary: primary.to_vec(),
                secondary: Vec::new(),
            },
        )
    }

    #[test]
    fn candidates_must_share_the_first_primary_muscle() {
        let target = profile(
            "Bench Press",
            &[Muscle::Chest, Muscle::Triceps],
            MovementPattern::HorizontalPush,
            Equipment::Barbell,
        );
        let dips = profile(
            "Dip",
            &[Muscle::Triceps],
            MovementPattern::HorizontalPush,
            Equipment::Bodyweight,
        );
        let push_up = profile(
            "Push-Up",
            &[Muscle::Chest],
            MovementPattern::HorizontalPush,
            Equipment::Bodyweight,
        );
        let pool = [target.clone(), dips, push_up];
        let ranked = rank_alternatives(&target, &pool, None, 10);
        let names: Vec<&str> = ranked.iter().map(|profile| profile.name.as_str()).collect();
        assert_eq!(names, ["Push-Up"]);
    }

    #[test]
    fn same_pattern_outranks_a_different_one_and_equipment_filters() {
        let target = profile(
            "Back Squat",
            &[Muscle::Quadriceps],
            MovementPattern::Squat,
            Equipment::Barbell,
        );
        let extension = profile(
            "Leg Extension",
            &[Muscle::Quadriceps],
            MovementPattern::LegIsolation,
            Equipment::Machine,
        );
        let goblet = profile(
            "Goblet Squat",
            &[Muscle::Quadriceps],
            MovementPattern::Squat,
            Equipment::Dumbbell,
        );
        let pool = [extension, goblet];
        let ranked = rank_alternatives(&target, &pool, None, 10);
        assert_eq!(ranked[0].name, "Goblet Squat");
        assert!(score(&target, ranked[0]) > score(&target, ranked[1]));
        let machines = rank_alternatives(&target, &pool, Some(&[Equipment::Machine]), 10);
        assert_eq!(machines.len(), 1);
        assert_eq!(machines[0].name, "Leg Extension");
    }

    #[test]
    fn substitutions_skip_deprecated_and_self() {
        let mut old = profile(
            "Old Curl",
            &[Muscle::Biceps],
            MovementPattern::ArmIsolation,
            Equipment::Dumbbell,
        );
        old.deprecated = true;
        let curl = profile(
            "Curl",
            &[Muscle::Biceps],
            MovementPattern::ArmIsolation,
            Equipment::Dumbbell,
        );
        let hammer = profile(
            "Hammer Curl",
            &[Muscle::Biceps],
            MovementPattern::ArmIsolation,
            Equipment::Dumbbell,
        );
        let result = substitutions(&[old, curl.clone(), hammer.clone()], 5);
        assert_eq!(result.len(), 2);
        let of_curl = result
            .iter()
            .find(|(id, _)| *id == curl.id)
            .map(|(_, subs)| subs.clone());
        assert_eq!(of_curl, Some(vec![hammer.id]));
    }
}
