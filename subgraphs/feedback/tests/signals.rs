//! `User.trainingSignals` over a constructed history, with the catalog read from the real
//! exercises subgraph, and its cost for many users.

mod exercises_support;
mod support;

use std::collections::BTreeSet;

use chrono::{DateTime, NaiveDate, NaiveTime, SubsecRound, TimeDelta, Utc};
use exercises_support::exercises_server;
use feedback_subgraph::router;
use serde_json::{Value, json};
use subgraph_common::catalog::{CatalogClient, ExerciseSummary};
use subgraph_common::db_tests;
use subgraph_common::testing::{Backend, error_codes, spawn_router, test_credential};
use subgraph_common::vocab::Muscle;
use support::*;

db_tests!(
    training_signals_on_a_constructed_history,
    affinities_training_days_and_last_sessions_on_a_constructed_history,
    signals_of_100_users_read_only_the_callers_history,
    signals_need_the_catalog_only_to_interpret_history,
);

const SIGNALS: &str = "query($reps: [_Any!]!, $asOf: DateTime) { _entities(representations: $reps) { ... on User { \
    id trainingSignals(asOf: $asOf) { asOf \
        muscleGroups { muscle lastTrainedAt setsLast7Days } \
        categoryAffinities { category score } \
        recentDifficulty adherence28Days \
        estimatedOneRepMaxes { exerciseId kg fromSetLoggedAt } } } } }";

const RICHER_SIGNALS: &str = "query($reps: [_Any!]!, $asOf: DateTime) { _entities(representations: $reps) { ... on User { \
    trainingSignals(asOf: $asOf) { \
        muscleAffinities { muscle score } \
        exerciseAffinities { exerciseId score evidence } \
        trainingDays \
        lastSessions { exerciseId date sets { reps loadKg repsInReserve } } } } } }";

fn user_reps(users: &[String]) -> Value {
    json!(
        users
            .iter()
            .map(|id| json!({ "__typename": "User", "id": id }))
            .collect::<Vec<_>>()
    )
}

/// Two exercises of different categories whose primary muscles do not overlap, chosen
/// by name so every run picks the same ones.
async fn two_distinct_exercises(url: String) -> (ExerciseSummary, ExerciseSummary) {
    let catalog = CatalogClient::new(url).with_credential(test_credential());
    catalog
        .refresh()
        .await
        .expect("the exercises subgraph serves the catalog");
    let mut all: Vec<ExerciseSummary> = catalog.exercises().await.values().cloned().collect();
    all.sort_by(|a, b| a.name.cmp(&b.name));
    let lift = all
        .iter()
        .find(|e| !e.primary_muscles.is_empty())
        .expect("an exercise with muscles")
        .clone();
    let other = all
        .iter()
        .find(|e| {
            e.category != lift.category
                && !e.primary_muscles.is_empty()
                && e.primary_muscles
                    .iter()
                    .all(|m| !lift.primary_muscles.contains(m))
        })
        .expect("an exercise of another category and other muscles")
        .clone();
    (lift, other)
}

struct History<'a> {
    feedback: &'a Feedback,
    user: String,
    as_of: DateTime<Utc>,
    writes: usize,
}

