//! Demo users: idempotent, with recovery bands that differ.

use serde_json::{Value, json};
use subgraph_common::db_tests;
use subgraph_common::testing::Backend;

use crate::support::{as_user, setup};

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
    for demo in profile_subgraph::DEMO_USERS {
        let query =
            "query($email: String!) { userByEmail(email: $email) { id recovery { band } } }";
        let response = t
            .run_as(
                &as_user(&demo.id.to_string()),
                query,
                json!({ "email": demo.email }),
            )
            .await;
        assert_eq!(response["errors"], Value::Null, "{response}");
        let user = &response["data"]["userByEmail"];
        assert_eq!(
            user["id"],
            json!(demo.id),
            "demo users keep their fixed ids"
        );
        bands.push(
            user["recovery"]["band"]
                .as_str()
                .unwrap_or_default()
                .to_owned(),
        );
    }
    assert_eq!(bands, ["GREEN", "YELLOW", "RED", "UNKNOWN"]);
}

db_tests!(seeding_is_idempotent);
