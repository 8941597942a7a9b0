//! `seed --scale` on a small scale, on each backend: exactly the rows asked for, nothing
//! new on a rerun, people the real gateway serves like anyone else, and a history the
//! ranker trains on by copying the outcomes feed, as it does after real use.

mod support;

use std::collections::{HashMap, HashSet};

use chrono::{NaiveDate, TimeDelta};
use fitgraph::scale::{HISTORY_DAYS, ScaleOptions, ScaleSummary, email, seed_scale};
use fitgraph_entities::feedback::{
    exercise_outcomes, exercise_ratings, set_logs, workout_completions,
};
use fitgraph_entities::plans::{recommendations, workout_exercises, workout_outcomes, workouts};
use fitgraph_entities::profile::{user_equipment, users, wearable_readings};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, PaginatorTrait, QueryFilter, QuerySelect,
};
use serde_json::json;
use subgraph_common::testing::Backend;
use subgraph_common::{Silent, SubgraphName, db_tests};
use support::{Caller, Stack};
use uuid::Uuid;

const OPTIONS: ScaleOptions = ScaleOptions {
    users: 40,
    feedback_rows: 3_000,
    seed: 11,
};

db_tests!(
    exactly_the_asked_rows_and_a_rerun_adds_none,
    generated_people_are_served_and_trained_on,
);

async fn seeded(backend: Backend) -> (Stack, ScaleSummary) {
    let stack = Stack::start(backend).await;
    let summary = seed_scale(&stack.settings, OPTIONS, &Silent)
        .await
        .expect("the population seeds");
    (stack, summary)
}

fn db(stack: &Stack, name: SubgraphName) -> &DatabaseConnection {
    &stack.subgraph(name).connection
}

/// Rows per table: the profile tables for generated people only (the demo users have
/// their own), the others whole.
#[derive(Debug, PartialEq, Eq)]
struct Counts {
    users: u64,
    equipment: u64,
    readings: u64,
    workouts: u64,
    workout_exercises: u64,
    recommendations: u64,
    completions: u64,
    outcomes: u64,
    set_logs: u64,
    ratings: u64,
}

impl Counts {
    fn feedback_rows(&self) -> u64 {
        self.completions + self.outcomes + self.set_logs + self.ratings
    }
}

async fn generated_users(stack: &Stack) -> Vec<users::Model> {
    users::Entity::find()
        .filter(users::Column::Email.like("scale-%@fitgraph.test"))
        .all(db(stack, SubgraphName::Profile))
        .await
        .expect("users read")
}

async fn counts(stack: &Stack) -> Counts {
    let profile = db(stack, SubgraphName::Profile);
    let plans = db(stack, SubgraphName::Plans);
    let feedback = db(stack, SubgraphName::Feedback);
    let ids: Vec<Uuid> = generated_users(stack).await.iter().map(|u| u.id).collect();
    let read = "counts read";
    Counts {
        users: ids.len() as u64,
        equipment: user_equipment::Entity::find()
            .filter(user_equipment::Column::UserId.is_in(ids.clone()))
            .count(profile)
            .await
            .expect(read),
        readings: wearable_readings::Entity::find()
            .filter(wearable_readings::Column::UserId.is_in(ids))
            .count(profile)
            .await
            .expect(read),
        workouts: workouts::Entity::find().count(plans).await.expect(read),
        workout_exercises: workout_exercises::Entity::find()
            .count(plans)
            .await
            .expect(read),
        recommendations: recommendations::Entity::find()
            .count(plans)
            .await
            .expect(read),
        completions: workout_completions::Entity::find()
            .count(feedback)
            .await
            .expect(read),
        outcomes: exercise_outcomes::Entity::find()
            .count(feedback)
            .await
            .expect(read),
        set_logs: set_logs::Entity::find().count(feedback).await.expect(read),
        ratings: exercise_ratings::Entity::find()
            .count(feedback)
            .await
            .expect(read),
    }
}

fn written(summary: &ScaleSummary) -> Counts {
    let activity = &summary.activity;
    Counts {
        users: summary.users,
        equipment: summary.equipment,
        readings: summary.readings,
        workouts: activity.workouts,
        workout_exercises: activity.workout_exercises,
        recommendations: activity.recommendations,
        completions: activity.completions,
        outcomes: activity.outcomes,
        set_logs: activity.set_logs,
        ratings: activity.ratings,
    }
}

