//! The feature row, its schema hash and the cohort tables behind two of its features.

mod common;

use std::sync::Arc;

use chrono::NaiveDate;
use fitgraph_ranker::{
    CohortTables, Example, FEATURE_NAMES, feature_schema_hash, features, hash_feature_names,
};
use fitgraph_rules::{MuscleSignal, UserSnapshot};
use subgraph_common::vocab::{Category, Difficulty, FitnessLevel, Goal, Muscle, RecoveryBand};
use uuid::Uuid;

fn index(name: &str) -> usize {
    FEATURE_NAMES
        .iter()
        .position(|candidate| *candidate == name)
        .unwrap_or_else(|| panic!("no feature named {name}"))
}

fn value(row: &[f64], name: &str) -> f64 {
    row[index(name)]
}

fn beginner() -> UserSnapshot {
    common::snapshot(Goal::MuscleGain, FitnessLevel::Beginner)
}

#[test]
fn every_row_has_one_value_per_name() {
    let exercise = common::exercise(1, Category::Strength, Difficulty::Advanced);
    let row = features(&beginner(), &exercise, &CohortTables::empty());
    assert_eq!(row.len(), FEATURE_NAMES.len());
    let (corpus, trained) = common::standard();
    for example in corpus.iter().take(50) {
        let row = features(
            &example.snapshot,
            &example.exercise,
            &trained.artifact.cohorts,
        );
        assert_eq!(row.len(), FEATURE_NAMES.len());
        assert!(row.iter().all(|value| value.is_finite()));
    }
}

#[test]
fn missing_signals_are_neutral_with_a_flag() {
    let exercise = common::exercise(1, Category::Cardio, Difficulty::Beginner);
    let row = features(&beginner(), &exercise, &CohortTables::empty());
    assert_eq!(value(&row, "category_affinity"), 0.0);
    assert_eq!(value(&row, "category_affinity_known"), 0.0);
    assert_eq!(value(&row, "exercise_has_history"), 0.0);
    assert_eq!(value(&row, "recent_difficulty_centred"), 0.0);
    assert_eq!(value(&row, "recent_difficulty_missing"), 1.0);
    assert_eq!(value(&row, "adherence_28_days"), 0.5);
    assert_eq!(value(&row, "adherence_28_days_missing"), 1.0);
    assert_eq!(value(&row, "cohort_exercise_rate"), 0.5);
    assert_eq!(value(&row, "category_cardio"), 1.0);
    assert_eq!(value(&row, "goal_muscle_gain"), 1.0);
}

#[test]
fn known_signals_show_up_where_their_names_say() {
    let exercise = common::exercise(2, Category::Strength, Difficulty::Advanced);
    let mut snapshot = beginner();
    snapshot.recovery = RecoveryBand::Red;
    let signals = &mut snapshot.signals;
    signals.category_affinities.insert(Category::Strength, 0.4);
    signals.exercise_affinities.insert(exercise.id, -0.6);
    signals.recent_difficulty = Some(4.5);
    signals.adherence_28_days = Some(0.8);
    let muscle = exercise.primary_muscles[0];
    signals.muscle_affinities.insert(muscle, 0.2);
    signals.muscles.push(MuscleSignal {
        muscle,
        last_trained_at: common::now(),
        sets_last_7_days: 12,
    });
    let row = features(&snapshot, &exercise, &CohortTables::empty());
    assert_eq!(value(&row, "category_affinity"), 0.4);
    assert_eq!(value(&row, "category_affinity_known"), 1.0);
    assert_eq!(value(&row, "muscle_affinity"), 0.2);
    assert_eq!(value(&row, "exercise_affinity"), -0.6);
    assert_eq!(value(&row, "recent_difficulty_centred"), 1.5);
    assert_eq!(value(&row, "adherence_28_days"), 0.8);
    assert_eq!(value(&row, "adherence_28_days_missing"), 0.0);
    assert_eq!(value(&row, "difficulty_minus_level"), 2.0);
    assert_eq!(value(&row, "difficulty_above_level"), 2.0);
    assert_eq!(value(&row, "recovery_red"), 1.0);
    assert_eq!(value(&row, "strain_x_difficulty"), 2.0);
    assert_eq!(value(&row, "difficulty_gap_x_recent_difficulty"), 3.0);
    assert_eq!(value(&row, "primary_muscle_sets_7d"), 12.0);
}

