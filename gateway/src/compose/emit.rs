//! Stage 3: print the supergraph: schema definition, join/link definitions, then
//! every type sorted by name.

use apollo_compiler::ast::{self, Definition, Document};
use apollo_compiler::{Name, Node};

use super::CompositionError;
use super::merge::Merged;
use super::subgraph::Subgraph;

/// The join v0.3 and link v1.0 definitions every supergraph carries.
const JOIN_DEFINITIONS: &str = r#"
directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE

directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION

directive @join__graph(name: String!, url: String!) on ENUM_VALUE

directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE

directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR

directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION

directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA

scalar join__FieldSet

scalar link__Import

enum link__Purpose {
  "`SECURITY` features provide metadata necessary to securely resolve fields."
  SECURITY
  "`EXECUTION` features provide metadata necessary for operation execution."
  EXECUTION
}
"#;

const TAG_DEFINITION: &str = "directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION | SCHEMA";

const INACCESSIBLE_DEFINITION: &str = "directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION";

/// Prints the supergraph from the merged type definitions.
pub(crate) fn emit_supergraph(
    subgraphs: &[Subgraph],
    merged: Merged,
) -> Result<String, CompositionError> {
    let Merged {
        types,
        uses_inaccessible,
        uses_tag,
    } = merged;
    let has_type = |name: &str| types.iter().any(|d| d.name().is_some_and(|n| n == name));
    if !has_type("Query") {
        return Err(CompositionError::NoQuery);
    }
    let mut preamble = schema_definition(
        has_type("Mutation"),
        has_type("Subscription"),
        uses_inaccessible,
        uses_tag,
    );
    preamble.push_str(JOIN_DEFINITIONS);
    if uses_inaccessible {
        preamble.push_str(INACCESSIBLE_DEFINITION);
    }
    if uses_tag {
        preamble.push('\n');
        preamble.push_str(TAG_DEFINITION);
    }
    // Parsing our own constant text: a failure is a bug, reported as such.
    let mut document = Document::parse(preamble, "preamble.graphql").map_err(|e| {
        CompositionError::InvalidSupergraph {
            message: e.errors.to_string(),
        }
    })?;
    let mut all_types = types;
    all_types.push(graph_enum(subgraphs));
    // Preamble types (join__FieldSet, link__*) join the sort so the whole type list is ordered.
    let (preamble_types, directives): (Vec<_>, Vec<_>) = document
        .definitions
        .drain(..)
        .partition(|d| d.is_extension_definition() || is_type_definition(d));
    all_types.extend(preamble_types);
    all_types.sort_by(|a, b| a.name().cmp(&b.name()));
    document.definitions = directives;
    document.definitions.extend(all_types);
    Ok(document.to_string())
}

fn is_type_definition(definition: &Definition) -> bool {
    !matches!(
        definition,
        Definition::SchemaDefinition(_) | Definition::DirectiveDefinition(_)
    )
}

fn schema_definition(mutation: bool, subscription: bool, inaccessible: bool, tag: bool) -> String {
    let mut text = String::from(
        "schema\n  @link(url: \"https://specs.apollo.dev/link/v1.0\")\n  @link(url: \"https://specs.apollo.dev/join/v0.3\", for: EXECUTION)\n",
    );
    if inaccessible {
        text.push_str(
            "  @link(url: \"https://specs.apollo.dev/inaccessible/v0.2\", for: SECURITY)\n",
        );
    }
    if tag {
        text.push_str("  @link(url: \"https://specs.apollo.dev/tag/v0.3\")\n");
    }
    text.push_str("{\n  query: Query\n");
    if mutation {
        text.push_str("  mutation: Mutation\n");
    }
    if subscription {
        text.push_str("  subscription: Subscription\n");
    }
    text.push_str("}\n");
    text
}

fn graph_enum(subgraphs: &[Subgraph]) -> Definition {
    let values = subgraphs
        .iter()
        .map(|s| {
            Node::new(ast::EnumValueDefinition {
                description: None,
                value: s.graph.clone(),
                directives: ast::DirectiveList(vec![directive(
                    "join__graph",
                    vec![("name", string(&s.name)), ("url", string(&s.url))],
                )]),
            })
        })
        .collect();
    Definition::EnumTypeDefinition(Node::new(ast::EnumTypeDefinition {
        description: None,
        name: Name::new_static_unchecked("join__Graph"),
        directives: ast::DirectiveList::new(),
        values,
    }))
}

/// A directive application from static names and built values.
pub(crate) fn directive(
    name: &'static str,
    arguments: Vec<(&'static str, ast::Value)>,
) -> Node<ast::Directive> {
    Node::new(ast::Directive {
        name: Name::new_static_unchecked(name),
        arguments: arguments
            .into_iter()
            .map(|(name, value)| {
                Node::new(ast::Argument {
                    name: Name::new_static_unchecked(name),
                    value: Node::new(value),
                })
            })
            .collect(),
    })
}

/// `@join__type`/`@join__field`/... all start with the graph argument.
pub(crate) fn graph_arg(subgraph: &Subgraph) -> (&'static str, ast::Value) {
    ("graph", ast::Value::Enum(subgraph.graph.clone()))
}

pub(crate) fn string(value: &str) -> ast::Value {
    ast::Value::String(value.to_owned())
}
