//! DataLoaders: one per table read, so resolving N users costs one SELECT per
//! table instead of N. They cache nothing, so one set serves every request.

use std::collections::HashMap;
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use sea_orm::DatabaseConnection;
use subgraph_common::errors::to_graphql_error;
use subgraph_common::vocab::Equipment;
use uuid::Uuid;

use crate::error::ProfileError;
use crate::model::UserProfile;
use crate::recovery::{ReadingSample, lookback_start};
use crate::store;

/// Loader errors are shared by every waiting resolver, hence the `Arc`.
pub type LoadError = Arc<ProfileError>;

/// Turns a shared loader error into a coded GraphQL error.
pub fn gql_error(err: LoadError) -> async_graphql::Error {
    to_graphql_error(err.as_ref())
}

/// Users by id (`users`).
pub struct UserLoader(pub DatabaseConnection);

impl Loader<Uuid> for UserLoader {
    type Value = UserProfile;
    type Error = LoadError;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, UserProfile>, LoadError> {
        let rows = store::users_by_ids(&self.0, ids).await?;
        rows.into_iter()
            .map(|row| UserProfile::try_from(row).map(|user| (user.id, user)))
            .collect::<Result<_, _>>()
            .map_err(Arc::new)
    }
}

/// Each user's equipment (`user_equipment`); empty for users without any.
pub struct EquipmentLoader(pub DatabaseConnection);

impl Loader<Uuid> for EquipmentLoader {
    type Value = Vec<Equipment>;
    type Error = LoadError;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<Equipment>>, LoadError> {
        Ok(store::equipment_by_user_ids(&self.0, ids).await?)
    }
}

/// Each user's readings of the last 60 days that recovery looks at (`wearable_readings`).
pub struct RecoveryReadingsLoader(pub DatabaseConnection);

impl Loader<Uuid> for RecoveryReadingsLoader {
    type Value = Vec<ReadingSample>;
    type Error = LoadError;

    async fn load(&self, ids: &[Uuid]) -> Result<HashMap<Uuid, Vec<ReadingSample>>, LoadError> {
        Ok(store::recovery_samples_by_user_ids(
            &self.0,
            ids,
            lookback_start(subgraph_common::clock::now()),
        )
        .await?)
    }
}
