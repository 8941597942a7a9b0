//! Operation features over several subgraphs: fragments, aliases, variables
//! and their defaults, `@skip`/`@include`, `__typename`, introspection,
//! parallel root fields and serial mutations.

mod common;

use std::sync::{Arc, Mutex};
use std::time::Duration;

use common::{Harness, counts, plan, supergraph};
use fitgraph_gateway_testkit::{Behavior, FixtureSubgraph};
use serde_json::{Value, json};

const PRODUCTS: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@inaccessible"])
type Query {
  product(id: ID!): Product
  topProducts: [Product!]!
  nodes: [Node!]!
}
type Mutation { addProduct(name: String!): Product! }
interface Node { id: ID! }
type Product implements Node @key(fields: "id") {
  id: ID!
  name: String!
  price(currency: String = "USD"): Float!
  cost: Float @inaccessible
}
type Category implements Node { id: ID! title: String! }
"#;

const INVENTORY: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { lowStock: [Product!]! }
type Mutation { restock(id: ID!, amount: Int!): Product! }
type Product @key(fields: "id") {
  id: ID!
  inStock: Int!
  shippingEstimate(zip: String!): Int!
}
"#;

const ACCOUNTS: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { me: User }
type User @key(fields: "id") { id: ID! name: String! }
"#;

fn fixture_supergraph() -> String {
    supergraph(&[
        ("accounts", ACCOUNTS),
        ("inventory", INVENTORY),
        ("products", PRODUCTS),
    ])
}

fn product_rows() -> Value {
    json!([
        { "id": "1", "name": "Table", "prices": { "USD": 100.0, "EUR": 90.0 }, "cost": 40.0 },
        { "id": "2", "name": "Chair", "prices": { "USD": 50.0, "EUR": 45.0 }, "cost": 20.0 }
    ])
}

/// What each mutation resolver ran, in the order the subgraphs ran them.
type Log = Arc<Mutex<Vec<String>>>;

async fn harness_with_log(log: Log) -> Harness {
    let rows = product_rows();
    let by_id = move |args: &Value| {
        let rows = rows.as_array().cloned().unwrap_or_default();
        rows.into_iter()
            .find(|row| row["id"] == args["id"])
            .unwrap_or(Value::Null)
    };
    let added = Arc::new(Mutex::new(0));
    let products_log = log.clone();
    let products = FixtureSubgraph::new("products", PRODUCTS)
        .query(json!({
            "topProducts": product_rows(),
            "nodes": [
                { "__typename": "Product", "id": "1", "name": "Table", "prices": { "USD": 100.0, "EUR": 90.0 } },
                { "__typename": "Category", "id": "c1", "title": "Furniture" }
            ]
        }))
        .entities("Product", product_rows())
        .resolver("Query", "product", move |_, args| by_id(args))
        .resolver("Product", "price", |parent, args| parent["prices"][args["currency"].as_str().unwrap_or("USD")].clone())
        .resolver("Mutation", "addProduct", move |_, args| {
            let mut added = added.lock().unwrap();
            *added += 1;
            let name = args["name"].as_str().unwrap_or_default();
            products_log.lock().unwrap().push(format!("addProduct {name}"));
            json!({ "id": format!("new-{added}"), "name": name })
        });
    let inventory_log = log;
    let inventory = FixtureSubgraph::new("inventory", INVENTORY)
        .query(json!({ "lowStock": [{ "id": "2", "inStock": 1 }] }))
        .entities(
            "Product",
            json!([{ "id": "1", "inStock": 4 }, { "id": "2", "inStock": 1 }]),
        )
        .resolver("Product", "shippingEstimate", |_, args| {
            json!(
                if args["zip"].as_str().unwrap_or_default().starts_with('1') {
                    2
                } else {
                    5
                }
            )
        })
        .resolver("Mutation", "restock", move |_, args| {
            let id = args["id"].as_str().unwrap_or_default();
            inventory_log.lock().unwrap().push(format!("restock {id}"));
            json!({ "id": id, "inStock": 4 + args["amount"].as_i64().unwrap_or(0) })
        });
    let accounts = FixtureSubgraph::new("accounts", ACCOUNTS)
        .query(json!({ "me": { "id": "u1", "name": "Ada" } }));
    Harness::start(&fixture_supergraph(), vec![products, inventory, accounts]).await
}

async fn harness() -> Harness {
    harness_with_log(Log::default()).await
}

