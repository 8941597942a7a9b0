//! Composition of subgraph SDLs into a supergraph: hand-written fixtures, each
//! error case, and a drift test for the checked-in `schema/supergraph.graphql`.

use apollo_compiler::Schema;
use fitgraph_gateway::compose::{CompositionError, SubgraphSdl, compose};

fn subgraph(name: &str, port: u16, sdl: &str) -> SubgraphSdl {
    SubgraphSdl {
        name: name.to_owned(),
        url: format!("http://127.0.0.1:{port}/graphql"),
        sdl: sdl.to_owned(),
    }
}

fn fixtures() -> Vec<SubgraphSdl> {
    vec![
        // Deliberately not in name order: the output must not depend on input order.
        subgraph(
            "reviews",
            4003,
            include_str!("fixtures/compose/reviews.graphql"),
        ),
        subgraph(
            "accounts",
            4001,
            include_str!("fixtures/compose/accounts.graphql"),
        ),
        subgraph(
            "products",
            4002,
            include_str!("fixtures/compose/products.graphql"),
        ),
    ]
}

/// Composes and returns the error messages; panics when composition succeeds.
fn errors(subgraphs: &[SubgraphSdl]) -> Vec<String> {
    let errors: Vec<CompositionError> = compose(subgraphs).expect_err("composition should fail");
    errors.iter().map(ToString::to_string).collect()
}

fn assert_valid(sdl: &str) {
    if let Err(e) = Schema::parse_and_validate(sdl, "supergraph.graphql") {
        panic!("supergraph does not validate:\n{}", e.errors);
    }
}

#[test]
fn composes_the_fixture_subgraphs() {
    let supergraph = compose(&fixtures()).expect("fixtures compose");
    assert_valid(&supergraph);
    insta::assert_snapshot!(supergraph, @r#"
        schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION) @link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY) {
          query: Query
          mutation: Mutation
        }

        directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE

        directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION

        directive @join__graph(name: String!, url: String!) on ENUM_VALUE

        directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE

        directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR

        directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION

        directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA

        directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION

        type Money @join__type(graph: PRODUCTS) @join__type(graph: REVIEWS) {
          amount: Int!
          currency: String!
        }

        type Mutation @join__type(graph: REVIEWS) {
          addReview(upc: String!, body: String!): Review!
        }

        type Product @join__type(graph: PRODUCTS, key: "upc") @join__type(graph: PRODUCTS, key: "sku") @join__type(graph: REVIEWS, key: "upc", resolvable: false) {
          upc: String!
          sku: String! @join__field(graph: PRODUCTS)
          name: String! @join__field(graph: PRODUCTS)
          weight: Int @join__field(graph: PRODUCTS) @join__field(graph: REVIEWS, external: true)
          price: Money! @join__field(graph: PRODUCTS)
          shippingEstimate: Int @join__field(graph: REVIEWS, requires: "weight")
          reviews: [Review!]! @join__field(graph: REVIEWS)
        }

        type Query @join__type(graph: ACCOUNTS) @join__type(graph: PRODUCTS) {
          me: User @join__field(graph: ACCOUNTS)
          product(upc: String!): Product @join__field(graph: PRODUCTS)
          topProducts(first: Int = 5): [Product!]! @join__field(graph: PRODUCTS)
        }

        type Review @join__type(graph: REVIEWS, key: "id") {
          id: ID!
          body: String!
          author: User! @join__field(graph: REVIEWS, provides: "name")
          product: Product!
        }

        enum Role @join__type(graph: ACCOUNTS) @join__type(graph: PRODUCTS) {
          ADMIN @join__enumValue(graph: ACCOUNTS) @join__enumValue(graph: PRODUCTS)
          MEMBER @join__enumValue(graph: ACCOUNTS)
          GUEST @join__enumValue(graph: PRODUCTS)
        }

        """A registered user."""
        type User @join__type(graph: ACCOUNTS, key: "id") @join__type(graph: REVIEWS, key: "id") {
          id: ID!
          name: String! @join__field(graph: ACCOUNTS) @join__field(graph: REVIEWS, external: true)
          email: String! @inaccessible @join__field(graph: ACCOUNTS)
          reviews: [Review!]! @join__field(graph: REVIEWS)
        }

        scalar join__FieldSet

        enum join__Graph {
          ACCOUNTS @join__graph(name: "accounts", url: "http://127.0.0.1:4001/graphql")
          PRODUCTS @join__graph(name: "products", url: "http://127.0.0.1:4002/graphql")
          REVIEWS @join__graph(name: "reviews", url: "http://127.0.0.1:4003/graphql")
        }

        scalar link__Import

        enum link__Purpose {
          """
          `SECURITY` features provide metadata necessary to securely resolve fields.
          """
          SECURITY
          """
          `EXECUTION` features provide metadata necessary for operation execution.
          """
          EXECUTION
        }
    "#);
}

#[test]
fn composition_is_deterministic() {
    let mut reversed = fixtures();
    reversed.reverse();
    assert_eq!(compose(&fixtures()), compose(&reversed));
}

