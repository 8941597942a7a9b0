//! The API schema: the supergraph as clients see it, without the join and link
//! machinery and without `@inaccessible` elements.

use apollo_compiler::Schema;
use apollo_compiler::ast::DirectiveLocation;
use apollo_compiler::schema::{ExtendedType, Name};
use apollo_compiler::validation::Valid;

use super::load::{SpecNames, SupergraphError};

/// Directives clients may see applied in the API schema.
const KEPT_DIRECTIVES: [&str; 3] = ["deprecated", "specifiedBy", "oneOf"];

pub(super) fn api_schema(
    supergraph: &Valid<Schema>,
    names: &SpecNames,
) -> Result<Valid<Schema>, SupergraphError> {
    let mut schema = supergraph.as_ref().clone();
    let hidden = hidden_types(&schema, names);
    schema.types.retain(|name, _| !hidden.contains(name));
    schema.schema_definition.make_mut().directives.clear();
    schema.directive_definitions.retain(|name, definition| {
        !names.is_spec_directive(name)
            && (definition.is_built_in() || definition.locations.iter().any(is_executable_location))
    });
    let inaccessible = names.inaccessible.as_str();
    for ty in schema.types.values_mut() {
        strip_type(ty, inaccessible, &hidden);
    }
    schema
        .validate()
        .map_err(|invalid| SupergraphError::InvalidApiSchema(invalid.errors.to_string()))
}

fn hidden_types(schema: &Schema, names: &SpecNames) -> Vec<Name> {
    schema
        .types
        .iter()
        .filter(|(name, ty)| {
            !ty.is_built_in()
                && (names.is_spec_element(name) || ty.directives().has(&names.inaccessible))
        })
        .map(|(name, _)| name.clone())
        .collect()
}

fn is_executable_location(location: &DirectiveLocation) -> bool {
    matches!(
        location,
        DirectiveLocation::Query
            | DirectiveLocation::Mutation
            | DirectiveLocation::Subscription
            | DirectiveLocation::Field
            | DirectiveLocation::FragmentDefinition
            | DirectiveLocation::FragmentSpread
            | DirectiveLocation::InlineFragment
            | DirectiveLocation::VariableDefinition
    )
}

fn strip_type(ty: &mut ExtendedType, inaccessible: &str, hidden: &[Name]) {
    if ty.is_built_in() {
        return;
    }
    let visible = |directives: &apollo_compiler::ast::DirectiveList| !directives.has(inaccessible);
    match ty {
        ExtendedType::Object(object) => {
            let object = object.make_mut();
            object
                .directives
                .retain(|d| KEPT_DIRECTIVES.contains(&d.name.as_str()));
            object
                .implements_interfaces
                .retain(|i| !hidden.contains(&i.name));
            object.fields.retain(|_, field| {
                visible(&field.directives) && !hidden.contains(field.ty.inner_named_type())
            });
            for field in object.fields.values_mut() {
                strip_field(field.make_mut(), inaccessible);
            }
        }
        ExtendedType::Interface(interface) => {
            let interface = interface.make_mut();
            interface
                .directives
                .retain(|d| KEPT_DIRECTIVES.contains(&d.name.as_str()));
            interface
                .implements_interfaces
                .retain(|i| !hidden.contains(&i.name));
            interface.fields.retain(|_, field| {
                visible(&field.directives) && !hidden.contains(field.ty.inner_named_type())
            });
            for field in interface.fields.values_mut() {
                strip_field(field.make_mut(), inaccessible);
            }
        }
        ExtendedType::Union(union) => {
            let union = union.make_mut();
            union
                .directives
                .retain(|d| KEPT_DIRECTIVES.contains(&d.name.as_str()));
            union
                .members
                .retain(|member| !hidden.contains(&member.name));
        }
        ExtendedType::Enum(enum_type) => {
            let enum_type = enum_type.make_mut();
            enum_type
                .directives
                .retain(|d| KEPT_DIRECTIVES.contains(&d.name.as_str()));
            enum_type
                .values
                .retain(|_, value| visible(&value.directives));
            for value in enum_type.values.values_mut() {
                value
                    .make_mut()
                    .directives
                    .retain(|d| KEPT_DIRECTIVES.contains(&d.name.as_str()));
            }
        }
        ExtendedType::InputObject(input) => {
            let input = input.make_mut();
            input
                .directives
                .retain(|d| KEPT_DIRECTIVES.contains(&d.name.as_str()));
            input.fields.retain(|_, field| {
                visible(&field.directives) && !hidden.contains(field.ty.inner_named_type())
            });
            for field in input.fields.values_mut() {
                field
                    .make_mut()
                    .directives
                    .retain(|d| KEPT_DIRECTIVES.contains(&d.name.as_str()));
            }
        }
        ExtendedType::Scalar(scalar) => {
            let scalar = scalar.make_mut();
            scalar
                .directives
                .retain(|d| KEPT_DIRECTIVES.contains(&d.name.as_str()));
        }
    }
}

fn strip_field(field: &mut apollo_compiler::schema::FieldDefinition, inaccessible: &str) {
    field
        .directives
        .retain(|d| KEPT_DIRECTIVES.contains(&d.name.as_str()));
    field
        .arguments
        .retain(|argument| !argument.directives.has(inaccessible));
    for argument in field.arguments.iter_mut() {
        argument
            .make_mut()
            .directives
            .retain(|d| KEPT_DIRECTIVES.contains(&d.name.as_str()));
    }
}
