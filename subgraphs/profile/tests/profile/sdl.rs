//! The checked-in SDL (composed by the gateway) matches the code.

#[test]
fn sdl_matches_checked_in_schema() {
    let sdl = profile_subgraph::sdl();
    assert!(sdl.contains("@link("), "federation v2 needs @link");
    assert!(
        sdl.contains("type User @key(fields: \"id\")"),
        "User must be an entity"
    );
    subgraph_common::testing::assert_schema_file(
        concat!(env!("CARGO_MANIFEST_DIR"), "/../../schema/profile.graphql"),
        &sdl,
    );
}
