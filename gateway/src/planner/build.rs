//! Orders fetch groups into plan nodes and prints each group's subgraph operation.

use apollo_compiler::Name;
use apollo_compiler::executable::{Operation, OperationType};

use super::PlanError;
use super::plan::{
    ConditionNode, EntitySelection, FetchNode, FlattenNode, OperationKind, PlanNode, QueryPlan,
    SubscriptionNode,
};
use super::walk::Group;
use crate::supergraph::Supergraph;

pub(crate) fn build_plan(
    supergraph: &Supergraph,
    operation: &Operation,
    groups: Vec<Group>,
) -> Result<QueryPlan, PlanError> {
    let levels = levels(&groups);
    let roots: Vec<usize> = (0..groups.len())
        .filter(|&g| groups[g].parent.is_none())
        .collect();
    let printer = OperationPrinter {
        supergraph,
        operation,
    };
    let node = if operation.operation_type.is_subscription() {
        let [root] = roots[..] else {
            return Err(PlanError::SubscriptionRoot);
        };
        let rest = staged(&groups, &levels, &printer, |g| g != root);
        Some(PlanNode::Subscription(SubscriptionNode {
            primary: printer.fetch(root, &groups[root]),
            rest: rest.map(Box::new),
        }))
    } else if operation.operation_type.is_mutation() {
        // Each mutation root field (with the fetches below it) finishes before the next starts.
        let per_root = roots
            .iter()
            .filter_map(|&root| staged(&groups, &levels, &printer, |g| groups[g].root == root))
            .collect();
        sequence(per_root)
    } else {
        staged(&groups, &levels, &printer, |_| true)
    };
    Ok(QueryPlan { node })
}

/// A group runs after everything it depends on: its level is one more than the
/// deepest of them.
fn levels(groups: &[Group]) -> Vec<usize> {
    let mut levels = vec![0; groups.len()];
    // Dependencies always point at earlier groups, so one pass in order suffices.
    for (index, group) in groups.iter().enumerate() {
        levels[index] = group
            .depends_on
            .iter()
            .filter(|&&dependency| dependency != index)
            .map(|&dependency| levels[dependency] + 1)
            .max()
            .unwrap_or(0);
    }
    levels
}

fn staged(
    groups: &[Group],
    levels: &[usize],
    printer: &OperationPrinter<'_>,
    include: impl Fn(usize) -> bool,
) -> Option<PlanNode> {
    let max_level = levels.iter().copied().max()?;
    let stages = (0..=max_level)
        .filter_map(|level| {
            let nodes: Vec<PlanNode> = (0..groups.len())
                .filter(|&g| levels[g] == level && include(g) && !groups[g].tree.is_empty())
                .map(|g| printer.node(g, &groups[g]))
                .collect();
            parallel(nodes)
        })
        .collect();
    sequence(stages)
}

fn sequence(mut nodes: Vec<PlanNode>) -> Option<PlanNode> {
    match nodes.len() {
        0 => None,
        1 => nodes.pop(),
        _ => Some(PlanNode::Sequence(nodes)),
    }
}

fn parallel(mut nodes: Vec<PlanNode>) -> Option<PlanNode> {
    match nodes.len() {
        0 => None,
        1 => nodes.pop(),
        _ => Some(PlanNode::Parallel(nodes)),
    }
}

struct OperationPrinter<'a> {
    supergraph: &'a Supergraph,
    operation: &'a Operation,
}

impl OperationPrinter<'_> {
    fn node(&self, index: usize, group: &Group) -> PlanNode {
        let fetch = self.fetch(index, group);
        let node = if group.is_entity {
            PlanNode::Flatten(FlattenNode {
                path: group.merge_path.clone(),
                node: Box::new(PlanNode::Fetch(fetch)),
            })
        } else {
            PlanNode::Fetch(fetch)
        };
        // An entity fetch under `@skip`/`@include` on a variable only runs when
        // the variables say its fields are wanted.
        group
            .conditions
            .iter()
            .rev()
            .fold(node, |node, (variable, expected)| {
                let branch = Some(Box::new(node));
                PlanNode::Condition(ConditionNode {
                    variable: variable.to_string(),
                    if_true: if *expected { branch.clone() } else { None },
                    if_false: if *expected { None } else { branch },
                })
            })
    }

    fn fetch(&self, index: usize, group: &Group) -> FetchNode {
        let service_name = self.supergraph.subgraph(group.graph).name.clone();
        let kind = match self.operation.operation_type {
            _ if group.is_entity => OperationKind::Query,
            OperationType::Mutation => OperationKind::Mutation,
            OperationType::Subscription => OperationKind::Subscription,
            OperationType::Query => OperationKind::Query,
        };
        let mut variables = Vec::new();
        group.tree.variables(&mut variables);
        let mut text = String::from(match kind {
            OperationKind::Query => "query",
            OperationKind::Mutation => "mutation",
            OperationKind::Subscription => "subscription",
        });
        if let Some(name) = &self.operation.name {
            text.push_str(&format!(" {name}__{}__{index}", sanitize(&service_name)));
        }
        text.push_str(&self.variable_definitions(&variables, group.is_entity));
        text.push(' ');
        let mut entity_selection = None;
        if group.is_entity {
            let mut selection = String::new();
            group.tree.print(&mut selection);
            text.push_str(&format!(
                "{{ _entities(representations: $representations) {selection} }}"
            ));
            entity_selection = Some(EntitySelection {
                selection,
                variable_definitions: self.operation_variable_definitions(&variables),
            });
        } else {
            group.tree.print(&mut text);
        }
        FetchNode {
            entity_selection,
            service_name,
            operation: text,
            operation_kind: kind,
            variable_usages: variables.iter().map(|name| name.to_string()).collect(),
            requires: group.is_entity.then(|| group.requires.clone()),
            input_rewrites: group.input_rewrites.clone(),
            output_rewrites: Vec::new(),
        }
    }

    fn variable_definitions(&self, used: &[Name], is_entity: bool) -> String {
        let mut definitions: Vec<String> = Vec::new();
        if is_entity {
            definitions.push("$representations: [_Any!]!".into());
        }
        definitions.extend(self.operation_variable_definitions(used));
        if definitions.is_empty() {
            String::new()
        } else {
            format!("({})", definitions.join(", "))
        }
    }

    /// `$name: Type = default` for each client variable in `used`.
    fn operation_variable_definitions(&self, used: &[Name]) -> Vec<String> {
        let mut definitions = Vec::new();
        for definition in &self.operation.variables {
            if !used.contains(&definition.name) {
                continue;
            }
            let mut text = format!("${}: {}", definition.name, definition.ty);
            if let Some(default) = &definition.default_value {
                text.push_str(&format!(" = {default}"));
            }
            definitions.push(text);
        }
        definitions
    }
}

/// Subgraph names may hold characters a GraphQL name can't.
fn sanitize(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect()
}
