//! Request limits checked before planning: how deep, how many aliases, how many
//! root fields an operation may have.

use std::collections::{HashMap, HashSet};

use apollo_compiler::executable::{Operation, Selection, SelectionSet};
use apollo_compiler::{ExecutableDocument, Name};

/// Limits on one operation. Defaults are generous for real clients and stop
/// documents built to exhaust the gateway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    pub max_depth: usize,
    pub max_aliases: usize,
    pub max_root_fields: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 32,
            max_aliases: 256,
            max_root_fields: 64,
        }
    }
}

/// Why an operation was refused before planning. Each variant has a stable code.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LimitExceeded {
    #[error("the operation is nested {actual} levels deep; the limit is {limit}")]
    Depth { limit: usize, actual: usize },
    #[error("the operation has {actual} aliased fields; the limit is {limit}")]
    Aliases { limit: usize, actual: usize },
    #[error("the operation selects {actual} root fields; the limit is {limit}")]
    RootFields { limit: usize, actual: usize },
}

impl LimitExceeded {
    /// The stable `extensions.code` for this error.
    pub fn code(&self) -> &'static str {
        match self {
            LimitExceeded::Depth { .. } => "MAX_DEPTH_EXCEEDED",
            LimitExceeded::Aliases { .. } => "MAX_ALIASES_EXCEEDED",
            LimitExceeded::RootFields { .. } => "MAX_ROOT_FIELDS_EXCEEDED",
        }
    }
}

/// Checks one operation of `document` against `limits`. Named fragments count
/// where they are spread; a fragment that spreads itself (directly or not) counts
/// once, so a cyclic document cannot loop.
pub fn check(
    document: &ExecutableDocument,
    operation: &Operation,
    limits: &Limits,
) -> Result<(), LimitExceeded> {
    let measure = Walker::new(document).selection_set(&operation.selection_set);
    if measure.depth > limits.max_depth {
        return Err(LimitExceeded::Depth {
            limit: limits.max_depth,
            actual: measure.depth,
        });
    }
    if measure.aliases > limits.max_aliases {
        return Err(LimitExceeded::Aliases {
            limit: limits.max_aliases,
            actual: measure.aliases,
        });
    }
    if measure.fields > limits.max_root_fields {
        return Err(LimitExceeded::RootFields {
            limit: limits.max_root_fields,
            actual: measure.fields,
        });
    }
    Ok(())
}

/// What one selection set amounts to once its fragments are expanded.
#[derive(Debug, Clone, Copy, Default)]
struct Measure {
    /// How many fields deep its deepest path goes.
    depth: usize,
    /// Aliased fields anywhere inside it.
    aliases: usize,
    /// Fields at its own level.
    fields: usize,
}

impl Measure {
    /// `other` selected at the same level as `self`.
    fn beside(self, other: Measure) -> Measure {
        Measure {
            depth: self.depth.max(other.depth),
            aliases: self.aliases.saturating_add(other.aliases),
            fields: self.fields.saturating_add(other.fields),
        }
    }
}

/// Measures selection sets, remembering each named fragment's measure so that a
/// fragment spread many times is walked once.
struct Walker<'doc> {
    document: &'doc ExecutableDocument,
    measured: HashMap<&'doc Name, Measure>,
    walking: HashSet<&'doc Name>,
}

impl<'doc> Walker<'doc> {
    fn new(document: &'doc ExecutableDocument) -> Self {
        Self {
            document,
            measured: HashMap::new(),
            walking: HashSet::new(),
        }
    }

    fn selection_set(&mut self, set: &'doc SelectionSet) -> Measure {
        set.selections
            .iter()
            .map(|selection| self.selection(selection))
            .fold(Measure::default(), Measure::beside)
    }

    fn selection(&mut self, selection: &'doc Selection) -> Measure {
        match selection {
            Selection::Field(field) => {
                let inner = self.selection_set(&field.selection_set);
                Measure {
                    depth: inner.depth.saturating_add(1),
                    aliases: inner
                        .aliases
                        .saturating_add(usize::from(field.alias.is_some())),
                    fields: 1,
                }
            }
            Selection::InlineFragment(inline) => self.selection_set(&inline.selection_set),
            Selection::FragmentSpread(spread) => self.fragment(&spread.fragment_name),
        }
    }

    fn fragment(&mut self, name: &'doc Name) -> Measure {
        if let Some(measure) = self.measured.get(name) {
            return *measure;
        }
        let Some(fragment) = self.document.fragments.get(name) else {
            // Validation reports unknown fragments; here they add nothing.
            return Measure::default();
        };
        if !self.walking.insert(name) {
            // A cycle: validation rejects it; here the repeat adds nothing.
            return Measure::default();
        }
        let measure = self.selection_set(&fragment.selection_set);
        self.walking.remove(name);
        self.measured.insert(name, measure);
        measure
    }
}

#[cfg(test)]
mod tests {
    use apollo_compiler::validation::Valid;
    use apollo_compiler::{ExecutableDocument, Schema};

