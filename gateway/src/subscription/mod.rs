//! Subscriptions through the gateway: the owning subgraph streams the root
//! field's events over a WebSocket ([`upstream`]); for each event the rest of
//! the plan resolves the fields other subgraphs own, with the same executor and
//! response shaping as queries. The transports that carry the stream to clients
//! are [`crate::websocket`] and server-sent events in [`crate::server`].

pub mod upstream;

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use apollo_compiler::response::JsonMap;
use futures::stream::{self, BoxStream};
use futures::{FutureExt, StreamExt};
use serde_json::Value;

use fitgraph_auth::Identity;

use crate::Gateway;
use crate::executor::{execute_plan, execute_subscription_event};
use crate::planner::{PlanNode, SubscriptionNode};
use crate::request::{GraphQLRequest, GraphQLResponse, Transport};

/// Response bodies (`{"data": …, "errors": […]}`), one per event.
pub type ResponseStream = BoxStream<'static, Value>;

impl Gateway {
    /// Runs `request` as a stream: a subscription yields one response per event
    /// until the subgraph completes it; a query or mutation yields its single
    /// response. Request errors (parse, validation, access, limits) come back
    /// before anything streams.
    pub async fn subscribe(
        self: &Arc<Self>,
        mut request: GraphQLRequest,
        caller: &Identity,
    ) -> Result<ResponseStream, GraphQLResponse> {
        self.resolve_document(&mut request, caller).await?;
        let prepared = Arc::new(self.prepare(request, Transport::Post, caller)?);
        let client = self.client_for(caller);
        let Some(PlanNode::Subscription(node)) = prepared.plan.node.as_ref() else {
            let execution = execute_plan(&prepared.plan, &client, &prepared.variables).await;
            let body = self.respond(&prepared, execution).into_body();
            return Ok(stream::once(async move { body }).boxed());
        };
        let node = Arc::new(node.clone());
        let variables = forwarded_variables(&node, &prepared.variables);
        let events = upstream::subscribe(
            &client,
            &node.primary.service_name,
            &node.primary.operation,
            variables,
        )
        .await;
        let active = ActiveSubscription::start(&self.active_subscriptions);
        let gateway = Arc::clone(self);
        let responses = events.then(move |event| {
            // The counter stays up for as long as the stream exists.
            let _active = &active;
            let (gateway, prepared, node, client) = (
                Arc::clone(&gateway),
                Arc::clone(&prepared),
                Arc::clone(&node),
                client.clone(),
            );
            async move {
                let execution =
                    execute_subscription_event(&node, event, &client, &prepared.variables).await;
                gateway.respond(&prepared, execution).into_body()
            }
            .boxed()
        });
        Ok(responses.boxed())
    }

    /// How many client subscriptions are streaming.
    pub fn active_subscriptions(&self) -> usize {
        self.active_subscriptions.load(Ordering::Relaxed)
    }
}

/// The client variables the subgraph's subscription operation uses.
fn forwarded_variables(node: &SubscriptionNode, variables: &JsonMap) -> JsonMap {
    node.primary
        .variable_usages
        .iter()
        .filter_map(|name| {
            variables
                .get(name.as_str())
                .map(|value| (name.as_str().into(), value.clone()))
        })
        .collect()
}

/// Counts one streaming subscription while it lives.
struct ActiveSubscription(Arc<AtomicUsize>);

impl ActiveSubscription {
    fn start(counter: &Arc<AtomicUsize>) -> Self {
        counter.fetch_add(1, Ordering::Relaxed);
        metrics::gauge!("fitgraph_gateway_subscriptions_active").increment(1.0);
        Self(Arc::clone(counter))
    }
}

impl Drop for ActiveSubscription {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::Relaxed);
        metrics::gauge!("fitgraph_gateway_subscriptions_active").decrement(1.0);
    }
}
