//! `@requires`: a field computed from fields another subgraph owns. The
//! required fields are fetched first and sent in the representation; the
//! requiring subgraph's resolvers compute from them, so each result proves the
//! required data arrived.

mod common;

use common::{Harness, counts, plan, supergraph};
use fitgraph_gateway_testkit::FixtureSubgraph;
use serde_json::{Value, json};

const PRODUCTS: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable"])
type Query { topProducts: [Product!]! }
type Product @key(fields: "upc") {
  upc: String!
  name: String!
  weight: Int!
  dimensions: Dimensions!
}
type Dimensions @shareable { width: Int! height: Int! depth: Int! }
"#;

const PRICING: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Product @key(fields: "upc") {
  upc: String!
  price: Int!
}
"#;

const SHIPPING: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires"])
type Query { shippable: [Product!]! }
type Product @key(fields: "upc") {
  upc: String!
  weight: Int! @external
  dimensions: Dimensions! @external
  price: Int! @external
  shippingEstimate: Int! @requires(fields: "weight")
  packaging: String! @requires(fields: "dimensions { width height }")
  deliveryCost(zone: String!, express: Boolean = false): Int! @requires(fields: "weight")
  freightCost: Int! @requires(fields: "weight price")
}
type Dimensions @shareable { width: Int! height: Int! }
"#;

const INSURANCE: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@external", "@requires"])
type Product @key(fields: "upc") {
  upc: String!
  shippingEstimate: Int! @external
  insuranceFee: Int! @requires(fields: "shippingEstimate")
}
"#;

fn fixture_supergraph() -> String {
    supergraph(&[
        ("insurance", INSURANCE),
        ("pricing", PRICING),
        ("products", PRODUCTS),
        ("shipping", SHIPPING),
    ])
}

/// The integer at `pointer` in the parent object, or a field error naming what is missing.
fn required(parent: &Value, pointer: &str) -> Result<i64, Value> {
    parent
        .pointer(pointer)
        .and_then(Value::as_i64)
        .ok_or_else(|| json!({ "__error": format!("required `{pointer}` missing from {parent}") }))
}

fn shipping_estimate(parent: &Value) -> Result<i64, Value> {
    Ok(required(parent, "/weight")? * 2)
}

fn packaging(parent: &Value) -> Result<Value, Value> {
    let width = required(parent, "/dimensions/width")?;
    let height = required(parent, "/dimensions/height")?;
    Ok(json!(format!("box {width}x{height}")))
}

fn delivery_cost(parent: &Value, args: &Value) -> Result<i64, Value> {
    let weight = required(parent, "/weight")?;
    let rate = match args["zone"].as_str() {
        Some("EU") => 3,
        _ => 5,
    };
    let surcharge = if args["express"].as_bool() == Some(true) {
        100
    } else {
        0
    };
    Ok(weight * rate + surcharge)
}

fn freight_cost(parent: &Value) -> Result<i64, Value> {
    Ok(required(parent, "/weight")? * 10 + required(parent, "/price")?)
}

fn insurance_fee(parent: &Value) -> Result<i64, Value> {
    Ok(required(parent, "/shippingEstimate")? * 3)
}

fn answer<T: Into<Value>>(result: Result<T, Value>) -> Value {
    result.map_or_else(|error| error, Into::into)
}

fn shipping() -> FixtureSubgraph {
    FixtureSubgraph::new("shipping", SHIPPING)
        .query(json!({ "shippable": [{ "upc": "2" }] }))
        .entities("Product", json!([{ "upc": "1" }, { "upc": "2" }]))
        .resolver("Product", "shippingEstimate", |parent, _| {
            answer(shipping_estimate(parent))
        })
        .resolver("Product", "packaging", |parent, _| {
            answer(packaging(parent))
        })
        .resolver("Product", "deliveryCost", |parent, args| {
            answer(delivery_cost(parent, args))
        })
        .resolver("Product", "freightCost", |parent, _| {
            answer(freight_cost(parent))
        })
}

