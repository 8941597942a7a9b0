//! What anonymous callers may run: only fields the supergraph tags public
//! (`@tag(name: "public")`).

use std::collections::HashSet;

use apollo_compiler::executable::{Operation, Selection, SelectionSet};
use apollo_compiler::{ExecutableDocument, Name};

use crate::supergraph::Supergraph;

/// The first field (`Type.field`) of `operation` that anonymous callers may not
/// select, or `None` when all of it is public. Introspection is public.
pub fn first_private_field(
    supergraph: &Supergraph,
    document: &ExecutableDocument,
    operation: &Operation,
) -> Option<String> {
    let mut walk = PublicWalk {
        supergraph,
        document,
        visited: HashSet::new(),
    };
    walk.selection_set(&operation.selection_set)
}

struct PublicWalk<'a> {
    supergraph: &'a Supergraph,
    document: &'a ExecutableDocument,
    /// Fragments already checked: each needs checking once, and cycles stop here.
    visited: HashSet<&'a Name>,
}

impl<'a> PublicWalk<'a> {
    fn selection_set(&mut self, set: &'a SelectionSet) -> Option<String> {
        set.selections
            .iter()
            .find_map(|selection| self.selection(&set.ty, selection))
    }

    fn selection(&mut self, parent: &Name, selection: &'a Selection) -> Option<String> {
        match selection {
            Selection::Field(field) => {
                if field.name.starts_with("__") {
                    return None;
                }
                if !self.supergraph.is_public(parent, &field.name) {
                    return Some(format!("{parent}.{}", field.name));
                }
                self.selection_set(&field.selection_set)
            }
            Selection::InlineFragment(inline) => self.selection_set(&inline.selection_set),
            Selection::FragmentSpread(spread) => {
                if !self.visited.insert(&spread.fragment_name) {
                    return None;
                }
                let fragment = self.document.fragments.get(&spread.fragment_name)?;
                self.selection_set(&fragment.selection_set)
            }
        }
    }
}
