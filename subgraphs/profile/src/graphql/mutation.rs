use async_graphql::{Context, ID, Object};
use subgraph_common::GqlResultExt;
use subgraph_common::vocab::Equipment;

use super::{RecordReadingsResult, User, db, parse_id};
use crate::inputs::{GoalsInput, OnboardingInput, WearableReadingInput};
use crate::service;

pub struct Mutation;

#[Object]
impl Mutation {
    /// Creates a user from the onboarding questionnaire.
    async fn create_user(
        &self,
        ctx: &Context<'_>,
        input: OnboardingInput,
    ) -> async_graphql::Result<User> {
        service::create_user(db(ctx), &input)
            .await
            .gql()
            .map(User::from)
    }

    /// Changes the user's training goals; optional fields left out keep their value.
    async fn update_goals(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        input: GoalsInput,
    ) -> async_graphql::Result<User> {
        let id = parse_id(&user_id)?;
        service::update_goals(db(ctx), id, &input)
            .await
            .gql()
            .map(User::from)
    }

    /// Replaces the user's whole equipment set.
    async fn set_equipment(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        equipment: Vec<Equipment>,
    ) -> async_graphql::Result<User> {
        let id = parse_id(&user_id)?;
        service::set_equipment(db(ctx), id, &equipment)
            .await
            .gql()
            .map(User::from)
    }

    /// Updates height (100-250 cm) and/or weight (25-350 kg).
    async fn update_body_stats(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        height_cm: Option<f64>,
        weight_kg: Option<f64>,
    ) -> async_graphql::Result<User> {
        let id = parse_id(&user_id)?;
        service::update_body_stats(db(ctx), id, height_cm, weight_kg)
            .await
            .gql()
            .map(User::from)
    }

    /// Stores up to 1,000 readings. Idempotent: a reading with the same kind,
    /// recordedAt and source as a stored one is counted as a duplicate and not
    /// written (even when its value differs). An invalid reading rejects the batch.
    async fn record_wearable_readings(
        &self,
        ctx: &Context<'_>,
        user_id: ID,
        readings: Vec<WearableReadingInput>,
    ) -> async_graphql::Result<RecordReadingsResult> {
        let id = parse_id(&user_id)?;
        let recorded = service::record_readings(db(ctx), id, &readings)
            .await
            .gql()?;
        Ok(RecordReadingsResult::from(recorded))
    }
}
