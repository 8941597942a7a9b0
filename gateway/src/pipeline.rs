//! The request pipeline: parse and validate against the API schema, check
//! limits, coerce variables, plan (cached), execute, shape the response.

use std::collections::HashMap as StdHashMap;
use std::sync::Arc;
use std::time::Duration;

use apollo_compiler::collections::HashMap;
use apollo_compiler::executable::Operation;
use apollo_compiler::response::{GraphQLError, JsonMap, JsonValue};
use apollo_compiler::schema::Implementers;
use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Name};

use fitgraph_auth::{GatewayCredential, Identity};
use tracing::Instrument;

use crate::access::first_private_field;
use crate::executor::{
    DedupConfig, Execution, SubgraphClient, execute_plan, project_response, shape_response,
};
use crate::limits::Limits;
use crate::persisted::{ManifestError, PersistedConfig, TrustedDocuments};
use crate::planner::{self, QueryPlan};
use crate::request::{GraphQLRequest, GraphQLResponse, Outcome, Transport, error_json};
use crate::supergraph::{Supergraph, SupergraphError};
use subgraph_common::telemetry::SPANS;

#[derive(Debug, Clone)]
pub struct GatewayConfig {
    /// How long one subgraph request may take before it counts as failed.
    pub subgraph_timeout: Duration,
    pub limits: Limits,
    /// How many distinct operations keep their validated document, and their plan,
    /// cached.
    pub plan_cache_size: u64,
    /// Proves to subgraphs that requests (and the identity in them) come from
    /// this gateway. `None` sends no credential (subgraphs that do not check).
    pub credential: Option<GatewayCredential>,
    pub anonymous_access: AnonymousAccess,
    /// Which identical subgraph requests in flight together are sent once.
    pub dedup: DedupConfig,
    /// Partner manifests and automatic persisted queries.
    pub persisted: PersistedConfig,
}

/// What callers without credentials may run.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum AnonymousAccess {
    /// Only fields tagged `@tag(name: "public")` (or on a type so tagged).
    #[default]
    PublicOnly,
    /// Everything; for graphs with no private data.
    Everything,
}

impl Default for GatewayConfig {
    fn default() -> Self {
        Self {
            subgraph_timeout: Duration::from_secs(30),
            limits: Limits::default(),
            plan_cache_size: 1024,
            credential: None,
            anonymous_access: AnonymousAccess::default(),
            persisted: PersistedConfig::default(),
            dedup: DedupConfig::default(),
        }
    }
}