async fn harness() -> Harness {
    let catalog = json!([
        { "upc": "1", "name": "Table", "weight": 10,
          "dimensions": { "width": 120, "height": 75, "depth": 80 } },
        { "upc": "2", "name": "Chair", "weight": 4,
          "dimensions": { "width": 45, "height": 90, "depth": 50 } }
    ]);
    let products = FixtureSubgraph::new("products", PRODUCTS)
        .query(json!({ "topProducts": catalog.clone() }))
        .entities("Product", catalog);
    let pricing = FixtureSubgraph::new("pricing", PRICING).entities(
        "Product",
        json!([{ "upc": "1", "price": 300 }, { "upc": "2", "price": 80 }]),
    );
    let insurance = FixtureSubgraph::new("insurance", INSURANCE)
        .entities("Product", json!([{ "upc": "1" }, { "upc": "2" }]))
        .resolver("Product", "insuranceFee", |parent, _| {
            answer(insurance_fee(parent))
        });
    Harness::start(
        &fixture_supergraph(),
        vec![products, pricing, shipping(), insurance],
    )
    .await
}

fn representations(harness: &Harness, subgraph: &str) -> Vec<Value> {
    let sent = harness.subgraph(subgraph).requests();
    let first = sent
        .first()
        .unwrap_or_else(|| panic!("{subgraph} received a request"));
    first.variables["representations"]
        .as_array()
        .expect("an entity fetch")
        .clone()
}

const SIMPLE_QUERY: &str = "{ topProducts { name shippingEstimate } }";

#[test]
fn plans_a_simple_requirement() {
    insta::assert_snapshot!("requires_simple", plan(&fixture_supergraph(), SIMPLE_QUERY));
}

#[tokio::test]
async fn computes_from_a_required_field() {
    let harness = harness().await;
    let response = harness.query(SIMPLE_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "topProducts": [
            { "name": "Table", "shippingEstimate": 20 },
            { "name": "Chair", "shippingEstimate": 8 }
        ] } })
    );
    assert_eq!(
        representations(&harness, "shipping"),
        vec![
            json!({ "__typename": "Product", "upc": "1", "weight": 10 }),
            json!({ "__typename": "Product", "upc": "2", "weight": 4 })
        ]
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[
            ("insurance", 0),
            ("pricing", 0),
            ("products", 1),
            ("shipping", 1)
        ])
    );
}

#[tokio::test]
async fn a_requested_required_field_is_fetched_once_and_returned() {
    let harness = harness().await;
    let response = harness
        .query("{ topProducts { weight shippingEstimate } }")
        .await;
    assert_eq!(
        response,
        json!({ "data": { "topProducts": [
            { "weight": 10, "shippingEstimate": 20 },
            { "weight": 4, "shippingEstimate": 8 }
        ] } })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[
            ("insurance", 0),
            ("pricing", 0),
            ("products", 1),
            ("shipping", 1)
        ])
    );
}

const NESTED_QUERY: &str = "{ topProducts { name dimensions { depth } packaging } }";

#[test]
fn plans_a_nested_requirement() {
    insta::assert_snapshot!("requires_nested", plan(&fixture_supergraph(), NESTED_QUERY));
}

#[tokio::test]
async fn computes_from_a_nested_requirement_without_leaking_it() {
    let harness = harness().await;
    let response = harness.query(NESTED_QUERY).await;
    // `width` and `height` were fetched for shipping only: the client asked for `depth`.
    assert_eq!(
        response,
        json!({ "data": { "topProducts": [
            { "name": "Table", "dimensions": { "depth": 80 }, "packaging": "box 120x75" },
            { "name": "Chair", "dimensions": { "depth": 50 }, "packaging": "box 45x90" }
        ] } })
    );
    assert_eq!(
        representations(&harness, "shipping"),
        vec![
            json!({ "__typename": "Product", "upc": "1", "dimensions": { "width": 120, "height": 75 } }),
            json!({ "__typename": "Product", "upc": "2", "dimensions": { "width": 45, "height": 90 } })
        ]
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[
            ("insurance", 0),
            ("pricing", 0),
            ("products", 1),
            ("shipping", 1)
        ])
    );
}

