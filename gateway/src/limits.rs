//! Request limits: how many tokens a document may have (checked while parsing),
//! and, before planning, how deep, how many aliases, how many root fields and how
//! costly an operation may be.

use std::collections::{HashMap, HashSet};

use apollo_compiler::ast::Value;
use apollo_compiler::executable::{Field, Operation, Selection, SelectionSet};
use apollo_compiler::parser::Parser;
use apollo_compiler::{ExecutableDocument, Name};

/// Raw request variables, as they arrived in the request body.
pub type Variables = serde_json::Map<String, serde_json::Value>;

/// Limits on one operation. Defaults are generous for real clients and stop
/// documents built to exhaust the gateway.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    pub max_depth: usize,
    pub max_aliases: usize,
    pub max_root_fields: usize,
    /// The most lexical tokens a document may have, whitespace and comments
    /// included.
    pub max_tokens: usize,
    /// The highest [`cost`] estimate an operation may have.
    pub max_cost: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Self {
            max_depth: 32,
            max_aliases: 256,
            max_root_fields: 64,
            max_tokens: 15_000,
            max_cost: 50_000,
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
    /// The parser stops at the limit, so how many tokens there were is unknown.
    #[error("the operation has too many tokens; the limit is {limit}")]
    Tokens { limit: usize },
    #[error("the operation is estimated to cost {actual}; the limit is {limit}")]
    Cost { limit: u64, actual: u64 },
}

impl LimitExceeded {
    /// The stable `extensions.code` for this error.
    pub fn code(&self) -> &'static str {
        match self {
            LimitExceeded::Depth { .. } => "MAX_DEPTH_EXCEEDED",
            LimitExceeded::Aliases { .. } => "MAX_ALIASES_EXCEEDED",
            LimitExceeded::RootFields { .. } => "MAX_ROOT_FIELDS_EXCEEDED",
            LimitExceeded::Tokens { .. } => "MAX_TOKENS_EXCEEDED",
            LimitExceeded::Cost { .. } => "MAX_COST_EXCEEDED",
        }
    }
}

/// A parser that gives up once a document has more than `limits.max_tokens`
/// tokens, so an enormous document costs little more than its limit to refuse.
pub fn parser(limits: &Limits) -> Parser {
    Parser::new().token_limit(limits.max_tokens)
}

/// After `parser` (from [`parser`]) has parsed a document: whether it stopped at
/// the token limit. Call it when parsing failed, to report this error instead of
/// the parser's diagnostic; after a successful parse it is always `Ok`.
///
/// This reads the parser's token count rather than matching the wording of its
/// diagnostic, which apollo-compiler does not promise to keep.
pub fn check_tokens(parser: &Parser, limits: &Limits) -> Result<(), LimitExceeded> {
    if parser.tokens_reached() > limits.max_tokens {
        return Err(LimitExceeded::Tokens {
            limit: limits.max_tokens,
        });
    }
    Ok(())
}

/// [`check_with_variables`] without variables: a list size given by a variable
/// counts as the default estimate.
pub fn check(
    document: &ExecutableDocument,
    operation: &Operation,
    limits: &Limits,
) -> Result<(), LimitExceeded> {
    check_with_variables(document, operation, limits, &Variables::new())
}

/// Checks one operation of `document` against `limits`. Named fragments count
/// where they are spread; a fragment that spreads itself (directly or not) counts
/// once, so a cyclic document cannot loop. `variables` are the raw request
/// variables, read for list sizes given by a variable.
pub fn check_with_variables(
    document: &ExecutableDocument,
    operation: &Operation,
    limits: &Limits,
    variables: &Variables,
) -> Result<(), LimitExceeded> {
    let measure =
        Walker::new(document, operation, variables).selection_set(&operation.selection_set);
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
    if measure.cost > limits.max_cost {
        return Err(LimitExceeded::Cost {
            limit: limits.max_cost,
            actual: measure.cost,
        });
    }
    Ok(())
}

/// The estimated cost of `operation`: each field costs 1, and the selection
/// under a list field counts once per list item. The item count is the field's
/// `first`, `last` or `limit` argument (given literally, by a variable, or by the
/// schema's default) clamped to [`LIST_SIZE_MIN`]..=[`LIST_SIZE_MAX`], else
/// [`LIST_SIZE_DEFAULT`]. The document should be valid: fields the schema does
/// not define are not in it to be counted.
pub fn cost(document: &ExecutableDocument, operation: &Operation, variables: &Variables) -> u64 {
    Walker::new(document, operation, variables)
        .selection_set(&operation.selection_set)
        .cost
}

