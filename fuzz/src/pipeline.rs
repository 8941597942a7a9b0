//! The gateway's synchronous request path, as `Gateway::run` does it before
//! execution: parse (with the token limit), validate against the API schema,
//! pick the operation, check access, check the limits, coerce variables, check
//! the introspection depth, build the plan cache key, plan. Then checks that
//! every plan must pass.
//!
//! Shared by the fuzz targets and by `gateway/tests/fuzz_regressions.rs` (which
//! includes this file with `#[path]`), so a crash input replays through exactly
//! the same code. Only `fitgraph_gateway`, `apollo_compiler` and `serde_json`
//! may be used here: those are what both packages have.

use std::collections::HashMap;
use std::sync::OnceLock;

use apollo_compiler::Name;
use apollo_compiler::ast::{self, Definition};
use apollo_compiler::parser::Parser;
use fitgraph_gateway::limits::{self, Limits, Variables};
use fitgraph_gateway::planner::{self, PlanNode, QueryPlan};
use fitgraph_gateway::supergraph::Supergraph;

/// The checked-in supergraph the gateway serves.
pub const SUPERGRAPH_SDL: &str = include_str!("../../schema/supergraph.graphql");

/// The supergraph, loaded once per process.
pub fn supergraph() -> &'static Supergraph {
    static SUPERGRAPH: OnceLock<Supergraph> = OnceLock::new();
    SUPERGRAPH
        .get_or_init(|| Supergraph::parse(SUPERGRAPH_SDL).expect("schema/supergraph.graphql loads"))
}

/// Where a request stopped. Every variant is a normal outcome; a bug shows up
/// as a panic.
#[derive(Debug)]
pub enum Stage {
    NoQuery,
    TokenLimit,
    ParseFailed,
    ValidationFailed,
    UnknownOperation,
    LimitExceeded(limits::LimitExceeded),
    MaxDepthExceeded,
    PlanFailed(planner::PlanError),
    Planned(Box<QueryPlan>),
}

impl Stage {
    /// A short label for statistics.
    pub fn label(&self) -> &'static str {
        match self {
            Stage::NoQuery => "no-query",
            Stage::TokenLimit => "token-limit",
            Stage::ParseFailed => "parse-failed",
            Stage::ValidationFailed => "validation-failed",
            Stage::UnknownOperation => "unknown-operation",
            Stage::LimitExceeded(_) => "limit-exceeded",
            Stage::MaxDepthExceeded => "max-depth-exceeded",
            Stage::PlanFailed(_) => "plan-failed",
            Stage::Planned(_) => "planned",
        }
    }
}

/// Splits fuzz bytes into a query and an optional operation name: the text
/// before the first NUL byte is the query, the text after it the name. Returns
/// `None` for input that is not UTF-8 (a gateway never sees it: JSON bodies are
/// UTF-8).
pub fn split_input(data: &[u8]) -> Option<(&str, Option<&str>)> {
    let text = std::str::from_utf8(data).ok()?;
    Some(match text.split_once('\0') {
        Some((query, name)) => (query, Some(name)),
        None => (text, None),
    })
}

/// Runs one request, without variables, through the synchronous part of the
/// pipeline.
pub fn run(query: &str, operation_name: Option<&str>) -> Stage {
    run_with_variables(query, operation_name, &Variables::new())
}