async fn exactly_the_asked_rows_and_a_rerun_adds_none(backend: Backend) {
    let (stack, first) = seeded(backend).await;
    let stored = counts(&stack).await;
    assert_eq!(
        written(&first),
        stored,
        "the summary counts what was written"
    );
    assert_eq!(stored.feedback_rows(), OPTIONS.feedback_rows);
    assert_eq!(first.activity.feedback_rows(), OPTIONS.feedback_rows);
    let emails: HashSet<String> = generated_users(&stack)
        .await
        .into_iter()
        .map(|u| u.email)
        .collect();
    let expected: HashSet<String> = (0..OPTIONS.users).map(email).collect();
    assert_eq!(emails, expected);
    assert_eq!(stored.workouts, stored.recommendations);
    assert!(stored.equipment > 0 && stored.readings > 0, "{stored:?}");
    assert!(stored.set_logs > 0 && stored.ratings > 0, "{stored:?}");
    assert!(
        first.activity.people > 0 && first.activity.people < u64::from(OPTIONS.users),
        "history goes to the first people until the rows are placed: {}",
        first.activity.people
    );
    assert_history_is_consistent(&stack).await;

    let again = seed_scale(&stack.settings, OPTIONS, &Silent)
        .await
        .expect("a rerun succeeds");
    let nothing = Counts {
        users: 0,
        equipment: 0,
        readings: 0,
        workouts: 0,
        workout_exercises: 0,
        recommendations: 0,
        completions: 0,
        outcomes: 0,
        set_logs: 0,
        ratings: 0,
    };
    assert_eq!(written(&again), nothing);
    assert_eq!(counts(&stack).await, stored);
}

/// Feedback refers to plans' workouts of the same user, everything lies in the last
/// `HISTORY_DAYS` days, and each completion lists exactly its workout's exercises.
async fn assert_history_is_consistent(stack: &Stack) {
    let plans = db(stack, SubgraphName::Plans);
    let feedback = db(stack, SubgraphName::Feedback);
    let owners: HashMap<Uuid, (Uuid, NaiveDate)> = workouts::Entity::find()
        .all(plans)
        .await
        .expect("workouts read")
        .into_iter()
        .map(|w| (w.id, (w.user_id, w.scheduled_date)))
        .collect();
    let today = subgraph_common::clock::today();
    let window = today - TimeDelta::days(i64::from(HISTORY_DAYS))..today;
    assert!(owners.values().all(|(_, day)| window.contains(day)));
    let prescribed = prescribed_by_workout(plans).await;
    let completions = workout_completions::Entity::find()
        .all(feedback)
        .await
        .expect("read");
    let outcomes = exercise_outcomes::Entity::find()
        .all(feedback)
        .await
        .expect("read");
    for completion in &completions {
        assert_eq!(
            owners.get(&completion.workout_id).map(|o| o.0),
            Some(completion.user_id)
        );
        let listed: HashSet<Uuid> = outcomes
            .iter()
            .filter(|o| o.completion_id == completion.id)
            .map(|o| o.exercise_id)
            .collect();
        assert_eq!(Some(&listed), prescribed.get(&completion.workout_id));
    }
    for set in set_logs::Entity::find().all(feedback).await.expect("read") {
        assert_eq!(owners.get(&set.workout_id).map(|o| o.0), Some(set.user_id));
    }
}

async fn prescribed_by_workout(plans: &DatabaseConnection) -> HashMap<Uuid, HashSet<Uuid>> {
    let mut by_workout: HashMap<Uuid, HashSet<Uuid>> = HashMap::new();
    for row in workout_exercises::Entity::find()
        .all(plans)
        .await
        .expect("read")
    {
        by_workout
            .entry(row.workout_id)
            .or_default()
            .insert(row.exercise_id);
    }
    by_workout
}

