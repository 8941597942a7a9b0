//! Stage 2: merge each type across the subgraphs that define it, recording
//! ownership with join directives.

use std::collections::{BTreeMap, BTreeSet};

use apollo_compiler::ast::{self, Definition, DirectiveList as AstDirectives};
use apollo_compiler::collections::{IndexMap, IndexSet};
use apollo_compiler::schema::{
    Component, ComponentName, DirectiveList, ExtendedType, FieldDefinition,
};
use apollo_compiler::{Name, Node};

use super::CompositionError;
use super::emit::{directive, graph_arg, string};
use super::subgraph::{Subgraph, fed_directive, fed_directives, string_arg};

/// Merged type definitions, plus whether any of them is `@inaccessible`.
pub(crate) struct Merged {
    pub types: Vec<Definition>,
    pub uses_inaccessible: bool,
    pub uses_tag: bool,
}

/// Subgraph directives the supergraph keeps on types, fields and values.
const KEPT_DIRECTIVES: &[&str] = &["inaccessible", "deprecated", "specifiedBy", "tag"];

/// Kept directives that may be applied several times with different arguments.
const REPEATABLE_DIRECTIVES: &[&str] = &["tag"];

pub(crate) fn merge_types(subgraphs: &[Subgraph]) -> Result<Merged, Vec<CompositionError>> {
    let mut by_name: BTreeMap<&Name, Vec<(&Subgraph, &ExtendedType)>> = BTreeMap::new();
    for subgraph in subgraphs {
        for (name, ty) in subgraph.composed_types() {
            by_name.entry(name).or_default().push((subgraph, ty));
        }
    }
    let mut types = Vec::new();
    let mut errors = Vec::new();
    for (name, defs) in by_name {
        match merge_type(name, &defs) {
            Ok(definition) => types.push(definition),
            Err(mut errs) => errors.append(&mut errs),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let uses_inaccessible = types
        .iter()
        .any(|t| t.to_string().contains("@inaccessible"));
    let uses_tag = types.iter().any(|t| t.to_string().contains("@tag("));
    Ok(Merged {
        types,
        uses_inaccessible,
        uses_tag,
    })
}

fn kind(ty: &ExtendedType) -> &'static str {
    match ty {
        ExtendedType::Scalar(_) => "a scalar",
        ExtendedType::Object(_) => "an object type",
        ExtendedType::Interface(_) => "an interface",
        ExtendedType::Union(_) => "a union",
        ExtendedType::Enum(_) => "an enum",
        ExtendedType::InputObject(_) => "an input type",
    }
}

fn merge_type(
    name: &Name,
    defs: &[(&Subgraph, &ExtendedType)],
) -> Result<Definition, Vec<CompositionError>> {
    let (first, first_ty) = defs[0];
    for (subgraph, ty) in defs {
        if fed_directives(ty.directives(), "interfaceObject")
            .next()
            .is_some()
        {
            return Err(vec![CompositionError::Unsupported {
                subgraph: subgraph.name.clone(),
                coordinate: name.to_string(),
                directive: "interfaceObject",
            }]);
        }
        if kind(ty) != kind(first_ty) {
            return Err(vec![CompositionError::TypeKindMismatch {
                type_name: name.to_string(),
                first: first.name.clone(),
                first_kind: kind(first_ty),
                second: subgraph.name.clone(),
                second_kind: kind(ty),
            }]);
        }
    }
    let description = defs.iter().find_map(|(_, ty)| ty.description().cloned());
    let directives = kept_directives(
        defs.iter()
            .map(|(_, ty)| ty.directives().iter().map(|d| &***d)),
    );
    let mut base = Base {
        name: name.clone(),
        description,
        directives,
    };
    match first_ty {
        ExtendedType::Object(_) | ExtendedType::Interface(_) => merge_composite(base, defs),
        ExtendedType::Enum(_) => merge_enum(base, defs).map_err(|e| vec![e]),
        ExtendedType::Union(_) => Ok(merge_union(base, defs)),
        ExtendedType::InputObject(_) => Ok(merge_input(base, defs)),
        ExtendedType::Scalar(_) => {
            base.directives.0.extend(plain_join_types(defs));
            Ok(Definition::ScalarTypeDefinition(Node::new(
                ast::ScalarTypeDefinition {
                    description: base.description,
                    name: base.name,
                    directives: base.directives,
                },
            )))
        }
    }
}

/// What every merged type has: its name, first description and kept directives.
struct Base {
    name: Name,
    description: Option<Node<str>>,
    directives: AstDirectives,
}

fn is_tag(directive: &ast::Directive) -> bool {
    directive.name == "tag" || directive.name == "federation__tag"
}

/// `@inaccessible`/`@deprecated`/... applied in any subgraph, each once.
fn kept_directives<'a>(
    lists: impl Iterator<Item = impl Iterator<Item = &'a ast::Directive>>,
) -> AstDirectives {
    let mut kept: Vec<Node<ast::Directive>> = Vec::new();
    for directive in lists.flatten() {
        let name = directive
            .name
            .strip_prefix("federation__")
            .unwrap_or(&directive.name);
        let mut directive = directive.clone();
        directive.name = Name::new_unchecked(name);
        let seen = if REPEATABLE_DIRECTIVES.contains(&name) {
            kept.iter().any(|k| **k == directive)
        } else {
            kept.iter().any(|k| k.name == name)
        };
        if !KEPT_DIRECTIVES.contains(&name) || seen {
            continue;
        }
        kept.push(Node::new(directive));
    }
    AstDirectives(kept)
}

