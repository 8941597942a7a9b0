//! `PersonalData`, owned by the profile subgraph; plans contributes what it holds
//! about the user to the data export.

use async_graphql::{Context, ID, Json, Object, Result};
use sea_orm::DatabaseConnection;
use subgraph_common::GqlResultExt;
use subgraph_common::access::require_user;
use uuid::Uuid;

use crate::error::PlansError;
use crate::personal_data;

pub struct PersonalData {
    user_id: Uuid,
}

impl PersonalData {
    pub fn new(user_id: Uuid) -> PersonalData {
        PersonalData { user_id }
    }
}

/// What fitgraph holds about one user, assembled from every subgraph.
#[Object]
impl PersonalData {
    async fn user_id(&self) -> ID {
        ID::from(self.user_id)
    }

    /// The user's programs and workouts (with their exercises) as one JSON document.
    async fn plans(&self, ctx: &Context<'_>) -> Result<Json<serde_json::Value>> {
        let caller = require_user(ctx).gql()?;
        // The entity resolver already answers null for other users; this keeps the
        // field safe should a PersonalData ever be built another way.
        if caller != self.user_id {
            return Err(PlansError::NotTheCaller { field: "userId" }).gql();
        }
        let document = personal_data::export(ctx.data::<DatabaseConnection>()?, caller)
            .await
            .gql()?;
        Ok(Json(document))
    }
}
