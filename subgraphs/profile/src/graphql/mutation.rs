use async_graphql::{Context, ID, Object};
use subgraph_common::GqlResultExt;
use subgraph_common::events::{self, DomainEvent};
use subgraph_common::vocab::Equipment;
use uuid::Uuid;

use super::{AccountDeletion, RecordReadingsResult, User, caller_id, db, writable_id};
use crate::deletion::{self, DeletionConfig};
use crate::inputs::{GoalsInput, OnboardingInput, WearableReadingInput};
use crate::service;

pub struct Mutation;

#[Object]
impl Mutation {
    /// Creates the caller's profile from the onboarding questionnaire; its id is
    /// the caller's user id. CONFLICT when they have one already or the email is taken.
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        input: OnboardingInput,
    ) -> async_graphql::Result<User> {
        let id = caller_id(ctx)?;
        let profile = service::create_user(db(ctx), id, &input).await.gql()?;
        profile_changed(ctx, id).await;
        Ok(User::from(profile))
    }

    /// Changes the caller's training goals; optional fields left out keep their
    /// value. `userId` must be the caller's own id.
    async fn update_goals(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        input: GoalsInput,
    ) -> async_graphql::Result<User> {
        let id = writable_id(ctx, &user_id)?;
        let profile = service::update_goals(db(ctx), id, &input).await.gql()?;
        profile_changed(ctx, id).await;
        Ok(User::from(profile))
    }

    /// Replaces the caller's whole equipment set. `userId` must be the caller's own id.
    async fn set_equipment(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        equipment: Vec<Equipment>,
    ) -> async_graphql::Result<User> {
        let id = writable_id(ctx, &user_id)?;
        let profile = service::set_equipment(db(ctx), id, &equipment)
            .await
            .gql()?;
        profile_changed(ctx, id).await;
        Ok(User::from(profile))
    }

    /// Updates the caller's height (100-250 cm) and/or weight (25-350 kg).
    /// `userId` must be the caller's own id.
    async fn update_body_stats(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        height_cm: Option<f64>,
        weight_kg: Option<f64>,
    ) -> async_graphql::Result<User> {
        let id = writable_id(ctx, &user_id)?;
        let profile = service::update_body_stats(db(ctx), id, height_cm, weight_kg)
            .await
            .gql()?;
        profile_changed(ctx, id).await;
        Ok(User::from(profile))
    }

    /// Stores up to 1,000 of the caller's readings (`userId` must be the caller's
    /// own id). Idempotent: a reading with the same kind, recordedAt and source as
    /// a stored one is counted as a duplicate and not written (even when its value
    /// differs). An invalid reading rejects the batch.
    async fn record_wearable_readings(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        readings: Vec<WearableReadingInput>,
    ) -> async_graphql::Result<RecordReadingsResult> {
        let id = writable_id(ctx, &user_id)?;
        let recorded = service::record_readings(db(ctx), id, &readings)
            .await
            .gql()?;
        // New readings may move the recovery band, which today's workout follows.
        if recorded.accepted > 0 {
            profile_changed(ctx, id).await;
        }
        Ok(RecordReadingsResult::from(recorded))
    }

    /// Deletes the caller's account: their profile, equipment and readings at
    /// once, and their data in every other subgraph, now or (for a subgraph that
    /// cannot be reached) by retrying until it has been purged.
    async fn delete_my_account(&self, ctx: &Context<'_>) -> async_graphql::Result<AccountDeletion> {
        let id = caller_id(ctx)?;
        let config = ctx.data_unchecked::<DeletionConfig>();
        deletion::delete_account(db(ctx), config, id)
            .await
            .gql()
            .map(AccountDeletion::from)
    }
}

/// Tells the user's devices, once the change is stored, that their profile changed:
/// what follows from it (today's workout) is worth re-reading.
async fn profile_changed(ctx: &Context<'_>, user_id: Uuid) {
    events::announce_in(ctx, &DomainEvent::ProfileChanged { user_id }).await;
}