const ARGUMENTS_QUERY: &str = r#"
query Delivery($zone: String!) {
  topProducts {
    name
    standard: deliveryCost(zone: $zone)
    express: deliveryCost(zone: $zone, express: true)
    overseas: deliveryCost(zone: "US")
  }
}
"#;

#[test]
fn plans_a_requiring_field_with_arguments() {
    insta::assert_snapshot!(
        "requires_arguments",
        plan(&fixture_supergraph(), ARGUMENTS_QUERY)
    );
}

#[tokio::test]
async fn passes_arguments_to_a_requiring_field() {
    let harness = harness().await;
    let response = harness
        .request(ARGUMENTS_QUERY, json!({ "zone": "EU" }))
        .await;
    assert_eq!(
        response,
        json!({ "data": { "topProducts": [
            { "name": "Table", "standard": 30, "express": 130, "overseas": 50 },
            { "name": "Chair", "standard": 12, "express": 112, "overseas": 20 }
        ] } })
    );
    // One entity fetch answers every alias.
    assert_eq!(
        harness.take_counts(),
        counts(&[
            ("insurance", 0),
            ("pricing", 0),
            ("products", 1),
            ("shipping", 1)
        ])
    );
}

const CHAIN_QUERY: &str = "{ topProducts { name insuranceFee } }";

#[test]
fn plans_a_requirement_that_itself_requires() {
    insta::assert_snapshot!("requires_chain", plan(&fixture_supergraph(), CHAIN_QUERY));
}

#[tokio::test]
async fn resolves_a_chain_of_requirements() {
    let harness = harness().await;
    let response = harness.query(CHAIN_QUERY).await;
    // insuranceFee = shippingEstimate * 3 = weight * 2 * 3.
    assert_eq!(
        response,
        json!({ "data": { "topProducts": [
            { "name": "Table", "insuranceFee": 60 },
            { "name": "Chair", "insuranceFee": 24 }
        ] } })
    );
    assert_eq!(
        representations(&harness, "insurance"),
        vec![
            json!({ "__typename": "Product", "upc": "1", "shippingEstimate": 20 }),
            json!({ "__typename": "Product", "upc": "2", "shippingEstimate": 8 })
        ]
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[
            ("insurance", 1),
            ("pricing", 0),
            ("products", 1),
            ("shipping", 1)
        ])
    );
}

const THREE_SUBGRAPHS_QUERY: &str = "{ topProducts { name freightCost } }";

#[test]
fn plans_requirements_from_two_other_subgraphs() {
    insta::assert_snapshot!(
        "requires_three_subgraphs",
        plan(&fixture_supergraph(), THREE_SUBGRAPHS_QUERY)
    );
}

#[tokio::test]
async fn gathers_requirements_from_two_other_subgraphs() {
    let harness = harness().await;
    let response = harness.query(THREE_SUBGRAPHS_QUERY).await;
    // freightCost = weight * 10 + price.
    assert_eq!(
        response,
        json!({ "data": { "topProducts": [
            { "name": "Table", "freightCost": 400 },
            { "name": "Chair", "freightCost": 120 }
        ] } })
    );
    assert_eq!(
        representations(&harness, "shipping"),
        vec![
            json!({ "__typename": "Product", "upc": "1", "weight": 10, "price": 300 }),
            json!({ "__typename": "Product", "upc": "2", "weight": 4, "price": 80 })
        ]
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[
            ("insurance", 0),
            ("pricing", 1),
            ("products", 1),
            ("shipping", 1)
        ])
    );
}

const ALL_QUERY: &str = r#"
{
  topProducts {
    shippingEstimate
    packaging
    freightCost
    insuranceFee
  }
}
"#;