/// Why a gateway could not be built from a supergraph.
#[derive(Debug, thiserror::Error)]
pub enum GatewayError {
    #[error("invalid supergraph: {0}")]
    Supergraph(#[from] SupergraphError),
    #[error("could not build the HTTP client: {0}")]
    HttpClient(String),
    #[error(transparent)]
    Manifest(#[from] ManifestError),
}

type PlanKey = (String, Option<String>);

/// A running gateway over one supergraph. Cheap to share behind an `Arc`.
pub struct Gateway {
    config: GatewayConfig,
    supergraph: Arc<Supergraph>,
    implementers: HashMap<Name, Implementers>,
    client: SubgraphClient,
    plans: moka::sync::Cache<PlanKey, Arc<QueryPlan>>,
    /// Validated documents by query text: parsing and validating against the API
    /// schema costs more than everything else a repeated operation needs.
    documents: moka::sync::Cache<String, Arc<ParsedDocument>>,
    /// Client subscriptions streaming right now.
    pub(crate) active_subscriptions: Arc<std::sync::atomic::AtomicUsize>,
    trusted: TrustedDocuments,
}

/// A validated document, and its text as the plan cache knows it: the same
/// operation spaced differently is planned once.
pub(crate) struct ParsedDocument {
    pub(crate) document: Valid<ExecutableDocument>,
    normalized: String,
}

impl std::ops::Deref for ParsedDocument {
    type Target = Valid<ExecutableDocument>;

    fn deref(&self) -> &Self::Target {
        &self.document
    }
}

/// A request that stops before execution.
type Early = Box<GraphQLResponse>;

/// A request ready to execute: its validated document, coerced variables and plan.
pub(crate) struct Prepared {
    pub(crate) document: Arc<ParsedDocument>,
    pub(crate) operation_name: Option<String>,
    pub(crate) variables: Valid<JsonMap>,
    pub(crate) plan: Arc<QueryPlan>,
}

impl Prepared {
    pub(crate) fn operation(&self) -> &Operation {
        self.document
            .operations
            .get(self.operation_name.as_deref())
            .expect("the operation was found while preparing the request")
    }
}

impl Gateway {
    pub fn new(supergraph_sdl: &str, config: GatewayConfig) -> Result<Self, GatewayError> {
        let supergraph = Supergraph::parse(supergraph_sdl)?;
        let urls: StdHashMap<String, String> = supergraph
            .subgraphs
            .iter()
            .map(|subgraph| (subgraph.name.clone(), subgraph.url.clone()))
            .collect();
        let client = SubgraphClient::new(urls, config.subgraph_timeout, config.credential.clone())
            .map_err(|error| GatewayError::HttpClient(error.to_string()))?
            .with_dedup(config.dedup.clone());
        let implementers = supergraph.api_schema.implementers_map();
        let plans = moka::sync::Cache::new(config.plan_cache_size);
        let documents = moka::sync::Cache::new(config.plan_cache_size);
        let mut gateway = Self {
            config,
            supergraph: Arc::new(supergraph),
            implementers,
            client,
            plans,
            documents,
            active_subscriptions: Arc::default(),
            trusted: TrustedDocuments::default(),
        };
        // Manifests are checked by the gateway itself, so they pass exactly
        // when the requests naming them would.
        gateway.trusted = TrustedDocuments::new(&gateway, &gateway.config.persisted.manifests)?;
        Ok(gateway)
    }

    pub fn config(&self) -> &GatewayConfig {
        &self.config
    }

    pub fn supergraph(&self) -> &Supergraph {
        &self.supergraph
    }

    /// Subgraph requests in flight that identical requests may join.
    pub fn shared_requests_in_flight(&self) -> usize {
        self.client.requests_in_flight()
    }

    /// How many operations have a cached plan.
    pub fn cached_plans(&self) -> u64 {
        self.plans.run_pending_tasks();
        self.plans.entry_count()
    }

    /// The API schema as SDL.
    pub fn api_schema_sdl(&self) -> String {
        self.supergraph.api_schema.to_string()
    }

    /// Runs one request for `caller`; never panics and never fails as a whole
    /// for one subgraph.
    pub async fn execute(
        &self,
        request: GraphQLRequest,
        transport: Transport,
        caller: &Identity,
    ) -> GraphQLResponse {
        match self.run(request, transport, caller).await {
            Ok(response) | Err(response) => *Box::new(response),
        }
    }

    /// Puts the query text into a request that names its document (`documentId`,
    /// `extensions.persistedQuery`), registers automatic persisted queries, and
    /// holds partner clients to their manifests; `Err` answers the request
    /// without running anything.
    pub async fn resolve_document(
        &self,
        request: &mut GraphQLRequest,
        caller: &Identity,
    ) -> Result<(), GraphQLResponse> {
        crate::persisted::resolve(self, &self.trusted, request, caller).await
    }

    async fn run(
        &self,
        mut request: GraphQLRequest,
        transport: Transport,
        caller: &Identity,
    ) -> Result<GraphQLResponse, GraphQLResponse> {
        self.resolve_document(&mut request, caller).await?;
        let prepared = self.prepare(request, transport, caller)?;
        if prepared.operation().operation_type.is_subscription() {
            return Err(GraphQLResponse::request_error(
                "BAD_REQUEST",
                "subscriptions need a streaming transport: a WebSocket on /graphql \
                 (graphql-transport-ws or graphql-ws) or `Accept: text/event-stream`",
            ));
        }
        let client = self.client.for_caller(caller.clone());
        let execution = execute_plan(&prepared.plan, &client, &prepared.variables)
            .instrument(tracing::info_span!(target: SPANS, "execute"))
            .await;
        Ok(self.respond(&prepared, execution))
    }

    /// Everything before execution: parse, validate, check access and limits,
    /// coerce variables, plan (cached).
    pub(crate) fn prepare(
        &self,
        request: GraphQLRequest,
        transport: Transport,
        caller: &Identity,
    ) -> Result<Prepared, GraphQLResponse> {
        let document = self
            .parse(request.query.as_deref())
            .map_err(|early| *early)?;
        let operation = document
            .operations
            .get(request.operation_name.as_deref())
            .map_err(|error| {
                GraphQLResponse::request_error(
                    "GRAPHQL_UNKNOWN_OPERATION_NAME",
                    error.message().to_string(),
                )
            })?;
        if transport == Transport::Get && operation.operation_type.is_mutation() {
            return Err(GraphQLResponse::new(
                serde_json::json!({ "errors": [error_json("BAD_REQUEST", "mutations are not allowed over GET; use POST", None)] }),
                Outcome::MutationOverGet,
            ));
        }
        crate::validate::check_document(&document).map_err(|error| {
            GraphQLResponse::request_error("GRAPHQL_VALIDATION_FAILED", error.to_string())
        })?;
        self.check_access(&document, operation, caller)
            .map_err(|early| *early)?;
        let request_variables = request.variables.unwrap_or_default();
        crate::limits::check_with_variables(
            &document,
            operation,
            &self.config.limits,
            &request_variables,
        )
        .map_err(|exceeded| *limit_response(&exceeded))?;
        let raw_variables = to_json_map(request_variables);
        let variables = apollo_compiler::request::coerce_variable_values(
            &self.supergraph.api_schema,
            operation,
            &raw_variables,
        )
        .map_err(|error| {
            request_error_response("BAD_USER_INPUT", error.to_graphql_error(&document.sources))
        })?;
        apollo_compiler::introspection::check_max_depth(&document, operation).map_err(|error| {
            request_error_response(
                "MAX_DEPTH_EXCEEDED",
                error.to_graphql_error(&document.sources),
            )
        })?;
        let plan = self
            .plan(&document, operation, request.operation_name.clone())
            .map_err(|early| *early)?;
        Ok(Prepared {
            document,
            operation_name: request.operation_name,
            variables,
            plan,
        })
    }

    /// The client's response from what execution merged.
    pub(crate) fn respond(&self, prepared: &Prepared, execution: Execution) -> GraphQLResponse {
        let api_schema = &self.supergraph.api_schema;
        if let Some(data) = project_response(api_schema, prepared.operation(), &execution.data) {
            return projected_response(execution, data);
        }
        let shaped = shape_response(
            &self.supergraph.api_schema,
            &self.implementers,
            &prepared.document,
            prepared.operation(),
            &prepared.variables,
            &execution.data,
        );
        executed_response(execution, shaped)
    }

    /// A client for subgraph requests on behalf of `caller`.
    pub(crate) fn client_for(&self, caller: &Identity) -> SubgraphClient {
        self.client.for_caller(caller.clone())
    }

    /// The query's validated document, from the cache when the same text was valid
    /// before (refusals are not cached: they are cheap to repeat and would crowd out
    /// the documents clients keep sending).
    pub(crate) fn parse(&self, query: Option<&str>) -> Result<Arc<ParsedDocument>, Early> {
        let query = query
            .filter(|query| !query.trim().is_empty())
            .ok_or_else(|| {
                Box::new(GraphQLResponse::request_error(
                    "BAD_REQUEST",
                    "the request has no `query`",
                ))
            })?;
        if let Some(document) = self.documents.get(query) {
            count_cache("document", "hit");
            return Ok(document);
        }
        count_cache("document", "miss");
        let document = self.parse_and_validate(query)?;
        let document = Arc::new(ParsedDocument {
            normalized: document.serialize().no_indent().to_string(),
            document,
        });
        self.documents.insert(query.to_owned(), document.clone());
        Ok(document)
    }

    fn parse_and_validate(&self, query: &str) -> Result<Valid<ExecutableDocument>, Early> {
        let mut parser = crate::limits::parser(&self.config.limits);
        let parsing = tracing::info_span!(target: SPANS, "parse").entered();
        let parsed = parser.parse_ast(query, "query.graphql");
        drop(parsing);
        let ast = match parsed {
            Ok(ast) => ast,
            Err(invalid) => {
                if let Err(exceeded) = crate::limits::check_tokens(&parser, &self.config.limits) {
                    return Err(limit_response(&exceeded));
                }
                return Err(Box::new(diagnostics_response(
                    "GRAPHQL_PARSE_FAILED",
                    &invalid.errors,
                )));
            }
        };
        let _validating = tracing::info_span!(target: SPANS, "validate").entered();
        ast.to_executable_validate(&self.supergraph.api_schema)
            .map_err(|invalid| {
                Box::new(diagnostics_response(
                    "GRAPHQL_VALIDATION_FAILED",
                    &invalid.errors,
                ))
            })
    }

    fn check_access(
        &self,
        document: &ExecutableDocument,
        operation: &Operation,
        caller: &Identity,
    ) -> Result<(), Early> {
        if caller.is_authenticated() || self.config.anonymous_access == AnonymousAccess::Everything
        {
            return Ok(());
        }
        match first_private_field(&self.supergraph, document, operation) {
            None => Ok(()),
            Some(field) => Err(Box::new(GraphQLResponse::request_error(
                "UNAUTHENTICATED",
                format!("`{field}` needs a signed-in caller; send `Authorization: Bearer <token>`"),
            ))),
        }
    }

    fn plan(
        &self,
        document: &ParsedDocument,
        operation: &Operation,
        operation_name: Option<String>,
    ) -> Result<Arc<QueryPlan>, Early> {
        let planning = tracing::info_span!(target: SPANS, "plan", cached = tracing::field::Empty);
        let _planning = planning.enter();
        let key = (document.normalized.clone(), operation_name);
        if let Some(plan) = self.plans.get(&key) {
            planning.record("cached", true);
            count_cache("plan", "hit");
            return Ok(plan);
        }
        planning.record("cached", false);
        count_cache("plan", "miss");
        let plan = planner::plan(&self.supergraph, document, operation).map_err(|error| {
            tracing::warn!(error = %error, "query planning failed");
            Box::new(GraphQLResponse::request_error(
                "QUERY_PLANNING_FAILED",
                error.to_string(),
            ))
        })?;
        let plan = Arc::new(plan);
        self.plans.insert(key, plan.clone());
        Ok(plan)
    }
}

/// A lookup in one of the gateway's caches (`document`, `plan`): hit or miss.
fn count_cache(cache: &'static str, result: &'static str) {
    metrics::counter!("fitgraph_gateway_cache_requests_total", "cache" => cache, "result" => result)
        .increment(1);
}

/// A null the response shaping met where a reported subgraph failure left data
/// missing: the failure is the error, a second one would only restate it.
fn restates_subgraph_error(execution: &Execution, error: &GraphQLError) -> bool {
    let path: Vec<JsonValue> = error
        .path
        .iter()
        .filter_map(|segment| serde_json::to_value(segment).ok())
        .filter_map(|segment| serde_json::from_value(segment).ok())
        .collect();
    !path.is_empty() && error.message.contains("resolved to null") && execution.explains(&path)
}

fn to_json_map(variables: serde_json::Map<String, serde_json::Value>) -> JsonMap {
    match serde_json::from_value::<JsonValue>(serde_json::Value::Object(variables)) {
        Ok(JsonValue::Object(map)) => map,
        _ => JsonMap::new(),
    }
}

fn limit_response(exceeded: &crate::limits::LimitExceeded) -> Early {
    Box::new(GraphQLResponse::request_error(
        exceeded.code(),
        exceeded.to_string(),
    ))
}

fn diagnostics_response(
    code: &str,
    diagnostics: &apollo_compiler::validation::DiagnosticList,
) -> GraphQLResponse {
    let errors = diagnostics
        .iter()
        .map(|diagnostic| with_code(diagnostic.to_json(), code))
        .collect();
    GraphQLResponse::request_errors(errors)
}

fn request_error_response(code: &str, error: GraphQLError) -> GraphQLResponse {
    GraphQLResponse::request_errors(vec![with_code(error, code)])
}

fn with_code(error: GraphQLError, code: &str) -> serde_json::Value {
    let mut value = serde_json::to_value(&error)
        .unwrap_or_else(|_| serde_json::json!({ "message": error.message }));
    value["extensions"]["code"] = serde_json::Value::from(code);
    value
}

/// The response of the fast path: the data as projected, and the subgraphs' errors.
/// The body around data the fast path already wrote: `{"data":…,"errors":[…]}`.
fn projected_response(execution: Execution, data: Vec<u8>) -> GraphQLResponse {
    let mut body = Vec::with_capacity(data.len() + 16);
    body.extend_from_slice(b"{\"data\":");
    body.extend_from_slice(&data);
    let has_errors = !execution.errors.is_empty();
    if has_errors {
        body.extend_from_slice(b",\"errors\":");
        serde_json::to_writer(&mut body, &execution.errors)
            .expect("writing JSON into memory cannot fail");
    }
    body.push(b'}');
    GraphQLResponse::encoded(body, has_errors, Outcome::Executed)
}

fn executed_response(
    execution: Execution,
    mut shaped: apollo_compiler::response::ExecutionResponse,
) -> GraphQLResponse {
    shaped
        .errors
        .retain(|error| !restates_subgraph_error(&execution, error));
    let mut errors: Vec<serde_json::Value> = execution
        .errors
        .iter()
        .filter_map(|error| serde_json::to_value(error).ok())
        .collect();
    errors.extend(
        shaped
            .errors
            .iter()
            .filter_map(|error| serde_json::to_value(error).ok()),
    );
    let data = shaped
        .data
        .and_then(|data| serde_json::to_value(data).ok())
        .unwrap_or(serde_json::Value::Null);
    let mut body = serde_json::json!({ "data": data });
    if !errors.is_empty() {
        body["errors"] = serde_json::Value::Array(errors);
    }
    GraphQLResponse::new(body, Outcome::Executed)
}
