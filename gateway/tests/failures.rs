//! Failures: subgraphs that are down, answer an HTTP error, send garbage or
//! are too slow leave the rest of the response intact, with nulls (propagated
//! to the nearest nullable parent) and coded errors; subgraph field errors in
//! entity fetches get client paths; bad requests never reach a subgraph.

mod common;

use std::time::{Duration, Instant};

use common::{Harness, counts, plan, supergraph};
use fitgraph_gateway::{GatewayConfig, GraphQLRequest, Outcome, Transport};
use fitgraph_gateway_testkit::{Behavior, FixtureSubgraph};
use serde_json::{Value, json};

const PRODUCTS: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query {
  topProducts(first: Int = 2): [Product!]!
  featured: Product
}
type Product @key(fields: "upc") { upc: String! name: String! }
"#;

const INVENTORY: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { warehouses: [String!] }
type Product @key(fields: "upc") {
  upc: String!
  inStock: Int
  deliveryDays: Int!
}
"#;

const PRICING: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Product @key(fields: "upc") { upc: String! price: Float }
"#;

fn fixture_supergraph() -> String {
    supergraph(&[
        ("inventory", INVENTORY),
        ("pricing", PRICING),
        ("products", PRODUCTS),
    ])
}

fn fixtures() -> Vec<FixtureSubgraph> {
    let products = FixtureSubgraph::new("products", PRODUCTS)
        .query(json!({ "featured": { "upc": "3", "name": "Lamp" } }))
        .resolver("Query", "topProducts", |_, args| {
            let all = [
                json!({ "upc": "1", "name": "Table" }),
                json!({ "upc": "2", "name": "Chair" }),
            ];
            let first = args["first"].as_u64().unwrap_or(2) as usize;
            Value::Array(all.into_iter().take(first).collect())
        });
    let inventory = FixtureSubgraph::new("inventory", INVENTORY)
        .query(json!({ "warehouses": ["Berlin", "Oslo"] }))
        .entities(
            "Product",
            json!([
                { "upc": "1", "inStock": 4, "deliveryDays": 2 },
                { "upc": "2", "inStock": 0, "deliveryDays": 5 },
                { "upc": "3", "inStock": 7, "deliveryDays": 1 }
            ]),
        );
    let pricing = FixtureSubgraph::new("pricing", PRICING)
        .entities(
            "Product",
            json!([{ "upc": "1", "price": 100.0 }, { "upc": "2" }, { "upc": "3", "price": 20.0 }]),
        )
        .resolver("Product", "price", |parent, _| {
            if parent["upc"] == "2" {
                json!({ "__error": "no price for 2" })
            } else {
                parent["price"].clone()
            }
        });
    vec![products, inventory, pricing]
}

async fn harness() -> Harness {
    Harness::start(&fixture_supergraph(), fixtures()).await
}

/// Checks every error is a failed request to `service` with `code`, and that
/// there is at least one.
fn assert_subgraph_errors(response: &Value, service: &str, code: &str) {
    let errors = response["errors"]
        .as_array()
        .unwrap_or_else(|| panic!("errors expected: {response}"));
    assert!(!errors.is_empty(), "{response}");
    for error in errors {
        assert_eq!(error["extensions"]["code"], code, "{response}");
        assert_eq!(error["extensions"]["serviceName"], service, "{response}");
        let message = error["message"].as_str().unwrap_or_default();
        assert!(message.contains(service), "{response}");
    }
}

const STOCK_QUERY: &str = "{ topProducts { name inStock } warehouses }";
const PRICE_QUERY: &str = "{ topProducts { name price } }";

#[test]
fn plans_the_fixture_queries() {
    insta::assert_snapshot!("failures_stock", plan(&fixture_supergraph(), STOCK_QUERY));
    insta::assert_snapshot!("failures_price", plan(&fixture_supergraph(), PRICE_QUERY));
}

#[tokio::test]
async fn keeps_the_rest_when_a_subgraph_is_down() {
    let harness = harness().await;
    harness.subgraph("inventory").set_behavior(Behavior::Down);
    let response = harness.query(STOCK_QUERY).await;
    assert_eq!(
        response["data"],
        json!({
            "topProducts": [{ "name": "Table", "inStock": null }, { "name": "Chair", "inStock": null }],
            "warehouses": null
        }),
        "{response}"
    );
    assert_subgraph_errors(&response, "inventory", "SUBREQUEST_HTTP_ERROR");
    assert_eq!(
        harness.take_counts(),
        counts(&[("inventory", 2), ("pricing", 0), ("products", 1)])
    );
}