#[test]
fn non_finite_signals_count_as_missing() {
    let exercise = common::exercise(3, Category::Stretching, Difficulty::Beginner);
    let mut snapshot = beginner();
    snapshot
        .signals
        .category_affinities
        .insert(Category::Stretching, f64::NAN);
    snapshot.signals.adherence_28_days = Some(f64::INFINITY);
    snapshot.signals.recent_difficulty = Some(f64::NAN);
    let row = features(&snapshot, &exercise, &CohortTables::empty());
    assert!(row.iter().all(|value| value.is_finite()));
    assert_eq!(value(&row, "category_affinity_known"), 0.0);
    assert_eq!(value(&row, "adherence_28_days_missing"), 1.0);
    assert_eq!(value(&row, "recent_difficulty_missing"), 1.0);
}

#[test]
fn the_schema_hash_is_stable_and_follows_the_names() {
    let hash = feature_schema_hash();
    assert_eq!(hash, feature_schema_hash());
    assert_eq!(hash, hash_feature_names(FEATURE_NAMES));
    assert_eq!(hash.len(), 64);
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));

    let mut renamed = FEATURE_NAMES.to_vec();
    renamed[0] = "level_renamed";
    assert_ne!(hash_feature_names(&renamed), hash);
    assert_ne!(hash_feature_names(&FEATURE_NAMES[1..]), hash);
    assert_ne!(
        hash_feature_names(&["a", "b"]),
        hash_feature_names(&["b", "a"])
    );
    assert_ne!(hash_feature_names(&["ab"]), hash_feature_names(&["a", "b"]));
}

fn example(exercise: &Arc<subgraph_common::catalog::ExerciseSummary>, completed: bool) -> Example {
    Example {
        workout_id: Uuid::from_u128(1),
        user_id: Uuid::from_u128(2),
        day: NaiveDate::from_ymd_opt(2026, 11, 1).expect("a real date"),
        snapshot: Arc::new(beginner()),
        exercise: exercise.clone(),
        completed,
        effective: completed,
    }
}

#[test]
fn cohort_rates_are_smoothed_towards_the_level_above() {
    let squat = Arc::new(common::exercise(
        1,
        Category::Strength,
        Difficulty::Beginner,
    ));
    let stretch = Arc::new(common::exercise(
        2,
        Category::Stretching,
        Difficulty::Beginner,
    ));
    let mut examples = vec![example(&squat, true); 4];
    examples.push(example(&squat, false));
    examples.extend(vec![example(&stretch, false); 5]);
    let tables = CohortTables::build(&examples);
    let (goal, level) = (Goal::MuscleGain, FitnessLevel::Beginner);

    // Population: 4 of 10 completed, prior 0.5 worth 10 observations.
    let population = (4.0 + 10.0 * 0.5) / 20.0;
    assert!((tables.population_rate() - population).abs() < 1e-12);
    let cohort = (4.0 + 10.0 * population) / 20.0;
    let squat_rate = (4.0 + 10.0 * cohort) / 15.0;
    assert!((tables.exercise_rate(goal, level, squat.id) - squat_rate).abs() < 1e-12);
    let strength_rate = tables.category_rate(goal, level, Category::Strength);
    assert!(
        (strength_rate - squat_rate).abs() < 1e-12,
        "one exercise per category"
    );
    let unseen = tables.exercise_rate(goal, level, Uuid::from_u128(99));
    assert!((unseen - cohort).abs() < 1e-12);
    let other_cohort = tables.exercise_rate(Goal::Endurance, level, squat.id);
    assert!((other_cohort - population).abs() < 1e-12);

    let row = features(&beginner(), &squat, &tables);
    assert_eq!(value(&row, "cohort_exercise_rate"), squat_rate);
    assert_eq!(value(&row, "cohort_category_rate"), strength_rate);
}

#[test]
fn cohort_tables_survive_json() {
    let (_, trained) = common::standard();
    let tables = &trained.artifact.cohorts;
    let json = serde_json::to_string(tables).expect("tables serialise");
    let back: CohortTables = serde_json::from_str(&json).expect("tables deserialise");
    assert_eq!(&back, tables);
    assert!(tables.observations() > 0);
}

#[test]
fn muscle_affinity_averages_the_known_primary_muscles() {
    let mut exercise = common::exercise(4, Category::Strength, Difficulty::Beginner);
    exercise.primary_muscles = vec![Muscle::Chest, Muscle::Triceps, Muscle::Shoulders];
    let mut snapshot = beginner();
    snapshot
        .signals
        .muscle_affinities
        .insert(Muscle::Chest, 0.6);
    snapshot
        .signals
        .muscle_affinities
        .insert(Muscle::Triceps, -0.2);
    let row = features(&snapshot, &exercise, &CohortTables::empty());
    assert!((value(&row, "muscle_affinity") - 0.2).abs() < 1e-12);
    assert_eq!(value(&row, "muscle_affinity_known"), 1.0);
}