impl History<'_> {
    /// Runs a write as the user whose history this is.
    async fn run(&self, mutation: &str, input: Value) -> Value {
        let user = signed_in(&self.user);
        self.feedback
            .run_as(&user, mutation, json!({ "input": input }))
            .await
    }

    fn key(&mut self, kind: &str) -> String {
        self.writes += 1;
        format!("{kind}-{}-{}", self.writes, self.user)
    }

    fn days_ago(&self, days: i64) -> DateTime<Utc> {
        self.as_of - TimeDelta::days(days)
    }

    async fn set(&mut self, exercise: &ExerciseSummary, days: i64, reps: i32, load_kg: f64) {
        let mut input = set_input(
            &self.key("set"),
            &self.user,
            &exercise.id.to_string(),
            reps,
            load_kg,
        );
        input["loggedAt"] = json!(self.days_ago(days));
        // `set_input`'s workout is shared by every user, and a workout is one user's.
        input["workoutId"] = json!(new_id());
        let response = self.run(LOG_SET, input).await;
        assert_eq!(error_codes(&response), Vec::<String>::new(), "{response}");
    }

    /// Noon (UTC) of the day `days` before `as_of`, plus `minutes`: a time whose day does
    /// not depend on the hour the test runs at.
    fn noon(&self, days: i64, minutes: i64) -> DateTime<Utc> {
        let day = self.days_ago(days).date_naive();
        day.and_time(NaiveTime::from_hms_opt(12, 0, 0).expect("noon exists"))
            .and_utc()
            + TimeDelta::minutes(minutes)
    }

    /// Logs set `set_index` of `exercise` in `workout` at `at`: (reps, load, RIR).
    async fn set_of(
        &mut self,
        exercise: &str,
        workout: &str,
        (set_index, at): (i32, DateTime<Utc>),
        (reps, load_kg, reps_in_reserve): (i32, f64, Option<i32>),
    ) {
        let mut input = set_input(&self.key("set"), &self.user, exercise, reps, load_kg);
        input["workoutId"] = json!(workout);
        input["setIndex"] = json!(set_index);
        input["repsInReserve"] = json!(reps_in_reserve);
        input["loggedAt"] = json!(at);
        let response = self.run(LOG_SET, input).await;
        assert_eq!(error_codes(&response), Vec::<String>::new(), "{response}");
    }

    async fn completion(&mut self, days: i64, outcomes: Vec<Value>) {
        let mut input = completion_input(&self.key("done"), &self.user, &new_id(), outcomes);
        input["completedAt"] = json!(self.days_ago(days));
        let response = self.run(COMPLETE_WORKOUT, input).await;
        assert_eq!(error_codes(&response), Vec::<String>::new(), "{response}");
    }

    async fn rating(&mut self, exercise: &ExerciseSummary, rating: i32) {
        let input = json!({ "idempotencyKey": self.key("rate"), "userId": self.user,
                            "exerciseId": exercise.id.to_string(), "rating": rating });
        let response = self.run(RATE_EXERCISE, input).await;
        assert_eq!(error_codes(&response), Vec::<String>::new(), "{response}");
    }
}

fn time(value: &Value) -> DateTime<Utc> {
    value
        .as_str()
        .and_then(|text| text.parse().ok())
        .unwrap_or_else(|| panic!("a DateTime, got {value}"))
}

/// `lift` is trained heavily and liked; `other` is done light, skipped often and disliked.
async fn build_history(history: &mut History<'_>, lift: &ExerciseSummary, other: &ExerciseSummary) {
    let (lift_id, other_id) = (lift.id.to_string(), other.id.to_string());
    history.set(lift, 1, 5, 100.0).await; // Epley 116.67
    history.set(lift, 3, 3, 110.0).await; // Epley 121: the best
    history.set(lift, 6, 12, 70.0).await; // Epley 98
    history.set(lift, 10, 1, 120.0).await; // a single: 120, outside the 7-day volume window
    history.set(lift, 100, 1, 200.0).await; // older than every window
    history.set(other, 2, 20, 0.0).await; // bodyweight: volume, no estimate
    history
        .completion(
            2,
            vec![
                outcome(&lift_id, true, false, Some(4)),
                outcome(&other_id, false, true, None),
            ],
        )
        .await;
    history
        .completion(
            20,
            vec![
                outcome(&lift_id, true, false, Some(2)),
                outcome(&other_id, true, false, Some(3)),
            ],
        )
        .await;
    history
        .completion(40, vec![outcome(&other_id, false, true, None)])
        .await;
    history.rating(lift, 5).await;
    history.rating(other, 2).await;
}

