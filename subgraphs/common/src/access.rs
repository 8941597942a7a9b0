//! Who is asking, inside a subgraph: the identity the gateway forwarded, and the
//! checks resolvers make with it. Ownership is checked in resolvers and queries,
//! never left to the schema alone.

use std::sync::LazyLock;

use async_graphql::Context;
use uuid::Uuid;

pub use fitgraph_auth::{GatewayCredential, Identity, TrustMode, scopes};

use crate::errors::{CodedError, ErrorCode};

/// Why a caller may not do something.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AccessError {
    #[error("sign in to do this")]
    Unauthenticated,
    #[error("the token's subject is not a fitgraph user id")]
    NotAUser,
    #[error("this needs the `{0}` scope")]
    MissingScope(&'static str),
}

impl CodedError for AccessError {
    fn code(&self) -> ErrorCode {
        match self {
            AccessError::Unauthenticated | AccessError::NotAUser => ErrorCode::Unauthenticated,
            AccessError::MissingScope(_) => ErrorCode::Forbidden,
        }
    }
}

static ANONYMOUS: LazyLock<Identity> = LazyLock::new(Identity::anonymous);

/// The caller of this request; anonymous when the request carries no identity.
pub fn caller<'a>(ctx: &Context<'a>) -> &'a Identity {
    ctx.data_opt::<Identity>().unwrap_or(&ANONYMOUS)
}

/// The signed-in user's id.
pub fn require_user(ctx: &Context<'_>) -> Result<Uuid, AccessError> {
    user_id(caller(ctx))
}

/// The user id of `identity`, which must be a signed-in user.
pub fn user_id(identity: &Identity) -> Result<Uuid, AccessError> {
    let subject = identity
        .user_id
        .as_deref()
        .ok_or(AccessError::Unauthenticated)?;
    Uuid::parse_str(subject).map_err(|_| AccessError::NotAUser)
}

/// The caller, who must hold `scope`.
pub fn require_scope<'a>(
    ctx: &Context<'a>,
    scope: &'static str,
) -> Result<&'a Identity, AccessError> {
    let identity = caller(ctx);
    if !identity.is_authenticated() {
        return Err(AccessError::Unauthenticated);
    }
    if !identity.has_scope(scope) {
        return Err(AccessError::MissingScope(scope));
    }
    Ok(identity)
}

/// Whether the caller is the user `owner`. Resolvers answer "not found" when it
/// is not, so other users' objects cannot even be shown to exist.
pub fn is_owner(ctx: &Context<'_>, owner: Uuid) -> bool {
    require_user(ctx).is_ok_and(|user| user == owner)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn user_ids_must_be_uuids() {
        let id = Uuid::now_v7();
        assert_eq!(user_id(&Identity::user(id.to_string(), &[])), Ok(id));
        assert_eq!(
            user_id(&Identity::user("auth0|123", &[])),
            Err(AccessError::NotAUser)
        );
        assert_eq!(
            user_id(&Identity::client("partner", &[])),
            Err(AccessError::Unauthenticated)
        );
    }
}
