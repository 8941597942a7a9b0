//! Interfaces and unions whose members live in different subgraphs: members
//! completed through entity keys, type-conditioned fragments, fields selected
//! on the interface itself, `__typename` on abstract values, and subgraphs that
//! only know some of the members.

mod common;

use common::{Harness, counts, plan, supergraph};
use fitgraph_gateway_testkit::FixtureSubgraph;
use serde_json::{Value, json};

/// Returns the union and the interface, and knows every member of both.
const CATALOG: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
type Query {
  search(term: String!): [SearchResult!]!
  library: [Media!]!
}
union SearchResult = Book | Movie | Author
interface Media { id: ID! title: String! }
type Book implements Media @key(fields: "id") {
  id: ID!
  title: String! @shareable
  author: Author
}
type Movie implements Media @key(fields: "id") { id: ID! title: String! runtime: Int! }
type Author @key(fields: "id") { id: ID! name: String! }
"#;

/// Adds fields to two of the members.
const DETAILS: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Book @key(fields: "id") { id: ID! pages: Int! }
type Author @key(fields: "id") { id: ID! born: Int }
"#;

/// Knows only some members: `Book` and `Podcast` of `SearchResult` and `Media`.
const SHELF: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
type Query {
  staffPicks: [SearchResult!]!
  newest: Media
}
union SearchResult = Book | Podcast
interface Media { id: ID! title: String! }
type Book implements Media @key(fields: "id") { id: ID! title: String! @shareable }
type Podcast implements Media @key(fields: "id") { id: ID! title: String! episodes: Int! }
"#;

fn fixture_supergraph() -> String {
    supergraph(&[("catalog", CATALOG), ("details", DETAILS), ("shelf", SHELF)])
}

async fn harness() -> Harness {
    let dune = json!({ "__typename": "Book", "id": "b1", "title": "Dune", "author": { "id": "a1", "name": "Frank Herbert" } });
    let earthsea = json!({ "__typename": "Book", "id": "b2", "title": "Earthsea", "author": { "id": "a2", "name": "Ursula K. Le Guin" } });
    let alien = json!({ "__typename": "Movie", "id": "m1", "title": "Alien", "runtime": 117 });
    let catalog = FixtureSubgraph::new("catalog", CATALOG).query(json!({
        "search": [dune, alien, { "__typename": "Author", "id": "a2", "name": "Ursula K. Le Guin" }],
        "library": [dune, alien, earthsea]
    }));
    let details = FixtureSubgraph::new("details", DETAILS)
        .entities(
            "Book",
            json!([{ "id": "b1", "pages": 412 }, { "id": "b2", "pages": 183 }]),
        )
        .entities(
            "Author",
            json!([{ "id": "a1", "born": 1920 }, { "id": "a2", "born": 1929 }]),
        );
    let shelf = FixtureSubgraph::new("shelf", SHELF).query(json!({
        "staffPicks": [
            { "__typename": "Podcast", "id": "p1", "title": "Lore", "episodes": 250 },
            { "__typename": "Book", "id": "b2", "title": "Earthsea" }
        ],
        "newest": { "__typename": "Book", "id": "b1", "title": "Dune" }
    }));
    Harness::start(&fixture_supergraph(), vec![catalog, details, shelf]).await
}

const UNION_QUERY: &str = r#"
{
  search(term: "e") {
    ... on Book { title pages author { name born } }
    ... on Movie { title runtime }
    ... on Author { name born }
  }
}
"#;

const INTERFACE_FRAGMENTS_QUERY: &str = r#"
{
  library {
    title
    ... on Book { pages }
    ... on Movie { runtime }
  }
}
"#;

const INTERFACE_FIELD_QUERY: &str = "{ library { id title } }";

const TYPENAME_QUERY: &str = r#"
{
  search(term: "e") { __typename }
  library { kind: __typename title }
  newest { __typename }
}
"#;