fn plain_join_types(defs: &[(&Subgraph, &ExtendedType)]) -> Vec<Node<ast::Directive>> {
    defs.iter()
        .map(|(subgraph, _)| directive("join__type", vec![graph_arg(subgraph)]))
        .collect()
}

fn merge_enum(
    mut base: Base,
    defs: &[(&Subgraph, &ExtendedType)],
) -> Result<Definition, CompositionError> {
    let enums: Vec<_> = defs
        .iter()
        .filter_map(|(subgraph, ty)| ty.as_enum().map(|e| (*subgraph, e)))
        .collect();
    let used_as_input = enums
        .iter()
        .any(|(s, _)| s.input_types.contains(&base.name));
    let differs = enums.windows(2).any(|pair| {
        pair[0].1.values.keys().collect::<BTreeSet<_>>() != pair[1].1.values.keys().collect()
    });
    if used_as_input && differs {
        return Err(CompositionError::InputEnumMismatch {
            type_name: base.name.to_string(),
            subgraphs: enums.iter().map(|(s, _)| s.name.clone()).collect(),
        });
    }
    // Output-only enums merge by union: each value says which subgraphs know it.
    let mut values: IndexMap<Name, Vec<(&Subgraph, &Component<ast::EnumValueDefinition>)>> =
        IndexMap::default();
    for (subgraph, enum_type) in &enums {
        for (name, value) in &enum_type.values {
            values
                .entry(name.clone())
                .or_default()
                .push((subgraph, value));
        }
    }
    let values = values
        .into_iter()
        .map(|(name, owners)| {
            let mut directives = kept_directives(
                owners
                    .iter()
                    .map(|(_, v)| v.directives.iter().map(|d| &**d)),
            );
            directives.0.extend(
                owners
                    .iter()
                    .map(|(s, _)| directive("join__enumValue", vec![graph_arg(s)])),
            );
            Node::new(ast::EnumValueDefinition {
                description: owners.iter().find_map(|(_, v)| v.description.clone()),
                value: name,
                directives,
            })
        })
        .collect();
    base.directives.0.extend(plain_join_types(defs));
    Ok(Definition::EnumTypeDefinition(Node::new(
        ast::EnumTypeDefinition {
            description: base.description,
            name: base.name,
            directives: base.directives,
            values,
        },
    )))
}

fn merge_union(mut base: Base, defs: &[(&Subgraph, &ExtendedType)]) -> Definition {
    base.directives.0.extend(plain_join_types(defs));
    let mut members: IndexSet<Name> = IndexSet::default();
    for (subgraph, ty) in defs {
        for member in ty.as_union().into_iter().flat_map(|u| u.members.iter()) {
            members.insert(member.name.clone());
            base.directives.0.push(directive(
                "join__unionMember",
                vec![graph_arg(subgraph), ("member", string(member))],
            ));
        }
    }
    Definition::UnionTypeDefinition(Node::new(ast::UnionTypeDefinition {
        description: base.description,
        name: base.name,
        directives: base.directives,
        members: members.into_iter().collect(),
    }))
}

/// Input types merge by intersection: a field only some subgraphs accept is dropped.
fn merge_input(mut base: Base, defs: &[(&Subgraph, &ExtendedType)]) -> Definition {
    base.directives.0.extend(plain_join_types(defs));
    let inputs: Vec<_> = defs
        .iter()
        .filter_map(|(_, ty)| ty.as_input_object())
        .collect();
    let fields = inputs
        .first()
        .map(|first| {
            first
                .fields
                .iter()
                .filter(|(name, _)| inputs.iter().all(|i| i.fields.contains_key(*name)))
                .map(|(_, field)| strip_input_value(field))
                .collect()
        })
        .unwrap_or_default();
    Definition::InputObjectTypeDefinition(Node::new(ast::InputObjectTypeDefinition {
        description: base.description,
        name: base.name,
        directives: base.directives,
        fields,
    }))
}

