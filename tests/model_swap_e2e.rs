//! The ranker model is swapped while users are being served: a request never fails
//! because a swap happened, a corrupted artifact is refused with serving carrying on
//! with the model it had, and the next good one is picked up.

mod support;

use std::collections::HashSet;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use chrono::NaiveDate;
use fitgraph_entities::plans::ranker_models;
use fitgraph_ranker::{Artifact, Example, TrainConfig};
use fitgraph_rules::{TrainingSignals, UserSnapshot};
use plans_subgraph::recommend::registry;
use sea_orm::{DatabaseConnection, EntityTrait, IntoActiveModel};
use serde_json::{Value, json};
use subgraph_common::SubgraphName;
use subgraph_common::catalog::{CatalogClient, ExerciseSummary};
use subgraph_common::testing::{Backend, test_credential};
use subgraph_common::vocab::{FitnessLevel, Goal, RecoveryBand, TimeOfDay};
use support::{Caller, Stack};
use uuid::Uuid;

const USERS: usize = 9;

#[tokio::test]
async fn swapping_models_under_load_fails_no_request() {
    let stack = Arc::new(
        Stack::start_with(Backend::Sqlite, |settings| {
            settings.recommend.model_reload_secs = 1
        })
        .await,
    );
    stack.seed_library().await;
    let catalog = catalog(&stack).await;
    let [first, second, third] = [1, 2, 3].map(|seed| trained(&catalog, seed));
    let plans = stack.subgraph(SubgraphName::Plans).connection.clone();
    let admin = Caller::user_with(
        &Uuid::now_v7().to_string(),
        &["admin"],
        Duration::from_secs(600),
    );

    let mut users = Vec::new();
    for n in 0..USERS {
        users.push(onboard(&stack, n).await);
    }
    promote(&plans, &first).await;
    wait_for_serving(&stack, &admin, Some(&first.version)).await;

    let running = Arc::new(AtomicBool::new(true));
    let load = spawn_load(stack.clone(), users, running.clone());
    tokio::time::sleep(Duration::from_millis(1500)).await;
    promote(&plans, &second).await;
    wait_for_serving(&stack, &admin, Some(&second.version)).await;
    promote_corrupted(&plans).await;
    tokio::time::sleep(Duration::from_millis(2500)).await;
    assert_eq!(
        serving(&stack, &admin).await,
        Some(second.version.clone()),
        "a corrupted artifact never serves"
    );
    promote(&plans, &third).await;
    wait_for_serving(&stack, &admin, Some(&third.version)).await;
    tokio::time::sleep(Duration::from_millis(1500)).await;
    running.store(false, Ordering::SeqCst);
    let outcome = load.await.expect("the load task finishes");

    assert_eq!(outcome.failures, 0, "{:?}", outcome.first_failure);
    assert!(outcome.requests > 50, "the load ran: {}", outcome.requests);
    let seen: HashSet<&str> = outcome.model_versions.iter().map(String::as_str).collect();
    assert!(
        seen.len() >= 2,
        "workouts were ranked by several models: {seen:?}"
    );
}

/// The library as plans reads it, from the exercises subgraph.
async fn catalog(stack: &Stack) -> Vec<ExerciseSummary> {
    let client = CatalogClient::new(stack.settings.subgraph_url(SubgraphName::Exercises))
        .with_credential(test_credential());
    client.refresh().await.expect("the catalog loads");
    client.exercises().await.values().cloned().collect()
}

/// A model trained on a synthetic corpus; `seed` changes what it learned.
fn trained(catalog: &[ExerciseSummary], seed: u64) -> Artifact {
    let snapshot = Arc::new(UserSnapshot {
        goal: Goal::GeneralFitness,
        level: FitnessLevel::Intermediate,
        days_per_week: 4,
        session_minutes: 45,
        preferred_time: TimeOfDay::Morning,
        equipment: Default::default(),
        recovery: RecoveryBand::Green,
        signals: TrainingSignals::default(),
    });
    let start = NaiveDate::from_ymd_opt(2026, 1, 1).expect("a valid day");
    let examples: Vec<Example> = (0..900u64)
        .map(|n| {
            let exercise = &catalog[(n * 7 + seed) as usize % catalog.len()];
            let liked = !(exercise.id.as_u128() as u64)
                .wrapping_mul(seed + 11)
                .is_multiple_of(3);
            Example {
                workout_id: Uuid::from_u128(u128::from(n / 6)),
                user_id: Uuid::from_u128(u128::from(n % 40)),
                day: start + chrono::Duration::days((n % 21) as i64),
                snapshot: snapshot.clone(),
                exercise: Arc::new(exercise.clone()),
                completed: liked ^ (n % 9 == 0),
                effective: liked,
            }
        })
        .collect();
    let config = TrainConfig {
        holdout_days: 5,
        seed,
        ..TrainConfig::default()
    };
    fitgraph_ranker::train(&examples, &config, chrono::Utc::now(), &mut |_| {})
        .expect("the synthetic corpus trains")
        .artifact
}

