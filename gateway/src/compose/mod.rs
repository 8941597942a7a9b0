//! Composition: a Federation v2 supergraph SDL from subgraph SDLs.
//!
//! Stages: [`subgraph`] parses each SDL and reads its federation directives,
//! [`merge`] merges every type across subgraphs into join-annotated definitions,
//! [`emit`] prints the supergraph (preamble + types sorted by name), and the
//! result is checked by parsing and validating it with apollo-compiler.

mod emit;
mod merge;
mod subgraph;

use apollo_compiler::Schema;

/// One subgraph as its `_service { sdl }` returns it, with where to reach it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SubgraphSdl {
    pub name: String,
    pub url: String,
    pub sdl: String,
}

/// Why a set of subgraphs does not compose.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CompositionError {
    #[error("subgraph `{subgraph}` is invalid: {message}")]
    InvalidSubgraph { subgraph: String, message: String },
    #[error("subgraph `{subgraph}` is given twice (names are compared uppercased)")]
    DuplicateSubgraph { subgraph: String },
    #[error(
        "type `{type_name}` is {first_kind} in subgraph `{first}` but {second_kind} in subgraph `{second}`"
    )]
    TypeKindMismatch {
        type_name: String,
        first: String,
        first_kind: &'static str,
        second: String,
        second_kind: &'static str,
    },
    #[error(
        "field `{coordinate}` has type `{first_type}` in subgraph `{first}` but `{second_type}` in subgraph `{second}`"
    )]
    FieldTypeMismatch {
        coordinate: String,
        first: String,
        first_type: String,
        second: String,
        second_type: String,
    },
    #[error("field `{coordinate}` is resolved by subgraphs {} but is not @shareable in {}", quoted(.resolved_by), quoted(.not_shareable_in))]
    NonShareableField {
        coordinate: String,
        resolved_by: Vec<String>,
        not_shareable_in: Vec<String>,
    },
    #[error("enum `{type_name}` is used as an input but its values differ between subgraphs {}", quoted(.subgraphs))]
    InputEnumMismatch {
        type_name: String,
        subgraphs: Vec<String>,
    },
    #[error(
        "@key(fields: \"{fields}\") on `{type_name}` in subgraph `{subgraph}` is invalid: {message}"
    )]
    InvalidKey {
        subgraph: String,
        type_name: String,
        fields: String,
        message: String,
    },
    #[error(
        "@{directive} on `{coordinate}` in subgraph `{subgraph}` is not supported by this composer"
    )]
    Unsupported {
        subgraph: String,
        coordinate: String,
        directive: &'static str,
    },
    #[error("no subgraph defines a `Query` type")]
    NoQuery,
    #[error("the composed supergraph is invalid (a composer bug): {message}")]
    InvalidSupergraph { message: String },
}

fn quoted(names: &[String]) -> String {
    let quoted: Vec<String> = names.iter().map(|n| format!("`{n}`")).collect();
    quoted.join(", ")
}

/// Composes subgraph SDLs into a Federation v2 supergraph SDL (join v0.3).
///
/// The output is deterministic: types sorted by name, subgraphs by name.
pub fn compose(subgraphs: &[SubgraphSdl]) -> Result<String, Vec<CompositionError>> {
    let parsed = subgraph::parse_subgraphs(subgraphs)?;
    let merged = merge::merge_types(&parsed)?;
    let supergraph = emit::emit_supergraph(&parsed, merged).map_err(|e| vec![e])?;
    check_supergraph(&supergraph).map_err(|e| vec![e])?;
    Ok(supergraph)
}

/// The output must be a valid schema; a failure here is a bug in this module.
fn check_supergraph(sdl: &str) -> Result<(), CompositionError> {
    Schema::parse_and_validate(sdl, "supergraph.graphql")
        .map(|_| ())
        .map_err(|with_errors| CompositionError::InvalidSupergraph {
            message: with_errors.errors.to_string(),
        })
}