const FRAGMENTS_QUERY: &str = r#"
query Fragments {
  topProducts { ...ProductCard }
  nodes { ...NodeInfo }
}
fragment ProductCard on Product {
  name
  ...Pricing
  ... { inStock }
}
fragment Pricing on Product { price }
fragment NodeInfo on Node {
  id
  ... on Product { ...ProductCard }
  ... on Category { title }
}
"#;

const ALIASES_QUERY: &str = r#"
{
  first: product(id: "1") { name eur: price(currency: "EUR") usd: price }
  second: product(id: "2") {
    title: name
    stock: inStock
    berlin: shippingEstimate(zip: "10115")
    sf: shippingEstimate(zip: "94103")
  }
}
"#;

/// The alias `id` shadows the key field the entity fetch needs.
const ALIAS_SHADOWING_KEY_QUERY: &str = "{ topProducts { id: name inStock } }";

const VARIABLES_QUERY: &str = r#"
query Shipping($id: ID! = "1", $zip: String! = "10115", $currency: String = "EUR") {
  product(id: $id) { name price(currency: $currency) shippingEstimate(zip: $zip) }
}
"#;

const LITERAL_CONDITIONS_QUERY: &str = r#"
{
  topProducts {
    name
    inStock @skip(if: true)
    price @include(if: true)
    ... on Product @include(if: false) { shippingEstimate(zip: "10115") }
    ...Stock @skip(if: true)
  }
}
fragment Stock on Product { inStock }
"#;

const VARIABLE_CONDITIONS_QUERY: &str = r#"
query Conditions($withStock: Boolean!, $skipPrice: Boolean = false) {
  topProducts {
    name
    inStock @include(if: $withStock)
    price @skip(if: $skipPrice)
    ...Shipping @include(if: $withStock)
  }
}
fragment Shipping on Product { ship: shippingEstimate(zip: "10115") }
"#;

const TYPENAME_QUERY: &str =
    "{ __typename topProducts { __typename name } me { __typename name } }";

const ROOT_FIELDS_QUERY: &str = "{ topProducts { name } me { name } lowStock { id inStock } }";

const MUTATION: &str = r#"
mutation {
  a: addProduct(name: "Desk") { id name }
  b: addProduct(name: "Shelf") { id }
  restock(id: "1", amount: 5) { id inStock name }
  c: addProduct(name: "Stool") { id name }
}
"#;

#[test]
fn plans_fragments() {
    insta::assert_snapshot!(
        "operations_fragments",
        plan(&fixture_supergraph(), FRAGMENTS_QUERY)
    );
}

#[test]
fn plans_aliases() {
    insta::assert_snapshot!(
        "operations_aliases",
        plan(&fixture_supergraph(), ALIASES_QUERY)
    );
    insta::assert_snapshot!(
        "operations_alias_shadowing_key",
        plan(&fixture_supergraph(), ALIAS_SHADOWING_KEY_QUERY)
    );
}

#[test]
fn plans_variables_for_the_subgraphs_using_them() {
    insta::assert_snapshot!(
        "operations_variables",
        plan(&fixture_supergraph(), VARIABLES_QUERY)
    );
}

#[test]
fn plans_skip_and_include() {
    insta::assert_snapshot!(
        "operations_literal_conditions",
        plan(&fixture_supergraph(), LITERAL_CONDITIONS_QUERY)
    );
    insta::assert_snapshot!(
        "operations_variable_conditions",
        plan(&fixture_supergraph(), VARIABLE_CONDITIONS_QUERY)
    );
}

#[test]
fn plans_typename_and_introspection() {
    insta::assert_snapshot!(
        "operations_typename",
        plan(&fixture_supergraph(), TYPENAME_QUERY)
    );
    insta::assert_snapshot!(
        "operations_introspection",
        plan(
            &fixture_supergraph(),
            "{ __schema { queryType { name } } __typename }"
        )
    );
}

#[test]
fn plans_root_fields_in_parallel() {
    insta::assert_snapshot!(
        "operations_root_fields",
        plan(&fixture_supergraph(), ROOT_FIELDS_QUERY)
    );
}

#[test]
fn plans_mutation_fields_in_order() {
    insta::assert_snapshot!("operations_mutation", plan(&fixture_supergraph(), MUTATION));
}