/// How many items a list field is assumed to return when no argument says.
pub const LIST_SIZE_DEFAULT: u64 = 10;
/// Fewer than one item would make a list's selection free.
pub const LIST_SIZE_MIN: u64 = 1;
/// A page larger than this is assumed to be capped by the subgraph.
pub const LIST_SIZE_MAX: u64 = 1000;

/// Arguments that bound how many items a list field returns, in order of precedence.
const LIST_SIZE_ARGUMENTS: [&str; 3] = ["first", "last", "limit"];

/// What one selection set amounts to once its fragments are expanded.
#[derive(Debug, Clone, Copy, Default)]
struct Measure {
    /// How many fields deep its deepest path goes.
    depth: usize,
    /// Aliased fields anywhere inside it.
    aliases: usize,
    /// Fields at its own level.
    fields: usize,
    /// Its estimated cost, list sizes multiplied in.
    cost: u64,
}

impl Measure {
    /// `other` selected at the same level as `self`.
    fn beside(self, other: Measure) -> Measure {
        Measure {
            depth: self.depth.max(other.depth),
            aliases: self.aliases.saturating_add(other.aliases),
            fields: self.fields.saturating_add(other.fields),
            cost: self.cost.saturating_add(other.cost),
        }
    }
}

/// Measures selection sets, remembering each named fragment's measure so that a
/// fragment spread many times is walked once. A fragment measures the same
/// wherever it is spread: its variables are the operation's.
struct Walker<'doc> {
    document: &'doc ExecutableDocument,
    operation: &'doc Operation,
    variables: &'doc Variables,
    measured: HashMap<&'doc Name, Measure>,
    walking: HashSet<&'doc Name>,
}