/// `Podcast` is a member only in shelf, `Movie` and `Author` only in catalog.
const PARTIAL_UNION_QUERY: &str = r#"
{
  search(term: "e") {
    __typename
    ... on Podcast { episodes }
    ... on Book { pages }
    ... on Movie { runtime }
  }
  staffPicks {
    __typename
    ... on Podcast { episodes }
    ... on Book { title pages }
    ... on Movie { runtime }
  }
}
"#;

/// shelf returns `Media` but implements it only with `Book` and `Podcast`.
const PARTIAL_INTERFACE_QUERY: &str = r#"
{
  newest {
    title
    ... on Book { pages }
    ... on Movie { runtime }
    ... on Podcast { episodes }
  }
}
"#;

/// A fragment on an interface inside a union, and one on a member, under a
/// variable condition, needing another subgraph.
const NESTED_ABSTRACT_QUERY: &str = r#"
query Nested($withPages: Boolean!) {
  search(term: "e") {
    ... on Media { title }
    ... on Author { name }
    ... on Book @include(if: $withPages) { pages }
  }
}
"#;

#[test]
fn plans_union_members_completed_from_another_subgraph() {
    insta::assert_snapshot!(
        "abstract_types_union",
        plan(&fixture_supergraph(), UNION_QUERY)
    );
}

#[test]
fn plans_type_conditioned_fragments_on_an_interface() {
    insta::assert_snapshot!(
        "abstract_types_interface_fragments",
        plan(&fixture_supergraph(), INTERFACE_FRAGMENTS_QUERY)
    );
}

#[test]
fn plans_an_interface_field_in_one_fetch() {
    insta::assert_snapshot!(
        "abstract_types_interface_field",
        plan(&fixture_supergraph(), INTERFACE_FIELD_QUERY)
    );
}

#[test]
fn plans_typename_on_abstract_values() {
    insta::assert_snapshot!(
        "abstract_types_typename",
        plan(&fixture_supergraph(), TYPENAME_QUERY)
    );
}

#[test]
fn plans_only_the_members_each_subgraph_knows() {
    insta::assert_snapshot!(
        "abstract_types_partial_union",
        plan(&fixture_supergraph(), PARTIAL_UNION_QUERY)
    );
    insta::assert_snapshot!(
        "abstract_types_nested_abstract",
        plan(&fixture_supergraph(), NESTED_ABSTRACT_QUERY)
    );
    insta::assert_snapshot!(
        "abstract_types_partial_interface",
        plan(&fixture_supergraph(), PARTIAL_INTERFACE_QUERY)
    );
}

#[tokio::test]
async fn completes_union_members_from_another_subgraph() {
    let harness = harness().await;
    let response = harness.query(UNION_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "search": [
            { "title": "Dune", "pages": 412, "author": { "name": "Frank Herbert", "born": 1920 } },
            { "title": "Alien", "runtime": 117 },
            { "name": "Ursula K. Le Guin", "born": 1929 }
        ] } })
    );
    // The book's author is one level deeper: a second entity fetch in the same
    // step, sharing the request.
    assert_eq!(
        harness.take_counts(),
        counts(&[("catalog", 1), ("details", 1), ("shelf", 0)])
    );
}

#[tokio::test]
async fn sends_representations_only_for_members_that_need_them() {
    let harness = harness().await;
    harness.query(UNION_QUERY).await;
    // The Movie in the middle of the list has nothing to ask details for.
    assert_eq!(
        representations_sent(&harness, "details"),
        vec![
            json!({ "__typename": "Author", "id": "a1" }),
            json!({ "__typename": "Author", "id": "a2" }),
            json!({ "__typename": "Book", "id": "b1" }),
        ]
    );
}

/// Every representation `subgraph` received, however the fetches were batched
/// into requests, sorted.
fn representations_sent(harness: &Harness, subgraph: &str) -> Vec<Value> {
    let mut sent: Vec<Value> = harness
        .subgraph(subgraph)
        .requests()
        .iter()
        .filter_map(|request| request.variables.as_object().cloned())
        .flatten()
        .filter(|(name, _)| name.starts_with("representations"))
        .flat_map(|(_, list)| list.as_array().cloned().unwrap_or_default())
        .collect();
    sent.sort_by_key(Value::to_string);
    sent
}

