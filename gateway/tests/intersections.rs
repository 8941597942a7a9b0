//! Enums and input objects defined differently by several subgraphs: what the
//! API schema shows of them, what clients may send, and that arguments reach
//! the subgraphs intact.

mod common;

use common::{Harness, counts, plan, supergraph};
use fitgraph_gateway_testkit::FixtureSubgraph;
use serde_json::{Value, json};

/// `GBP` is @inaccessible here (composition refuses an input enum whose values
/// differ between subgraphs), and `ProductFilter.maxPrice` is unknown to reviews.
const PRODUCTS: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@inaccessible"])
type Query { products(filter: ProductFilter): [Product!]! }
enum Currency { USD EUR GBP @inaccessible }
input ProductFilter {
  name: String
  maxPrice: Float
  internalCode: String @inaccessible
}
enum Availability { IN_STOCK SOLD_OUT }
type Product @key(fields: "upc") {
  upc: String!
  name: String!
  price(currency: Currency = USD): Float!
  availability: Availability!
}
"#;

/// `Availability` is only ever returned, and reviews knows one more value.
const REVIEWS: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { topReviews(product: ProductFilter, currency: Currency = USD): [Review!]! }
enum Currency { USD EUR GBP }
input ProductFilter { name: String internalCode: String }
enum Availability { IN_STOCK SOLD_OUT PREORDER }
type Review {
  body: String!
  productAvailability: Availability
  product: Product!
}
type Product @key(fields: "upc") { upc: String! }
"#;

fn fixture_supergraph() -> String {
    supergraph(&[("products", PRODUCTS), ("reviews", REVIEWS)])
}

fn product_rows() -> Value {
    json!([
        { "upc": "1", "name": "Table", "prices": { "USD": 100.0, "EUR": 90.0 }, "availability": "IN_STOCK" },
        { "upc": "2", "name": "Chair", "prices": { "USD": 50.0, "EUR": 45.0 }, "availability": "SOLD_OUT" }
    ])
}

async fn harness() -> Harness {
    let products = FixtureSubgraph::new("products", PRODUCTS)
        .entities("Product", product_rows())
        .resolver("Query", "products", |_, args| {
            let rows = product_rows().as_array().cloned().unwrap_or_default();
            let name = &args["filter"]["name"];
            let kept = rows
                .into_iter()
                .filter(|row| name.is_null() || row["name"] == *name);
            Value::Array(kept.collect())
        })
        .resolver("Product", "price", |parent, args| {
            parent["prices"][args["currency"].as_str().unwrap_or("USD")].clone()
        });
    let reviews = FixtureSubgraph::new("reviews", REVIEWS).query(json!({
        "topReviews": [
            { "body": "Sturdy", "productAvailability": "IN_STOCK", "product": { "upc": "1" } },
            { "body": "Can't wait", "productAvailability": "PREORDER", "product": { "upc": "2" } }
        ]
    }));
    Harness::start(&fixture_supergraph(), vec![products, reviews]).await
}

const ARGUMENTS_QUERY: &str = r#"
query Arguments($filter: ProductFilter, $currency: Currency) {
  products(filter: $filter) { name price(currency: $currency) availability }
  topReviews(product: { name: "Chair" }, currency: EUR) {
    body
    productAvailability
    product { name price(currency: EUR) }
  }
}
"#;

#[test]
fn composes_the_intersections() {
    let supergraph = fixture_supergraph();
    // The input field only products defines is left out of the supergraph.
    let filter = definition(&supergraph, "input ProductFilter");
    assert!(!filter.contains("maxPrice"), "{filter}");
    assert!(
        filter.contains("internalCode: String @inaccessible"),
        "{filter}"
    );
    let currency = definition(&supergraph, "enum Currency");
    assert!(currency.contains("GBP @inaccessible"), "{currency}");
    // An output enum keeps every value, each tagged with the subgraphs knowing it.
    let availability = definition(&supergraph, "enum Availability");
    assert!(
        availability.contains("PREORDER @join__enumValue(graph: REVIEWS)\n"),
        "{availability}"
    );
    assert!(
        availability.contains(
            "IN_STOCK @join__enumValue(graph: PRODUCTS) @join__enumValue(graph: REVIEWS)"
        ),
        "{availability}"
    );
}

/// The definition of `head` (e.g. `enum Currency`) in an SDL printed one
/// definition per paragraph.
fn definition<'a>(sdl: &'a str, head: &str) -> &'a str {
    sdl.split("\n\n")
        .find(|definition| definition.trim_start().starts_with(&format!("{head} ")))
        .unwrap_or_else(|| panic!("no `{head}` in:\n{sdl}"))
}

