use async_graphql::{Context, ID, Object};
use subgraph_common::GqlResultExt;

use super::{User, db, load_user, parse_id};
use crate::service;

pub struct Query;

#[Object]
impl Query {
    /// The user with this id, or null when there is none.
    async fn user(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<User>> {
        load_user(ctx, parse_id(&id)?).await
    }

    /// The user with this email (compared trimmed and case-insensitively), or null.
    async fn user_by_email(
        &self,
        ctx: &Context<'_>,
        email: String,
    ) -> async_graphql::Result<Option<User>> {
        Ok(service::user_by_email(db(ctx), &email)
            .await
            .gql()?
            .map(User::from))
    }

    /// Federation: resolves `User` representations (batched through the users loader).
    #[graphql(entity)]
    async fn find_user_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<User>> {
        load_user(ctx, parse_id(&id)?).await
    }
}
