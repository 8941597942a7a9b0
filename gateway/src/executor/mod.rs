//! Runs a query plan against the subgraphs over HTTP: fetches, merges each result
//! into one response tree, and rewrites subgraph errors to client paths.

mod batch;
mod dedup;
mod fetch;
mod format;
mod merge;
mod project;

use apollo_compiler::response::{JsonMap, JsonValue};
use futures::future::join_all;

pub use dedup::DedupConfig;
use fetch::FetchVariables;
pub use fetch::{SubgraphClient, SubgraphFailure, SubgraphResponse};
pub use format::shape_response;
pub use project::project_response;

use crate::planner::{ConditionNode, FetchNode, PlanNode, QueryPlan, SubscriptionNode};
use merge::EntityBatch;

/// What running a plan produced: the merged data tree (internal fields and all)
/// and the errors collected on the way, already in client form.
#[derive(Debug, Default)]
pub struct Execution {
    pub data: JsonMap,
    pub errors: Vec<JsonValue>,
    /// Where data is missing because of an error already in `errors` (an empty
    /// path: a whole root fetch failed). Nulls found there need no second error.
    pub failed_paths: Vec<Vec<JsonValue>>,
}

impl Execution {
    /// Whether an error at `path` only restates an error already reported.
    pub fn explains(&self, path: &[JsonValue]) -> bool {
        self.failed_paths
            .iter()
            .any(|failed| path.starts_with(failed))
    }
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

/// One event of a subscription: the owning subgraph's answer becomes the root
/// data (its errors rewritten like any fetch's), then `rest` resolves the
/// fields other subgraphs own, exactly as for a query.
pub async fn execute_subscription_event(
    subscription: &SubscriptionNode,
    event: Result<SubgraphResponse, SubgraphFailure>,
    client: &SubgraphClient,
    variables: &JsonMap,
) -> Execution {
    let mut execution = Execution::default();
    merge::merge_response(&subscription.primary, None, event, &mut execution);
    if let Some(rest) = &subscription.rest {
        run_node(rest, client, variables, &mut execution).await;
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
            // Subscriptions stream: the pipeline runs them event by event with
            // `execute_subscription_event`, never as one request.
            PlanNode::Subscription(_) => {
                tracing::error!("a subscription plan reached the query executor");
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
    let requests = request_groups(&prepared)
        .into_iter()
        .map(|indexes| send_group(indexes, &prepared, client));
    let responses: Vec<(usize, FetchResult)> =
        join_all(requests).await.into_iter().flatten().collect();
    for (index, response) in responses {
        let step = &prepared[index];
        merge::merge_response(step.fetch, step.batch.as_ref(), response, execution);
    }
    for node in others {
        run_node(node, client, variables, execution).await;
    }
}

type FetchResult = Result<fetch::SubgraphResponse, SubgraphFailure>;

/// Which prepared fetches travel together: entity fetches to one subgraph in
/// one step share a request; everything else goes alone. Entity fetches with
/// nothing to ask are dropped.
fn request_groups(prepared: &[PreparedFetch<'_>]) -> Vec<Vec<usize>> {
    let mut groups: Vec<Vec<usize>> = Vec::new();
    for (index, step) in prepared.iter().enumerate() {
        match &step.batch {
            Some(batch) if batch.is_empty() => continue,
            Some(_) if step.fetch.entity_selection.is_some() => {
                let service = &step.fetch.service_name;
                let shared = groups.iter_mut().find(|group| {
                    let first = &prepared[group[0]];
                    first.batch.is_some()
                        && first.fetch.entity_selection.is_some()
                        && first.fetch.service_name == *service
                });
                match shared {
                    Some(group) => group.push(index),
                    None => groups.push(vec![index]),
                }
            }
            _ => groups.push(vec![index]),
        }
    }
    groups
}

async fn send_group(
    indexes: Vec<usize>,
    prepared: &[PreparedFetch<'_>],
    client: &SubgraphClient,
) -> Vec<(usize, FetchResult)> {
    if let [index] = indexes[..] {
        let step = &prepared[index];
        let response = client
            .fetch(
                &step.fetch.service_name,
                &step.fetch.operation,
                &step.variables,
            )
            .await;
        return vec![(index, response)];
    }
    let steps: Vec<&PreparedFetch<'_>> = indexes.iter().map(|&index| &prepared[index]).collect();
    let (operation, variables) = batch::combined_operation(&steps);
    let response = client
        .fetch(&steps[0].fetch.service_name, &operation, &variables)
        .await;
    indexes
        .into_iter()
        .zip(batch::split_response(response, steps.len()))
        .collect()
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
    variables: FetchVariables,
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
    let mut representations = Vec::new();
    let batch = fetch.requires.as_ref().map(|requires| {
        let batch = merge::collect_representations(
            data,
            path.unwrap_or(&[]),
            requires,
            &fetch.input_rewrites,
        );
        representations.push(("representations".to_owned(), batch.representations.clone()));
        batch
    });
    PreparedFetch {
        fetch,
        variables: FetchVariables {
            plain: sent,
            representations,
        },
        batch,
    }
}
