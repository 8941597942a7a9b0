//! Runs a query plan against the subgraphs over HTTP: fetches, merges each result
//! into one response tree, and rewrites subgraph errors to client paths.

mod fetch;
mod format;
mod merge;

use apollo_compiler::response::{JsonMap, JsonValue};
use futures::future::join_all;

pub use fetch::{SubgraphClient, SubgraphFailure};
pub use format::shape_response;

use crate::planner::{ConditionNode, FetchNode, PlanNode, QueryPlan};
use merge::EntityBatch;

/// What running a plan produced: the merged data tree (internal fields and all)
/// and the errors collected on the way, already in client form.
#[derive(Debug, Default)]
pub struct Execution {
    pub data: JsonMap,
    pub errors: Vec<JsonValue>,
}

/// Runs `plan`; never fails as a whole: each failed fetch becomes an error and
/// leaves its part of the data missing.
pub async fn execute_plan(
    plan: &QueryPlan,
    client: &SubgraphClient,
    variables: &JsonMap,
) -> Execution {
    let mut execution = Execution::default();
    if let Some(node) = &plan.node {
        run_node(node, client, variables, &mut execution).await;
    }
    execution
}

fn run_node<'a>(
    node: &'a PlanNode,
    client: &'a SubgraphClient,
    variables: &'a JsonMap,
    execution: &'a mut Execution,
) -> futures::future::BoxFuture<'a, ()> {
    Box::pin(async move {
        match node {
            PlanNode::Sequence(nodes) => {
                for node in nodes {
                    run_node(node, client, variables, execution).await;
                }
            }
            PlanNode::Parallel(nodes) => run_parallel(nodes, client, variables, execution).await,
            PlanNode::Fetch(_) | PlanNode::Flatten(_) => {
                run_parallel(std::slice::from_ref(node), client, variables, execution).await
            }
            PlanNode::Condition(condition) => {
                if let Some(branch) = condition_branch(condition, variables) {
                    run_node(branch, client, variables, execution).await;
                }
            }
        }
    })
}

fn condition_branch<'a>(condition: &'a ConditionNode, variables: &JsonMap) -> Option<&'a PlanNode> {
    let value = variables
        .get(condition.variable.as_str())
        .and_then(JsonValue::as_bool);
    if value.unwrap_or(false) {
        condition.if_true.as_deref()
    } else {
        condition.if_false.as_deref()
    }
}

/// Fetches run concurrently: each reads the data it needs first, then all are
/// awaited and merged. Anything else in a `Parallel` runs after, in order.
async fn run_parallel(
    nodes: &[PlanNode],
    client: &SubgraphClient,
    variables: &JsonMap,
    execution: &mut Execution,
) {
    let mut prepared = Vec::new();
    let mut others = Vec::new();
    for node in nodes {
        match fetch_of(node) {
            Some((fetch, path)) => prepared.push(prepare(fetch, path, &execution.data, variables)),
            None => others.push(node),
        }
    }
    let requests = prepared.iter().map(|step| async move {
        match &step.batch {
            Some(batch) if batch.is_empty() => None,
            _ => Some(
                client
                    .fetch(
                        &step.fetch.service_name,
                        &step.fetch.operation,
                        step.variables.clone(),
                    )
                    .await,
            ),
        }
    });
    let responses = join_all(requests).await;
    for (step, response) in prepared.iter().zip(responses) {
        if let Some(response) = response {
            merge::merge_response(step.fetch, step.batch.as_ref(), response, execution);
        }
    }
    for node in others {
        run_node(node, client, variables, execution).await;
    }
}

fn fetch_of(node: &PlanNode) -> Option<(&FetchNode, Option<&[crate::planner::PathElement]>)> {
    match node {
        PlanNode::Fetch(fetch) => Some((fetch, None)),
        PlanNode::Flatten(flatten) => match flatten.node.as_ref() {
            PlanNode::Fetch(fetch) => Some((fetch, Some(flatten.path.as_slice()))),
            _ => None,
        },
        _ => None,
    }
}

struct PreparedFetch<'a> {
    fetch: &'a FetchNode,
    variables: JsonMap,
    /// Entity fetches: the deduplicated representations and where each came from.
    batch: Option<EntityBatch>,
}

fn prepare<'a>(
    fetch: &'a FetchNode,
    path: Option<&[crate::planner::PathElement]>,
    data: &JsonMap,
    variables: &JsonMap,
) -> PreparedFetch<'a> {
    let mut sent = JsonMap::new();
    for name in &fetch.variable_usages {
        if let Some(value) = variables.get(name.as_str()) {
            sent.insert(name.as_str(), value.clone());
        }
    }
    let batch = fetch.requires.as_ref().map(|requires| {
        let batch = merge::collect_representations(
            data,
            path.unwrap_or(&[]),
            requires,
            &fetch.input_rewrites,
        );
        sent.insert(
            "representations",
            JsonValue::Array(batch.representations.clone()),
        );
        batch
    });
    PreparedFetch {
        fetch,
        variables: sent,
        batch,
    }
}
