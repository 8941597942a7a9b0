//! The plans migrations apply, roll back and apply again on both backends.

use plans_subgraph::Migrator;
use sea_orm_migration::{MigratorTrait, SchemaManager};
use subgraph_common::testing::{Backend, TestDatabase};

subgraph_common::db_tests!(migrations_roll_back_and_reapply);

const TABLES: [&str; 3] = ["programs", "workouts", "workout_exercises"];

async fn tables_present(manager: &SchemaManager<'_>) -> Vec<bool> {
    let mut present = Vec::new();
    for table in TABLES {
        present.push(
            manager
                .has_table(table)
                .await
                .expect("the catalog is readable"),
        );
    }
    present
}

async fn migrations_roll_back_and_reapply(backend: Backend) {
    let db = TestDatabase::create(backend).await;
    let conn = db.migrated::<Migrator>().await;
    let manager = SchemaManager::new(&conn);
    assert_eq!(tables_present(&manager).await, [true; 3]);
    assert!(
        manager
            .has_index("workouts", "idx_workouts_user_id_scheduled_date")
            .await
            .expect("catalog")
    );

    Migrator::down(&conn, None)
        .await
        .expect("every migration has a down");
    assert_eq!(tables_present(&manager).await, [false; 3]);

    Migrator::up(&conn, None)
        .await
        .expect("migrations re-apply after a rollback");
    assert_eq!(tables_present(&manager).await, [true; 3]);
}
