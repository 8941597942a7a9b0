//! Turns a Federation v2 subgraph SDL into an executable schema.
//!
//! A subgraph SDL only *imports* the federation directives through `@link`;
//! apollo-compiler does not understand `@link`, so the definitions are
//! prepended here. The subgraph additions (`_Any`, `_Entity`, `_Service`,
//! `Query._entities`, `Query._service`) are then appended as SDL text and the
//! whole document is parsed again, which is simpler than editing the schema
//! model in place.

use std::collections::HashSet;

use apollo_compiler::Schema;
use apollo_compiler::ast::{self, Value};
use apollo_compiler::schema::{DirectiveList, ExtendedType};
use apollo_compiler::validation::Valid;

use crate::FixtureError;

/// Federation directives as `(name, everything after the name)`. Each is
/// defined both plainly (as imported) and with the `federation__` prefix.
const FEDERATION_DIRECTIVES: &[(&str, &str)] = &[
    (
        "key",
        "(fields: FieldSet!, resolvable: Boolean = true) repeatable on OBJECT | INTERFACE",
    ),
    ("requires", "(fields: FieldSet!) on FIELD_DEFINITION"),
    ("provides", "(fields: FieldSet!) on FIELD_DEFINITION"),
    ("external", "(reason: String) on OBJECT | FIELD_DEFINITION"),
    ("shareable", " repeatable on OBJECT | FIELD_DEFINITION"),
    (
        "override",
        "(from: String!, label: String) on FIELD_DEFINITION",
    ),
    (
        "inaccessible",
        " on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION",
    ),
    ("interfaceObject", " on OBJECT"),
    (
        "tag",
        "(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION | SCHEMA",
    ),
    ("extends", " on OBJECT | INTERFACE"),
    ("composeDirective", "(name: String!) repeatable on SCHEMA"),
    (
        "authenticated",
        " on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
    ),
    (
        "requiresScopes",
        "(scopes: [[federation__Scope!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
    ),
    (
        "policy",
        "(policies: [[federation__Policy!]!]!) on FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM",
    ),
    (
        "cost",
        "(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | INPUT_FIELD_DEFINITION | OBJECT | SCALAR",
    ),
    (
        "listSize",
        "(assumedSize: Int, slicingArguments: [String!], sizedFields: [String!], requireOneSlicingArgument: Boolean = true) on FIELD_DEFINITION",
    ),
    (
        "context",
        "(name: String!) repeatable on INTERFACE | OBJECT | UNION",
    ),
    (
        "fromContext",
        "(field: federation__ContextFieldValue) on ARGUMENT_DEFINITION",
    ),
];

/// Supporting types as `(name, full definition)`.
const SUPPORT_TYPES: &[(&str, &str)] = &[
    ("FieldSet", "scalar FieldSet"),
    ("federation__FieldSet", "scalar federation__FieldSet"),
    ("federation__Scope", "scalar federation__Scope"),
    ("federation__Policy", "scalar federation__Policy"),
    (
        "federation__ContextFieldValue",
        "scalar federation__ContextFieldValue",
    ),
    ("link__Import", "scalar link__Import"),
    ("link__Purpose", "enum link__Purpose { SECURITY EXECUTION }"),
];

const LINK_DIRECTIVE: &str = "directive @link(url: String!, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA";

/// Names the subgraph SDL defines itself, so the prelude does not redefine them.
#[derive(Default)]
struct Defined {
    directives: HashSet<String>,
    types: HashSet<String>,
}

impl Defined {
    fn scan(sdl: &str) -> Self {
        // A parse error is reported later by the real build, with locations.
        let doc = ast::Document::parse(sdl, "scan.graphql").unwrap_or_else(|e| e.partial);
        let mut defined = Self::default();
        for def in &doc.definitions {
            match def {
                ast::Definition::DirectiveDefinition(d) => {
                    defined.directives.insert(d.name.to_string());
                }
                def if def.is_extension_definition() => {}
                def => {
                    if let Some(name) = def.name() {
                        defined.types.insert(name.to_string());
                    }
                }
            }
        }
        defined
    }
}

fn prelude(defined: &Defined) -> String {
    let mut out = String::new();
    for (name, rest) in FEDERATION_DIRECTIVES {
        for full in [name.to_string(), format!("federation__{name}")] {
            if !defined.directives.contains(&full) {
                out.push_str(&format!("directive @{full}{rest}\n"));
            }
        }
    }
    if !defined.directives.contains("link") {
        out.push_str(LINK_DIRECTIVE);
        out.push('\n');
    }
    for (name, def) in SUPPORT_TYPES {
        if !defined.types.contains(*name) {
            out.push_str(def);
            out.push('\n');
        }
    }
    out
}

fn build(prelude: &str, sdl: &str, extra: &str, file: &str) -> Result<Schema, FixtureError> {
    // Orphan extensions are adopted because subgraphs commonly write
    // `extend type Query` or `extend schema @link(..)` with no base definition.
    let mut builder = Schema::builder().adopt_orphan_extensions();
    // An empty document is a syntax error, so empty parts are left out.
    for (text, path) in [
        (prelude, "federation-prelude.graphql"),
        (sdl, file),
        (extra, "federation-additions.graphql"),
    ] {
        if !text.trim().is_empty() || path == file {
            builder = builder.parse(text, path);
        }
    }
    builder
        .build()
        .map_err(|e| FixtureError::InvalidSdl(e.errors.to_string()))
}

