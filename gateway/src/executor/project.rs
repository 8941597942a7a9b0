//! The fast path of response shaping: a plain operation (fields only, on object types,
//! no directives, fragments or introspection) over data that already holds every value
//! in the form the schema promises is projected straight into the client's JSON.
//!
//! Anything else answers `None` and goes to [`super::format::shape_response`], which
//! runs the whole execution algorithm: a null in a non-null position, a value of the
//! wrong kind, an abstract type, `@skip`. So the fast path only ever produces what the
//! full one would, and every error is still the full one's.

use apollo_compiler::ast::Type;
use apollo_compiler::executable::{Operation, Selection, SelectionSet};
use apollo_compiler::response::{JsonMap, JsonValue};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::validation::Valid;
use apollo_compiler::{Name, Schema};

/// The client's `data` for `operation` over `data`, as JSON text, or `None` when the
/// full execution algorithm is needed. Written straight out rather than built as a
/// tree first: building and then serialising a tree cost more than everything else
/// the gateway does for a cached single-subgraph query.
pub fn project_response(
    schema: &Valid<Schema>,
    operation: &Operation,
    data: &JsonMap,
) -> Option<Vec<u8>> {
    let root = schema.types.get(operation.object_type())?;
    if !matches!(root, ExtendedType::Object(_)) {
        return None;
    }
    let mut out = Vec::with_capacity(1024);
    let projection = Projection {
        schema,
        out: &mut out,
    };
    projection.object(&operation.selection_set, operation.object_type(), data)?;
    Some(out)
}

struct Projection<'a> {
    schema: &'a Schema,
    out: &'a mut Vec<u8>,
}

impl Projection<'_> {
    fn object(
        mut self,
        selection_set: &SelectionSet,
        declared: &Name,
        data: &JsonMap,
    ) -> Option<()> {
        if !is_plain(selection_set) {
            return None;
        }
        self.out.push(b'{');
        for (index, selection) in selection_set.selections.iter().enumerate() {
            let Selection::Field(field) = selection else {
                return None;
            };
            if index > 0 {
                self.out.push(b',');
            }
            let key = field.response_key().as_str();
            self.string(key);
            self.out.push(b':');
            if field.name == "__typename" {
                let typename = concrete_type_name(self.schema, data, declared);
                self.string(typename);
            } else {
                self.reborrow()
                    .value(&field.selection_set, &field.definition.ty, data.get(key))?;
            }
        }
        self.out.push(b'}');
        Some(())
    }

    fn value(
        mut self,
        selection_set: &SelectionSet,
        ty: &Type,
        value: Option<&JsonValue>,
    ) -> Option<()> {
        let value = match value {
            None | Some(JsonValue::Null) if ty.is_non_null() => return None,
            None | Some(JsonValue::Null) => {
                self.out.extend_from_slice(b"null");
                return Some(());
            }
            Some(value) => value,
        };
        if ty.is_list() {
            return self.list(selection_set, ty.item_type(), value);
        }
        match self.schema.types.get(ty.inner_named_type())? {
            ExtendedType::Object(_) => match value {
                JsonValue::Object(map) => self.object(selection_set, ty.inner_named_type(), map),
                _ => None,
            },
            ExtendedType::Scalar(_) => {
                accepts_as_is(ty.inner_named_type(), value).then_some(())?;
                self.json(value)
            }
            ExtendedType::Enum(definition) => {
                let name = value
                    .as_str()
                    .filter(|name| definition.values.contains_key(*name))?;
                self.string(name);
                Some(())
            }
            ExtendedType::Interface(_) | ExtendedType::Union(_) | ExtendedType::InputObject(_) => {
                None
            }
        }
    }

    fn list(
        mut self,
        selection_set: &SelectionSet,
        item_type: &Type,
        value: &JsonValue,
    ) -> Option<()> {
        let JsonValue::Array(items) = value else {
            return None;
        };
        self.out.push(b'[');
        for (index, item) in items.iter().enumerate() {
            if index > 0 {
                self.out.push(b',');
            }
            self.reborrow()
                .value(selection_set, item_type, Some(item))?;
        }
        self.out.push(b']');
        Some(())
    }

    fn reborrow(&mut self) -> Projection<'_> {
        Projection {
            schema: self.schema,
            out: self.out,
        }
    }

    fn string(&mut self, text: &str) {
        serde_json::to_writer(&mut *self.out, text).expect("writing JSON into memory cannot fail");
    }

    fn json(&mut self, value: &JsonValue) -> Option<()> {
        serde_json::to_writer(&mut *self.out, value).ok()
    }
}

/// Fields only, no directives or introspection, each response key once: merging
/// fields and everything else is the full algorithm's job.
fn is_plain(selection_set: &SelectionSet) -> bool {
    let selections = &selection_set.selections;
    selections.iter().enumerate().all(|(index, selection)| {
        let Selection::Field(field) = selection else {
            return false;
        };
        let key = field.response_key();
        field.directives.is_empty()
            && (field.name == "__typename" || !field.name.starts_with("__"))
            && !selections[..index].iter().any(|earlier| {
                matches!(earlier, Selection::Field(earlier) if earlier.response_key() == key)
            })
    })
}

