//! Similar-user engagement: how often users of the same goal and fitness level completed an
//! exercise, or any exercise of a category.
//!
//! Raw rates of rarely prescribed exercises are noise, so every rate is an m-estimate
//! (the mean of a Beta posterior) shrunk towards the level above it:
//! population → cohort (goal, level) → category or exercise within the cohort. With no
//! data at all every rate is 0.5.
//!
//! During training each example is featurised with its own outcome removed from every
//! count it contributed to (leave-one-out). Otherwise the rate of a rarely prescribed
//! exercise would partly *be* the label, and the model would learn to trust the feature
//! far more than it deserves at serving time, when the outcome is not yet known.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use subgraph_common::vocab::{Category, FitnessLevel, Goal};
use uuid::Uuid;

use crate::example::Example;

/// How many pseudo-observations the prior of every rate is worth (the m of the m-estimate).
const PRIOR_WEIGHT: f64 = 10.0;

/// The population rate before any observation.
const NEUTRAL_RATE: f64 = 0.5;

/// Completed and prescribed exercises of one group.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
struct Counts {
    completed: u64,
    total: u64,
}

impl Counts {
    fn record(&mut self, completed: bool) {
        self.total += 1;
        self.completed += u64::from(completed);
    }

    /// The counts without one outcome they include (leave-one-out), or as they are.
    fn without(self, own_outcome: Option<bool>) -> Counts {
        match own_outcome {
            None => self,
            Some(completed) => Counts {
                completed: self.completed.saturating_sub(u64::from(completed)),
                total: self.total.saturating_sub(1),
            },
        }
    }

    fn smoothed(self, prior_rate: f64, prior_weight: f64) -> f64 {
        // Counts are far below 2^53, so the conversions are exact.
        (self.completed as f64 + prior_weight * prior_rate) / (self.total as f64 + prior_weight)
    }

    fn is_consistent(self) -> bool {
        self.completed <= self.total
    }
}

/// The counts of one (goal, level) cohort.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
struct Cohort {
    overall: Counts,
    categories: BTreeMap<Category, Counts>,
    exercises: BTreeMap<Uuid, Counts>,
}

/// The two cohort rates one feature row uses.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct CohortRates {
    pub exercise: f64,
    pub category: f64,
}

/// Smoothed completion rates per (goal, level) cohort: per exercise, per category, and the
/// population rate they all fall back to. Part of the [`Artifact`](crate::Artifact), so
/// serving uses the tables the model was trained with.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CohortTables {
    prior_weight: f64,
    population: Counts,
    // Ordered maps keep the serialised artifact, and so its content hash, deterministic.
    cohorts: BTreeMap<Goal, BTreeMap<FitnessLevel, Cohort>>,
}

impl Default for CohortTables {
    fn default() -> Self {
        CohortTables::empty()
    }
}

impl CohortTables {
    /// Tables without observations: every rate is 0.5.
    pub fn empty() -> Self {
        CohortTables {
            prior_weight: PRIOR_WEIGHT,
            population: Counts::default(),
            cohorts: BTreeMap::new(),
        }
    }

    /// Counts the outcomes of `examples`, each in the cohort of its snapshot.
    pub fn build(examples: &[Example]) -> Self {
        let mut tables = CohortTables::empty();
        for example in examples {
            tables.record(example);
        }
        tables
    }

    fn record(&mut self, example: &Example) {
        let snapshot = &example.snapshot;
        let exercise = &example.exercise;
        self.population.record(example.completed);
        let cohort = self
            .cohorts
            .entry(snapshot.goal)
            .or_default()
            .entry(snapshot.level)
            .or_default();
        cohort.overall.record(example.completed);
        cohort
            .categories
            .entry(exercise.category)
            .or_default()
            .record(example.completed);
        cohort
            .exercises
            .entry(exercise.id)
            .or_default()
            .record(example.completed);
    }

    /// How many outcomes the tables were built from.
    pub fn observations(&self) -> u64 {
        self.population.total
    }

    /// The smoothed completion rate over everybody.
    pub fn population_rate(&self) -> f64 {
        self.population_rate_without(None)
    }

    /// The smoothed completion rate of one exercise among users of this goal and level.
    pub fn exercise_rate(&self, goal: Goal, level: FitnessLevel, exercise_id: Uuid) -> f64 {
        let cohort = self.cohort(goal, level);
        let prior = self.cohort_rate_without(cohort, None);
        let counts = cohort.and_then(|cohort| cohort.exercises.get(&exercise_id));
        counts
            .copied()
            .unwrap_or_default()
            .smoothed(prior, self.prior_weight)
    }

    /// The smoothed completion rate of a category among users of this goal and level.
    pub fn category_rate(&self, goal: Goal, level: FitnessLevel, category: Category) -> f64 {
        let cohort = self.cohort(goal, level);
        let prior = self.cohort_rate_without(cohort, None);
        let counts = cohort.and_then(|cohort| cohort.categories.get(&category));
        counts
            .copied()
            .unwrap_or_default()
            .smoothed(prior, self.prior_weight)
    }

    /// Both rates a feature row needs. With `own_outcome`, that outcome is removed from
    /// every count first: the caller is featurising an example these tables were built from.
    pub(crate) fn rates(
        &self,
        goal: Goal,
        level: FitnessLevel,
        category: Category,
        exercise_id: Uuid,
        own_outcome: Option<bool>,
    ) -> CohortRates {
        let cohort = self.cohort(goal, level);
        let prior = self.cohort_rate_without(cohort, own_outcome);
        let leave_out = |counts: Option<&Counts>| {
            counts
                .copied()
                .unwrap_or_default()
                .without(own_outcome)
                .smoothed(prior, self.prior_weight)
        };
        CohortRates {
            exercise: leave_out(cohort.and_then(|cohort| cohort.exercises.get(&exercise_id))),
            category: leave_out(cohort.and_then(|cohort| cohort.categories.get(&category))),
        }
    }

