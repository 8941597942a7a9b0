use async_graphql::{Context, ID, Object};

use super::{PersonalData, User, caller_id, load_user, readable_id};
use crate::service;

pub struct Query;

#[Object]
impl Query {
    /// The caller's own profile, or null before they have created one.
    async fn me(&self, ctx: &Context<'_>) -> async_graphql::Result<Option<User>> {
        load_user(ctx, caller_id(ctx)?).await
    }

    /// The user with this id when it is the caller; null for anyone else, exactly
    /// as for an id that does not exist.
    async fn user(&self, ctx: &Context<'_>, id: ID) -> async_graphql::Result<Option<User>> {
        match readable_id(ctx, &id)? {
            Some(id) => load_user(ctx, id).await,
            None => Ok(None),
        }
    }

    /// The caller's profile when this is its email (compared trimmed and
    /// case-insensitively); null otherwise, so it tells nothing about other emails.
    async fn user_by_email(
        &self,
        ctx: &Context<'_>,
        email: String,
    ) -> async_graphql::Result<Option<User>> {
        // Only the caller's own row is read: whether any other user has this
        // email never reaches the database, let alone the response.
        let user = load_user(ctx, caller_id(ctx)?).await?;
        Ok(user.filter(|user| service::has_email(&user.profile, &email)))
    }

    /// Everything fitgraph holds about the caller, for download. Each subgraph
    /// adds its own part to this entity.
    async fn export_my_data(&self, ctx: &Context<'_>) -> async_graphql::Result<PersonalData> {
        Ok(PersonalData::new(caller_id(ctx)?))
    }

    /// Federation: resolves `User` representations (batched through the users
    /// loader); another user's resolves to null, like a missing one.
    #[graphql(entity)]
    async fn find_user_by_id(
        &self,
        ctx: &Context<'_>,
        id: ID,
    ) -> async_graphql::Result<Option<User>> {
        match readable_id(ctx, &id)? {
            Some(id) => load_user(ctx, id).await,
            None => Ok(None),
        }
    }

    /// Federation: resolves `PersonalData` representations of the caller; another
    /// user's resolves to null.
    #[graphql(entity)]
    async fn find_personal_data_by_user_id(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
    ) -> async_graphql::Result<Option<PersonalData>> {
        Ok(readable_id(ctx, &user_id)?.map(PersonalData::new))
    }
}