#[tokio::test]
async fn resolves_named_inline_and_nested_fragments() {
    let harness = harness().await;
    let response = harness.query(FRAGMENTS_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": {
            "topProducts": [
                { "name": "Table", "price": 100.0, "inStock": 4 },
                { "name": "Chair", "price": 50.0, "inStock": 1 }
            ],
            "nodes": [
                { "id": "1", "name": "Table", "price": 100.0, "inStock": 4 },
                { "id": "c1", "title": "Furniture" }
            ]
        } })
    );
    // The entity fetches for `topProducts` and `nodes` share one request.
    assert_eq!(
        harness.take_counts(),
        counts(&[("accounts", 0), ("inventory", 1), ("products", 1)])
    );
}

#[tokio::test]
async fn resolves_aliases_with_different_arguments() {
    let harness = harness().await;
    let response = harness.query(ALIASES_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": {
            "first": { "name": "Table", "eur": 90.0, "usd": 100.0 },
            "second": { "title": "Chair", "stock": 1, "berlin": 2, "sf": 5 }
        } })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[("accounts", 0), ("inventory", 1), ("products", 1)])
    );
}

#[tokio::test]
async fn resolves_an_alias_that_shadows_a_key_field() {
    let harness = harness().await;
    let response = harness.query(ALIAS_SHADOWING_KEY_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "topProducts": [
            { "id": "Table", "inStock": 4 },
            { "id": "Chair", "inStock": 1 }
        ] } })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[("accounts", 0), ("inventory", 1), ("products", 1)])
    );
}

#[tokio::test]
async fn forwards_variables_and_defaults_to_the_subgraph_using_them() {
    let harness = harness().await;
    let response = harness.request(VARIABLES_QUERY, json!({})).await;
    assert_eq!(
        response,
        json!({ "data": { "product": { "name": "Table", "price": 90.0, "shippingEstimate": 2 } } })
    );
    let products = harness.subgraph("products").requests();
    let inventory = harness.subgraph("inventory").requests();
    assert_eq!(products.len(), 1);
    assert_eq!(
        products[0].variables,
        json!({ "id": "1", "currency": "EUR" })
    );
    assert_eq!(inventory.len(), 1);
    assert_eq!(
        inventory[0].variables,
        json!({ "representations": [{ "__typename": "Product", "id": "1" }], "zip": "10115" })
    );
    harness.take_counts();

    let response = harness
        .request(
            VARIABLES_QUERY,
            json!({ "id": "2", "zip": "94103", "currency": null }),
        )
        .await;
    assert_eq!(
        response,
        json!({ "data": { "product": { "name": "Chair", "price": 50.0, "shippingEstimate": 5 } } })
    );
    let products = harness.subgraph("products").requests();
    let inventory = harness.subgraph("inventory").requests();
    assert_eq!(
        products[0].variables,
        json!({ "id": "2", "currency": null })
    );
    assert_eq!(
        inventory[0].variables,
        json!({ "representations": [{ "__typename": "Product", "id": "2" }], "zip": "94103" })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[("accounts", 0), ("inventory", 1), ("products", 1)])
    );
}

#[tokio::test]
async fn drops_literally_skipped_fields_and_their_fetches() {
    let harness = harness().await;
    let response = harness.query(LITERAL_CONDITIONS_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "topProducts": [
            { "name": "Table", "price": 100.0 },
            { "name": "Chair", "price": 50.0 }
        ] } })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[("accounts", 0), ("inventory", 0), ("products", 1)])
    );
}

#[tokio::test]
async fn applies_skip_and_include_on_variables() {
    let harness = harness().await;
    let included = harness
        .request(
            VARIABLE_CONDITIONS_QUERY,
            json!({ "withStock": true, "skipPrice": false }),
        )
        .await;
    assert_eq!(
        included,
        json!({ "data": { "topProducts": [
            { "name": "Table", "inStock": 4, "price": 100.0, "ship": 2 },
            { "name": "Chair", "inStock": 1, "price": 50.0, "ship": 2 }
        ] } })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[("accounts", 0), ("inventory", 1), ("products", 1)])
    );

    let skipped = harness
        .request(
            VARIABLE_CONDITIONS_QUERY,
            json!({ "withStock": false, "skipPrice": true }),
        )
        .await;
    assert_eq!(
        skipped,
        json!({ "data": { "topProducts": [{ "name": "Table" }, { "name": "Chair" }] } })
    );
    // Nothing is wanted from inventory, so it is not asked.
    assert_eq!(
        harness.take_counts(),
        counts(&[("accounts", 0), ("inventory", 0), ("products", 1)])
    );

    // The default of `$skipPrice` applies when it is left out.
    let defaulted = harness
        .request(VARIABLE_CONDITIONS_QUERY, json!({ "withStock": false }))
        .await;
    assert_eq!(
        defaulted,
        json!({ "data": { "topProducts": [
            { "name": "Table", "price": 100.0 },
            { "name": "Chair", "price": 50.0 }
        ] } })
    );
}

