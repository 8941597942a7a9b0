//! Stage 1: parse each subgraph SDL and read its federation metadata.

use std::collections::HashSet;

use apollo_compiler::ast::{self, DirectiveList as AstDirectives};
use apollo_compiler::executable::{FieldSet, Selection};
use apollo_compiler::schema::{DirectiveList, ExtendedType};
use apollo_compiler::validation::Valid;
use apollo_compiler::{Name, Schema};

use super::{CompositionError, SubgraphSdl};

/// A parsed subgraph: its schema plus what composition needs to know about it.
pub(crate) struct Subgraph {
    pub name: String,
    pub url: String,
    /// The `join__Graph` enum value naming this subgraph.
    pub graph: Name,
    pub schema: Schema,
    /// Named types that appear in an input position (argument or input field).
    pub input_types: HashSet<Name>,
}

/// A `@key` on a type: its field set and whether the subgraph can resolve it.
pub(crate) struct Key {
    pub fields: String,
    pub resolvable: bool,
    /// Top-level fields the key selects; key fields are implicitly shareable.
    pub top_fields: Vec<Name>,
}

/// Types and fields federation adds to a subgraph; they never reach the supergraph.
const FEDERATION_TYPES: &[&str] = &["_Service", "_Entity", "_Any", "FieldSet", "_FieldSet"];
const FEDERATION_ROOT_FIELDS: &[&str] = &["_service", "_entities"];

pub(crate) fn parse_subgraphs(
    subgraphs: &[SubgraphSdl],
) -> Result<Vec<Subgraph>, Vec<CompositionError>> {
    let mut parsed = Vec::new();
    let mut errors = Vec::new();
    let mut seen = HashSet::new();
    for sdl in subgraphs {
        if !seen.insert(graph_enum_value(&sdl.name)) {
            errors.push(CompositionError::DuplicateSubgraph {
                subgraph: sdl.name.clone(),
            });
            continue;
        }
        match parse_subgraph(sdl) {
            Ok(subgraph) => parsed.push(subgraph),
            Err(error) => errors.push(error),
        }
    }
    // Subgraph order decides directive order in the output: sort for determinism.
    parsed.sort_by(|a, b| a.name.cmp(&b.name));
    if errors.is_empty() {
        Ok(parsed)
    } else {
        Err(errors)
    }
}

fn parse_subgraph(sdl: &SubgraphSdl) -> Result<Subgraph, CompositionError> {
    let invalid = |message: String| CompositionError::InvalidSubgraph {
        subgraph: sdl.name.clone(),
        message,
    };
    let graph = Name::new(&graph_enum_value(&sdl.name))
        .map_err(|_| invalid("its name does not make a GraphQL enum value".to_owned()))?;
    // Lenient build, no validation: the SDL applies federation directives
    // (`@key`, `@link`, ...) that it does not define.
    let schema = Schema::builder()
        .adopt_orphan_extensions()
        .parse(sdl.sdl.as_str(), format!("{}.graphql", sdl.name))
        .build()
        .map_err(|with_errors| invalid(with_errors.errors.to_string()))?;
    let input_types = collect_input_types(&schema);
    Ok(Subgraph {
        name: sdl.name.clone(),
        url: sdl.url.clone(),
        graph,
        schema,
        input_types,
    })
}

/// `my-sub graph` -> `MY_SUB_GRAPH`.
pub(crate) fn graph_enum_value(name: &str) -> String {
    name.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_uppercase()
            } else {
                '_'
            }
        })
        .collect()
}

fn collect_input_types(schema: &Schema) -> HashSet<Name> {
    let mut names = HashSet::new();
    for ty in schema.types.values() {
        match ty {
            ExtendedType::Object(o) => o.fields.values().for_each(|f| {
                names.extend(f.arguments.iter().map(|a| a.ty.inner_named_type().clone()))
            }),
            ExtendedType::Interface(i) => i.fields.values().for_each(|f| {
                names.extend(f.arguments.iter().map(|a| a.ty.inner_named_type().clone()))
            }),
            ExtendedType::InputObject(i) => {
                names.extend(i.fields.values().map(|f| f.ty.inner_named_type().clone()))
            }
            _ => {}
        }
    }
    names
}

