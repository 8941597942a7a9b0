//! `@provides`: a subgraph that returns an entity promises some of its
//! external fields at that position, so the planner takes them from there
//! instead of fetching the entity from its owner. Fields outside the promise
//! are still fetched from their owner.

mod common;

use std::collections::BTreeMap;

use common::{Harness, counts, plan, supergraph};
use fitgraph_gateway_testkit::FixtureSubgraph;
use serde_json::json;

const REVIEWS: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@provides"])
type Query {
  topReviews: [Review!]!
  mostReviewed: [Reviewable!]! @provides(fields: "... on Movie { title }")
}
interface Reviewable { reviewCount: Int! }
type Review {
  id: ID!
  body: String!
  product: Product! @provides(fields: "name")
  book: Book @provides(fields: "title author { name }")
  subject: Media @provides(fields: "... on Book { title }")
}
type Product @key(fields: "upc") {
  upc: String!
  name: String! @external
}
type Book implements Reviewable @key(fields: "isbn") {
  isbn: ID!
  title: String! @external
  author: Author! @external
  reviewCount: Int!
}
type Author @key(fields: "id") {
  id: ID!
  name: String! @external
}
type Movie implements Reviewable @key(fields: "id") {
  id: ID!
  title: String! @external
  reviewCount: Int!
}
union Media = Book | Movie
"#;

const PRODUCTS: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Product @key(fields: "upc") {
  upc: String!
  name: String!
  price: Int!
}
"#;

const CATALOG: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Book @key(fields: "isbn") {
  isbn: ID!
  title: String!
  pages: Int!
  author: Author!
}
type Author @key(fields: "id") { id: ID! }
"#;

const AUTHORS: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Author @key(fields: "id") {
  id: ID!
  name: String!
  born: Int!
}
"#;

const MOVIES: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Movie @key(fields: "id") {
  id: ID!
  title: String!
  minutes: Int!
}
"#;

fn fixture_supergraph() -> String {
    supergraph(&[
        ("authors", AUTHORS),
        ("catalog", CATALOG),
        ("movies", MOVIES),
        ("products", PRODUCTS),
        ("reviews", REVIEWS),
    ])
}

fn reviews() -> FixtureSubgraph {
    FixtureSubgraph::new("reviews", REVIEWS).query(json!({
        "topReviews": [
            {
                "id": "r1", "body": "Sturdy",
                "product": { "upc": "1", "name": "Table" },
                "book": { "isbn": "111", "title": "Dune", "author": { "id": "a1", "name": "Frank Herbert" } },
                "subject": { "__typename": "Book", "isbn": "111", "title": "Dune" }
            },
            {
                "id": "r2", "body": "Gripping",
                "product": { "upc": "2", "name": "Chair" },
                "book": null,
                "subject": { "__typename": "Movie", "id": "m1" }
            }
        ],
        "mostReviewed": [
            { "__typename": "Movie", "id": "m1", "title": "Alien", "reviewCount": 12 },
            { "__typename": "Book", "isbn": "111", "reviewCount": 7 }
        ]
    }))
}

async fn harness() -> Harness {
    let products = FixtureSubgraph::new("products", PRODUCTS).entities(
        "Product",
        json!([
            { "upc": "1", "name": "Table", "price": 300 },
            { "upc": "2", "name": "Chair", "price": 80 }
        ]),
    );
    let catalog = FixtureSubgraph::new("catalog", CATALOG).entities(
        "Book",
        json!([{ "isbn": "111", "title": "Dune", "pages": 412, "author": { "id": "a1" } }]),
    );
    let authors = FixtureSubgraph::new("authors", AUTHORS).entities(
        "Author",
        json!([{ "id": "a1", "name": "Frank Herbert", "born": 1920 }]),
    );
    let movies = FixtureSubgraph::new("movies", MOVIES).entities(
        "Movie",
        json!([{ "id": "m1", "title": "Alien", "minutes": 117 }]),
    );
    Harness::start(
        &fixture_supergraph(),
        vec![reviews(), products, catalog, authors, movies],
    )
    .await
}

/// Requests per subgraph: authors, catalog, movies, products, reviews.
fn requests(pairs: [usize; 5]) -> BTreeMap<String, usize> {
    let [authors, catalog, movies, products, reviews] = pairs;
    counts(&[
        ("authors", authors),
        ("catalog", catalog),
        ("movies", movies),
        ("products", products),
        ("reviews", reviews),
    ])
}

const PROVIDED_QUERY: &str = "{ topReviews { body product { upc name } } }";

#[test]
fn plans_a_provided_field_without_an_entity_fetch() {
    insta::assert_snapshot!(
        "provides_object",
        plan(&fixture_supergraph(), PROVIDED_QUERY)
    );
}

#[tokio::test]
async fn takes_a_provided_field_from_the_providing_subgraph() {
    let harness = harness().await;
    let response = harness.query(PROVIDED_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "topReviews": [
            { "body": "Sturdy", "product": { "upc": "1", "name": "Table" } },
            { "body": "Gripping", "product": { "upc": "2", "name": "Chair" } }
        ] } })
    );
    assert_eq!(harness.take_counts(), requests([0, 0, 0, 0, 1]));
}

const NOT_PROVIDED_QUERY: &str = "{ topReviews { product { name price } } }";

#[test]
fn plans_a_field_outside_the_provided_set() {
    insta::assert_snapshot!(
        "provides_not_provided",
        plan(&fixture_supergraph(), NOT_PROVIDED_QUERY)
    );
}