    fn cohort(&self, goal: Goal, level: FitnessLevel) -> Option<&Cohort> {
        self.cohorts.get(&goal)?.get(&level)
    }

    fn population_rate_without(&self, own_outcome: Option<bool>) -> f64 {
        self.population
            .without(own_outcome)
            .smoothed(NEUTRAL_RATE, self.prior_weight)
    }

    fn cohort_rate_without(&self, cohort: Option<&Cohort>, own_outcome: Option<bool>) -> f64 {
        let prior = self.population_rate_without(own_outcome);
        cohort
            .map(|cohort| cohort.overall)
            .unwrap_or_default()
            .without(own_outcome)
            .smoothed(prior, self.prior_weight)
    }

    /// Checks what deserialisation cannot: a positive prior and counts that add up.
    pub(crate) fn validate(&self) -> Result<(), String> {
        if !(self.prior_weight.is_finite() && self.prior_weight > 0.0) {
            return Err(format!(
                "cohort prior weight {} is not a positive number",
                self.prior_weight
            ));
        }
        let cohorts = self.cohorts.values().flat_map(BTreeMap::values);
        let all_counts = std::iter::once(self.population).chain(cohorts.flat_map(|cohort| {
            std::iter::once(cohort.overall)
                .chain(cohort.categories.values().copied())
                .chain(cohort.exercises.values().copied())
        }));
        for counts in all_counts {
            if !counts.is_consistent() {
                return Err(format!(
                    "cohort counts claim {} completions out of {}",
                    counts.completed, counts.total
                ));
            }
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use chrono::NaiveDate;
    use fitgraph_rules::{TrainingSignals, UserSnapshot};
    use subgraph_common::catalog::ExerciseSummary;
    use subgraph_common::vocab::{
        Difficulty, Equipment, MovementPattern, Muscle, RecoveryBand, TimeOfDay,
    };

    use super::*;

    fn example(index: u128, category: Category, completed: bool) -> Example {
        let snapshot = UserSnapshot {
            goal: Goal::Endurance,
            level: FitnessLevel::Intermediate,
            days_per_week: 3,
            session_minutes: 30,
            preferred_time: TimeOfDay::Any,
            equipment: Default::default(),
            recovery: RecoveryBand::Green,
            signals: TrainingSignals::default(),
        };
        let exercise = ExerciseSummary {
            id: Uuid::from_u128(index % 3),
            name: "exercise".into(),
            category,
            difficulty: Difficulty::Beginner,
            equipment: Equipment::Bodyweight,
            movement_pattern: MovementPattern::Core,
            primary_muscles: vec![Muscle::Abdominals],
            secondary_muscles: Vec::new(),
            deprecated: false,
        };
        Example {
            workout_id: Uuid::from_u128(index),
            user_id: Uuid::from_u128(index),
            day: NaiveDate::from_ymd_opt(2026, 11, 1).expect("a real date"),
            snapshot: Arc::new(snapshot),
            exercise: Arc::new(exercise),
            completed,
            effective: completed,
        }
    }

    #[test]
    fn leave_one_out_rates_are_the_rates_without_that_example() {
        let examples: Vec<Example> = (0..12)
            .map(|index| {
                let category = Category::ALL[index as usize % 2];
                example(index, category, index % 5 != 1)
            })
            .collect();
        let tables = CohortTables::build(&examples);
        for (position, own) in examples.iter().enumerate() {
            let mut others = examples.clone();
            others.remove(position);
            let without = CohortTables::build(&others);
            let (goal, level) = (own.snapshot.goal, own.snapshot.level);
            let (category, id) = (own.exercise.category, own.exercise.id);
            let left_out = tables.rates(goal, level, category, id, Some(own.completed));
            let expected = without.rates(goal, level, category, id, None);
            assert!((left_out.exercise - expected.exercise).abs() < 1e-12);
            assert!((left_out.category - expected.category).abs() < 1e-12);
        }
    }

    #[test]
    fn smoothing_shrinks_small_counts_towards_the_prior() {
        let few = Counts {
            completed: 1,
            total: 1,
        };
        assert!((few.smoothed(0.5, 10.0) - 6.0 / 11.0).abs() < 1e-12);
        let many = Counts {
            completed: 900,
            total: 1000,
        };
        assert!((many.smoothed(0.5, 10.0) - 905.0 / 1010.0).abs() < 1e-12);
    }

    #[test]
    fn leaving_one_out_removes_exactly_that_outcome() {
        let counts = Counts {
            completed: 3,
            total: 4,
        };
        assert_eq!(
            counts.without(Some(true)),
            Counts {
                completed: 2,
                total: 3
            }
        );
        assert_eq!(
            counts.without(Some(false)),
            Counts {
                completed: 3,
                total: 3
            }
        );
        assert_eq!(counts.without(None), counts);
    }

    #[test]
    fn empty_tables_are_neutral_and_valid() {
        let tables = CohortTables::empty();
        assert_eq!(tables.population_rate(), 0.5);
        assert_eq!(
            tables.exercise_rate(Goal::Endurance, FitnessLevel::Advanced, Uuid::nil()),
            0.5
        );
        assert_eq!(tables.validate(), Ok(()));
    }

    #[test]
    fn inconsistent_counts_are_refused() {
        let mut tables = CohortTables::empty();
        tables.population = Counts {
            completed: 5,
            total: 2,
        };
        assert!(tables.validate().is_err());
    }
}
