//! Checks beyond the GraphQL validation apollo-compiler runs: aliases the
//! gateway reserves for itself, and fields that cannot merge because their
//! arguments differ (apollo-compiler 1.33 compares list arguments only up to the
//! shorter list's length).

use std::collections::{HashMap, HashSet};

use apollo_compiler::ast::Argument;
use apollo_compiler::executable::{Selection, SelectionSet};
use apollo_compiler::{ExecutableDocument, Name, Node};

use crate::planner::INTERNAL_ALIAS_PREFIX;

/// Why a valid-looking document is refused. Clients see `GRAPHQL_VALIDATION_FAILED`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DocumentError {
    #[error(
        "the alias `{0}` is reserved: aliases starting with `{INTERNAL_ALIAS_PREFIX}` belong to the gateway"
    )]
    ReservedAlias(Name),
    #[error("the fields under the response key `{0}` differ in name or arguments and cannot merge")]
    FieldsCannotMerge(Name),
}

/// Checks every operation and fragment of `document`.
pub fn check_document(document: &ExecutableDocument) -> Result<(), DocumentError> {
    let operations = document.operations.iter().map(|op| &op.selection_set);
    let fragments = document
        .fragments
        .values()
        .map(|fragment| &fragment.selection_set);
    for set in operations.chain(fragments) {
        let mut seen = HashMap::new();
        let mut spread = HashSet::new();
        check_set(document, set, &mut seen, &mut spread)?;
    }
    Ok(())
}

/// A response key on a parent type.
type Slot<'a> = (&'a Name, &'a Name);
/// A field's name and its arguments in name order.
type Signature<'a> = (&'a Name, Vec<&'a Node<Argument>>);

/// The fields of one response object: on one parent type, a response key must
/// always mean the same field with the same arguments. Inline fragments and spreads add to the same
/// object; a field's own selection is a new object.
fn check_set<'a>(
    document: &'a ExecutableDocument,
    set: &'a SelectionSet,
    seen: &mut HashMap<Slot<'a>, Signature<'a>>,
    spread: &mut HashSet<&'a Name>,
) -> Result<(), DocumentError> {
    for selection in &set.selections {
        match selection {
            Selection::Field(field) => {
                let key = field.alias.as_ref().unwrap_or(&field.name);
                if key.starts_with(INTERNAL_ALIAS_PREFIX) {
                    return Err(DocumentError::ReservedAlias(key.clone()));
                }
                let mut arguments: Vec<&Node<Argument>> = field.arguments.iter().collect();
                arguments.sort_by(|a, b| a.name.cmp(&b.name));
                let signature = (&field.name, arguments);
                // Fragments on different object types may reuse a key for
                // different fields; only the same parent type must agree.
                let slot = (&set.ty, key);
                if seen.get(&slot).is_some_and(|present| *present != signature) {
                    return Err(DocumentError::FieldsCannotMerge(key.clone()));
                }
                seen.insert(slot, signature);
                check_set(document, &field.selection_set, &mut HashMap::new(), spread)?;
            }
            Selection::InlineFragment(inline) => {
                check_set(document, &inline.selection_set, seen, spread)?;
            }
            Selection::FragmentSpread(fragment) => {
                // Each fragment is checked once per object; cycles stop here.
                if !spread.insert(&fragment.fragment_name) {
                    continue;
                }
                if let Some(definition) = document.fragments.get(&fragment.fragment_name) {
                    check_set(document, &definition.selection_set, seen, spread)?;
                }
                spread.remove(&fragment.fragment_name);
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use apollo_compiler::Schema;

    use super::*;

    const SCHEMA: &str = r#"
        type Query { item(ids: [ID!]): Item  node: Node }
        interface Node { id: ID! }
        type Item implements Node { id: ID! name: String }
        type Other implements Node { id: ID! title: String }
    "#;

    fn check(query: &str) -> Result<(), DocumentError> {
        let schema = Schema::parse_and_validate(SCHEMA, "schema.graphql").expect("valid schema");
        let document = ExecutableDocument::parse_and_validate(&schema, query, "query.graphql")
            .expect("the query passes apollo-compiler's validation");
        check_document(&document)
    }

    #[test]
    fn list_arguments_of_different_lengths_cannot_merge() {
        assert_eq!(
            check("{ item(ids: [1]) { id } item(ids: [1, 2]) { id } }"),
            Err(DocumentError::FieldsCannotMerge(Name::new_unchecked(
                "item"
            )))
        );
        assert_eq!(
            check("{ item(ids: [1]) { id } item(ids: [1]) { name } }"),
            Ok(())
        );
    }

    #[test]
    fn different_object_types_may_reuse_a_key() {
        let query = "{ node { ... on Item { label: name } ... on Other { label: title } } }";
        assert_eq!(check(query), Ok(()));
    }

    #[test]
    fn the_gateway_prefix_is_reserved_everywhere() {
        let query = "{ item { ...F } } fragment F on Item { _fg_id: id }";
        assert_eq!(
            check(query),
            Err(DocumentError::ReservedAlias(Name::new_unchecked("_fg_id")))
        );
    }
}