async fn training_signals_on_a_constructed_history(backend: Backend) {
    let exercises = exercises_server().await;
    let feedback = feedback(
        backend,
        &settings_with_exercises_at(exercises.server.graphql_url()),
    )
    .await;
    let (lift, other) = two_distinct_exercises(exercises.server.graphql_url()).await;
    let as_of = Utc::now().trunc_subsecs(0) + TimeDelta::minutes(1);
    let mut history = History {
        feedback: &feedback,
        user: new_id(),
        as_of,
        writes: 0,
    };
    build_history(&mut history, &lift, &other).await;

    let server = spawn_router(router(feedback.schema.clone(), test_credential())).await;
    let response = server
        .graphql_as(
            &signed_in(&history.user),
            SIGNALS,
            json!({ "reps": user_reps(&[history.user.clone()]), "asOf": as_of }),
        )
        .await;
    assert_eq!(error_codes(&response), Vec::<String>::new(), "{response}");
    let signals = &response["data"]["_entities"][0]["trainingSignals"];

    let muscles: Vec<(Muscle, i64, DateTime<Utc>)> = signals["muscleGroups"]
        .as_array()
        .expect("muscleGroups")
        .iter()
        .map(|m| {
            (
                serde_json::from_value(m["muscle"].clone()).expect("a muscle"),
                m["setsLast7Days"].as_i64().expect("sets"),
                time(&m["lastTrainedAt"]),
            )
        })
        .collect();
    let mut expected: Vec<(Muscle, i64, DateTime<Utc>)> = lift
        .primary_muscles
        .iter()
        .map(|&m| (m, 3, as_of - TimeDelta::days(1)))
        .collect();
    expected.extend(
        other
            .primary_muscles
            .iter()
            .map(|&m| (m, 1, as_of - TimeDelta::days(2))),
    );
    expected.sort_by_key(|(muscle, _, _)| *muscle);
    assert_eq!(muscles, expected);

    let maxes = signals["estimatedOneRepMaxes"]
        .as_array()
        .expect("estimatedOneRepMaxes");
    assert_eq!(maxes.len(), 1, "{signals}");
    assert_eq!(maxes[0]["exerciseId"], json!(lift.id.to_string()));
    assert!(
        (maxes[0]["kg"].as_f64().expect("kg") - 121.0).abs() < 1e-9,
        "{signals}"
    );
    assert_eq!(
        time(&maxes[0]["fromSetLoggedAt"]),
        as_of - TimeDelta::days(3)
    );

    assert_eq!(
        signals["adherence28Days"], 0.75,
        "3 of the 4 exercises prescribed in 28 days were completed"
    );
    assert_eq!(
        signals["recentDifficulty"], 4.0,
        "only the workout 2 days ago is within 14 days"
    );
    let affinities: BTreeSet<(String, String)> = signals["categoryAffinities"]
        .as_array()
        .expect("categoryAffinities")
        .iter()
        .map(|a| {
            (
                a["category"].as_str().expect("category").to_owned(),
                a["score"].to_string(),
            )
        })
        .collect();
    let expected_affinities = BTreeSet::from([
        (lift.category.as_str().to_owned(), "1.0".to_owned()), // +1 +1 and a 5 (+1)
        (other.category.as_str().to_owned(), "-0.375".to_owned()), // -1 +1 -1 and a 2 (-0.5)
    ]);
    assert_eq!(affinities, expected_affinities);
    assert_eq!(time(&signals["asOf"]), as_of);
}

/// A caller sees only their own signals: among 100 users' representations (four with
/// history), the others read nothing and show the signals of someone without history.
async fn signals_of_100_users_read_only_the_callers_history(backend: Backend) {
    let exercises = exercises_server().await;
    let feedback = feedback(
        backend,
        &settings_with_exercises_at(exercises.server.graphql_url()),
    )
    .await;
    let (lift, other) = two_distinct_exercises(exercises.server.graphql_url()).await;
    let as_of = Utc::now().trunc_subsecs(0) + TimeDelta::minutes(1);
    let users: Vec<String> = (0..100).map(|_| new_id()).collect();
    for user in users.iter().step_by(25) {
        let mut history = History {
            feedback: &feedback,
            user: user.clone(),
            as_of,
            writes: 0,
        };
        build_history(&mut history, &lift, &other).await;
    }

    feedback.log.clear();
    let caller = signed_in(&users[25]);
    let response = feedback
        .run_as(
            &caller,
            SIGNALS,
            json!({ "reps": user_reps(&users), "asOf": as_of }),
        )
        .await;
    assert_eq!(error_codes(&response), Vec::<String>::new(), "{response}");
    let statements = feedback.log.statements();
    for table in ["set_logs", "exercise_outcomes", "exercise_ratings"] {
        assert_eq!(
            feedback.log.selects_from(table),
            1,
            "one SELECT from {table}: {statements:#?}"
        );
    }
    assert_eq!(statements.len(), 3, "nothing else is read: {statements:#?}");

    let entities = response["data"]["_entities"].as_array().expect("entities");
    assert_eq!(entities.len(), 100);
    for (index, entity) in entities.iter().enumerate() {
        assert_eq!(entity["id"], json!(users[index]));
        let shown = index == 25;
        let signals = &entity["trainingSignals"];
        assert_eq!(
            signals["adherence28Days"] == 0.75,
            shown,
            "user {index}: {entity}"
        );
        if !shown {
            assert_eq!(
                (
                    &signals["muscleGroups"],
                    &signals["estimatedOneRepMaxes"],
                    &signals["adherence28Days"]
                ),
                (&json!([]), &json!([]), &Value::Null),
                "user {index} shows nothing, history or not: {entity}"
            );
        }
    }
}