impl<'doc> Walker<'doc> {
    fn new(
        document: &'doc ExecutableDocument,
        operation: &'doc Operation,
        variables: &'doc Variables,
    ) -> Self {
        Self {
            document,
            operation,
            variables,
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
                let items = if field.ty().is_list() {
                    self.list_size(field)
                } else {
                    1
                };
                Measure {
                    depth: inner.depth.saturating_add(1),
                    aliases: inner
                        .aliases
                        .saturating_add(usize::from(field.alias.is_some())),
                    fields: 1,
                    cost: inner.cost.saturating_mul(items).saturating_add(1),
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

    /// How many items list `field` is assumed to return.
    fn list_size(&self, field: &Field) -> u64 {
        LIST_SIZE_ARGUMENTS
            .iter()
            // `argument_by_name` falls back to the schema's default for the argument.
            .filter_map(|name| field.argument_by_name(name).ok())
            .find_map(|value| self.int_value(value))
            .map_or(LIST_SIZE_DEFAULT, |size| {
                let size = u64::try_from(size).unwrap_or(LIST_SIZE_MIN);
                size.clamp(LIST_SIZE_MIN, LIST_SIZE_MAX)
            })
    }

    /// `value` as an integer, looking variables up in the request, then in the
    /// operation's defaults. `None` for null, an absent variable or a non-integer,
    /// which validation or variable coercion refuses anyway.
    fn int_value(&self, value: &Value) -> Option<i64> {
        let Value::Variable(name) = value else {
            return int_literal(value);
        };
        match self.variables.get(name.as_str()) {
            Some(raw) => raw.as_i64(),
            // Only a literal default: a default naming a variable is invalid, and
            // following it could loop.
            None => self
                .operation
                .variables
                .iter()
                .find(|definition| definition.name == *name)
                .and_then(|definition| definition.default_value.as_deref())
                .and_then(int_literal),
        }
    }
}

fn int_literal(value: &Value) -> Option<i64> {
    match value {
        // Validation refuses an Int beyond 32 bits; should one get here, the large
        // end of the range is the safe side.
        Value::Int(int) => Some(int.as_str().parse().unwrap_or(i64::MAX)),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use apollo_compiler::validation::Valid;
    use apollo_compiler::{ExecutableDocument, Schema};

    use super::*;

    const SCHEMA: &str = r#"
        type Query {
            user(id: ID): User
            users(first: Int, last: Int, limit: Int): [User]
            page(limit: Int = 50): [User!]!
            version: String
        }
        type User { id: ID  name: String  tags: [String]  friends(first: Int): [User]  best: User }
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
            ..Limits::default()
        }
    }

    fn valid(query: &str) -> Valid<ExecutableDocument> {
        ExecutableDocument::parse_and_validate(&schema(), query, "query.graphql")
            .expect("each test query is valid")
    }

    fn cost_with(query: &str, variables: serde_json::Value) -> u64 {
        let document = valid(query);
        let operation = document
            .operations
            .get(None)
            .expect("each test document has one operation");
        let variables = variables
            .as_object()
            .cloned()
            .expect("test variables are an object");
        cost(&document, operation, &variables)
    }

    fn cost_of(query: &str) -> u64 {
        cost_with(query, serde_json::json!({}))
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
    fn each_field_of_a_flat_query_costs_one() {
        assert_eq!(cost_of("{ version user(id: 1) { id name } }"), 4);
        // A list of scalars has no selection to multiply.
        assert_eq!(cost_of("{ user { tags } }"), 2);
    }

    #[test]
    fn nested_lists_multiply() {
        // friends: 1 + 10 * 1; users: 1 + 10 * 11.
        assert_eq!(cost_of("{ users { friends { name } } }"), 111);
        assert_eq!(
            cost_of("{ users { best { friends { id name } } } }"),
            1 + 10 * (1 + 21)
        );
    }

    #[test]
    fn list_size_arguments_are_respected_and_clamped() {
        assert_eq!(cost_of("{ users(first: 3) { id } }"), 4);
        assert_eq!(cost_of("{ users(last: 2) { id } }"), 3);
        assert_eq!(cost_of("{ users(limit: 5) { id } }"), 6);
        assert_eq!(cost_of("{ users(first: 5000) { id } }"), 1001);
        assert_eq!(cost_of("{ users(first: 0) { id } }"), 2);
        assert_eq!(cost_of("{ users(first: -4) { id } }"), 2);
        assert_eq!(cost_of("{ users(first: null, last: 7) { id } }"), 8);
        // The schema's default for the argument counts when the query gives none.
        assert_eq!(cost_of("{ page { id } }"), 51);
    }

    #[test]
    fn list_sizes_from_variables_are_respected_and_clamped() {
        let query = "query($n: Int) { users(first: $n) { id } }";
        assert_eq!(cost_with(query, serde_json::json!({ "n": 7 })), 8);
        assert_eq!(cost_with(query, serde_json::json!({ "n": 100_000 })), 1001);
        assert_eq!(cost_with(query, serde_json::json!({ "n": -1 })), 2);
        assert_eq!(cost_with(query, serde_json::json!({ "n": null })), 11);
        assert_eq!(cost_with(query, serde_json::json!({ "n": "many" })), 11);
        assert_eq!(cost_with(query, serde_json::json!({})), 11);
        let defaulted = "query($n: Int = 4) { users(first: $n) { id } }";
        assert_eq!(cost_with(defaulted, serde_json::json!({})), 5);
        assert_eq!(cost_with(defaulted, serde_json::json!({ "n": 2 })), 3);
    }

    #[test]
    fn fragments_cost_where_they_are_spread() {
        let query = "
            { a: users(first: 2) { ...F } b: user { ...F } }
            fragment F on User { id friends(first: 3) { ... on User { name } } }
        ";
        // F: 1 + (1 + 3 * 1) = 5; a: 1 + 2 * 5; b: 1 + 5.
        assert_eq!(cost_of(query), 17);
    }

    #[test]
    fn cost_saturates_instead_of_overflowing() {
        let mut query = String::from("{ users(first: 1000) { ");
        for _ in 0..8 {
            query.push_str("friends(first: 1000) { ");
        }
        query.push_str("id");
        query.push_str(&" }".repeat(9));
        query.push_str(" }");
        assert_eq!(cost_of(&query), u64::MAX);
    }

    #[test]
    fn the_cost_limit_refuses_with_its_code_and_message() {
        let document = valid("query($n: Int) { users { friends(first: $n) { name } } }");
        let operation = document
            .operations
            .get(None)
            .expect("the test document has one operation");
        let variables = Variables::from_iter([("n".to_owned(), serde_json::json!(20))]);
        let limits = Limits {
            max_cost: 211,
            ..Limits::default()
        };
        // friends: 1 + 20 * 1; users: 1 + 10 * 21.
        assert_eq!(
            check_with_variables(&document, operation, &limits, &variables),
            Ok(())
        );
        let limits = Limits {
            max_cost: 210,
            ..Limits::default()
        };
        let err = check_with_variables(&document, operation, &limits, &variables).unwrap_err();
        assert_eq!(
            err,
            LimitExceeded::Cost {
                limit: 210,
                actual: 211
            }
        );
        assert_eq!(err.code(), "MAX_COST_EXCEEDED");
        assert_eq!(
            err.to_string(),
            "the operation is estimated to cost 211; the limit is 210"
        );
        // Without the variables the list size is the default estimate: 1 + 10 * 11.
        assert_eq!(check(&document, operation, &limits), Ok(()));
    }

    /// Parses `query` with `limits`' parser, returning the token check's verdict
    /// and whether the parse itself succeeded.
    fn parse_with(query: &str, limits: &Limits) -> (Result<(), LimitExceeded>, bool) {
        let mut parser = parser(limits);
        let parsed = parser.parse_ast(query, "query.graphql").is_ok();
        (check_tokens(&parser, limits), parsed)
    }

    #[test]
    fn the_token_limit_refuses_long_documents_with_its_code_and_message() {
        let query = "{ user(id: 1) { id name friends { name } } }";
        let small = Limits {
            max_tokens: 10,
            ..Limits::default()
        };
        let (verdict, parsed) = parse_with(query, &small);
        assert!(!parsed, "the parser stops at the token limit");
        let err = verdict.unwrap_err();
        assert_eq!(err, LimitExceeded::Tokens { limit: 10 });
        assert_eq!(err.code(), "MAX_TOKENS_EXCEEDED");
        assert_eq!(
            err.to_string(),
            "the operation has too many tokens; the limit is 10"
        );
        assert_eq!(parse_with(query, &Limits::default()), (Ok(()), true));
    }

    #[test]
    fn the_token_limit_counts_every_token_up_to_end_of_input() {
        let query = "{ user { id } }";
        // Punctuators, names, the whitespace between them and the end of input.
        let tokens = 12;
        let exact = Limits {
            max_tokens: tokens,
            ..Limits::default()
        };
        assert_eq!(parse_with(query, &exact), (Ok(()), true));
        let under = Limits {
            max_tokens: tokens - 1,
            ..Limits::default()
        };
        assert_eq!(
            parse_with(query, &under).0,
            Err(LimitExceeded::Tokens { limit: tokens - 1 })
        );
    }

    #[test]
    fn a_syntax_error_is_not_a_token_limit() {
        let (verdict, parsed) = parse_with("{ user( }", &Limits::default());
        assert!(!parsed);
        assert_eq!(verdict, Ok(()));
    }

    /// What GraphiQL-style tools send first; the defaults must not lock them out.
    const INTROSPECTION: &str = "
        query IntrospectionQuery {
          __schema {
            queryType { name } mutationType { name } subscriptionType { name }
            types { ...FullType }
            directives { name description locations args { ...InputValue } }
          }
        }
        fragment FullType on __Type {
          kind name description
          fields(includeDeprecated: true) {
            name description args { ...InputValue } type { ...TypeRef }
            isDeprecated deprecationReason
          }
          inputFields { ...InputValue }
          interfaces { ...TypeRef }
          enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
          possibleTypes { ...TypeRef }
        }
        fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
        fragment TypeRef on __Type {
          kind name ofType { kind name ofType { kind name ofType { kind name ofType {
            kind name ofType { kind name ofType { kind name ofType { kind name } } }
          } } } }
        }
    ";

    #[test]
    fn the_defaults_let_a_full_introspection_query_through() {
        let document = valid(INTROSPECTION);
        let operation = document
            .operations
            .get(None)
            .expect("the introspection document has one operation");
        // About 40k against the 50k default: lists nest three deep (types, fields,
        // args), each estimated at 10 items.
        assert_eq!(cost(&document, operation, &Variables::new()), 40_429);
        assert_eq!(check(&document, operation, &Limits::default()), Ok(()));
        let mut parser = parser(&Limits::default());
        assert!(parser.parse_ast(INTROSPECTION, "query.graphql").is_ok());
        assert_eq!(check_tokens(&parser, &Limits::default()), Ok(()));
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