/// Runs one request through the synchronous part of the pipeline, as an
/// authenticated caller (anonymous callers only differ in being refused
/// earlier; the access check runs anyway).
pub fn run_with_variables(
    query: &str,
    operation_name: Option<&str>,
    variables: &Variables,
) -> Stage {
    let supergraph = supergraph();
    let limits = Limits::default();
    if query.trim().is_empty() {
        return Stage::NoQuery;
    }
    let mut parser = limits::parser(&limits);
    let ast = match parser.parse_ast(query, "query.graphql") {
        Ok(ast) => ast,
        Err(_) if limits::check_tokens(&parser, &limits).is_err() => return Stage::TokenLimit,
        Err(_) => return Stage::ParseFailed,
    };
    let Ok(document) = ast.to_executable_validate(&supergraph.api_schema) else {
        return Stage::ValidationFailed;
    };
    if fitgraph_gateway::validate::check_document(&document).is_err() {
        return Stage::ValidationFailed;
    }
    let Ok(operation) = document.operations.get(operation_name) else {
        return Stage::UnknownOperation;
    };
    let _ = fitgraph_gateway::access::first_private_field(supergraph, &document, operation);
    if let Err(exceeded) = limits::check_with_variables(&document, operation, &limits, variables) {
        let _ = (exceeded.code(), exceeded.to_string());
        return Stage::LimitExceeded(exceeded);
    }
    // The gateway stops here when the variables do not coerce. Planning does not
    // read variable values, and a client can always send good ones, so coercion
    // is exercised but does not end the request.
    let raw = match serde_json::from_value(serde_json::Value::Object(variables.clone())) {
        Ok(apollo_compiler::response::JsonValue::Object(map)) => map,
        _ => Default::default(),
    };
    let _ =
        apollo_compiler::request::coerce_variable_values(&supergraph.api_schema, operation, &raw);
    if apollo_compiler::introspection::check_max_depth(&document, operation).is_err() {
        return Stage::MaxDepthExceeded;
    }
    // The plan cache key.
    let _key = document.serialize().no_indent().to_string();
    match planner::plan(supergraph, &document, operation) {
        Ok(plan) => {
            check_plan(&plan);
            Stage::Planned(Box::new(plan))
        }
        Err(error) => {
            // The gateway logs and returns the message.
            let _ = error.to_string();
            Stage::PlanFailed(error)
        }
    }
}

/// What must hold of any plan: it prints (logs) and serialises, and every
/// subgraph operation in it is one a subgraph can accept: it parses, defines
/// the variables it uses, and gives no response key to two different fields
/// (GraphQL's "fields in set can merge"). A failure here is a planner bug even
/// though nothing panicked: the subgraph would reject the request, or answer
/// the wrong field under a key.
pub fn check_plan(plan: &QueryPlan) {
    let _ = plan.to_string();
    serde_json::to_string(plan).expect("a query plan serialises");
    if let Some(node) = &plan.node {
        check_node(node);
    }
}

fn check_node(node: &PlanNode) {
    match node {
        PlanNode::Sequence(nodes) | PlanNode::Parallel(nodes) => {
            assert!(
                nodes.len() >= 2,
                "a sequence or parallel node has {} children",
                nodes.len()
            );
            nodes.iter().for_each(check_node);
        }
        PlanNode::Fetch(fetch) => {
            assert!(
                supergraph()
                    .subgraphs
                    .iter()
                    .any(|subgraph| subgraph.name == fetch.service_name),
                "fetch from unknown subgraph `{}`",
                fetch.service_name
            );
            check_subgraph_operation(&fetch.operation);
        }
        PlanNode::Flatten(flatten) => check_node(&flatten.node),
        PlanNode::Subscription(subscription) => {
            check_node(&PlanNode::Fetch(subscription.primary.clone()));
            subscription.rest.iter().for_each(|node| check_node(node));
        }
        PlanNode::Condition(condition) => {
            assert!(
                condition.if_true.is_some() || condition.if_false.is_some(),
                "a condition node with no branch"
            );
            condition.if_true.iter().for_each(|node| check_node(node));
            condition.if_false.iter().for_each(|node| check_node(node));
        }
    }
}

/// Checks a subgraph operation without the subgraph's schema (see [`check_plan`]).
fn check_subgraph_operation(text: &str) {
    let document = match Parser::new().parse_ast(text, "fetch.graphql") {
        Ok(document) => document,
        Err(invalid) => panic!(
            "the planner produced a subgraph operation that does not parse:\n{text}\n{}",
            invalid.errors
        ),
    };
    for definition in &document.definitions {
        let Definition::OperationDefinition(operation) = definition else {
            panic!("a subgraph operation with a definition other than the operation:\n{text}");
        };
        let mut used = Vec::new();
        selection_variables(&operation.selection_set, &mut used);
        for variable in used {
            assert!(
                operation.variables.iter().any(|v| v.name == variable),
                "the subgraph operation uses ${variable} without defining it:\n{text}"
            );
        }
        response_keys_merge(&operation.selection_set, text);
    }
}

