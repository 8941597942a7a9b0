//! Demo users: idempotent, with recovery bands that differ.

use serde_json::{Value, json};
use subgraph_common::db_tests;
use subgraph_common::testing::Backend;

use crate::support::setup;

async fn seeding_is_idempotent(backend: Backend) {
    let t = setup(backend).await;
    let created = profile_subgraph::seed_demo_users(&t.conn)
        .await
        .expect("seeding succeeds");
    assert_eq!(created, 4);
    let after_first = t.rows().await;
    assert_eq!(after_first.users, 4);
    assert!(after_first.readings >= 4 * 40, "{after_first:?}");

    let again = profile_subgraph::seed_demo_users(&t.conn)
        .await
        .expect("seeding again succeeds");
    assert_eq!(again, 0);
    assert_eq!(t.rows().await, after_first);

    let mut bands = Vec::new();
    for name in ["ava", "ben", "cleo", "dev"] {
        let query = "query($email: String!) { userByEmail(email: $email) { recovery { band } } }";
        let response = t
            .run(
                query,
                json!({ "email": format!("{name}.demo@fitgraph.example") }),
            )
            .await;
        assert_eq!(response["errors"], Value::Null, "{response}");
        bands.push(
            response["data"]["userByEmail"]["recovery"]["band"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    assert_eq!(bands, ["GREEN", "YELLOW", "RED", "UNKNOWN"]);
}

db_tests!(seeding_is_idempotent);