async fn promote(plans: &DatabaseConnection, artifact: &Artifact) {
    registry::record(plans, artifact, true, "promoted by the test".into())
        .await
        .expect("the registry takes the model");
}

/// A promoted registry row whose artifact is garbage.
async fn promote_corrupted(plans: &DatabaseConnection) {
    let mut row = registry::list(plans, 1).await.expect("the registry reads")[0].clone();
    row.version = "r-corrupted".into();
    registry::retire_promoted(plans)
        .await
        .expect("the promoted model retires");
    let model = ranker_models::Model {
        id: Uuid::now_v7(),
        version: row.version,
        family: row.family,
        feature_schema_hash: row.feature_schema_hash,
        trained_at: row.trained_at,
        window_from: row.window_from,
        window_to: row.window_to,
        holdout_from: row.holdout_from,
        metrics: serde_json::to_string(&row.metrics).expect("metrics serialise"),
        artifact: b"{\"format\":1,\"version\":\"x\",\"trunc".to_vec(),
        status: registry::PROMOTED.into(),
        decision: "corrupted by the test".into(),
        promoted_at: Some(chrono::Utc::now()),
    };
    ranker_models::Entity::insert(model.into_active_model())
        .exec_without_returning(plans)
        .await
        .expect("the row is written");
}

async fn serving(stack: &Stack, admin: &Caller) -> Option<String> {
    let data = stack.ok(admin, "{ servingModelVersion }", json!({})).await;
    data["servingModelVersion"].as_str().map(str::to_owned)
}

async fn wait_for_serving(stack: &Stack, admin: &Caller, version: Option<&String>) {
    for _ in 0..100 {
        if serving(stack, admin).await.as_ref() == version {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{version:?} was never served");
}

async fn onboard(stack: &Stack, n: usize) -> (Caller, String) {
    let answers = json!({
        "displayName": format!("Load {n}"), "fitnessLevel": "INTERMEDIATE", "daysPerWeek": 5,
        "equipment": ["DUMBBELL"],
    });
    stack.onboard(answers).await
}

#[derive(Default)]
struct LoadOutcome {
    requests: usize,
    failures: usize,
    first_failure: Option<Value>,
    model_versions: Vec<String>,
}

/// Every user, in parallel, switches equipment (so today's workout is generated
/// again, ranked by whichever model serves) and asks for it, until told to stop.
fn spawn_load(
    stack: Arc<Stack>,
    users: Vec<(Caller, String)>,
    running: Arc<AtomicBool>,
) -> tokio::task::JoinHandle<LoadOutcome> {
    tokio::spawn(async move {
        let requests = Arc::new(AtomicUsize::new(0));
        let tasks: Vec<_> = users
            .into_iter()
            .map(|(caller, id)| {
                let (stack, running, requests) = (stack.clone(), running.clone(), requests.clone());
                tokio::spawn(
                    async move { user_loop(&stack, &caller, &id, &running, &requests).await },
                )
            })
            .collect();
        let mut outcome = LoadOutcome::default();
        for task in tasks {
            let (failures, first, versions) = task.await.expect("a user loop finishes");
            outcome.failures += failures;
            outcome.first_failure = outcome.first_failure.or(first);
            outcome.model_versions.extend(versions);
        }
        outcome.requests = requests.load(Ordering::SeqCst);
        outcome
    })
}

async fn user_loop(
    stack: &Stack,
    caller: &Caller,
    id: &str,
    running: &AtomicBool,
    requests: &AtomicUsize,
) -> (usize, Option<Value>, Vec<String>) {
    let switch = "mutation($id: ID!, $eq: [Equipment!]!) { setEquipment(userId: $id, equipment: $eq) { id } }";
    let today = "{ me { todayWorkout { id modelVersion exercises { exercise { name } } } } }";
    let kits = [json!(["DUMBBELL"]), json!(["DUMBBELL", "BENCH"])];
    let (mut failures, mut first, mut versions) = (0, None, Vec::new());
    let mut round = 0;
    while running.load(Ordering::SeqCst) {
        round += 1;
        for (query, variables) in [
            (switch, json!({ "id": id, "eq": kits[round % 2] })),
            (today, json!({})),
        ] {
            let (status, body) = stack.send(caller, query, variables).await;
            requests.fetch_add(1, Ordering::SeqCst);
            if status != 200 || body.get("errors").is_some() {
                failures += 1;
                first.get_or_insert(body.clone());
            }
            if let Some(version) = body
                .pointer("/data/me/todayWorkout/modelVersion")
                .and_then(Value::as_str)
            {
                versions.push(version.to_owned());
            }
        }
    }
    (failures, first, versions)
}
