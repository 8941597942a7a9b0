//! How a variant orders each slot's safe candidates: the rules' own order, the ranker's
//! scores, and exploration (an exercise the user has not tried yet, now and then).

use std::collections::HashMap;

use fitgraph_rules::{PlannedSlot, Prescription, UserSnapshot};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use subgraph_common::catalog::ExerciseSummary;
use uuid::Uuid;

use super::experiments::Strategy;
use super::serving::LoadedModel;

/// How much exploration a variant does for a user.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Exploration {
    pub share: f64,
}

impl Exploration {
    /// Ranker variants explore while the user is new (cold start) and the explore
    /// variant always does; the rules-only control never does, so it stays a clean baseline.
    pub fn for_variant(
        strategy: Strategy,
        snapshot: &UserSnapshot,
        settings: &subgraph_common::RecommendSettings,
    ) -> Exploration {
        let cold =
            snapshot.signals.training_days.len() < settings.cold_start_min_training_days as usize;
        let share = match strategy {
            Strategy::Rules => 0.0,
            Strategy::Ranker if cold => settings.cold_start_exploration_share,
            Strategy::Ranker => 0.0,
            Strategy::RankerExplore if cold => settings
                .cold_start_exploration_share
                .max(settings.exploration_share),
            Strategy::RankerExplore => settings.exploration_share,
        };
        Exploration {
            share: share.clamp(0.0, 1.0),
        }
    }
}

/// Orders slots for one workout and remembers why each exercise came first.
pub struct Ordering<'a> {
    model: Option<&'a LoadedModel>,
    snapshot: &'a UserSnapshot,
    exercises: &'a HashMap<Uuid, ExerciseSummary>,
    exploration: Exploration,
    rng: ChaCha8Rng,
    notes: HashMap<Uuid, String>,
}

impl<'a> Ordering<'a> {
    /// `model` is used only by ranker strategies; `seed` makes exploration repeatable
    /// for the same user and day.
    pub fn new(
        strategy: Strategy,
        model: Option<&'a LoadedModel>,
        snapshot: &'a UserSnapshot,
        exercises: &'a HashMap<Uuid, ExerciseSummary>,
        exploration: Exploration,
        seed: u64,
    ) -> Ordering<'a> {
        let model = model.filter(|_| strategy != Strategy::Rules);
        Ordering {
            model,
            snapshot,
            exercises,
            exploration,
            rng: ChaCha8Rng::seed_from_u64(seed),
            notes: HashMap::new(),
        }
    }

    /// The model version that ordered the slots, if one did.
    pub fn model_version(&self) -> Option<String> {
        self.model.map(|model| model.version.clone())
    }

    /// Candidate indices, best first.
    pub fn order(&mut self, slot: &PlannedSlot) -> Vec<usize> {
        let mut order = self.ranked(slot);
        if self.exploration.share > 0.0 && self.rng.gen_bool(self.exploration.share) {
            self.explore(slot, &mut order);
        }
        order
    }

    fn ranked(&mut self, slot: &PlannedSlot) -> Vec<usize> {
        let Some(model) = self.model else {
            return (0..slot.candidates.len()).collect();
        };
        let mut scored: Vec<(usize, f64)> = slot
            .candidates
            .iter()
            .enumerate()
            .map(|(index, candidate)| {
                let value = self.score(model, candidate);
                (index, value)
            })
            .collect();
        // Stable: equal scores keep the rules' preference.
        scored.sort_by(|a, b| b.1.total_cmp(&a.1));
        scored.into_iter().map(|(index, _)| index).collect()
    }

    fn score(&mut self, model: &LoadedModel, candidate: &Prescription) -> f64 {
        let Some(exercise) = self.exercises.get(&candidate.exercise_id) else {
            return f64::NEG_INFINITY;
        };
        let score = model.artifact.score(self.snapshot, exercise);
        self.notes.insert(
            candidate.exercise_id,
            format!(
                "ranked for you: {:.0}% likely to be completed",
                score.adherence * 100.0
            ),
        );
        score.value
    }

    /// Moves a random candidate the user has no history with to the front.
    fn explore(&mut self, slot: &PlannedSlot, order: &mut Vec<usize>) {
        if let Some(pick) = move_untried_first(slot, self.snapshot, &mut self.rng, order) {
            self.notes.insert(
                slot.candidates[pick].exercise_id,
                "something new to try, so your plan learns what suits you".to_owned(),
            );
        }
    }

    /// The chosen prescriptions with the ordering's note added to each reason.
    pub fn annotate(&self, chosen: Vec<Prescription>) -> Vec<Prescription> {
        chosen
            .into_iter()
            .map(|mut prescription| {
                if let Some(note) = self.notes.get(&prescription.exercise_id) {
                    prescription.reason = format!("{}; {note}", prescription.reason);
                }
                prescription
            })
            .collect()
    }
}

/// Moves a random candidate of `slot` that the user has no history with to the front
/// of `order`, and returns it; `None` when every candidate has been tried.
pub fn move_untried_first(
    slot: &PlannedSlot,
    snapshot: &UserSnapshot,
    rng: &mut impl Rng,
    order: &mut Vec<usize>,
) -> Option<usize> {
    let signals = &snapshot.signals;
    let untried: Vec<usize> = order
        .iter()
        .copied()
        .filter(|index| {
            let id = slot.candidates[*index].exercise_id;
            !signals.exercise_affinities.contains_key(&id)
                && !signals.last_sessions.contains_key(&id)
        })
        .collect();
    if untried.is_empty() {
        return None;
    }
    let pick = untried[rng.gen_range(0..untried.len())];
    order.retain(|index| *index != pick);
    order.insert(0, pick);
    Some(pick)
}
