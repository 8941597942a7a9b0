//! Field resolution over JSON fixture data, plugged into apollo-compiler's
//! executor through [`ObjectValue`].
//!
//! Values are converted to [`ResolvedValue`]s guided by the field's declared
//! type: the executor needs to be told whether a JSON object is a GraphQL
//! object (whose fields are resolved further) or a custom scalar leaf.

use std::collections::HashMap;
use std::sync::Arc;

use apollo_compiler::Schema;
use apollo_compiler::resolvers::{FieldError, ObjectValue, ResolveInfo, ResolvedValue};
use apollo_compiler::response::JsonValue;
use apollo_compiler::schema::{ExtendedType, Type};
use serde_json::{Map, Value};

/// A computed field: `(parent object, field arguments) -> value`.
pub(crate) type Resolver = Arc<dyn Fn(&Value, &Value) -> Value + Send + Sync>;

/// Everything a fixture subgraph answers from.
#[derive(Default)]
pub(crate) struct Fixtures {
    pub(crate) sdl: String,
    pub(crate) query: Map<String, Value>,
    pub(crate) mutation: Map<String, Value>,
    pub(crate) entities: HashMap<String, Vec<Map<String, Value>>>,
    pub(crate) resolvers: HashMap<(String, String), Resolver>,
}

/// A GraphQL object backed by a JSON object.
pub(crate) struct JsonObject<'a> {
    type_name: String,
    fields: Map<String, Value>,
    fixtures: &'a Fixtures,
}

impl<'a> JsonObject<'a> {
    pub(crate) fn new(type_name: &str, fields: Map<String, Value>, fixtures: &'a Fixtures) -> Self {
        Self {
            type_name: type_name.to_owned(),
            fields,
            fixtures,
        }
    }

    fn is_query_root(&self, schema: &Schema) -> bool {
        schema
            .schema_definition
            .query
            .as_ref()
            .is_some_and(|q| q.as_str() == self.type_name)
    }

    fn resolver_value(
        &self,
        resolver: &Resolver,
        info: &ResolveInfo<'_>,
    ) -> Result<Value, FieldError> {
        let args = serde_json::to_value(info.arguments()).map_err(field_error)?;
        // The parent is handed over whole so resolvers can read @requires
        // inputs merged in from the entity representation.
        let parent = Value::Object(self.fields.clone());
        Ok(resolver(&parent, &args))
    }
}

impl ObjectValue for JsonObject<'_> {
    fn type_name(&self) -> &str {
        &self.type_name
    }

    fn resolve_field<'a>(
        &'a self,
        info: &'a ResolveInfo<'a>,
    ) -> Result<ResolvedValue<'a>, FieldError> {
        let schema = info.schema();
        let field = info.field_name();
        let ty = &info.field_definition().ty;
        if self.is_query_root(schema) {
            match field {
                "_entities" => return resolve_entities(self.fixtures, schema, info, ty),
                "_service" => {
                    let service = serde_json::json!({ "sdl": self.fixtures.sdl });
                    return to_resolved(self.fixtures, schema, service, ty);
                }
                _ => {}
            }
        }
        let key = (self.type_name.clone(), field.to_owned());
        let value = match self.fixtures.resolvers.get(&key) {
            Some(resolver) => self.resolver_value(resolver, info)?,
            None => self.fields.get(field).cloned().unwrap_or(Value::Null),
        };
        to_resolved(self.fixtures, schema, value, ty)
    }
}

fn field_error(err: impl std::fmt::Display) -> FieldError {
    FieldError {
        message: err.to_string(),
    }
}

/// `{"__error": "message"}` anywhere a field value is expected becomes a field error.
fn error_marker(value: &Value) -> Option<String> {
    let marker = value.as_object()?.get("__error")?;
    Some(
        marker
            .as_str()
            .map_or_else(|| marker.to_string(), str::to_owned),
    )
}

/// Converts a JSON value into what the executor expects for type `ty`.
fn to_resolved<'a>(
    fixtures: &'a Fixtures,
    schema: &'a Schema,
    value: Value,
    ty: &Type,
) -> Result<ResolvedValue<'a>, FieldError> {
    if let Some(message) = error_marker(&value) {
        return Err(FieldError { message });
    }
    if value.is_null() {
        return Ok(ResolvedValue::null());
    }
    if ty.is_list() {
        let Value::Array(items) = value else {
            return Err(field_error(format!(
                "expected a JSON array for list type {ty}, got {value}"
            )));
        };
        let inner = ty.item_type();
        let items: Vec<_> = items
            .into_iter()
            .map(|item| to_resolved(fixtures, schema, item, inner))
            .collect();
        return Ok(ResolvedValue::List(Box::new(items.into_iter())));
    }
    let declared = ty.inner_named_type();
    match schema.types.get(declared) {
        Some(ExtendedType::Object(_) | ExtendedType::Interface(_) | ExtendedType::Union(_)) => {
            let Value::Object(fields) = value else {
                return Err(field_error(format!(
                    "expected a JSON object for type {declared}, got {value}"
                )));
            };
            let type_name = object_type_name(schema, declared, &fields)?;
            Ok(ResolvedValue::object(JsonObject {
                type_name,
                fields,
                fixtures,
            }))
        }
        _ => serde_json::from_value::<JsonValue>(value)
            .map(ResolvedValue::Leaf)
            .map_err(field_error),
    }
}

