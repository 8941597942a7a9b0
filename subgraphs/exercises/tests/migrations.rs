//! Every migration can be undone and applied again, on both backends.

use exercises_subgraph::Migrator;
use sea_orm_migration::{MigratorTrait, SchemaManager};
use subgraph_common::db_tests;
use subgraph_common::testing::{Backend, TestDatabase};

db_tests!(migrations_roll_back_and_reapply);

const TABLES: [&str; 6] = [
    "exercises",
    "exercise_muscles",
    "exercise_substitutions",
    "workout_templates",
    "template_slots",
    "exercise_edits",
];

async fn migrations_roll_back_and_reapply(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let manager = SchemaManager::new(&conn);
    for table in TABLES {
        assert!(
            manager.has_table(table).await.expect("inspect tables"),
            "{table} exists"
        );
    }
    Migrator::down(&conn, None)
        .await
        .expect("every migration rolls back");
    for table in TABLES {
        assert!(
            !manager.has_table(table).await.expect("inspect tables"),
            "{table} is dropped"
        );
    }
    Migrator::up(&conn, None)
        .await
        .expect("the migrations apply again");
    for table in TABLES {
        assert!(
            manager.has_table(table).await.expect("inspect tables"),
            "{table} is back"
        );
    }
}