#[tokio::test]
async fn keeps_the_rest_when_a_subgraph_answers_500() {
    let harness = harness().await;
    harness
        .subgraph("pricing")
        .set_behavior(Behavior::Status(500));
    let response = harness.query(PRICE_QUERY).await;
    assert_eq!(
        response["data"],
        json!({ "topProducts": [{ "name": "Table", "price": null }, { "name": "Chair", "price": null }] }),
        "{response}"
    );
    assert_subgraph_errors(&response, "pricing", "SUBREQUEST_HTTP_ERROR");
    assert_eq!(
        response["errors"].as_array().map(Vec::len),
        Some(1),
        "{response}"
    );
}

#[tokio::test]
async fn keeps_the_rest_when_a_subgraph_sends_garbage() {
    let harness = harness().await;
    harness
        .subgraph("pricing")
        .set_behavior(Behavior::Malformed);
    let response = harness.query(PRICE_QUERY).await;
    assert_eq!(
        response["data"],
        json!({ "topProducts": [{ "name": "Table", "price": null }, { "name": "Chair", "price": null }] }),
        "{response}"
    );
    assert_subgraph_errors(&response, "pricing", "SUBREQUEST_MALFORMED_RESPONSE");
    assert_eq!(
        response["errors"].as_array().map(Vec::len),
        Some(1),
        "{response}"
    );
}

#[tokio::test]
async fn gives_up_on_a_slow_subgraph() {
    let config = GatewayConfig {
        subgraph_timeout: Duration::from_millis(200),
        ..GatewayConfig::default()
    };
    let harness = Harness::start_with(&fixture_supergraph(), fixtures(), config).await;
    harness
        .subgraph("pricing")
        .set_behavior(Behavior::Delay(Duration::from_secs(2)));
    let started = Instant::now();
    let response = harness.query(PRICE_QUERY).await;
    let elapsed = started.elapsed();
    assert!(elapsed < Duration::from_millis(1500), "waited {elapsed:?}");
    assert_eq!(
        response["data"],
        json!({ "topProducts": [{ "name": "Table", "price": null }, { "name": "Chair", "price": null }] }),
        "{response}"
    );
    assert_subgraph_errors(&response, "pricing", "SUBREQUEST_TIMEOUT");
    assert_eq!(
        response["errors"].as_array().map(Vec::len),
        Some(1),
        "{response}"
    );
}

#[tokio::test]
async fn propagates_a_missing_non_null_field_to_the_nearest_nullable_parent() {
    let harness = harness().await;
    harness.subgraph("inventory").set_behavior(Behavior::Down);
    // `deliveryDays: Int!` cannot be null, so `featured` (nullable) becomes null.
    let response = harness
        .query("{ featured { name deliveryDays } topProducts { name } }")
        .await;
    assert_eq!(
        response["data"],
        json!({ "featured": null, "topProducts": [{ "name": "Table" }, { "name": "Chair" }] }),
        "{response}"
    );
    let codes: Vec<&Value> = response["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| &e["extensions"]["code"])
        .collect();
    assert!(
        codes.contains(&&json!("SUBREQUEST_HTTP_ERROR")),
        "{response}"
    );

    // Non-null all the way up: nothing is left of `data`.
    let response = harness.query("{ topProducts { name deliveryDays } }").await;
    assert_eq!(response["data"], Value::Null, "{response}");
    let codes: Vec<&Value> = response["errors"]
        .as_array()
        .expect("errors")
        .iter()
        .map(|e| &e["extensions"]["code"])
        .collect();
    assert!(
        codes.contains(&&json!("SUBREQUEST_HTTP_ERROR")),
        "{response}"
    );
}

#[tokio::test]
async fn moves_an_entity_field_error_to_the_client_path() {
    let harness = harness().await;
    let response = harness.query(PRICE_QUERY).await;
    assert_eq!(
        response["data"],
        json!({ "topProducts": [{ "name": "Table", "price": 100.0 }, { "name": "Chair", "price": null }] }),
        "{response}"
    );
    let errors = response["errors"].as_array().expect("one error");
    assert_eq!(errors.len(), 1, "{response}");
    assert_eq!(
        errors[0]["path"],
        json!(["topProducts", 1, "price"]),
        "{response}"
    );
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap_or_default()
            .contains("no price for 2"),
        "{response}"
    );
    assert_eq!(
        errors[0]["extensions"]["serviceName"], "pricing",
        "{response}"
    );

    // The same entity at another place in the response.
    let response = harness
        .query("{ featured { price } second: topProducts { upc price } }")
        .await;
    assert_eq!(
        response["data"],
        json!({ "featured": { "price": 20.0 }, "second": [
            { "upc": "1", "price": 100.0 },
            { "upc": "2", "price": null }
        ] }),
        "{response}"
    );
    assert_eq!(
        response["errors"][0]["path"],
        json!(["second", 1, "price"]),
        "{response}"
    );
}