fn selection_variables(selections: &[ast::Selection], out: &mut Vec<Name>) {
    for selection in selections {
        let (directives, inner) = match selection {
            ast::Selection::Field(field) => {
                for argument in &field.arguments {
                    value_variables(&argument.value, out);
                }
                (&field.directives, &field.selection_set)
            }
            ast::Selection::InlineFragment(fragment) => {
                (&fragment.directives, &fragment.selection_set)
            }
            ast::Selection::FragmentSpread(spread) => {
                panic!(
                    "the planner sent a named fragment spread `...{}` to a subgraph",
                    spread.fragment_name
                )
            }
        };
        for directive in directives.iter() {
            for argument in &directive.arguments {
                value_variables(&argument.value, out);
            }
        }
        selection_variables(inner, out);
    }
}

fn value_variables(value: &ast::Value, out: &mut Vec<Name>) {
    match value {
        ast::Value::Variable(name) => out.push(name.clone()),
        ast::Value::List(items) => items.iter().for_each(|item| value_variables(item, out)),
        ast::Value::Object(fields) => fields
            .iter()
            .for_each(|(_, item)| value_variables(item, out)),
        _ => {}
    }
}

/// A field as the response-key check sees it: its name and arguments.
type KeyedField = (Name, Vec<apollo_compiler::Node<ast::Argument>>);

/// Within one selection set (looking through inline fragments of the same type
/// condition), one response key names one field with one set of arguments.
/// Fields under different type conditions are not compared: they may differ.
fn response_keys_merge(selections: &[ast::Selection], text: &str) {
    let mut seen: HashMap<(Option<Name>, Name), KeyedField> = HashMap::new();
    collect_keys(selections, None, &mut seen, text);
}

fn collect_keys(
    selections: &[ast::Selection],
    condition: Option<&Name>,
    seen: &mut HashMap<(Option<Name>, Name), KeyedField>,
    text: &str,
) {
    for selection in selections {
        match selection {
            ast::Selection::Field(field) => {
                let key = field.alias.as_ref().unwrap_or(&field.name).clone();
                let this = (field.name.clone(), field.arguments.clone());
                match seen.get(&(condition.cloned(), key.clone())) {
                    Some(present) => assert!(
                        same_field(present, &this),
                        "the subgraph operation gives response key `{key}` to both `{}({})` and `{}({})`:\n{text}",
                        present.0,
                        print_arguments(&present.1),
                        this.0,
                        print_arguments(&this.1),
                    ),
                    None => {
                        seen.insert((condition.cloned(), key), this);
                    }
                }
                response_keys_merge(&field.selection_set, text);
            }
            ast::Selection::InlineFragment(fragment) => {
                let inner = fragment.type_condition.as_ref().or(condition);
                collect_keys(&fragment.selection_set, inner, seen, text);
            }
            ast::Selection::FragmentSpread(_) => {}
        }
    }
}

fn print_arguments(arguments: &[apollo_compiler::Node<ast::Argument>]) -> String {
    let printed: Vec<String> = arguments
        .iter()
        .map(|argument| format!("{}: {}", argument.name, argument.value))
        .collect();
    printed.join(", ")
}

/// Whether two fields under one response key may merge. Besides equal
/// arguments, this tolerates the one known way a client's own conflicting
/// fields get through validation and into a subgraph operation: apollo-compiler
/// 1.33 compares list values without their length (`[A]` and `[A, B]`, or `[A]`
/// and `[]`, count as the same; see `validation/selection.rs`, `same_value`).
/// `list_arguments_of_different_lengths_are_refused` in
/// gateway/tests/fuzz_regressions.rs covers that; tolerating it here lets the
/// fuzzer look for other bugs.
fn same_field(a: &KeyedField, b: &KeyedField) -> bool {
    a.0 == b.0
        && a.1.len() == b.1.len()
        && a.1.iter().all(|argument| {
            b.1.iter().any(|other| {
                other.name == argument.name
                    && same_ignoring_list_length(&argument.value, &other.value)
            })
        })
}

fn same_ignoring_list_length(a: &ast::Value, b: &ast::Value) -> bool {
    match (a, b) {
        (ast::Value::List(a), ast::Value::List(b)) => a
            .iter()
            .zip(b.iter())
            .all(|(a, b)| same_ignoring_list_length(a, b)),
        (ast::Value::Object(a), ast::Value::Object(b)) => {
            a.len() == b.len()
                && a.iter().all(|(name, value)| {
                    b.iter().any(|(other, other_value)| {
                        other == name && same_ignoring_list_length(value, other_value)
                    })
                })
        }
        _ => a == b,
    }
}
