//! Reading representations out of the response tree and merging subgraph
//! answers back into it, errors included.

use std::collections::HashMap;

use apollo_compiler::response::{JsonMap, JsonValue};
use bytes::Bytes;

use super::Execution;
use super::fetch::{SubgraphFailure, SubgraphResponse};
use crate::planner::{FetchNode, PathElement, Selection, TypenameRewrite};

/// A concrete place in the response: object keys and list indexes.
pub(crate) type ResponsePath = Vec<Segment>;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Segment {
    Key(String),
    Index(usize),
}

/// The representations one entity fetch sends, deduplicated, and for each the
/// places in the response whose objects it stands for.
#[derive(Debug, Default)]
pub(crate) struct EntityBatch {
    /// Each representation as JSON text, written straight from the response tree:
    /// `@requires` payloads can be large, and a copied tree would only be
    /// serialised and dropped.
    pub(crate) representations: Vec<Bytes>,
    /// Each representation's `__typename`, for merging the answers.
    typenames: Vec<Option<JsonValue>>,
    pub(crate) origins: Vec<Vec<ResponsePath>>,
}

impl EntityBatch {
    pub(crate) fn is_empty(&self) -> bool {
        self.origins.is_empty()
    }
}

pub(crate) fn collect_representations(
    data: &JsonMap,
    path: &[PathElement],
    requires: &[Selection],
    rewrites: &[TypenameRewrite],
) -> EntityBatch {
    let mut objects = Vec::new();
    collect_objects(data, path, &mut Vec::new(), &mut objects);
    let mut batch = EntityBatch::default();
    let mut known: HashMap<Bytes, usize> = HashMap::new();
    for (origin, object) in objects {
        // An object missing a key or required field can't be represented: its
        // fields from this subgraph stay null.
        let Some((text, typename)) = representation(object, requires, rewrites) else {
            continue;
        };
        match known.get(&text) {
            Some(&index) => batch.origins[index].push(origin),
            None => {
                known.insert(text.clone(), batch.representations.len());
                batch.representations.push(text);
                batch.typenames.push(typename);
                batch.origins.push(vec![origin]);
            }
        }
    }
    batch
}

fn collect_objects<'a>(
    map: &'a JsonMap,
    path: &[PathElement],
    at: &mut ResponsePath,
    out: &mut Vec<(ResponsePath, &'a JsonMap)>,
) {
    let Some((first, rest)) = path.split_first() else {
        out.push((at.clone(), map));
        return;
    };
    let PathElement::Key(key) = first else { return };
    let Some(value) = map.get(key.as_str()) else {
        return;
    };
    at.push(Segment::Key(key.clone()));
    collect_in_value(value, rest, at, out);
    at.pop();
}

fn collect_in_value<'a>(
    value: &'a JsonValue,
    path: &[PathElement],
    at: &mut ResponsePath,
    out: &mut Vec<(ResponsePath, &'a JsonMap)>,
) {
    match (value, path.first()) {
        (JsonValue::Array(items), Some(PathElement::List)) => {
            for (index, item) in items.iter().enumerate() {
                at.push(Segment::Index(index));
                collect_in_value(item, &path[1..], at, out);
                at.pop();
            }
        }
        (JsonValue::Object(map), _) => collect_objects(map, path, at, out),
        _ => {}
    }
}

/// One selected field of a representation: its value and what to select in it.
type Picked<'a> = (&'a str, &'a JsonValue, &'a [Selection]);

/// One object's representation as JSON text, and its `__typename` after the
/// rewrites; `None` when a selected field is missing, or when no fragment applied
/// (the fetch wants nothing from objects of this type).
fn representation(
    object: &JsonMap,
    requires: &[Selection],
    rewrites: &[TypenameRewrite],
) -> Option<(Bytes, Option<JsonValue>)> {
    let mut fields = Vec::new();
    pick(object, requires, &mut fields)?;
    if fields.is_empty() {
        return None;
    }
    let present = fields
        .iter()
        .find(|(name, ..)| *name == "__typename")
        .map(|(_, value, _)| *value);
    let renamed = rewritten_typename(present.and_then(JsonValue::as_str), rewrites);
    let mut out = Vec::with_capacity(128);
    write_object(&mut out, &fields, renamed)?;
    let typename = match renamed {
        Some(name) => Some(JsonValue::from(name)),
        None => present.cloned(),
    };
    Some((out.into(), typename))
}

