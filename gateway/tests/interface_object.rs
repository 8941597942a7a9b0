//! `@interfaceObject`: a subgraph that knows an interface as an object type
//! adds fields to every implementation, and objects it returns get their
//! concrete type from the subgraph owning the real interface.

mod common;

use common::{Harness, counts, plan};
use fitgraph_gateway_testkit::FixtureSubgraph;
use serde_json::json;

const SUPERGRAPH: &str = include_str!("fixtures/supergraphs/interface_object.graphql");

const CATALOG: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])
type Query { library: [Media!]! }
interface Media @key(fields: "id") { id: ID! title: String! }
type Book implements Media @key(fields: "id") { id: ID! title: String! pages: Int! }
type Movie implements Media @key(fields: "id") { id: ID! title: String! minutes: Int! }
"#;

const RATINGS: &str = r#"
extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key", "@interfaceObject"])
type Query { topRated: [Media!]! }
type Media @key(fields: "id") @interfaceObject { id: ID! stars: Int! }
"#;

async fn harness() -> Harness {
    let catalog_media = json!([
        { "__typename": "Book", "id": "b1", "title": "Dune", "pages": 412 },
        { "__typename": "Movie", "id": "m1", "title": "Alien", "minutes": 117 }
    ]);
    let catalog = FixtureSubgraph::new("catalog", CATALOG)
        .query(json!({ "library": catalog_media }))
        .entities("Media", catalog_media.clone())
        .entities("Book", json!([catalog_media[0]]))
        .entities("Movie", json!([catalog_media[1]]));
    let ratings = FixtureSubgraph::new("ratings", RATINGS)
        .query(json!({ "topRated": [{ "__typename": "Media", "id": "m1", "stars": 5 }] }))
        .entities(
            "Media",
            json!([{ "id": "b1", "stars": 4 }, { "id": "m1", "stars": 5 }]),
        );
    Harness::start(SUPERGRAPH, vec![catalog, ratings]).await
}

const FIELD_ON_OBJECTS: &str = "{ library { title stars ... on Book { pages } } }";
const OBJECTS_FROM_INTERFACE_OBJECT: &str =
    "{ topRated { stars __typename ... on Movie { title minutes } } }";

#[test]
fn plans_interface_object_fields_and_type_resolution() {
    insta::assert_snapshot!(
        "interface_object_field_on_objects",
        plan(SUPERGRAPH, FIELD_ON_OBJECTS)
    );
    insta::assert_snapshot!(
        "interface_object_type_resolution",
        plan(SUPERGRAPH, OBJECTS_FROM_INTERFACE_OBJECT)
    );
}

#[tokio::test]
async fn adds_interface_object_fields_to_every_implementation() {
    let harness = harness().await;
    let response = harness.query(FIELD_ON_OBJECTS).await;
    assert_eq!(
        response,
        json!({ "data": { "library": [
            { "title": "Dune", "stars": 4, "pages": 412 },
            { "title": "Alien", "stars": 5 }
        ] } })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[("catalog", 1), ("ratings", 1)])
    );
    let _ = harness.query(FIELD_ON_OBJECTS).await;
    let sent = harness.subgraph("ratings").requests();
    assert_eq!(
        sent[0].variables["representations"],
        json!([{ "__typename": "Media", "id": "b1" }, { "__typename": "Media", "id": "m1" }]),
        "an @interfaceObject subgraph is sent the interface's name"
    );
}

#[tokio::test]
async fn resolves_concrete_types_of_interface_objects() {
    let harness = harness().await;
    let response = harness.query(OBJECTS_FROM_INTERFACE_OBJECT).await;
    assert_eq!(
        response,
        json!({ "data": { "topRated": [
            { "stars": 5, "__typename": "Movie", "title": "Alien", "minutes": 117 }
        ] } })
    );
    assert_eq!(
        harness.take_counts(),
        counts(&[("catalog", 1), ("ratings", 1)])
    );
}
