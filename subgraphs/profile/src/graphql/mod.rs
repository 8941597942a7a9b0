//! The GraphQL surface: thin resolvers over `service`, `store` and the loaders.
//!
//! Every entry point is checked against the caller here: a user's data is only
//! ever served to that user. Queries and entity lookups treat another user's id
//! exactly like a missing one (null), so they cannot even show it exists;
//! mutations naming another user's id are FORBIDDEN before the database is
//! touched. Objects below the entry points (`User`, `PersonalData`) are only
//! built for the caller, so their fields need no further check.

mod account;
mod mutation;
mod query;
mod user;

pub use account::{AccountDeletion, PersonalData};
pub use mutation::Mutation;
pub use query::Query;
pub use user::{RecordReadingsResult, User};

use async_graphql::{Context, ID};
use sea_orm::DatabaseConnection;
use subgraph_common::GqlResultExt;
use subgraph_common::access::require_user;
use subgraph_common::batching::Batched;
use subgraph_common::errors::to_graphql_error;
use uuid::Uuid;

use crate::error::{ProfileError, parse_user_id};
use crate::loaders::{EquipmentLoader, RecoveryReadingsLoader, UserLoader, gql_error};

fn db<'a>(ctx: &Context<'a>) -> &'a DatabaseConnection {
    ctx.data_unchecked::<DatabaseConnection>()
}

/// The user with `id`, or None. The related rows the query selects are requested
/// in the same poll as the user, so when many users resolve together (`_entities`)
/// every loader sees every id in one batch, however long the resolution takes.
async fn load_user(ctx: &Context<'_>, id: Uuid) -> async_graphql::Result<Option<User>> {
    let selection = ctx.look_ahead();
    let users = ctx.data_unchecked::<Batched<UserLoader>>();
    let equipment = selection.field("equipment").exists().then(|| {
        ctx.data_unchecked::<Batched<EquipmentLoader>>()
            .load_one(id)
    });
    let readings = selection.field("recovery").exists().then(|| {
        ctx.data_unchecked::<Batched<RecoveryReadingsLoader>>()
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

fn parse_id(id: &ID) -> async_graphql::Result<Uuid> {
    parse_user_id(id).gql()
}

/// The signed-in caller's user id; UNAUTHENTICATED for anonymous callers and
/// for API clients acting for no user.
fn caller_id(ctx: &Context<'_>) -> async_graphql::Result<Uuid> {
    require_user(ctx).gql()
}

/// The id a read asks for when it is the caller's own; None for anyone else's.
fn readable_id(ctx: &Context<'_>, id: &ID) -> async_graphql::Result<Option<Uuid>> {
    let caller = caller_id(ctx)?;
    let id = parse_id(id)?;
    Ok((id == caller).then_some(id))
}

/// The `userId` a mutation names, which must be the caller's.
fn writable_id(ctx: &Context<'_>, user_id: &ID) -> async_graphql::Result<Uuid> {
    let caller = caller_id(ctx)?;
    let id = parse_id(user_id)?;
    if id == caller {
        Ok(id)
    } else {
        Err(to_graphql_error(&ProfileError::NotYourProfile))
    }
}