async fn generated_people_are_served_and_trained_on(backend: Backend) {
    let (stack, summary) = seeded(backend).await;
    let (busiest, generated) = busiest_user(&stack).await;
    let caller = Caller::user(&busiest.to_string());
    let history = stack
        .ok(
            &caller,
            "{ me { email workouts { id } trainingSignals { trainingDays } } }",
            json!({}),
        )
        .await;
    assert!(
        history["me"]["email"]
            .as_str()
            .is_some_and(|e| e.starts_with("scale-"))
    );
    let seen = history["me"]["workouts"].as_array().map_or(0, Vec::len);
    assert_eq!(
        seen as u64, generated,
        "the graph lists the generated workouts"
    );
    let days = &history["me"]["trainingSignals"]["trainingDays"];
    assert!(
        days.as_array().is_some_and(|d| !d.is_empty()),
        "{history:#}"
    );
    let last = generated_users(&stack)
        .await
        .into_iter()
        .find(|u| u.email == email(OPTIONS.users - 1));
    for user in [busiest, last.expect("the last user exists").id] {
        assert_today_works(&stack, user).await;
    }
    assert_training_reads_the_history(&stack, &summary).await;
}

/// The generated user with the most workouts, and how many they have.
async fn busiest_user(stack: &Stack) -> (Uuid, u64) {
    let owners: Vec<Uuid> = workouts::Entity::find()
        .select_only()
        .column(workouts::Column::UserId)
        .into_tuple()
        .all(db(stack, SubgraphName::Plans))
        .await
        .expect("workouts read");
    let mut per_user: HashMap<Uuid, u64> = HashMap::new();
    for owner in owners {
        *per_user.entry(owner).or_default() += 1;
    }
    per_user
        .into_iter()
        .max_by_key(|(user, count)| (*count, *user))
        .expect("someone has a history")
}

async fn assert_today_works(stack: &Stack, user: Uuid) {
    let caller = Caller::user(&user.to_string());
    let query = "{ me { todayWorkout { id kind exercises { exercise { id } } } } }";
    let data = stack.ok(&caller, query, json!({})).await;
    let workout = &data["me"]["todayWorkout"];
    let kind = workout["kind"].as_str().unwrap_or_default();
    assert!(["TRAINING", "MOBILITY", "REST"].contains(&kind), "{data:#}");
    let exercises = workout["exercises"].as_array().map_or(0, Vec::len);
    assert!(kind == "REST" || exercises > 0, "{data:#}");
}

/// Training copies every generated completion from the feed and reads one example per
/// prescribed exercise of the generated workouts it may judge.
async fn assert_training_reads_the_history(stack: &Stack, summary: &ScaleSummary) {
    let plans = db(stack, SubgraphName::Plans);
    let recommender = plans_subgraph::recommender(plans.clone(), &stack.settings)
        .expect("the test settings carry the gateway secret");
    let report = recommender.train(&Silent).await.expect("training runs");
    let copied = workout_outcomes::Entity::find()
        .count(plans)
        .await
        .expect("read");
    assert_eq!(
        copied, summary.activity.outcomes,
        "every outcome came through the feed"
    );
    let completed = workouts::Entity::find()
        .filter(workouts::Column::Status.eq("COMPLETED"))
        .count(plans)
        .await
        .expect("read");
    assert_eq!(completed, summary.activity.completions);
    assert_eq!(report.examples as u64, expected_examples(stack).await);
    assert!(
        report.model.is_some(),
        "a model is trained: {}",
        report.decision
    );
}

/// One example per prescribed exercise of every non-rest workout before today, except
/// the last day's unreported ones, which training still waits for.
async fn expected_examples(stack: &Stack) -> u64 {
    let plans = db(stack, SubgraphName::Plans);
    let reported: HashSet<Uuid> = workout_completions::Entity::find()
        .all(db(stack, SubgraphName::Feedback))
        .await
        .expect("read")
        .into_iter()
        .map(|c| c.workout_id)
        .collect();
    let prescribed = prescribed_by_workout(plans).await;
    let today = subgraph_common::clock::today();
    recommendations::Entity::find()
        .filter(recommendations::Column::Kind.ne("REST"))
        .filter(recommendations::Column::Day.lt(today))
        .all(plans)
        .await
        .expect("read")
        .into_iter()
        .filter(|rec| (today - rec.day).num_days() >= 2 || reported.contains(&rec.workout_id))
        .map(|rec| prescribed.get(&rec.workout_id).map_or(0, HashSet::len) as u64)
        .sum()
}
