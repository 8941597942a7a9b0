use std::time::{Duration, Instant};

use fitgraph_gateway_testkit::{Behavior, FixtureSubgraph, RunningSubgraph, supergraph_with_urls};
use serde_json::{Value, json};

const SDL: &str = r#"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@shareable", "@external", "@requires"])

type Query {
  me: User
  topProducts(first: Int = 5): [Product!]!
  broken: String
}

type Mutation {
  rename(name: String!): User
}

type User @key(fields: "id") {
  id: ID!
  name: String @shareable
  address: Address
  tags: [String!]!
}

type Address {
  city: String
  zip: String
}

type Product @key(fields: "upc") {
  upc: String!
  name: String
  price: Int @external
  weight: Int @external
  shippingEstimate: Int @requires(fields: "price weight")
}
"#;

async fn spawn_fixture() -> RunningSubgraph {
    FixtureSubgraph::new("accounts", SDL)
        .query(json!({
            "me": {
                "id": "1",
                "name": "Ada",
                "address": { "city": "London" },
                "tags": ["admin", "beta"]
            },
            "broken": { "__error": "broken on purpose" }
        }))
        .entities(
            "User",
            json!([{ "id": "1", "name": "Ada" }, { "id": 2, "name": "Grace" }]),
        )
        .entities(
            "Product",
            json!([{ "upc": "p1", "name": "Table" }, { "upc": "p2", "name": "Chair" }]),
        )
        .resolver("Query", "topProducts", |_, args| {
            let first = args["first"].as_u64().unwrap_or(0) as usize;
            let all = [
                json!({ "upc": "p1", "name": "Table" }),
                json!({ "upc": "p2", "name": "Chair" }),
            ];
            Value::Array(all.into_iter().take(first).collect())
        })
        .resolver("Product", "shippingEstimate", |parent, _| {
            match (parent["price"].as_i64(), parent["weight"].as_i64()) {
                (Some(price), Some(weight)) => json!(price * weight / 10),
                _ => json!({ "__error": "price and weight are required" }),
            }
        })
        .resolver(
            "Mutation",
            "rename",
            |_, args| json!({ "id": "1", "name": args["name"] }),
        )
        .spawn()
        .await
}

async fn post(url: &str, body: Value) -> (reqwest::StatusCode, String) {
    let response = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .expect("request sent");
    let status = response.status();
    (status, response.text().await.expect("body read"))
}

async fn graphql(sub: &RunningSubgraph, query: &str, variables: Value) -> Value {
    let (status, body) = post(
        &sub.url(),
        json!({ "query": query, "variables": variables }),
    )
    .await;
    assert_eq!(status, 200, "body: {body}");
    serde_json::from_str(&body).expect("JSON response")
}

#[tokio::test]
async fn root_query_resolves_nested_objects_and_lists() {
    let sub = spawn_fixture().await;
    assert_eq!(sub.name(), "accounts");
    assert!(sub.url().starts_with("http://127.0.0.1:") && sub.url().ends_with("/graphql"));
    let query = "{ me { __typename id name address { city zip } tags } topProducts(first: 1) { upc name } }";
    let response = graphql(&sub, query, Value::Null).await;
    let expected = json!({ "data": {
        "me": {
            "__typename": "User",
            "id": "1",
            "name": "Ada",
            "address": { "city": "London", "zip": null },
            "tags": ["admin", "beta"]
        },
        "topProducts": [{ "upc": "p1", "name": "Table" }]
    }});
    assert_eq!(response, expected);
}

#[tokio::test]
async fn entities_resolve_known_representations_and_null_for_unknown() {
    let sub = spawn_fixture().await;
    let query = "query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on User { id name } } }";
    let reps = json!([
        { "__typename": "User", "id": "2" },
        { "__typename": "User", "id": "404" },
        { "__typename": "User", "id": "1" }
    ]);
    let response = graphql(&sub, query, json!({ "r": reps })).await;
    // "2" finds the entity stored with the number 2; leaves are served as stored.
    let expected = json!({ "data": { "_entities": [
        { "__typename": "User", "id": 2, "name": "Grace" },
        null,
        { "__typename": "User", "id": "1", "name": "Ada" }
    ]}});
    assert_eq!(response, expected);
}

