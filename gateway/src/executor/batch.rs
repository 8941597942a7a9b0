//! Several entity fetches to one subgraph in one plan step, sent as a single
//! request: each becomes an aliased `_entities` field with its own
//! representations variable.

use apollo_compiler::response::{JsonMap, JsonValue};

use super::PreparedFetch;
use super::fetch::{FetchVariables, SubgraphFailure, SubgraphResponse};

pub(super) fn combined_operation(steps: &[&PreparedFetch<'_>]) -> (String, FetchVariables) {
    let mut definitions: Vec<String> = Vec::new();
    let mut fields = String::new();
    let mut variables = FetchVariables::default();
    for (index, step) in steps.iter().enumerate() {
        let Some(entities) = &step.fetch.entity_selection else {
            continue;
        };
        definitions.push(format!("$representations{index}: [_Any!]!"));
        for definition in &entities.variable_definitions {
            if !definitions.contains(definition) {
                definitions.push(definition.clone());
            }
        }
        fields.push_str(&format!(
            " _{index}: _entities(representations: $representations{index}) {}",
            entities.selection
        ));
        for (name, value) in step.variables.plain.iter() {
            variables.plain.insert(name.clone(), value.clone());
        }
        for (_, items) in &step.variables.representations {
            variables
                .representations
                .push((format!("representations{index}"), items.clone()));
        }
    }
    (
        format!("query({}) {{{fields} }}", definitions.join(", ")),
        variables,
    )
}

/// One answer per combined fetch, as if each had been sent alone.
pub(super) fn split_response(
    response: Result<SubgraphResponse, SubgraphFailure>,
    count: usize,
) -> Vec<Result<SubgraphResponse, SubgraphFailure>> {
    let response = match response {
        Ok(response) => response,
        Err(failure) => return (0..count).map(|_| Err(failure.clone())).collect(),
    };
    let mut data = match response.data {
        Some(JsonValue::Object(data)) => data,
        _ => JsonMap::new(),
    };
    let mut parts: Vec<SubgraphResponse> = (0..count)
        .map(|index| SubgraphResponse {
            data: data.remove(format!("_{index}").as_str()).map(|entities| {
                let mut wrapped = JsonMap::new();
                wrapped.insert("_entities", entities);
                JsonValue::Object(wrapped)
            }),
            errors: Vec::new(),
        })
        .collect();
    for error in response.errors {
        let (index, error) = owning_fetch(error);
        if let Some(part) = parts.get_mut(index.unwrap_or(0)) {
            part.errors.push(error);
        }
    }
    parts.into_iter().map(Ok).collect()
}

/// Which combined fetch an error belongs to (by its path's alias), with the
/// path turned back into `_entities`.
fn owning_fetch(mut error: JsonValue) -> (Option<usize>, JsonValue) {
    let Some(JsonValue::Array(path)) = error.get_mut("path") else {
        return (None, error);
    };
    let index = path
        .first()
        .and_then(JsonValue::as_str)
        .and_then(|alias| alias.strip_prefix('_'))
        .and_then(|index| index.parse::<usize>().ok());
    if index.is_some() {
        path[0] = JsonValue::from("_entities");
    }
    (index, error)
}
