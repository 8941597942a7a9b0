//! The selection tree of one subgraph fetch: fields and inline fragments merged
//! by response key as the planner adds them, then printed as GraphQL.

use std::fmt::Write as _;

use apollo_compiler::ast::{Argument, DirectiveList};
use apollo_compiler::{Name, Node};

#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct SelectionTree {
    pub(crate) items: Vec<TreeItem>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum TreeItem {
    Field(TreeField),
    Fragment(TreeFragment),
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TreeField {
    pub(crate) alias: Option<Name>,
    pub(crate) name: Name,
    pub(crate) arguments: Vec<Node<Argument>>,
    pub(crate) directives: DirectiveList,
    pub(crate) selections: SelectionTree,
    /// Fetched for the gateway's own use (keys, required fields), not asked
    /// for by the client under this response key.
    pub(crate) internal: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct TreeFragment {
    pub(crate) type_condition: Option<Name>,
    pub(crate) directives: DirectiveList,
    pub(crate) selections: SelectionTree,
}

/// Where a field the gateway needs goes when the client uses its name for
/// something else. The representation builder looks here first.
pub(crate) fn internal_alias(name: &str) -> Name {
    Name::new(&format!("{}{name}", crate::planner::INTERNAL_ALIAS_PREFIX))
        .expect("a prefix of letters and underscores before a field name is a valid name")
}

impl TreeField {
    pub(crate) fn response_key(&self) -> &Name {
        self.alias.as_ref().unwrap_or(&self.name)
    }
}

impl SelectionTree {
    /// The subtree at `path` (indexes of items, each a field or a fragment).
    pub(crate) fn at_mut(&mut self, path: &[usize]) -> &mut SelectionTree {
        let mut tree = self;
        for &index in path {
            tree = match &mut tree.items[index] {
                TreeItem::Field(field) => &mut field.selections,
                TreeItem::Fragment(fragment) => &mut fragment.selections,
            };
        }
        tree
    }

    /// Adds a field, or finds the one already there with the same response key
    /// (same name and arguments); returns its index.
    pub(crate) fn add_field(&mut self, mut field: TreeField) -> usize {
        let same_key =
            |present: &TreeField, field: &TreeField| present.response_key() == field.response_key();
        let existing = self.items.iter().position(|item| match item {
            TreeItem::Field(present) => {
                same_key(present, &field)
                    && present.name == field.name
                    && present.arguments == field.arguments
                    && present.directives == field.directives
            }
            TreeItem::Fragment(_) => false,
        });
        if let Some(index) = existing {
            return index;
        }
        let clash_in_fragments = field.internal && self.fragments_clash_with(&field);
        let conflicting = self.items.iter_mut().find_map(|item| match item {
            TreeItem::Field(present)
                if same_key(present, &field)
                    && (present.name != field.name || present.arguments != field.arguments) =>
            {
                Some(present)
            }
            _ => None,
        });
        // The client's response key wins; a field the gateway needs for itself
        // (a key or a required field) moves aside under a reserved alias. Fields
        // inside fragments at this level land in the same response object, so
        // they count too. Clients cannot use the reserved prefix, so a field
        // already moved aside has nothing left to clash with.
        let moved_aside = field.alias.as_ref() == Some(&internal_alias(&field.name));
        match conflicting {
            Some(_) if field.internal && !moved_aside => {
                field.alias = Some(internal_alias(&field.name));
                return self.add_field(field);
            }
            Some(present) if present.internal => {
                present.alias = Some(internal_alias(&present.name))
            }
            None if clash_in_fragments && !moved_aside => {
                field.alias = Some(internal_alias(&field.name));
                return self.add_field(field);
            }
            _ => {}
        }
        self.items.push(TreeItem::Field(field));
        self.items.len() - 1
    }

    /// Whether a field inside one of this level's fragments (at any depth of
    /// fragments) has `field`'s response key but is another field.
    fn fragments_clash_with(&self, field: &TreeField) -> bool {
        self.items.iter().any(|item| match item {
            TreeItem::Fragment(fragment) => {
                fragment.selections.items.iter().any(|inner| {
                    matches!(inner, TreeItem::Field(present)
                    if present.response_key() == field.response_key()
                        && (present.name != field.name || present.arguments != field.arguments))
                }) || fragment.selections.fragments_clash_with(field)
            }
            TreeItem::Field(_) => false,
        })
    }

    pub(crate) fn add_leaf(&mut self, name: Name) -> usize {
        self.add_field(TreeField {
            alias: None,
            name,
            arguments: Vec::new(),
            directives: DirectiveList::default(),
            selections: SelectionTree::default(),
            internal: true,
        })
    }

    /// Adds an inline fragment, or finds an equal one; returns its index.
    pub(crate) fn add_fragment(
        &mut self,
        type_condition: Option<Name>,
        directives: DirectiveList,
    ) -> usize {
        let existing = self.items.iter().position(|item| match item {
            TreeItem::Fragment(present) => {
                present.type_condition == type_condition && present.directives == directives
            }
            TreeItem::Field(_) => false,
        });
        existing.unwrap_or_else(|| {
            self.items.push(TreeItem::Fragment(TreeFragment {
                type_condition,
                directives,
                selections: SelectionTree::default(),
            }));
            self.items.len() - 1
        })
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Drops fragments left empty (a type condition that selected nothing here).
    pub(crate) fn prune(&mut self) {
        for item in &mut self.items {
            match item {
                TreeItem::Field(field) => field.selections.prune(),
                TreeItem::Fragment(fragment) => fragment.selections.prune(),
            }
        }
        self.items.retain(|item| match item {
            TreeItem::Fragment(fragment) => !fragment.selections.is_empty(),
            TreeItem::Field(_) => true,
        });
    }

    /// Every variable the tree's arguments and directives use.
    pub(crate) fn variables(&self, out: &mut Vec<Name>) {
        for item in &self.items {
            match item {
                TreeItem::Field(field) => {
                    for argument in &field.arguments {
                        collect_variables(&argument.value, out);
                    }
                    directive_variables(&field.directives, out);
                    field.selections.variables(out);
                }
                TreeItem::Fragment(fragment) => {
                    directive_variables(&fragment.directives, out);
                    fragment.selections.variables(out);
                }
            }
        }
    }

    /// Prints the tree as a GraphQL selection set on one line: `{ a b { c } }`.
    pub(crate) fn print(&self, out: &mut String) {
        out.push('{');
        for item in &self.items {
            out.push(' ');
            match item {
                TreeItem::Field(field) => print_field(field, out),
                TreeItem::Fragment(fragment) => print_fragment(fragment, out),
            }
        }
        out.push_str(" }");
    }
}

fn print_field(field: &TreeField, out: &mut String) {
    if let Some(alias) = &field.alias {
        let _ = write!(out, "{alias}: ");
    }
    out.push_str(&field.name);
    if !field.arguments.is_empty() {
        out.push('(');
        for (index, argument) in field.arguments.iter().enumerate() {
            if index > 0 {
                out.push_str(", ");
            }
            let _ = write!(out, "{}: {}", argument.name, argument.value);
        }
        out.push(')');
    }
    print_directives(&field.directives, out);
    if !field.selections.is_empty() {
        out.push(' ');
        field.selections.print(out);
    }
}

fn print_fragment(fragment: &TreeFragment, out: &mut String) {
    out.push_str("...");
    if let Some(type_condition) = &fragment.type_condition {
        let _ = write!(out, " on {type_condition}");
    }
    print_directives(&fragment.directives, out);
    out.push(' ');
    fragment.selections.print(out);
}

fn print_directives(directives: &DirectiveList, out: &mut String) {
    for directive in directives.iter() {
        let _ = write!(out, " {directive}");
    }
}

fn directive_variables(directives: &DirectiveList, out: &mut Vec<Name>) {
    for directive in directives.iter() {
        for argument in &directive.arguments {
            collect_variables(&argument.value, out);
        }
    }
}

fn collect_variables(value: &apollo_compiler::ast::Value, out: &mut Vec<Name>) {
    use apollo_compiler::ast::Value;
    match value {
        Value::Variable(name) if !out.contains(name) => {
            out.push(name.clone());
        }
        Value::List(items) => items.iter().for_each(|item| collect_variables(item, out)),
        Value::Object(fields) => fields
            .iter()
            .for_each(|(_, item)| collect_variables(item, out)),
        _ => {}
    }
}
