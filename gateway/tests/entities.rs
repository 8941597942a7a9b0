//! Entities across subgraphs: single, composite, nested and multiple keys, with
//! the key chosen so the target subgraph can resolve it; null and missing keys.

mod common;

use common::{Harness, counts, plan, supergraph};
use fitgraph_gateway_testkit::FixtureSubgraph;
use serde_json::json;

const PRODUCTS: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
type Query { topProducts: [Product!]! }
type Product @key(fields: "upc") @key(fields: "sku region { code }") {
  upc: String!
  sku: String!
  region: Region!
  name: String!
}
type Region @shareable { code: String! }
"#;

const INVENTORY: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
type Product @key(fields: "sku region { code }") {
  sku: String!
  region: Region!
  inStock: Int!
}
type Region @shareable { code: String! }
"#;

const REVIEWS: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Product @key(fields: "upc") {
  upc: String!
  reviews: [Review!]!
}
type Review { body: String! author: User }
type User @key(fields: "id", resolvable: false) { id: ID! }
"#;

const ACCOUNTS: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type User @key(fields: "id") @key(fields: "email") {
  id: ID!
  email: String!
  name: String!
}
"#;

const NEWSLETTER: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type User @key(fields: "email") {
  email: String!
  subscribed: Boolean!
}
"#;

fn fixture_supergraph() -> String {
    supergraph(&[
        ("accounts", ACCOUNTS),
        ("inventory", INVENTORY),
        ("newsletter", NEWSLETTER),
        ("products", PRODUCTS),
        ("reviews", REVIEWS),
    ])
}

async fn harness() -> Harness {
    let products = FixtureSubgraph::new("products", PRODUCTS).query(json!({
        "topProducts": [
            { "upc": "1", "sku": "TBL", "region": { "code": "EU" }, "name": "Table" },
            { "upc": "2", "sku": "CHR", "region": { "code": "US" }, "name": "Chair" },
            { "upc": "3", "sku": "LMP", "region": { "code": "EU" }, "name": "Lamp" }
        ]
    }));
    let inventory = FixtureSubgraph::new("inventory", INVENTORY).entities(
        "Product",
        json!([
            { "sku": "TBL", "region": { "code": "EU" }, "inStock": 4 },
            { "sku": "CHR", "region": { "code": "US" }, "inStock": 0 },
            { "sku": "LMP", "region": { "code": "EU" }, "inStock": 9 }
        ]),
    );
    let reviews = FixtureSubgraph::new("reviews", REVIEWS).entities(
        "Product",
        json!([
            { "upc": "1", "reviews": [
                { "body": "Sturdy", "author": { "id": "u1" } },
                { "body": "Wobbly", "author": { "id": "u2" } }
            ] },
            { "upc": "2", "reviews": [
                { "body": "Comfy", "author": { "id": "u1" } },
                { "body": "Anonymous", "author": null }
            ] },
            { "upc": "3", "reviews": [] }
        ]),
    );
    let accounts = FixtureSubgraph::new("accounts", ACCOUNTS).entities(
        "User",
        json!([
            { "id": "u1", "email": "ada@example.com", "name": "Ada" },
            { "id": "u2", "email": "alan@example.com", "name": "Alan" }
        ]),
    );
    let newsletter = FixtureSubgraph::new("newsletter", NEWSLETTER).entities(
        "User",
        json!([
            { "email": "ada@example.com", "subscribed": true },
            { "email": "alan@example.com", "subscribed": false }
        ]),
    );
    Harness::start(
        &fixture_supergraph(),
        vec![products, inventory, reviews, accounts, newsletter],
    )
    .await
}

const NESTED_QUERY: &str = r#"
{
  topProducts {
    name
    inStock
    reviews { body author { name subscribed } }
  }
}
"#;

#[test]
fn plans_composite_nested_and_chained_keys() {
    insta::assert_snapshot!("entities_plan", plan(&fixture_supergraph(), NESTED_QUERY));
}

#[tokio::test]
async fn resolves_entities_through_every_kind_of_key() {
    let harness = harness().await;
    let response = harness.query(NESTED_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "topProducts": [
            { "name": "Table", "inStock": 4, "reviews": [
                { "body": "Sturdy", "author": { "name": "Ada", "subscribed": true } },
                { "body": "Wobbly", "author": { "name": "Alan", "subscribed": false } }
            ] },
            { "name": "Chair", "inStock": 0, "reviews": [
                { "body": "Comfy", "author": { "name": "Ada", "subscribed": true } },
                { "body": "Anonymous", "author": null }
            ] },
            { "name": "Lamp", "inStock": 9, "reviews": [] }
        ] } })
    );
    // One request per subgraph: entities are batched and deduplicated (u1 twice).
    assert_eq!(
        harness.take_counts(),
        counts(&[
            ("accounts", 1),
            ("inventory", 1),
            ("newsletter", 1),
            ("products", 1),
            ("reviews", 1)
        ])
    );
    let accounts_request = &harness.subgraph("accounts").requests();
    assert!(accounts_request.is_empty(), "counts were reset");
}

#[tokio::test]
async fn sends_each_representation_once() {
    let harness = harness().await;
    harness.query(NESTED_QUERY).await;
    let sent = harness.subgraph("accounts").requests();
    let representations = sent[0].variables["representations"]
        .as_array()
        .expect("an entity fetch")
        .clone();
    assert_eq!(
        representations,
        vec![
            json!({ "__typename": "User", "id": "u1" }),
            json!({ "__typename": "User", "id": "u2" })
        ]
    );
}
