//! Shared by the planner feature tests: compose fixture subgraphs into a
//! supergraph, print plans, and run operations through a real gateway against
//! fixture subgraphs served over HTTP.
#![allow(dead_code)]

use std::collections::BTreeMap;

use fitgraph_gateway::compose::{SubgraphSdl, compose};
use fitgraph_gateway::supergraph::Supergraph;
use fitgraph_gateway::{Gateway, GatewayConfig, GraphQLRequest, Transport};
use fitgraph_gateway_testkit::{FixtureSubgraph, RunningSubgraph};
use serde_json::Value;

/// Composes `(name, sdl)` subgraphs; URLs are placeholders until [`Harness::start`].
/// The signed-in caller fixture tests run as: their graphs have no public fields.
pub fn tester() -> fitgraph_auth::Identity {
    fitgraph_auth::Identity::user("tester", &[])
}

pub fn supergraph(subgraphs: &[(&str, &str)]) -> String {
    let sdls: Vec<SubgraphSdl> = subgraphs
        .iter()
        .map(|(name, sdl)| SubgraphSdl {
            name: name.to_string(),
            url: format!("http://{name}.invalid/graphql"),
            sdl: sdl.to_string(),
        })
        .collect();
    compose(&sdls).unwrap_or_else(|errors| panic!("fixture subgraphs compose: {errors:?}"))
}

/// The readable plan of `query` over `supergraph_sdl`.
pub fn plan(supergraph_sdl: &str, query: &str) -> String {
    let supergraph = Supergraph::parse(supergraph_sdl).expect("fixture supergraph loads");
    let document = apollo_compiler::ExecutableDocument::parse_and_validate(
        &supergraph.api_schema,
        query,
        "query.graphql",
    )
    .unwrap_or_else(|invalid| panic!("fixture query is valid: {}", invalid.errors));
    let operation = document
        .operations
        .get(None)
        .expect("the fixture query has one operation");
    match fitgraph_gateway::planner::plan(&supergraph, &document, operation) {
        Ok(plan) => plan.to_string(),
        Err(error) => format!("error: {error}"),
    }
}

/// A gateway over fixture subgraphs, each served on its own port.
pub struct Harness {
    pub gateway: Gateway,
    pub subgraphs: BTreeMap<String, RunningSubgraph>,
}

impl Harness {
    pub async fn start(supergraph_sdl: &str, fixtures: Vec<FixtureSubgraph>) -> Self {
        Self::start_with(supergraph_sdl, fixtures, GatewayConfig::default()).await
    }

    pub async fn start_with(
        supergraph_sdl: &str,
        fixtures: Vec<FixtureSubgraph>,
        config: GatewayConfig,
    ) -> Self {
        let mut subgraphs = BTreeMap::new();
        for fixture in fixtures {
            let running = fixture.spawn().await;
            subgraphs.insert(running.name().to_string(), running);
        }
        let urls: Vec<(&str, String)> = subgraphs
            .iter()
            .map(|(name, running)| (name.as_str(), running.url()))
            .collect();
        let sdl = fitgraph_gateway_testkit::supergraph_with_urls(supergraph_sdl, &urls);
        let gateway = Gateway::new(&sdl, config).expect("fixture supergraph builds a gateway");
        Self { gateway, subgraphs }
    }

    pub async fn query(&self, query: &str) -> Value {
        self.request(query, serde_json::json!({})).await
    }

    pub async fn request(&self, query: &str, variables: Value) -> Value {
        let request = GraphQLRequest {
            query: Some(query.to_string()),
            variables: variables.as_object().cloned(),
            ..GraphQLRequest::default()
        };
        self.gateway
            .execute(request, Transport::Post, &tester())
            .await
            .into_body()
    }

    /// Requests each subgraph received, by name, then forgets them.
    pub fn take_counts(&self) -> BTreeMap<String, usize> {
        let counts = self
            .subgraphs
            .iter()
            .map(|(name, running)| (name.clone(), running.request_count()))
            .collect();
        self.subgraphs.values().for_each(RunningSubgraph::reset);
        counts
    }

    pub fn subgraph(&self, name: &str) -> &RunningSubgraph {
        &self.subgraphs[name]
    }
}

/// `[("a", 1), ...]` as a count map, for comparing with [`Harness::take_counts`].
pub fn counts(pairs: &[(&str, usize)]) -> BTreeMap<String, usize> {
    pairs
        .iter()
        .map(|(name, count)| (name.to_string(), *count))
        .collect()
}