#[test]
fn rejects_a_field_with_different_types() {
    let a = subgraph(
        "a",
        1,
        "type Query { a: Int } type T @key(fields: \"id\") { id: ID! n: Int @shareable }",
    );
    let b = subgraph(
        "b",
        2,
        "type Query { b: T } type T @key(fields: \"id\") { id: ID! n: String @shareable }",
    );
    insta::assert_debug_snapshot!(errors(&[a, b]), @r#"
        [
            "field `T.n` has type `Int` in subgraph `a` but `String` in subgraph `b`",
        ]
    "#);
}

#[test]
fn rejects_a_non_shareable_field_in_two_subgraphs() {
    let a = subgraph("a", 1, "type Query { a: Point } type Point { x: Int }");
    let b = subgraph(
        "b",
        2,
        "type Query { b: Point } type Point { x: Int @shareable }",
    );
    insta::assert_debug_snapshot!(errors(&[a, b]), @r#"
        [
            "field `Point.x` is resolved by subgraphs `a`, `b` but is not @shareable in `a`",
        ]
    "#);
}

#[test]
fn rejects_an_input_enum_that_differs() {
    let a = subgraph(
        "a",
        1,
        "type Query { a(c: Color): Int } enum Color { RED GREEN }",
    );
    let b = subgraph("b", 2, "type Query { b: Color } enum Color { RED BLUE }");
    insta::assert_debug_snapshot!(errors(&[a, b]), @r#"
        [
            "enum `Color` is used as an input but its values differ between subgraphs `a`, `b`",
        ]
    "#);
}

#[test]
fn rejects_a_key_naming_a_missing_field() {
    let a = subgraph(
        "a",
        1,
        "type Query { a: T } type T @key(fields: \"uid\") { id: ID! }",
    );
    insta::assert_debug_snapshot!(errors(&[a]), @r#"
        [
            "@key(fields: \"uid\") on `T` in subgraph `a` is invalid: type `T` does not have a field `uid`",
        ]
    "#);
}

const SUPERGRAPH: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../schema/supergraph.graphql");

/// The checked-in supergraph is what the checked-in subgraph SDLs compose to.
#[test]
fn checked_in_supergraph_is_up_to_date() {
    let subgraphs = [
        subgraph(
            "profile",
            4001,
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../schema/profile.graphql"
            )),
        ),
        subgraph(
            "exercises",
            4002,
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../schema/exercises.graphql"
            )),
        ),
        subgraph(
            "plans",
            4003,
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../schema/plans.graphql"
            )),
        ),
        subgraph(
            "feedback",
            4004,
            include_str!(concat!(
                env!("CARGO_MANIFEST_DIR"),
                "/../schema/feedback.graphql"
            )),
        ),
    ];
    let composed = match compose(&subgraphs) {
        Ok(sdl) => sdl,
        Err(errors) => panic!("the checked-in subgraphs do not compose:\n{errors:#?}"),
    };
    assert_valid(&composed);
    if std::env::var_os("UPDATE_SCHEMA").is_some() {
        std::fs::write(SUPERGRAPH, &composed)
            .expect("schema/ is writable when UPDATE_SCHEMA is set");
        return;
    }
    let checked_in = std::fs::read_to_string(SUPERGRAPH).unwrap_or_default();
    assert!(
        checked_in == composed,
        "schema/supergraph.graphql is out of date: UPDATE_SCHEMA=1 cargo test -p fitgraph-gateway compose"
    );
}

#[test]
fn composes_interfaces_unions_and_overrides() {
    let a = subgraph(
        "a",
        1,
        r#"
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key", "@override"])
        type Query { search: [Result!]! }
        interface Node { id: ID! }
        type Book implements Node @key(fields: "id") { id: ID! title: String! @override(from: "b") }
        union Result = Book
        "#,
    );
    let b = subgraph(
        "b",
        2,
        r#"
        extend schema @link(url: "https://specs.apollo.dev/federation/v2.5", import: ["@key"])
        type Query { node(id: ID!): Node }
        interface Node { id: ID! }
        type Book implements Node @key(fields: "id") { id: ID! title: String! }
        type Film implements Node @key(fields: "id") { id: ID! }
        union Result = Book | Film
        "#,
    );
    let supergraph = compose(&[a, b]).expect("composes");
    assert_valid(&supergraph);
    let types = supergraph.split("\n\n").filter(|d| {
        !d.starts_with("directive") && !d.contains("join__FieldSet") && !d.contains("link__")
    });
    insta::assert_snapshot!(types.collect::<Vec<_>>().join("\n\n"), @r#"
        schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION) {
          query: Query
        }

        type Book implements Node @join__type(graph: A, key: "id") @join__type(graph: B, key: "id") @join__implements(graph: A, interface: "Node") @join__implements(graph: B, interface: "Node") {
          id: ID!
          title: String! @join__field(graph: A, override: "b")
        }

        type Film implements Node @join__type(graph: B, key: "id") @join__implements(graph: B, interface: "Node") {
          id: ID!
        }

        interface Node @join__type(graph: A) @join__type(graph: B) {
          id: ID!
        }

        type Query @join__type(graph: A) @join__type(graph: B) {
          search: [Result!]! @join__field(graph: A)
          node(id: ID!): Node @join__field(graph: B)
        }

        union Result @join__type(graph: A) @join__type(graph: B) @join__unionMember(graph: A, member: "Book") @join__unionMember(graph: B, member: "Book") @join__unionMember(graph: B, member: "Film") = Book | Film

        enum join__Graph {
          A @join__graph(name: "a", url: "http://127.0.0.1:1/graphql")
          B @join__graph(name: "b", url: "http://127.0.0.1:2/graphql")
        }
    "#);
}