async fn signals_need_the_catalog_only_to_interpret_history(backend: Backend) {
    let feedback = feedback_alone(backend).await;
    let (newcomer, veteran) = (new_id(), new_id());
    let response = feedback
        .run_as(
            &signed_in(&newcomer),
            SIGNALS,
            json!({ "reps": user_reps(std::slice::from_ref(&newcomer)) }),
        )
        .await;
    let signals = &response["data"]["_entities"][0]["trainingSignals"];
    assert_eq!(error_codes(&response), Vec::<String>::new(), "{response}");
    assert_eq!(
        (
            signals["muscleGroups"].clone(),
            signals["adherence28Days"].clone()
        ),
        (json!([]), Value::Null)
    );

    let set = feedback
        .run_as(
            &signed_in(&veteran),
            LOG_SET,
            json!({ "input": set_input("set-veteran-1", &veteran, &new_id(), 5, 50.0) }),
        )
        .await;
    assert!(set["data"]["logSet"]["id"].is_string(), "{set}");
    let response = feedback
        .run_as(
            &signed_in(&veteran),
            SIGNALS,
            json!({ "reps": user_reps(std::slice::from_ref(&veteran)) }),
        )
        .await;
    assert_eq!(
        error_codes(&response),
        ["INTERNAL_SERVER_ERROR"],
        "no catalog was ever loaded: {response}"
    );
    assert_eq!(
        response["errors"][0]["message"],
        "internal error; it has been logged"
    );
}

/// `lift` was trained in two workouts, the later one logged out of set order; `other` in
/// one 41 days ago; a third exercise only 43 days ago. Completions and a rating vote.
async fn build_richer_history(
    history: &mut History<'_>,
    lift: &ExerciseSummary,
    other: &ExerciseSummary,
    forgotten: &str,
) {
    let (lift_id, other_id) = (lift.id.to_string(), other.id.to_string());
    let (earlier, later) = (new_id(), new_id());
    for (index, minutes) in [(1, 0), (2, 3)] {
        let at = history.noon(10, minutes);
        history
            .set_of(&lift_id, &earlier, (index, at), (5, 100.0, Some(2)))
            .await;
    }
    let later_sets = [
        (2, 0, (6, 105.0, Some(1))),
        (1, 1, (8, 100.0, Some(3))),
        (3, 2, (4, 110.0, None)),
    ];
    for (index, minutes, set) in later_sets {
        let at = history.noon(3, minutes);
        history.set_of(&lift_id, &later, (index, at), set).await;
    }
    let at = history.noon(41, 0);
    history
        .set_of(&other_id, &new_id(), (1, at), (10, 20.0, Some(2)))
        .await;
    let at = history.noon(43, 0);
    history
        .set_of(forgotten, &new_id(), (1, at), (3, 50.0, None))
        .await;
    let partly = outcome(&other_id, false, false, Some(3));
    history
        .completion(20, vec![outcome(&lift_id, true, false, None), partly])
        .await;
    history
        .completion(15, vec![outcome(&other_id, false, true, None)])
        .await;
    history
        .completion(29, vec![outcome(&lift_id, true, false, None)])
        .await;
    history.rating(lift, 4).await;
}