/// An argument or input field with only the directives the supergraph keeps.
fn strip_input_value(value: &Node<ast::InputValueDefinition>) -> Node<ast::InputValueDefinition> {
    let mut value = (**value).clone();
    value.directives = kept_directives(std::iter::once(value.directives.iter().map(|d| &**d)));
    Node::new(value)
}

/// One subgraph's definition of an object or interface type.
struct Composite<'a> {
    subgraph: &'a Subgraph,
    implements: &'a IndexSet<ComponentName>,
    directives: &'a DirectiveList,
    fields: &'a IndexMap<Name, Component<FieldDefinition>>,
    /// Fields this subgraph may share: key fields, or all under a type-level `@shareable`.
    shareable_type: bool,
    key_fields: Vec<Name>,
}

fn composite<'a>(subgraph: &'a Subgraph, ty: &'a ExtendedType) -> Option<Composite<'a>> {
    let (implements, directives, fields) = match ty {
        ExtendedType::Object(o) => (&o.implements_interfaces, &o.directives, &o.fields),
        ExtendedType::Interface(i) => (&i.implements_interfaces, &i.directives, &i.fields),
        _ => return None,
    };
    Some(Composite {
        subgraph,
        implements,
        directives,
        fields,
        // Interface fields only declare a shape; objects resolve them, so they never
        // need `@shareable`.
        shareable_type: ty.is_interface()
            || fed_directives(directives, "shareable").next().is_some(),
        key_fields: Vec::new(),
    })
}

