//! The GraphQL surface: thin resolvers over `service`, `store` and the loaders.

mod mutation;
mod query;
mod user;

pub use mutation::Mutation;
pub use query::Query;
pub use user::{RecordReadingsResult, User};

use async_graphql::Context;
use async_graphql::dataloader::DataLoader;
use sea_orm::DatabaseConnection;
use subgraph_common::GqlResultExt;
use uuid::Uuid;

use crate::error::parse_user_id;
use crate::loaders::{EquipmentLoader, RecoveryReadingsLoader, UserLoader, gql_error};

fn db<'a>(ctx: &Context<'a>) -> &'a DatabaseConnection {
    ctx.data_unchecked::<DatabaseConnection>()
}

/// The user with `id`, or None. The related rows the query selects are requested
/// in the same poll as the user, so when many users resolve together (`_entities`)
/// every loader sees every id in one batch, however long the resolution takes.
async fn load_user(ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<Option<User>> {
    let selection = ctx.look_ahead();
    let users = ctx.data_unchecked::<DataLoader<UserLoader>>();
    let equipment = selection.field("equipment").exists().then(|| {
        ctx.data_unchecked::<DataLoader<EquipmentLoader>>()
            .load_one(id)
    });
    let readings = selection.field("recovery").exists().then(|| {
        ctx.data_unchecked::<DataLoader<RecoveryReadingsLoader>>()
            .load_one(id)
    });
    let (user, equipment, readings) = futures::join!(
        users.load_one(id),
        when_some(equipment),
        when_some(readings)
    );
    let Some(profile) = user.map_err(gql_error)? else {
        return Ok(None);
    };
    Ok(Some(User {
        profile,
        equipment: equipment
            .transpose()
            .map_err(gql_error)?
            .map(Option::unwrap_or_default),
        recovery_readings: readings
            .transpose()
            .map_err(gql_error)?
            .map(Option::unwrap_or_default),
    }))
}

async fn when_some<F: Future>(future: Option<F>) -> Option<F::Output> {
    match future {
        Some(future) => Some(future.await),
        None => None,
    }
}

fn parse_id(id: &async_graphql::ID) -> async_graphql::Result<Uuid> {
    parse_user_id(id).gql()
}