/// Whether a directive list carries a `@key` that the subgraph can resolve.
pub(crate) fn has_resolvable_key(directives: &DirectiveList) -> bool {
    directives
        .iter()
        .filter(|d| d.name == "key" || d.name == "federation__key")
        .any(|d| {
            let resolvable = d.specified_argument_by_name("resolvable");
            !matches!(resolvable.map(|v| v.as_ref()), Some(Value::Boolean(false)))
        })
}

/// Object types `_entities` may return: keyed objects, plus implementers of
/// keyed interfaces (an entity interface resolves to a concrete type).
fn entity_types(schema: &Schema) -> Vec<String> {
    let keyed_interface = |name: &str| {
        schema
            .get_interface(name)
            .is_some_and(|i| has_resolvable_key(&i.directives))
    };
    schema
        .types
        .values()
        .filter_map(|ty| match ty {
            ExtendedType::Object(obj) => Some(obj),
            _ => None,
        })
        .filter(|obj| {
            has_resolvable_key(&obj.directives)
                || obj.implements_interfaces.iter().any(|i| keyed_interface(i))
        })
        .map(|obj| obj.name.to_string())
        .collect()
}

/// SDL text for the federation subgraph additions missing from `schema`.
fn additions(schema: &Schema) -> String {
    let mut out = String::new();
    let has_type = |name: &str| schema.types.contains_key(name);
    if !has_type("_Any") {
        out.push_str("scalar _Any\n");
    }
    if !has_type("_Service") {
        out.push_str("type _Service { sdl: String }\n");
    }
    let entities = entity_types(schema);
    if !entities.is_empty() && !has_type("_Entity") {
        out.push_str(&format!("union _Entity = {}\n", entities.join(" | ")));
    }
    let query = schema.schema_definition.query.as_ref();
    let query_fields = query.and_then(|q| schema.get_object(q)).map(|q| &q.fields);
    let lacks = |field: &str| query_fields.is_none_or(|f| !f.contains_key(field));
    let mut fields = String::new();
    if !entities.is_empty() && lacks("_entities") {
        fields.push_str("  _entities(representations: [_Any!]!): [_Entity]!\n");
    }
    if lacks("_service") {
        fields.push_str("  _service: _Service!\n");
    }
    if !fields.is_empty() {
        let head = match query {
            Some(name) => format!("extend type {name}"),
            None => "type Query".to_owned(),
        };
        out.push_str(&format!("{head} {{\n{fields}}}\n"));
    }
    out
}

/// Builds and validates the executable schema of a subgraph.
pub(crate) fn subgraph_schema(name: &str, sdl: &str) -> Result<Valid<Schema>, FixtureError> {
    let prelude = prelude(&Defined::scan(sdl));
    let file = format!("{name}.graphql");
    let first = build(&prelude, sdl, "", &file)?;
    let extra = additions(&first);
    build(&prelude, sdl, &extra, &file)?
        .validate()
        .map_err(|e| FixtureError::InvalidSdl(e.errors.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    const SDL: &str = r#"
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
        type Product @key(fields: "id") { id: ID! name: String @shareable }
        type Review @key(fields: "id", resolvable: false) { id: ID! }
        interface Media @key(fields: "id") { id: ID! }
        type Book implements Media { id: ID! }
    "#;

    #[test]
    fn adds_query_and_entity_union() {
        let schema = subgraph_schema("s", SDL).expect("valid subgraph");
        let query = schema.get_object("Query").expect("Query is created");
        assert!(query.fields.contains_key("_entities"));
        assert!(query.fields.contains_key("_service"));
        let members: Vec<_> = schema
            .get_union("_Entity")
            .unwrap()
            .members
            .iter()
            .map(|m| m.to_string())
            .collect();
        assert_eq!(members, ["Product", "Book"]);
    }

    #[test]
    fn no_entities_means_no_entities_field() {
        let schema = subgraph_schema("s", "type Query { a: Int }").expect("valid");
        assert!(
            !schema
                .get_object("Query")
                .unwrap()
                .fields
                .contains_key("_entities")
        );
        assert!(schema.get_union("_Entity").is_none());
    }

    #[test]
    fn accepts_orphan_query_extension_and_prefixed_directives() {
        let sdl = r#"
            extend schema @link(url: "https://specs.apollo.dev/federation/v2.3")
            extend type Query { a: Int }
            type T @federation__key(fields: "id") @federation__shareable { id: ID! }
        "#;
        let schema = subgraph_schema("s", sdl).expect("valid subgraph");
        let query = schema.get_object("Query").unwrap();
        assert!(query.fields.contains_key("a") && query.fields.contains_key("_entities"));
    }

    #[test]
    fn invalid_sdl_is_reported() {
        let err = subgraph_schema("s", "type Query { a: Missing }").unwrap_err();
        assert!(err.to_string().contains("Missing"), "{err}");
    }
}