#[test]
fn plans_enum_and_input_object_arguments() {
    insta::assert_snapshot!(
        "intersections_arguments",
        plan(&fixture_supergraph(), ARGUMENTS_QUERY)
    );
}

#[tokio::test]
async fn hides_inaccessible_and_partial_members_from_the_api_schema() {
    let harness = harness().await;
    let api = harness.gateway.api_schema_sdl();
    assert!(definition(&api, "enum Currency").contains("EUR"), "{api}");
    assert!(!definition(&api, "enum Currency").contains("GBP"), "{api}");
    let filter = definition(&api, "input ProductFilter");
    assert!(filter.contains("name: String"), "{filter}");
    assert!(
        !filter.contains("maxPrice") && !filter.contains("internalCode"),
        "{filter}"
    );
    assert!(
        definition(&api, "enum Availability").contains("PREORDER"),
        "{api}"
    );
    assert!(
        !api.contains("@inaccessible") && !api.contains("join__"),
        "{api}"
    );

    let response = harness
        .query(
            r#"{
                currency: __type(name: "Currency") { enumValues(includeDeprecated: true) { name } }
                filter: __type(name: "ProductFilter") { inputFields { name } }
            }"#,
        )
        .await;
    assert_eq!(
        response,
        json!({ "data": {
            "currency": { "enumValues": [{ "name": "USD" }, { "name": "EUR" }] },
            "filter": { "inputFields": [{ "name": "name" }] }
        } })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[("products", 0), ("reviews", 0)])
    );
}

#[tokio::test]
async fn rejects_a_hidden_enum_value_as_an_argument() {
    let harness = harness().await;
    let response = harness
        .query("{ products { name price(currency: GBP) } }")
        .await;
    assert!(response.get("data").is_none(), "{response}");
    assert_eq!(
        response["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
        "{response}"
    );

    let response = harness
        .request(
            "query($currency: Currency) { products { price(currency: $currency) } }",
            json!({ "currency": "GBP" }),
        )
        .await;
    assert!(response.get("data").is_none(), "{response}");
    assert_eq!(
        response["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{response}"
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[("products", 0), ("reviews", 0)])
    );
}

#[tokio::test]
async fn rejects_hidden_input_fields() {
    let harness = harness().await;
    for literal in [r#"{ maxPrice: 60.0 }"#, r#"{ internalCode: "X-1" }"#] {
        let response = harness
            .query(&format!("{{ products(filter: {literal}) {{ name }} }}"))
            .await;
        assert!(response.get("data").is_none(), "{response}");
        assert_eq!(
            response["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
            "{response}"
        );
    }
    for variables in [
        json!({ "filter": { "maxPrice": 60.0 } }),
        json!({ "filter": { "internalCode": "X-1" } }),
    ] {
        let response = harness
            .request(
                "query($filter: ProductFilter) { products(filter: $filter) { name } }",
                variables,
            )
            .await;
        assert!(response.get("data").is_none(), "{response}");
        assert_eq!(
            response["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
            "{response}"
        );
    }
    assert_eq!(
        harness.take_counts(),
        counts(&[("products", 0), ("reviews", 0)])
    );
}

#[tokio::test]
async fn passes_visible_enum_values_and_input_fields_through() {
    let harness = harness().await;
    let response = harness
        .request(
            ARGUMENTS_QUERY,
            json!({ "filter": { "name": "Table" }, "currency": "EUR" }),
        )
        .await;
    assert_eq!(
        response,
        json!({ "data": {
            "products": [{ "name": "Table", "price": 90.0, "availability": "IN_STOCK" }],
            "topReviews": [
                { "body": "Sturdy", "productAvailability": "IN_STOCK", "product": { "name": "Table", "price": 90.0 } },
                { "body": "Can't wait", "productAvailability": "PREORDER", "product": { "name": "Chair", "price": 45.0 } }
            ]
        } })
    );
    let products = harness.subgraph("products").requests();
    let root = products
        .iter()
        .find(|request| !request.query.contains("_entities"))
        .expect("a root fetch to products");
    assert_eq!(
        root.variables,
        json!({ "filter": { "name": "Table" }, "currency": "EUR" })
    );
    let reviews = harness.subgraph("reviews").requests();
    let compact: String = reviews[0].query.split_whitespace().collect();
    assert!(
        compact.contains(r#"topReviews(product:{name:"Chair",},currency:EUR)"#)
            || compact.contains(r#"topReviews(product:{name:"Chair"},currency:EUR)"#),
        "{}",
        reviews[0].query
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[("products", 2), ("reviews", 1)])
    );
}
