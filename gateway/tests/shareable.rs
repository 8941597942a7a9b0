//! Fields more than one subgraph can resolve (`@shareable`), fields a
//! subgraph only declares (`@external`), and fields moved to another subgraph
//! (`@override`): the planner must take each field from a subgraph that
//! really resolves it, preferring the one it is already querying.

mod common;

use std::collections::BTreeMap;

use common::{Harness, counts, plan, supergraph};
use fitgraph_gateway_testkit::FixtureSubgraph;
use serde_json::json;

const PRODUCTS: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
type Query {
  topProducts: [Product!]!
  product(upc: String!): Product @shareable
}
type Product @key(fields: "upc") {
  upc: String!
  name: String! @shareable
  weight: Int!
  price: Int!
  category: Category! @shareable
}
type Category @shareable { slug: String! title: String! }
"#;

const INVENTORY: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires"])
type Query {
  lowStock: [Product!]!
  product(upc: String!): Product @shareable
}
type Product @key(fields: "upc") {
  upc: String!
  name: String! @shareable
  category: Category! @shareable
  stock: Int!
  weight: Int! @external
  restockCost: Int! @requires(fields: "weight")
}
type Category @shareable { slug: String! title: String! }
"#;

/// Takes `price` over from products: products still declares it, but no
/// longer resolves it.
const PRICING: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@override"])
type Product @key(fields: "upc") {
  upc: String!
  price: Int! @override(from: "products")
}
"#;

fn fixture_supergraph() -> String {
    supergraph(&[
        ("inventory", INVENTORY),
        ("pricing", PRICING),
        ("products", PRODUCTS),
    ])
}

async fn harness() -> Harness {
    let catalog = json!([
        { "upc": "1", "name": "Table", "weight": 10, "price": 1,
          "category": { "slug": "furniture", "title": "Furniture" } },
        { "upc": "2", "name": "Chair", "weight": 4, "price": 2,
          "category": { "slug": "furniture", "title": "Furniture" } }
    ]);
    let products = FixtureSubgraph::new("products", PRODUCTS)
        .query(json!({ "topProducts": catalog.clone(), "product": catalog[1].clone() }))
        .entities("Product", catalog);
    let stock = json!([
        { "upc": "1", "name": "Table", "stock": 3,
          "category": { "slug": "furniture", "title": "Furniture" } },
        { "upc": "2", "name": "Chair", "stock": 0,
          "category": { "slug": "furniture", "title": "Furniture" } }
    ]);
    let inventory = FixtureSubgraph::new("inventory", INVENTORY)
        .query(json!({ "lowStock": [stock[1].clone()], "product": stock[1].clone() }))
        .entities("Product", stock)
        .resolver("Product", "restockCost", |parent, _| {
            parent["weight"]
                .as_i64()
                .map_or_else(|| json!({ "__error": "no weight" }), |w| json!(w * 5))
        });
    // The current prices; the products fixture keeps stale ones (1 and 2).
    let pricing = FixtureSubgraph::new("pricing", PRICING).entities(
        "Product",
        json!([{ "upc": "1", "price": 300 }, { "upc": "2", "price": 80 }]),
    );
    Harness::start(&fixture_supergraph(), vec![products, inventory, pricing]).await
}

/// Requests per subgraph: inventory, pricing, products.
fn requests(pairs: [usize; 3]) -> BTreeMap<String, usize> {
    let [inventory, pricing, products] = pairs;
    counts(&[
        ("inventory", inventory),
        ("pricing", pricing),
        ("products", products),
    ])
}

fn only_query_to(harness: &Harness, subgraph: &str) -> String {
    let sent = harness.subgraph(subgraph).requests();
    assert_eq!(sent.len(), 1, "{subgraph} received one request");
    sent[0].query.clone()
}

const SHAREABLE_FROM_ROOT_QUERY: &str = "{ topProducts { name category { title } stock } }";

#[test]
fn plans_shareable_fields_from_the_subgraph_already_queried() {
    insta::assert_snapshot!(
        "shareable_from_products",
        plan(&fixture_supergraph(), SHAREABLE_FROM_ROOT_QUERY)
    );
}

#[tokio::test]
async fn takes_shareable_fields_from_the_root_subgraph() {
    let harness = harness().await;
    let response = harness.query(SHAREABLE_FROM_ROOT_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "topProducts": [
            { "name": "Table", "category": { "title": "Furniture" }, "stock": 3 },
            { "name": "Chair", "category": { "title": "Furniture" }, "stock": 0 }
        ] } })
    );
    let inventory_query = only_query_to(&harness, "inventory");
    assert!(!inventory_query.contains("name"), "{inventory_query}");
    assert!(!inventory_query.contains("category"), "{inventory_query}");
    assert_eq!(harness.take_counts(), requests([1, 0, 1]));
}