fn day(value: &Value) -> NaiveDate {
    value
        .as_str()
        .and_then(|text| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
        .unwrap_or_else(|| panic!("a YYYY-MM-DD day, got {value}"))
}

async fn affinities_training_days_and_last_sessions_on_a_constructed_history(backend: Backend) {
    let exercises = exercises_server().await;
    let url = exercises.server.graphql_url();
    let feedback = feedback(backend, &settings_with_exercises_at(url.clone())).await;
    let (lift, other) = two_distinct_exercises(url).await;
    let as_of = Utc::now().trunc_subsecs(0) + TimeDelta::minutes(1);
    let mut history = History {
        feedback: &feedback,
        user: new_id(),
        as_of,
        writes: 0,
    };
    build_richer_history(&mut history, &lift, &other, &new_id()).await;

    let server = spawn_router(router(feedback.schema.clone(), test_credential())).await;
    let variables =
        json!({ "reps": user_reps(std::slice::from_ref(&history.user)), "asOf": as_of });
    let response = server
        .graphql_as(&signed_in(&history.user), RICHER_SIGNALS, variables)
        .await;
    assert_eq!(error_codes(&response), Vec::<String>::new(), "{response}");
    let signals = &response["data"]["_entities"][0]["trainingSignals"];

    assert_affinities(signals, &lift, &other);
    assert_days_and_sessions(signals, &history, &lift, &other);
}

/// The votes of `build_richer_history`, per exercise and per primary muscle.
fn assert_affinities(signals: &Value, lift: &ExerciseSummary, other: &ExerciseSummary) {
    // lift: +1 (20 days), +1 (29 days), a 4 (+0.5); other: partly done (0), skipped (-1).
    let (lift_score, other_score) = (2.5 / 3.0, -0.5);
    let mut expected_exercises = vec![
        (lift.id.to_string(), lift_score, 3),
        (other.id.to_string(), other_score, 2),
    ];
    expected_exercises.sort_by(|a, b| a.0.cmp(&b.0));
    let exercises: Vec<(String, f64, i64)> = signals["exerciseAffinities"]
        .as_array()
        .expect("exerciseAffinities")
        .iter()
        .map(|a| {
            let id = a["exerciseId"].as_str().expect("an id").to_owned();
            (
                id,
                a["score"].as_f64().expect("a score"),
                a["evidence"].as_i64().expect("evidence"),
            )
        })
        .collect();
    assert_eq!(exercises.len(), 2, "sets alone are no evidence: {signals}");
    for (got, want) in exercises.iter().zip(&expected_exercises) {
        assert_eq!((&got.0, got.2), (&want.0, want.2), "{signals}");
        assert!((got.1 - want.1).abs() < 1e-9, "{signals}");
    }

    let mut expected_muscles: Vec<(Muscle, f64)> = lift
        .primary_muscles
        .iter()
        .map(|&m| (m, lift_score))
        .chain(other.primary_muscles.iter().map(|&m| (m, other_score)))
        .collect();
    expected_muscles.sort_by_key(|(muscle, _)| *muscle);
    let muscles: Vec<(Muscle, f64)> = signals["muscleAffinities"]
        .as_array()
        .expect("muscleAffinities")
        .iter()
        .map(|m| {
            let muscle = serde_json::from_value(m["muscle"].clone()).expect("a muscle");
            (muscle, m["score"].as_f64().expect("a score"))
        })
        .collect();
    assert_eq!(muscles.len(), expected_muscles.len(), "{signals}");
    for (got, want) in muscles.iter().zip(&expected_muscles) {
        assert_eq!(got.0, want.0, "{signals}");
        assert!((got.1 - want.1).abs() < 1e-9, "{signals}");
    }
}

/// Training days and last sessions of `build_richer_history`.
fn assert_days_and_sessions(
    signals: &Value,
    history: &History<'_>,
    lift: &ExerciseSummary,
    other: &ExerciseSummary,
) {
    let days: Vec<NaiveDate> = signals["trainingDays"]
        .as_array()
        .expect("trainingDays")
        .iter()
        .map(day)
        .collect();
    let expected_days: Vec<NaiveDate> = [20, 10, 3]
        .into_iter()
        .map(|days| history.days_ago(days).date_naive())
        .collect();
    assert_eq!(
        days, expected_days,
        "three sets on one day count once; skips, partly done and 29+ days are no training"
    );

    let mut expected_sessions = vec![
        json!({ "exerciseId": lift.id.to_string(), "date": history.days_ago(3).date_naive().to_string(),
                "sets": [{ "reps": 8, "loadKg": 100.0, "repsInReserve": 3 },
                         { "reps": 6, "loadKg": 105.0, "repsInReserve": 1 },
                         { "reps": 4, "loadKg": 110.0, "repsInReserve": null }] }),
        json!({ "exerciseId": other.id.to_string(), "date": history.days_ago(41).date_naive().to_string(),
                "sets": [{ "reps": 10, "loadKg": 20.0, "repsInReserve": 2 }] }),
    ];
    expected_sessions.sort_by(|a, b| a["exerciseId"].as_str().cmp(&b["exerciseId"].as_str()));
    assert_eq!(
        signals["lastSessions"],
        json!(expected_sessions),
        "the later workout of lift in set order, other's from 41 days ago, nothing from 43"
    );
}
