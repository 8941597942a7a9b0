use async_graphql::{Context, ID, Json, Object, SimpleObject};
use chrono::{DateTime, Utc};
use subgraph_common::GqlResultExt;
use subgraph_common::errors::to_graphql_error;
use uuid::Uuid;

use super::{caller_id, db};
use crate::deletion::DeletionOutcome;
use crate::error::ProfileError;
use crate::export;

pub struct PersonalData {
    user_id: Uuid,
    exported_at: DateTime<Utc>,
}

impl PersonalData {
    /// Only ever built for the caller (checked by the resolvers that return it).
    pub fn new(user_id: Uuid) -> Self {
        PersonalData {
            user_id,
            exported_at: Utc::now(),
        }
    }
}

/// Everything fitgraph holds about one user, from `exportMyData`. Each subgraph
/// contributes a field with its own part as a JSON document.
#[Object]
impl PersonalData {
    async fn user_id(&self) -> ID {
        ID(self.user_id.to_string())
    }

    /// When this export was made.
    async fn exported_at(&self) -> DateTime<Utc> {
        self.exported_at
    }

    /// What the profile subgraph holds: `user` (the onboarding answers and body
    /// stats as stored, or null without a profile), `equipment`, and every one of
    /// the user's `wearableReadings`, oldest first.
    async fn profile(&self, ctx: &Context<'_>) -> async_graphql::Result<Json<serde_json::Value>> {
        // A second check costs nothing and keeps a future resolver that builds
        // this type carelessly from exporting someone else.
        if caller_id(ctx)? != self.user_id {
            return Err(to_graphql_error(&ProfileError::NotYourProfile));
        }
        let document = export::profile_document(db(ctx), self.user_id)
            .await
            .gql()?;
        Ok(Json(document))
    }
}

/// What `deleteMyAccount` did. The profile data is gone when it returns; the
/// other subgraphs purge the account's data now or, when they cannot be reached,
/// later: they are retried until they have.
#[derive(SimpleObject, Debug, Clone)]
pub struct AccountDeletion {
    pub user_id: ID,
    pub requested_at: DateTime<Utc>,
    /// Subgraphs that have purged the account's data.
    pub completed: Vec<String>,
    /// Subgraphs that will be asked again until they have purged it.
    pub pending: Vec<String>,
}

impl From<DeletionOutcome> for AccountDeletion {
    fn from(outcome: DeletionOutcome) -> Self {
        AccountDeletion {
            user_id: ID(outcome.user_id.to_string()),
            requested_at: outcome.requested_at,
            completed: outcome.completed,
            pending: outcome.pending,
        }
    }
}