/// The concrete type of a JSON object: its `__typename`, else the declared type.
fn object_type_name(
    schema: &Schema,
    declared: &str,
    fields: &Map<String, Value>,
) -> Result<String, FieldError> {
    if let Some(name) = fields.get("__typename").and_then(Value::as_str) {
        return Ok(name.to_owned());
    }
    if schema.get_object(declared).is_some() {
        return Ok(declared.to_owned());
    }
    Err(field_error(format!(
        "a JSON object for abstract type {declared} needs a \"__typename\""
    )))
}

fn resolve_entities<'a>(
    fixtures: &'a Fixtures,
    schema: &'a Schema,
    info: &ResolveInfo<'_>,
    ty: &Type,
) -> Result<ResolvedValue<'a>, FieldError> {
    let representations = info
        .arguments()
        .get("representations")
        .map(serde_json::to_value)
        .transpose()
        .map_err(field_error)?;
    let Some(Value::Array(representations)) = representations else {
        return Err(field_error("_entities needs a list of representations"));
    };
    let entity_type = ty.item_type();
    let items: Vec<_> = representations
        .iter()
        .map(|rep| {
            let found = find_entity(fixtures, schema, rep)?;
            to_resolved(
                fixtures,
                schema,
                found.map_or(Value::Null, Value::Object),
                entity_type,
            )
        })
        .collect();
    Ok(ResolvedValue::List(Box::new(items.into_iter())))
}

/// Looks a representation up among the registered entities of its type and
/// returns the stored object merged with the representation, or `None`.
fn find_entity(
    fixtures: &Fixtures,
    schema: &Schema,
    rep: &Value,
) -> Result<Option<Map<String, Value>>, FieldError> {
    let rep = rep
        .as_object()
        .ok_or_else(|| field_error("a representation must be a JSON object"))?;
    let type_name = rep
        .get("__typename")
        .and_then(Value::as_str)
        .ok_or_else(|| field_error("a representation needs a string \"__typename\""))?;
    let candidates = fixtures
        .entities
        .get(type_name)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let Some(stored) = candidates.iter().find(|stored| object_matches(stored, rep)) else {
        return Ok(None);
    };
    let mut merged = stored.clone();
    for (key, value) in rep {
        merged.entry(key.clone()).or_insert_with(|| value.clone());
    }
    // An entity interface is answered with the concrete type stored with the
    // object; an ordinary entity (or @interfaceObject) is tagged with its own name.
    let tag = match (schema.get_interface(type_name), stored.get("__typename")) {
        (Some(_), Some(concrete)) => concrete.clone(),
        _ => Value::String(type_name.to_owned()),
    };
    merged.insert("__typename".to_owned(), tag);
    Ok(Some(merged))
}

/// Whether every representation key the stored object also has agrees with it.
/// Keys the stored object lacks are @requires inputs and do not take part.
fn object_matches(stored: &Map<String, Value>, rep: &Map<String, Value>) -> bool {
    rep.iter()
        .filter(|(key, _)| key.as_str() != "__typename")
        .all(|(key, value)| stored.get(key).is_none_or(|s| values_match(s, value)))
}

fn values_match(stored: &Value, rep: &Value) -> bool {
    match (stored, rep) {
        (Value::Object(s), Value::Object(r)) => object_matches(s, r),
        (Value::Array(s), Value::Array(r)) => {
            s.len() == r.len() && s.iter().zip(r).all(|(s, r)| values_match(s, r))
        }
        // IDs travel as strings but fixtures often store them as numbers.
        (Value::Number(n), Value::String(s)) | (Value::String(s), Value::Number(n)) => {
            n.to_string() == *s
        }
        _ => stored == rep,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn obj(v: Value) -> Map<String, Value> {
        v.as_object().unwrap().clone()
    }

    #[test]
    fn matching_ignores_keys_the_stored_object_lacks() {
        let stored = obj(json!({"id": 1, "org": {"id": "a", "name": "A"}}));
        assert!(object_matches(
            &stored,
            &obj(json!({"__typename": "T", "id": "1", "weight": 3}))
        ));
        assert!(object_matches(
            &stored,
            &obj(json!({"id": 1, "org": {"id": "a"}}))
        ));
        assert!(!object_matches(&stored, &obj(json!({"id": 2}))));
        assert!(!object_matches(
            &stored,
            &obj(json!({"id": 1, "org": {"id": "b"}}))
        ));
    }

    #[test]
    fn error_marker_reads_message() {
        assert_eq!(
            error_marker(&json!({"__error": "boom"})).as_deref(),
            Some("boom")
        );
        assert_eq!(error_marker(&json!({"x": 1})), None);
    }
}