/// The selected fields of `object` in selection order, a repeated name keeping its
/// first place and its last value (as inserting into a map would).
fn pick<'a>(
    object: &'a JsonMap,
    selections: &'a [Selection],
    out: &mut Vec<Picked<'a>>,
) -> Option<()> {
    let typename = object.get("__typename").and_then(JsonValue::as_str);
    let mut internal = String::from(crate::planner::INTERNAL_ALIAS_PREFIX);
    for selection in selections {
        match selection {
            Selection::Field { name, selections } => {
                internal.truncate(crate::planner::INTERNAL_ALIAS_PREFIX.len());
                internal.push_str(name);
                let value = object
                    .get(internal.as_str())
                    .or_else(|| object.get(name.as_str()))?;
                match out.iter_mut().find(|(known, ..)| *known == name.as_str()) {
                    Some(slot) => *slot = (name.as_str(), value, selections.as_slice()),
                    None => out.push((name.as_str(), value, selections.as_slice())),
                }
            }
            Selection::InlineFragment {
                type_condition,
                possible_types,
                selections,
            } => {
                let applies = typename.is_some_and(|typename| {
                    typename == type_condition || possible_types.iter().any(|t| t == typename)
                });
                if applies {
                    pick(object, selections, out)?;
                }
            }
        }
    }
    Some(())
}

fn write_object(out: &mut Vec<u8>, fields: &[Picked<'_>], typename: Option<&str>) -> Option<()> {
    out.push(b'{');
    for (index, (name, value, selections)) in fields.iter().enumerate() {
        if index > 0 {
            out.push(b',');
        }
        write_json(out, name);
        out.push(b':');
        match typename {
            Some(typename) if *name == "__typename" => write_json(out, typename),
            _ => write_selected(out, value, selections)?,
        }
    }
    if let Some(typename) = typename
        && !fields.iter().any(|(name, ..)| *name == "__typename")
    {
        if !fields.is_empty() {
            out.push(b',');
        }
        out.extend_from_slice(b"\"__typename\":");
        write_json(out, typename);
    }
    out.push(b'}');
    Some(())
}

fn write_selected(out: &mut Vec<u8>, value: &JsonValue, selections: &[Selection]) -> Option<()> {
    if selections.is_empty() {
        write_json(out, value);
        return Some(());
    }
    match value {
        JsonValue::Object(map) => {
            let mut fields = Vec::new();
            pick(map, selections, &mut fields)?;
            write_object(out, &fields, None)
        }
        JsonValue::Array(items) => {
            out.push(b'[');
            for (index, item) in items.iter().enumerate() {
                if index > 0 {
                    out.push(b',');
                }
                write_selected(out, item, selections)?;
            }
            out.push(b']');
            Some(())
        }
        JsonValue::Null => {
            out.extend_from_slice(b"null");
            Some(())
        }
        _ => None,
    }
}

fn write_json(out: &mut Vec<u8>, value: &(impl serde::Serialize + ?Sized)) {
    serde_json::to_writer(out, value).expect("JSON values and strings always serialise");
}

/// The `__typename` the rewrites give a representation whose own is `current`, or
/// `None` when none applies.
fn rewritten_typename<'a>(
    current: Option<&'a str>,
    rewrites: &'a [TypenameRewrite],
) -> Option<&'a str> {
    let mut renamed = None;
    let mut current = current.unwrap_or_default();
    for rewrite in rewrites {
        if rewrite.from.is_empty() || rewrite.from.iter().any(|from| from == current) {
            current = rewrite.rename_to.as_str();
            renamed = Some(current);
        }
    }
    renamed
}

fn apply_rewrites(object: &mut JsonMap, rewrites: &[TypenameRewrite]) {
    for rewrite in rewrites {
        let current = object
            .get("__typename")
            .and_then(JsonValue::as_str)
            .unwrap_or_default();
        if rewrite.from.is_empty() || rewrite.from.iter().any(|from| from == current) {
            object.insert("__typename", JsonValue::from(rewrite.rename_to.as_str()));
        }
    }
}

/// Merges one fetch's answer (or failure) into the execution.
pub(crate) fn merge_response(
    fetch: &FetchNode,
    batch: Option<&EntityBatch>,
    response: Result<SubgraphResponse, SubgraphFailure>,
    execution: &mut Execution,
) {
    let service = fetch.service_name.as_str();
    let response = match response {
        Ok(response) => response,
        Err(failure) => {
            tracing::warn!(subgraph = service, error = %failure, "fetch failed");
            let path = batch.and_then(|batch| batch.origins.first()?.first().cloned());
            execution
                .errors
                .push(failure_error(&failure, service, path));
            record_failed_paths(batch, execution);
            return;
        }
    };
    for error in response.errors {
        let error = rewrite_error(error, service, batch);
        if let Some(JsonValue::Array(path)) = error.get("path") {
            execution.failed_paths.push(path.clone());
        }
        execution.errors.push(error);
    }
    match (batch, response.data) {
        (None, Some(JsonValue::Object(data))) => deep_merge_map(&mut execution.data, data),
        (Some(batch), Some(JsonValue::Object(mut data))) => {
            if let Some(JsonValue::Array(entities)) = data.remove("_entities") {
                merge_entities(batch, entities, &fetch.output_rewrites, &mut execution.data);
            }
        }
        _ => {}
    }
}

