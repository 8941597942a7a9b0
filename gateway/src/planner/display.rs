//! A readable, indented rendering of a plan for logs and snapshot tests.

use std::fmt::{self, Write as _};

use super::plan::{FetchNode, PlanNode, QueryPlan, Selection};

impl fmt::Display for QueryPlan {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::from("QueryPlan {\n");
        if let Some(node) = &self.node {
            write_node(node, 1, &mut out);
        }
        out.push('}');
        f.write_str(&out)
    }
}

fn indent(depth: usize) -> String {
    "  ".repeat(depth)
}

fn write_node(node: &PlanNode, depth: usize, out: &mut String) {
    let pad = indent(depth);
    match node {
        PlanNode::Sequence(nodes) | PlanNode::Parallel(nodes) => {
            let name = if matches!(node, PlanNode::Sequence(_)) {
                "Sequence"
            } else {
                "Parallel"
            };
            let _ = writeln!(out, "{pad}{name} {{");
            for child in nodes {
                write_node(child, depth + 1, out);
            }
            let _ = writeln!(out, "{pad}}},");
        }
        PlanNode::Fetch(fetch) => write_fetch(fetch, depth, out),
        PlanNode::Subscription(subscription) => {
            let _ = writeln!(out, "{pad}Subscription {{");
            let _ = writeln!(out, "{pad}  Primary: {{");
            write_fetch(&subscription.primary, depth + 2, out);
            let _ = writeln!(out, "{pad}  }},");
            if let Some(rest) = &subscription.rest {
                let _ = writeln!(out, "{pad}  Rest: {{");
                write_node(rest, depth + 2, out);
                let _ = writeln!(out, "{pad}  }},");
            }
            let _ = writeln!(out, "{pad}}},");
        }
        PlanNode::Flatten(flatten) => {
            let path: Vec<String> = flatten.path.iter().map(ToString::to_string).collect();
            let _ = writeln!(out, "{pad}Flatten(path: \"{}\") {{", path.join("."));
            write_node(&flatten.node, depth + 1, out);
            let _ = writeln!(out, "{pad}}},");
        }
        PlanNode::Condition(condition) => {
            let _ = writeln!(out, "{pad}Condition(if: ${}) {{", condition.variable);
            if let Some(node) = &condition.if_true {
                write_node(node, depth + 1, out);
            }
            if let Some(node) = &condition.if_false {
                let _ = writeln!(out, "{pad}}} else {{");
                write_node(node, depth + 1, out);
            }
            let _ = writeln!(out, "{pad}}},");
        }
    }
}

fn write_fetch(fetch: &FetchNode, depth: usize, out: &mut String) {
    let pad = indent(depth);
    let _ = writeln!(out, "{pad}Fetch(service: \"{}\") {{", fetch.service_name);
    if let Some(requires) = &fetch.requires {
        let mut text = String::new();
        write_selections(requires, &mut text);
        let _ = writeln!(out, "{pad}  {text} =>");
    }
    for line in pretty_operation(&fetch.operation).lines() {
        let _ = writeln!(out, "{pad}  {line}");
    }
    let _ = writeln!(out, "{pad}}},");
}

fn write_selections(selections: &[Selection], out: &mut String) {
    out.push('{');
    for selection in selections {
        out.push(' ');
        match selection {
            Selection::Field { name, selections } => {
                out.push_str(name);
                if !selections.is_empty() {
                    out.push(' ');
                    write_selections(selections, out);
                }
            }
            Selection::InlineFragment {
                type_condition,
                selections,
                ..
            } => {
                let _ = write!(out, "... on {type_condition} ");
                write_selections(selections, out);
            }
        }
    }
    out.push_str(" }");
}

/// The operation re-printed over several lines (it travels on one).
fn pretty_operation(operation: &str) -> String {
    match apollo_compiler::ast::Document::parse(operation, "fetch.graphql") {
        Ok(document) => document.to_string(),
        Err(_) => operation.to_string(),
    }
}