#[tokio::test]
async fn answers_typename_at_the_root_and_nested() {
    let harness = harness().await;
    let response = harness.query(TYPENAME_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": {
            "__typename": "Query",
            "topProducts": [
                { "__typename": "Product", "name": "Table" },
                { "__typename": "Product", "name": "Chair" }
            ],
            "me": { "__typename": "User", "name": "Ada" }
        } })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[("accounts", 1), ("inventory", 0), ("products", 1)])
    );

    let response = harness.query("{ __typename }").await;
    assert_eq!(response, json!({ "data": { "__typename": "Query" } }));
    assert_eq!(
        harness.take_counts(),
        counts(&[("accounts", 0), ("inventory", 0), ("products", 0)])
    );
}

#[tokio::test]
async fn answers_introspection_without_subgraphs() {
    let harness = harness().await;
    let response = harness
        .query("{ __schema { queryType { name } mutationType { name } } }")
        .await;
    assert_eq!(
        response,
        json!({ "data": { "__schema": { "queryType": { "name": "Query" }, "mutationType": { "name": "Mutation" } } } })
    );

    let response = harness
        .query(r#"{ __type(name: "Product") { name kind fields { name } } }"#)
        .await;
    assert_eq!(response["data"]["__type"]["name"], "Product", "{response}");
    assert_eq!(response["data"]["__type"]["kind"], "OBJECT", "{response}");
    let mut fields: Vec<&str> = response["data"]["__type"]["fields"]
        .as_array()
        .expect("a list of fields")
        .iter()
        .filter_map(|field| field["name"].as_str())
        .collect();
    fields.sort_unstable();
    // `cost` is @inaccessible.
    assert_eq!(
        fields,
        ["id", "inStock", "name", "price", "shippingEstimate"]
    );

    let response = harness
        .query(r#"{ __type(name: "join__Graph") { name } }"#)
        .await;
    assert_eq!(response, json!({ "data": { "__type": null } }));

    let response = harness
        .query("{ __schema { types { name } directives { name } } }")
        .await;
    let names: Vec<&str> = response["data"]["__schema"]["types"]
        .as_array()
        .expect("a list of types")
        .iter()
        .chain(
            response["data"]["__schema"]["directives"]
                .as_array()
                .expect("a list of directives"),
        )
        .filter_map(|ty| ty["name"].as_str())
        .collect();
    assert!(
        names.contains(&"Product") && names.contains(&"Node"),
        "{names:?}"
    );
    let leaked: Vec<&&str> = names
        .iter()
        .filter(|name| {
            name.starts_with("join__")
                || name.starts_with("link__")
                || ["link", "inaccessible"].contains(name)
        })
        .collect();
    assert!(
        leaked.is_empty(),
        "federation machinery in the API schema: {leaked:?}"
    );
    assert!(
        !names.contains(&"_Entity") && !names.contains(&"_Any"),
        "{names:?}"
    );

    assert_eq!(
        harness.take_counts(),
        counts(&[("accounts", 0), ("inventory", 0), ("products", 0)])
    );
}

#[tokio::test]
async fn rejects_an_inaccessible_field() {
    let harness = harness().await;
    let response = harness.query("{ topProducts { name cost } }").await;
    assert_eq!(
        response["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
        "{response}"
    );
    assert!(response.get("data").is_none(), "{response}");
    assert_eq!(
        harness.take_counts(),
        counts(&[("accounts", 0), ("inventory", 0), ("products", 0)])
    );
}

#[tokio::test]
async fn fetches_root_fields_of_several_subgraphs_once_each() {
    let harness = harness().await;
    let response = harness.query(ROOT_FIELDS_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": {
            "topProducts": [{ "name": "Table" }, { "name": "Chair" }],
            "me": { "name": "Ada" },
            "lowStock": [{ "id": "2", "inStock": 1 }]
        } })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[("accounts", 1), ("inventory", 1), ("products", 1)])
    );
}

#[tokio::test]
async fn fetches_root_fields_concurrently() {
    let harness = harness().await;
    for name in ["products", "accounts", "inventory"] {
        harness
            .subgraph(name)
            .set_behavior(Behavior::Delay(Duration::from_millis(400)));
    }
    let started = std::time::Instant::now();
    let response = harness.query(ROOT_FIELDS_QUERY).await;
    let elapsed = started.elapsed();
    assert_eq!(
        response["data"]["me"],
        json!({ "name": "Ada" }),
        "{response}"
    );
    assert!(
        elapsed < Duration::from_millis(1100),
        "three 400ms fetches took {elapsed:?}"
    );
}