fn merge_entities(
    batch: &EntityBatch,
    entities: Vec<JsonValue>,
    rewrites: &[TypenameRewrite],
    data: &mut JsonMap,
) {
    for ((entity, origins), asked_typename) in entities
        .into_iter()
        .zip(&batch.origins)
        .zip(&batch.typenames)
    {
        let JsonValue::Object(mut entity) = entity else {
            continue;
        };
        apply_rewrites(&mut entity, rewrites);
        // An answer naming the type it was asked about adds nothing (and for an
        // `@interfaceObject` it names the interface); one naming another type
        // resolved an interface to its concrete type, which is kept.
        if entity.get("__typename") == asked_typename.as_ref() {
            entity.remove("__typename");
        }
        // Copies only for the places beyond the first one.
        let Some((last, others)) = origins.split_last() else {
            continue;
        };
        for origin in others {
            if let Some(JsonValue::Object(target)) = value_at_mut(data, origin) {
                deep_merge_map(target, entity.clone());
            }
        }
        if let Some(JsonValue::Object(target)) = value_at_mut(data, last) {
            deep_merge_map(target, entity);
        }
    }
}

fn record_failed_paths(batch: Option<&EntityBatch>, execution: &mut Execution) {
    match batch {
        Some(batch) => {
            for origin in batch.origins.iter().flatten() {
                if let JsonValue::Array(path) = path_json(origin) {
                    execution.failed_paths.push(path);
                }
            }
        }
        None => execution.failed_paths.push(Vec::new()),
    }
}

fn value_at_mut<'a>(data: &'a mut JsonMap, path: &[Segment]) -> Option<&'a mut JsonValue> {
    let (first, rest) = path.split_first()?;
    let Segment::Key(key) = first else {
        return None;
    };
    let mut value = data.get_mut(key.as_str())?;
    for segment in rest {
        value = match (segment, value) {
            (Segment::Key(key), JsonValue::Object(map)) => map.get_mut(key.as_str())?,
            (Segment::Index(index), JsonValue::Array(items)) => items.get_mut(*index)?,
            _ => return None,
        };
    }
    Some(value)
}

fn deep_merge_map(target: &mut JsonMap, source: JsonMap) {
    for (key, value) in source {
        match target.get_mut(&key) {
            Some(present) => deep_merge(present, value),
            None => {
                target.insert(key, value);
            }
        }
    }
}

fn deep_merge(target: &mut JsonValue, source: JsonValue) {
    match (target, source) {
        (JsonValue::Object(target), JsonValue::Object(source)) => deep_merge_map(target, source),
        (JsonValue::Array(target), JsonValue::Array(source)) if target.len() == source.len() => {
            for (item, addition) in target.iter_mut().zip(source) {
                deep_merge(item, addition);
            }
        }
        (target, source) => *target = source,
    }
}

fn failure_error(
    failure: &SubgraphFailure,
    service: &str,
    path: Option<ResponsePath>,
) -> JsonValue {
    let mut error = JsonMap::new();
    error.insert("message", JsonValue::from(failure.client_message()));
    if let Some(path) = path {
        error.insert("path", path_json(&path));
    }
    error.insert("extensions", extensions(failure.code(), service));
    JsonValue::Object(error)
}

fn extensions(code: &str, service: &str) -> JsonValue {
    let mut extensions = JsonMap::new();
    extensions.insert("code", JsonValue::from(code));
    extensions.insert("serviceName", JsonValue::from(service));
    JsonValue::Object(extensions)
}

/// A subgraph's error, its path moved from `_entities.N...` to where the entity
/// sits in the client's response, tagged with the subgraph's name.
fn rewrite_error(error: JsonValue, service: &str, batch: Option<&EntityBatch>) -> JsonValue {
    let JsonValue::Object(mut error) = error else {
        return JsonValue::Object(JsonMap::new());
    };
    // Locations point into the operation the gateway sent, not the client's.
    error.remove("locations");
    let path = error.remove("path");
    if let Some(path) = path.and_then(|path| client_path(path, batch)) {
        error.insert("path", path);
    }
    let mut extensions = match error.remove("extensions") {
        Some(JsonValue::Object(extensions)) => extensions,
        _ => JsonMap::new(),
    };
    extensions
        .entry("code")
        .or_insert_with(|| JsonValue::from("DOWNSTREAM_SERVICE_ERROR"));
    extensions.insert("serviceName", JsonValue::from(service));
    error.insert("extensions", JsonValue::Object(extensions));
    JsonValue::Object(error)
}

