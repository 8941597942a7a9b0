//! What the simulation does as an administrator (a token with the `admin` scope, for
//! an id that never onboards): train the ranker each night and read the experiment's
//! results, both through the gateway like any other client.

use std::time::Duration;

use chrono::NaiveDate;
use serde::Deserialize;
use serde_json::json;

use super::gateway::Gateway;
use super::{Night, VariantOutcome};
use crate::runner::RunError;

/// The experiment a fresh install runs.
pub const EXPERIMENT: &str = "ranking-v1";

const TRAIN: &str = "mutation Train { trainRanker { examples promoted decision \
    model { version metrics { auc ndcg k } } } }";
const RESULTS: &str = "query Results($id: ID!, $from: Date, $to: Date) { \
    experimentResults(id: $id, from: $from, to: $to) { control \
    variants { variant workouts completionRate differenceToControl { estimate low high } } } }";

/// How long the plans subgraph may take to install the default experiment after start.
const EXPERIMENT_WAIT: Duration = Duration::from_secs(60);

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TrainAnswer {
    train_ranker: TrainingRun,
}

#[derive(Deserialize)]
struct TrainingRun {
    examples: u64,
    promoted: bool,
    decision: String,
    model: Option<TrainedModel>,
}

#[derive(Deserialize)]
struct TrainedModel {
    version: String,
    metrics: Metrics,
}

#[derive(Deserialize)]
struct Metrics {
    auc: f64,
    ndcg: f64,
    k: u32,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct ResultsAnswer {
    experiment_results: ExperimentResults,
}

#[derive(Deserialize)]
struct ExperimentResults {
    control: String,
    variants: Vec<VariantResult>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct VariantResult {
    variant: String,
    workouts: u64,
    completion_rate: f64,
    difference_to_control: Option<Difference>,
}

#[derive(Deserialize)]
struct Difference {
    estimate: f64,
    low: f64,
    high: f64,
}

/// Per-variant results of the experiment over some days, and which variant is control.
#[derive(Debug, Clone)]
pub struct Comparison {
    pub control: String,
    pub variants: Vec<VariantOutcome>,
}

/// Trains the ranker now (the nightly job), as the night after simulated `day`.
pub async fn train(gateway: &Gateway, token: &str, day: u32) -> Night {
    let answer: Option<TrainAnswer> = gateway.send("trainRanker", token, TRAIN, json!({})).await;
    let Some(TrainAnswer { train_ranker: run }) = answer else {
        return Night {
            day,
            examples: 0,
            promoted: false,
            version: None,
            auc: None,
            ndcg: None,
            k: None,
            decision: "the training request failed".to_owned(),
        };
    };
    let metrics = run.model.as_ref().map(|model| &model.metrics);
    Night {
        day,
        examples: run.examples,
        promoted: run.promoted,
        version: run.model.as_ref().map(|model| model.version.clone()),
        auc: metrics.map(|m| m.auc),
        ndcg: metrics.map(|m| m.ndcg),
        k: metrics.map(|m| m.k),
        decision: run.decision,
    }
}

/// The experiment's results for workouts of days `from..=to`; `None` when the request
/// failed (it is counted).
pub async fn results(
    gateway: &Gateway,
    token: &str,
    from: NaiveDate,
    to: NaiveDate,
) -> Option<Comparison> {
    let variables = json!({ "id": EXPERIMENT, "from": from.to_string(), "to": to.to_string() });
    let answer: ResultsAnswer = gateway
        .send("experimentResults", token, RESULTS, variables)
        .await?;
    let results = answer.experiment_results;
    Some(Comparison {
        control: results.control,
        variants: results.variants.into_iter().map(outcome).collect(),
    })
}

fn outcome(result: VariantResult) -> VariantOutcome {
    VariantOutcome {
        variant: result.variant,
        workouts: result.workouts,
        completion_rate: result.completion_rate,
        difference: result
            .difference_to_control
            .map(|d| (d.estimate, d.low, d.high)),
    }
}

/// Waits until the plans subgraph has installed the default experiment: it does so in
/// the background as it starts, and workouts generated before would belong to none.
pub async fn wait_for_experiment(gateway: &Gateway, token: &str) -> Result<(), RunError> {
    let deadline = tokio::time::Instant::now() + EXPERIMENT_WAIT;
    let variables = json!({ "id": EXPERIMENT });
    loop {
        let answer = gateway
            .call::<ResultsAnswer>(token, RESULTS, variables.clone())
            .await;
        let failure = match answer {
            Ok(_) => return Ok(()),
            Err(failure) => failure,
        };
        if tokio::time::Instant::now() >= deadline {
            return Err(RunError::Simulation(format!(
                "the experiment {EXPERIMENT} was not installed within {} s: {failure}",
                EXPERIMENT_WAIT.as_secs()
            )));
        }
        tokio::time::sleep(Duration::from_millis(250)).await;
    }
}
