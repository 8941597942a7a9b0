//! The query planner: pure and synchronous. Turns a validated operation into a
//! [`QueryPlan`] over the supergraph's subgraphs.
//!
//! Stages: [`walk`] walks the operation and fills fetch groups (one per subgraph
//! request), jumping to another subgraph through an entity key whenever the
//! current one cannot resolve a field; [`build`] orders the groups into plan
//! nodes and prints each group's subgraph operation.

mod build;
mod display;
pub mod plan;
mod tree;
mod walk;

use apollo_compiler::executable::{ExecutableDocument, Operation};

pub use plan::*;

use crate::supergraph::Supergraph;

/// Prefix of the alias under which a key or required field is fetched when the
/// client's operation uses the field's name as a response key for another field.
pub const INTERNAL_ALIAS_PREFIX: &str = "_fg_";

/// Why an operation cannot be planned over this supergraph.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error("no subgraph resolves `{coordinate}`")]
    Unresolvable { coordinate: String },
    #[error(
        "`{coordinate}` lives in subgraph `{subgraph}`, which offers no @key for `{type_name}` that can be reached"
    )]
    NoUsableKey {
        coordinate: String,
        subgraph: String,
        type_name: String,
    },
    #[error("fragment `{0}` is not defined")]
    UnknownFragment(String),
    #[error("a subscription selects exactly one root field from one subgraph")]
    SubscriptionRoot,
}

/// Plans `operation` (from `document`, validated against the API schema).
pub fn plan(
    supergraph: &Supergraph,
    document: &ExecutableDocument,
    operation: &Operation,
) -> Result<QueryPlan, PlanError> {
    let groups = walk::walk_operation(supergraph, document, operation)?;
    build::build_plan(supergraph, operation, groups)
}