#[tokio::test]
async fn resolves_type_conditioned_fragments_across_subgraphs() {
    let harness = harness().await;
    let response = harness.query(INTERFACE_FRAGMENTS_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "library": [
            { "title": "Dune", "pages": 412 },
            { "title": "Alien", "runtime": 117 },
            { "title": "Earthsea", "pages": 183 }
        ] } })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[("catalog", 1), ("details", 1), ("shelf", 0)])
    );
    let sent = harness.subgraph("details").requests();
    assert!(sent.is_empty(), "counts were reset");
}

#[tokio::test]
async fn resolves_an_interface_field_from_one_subgraph() {
    let harness = harness().await;
    let response = harness.query(INTERFACE_FIELD_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "library": [
            { "id": "b1", "title": "Dune" },
            { "id": "m1", "title": "Alien" },
            { "id": "b2", "title": "Earthsea" }
        ] } })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[("catalog", 1), ("details", 0), ("shelf", 0)])
    );
}

#[tokio::test]
async fn answers_typename_on_abstract_values() {
    let harness = harness().await;
    let response = harness.query(TYPENAME_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": {
            "search": [{ "__typename": "Book" }, { "__typename": "Movie" }, { "__typename": "Author" }],
            "library": [
                { "kind": "Book", "title": "Dune" },
                { "kind": "Movie", "title": "Alien" },
                { "kind": "Book", "title": "Earthsea" }
            ],
            "newest": { "__typename": "Book" }
        } })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[("catalog", 1), ("details", 0), ("shelf", 1)])
    );
}

#[tokio::test]
async fn resolves_a_union_that_each_subgraph_knows_in_part() {
    let harness = harness().await;
    let response = harness.query(PARTIAL_UNION_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": {
            "search": [
                { "__typename": "Book", "pages": 412 },
                { "__typename": "Movie", "runtime": 117 },
                { "__typename": "Author" }
            ],
            "staffPicks": [
                { "__typename": "Podcast", "episodes": 250 },
                { "__typename": "Book", "title": "Earthsea", "pages": 183 }
            ]
        } })
    );
    // Each subgraph was only asked about the members it defines.
    let catalog = harness.subgraph("catalog").requests();
    assert!(
        !catalog[0].query.contains("Podcast"),
        "{}",
        catalog[0].query
    );
    let shelf = harness.subgraph("shelf").requests();
    assert!(!shelf[0].query.contains("Movie"), "{}", shelf[0].query);
    assert_eq!(
        harness.take_counts(),
        counts(&[("catalog", 1), ("details", 1), ("shelf", 1)])
    );
}

#[tokio::test]
async fn resolves_an_interface_that_a_subgraph_implements_in_part() {
    let harness = harness().await;
    let response = harness.query(PARTIAL_INTERFACE_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "newest": { "title": "Dune", "pages": 412 } } })
    );
    let shelf = harness.subgraph("shelf").requests();
    assert!(!shelf[0].query.contains("Movie"), "{}", shelf[0].query);
    assert_eq!(
        harness.take_counts(),
        counts(&[("catalog", 0), ("details", 1), ("shelf", 1)])
    );
}

#[tokio::test]
async fn applies_interface_fragments_inside_a_union() {
    let harness = harness().await;
    let response = harness
        .request(NESTED_ABSTRACT_QUERY, json!({ "withPages": true }))
        .await;
    assert_eq!(
        response,
        json!({ "data": { "search": [
            { "title": "Dune", "pages": 412 },
            { "title": "Alien" },
            { "name": "Ursula K. Le Guin" }
        ] } })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[("catalog", 1), ("details", 1), ("shelf", 0)])
    );

    let response = harness
        .request(NESTED_ABSTRACT_QUERY, json!({ "withPages": false }))
        .await;
    assert_eq!(
        response,
        json!({ "data": { "search": [
            { "title": "Dune" },
            { "title": "Alien" },
            { "name": "Ursula K. Le Guin" }
        ] } })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[("catalog", 1), ("details", 0), ("shelf", 0)])
    );
}