#[test]
fn plans_several_requirements_over_three_stages() {
    insta::assert_snapshot!("requires_combined", plan(&fixture_supergraph(), ALL_QUERY));
}

#[tokio::test]
async fn resolves_several_requirements_together() {
    let harness = harness().await;
    let response = harness.query(ALL_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "topProducts": [
            { "shippingEstimate": 20, "packaging": "box 120x75", "freightCost": 400, "insuranceFee": 60 },
            { "shippingEstimate": 8, "packaging": "box 45x90", "freightCost": 120, "insuranceFee": 24 }
        ] } })
    );
    // Shipping is asked twice: what products alone enables runs next to pricing,
    // so insurance does not wait for pricing; freightCost follows pricing.
    assert_eq!(
        harness.take_counts(),
        counts(&[
            ("insurance", 1),
            ("pricing", 1),
            ("products", 1),
            ("shipping", 2)
        ])
    );
}

const FROM_REQUIRING_SUBGRAPH_QUERY: &str = "{ shippable { upc shippingEstimate } }";

#[test]
fn plans_a_requirement_of_the_subgraph_already_queried() {
    insta::assert_snapshot!(
        "requires_from_requiring_subgraph",
        plan(&fixture_supergraph(), FROM_REQUIRING_SUBGRAPH_QUERY)
    );
}

#[tokio::test]
async fn returns_to_the_requiring_subgraph_with_the_required_fields() {
    let harness = harness().await;
    let response = harness.query(FROM_REQUIRING_SUBGRAPH_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "shippable": [{ "upc": "2", "shippingEstimate": 8 }] } })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[
            ("insurance", 0),
            ("pricing", 0),
            ("products", 1),
            ("shipping", 2)
        ])
    );
}

const ALIASED_QUERY: &str = "{ topProducts { weight: name mass: weight shippingEstimate } }";

#[test]
fn plans_a_requirement_whose_name_a_client_alias_takes() {
    insta::assert_snapshot!(
        "requires_aliased",
        plan(&fixture_supergraph(), ALIASED_QUERY)
    );
}

#[tokio::test]
async fn keeps_client_aliases_apart_from_required_fields() {
    let harness = harness().await;
    let response = harness.query(ALIASED_QUERY).await;
    assert_eq!(
        response,
        json!({ "data": { "topProducts": [
            { "weight": "Table", "mass": 10, "shippingEstimate": 20 },
            { "weight": "Chair", "mass": 4, "shippingEstimate": 8 }
        ] } })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[
            ("insurance", 0),
            ("pricing", 0),
            ("products", 1),
            ("shipping", 1)
        ])
    );
}

const CONDITIONAL_QUERY: &str = r#"
query ($withShipping: Boolean!) {
  topProducts { name shippingEstimate @include(if: $withShipping) }
}
"#;

#[test]
fn plans_a_conditional_requiring_field() {
    insta::assert_snapshot!(
        "requires_conditional",
        plan(&fixture_supergraph(), CONDITIONAL_QUERY)
    );
}

#[tokio::test]
async fn skips_the_requiring_fetch_when_the_field_is_excluded() {
    let harness = harness().await;
    let included = harness
        .request(CONDITIONAL_QUERY, json!({ "withShipping": true }))
        .await;
    assert_eq!(
        included,
        json!({ "data": { "topProducts": [
            { "name": "Table", "shippingEstimate": 20 },
            { "name": "Chair", "shippingEstimate": 8 }
        ] } })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[
            ("insurance", 0),
            ("pricing", 0),
            ("products", 1),
            ("shipping", 1)
        ])
    );
    let excluded = harness
        .request(CONDITIONAL_QUERY, json!({ "withShipping": false }))
        .await;
    assert_eq!(
        excluded,
        json!({ "data": { "topProducts": [{ "name": "Table" }, { "name": "Chair" }] } })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[
            ("insurance", 0),
            ("pricing", 0),
            ("products", 1),
            ("shipping", 0)
        ])
    );
}