#[tokio::test]
async fn reports_a_failed_fetch_once() {
    let harness = harness().await;
    harness.subgraph("inventory").set_behavior(Behavior::Down);
    let response = harness
        .query("{ featured { name deliveryDays } topProducts { name } }")
        .await;
    assert_eq!(response["data"]["featured"], Value::Null, "{response}");
    // `deliveryDays` is null because the inventory fetch failed, which is
    // already reported: no second error for the same field (GraphQL spec,
    // "Handling Field Errors": only one error per field).
    let errors = response["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 1, "{response}");
    assert_eq!(
        errors[0]["extensions"]["code"], "SUBREQUEST_HTTP_ERROR",
        "{response}"
    );
}

#[tokio::test]
async fn keeps_subgraph_locations_out_of_client_errors() {
    let harness = harness().await;
    let response = harness.query(PRICE_QUERY).await;
    let error = &response["errors"][0];
    assert_eq!(
        error["path"],
        json!(["topProducts", 1, "price"]),
        "{response}"
    );
    // Locations must point into the client's document; the subgraph's point
    // into the operation the gateway sent it. `price` is at line 1, column 22.
    let locations = &error["locations"];
    assert!(
        locations.is_null() || *locations == json!([{ "line": 1, "column": 22 }]),
        "locations from the subgraph operation: {response}"
    );
}

async fn request_error(harness: &Harness, request: GraphQLRequest) -> Value {
    let response = harness
        .gateway
        .execute(request, Transport::Post, &common::tester())
        .await;
    assert_eq!(
        response.outcome,
        Outcome::RequestError,
        "{}",
        response.body()
    );
    assert!(
        response.body().get("data").is_none(),
        "no data for a request error: {}",
        response.body()
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[("inventory", 0), ("pricing", 0), ("products", 0)]),
        "a bad request reached a subgraph"
    );
    response.into_body()
}

fn query(text: &str) -> GraphQLRequest {
    GraphQLRequest {
        query: Some(text.to_string()),
        ..GraphQLRequest::default()
    }
}

#[tokio::test]
async fn rejects_a_syntax_error() {
    let harness = harness().await;
    let body = request_error(&harness, query("{ topProducts { name }")).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "GRAPHQL_PARSE_FAILED",
        "{body}"
    );
}

#[tokio::test]
async fn rejects_an_unknown_field() {
    let harness = harness().await;
    let body = request_error(&harness, query("{ topProducts { name weight } }")).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "GRAPHQL_VALIDATION_FAILED",
        "{body}"
    );
}

#[tokio::test]
async fn rejects_a_variable_of_the_wrong_type() {
    let harness = harness().await;
    let mut request = query("query Top($first: Int) { topProducts(first: $first) { name } }");
    request.variables = json!({ "first": "three" }).as_object().cloned();
    let body = request_error(&harness, request).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );

    let request = query("query Top($first: Int!) { topProducts(first: $first) { name } }");
    let body = request_error(&harness, request).await;
    assert_eq!(
        body["errors"][0]["extensions"]["code"], "BAD_USER_INPUT",
        "{body}"
    );
}

#[tokio::test]
async fn needs_an_operation_name_to_choose_between_operations() {
    let harness = harness().await;
    let document =
        "query Featured { featured { name } } query Top { topProducts(first: 1) { name } }";
    let body = request_error(&harness, query(document)).await;
    assert!(body["errors"][0]["message"].is_string(), "{body}");
    assert!(
        body["errors"][0]["extensions"]["code"].is_string(),
        "{body}"
    );

    let mut unknown = query(document);
    unknown.operation_name = Some("Missing".into());
    request_error(&harness, unknown).await;

    let mut named = query(document);
    named.operation_name = Some("Top".into());
    let response = harness
        .gateway
        .execute(named, Transport::Post, &common::tester())
        .await;
    assert_eq!(
        *response.body(),
        json!({ "data": { "topProducts": [{ "name": "Table" }] } })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[("inventory", 0), ("pricing", 0), ("products", 1)])
    );
}