impl Subgraph {
    /// The types composition merges: everything but built-ins and federation plumbing.
    pub fn composed_types(&self) -> impl Iterator<Item = (&Name, &ExtendedType)> {
        self.schema.types.iter().filter(|(name, ty)| {
            !ty.is_built_in()
                && !FEDERATION_TYPES.contains(&name.as_str())
                && !name.starts_with("federation__")
                && !name.starts_with("link__")
        })
    }

    /// Whether a field of `type_name` is federation plumbing (`Query._service`, ...).
    pub fn is_federation_field(&self, type_name: &str, field: &str) -> bool {
        let is_query = self
            .schema
            .root_operation(ast::OperationType::Query)
            .is_some_and(|q| q == type_name);
        is_query && FEDERATION_ROOT_FIELDS.contains(&field)
    }

    /// The `@key`s of a type, in declaration order, with their field sets checked.
    pub fn keys(
        &self,
        type_name: &Name,
        directives: &DirectiveList,
    ) -> Result<Vec<Key>, CompositionError> {
        let mut keys = Vec::new();
        for key in fed_directives(directives, "key") {
            let fields = string_arg(key, "fields").unwrap_or_default().to_owned();
            let resolvable = key
                .specified_argument_by_name("resolvable")
                .and_then(|v| v.to_bool())
                .unwrap_or(true);
            let top_fields = self.check_field_set(type_name, &fields)?;
            keys.push(Key {
                fields,
                resolvable,
                top_fields,
            });
        }
        Ok(keys)
    }

    /// Parses a `@key` field set against this subgraph's schema; returns its top-level fields.
    fn check_field_set(
        &self,
        type_name: &Name,
        fields: &str,
    ) -> Result<Vec<Name>, CompositionError> {
        let error = |message: String| CompositionError::InvalidKey {
            subgraph: self.name.clone(),
            type_name: type_name.to_string(),
            fields: fields.to_owned(),
            message,
        };
        // The subgraph schema is unvalidated (federation directives are undefined);
        // field-set validation only needs its types and fields, which the build checked.
        let schema = Valid::assume_valid_ref(&self.schema);
        let field_set =
            FieldSet::parse_and_validate(schema, type_name.clone(), fields, "key.graphql")
                .map_err(|with_errors| error(first_message(&with_errors.errors.to_string())))?;
        Ok(field_set
            .selection_set
            .selections
            .iter()
            .filter_map(|selection| match selection {
                Selection::Field(field) => Some(field.name.clone()),
                _ => None,
            })
            .collect())
    }
}

/// The first line of a diagnostic report: the message without the source snippet.
fn first_message(report: &str) -> String {
    let line = report.lines().next().unwrap_or_default();
    line.trim_start_matches("Error: ").to_owned()
}

/// Applications of a federation directive, under its imported or its namespaced name.
pub(crate) fn fed_directives<'a>(
    directives: &'a DirectiveList,
    name: &'a str,
) -> impl Iterator<Item = &'a ast::Directive> + 'a {
    directives
        .iter()
        .filter(move |d| is_fed_name(&d.name, name))
        .map(|d| &***d)
}

/// The same as [`fed_directives`] for an AST directive list (fields, enum values).
pub(crate) fn fed_directive<'a>(
    directives: &'a AstDirectives,
    name: &str,
) -> Option<&'a ast::Directive> {
    directives
        .iter()
        .find(|d| is_fed_name(&d.name, name))
        .map(|d| &**d)
}

fn is_fed_name(actual: &str, name: &str) -> bool {
    actual == name || actual.strip_prefix("federation__") == Some(name)
}

pub(crate) fn string_arg<'a>(directive: &'a ast::Directive, name: &str) -> Option<&'a str> {
    directive
        .specified_argument_by_name(name)
        .and_then(|v| v.as_str())
}