#[tokio::test]
async fn still_fetches_a_field_outside_the_provided_set() {
    let harness = harness().await;
    let response = harness.query(NOT_PROVIDED_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "topReviews": [
            { "product": { "name": "Table", "price": 300 } },
            { "product": { "name": "Chair", "price": 80 } }
        ] } })
    );
    assert_eq!(harness.take_counts(), requests([0, 0, 0, 1, 1]));
}

#[tokio::test]
async fn asks_the_owner_only_for_what_was_not_provided() {
    let harness = harness().await;
    harness.query(NOT_PROVIDED_QUERY).await;
    let sent = harness.subgraph("products").requests();
    let query = &sent.first().expect("products was asked for price").query;
    assert!(query.contains("price"), "{query}");
    assert!(
        !query.contains("name"),
        "the provided name was fetched again: {query}"
    );
}

const NESTED_QUERY: &str = "{ topReviews { book { title author { name } } } }";

#[test]
fn plans_a_nested_provided_selection() {
    insta::assert_snapshot!("provides_nested", plan(&fixture_supergraph(), NESTED_QUERY));
}

#[tokio::test]
async fn takes_a_nested_provided_selection_from_the_providing_subgraph() {
    let harness = harness().await;
    let response = harness.query(NESTED_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "topReviews": [
            { "book": { "title": "Dune", "author": { "name": "Frank Herbert" } } },
            { "book": null }
        ] } })
    );
    assert_eq!(harness.take_counts(), requests([0, 0, 0, 0, 1]));
}

const NESTED_NOT_PROVIDED_QUERY: &str =
    "{ topReviews { book { title pages author { name born } } } }";

#[test]
fn plans_fields_beside_a_nested_provided_selection() {
    insta::assert_snapshot!(
        "provides_nested_not_provided",
        plan(&fixture_supergraph(), NESTED_NOT_PROVIDED_QUERY)
    );
}

#[tokio::test]
async fn fetches_fields_beside_a_nested_provided_selection() {
    let harness = harness().await;
    let response = harness.query(NESTED_NOT_PROVIDED_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "topReviews": [
            { "book": { "title": "Dune", "pages": 412, "author": { "name": "Frank Herbert", "born": 1920 } } },
            { "book": null }
        ] } })
    );
    assert_eq!(harness.take_counts(), requests([1, 1, 0, 0, 1]));
}

const UNION_QUERY: &str = r#"
{
  topReviews {
    subject {
      ... on Book { title }
      ... on Movie { title }
    }
  }
}
"#;

#[test]
fn plans_a_type_conditioned_provided_selection() {
    insta::assert_snapshot!("provides_union", plan(&fixture_supergraph(), UNION_QUERY));
}

#[tokio::test]
async fn provides_only_for_the_named_member_of_a_union() {
    let harness = harness().await;
    let response = harness.query(UNION_QUERY).await;
    // The Book title is provided; the Movie title is not, so movies is asked.
    assert_eq!(
        response,
        json!({ "data": { "topReviews": [
            { "subject": { "title": "Dune" } },
            { "subject": { "title": "Alien" } }
        ] } })
    );
    assert_eq!(harness.take_counts(), requests([0, 0, 1, 0, 1]));
}

const UNION_PROVIDED_ONLY_QUERY: &str =
    "{ topReviews { subject { __typename ... on Book { title } } } }";

#[tokio::test]
async fn a_union_selection_inside_the_provided_set_needs_no_other_subgraph() {
    let harness = harness().await;
    let response = harness.query(UNION_PROVIDED_ONLY_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "topReviews": [
            { "subject": { "__typename": "Book", "title": "Dune" } },
            { "subject": { "__typename": "Movie" } }
        ] } })
    );
    assert_eq!(harness.take_counts(), requests([0, 0, 0, 0, 1]));
}

const UNION_NOT_PROVIDED_QUERY: &str = "{ topReviews { subject { ... on Book { title pages } } } }";

#[tokio::test]
async fn fetches_a_union_member_field_outside_the_provided_set() {
    let harness = harness().await;
    let response = harness.query(UNION_NOT_PROVIDED_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "topReviews": [
            { "subject": { "title": "Dune", "pages": 412 } },
            { "subject": {} }
        ] } })
    );
    assert_eq!(harness.take_counts(), requests([0, 1, 0, 0, 1]));
}

const INTERFACE_QUERY: &str = r#"
{
  mostReviewed {
    reviewCount
    ... on Movie { title }
    ... on Book { title }
  }
}
"#;

#[test]
fn plans_a_type_conditioned_provided_selection_on_an_interface() {
    insta::assert_snapshot!(
        "provides_interface",
        plan(&fixture_supergraph(), INTERFACE_QUERY)
    );
}

#[tokio::test]
async fn provides_only_for_the_named_implementation_of_an_interface() {
    let harness = harness().await;
    let response = harness.query(INTERFACE_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "mostReviewed": [
            { "reviewCount": 12, "title": "Alien" },
            { "reviewCount": 7, "title": "Dune" }
        ] } })
    );
    assert_eq!(harness.take_counts(), requests([0, 1, 0, 0, 1]));
}

const INTERFACE_PROVIDED_ONLY_QUERY: &str =
    "{ mostReviewed { reviewCount ... on Movie { title } } }";

#[tokio::test]
async fn an_interface_selection_inside_the_provided_set_needs_no_other_subgraph() {
    let harness = harness().await;
    let response = harness.query(INTERFACE_PROVIDED_ONLY_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "mostReviewed": [
            { "reviewCount": 12, "title": "Alien" },
            { "reviewCount": 7 }
        ] } })
    );
    assert_eq!(harness.take_counts(), requests([0, 0, 0, 0, 1]));
}