    use super::*;

    const SCHEMA: &str = r#"
        type Query { user(id: ID): User  users: [User]  version: String }
        type User { id: ID  name: String  friends: [User]  best: User }
    "#;

    fn schema() -> Valid<Schema> {
        Schema::parse_and_validate(SCHEMA, "schema.graphql").expect("the test schema is valid")
    }

    /// Parses without validating, so that invalid documents (cycles) can be checked too.
    fn run(query: &str, limits: &Limits) -> Result<(), LimitExceeded> {
        let document = match ExecutableDocument::parse(&schema(), query, "query.graphql") {
            Ok(document) => document,
            Err(with_errors) => with_errors.partial,
        };
        let operation = document
            .operations
            .get(None)
            .expect("each test document has one operation");
        check(&document, operation, limits)
    }

    fn limits(max_depth: usize, max_aliases: usize, max_root_fields: usize) -> Limits {
        Limits {
            max_depth,
            max_aliases,
            max_root_fields,
        }
    }

    #[test]
    fn depth_counts_nested_fields() {
        let query = "{ user { friends { best { name } } } }";
        assert_eq!(run(query, &limits(4, 0, 1)), Ok(()));
        let err = run(query, &limits(3, 0, 1)).unwrap_err();
        assert_eq!(
            err,
            LimitExceeded::Depth {
                limit: 3,
                actual: 4
            }
        );
        assert_eq!(err.code(), "MAX_DEPTH_EXCEEDED");
        assert_eq!(
            err.to_string(),
            "the operation is nested 4 levels deep; the limit is 3"
        );
    }

    #[test]
    fn depth_follows_fragment_spreads_and_inline_fragments() {
        let query = "
            { user { ...Deep } }
            fragment Deep on User { friends { ... on User { best { ...Name } } } }
            fragment Name on User { name }
        ";
        assert_eq!(
            run(query, &limits(3, 0, 1)),
            Err(LimitExceeded::Depth {
                limit: 3,
                actual: 4
            })
        );
        assert_eq!(run(query, &limits(4, 0, 1)), Ok(()));
    }

    #[test]
    fn fragment_cycles_terminate() {
        let query = "
            { user { ...A } }
            fragment A on User { friends { ...B } }
            fragment B on User { best { ...A } }
        ";
        assert_eq!(
            run(query, &limits(2, 0, 1)),
            Err(LimitExceeded::Depth {
                limit: 2,
                actual: 3
            })
        );
        assert_eq!(
            run(
                "{ user { ...S } } fragment S on User { ...S }",
                &limits(1, 0, 1)
            ),
            Ok(())
        );
    }

    #[test]
    fn aliases_are_counted_where_fragments_are_spread() {
        let query = "
            { a: user { ...Names } b: user { ...Names } }
            fragment Names on User { first: name second: name id }
        ";
        let err = run(query, &limits(10, 5, 10)).unwrap_err();
        assert_eq!(
            err,
            LimitExceeded::Aliases {
                limit: 5,
                actual: 6
            }
        );
        assert_eq!(err.code(), "MAX_ALIASES_EXCEEDED");
        assert_eq!(
            err.to_string(),
            "the operation has 6 aliased fields; the limit is 5"
        );
        assert_eq!(run(query, &limits(10, 6, 10)), Ok(()));
    }

    #[test]
    fn root_fields_include_those_from_fragments() {
        let query = "
            { version ...Roots ... on Query { me: user { id } } }
            fragment Roots on Query { users { id } other: version }
        ";
        let err = run(query, &limits(10, 10, 3)).unwrap_err();
        assert_eq!(
            err,
            LimitExceeded::RootFields {
                limit: 3,
                actual: 4
            }
        );
        assert_eq!(err.code(), "MAX_ROOT_FIELDS_EXCEEDED");
        assert_eq!(
            err.to_string(),
            "the operation selects 4 root fields; the limit is 3"
        );
        assert_eq!(run(query, &limits(10, 10, 4)), Ok(()));
    }

    #[test]
    fn a_fragment_spread_many_times_is_measured_once() {
        // Each level doubles the expanded size: 2^40 aliases if walked naively.
        let mut query = String::from("{ user { ...F0 } }\n");
        for level in 0..40 {
            let next = level + 1;
            query.push_str(&format!(
                "fragment F{level} on User {{ a: best {{ ...F{next} }} b: best {{ ...F{next} }} }}\n"
            ));
        }
        query.push_str("fragment F40 on User { id }\n");
        let err = run(&query, &limits(100, 256, 1)).unwrap_err();
        assert_eq!(err.code(), "MAX_ALIASES_EXCEEDED");
    }

    #[test]
    fn the_defaults_let_ordinary_operations_through() {
        assert_eq!(
            run(
                "{ user(id: 1) { id name friends { name } } }",
                &Limits::default()
            ),
            Ok(())
        );
    }
}