fn client_path(path: JsonValue, batch: Option<&EntityBatch>) -> Option<JsonValue> {
    let Some(batch) = batch else {
        return Some(path);
    };
    let JsonValue::Array(segments) = path else {
        return None;
    };
    let index = segments.get(1)?.as_u64()? as usize;
    let origin = batch.origins.get(index)?.first()?;
    let mut rewritten: Vec<JsonValue> = match path_json(origin) {
        JsonValue::Array(items) => items,
        _ => Vec::new(),
    };
    rewritten.extend(segments.into_iter().skip(2));
    Some(JsonValue::Array(rewritten))
}

fn path_json(path: &[Segment]) -> JsonValue {
    JsonValue::Array(
        path.iter()
            .map(|segment| match segment {
                Segment::Key(key) => JsonValue::from(key.as_str()),
                Segment::Index(index) => JsonValue::from(*index as u64),
            })
            .collect(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn data(value: serde_json::Value) -> JsonMap {
        match serde_json::from_value(value).expect("test data is JSON") {
            JsonValue::Object(map) => map,
            _ => panic!("test data is an object"),
        }
    }

    fn product_key() -> Vec<Selection> {
        vec![Selection::InlineFragment {
            type_condition: "Product".into(),
            possible_types: vec!["Product".into()],
            selections: vec![
                Selection::Field {
                    name: "__typename".into(),
                    selections: Vec::new(),
                },
                Selection::Field {
                    name: "upc".into(),
                    selections: Vec::new(),
                },
            ],
        }]
    }

    #[test]
    fn skips_null_objects_and_objects_missing_their_key() {
        let data = data(serde_json::json!({ "products": [
            { "__typename": "Product", "upc": "1" },
            null,
            { "__typename": "Product" },
            { "__typename": "Product", "upc": "1" },
            { "__typename": "Product", "upc": "2" }
        ] }));
        let path = [PathElement::Key("products".into()), PathElement::List];
        let batch = collect_representations(&data, &path, &product_key(), &[]);
        assert_eq!(
            batch.representations.len(),
            2,
            "null, keyless and repeated objects add none"
        );
        assert_eq!(
            batch.origins[0],
            vec![
                vec![Segment::Key("products".into()), Segment::Index(0)],
                vec![Segment::Key("products".into()), Segment::Index(3)]
            ]
        );
    }

    fn field(name: &str, selections: Vec<Selection>) -> Selection {
        Selection::Field {
            name: name.into(),
            selections,
        }
    }

    #[test]
    fn writes_required_fields_as_selected_and_renames_typenames() {
        let data = data(serde_json::json!({ "users": [
            { "__typename": "User", "id": "1", "_fg_score": 9, "score": 1, "extra": true,
              "signals": [{ "kg": 60.5, "note": "a \"b\"", "skip": 1 }, null] },
            { "__typename": "User", "id": "2", "signals": [] }
        ] }));
        let requires = vec![Selection::InlineFragment {
            type_condition: "User".into(),
            possible_types: vec!["User".into()],
            selections: vec![
                field("id", Vec::new()),
                field("score", Vec::new()),
                field(
                    "signals",
                    vec![field("kg", Vec::new()), field("note", Vec::new())],
                ),
            ],
        }];
        let rewrites = [TypenameRewrite {
            from: Vec::new(),
            rename_to: "Account".into(),
        }];
        let path = [PathElement::Key("users".into()), PathElement::List];
        let batch = collect_representations(&data, &path, &requires, &rewrites);
        let written: Vec<serde_json::Value> = batch
            .representations
            .iter()
            .map(|text| serde_json::from_slice(text).expect("a representation is JSON"))
            .collect();
        assert_eq!(
            written,
            vec![serde_json::json!({ "id": "1", "score": 9,
                "signals": [{ "kg": 60.5, "note": "a \"b\"" }, null], "__typename": "Account" })],
            "the second user lacks `score`; the internal alias wins over the plain field"
        );
        assert_eq!(batch.typenames, vec![Some(JsonValue::from("Account"))]);
    }

    #[test]
    fn a_missing_list_sends_nothing() {
        let data = data(serde_json::json!({ "products": null }));
        let path = [PathElement::Key("products".into()), PathElement::List];
        assert!(collect_representations(&data, &path, &product_key(), &[]).is_empty());
    }
}