#[tokio::test]
async fn runs_mutation_fields_one_after_the_other() {
    let log = Log::default();
    let harness = harness_with_log(log.clone()).await;
    // A slow inventory would let a concurrent executor run `c` before `restock`.
    harness
        .subgraph("inventory")
        .set_behavior(Behavior::Delay(Duration::from_millis(300)));
    let response = harness.query(MUTATION).await;
    assert_eq!(
        response,
        json!({ "data": {
            "a": { "id": "new-1", "name": "Desk" },
            "b": { "id": "new-2" },
            "restock": { "id": "1", "inStock": 9, "name": "Table" },
            "c": { "id": "new-3", "name": "Stool" }
        } })
    );
    assert_eq!(
        *log.lock().unwrap(),
        [
            "addProduct Desk",
            "addProduct Shelf",
            "restock 1",
            "addProduct Stool"
        ]
    );
    // `a` and `b` share one request; `restock { name }` needs an entity fetch
    // from products, which runs before `c`.
    let products = harness.subgraph("products").requests();
    let kinds: Vec<bool> = products
        .iter()
        .map(|request| request.query.trim_start().starts_with("mutation"))
        .collect();
    assert_eq!(kinds, [true, false, true], "{products:#?}");
    assert!(
        products[0].query.contains("Desk") && products[0].query.contains("Shelf"),
        "{}",
        products[0].query
    );
    assert!(
        products[1].query.contains("_entities"),
        "{}",
        products[1].query
    );
    assert!(products[2].query.contains("Stool"), "{}", products[2].query);
    assert_eq!(
        harness.take_counts(),
        counts(&[("accounts", 0), ("inventory", 1), ("products", 3)])
    );
}

#[tokio::test]
async fn mixes_introspection_and_typename_with_subgraph_fields() {
    let harness = harness().await;
    let response = harness
        .query("{ kind: __typename __schema { queryType { name } } topProducts { name } }")
        .await;
    assert_eq!(
        response,
        json!({ "data": {
            "kind": "Query",
            "__schema": { "queryType": { "name": "Query" } },
            "topProducts": [{ "name": "Table" }, { "name": "Chair" }]
        } })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[("accounts", 0), ("inventory", 0), ("products", 1)])
    );
}

#[tokio::test]
async fn applies_skip_and_include_on_root_fields() {
    let harness = harness().await;
    let query = r#"
        query Root($withMe: Boolean!) {
          me @include(if: $withMe) { name }
          ... @skip(if: $withMe) { lowStock { id } }
          topProducts { name }
        }
    "#;
    let response = harness.request(query, json!({ "withMe": true })).await;
    assert_eq!(
        response,
        json!({ "data": {
            "me": { "name": "Ada" },
            "topProducts": [{ "name": "Table" }, { "name": "Chair" }]
        } })
    );
    let sent = harness.take_counts();
    assert_eq!((sent["accounts"], sent["products"]), (1, 1), "{sent:?}");

    let response = harness.request(query, json!({ "withMe": false })).await;
    assert_eq!(
        response,
        json!({ "data": {
            "lowStock": [{ "id": "2" }],
            "topProducts": [{ "name": "Table" }, { "name": "Chair" }]
        } })
    );
    let sent = harness.take_counts();
    assert_eq!((sent["inventory"], sent["products"]), (1, 1), "{sent:?}");
}

#[tokio::test]
async fn plans_each_operation_once() {
    let harness = harness().await;
    let first = harness.query(ROOT_FIELDS_QUERY).await;
    // The same operation written differently (spacing) is the same normalized operation.
    let spaced = ROOT_FIELDS_QUERY.replace(' ', "  ");
    let second = harness.query(&spaced).await;
    assert_eq!(first, second);
    assert_eq!(harness.gateway.cached_plans(), 1);
    harness.query(ALIAS_SHADOWING_KEY_QUERY).await;
    assert_eq!(harness.gateway.cached_plans(), 2);
}

#[tokio::test]
async fn answers_fields_in_the_order_asked() {
    let harness = harness().await;
    // Not alphabetical, so a map that sorts its keys would fail this.
    let response = harness.query("{ topProducts { name } me { name } }").await;
    let keys: Vec<&String> = response["data"].as_object().expect("data").keys().collect();
    assert_eq!(keys, ["topProducts", "me"]);
}