#[tokio::test]
async fn resolver_reads_requires_fields_from_the_representation() {
    let sub = spawn_fixture().await;
    let query = "query($r: [_Any!]!) { _entities(representations: $r) { ... on Product { name shippingEstimate } } }";
    let reps = json!([
        { "__typename": "Product", "upc": "p2", "price": 300, "weight": 7 },
        { "__typename": "Product", "upc": "p1" }
    ]);
    let response = graphql(&sub, query, json!({ "r": reps })).await;
    let data = &response["data"]["_entities"];
    assert_eq!(data[0], json!({ "name": "Chair", "shippingEstimate": 210 }));
    assert_eq!(
        data[1],
        json!({ "name": "Table", "shippingEstimate": null })
    );
    let errors = response["errors"]
        .as_array()
        .expect("a field error for the missing inputs");
    assert_eq!(errors.len(), 1);
    assert!(
        errors[0]["message"]
            .as_str()
            .unwrap()
            .contains("price and weight are required")
    );
    assert_eq!(
        errors[0]["path"],
        json!(["_entities", 1, "shippingEstimate"])
    );
}

#[tokio::test]
async fn service_sdl_returns_the_original_sdl() {
    let sub = spawn_fixture().await;
    let response = graphql(&sub, "{ _service { sdl } }", Value::Null).await;
    assert_eq!(response["data"]["_service"]["sdl"], SDL);
    assert_eq!(sub.sdl(), SDL);
}

#[tokio::test]
async fn requests_are_recorded_and_reset() {
    let sub = spawn_fixture().await;
    assert_eq!(sub.request_count(), 0);
    graphql(&sub, "{ me { id } }", Value::Null).await;
    let body = json!({ "query": "query Top($n: Int) { topProducts(first: $n) { upc } }", "operationName": "Top", "variables": { "n": 2 } });
    let (status, text) = post(&sub.url(), body).await;
    assert_eq!(status, 200);
    assert_eq!(
        serde_json::from_str::<Value>(&text).unwrap()["data"]["topProducts"],
        json!([{ "upc": "p1" }, { "upc": "p2" }])
    );

    assert_eq!(sub.request_count(), 2);
    let requests = sub.requests();
    assert_eq!(requests[0].query, "{ me { id } }");
    assert_eq!(requests[0].operation_name, None);
    assert_eq!(requests[1].operation_name.as_deref(), Some("Top"));
    assert_eq!(requests[1].variables, json!({ "n": 2 }));

    sub.reset();
    assert_eq!(sub.request_count(), 0);
    assert!(sub.requests().is_empty());
    graphql(&sub, "{ me { id } }", Value::Null).await;
    assert_eq!(sub.request_count(), 1);
}

#[tokio::test]
async fn status_behavior_replies_with_that_status() {
    let sub = spawn_fixture().await;
    sub.set_behavior(Behavior::Status(500));
    let (status, body) = post(&sub.url(), json!({ "query": "{ me { id } }" })).await;
    assert_eq!(status, 500);
    assert!(body.contains("accounts"), "body: {body}");
    assert_eq!(sub.request_count(), 1, "failed requests are still recorded");

    sub.set_behavior(Behavior::Normal);
    let response = graphql(&sub, "{ me { id } }", Value::Null).await;
    assert_eq!(response, json!({ "data": { "me": { "id": "1" } } }));
}

#[tokio::test]
async fn delay_behavior_answers_late_but_normally() {
    let sub = spawn_fixture().await;
    sub.set_behavior(Behavior::Delay(Duration::from_millis(300)));
    let started = Instant::now();
    let response = graphql(&sub, "{ me { name } }", Value::Null).await;
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "answered after {:?}",
        started.elapsed()
    );
    assert_eq!(response, json!({ "data": { "me": { "name": "Ada" } } }));

    // A client with a shorter timeout gives up, which is what gateway timeout tests rely on.
    let client = reqwest::Client::builder()
        .timeout(Duration::from_millis(50))
        .build()
        .unwrap();
    let result = client
        .post(sub.url())
        .json(&json!({ "query": "{ me { id } }" }))
        .send()
        .await;
    assert!(result.expect_err("timed out").is_timeout());
}

