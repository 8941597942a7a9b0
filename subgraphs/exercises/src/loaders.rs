//! DataLoaders: each batches the lookups of one request (or of concurrent requests)
//! into one SELECT per table, `... WHERE id IN (...)`.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;
use subgraph_common::batching::Batched;
use uuid::Uuid;

use crate::error::ExercisesError;
use crate::model::{ExerciseRecord, MuscleSet};
use crate::store;

/// Loader errors are shared by every caller waiting on the batch.
pub type LoadError = Arc<ExercisesError>;

/// Rows of `exercises` by id.
pub struct ExerciseLoader(pub DatabaseConnection);

/// Rows of `exercise_muscles` grouped by exercise; an exercise without any is absent.
pub struct MuscleLoader(pub DatabaseConnection);

/// Rows of `exercise_substitutions` grouped by exercise, best first.
pub struct SubstitutionLoader(pub DatabaseConnection);

impl Loader<Uuid> for ExerciseLoader {
    type Value = Arc<ExerciseRecord>;
    type Error = LoadError;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let records = store::exercises_by_ids(&self.0, ids).await?;
        Ok(records
            .into_iter()
            .map(|record| (record.id, Arc::new(record)))
            .collect())
    }
}

impl Loader<Uuid> for MuscleLoader {
    type Value = Arc<MuscleSet>;
    type Error = LoadError;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let grouped = store::muscles_by_exercise(&self.0, ids).await?;
        Ok(grouped
            .into_iter()
            .map(|(id, muscles)| (id, Arc::new(muscles)))
            .collect())
    }
}

impl Loader<Uuid> for SubstitutionLoader {
    type Value = Arc<Vec<Uuid>>;
    type Error = LoadError;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, Self::Value>, Self::Error> {
        let grouped = store::substitutes_by_exercise(&self.0, ids).await?;
        Ok(grouped
            .into_iter()
            .map(|(id, substitutes)| (id, Arc::new(substitutes)))
            .collect())
    }
}

/// Loaders live as long as the schema; without a cache, every request reads fresh rows.
pub fn loaders(
    db: &DatabaseConnection,
) -> (
    Batched<ExerciseLoader>,
    Batched<MuscleLoader>,
    Batched<SubstitutionLoader>,
) {
    (
        Batched::new(ExerciseLoader(db.clone())),
        Batched::new(MuscleLoader(db.clone())),
        Batched::new(SubstitutionLoader(db.clone())),
    )
}
