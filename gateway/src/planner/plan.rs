//! The query plan: what to fetch from which subgraph, in which order, and where
//! each result is merged into the response.

use std::fmt;

use serde::Serialize;

/// A plan for one operation. `node` is `None` when nothing needs fetching (an
/// operation made only of `__typename` and introspection).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueryPlan {
    pub node: Option<PlanNode>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum PlanNode {
    /// Children run one after the other; each sees the data merged by the previous.
    Sequence(Vec<PlanNode>),
    /// Children are independent and run concurrently.
    Parallel(Vec<PlanNode>),
    /// One request to one subgraph.
    Fetch(FetchNode),
    /// Runs `node` (an entity fetch) for every object found at `path`.
    Flatten(FlattenNode),
    /// Runs one branch depending on a boolean variable of the operation.
    Condition(ConditionNode),
    /// A subscription: `primary` opens the event stream on the subgraph that owns
    /// the root field; `rest` runs once per event, over that event's data, to
    /// resolve the fields other subgraphs own. Only ever the root of a plan.
    Subscription(SubscriptionNode),
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SubscriptionNode {
    pub primary: FetchNode,
    pub rest: Option<Box<PlanNode>>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FetchNode {
    pub service_name: String,
    /// The operation sent to the subgraph, printed as GraphQL.
    pub operation: String,
    pub operation_kind: OperationKind,
    /// Variables of the client operation this fetch forwards.
    pub variable_usages: Vec<String>,
    /// For entity fetches: what each representation is built from, read off every
    /// object at the flatten path. The operation then takes `$representations`.
    pub requires: Option<Vec<Selection>>,
    /// Rewrites applied to each representation before sending (for example an
    /// `@interfaceObject` subgraph knows the interface name, not the object type).
    pub input_rewrites: Vec<TypenameRewrite>,
    /// Rewrites applied to each returned entity before merging.
    pub output_rewrites: Vec<TypenameRewrite>,
    /// Entity fetches: the parts of `operation` the executor needs to send
    /// several entity fetches to one subgraph as a single request.
    #[serde(skip)]
    pub entity_selection: Option<EntitySelection>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct EntitySelection {
    /// What is selected on `_entities`, printed: `{ ... on T { a } }`.
    pub selection: String,
    /// The client variables it uses, as definitions: `$v: Int = 1`.
    pub variable_definitions: Vec<String>,
}

/// Sets `__typename` to `rename_to` on objects whose `__typename` is one of `from`
/// (any when `from` is empty).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TypenameRewrite {
    pub from: Vec<String>,
    pub rename_to: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum OperationKind {
    Query,
    Mutation,
    Subscription,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FlattenNode {
    pub path: Vec<PathElement>,
    pub node: Box<PlanNode>,
}

/// A step of a flatten path: an object key (a response key), or every element of
/// a list (`@`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub enum PathElement {
    Key(String),
    List,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ConditionNode {
    pub variable: String,
    pub if_true: Option<Box<PlanNode>>,
    pub if_false: Option<Box<PlanNode>>,
}

/// A selection used to build entity representations from response data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub enum Selection {
    /// Reads `name` (fields inside `requires` are never aliased).
    Field {
        name: String,
        selections: Vec<Selection>,
    },
    /// Applies when the object's `__typename` is `type_condition` or one of
    /// `possible_types` (the object types of an abstract condition).
    InlineFragment {
        type_condition: String,
        possible_types: Vec<String>,
        selections: Vec<Selection>,
    },
}

impl fmt::Display for PathElement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            PathElement::Key(key) => f.write_str(key),
            PathElement::List => f.write_str("@"),
        }
    }
}