const SHAREABLE_ONLY_QUERY: &str = "{ lowStock { upc name category { slug title } stock } }";

#[test]
fn plans_shareable_fields_without_another_subgraph() {
    insta::assert_snapshot!(
        "shareable_from_inventory",
        plan(&fixture_supergraph(), SHAREABLE_ONLY_QUERY)
    );
}

#[tokio::test]
async fn needs_no_other_subgraph_for_shareable_fields() {
    let harness = harness().await;
    let response = harness.query(SHAREABLE_ONLY_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "lowStock": [
            { "upc": "2", "name": "Chair", "category": { "slug": "furniture", "title": "Furniture" }, "stock": 0 }
        ] } })
    );
    assert_eq!(harness.take_counts(), requests([1, 0, 0]));
}

const EXTERNAL_QUERY: &str = "{ lowStock { name weight restockCost } }";

#[test]
fn plans_an_external_field_from_its_owner() {
    insta::assert_snapshot!(
        "shareable_external",
        plan(&fixture_supergraph(), EXTERNAL_QUERY)
    );
}

#[tokio::test]
async fn fetches_an_external_field_from_its_owner() {
    let harness = harness().await;
    let response = harness.query(EXTERNAL_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "lowStock": [{ "name": "Chair", "weight": 4, "restockCost": 20 }] } })
    );
    let products_query = only_query_to(&harness, "products");
    assert!(products_query.contains("weight"), "{products_query}");
    assert!(!products_query.contains("name"), "{products_query}");
    // inventory: the root fetch, then restockCost with weight in the representation.
    assert_eq!(harness.take_counts(), requests([2, 0, 1]));
}

const OVERRIDE_QUERY: &str = "{ topProducts { name price } }";

#[test]
fn plans_an_overridden_field_from_its_new_subgraph() {
    insta::assert_snapshot!(
        "shareable_override",
        plan(&fixture_supergraph(), OVERRIDE_QUERY)
    );
}

#[tokio::test]
async fn takes_an_overridden_field_from_its_new_subgraph() {
    let harness = harness().await;
    let response = harness.query(OVERRIDE_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "topProducts": [
            { "name": "Table", "price": 300 },
            { "name": "Chair", "price": 80 }
        ] } })
    );
    let products_query = only_query_to(&harness, "products");
    assert!(
        !products_query.contains("price"),
        "products was asked for price: {products_query}"
    );
    assert_eq!(harness.take_counts(), requests([0, 1, 1]));
}

const OVERRIDE_ELSEWHERE_QUERY: &str = "{ lowStock { name price } }";

#[tokio::test]
async fn never_asks_the_old_subgraph_for_an_overridden_field() {
    let harness = harness().await;
    let response = harness.query(OVERRIDE_ELSEWHERE_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "lowStock": [{ "name": "Chair", "price": 80 }] } })
    );
    assert_eq!(harness.take_counts(), requests([1, 1, 0]));
}

const SHAREABLE_ROOT_FOR_INVENTORY: &str = r#"{ product(upc: "2") { name stock } }"#;
const SHAREABLE_ROOT_FOR_PRODUCTS: &str = r#"{ product(upc: "2") { name weight } }"#;

#[test]
fn plans_a_shareable_root_field_on_the_subgraph_resolving_the_most() {
    let supergraph = fixture_supergraph();
    insta::assert_snapshot!(
        "shareable_root_inventory",
        plan(&supergraph, SHAREABLE_ROOT_FOR_INVENTORY)
    );
    insta::assert_snapshot!(
        "shareable_root_products",
        plan(&supergraph, SHAREABLE_ROOT_FOR_PRODUCTS)
    );
}

#[tokio::test]
async fn answers_a_shareable_root_field_from_one_subgraph() {
    let harness = harness().await;
    let response = harness.query(SHAREABLE_ROOT_FOR_INVENTORY).await;
    assert_eq!(
        response,
        json!({ "data": { "product": { "name": "Chair", "stock": 0 } } })
    );
    assert_eq!(harness.take_counts(), requests([1, 0, 0]));
    let response = harness.query(SHAREABLE_ROOT_FOR_PRODUCTS).await;
    assert_eq!(
        response,
        json!({ "data": { "product": { "name": "Chair", "weight": 4 } } })
    );
    assert_eq!(harness.take_counts(), requests([0, 0, 1]));
}