#[tokio::test]
async fn malformed_and_down_behaviors() {
    let sub = spawn_fixture().await;
    sub.set_behavior(Behavior::Malformed);
    let (status, body) = post(&sub.url(), json!({ "query": "{ me { id } }" })).await;
    assert_eq!(status, 200);
    assert!(
        serde_json::from_str::<Value>(&body).is_err(),
        "body: {body}"
    );

    sub.set_behavior(Behavior::Down);
    let (status, _) = post(&sub.url(), json!({ "query": "{ me { id } }" })).await;
    assert_eq!(status, 503);
    assert_eq!(sub.request_count(), 2);
}

#[tokio::test]
async fn invalid_queries_and_field_errors_are_reported() {
    let sub = spawn_fixture().await;
    let response = graphql(&sub, "{ me { nope } }", Value::Null).await;
    assert!(response.get("data").is_none(), "{response}");
    let messages: Vec<&str> = response["errors"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|e| e["message"].as_str())
        .collect();
    assert!(messages.iter().any(|m| m.contains("nope")), "{response}");

    let response = graphql(&sub, "{ me { id ", Value::Null).await;
    assert!(
        !response["errors"].as_array().unwrap().is_empty(),
        "{response}"
    );

    let response = graphql(&sub, "{ broken me { id } }", Value::Null).await;
    assert_eq!(
        response["data"],
        json!({ "broken": null, "me": { "id": "1" } })
    );
    assert!(
        response["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("broken on purpose")
    );
    assert_eq!(response["errors"][0]["path"], json!(["broken"]));
}

#[tokio::test]
async fn mutation_fields_use_resolvers() {
    let sub = spawn_fixture().await;
    let response = graphql(
        &sub,
        "mutation { rename(name: \"Lovelace\") { id name } }",
        Value::Null,
    )
    .await;
    assert_eq!(
        response,
        json!({ "data": { "rename": { "id": "1", "name": "Lovelace" } } })
    );
}

#[tokio::test]
async fn entity_interface_answers_with_the_concrete_type() {
    let sdl = r#"extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
        interface Media @key(fields: "id") { id: ID! title: String }
        type Book implements Media @key(fields: "id") { id: ID! title: String pages: Int }
        type Movie implements Media @key(fields: "id") { id: ID! title: String minutes: Int }"#;
    let sub = FixtureSubgraph::new("media", sdl)
        .entities(
            "Media",
            json!([{ "__typename": "Movie", "id": "m1", "title": "Heat", "minutes": 170 }]),
        )
        .spawn()
        .await;
    let query = "query($r: [_Any!]!) { _entities(representations: $r) { __typename ... on Movie { minutes } } }";
    let response = graphql(
        &sub,
        query,
        json!({ "r": [{ "__typename": "Media", "id": "m1" }] }),
    )
    .await;
    assert_eq!(
        response,
        json!({ "data": { "_entities": [{ "__typename": "Movie", "minutes": 170 }] } })
    );
}

#[tokio::test]
async fn invalid_sdl_is_rejected_by_try_spawn() {
    let result = FixtureSubgraph::new("bad", "type Query { a: Nope }")
        .try_spawn()
        .await;
    let err = result.expect_err("undefined type");
    assert!(err.to_string().contains("Nope"), "{err}");
}

#[tokio::test]
async fn supergraph_urls_point_at_spawned_subgraphs() {
    let sub = spawn_fixture().await;
    let supergraph = r#"directive @join__graph(name: String!, url: String!) on ENUM_VALUE

enum join__Graph {
  ACCOUNTS @join__graph(name: "accounts", url: "http://localhost:4001/graphql")
  PRODUCTS @join__graph(name: "products", url: "http://localhost:4002/graphql")
}
"#;
    let rewritten = supergraph_with_urls(supergraph, &[("accounts", sub.url())]);
    let expected_line = format!(
        r#"  ACCOUNTS @join__graph(name: "accounts", url: "{}")"#,
        sub.url()
    );
    assert!(rewritten.contains(&expected_line), "{rewritten}");
    assert!(rewritten.contains(r#"url: "http://localhost:4002/graphql""#));
    assert_eq!(rewritten.lines().count(), supergraph.lines().count());
}