fn merge_composite(
    mut base: Base,
    defs: &[(&Subgraph, &ExtendedType)],
) -> Result<Definition, Vec<CompositionError>> {
    let mut parts: Vec<Composite> = defs.iter().filter_map(|(s, ty)| composite(s, ty)).collect();
    let mut errors = Vec::new();
    for part in &mut parts {
        match part.subgraph.keys(&base.name, part.directives) {
            Ok(keys) => {
                base.directives.0.extend(join_types(part.subgraph, &keys));
                part.key_fields = keys.into_iter().flat_map(|k| k.top_fields).collect();
            }
            Err(error) => errors.push(error),
        }
    }
    let mut implements: IndexSet<Name> = IndexSet::default();
    for part in &parts {
        for interface in part.implements {
            implements.insert(interface.name.clone());
            base.directives.0.push(directive(
                "join__implements",
                vec![graph_arg(part.subgraph), ("interface", string(interface))],
            ));
        }
    }
    let mut fields = Vec::new();
    for name in field_names(&base.name, &parts) {
        match merge_field(&base.name, &name, &parts) {
            Ok(field) => fields.push(field),
            Err(error) => errors.push(error),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let implements_interfaces = implements.into_iter().collect();
    Ok(match defs[0].1 {
        ExtendedType::Interface(_) => {
            Definition::InterfaceTypeDefinition(Node::new(ast::InterfaceTypeDefinition {
                description: base.description,
                name: base.name,
                implements_interfaces,
                directives: base.directives,
                fields,
            }))
        }
        _ => Definition::ObjectTypeDefinition(Node::new(ast::ObjectTypeDefinition {
            description: base.description,
            name: base.name,
            implements_interfaces,
            directives: base.directives,
            fields,
        })),
    })
}

/// One `@join__type` per `@key` (a plain one for a non-entity).
fn join_types(subgraph: &Subgraph, keys: &[super::subgraph::Key]) -> Vec<Node<ast::Directive>> {
    if keys.is_empty() {
        return vec![directive("join__type", vec![graph_arg(subgraph)])];
    }
    keys.iter()
        .map(|key| {
            let mut arguments = vec![graph_arg(subgraph), ("key", string(&key.fields))];
            if !key.resolvable {
                arguments.push(("resolvable", ast::Value::Boolean(false)));
            }
            directive("join__type", arguments)
        })
        .collect()
}

/// Field names in first-seen order (subgraphs by name, fields as declared).
fn field_names(type_name: &str, parts: &[Composite]) -> Vec<Name> {
    let mut names: IndexSet<Name> = IndexSet::default();
    for part in parts {
        for name in part.fields.keys() {
            if !part.subgraph.is_federation_field(type_name, name) {
                names.insert(name.clone());
            }
        }
    }
    names.into_iter().collect()
}

/// One subgraph's definition of a field, with its federation directives read.
struct FieldDef<'a> {
    part: &'a Composite<'a>,
    field: &'a Component<FieldDefinition>,
    external: bool,
    override_from: Option<&'a str>,
}

fn merge_field(
    type_name: &Name,
    name: &Name,
    parts: &[Composite],
) -> Result<Node<ast::FieldDefinition>, CompositionError> {
    let coordinate = format!("{type_name}.{name}");
    let defs: Vec<FieldDef> = parts
        .iter()
        .filter_map(|part| {
            let field = part.fields.get(name)?;
            Some(FieldDef {
                part,
                field,
                external: fed_directive(&field.directives, "external").is_some(),
                override_from: fed_directive(&field.directives, "override")
                    .and_then(|d| string_arg(d, "from")),
            })
        })
        .collect();
    let first = defs
        .first()
        .expect("field_names only yields fields some subgraph defines");
    if let Some(other) = defs.iter().find(|d| d.field.ty != first.field.ty) {
        return Err(CompositionError::FieldTypeMismatch {
            coordinate,
            first: first.part.subgraph.name.clone(),
            first_type: first.field.ty.to_string(),
            second: other.part.subgraph.name.clone(),
            second_type: other.field.ty.to_string(),
        });
    }
    // An overridden definition no longer resolves the field: drop it entirely.
    let overridden: Vec<&str> = defs.iter().filter_map(|d| d.override_from).collect();
    let owners: Vec<&FieldDef> = defs
        .iter()
        .filter(|d| !overridden.contains(&d.part.subgraph.name.as_str()))
        .collect();
    check_shareable(&coordinate, name, &owners)?;
    let mut field = (***first.field).clone();
    field.description = defs.iter().find_map(|d| d.field.description.clone());
    field.arguments = field.arguments.iter().map(strip_input_value).collect();
    // A subgraph's type-level `@tag` covers the fields it resolves, and only those:
    // copying it onto them keeps that attribution in the supergraph.
    field.directives = kept_directives(defs.iter().map(|d| {
        let type_tags = d
            .part
            .directives
            .iter()
            .filter(|directive| !d.external && is_tag(directive))
            .map(|directive| &***directive);
        d.field.directives.iter().map(|d| &**d).chain(type_tags)
    }));
    let needs_join_field =
        owners.len() != parts.len() || owners.iter().any(|d| has_field_metadata(d));
    if needs_join_field {
        field
            .directives
            .0
            .extend(owners.iter().map(|d| join_field(d)));
    }
    Ok(Node::new(field))
}

/// Several subgraphs may resolve a field only if each of them marks it shareable.
fn check_shareable(
    coordinate: &str,
    name: &Name,
    owners: &[&FieldDef],
) -> Result<(), CompositionError> {
    let resolving: Vec<&&FieldDef> = owners.iter().filter(|d| !d.external).collect();
    if resolving.len() < 2 {
        return Ok(());
    }
    let not_shareable: Vec<String> = resolving
        .iter()
        .filter(|d| {
            !(d.part.shareable_type
                || d.part.key_fields.contains(name)
                || fed_directive(&d.field.directives, "shareable").is_some())
        })
        .map(|d| d.part.subgraph.name.clone())
        .collect();
    if not_shareable.is_empty() {
        return Ok(());
    }
    Err(CompositionError::NonShareableField {
        coordinate: coordinate.to_owned(),
        resolved_by: resolving
            .iter()
            .map(|d| d.part.subgraph.name.clone())
            .collect(),
        not_shareable_in: not_shareable,
    })
}

fn has_field_metadata(def: &FieldDef) -> bool {
    let directives = &def.field.directives;
    def.external
        || def.override_from.is_some()
        || fed_directive(directives, "requires").is_some()
        || fed_directive(directives, "provides").is_some()
}

fn join_field(def: &FieldDef) -> Node<ast::Directive> {
    let directives = &def.field.directives;
    let mut arguments = vec![graph_arg(def.part.subgraph)];
    for (directive_name, argument) in [("requires", "requires"), ("provides", "provides")] {
        if let Some(fields) =
            fed_directive(directives, directive_name).and_then(|d| string_arg(d, "fields"))
        {
            arguments.push((argument, string(fields)));
        }
    }
    if def.external {
        arguments.push(("external", ast::Value::Boolean(true)));
    }
    if let Some(from) = def.override_from {
        arguments.push(("override", string(from)));
    }
    directive("join__field", arguments)
}
