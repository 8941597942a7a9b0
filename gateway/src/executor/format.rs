//! Shapes the merged data into the client's response by executing the client
//! operation over it with apollo-compiler's executor: aliases, fragments,
//! `@skip`/`@include`, introspection, leaf coercion and null propagation all
//! follow the spec, and fields fetched only for the gateway's own use drop out.

use apollo_compiler::ast::Type;
use apollo_compiler::collections::HashMap;
use apollo_compiler::executable::Operation;
use apollo_compiler::resolvers::{Execution, FieldError, ObjectValue, ResolveInfo, ResolvedValue};
use apollo_compiler::response::{ExecutionResponse, JsonMap, JsonValue};
use apollo_compiler::schema::{ExtendedType, Implementers};
use apollo_compiler::validation::Valid;
use apollo_compiler::{ExecutableDocument, Name, Schema};

/// The client response for `operation` over `data`.
pub fn shape_response(
    api_schema: &Valid<Schema>,
    implementers: &HashMap<Name, Implementers>,
    document: &Valid<ExecutableDocument>,
    operation: &Operation,
    variables: &Valid<JsonMap>,
    data: &JsonMap,
) -> ExecutionResponse {
    let root = DataObject {
        schema: api_schema,
        type_name: operation.object_type().to_string(),
        map: data,
    };
    let execution = Execution::new(api_schema, document)
        .operation(operation)
        .implementers_map(implementers)
        .coerced_variable_values(variables)
        .enable_schema_introspection(true);
    match execution.execute_sync(&root) {
        Ok(response) => response,
        Err(error) => ExecutionResponse {
            errors: vec![error.to_graphql_error(&document.sources)],
            data: None,
        },
    }
}

struct DataObject<'a> {
    schema: &'a Valid<Schema>,
    type_name: String,
    map: &'a JsonMap,
}

impl ObjectValue for DataObject<'_> {
    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn resolve_field<'a>(
        &'a self,
        info: &'a ResolveInfo<'a>,
    ) -> Result<ResolvedValue<'a>, FieldError> {
        let key = info.field_selections()[0].response_key();
        let ty = &info.field_definition().ty;
        resolve_value(self.schema, self.map.get(key.as_str()), ty)
    }
}

fn resolve_value<'a>(
    schema: &'a Valid<Schema>,
    value: Option<&'a JsonValue>,
    ty: &'a Type,
) -> Result<ResolvedValue<'a>, FieldError> {
    let Some(value) = value else {
        return Ok(ResolvedValue::null());
    };
    match value {
        JsonValue::Null => Ok(ResolvedValue::null()),
        JsonValue::Array(items) if ty.is_list() => {
            let item_type = ty.item_type();
            Ok(ResolvedValue::List(Box::new(items.iter().map(
                move |item| resolve_value(schema, Some(item), item_type),
            ))))
        }
        JsonValue::Object(map) if !is_leaf(schema, ty.inner_named_type()) => {
            let type_name = object_type_name(schema, map, ty.inner_named_type())?;
            Ok(ResolvedValue::object(DataObject {
                schema,
                type_name,
                map,
            }))
        }
        leaf => Ok(ResolvedValue::leaf(leaf.clone())),
    }
}

fn is_leaf(schema: &Schema, type_name: &str) -> bool {
    matches!(
        schema.types.get(type_name),
        Some(ExtendedType::Scalar(_) | ExtendedType::Enum(_))
    )
}

/// The object's concrete type: its `__typename`, or the declared type when that
/// is already an object type.
fn object_type_name(schema: &Schema, map: &JsonMap, declared: &Name) -> Result<String, FieldError> {
    if let Some(typename) = map.get("__typename").and_then(JsonValue::as_str)
        && matches!(schema.types.get(typename), Some(ExtendedType::Object(_)))
    {
        return Ok(typename.to_string());
    }
    match schema.types.get(declared) {
        Some(ExtendedType::Object(_)) => Ok(declared.to_string()),
        _ => Err(FieldError {
            message: format!("could not tell the concrete type of a `{declared}`"),
        }),
    }
}