/// Whether the scalar's result coercion accepts the value as it is.
fn accepts_as_is(scalar: &Name, value: &JsonValue) -> bool {
    match scalar.as_str() {
        "Int" => value.as_i64().is_some_and(|int| i32::try_from(int).is_ok()),
        "Float" => value.is_f64(),
        "String" => value.is_string(),
        "Boolean" => value.is_boolean(),
        "ID" => value.is_string() || value.is_i64(),
        // A custom scalar is whatever JSON the subgraph sent.
        _ => true,
    }
}

/// As the full path names an object: its `__typename` when that is an object type of
/// the schema, else the declared type.
fn concrete_type_name<'a>(schema: &Schema, data: &'a JsonMap, declared: &'a Name) -> &'a str {
    match data.get("__typename").and_then(JsonValue::as_str) {
        Some(typename) if matches!(schema.types.get(typename), Some(ExtendedType::Object(_))) => {
            typename
        }
        _ => declared.as_str(),
    }
}

#[cfg(test)]
mod tests {
    use apollo_compiler::ExecutableDocument;
    use serde_json::json;

    use super::*;
    use crate::executor::format::shape_response;

    const SDL: &str = r#"
        type Query { me: User, users: [User!]!, version: String! }
        type User implements Node { id: ID!, name: String, level: Level, age: Int,
          weight: Float, tags: [String!], meta: Json, friends: [User] }
        interface Node { id: ID! }
        enum Level { BEGINNER ADVANCED }
        scalar Json
    "#;

    fn schema() -> Valid<Schema> {
        Schema::parse_and_validate(SDL, "schema.graphql").expect("the test schema is valid")
    }

    /// Both paths over the same data: the fast one's answer, and the full one's data.
    fn both(
        query: &str,
        data: serde_json::Value,
    ) -> (Option<serde_json::Value>, serde_json::Value) {
        let schema = schema();
        let document = ExecutableDocument::parse_and_validate(&schema, query, "query.graphql")
            .expect("the test query is valid");
        let operation = document
            .operations
            .get(None)
            .expect("the test query has one operation");
        let data: JsonMap = serde_json::from_value(data).expect("test data is an object");
        let fast = project_response(&schema, operation, &data)
            .map(|text| serde_json::from_slice(&text).expect("the fast path writes valid JSON"));
        let variables = Valid::assume_valid(JsonMap::new());
        let implementers = schema.implementers_map();
        let full = shape_response(
            &schema,
            &implementers,
            &document,
            operation,
            &variables,
            &data,
        );
        let full_data = serde_json::to_value(full.data).expect("the full path's data serialises");
        (fast, full_data)
    }

    #[test]
    fn plain_operations_answer_as_the_full_algorithm_does() {
        let data = json!({
            "me": { "__typename": "User", "id": "u1", "name": "Ava \"A\" ✓\n", "level": "ADVANCED", "age": 31,
                    "weight": 61.5, "tags": ["a", "b"], "meta": { "any": [1, "x"] }, "extra": true,
                    "friends": [{ "id": "u2", "name": null }, null] },
            "users": [{ "id": 7, "name": "Bo" }],
            "version": "1",
        });
        let query = "{ version me { __typename id who: name level age weight tags meta \
                     friends { id name } } users { id name __typename } }";
        let (fast, full) = both(query, data);
        assert_eq!(fast.as_ref(), Some(&full));
        assert_eq!(
            full["me"]["friends"],
            json!([{ "id": "u2", "name": null }, null])
        );
        assert!(
            full["me"].get("extra").is_none(),
            "fields nobody asked for drop out"
        );
    }

    #[test]
    fn anything_beyond_the_plain_case_goes_to_the_full_algorithm() {
        let user = json!({ "id": "u1", "name": "Ava", "level": "ADVANCED", "age": 31 });
        let cases = [
            ("{ me { ... on User { name } } }", json!({ "me": user })),
            ("{ me { name @include(if: true) } }", json!({ "me": user })),
            ("{ me { name name } }", json!({ "me": user })),
            ("{ __schema { queryType { name } } }", json!({})),
            ("{ version }", json!({ "version": null })),
            ("{ me { level } }", json!({ "me": { "level": "EXPERT" } })),
            (
                "{ me { age } }",
                json!({ "me": { "age": 4_000_000_000_i64 } }),
            ),
            ("{ me { weight } }", json!({ "me": { "weight": 61 } })),
            ("{ users { id } }", json!({ "users": [null] })),
            (
                "{ me { friends { id } } }",
                json!({ "me": { "friends": { "id": "u2" } } }),
            ),
        ];
        for (query, data) in cases {
            assert_eq!(both(query, data).0, None, "{query}");
        }
    }
}
