//! Every migration can be undone and applied again, on both backends.

use feedback_subgraph::Migrator;
use sea_orm_migration::MigratorTrait;
use subgraph_common::db_tests;
use subgraph_common::testing::{Backend, TestDatabase};

db_tests!(migrations_roll_back_and_reapply);

async fn migrations_roll_back_and_reapply(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let manager = sea_orm_migration::SchemaManager::new(&conn);
    assert!(
        manager
            .has_table("exercise_outcomes")
            .await
            .expect("inspect tables")
    );
    // Idempotency keys are unique per user, not across users.
    for table in ["set_logs", "workout_completions", "exercise_ratings"] {
        let per_user = format!("ux_{table}_user_id_idempotency_key");
        let global = format!("ux_{table}_idempotency_key");
        assert!(
            manager
                .has_index(table, &per_user)
                .await
                .expect("inspect indexes"),
            "{per_user}"
        );
        assert!(
            !manager
                .has_index(table, &global)
                .await
                .expect("inspect indexes"),
            "{global}"
        );
    }

    Migrator::down(&conn, None)
        .await
        .expect("every migration rolls back");
    for table in [
        "set_logs",
        "workout_completions",
        "exercise_outcomes",
        "exercise_ratings",
    ] {
        assert!(
            !manager.has_table(table).await.expect("inspect tables"),
            "{table} is dropped"
        );
    }
    Migrator::up(&conn, None)
        .await
        .expect("the migrations apply again");
    assert!(manager.has_table("set_logs").await.expect("inspect tables"));
}
