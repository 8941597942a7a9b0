//! Authentication at the front door: who is calling, from the `Authorization`
//! bearer token and the `X-API-Key` header.

use std::collections::HashMap;
use std::path::PathBuf;

use axum::http::{HeaderMap, header};
use fitgraph_auth::Identity;
use fitgraph_auth::jwt::{JwtConfig, JwtError, JwtVerifier};
use fitgraph_auth::trust::is_header_safe;
use serde::Deserialize;
use sha2::{Digest, Sha256};

/// The header partner clients send their API key in.
pub const API_KEY_HEADER: &str = "x-api-key";

/// A partner client allowed in by API key.
#[derive(Clone, Deserialize)]
pub struct ApiKeyConfig {
    /// The client's name, used in logs, rate limits and forwarded identity.
    pub name: String,
    /// The key itself.
    pub key: String,
    #[serde(default)]
    pub scopes: Vec<String>,
    /// The client's persisted query manifest: when set, the client may run only
    /// the operations it lists.
    #[serde(default)]
    pub manifest: Option<PathBuf>,
}

impl std::fmt::Debug for ApiKeyConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiKeyConfig")
            .field("name", &self.name)
            .field("key", &"<redacted>")
            .field("scopes", &self.scopes)
            .field("manifest", &self.manifest)
            .finish()
    }
}

/// How callers are authenticated. Neither part configured means everyone is anonymous.
#[derive(Debug, Clone, Default)]
pub struct AuthConfig {
    pub jwt: Option<JwtConfig>,
    pub api_keys: Vec<ApiKeyConfig>,
}

/// Why a request's credentials were refused. Each maps to `UNAUTHENTICATED`.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    #[error("the Authorization header must be `Bearer <token>`")]
    MalformedHeader,
    #[error("bearer tokens are not accepted by this gateway")]
    TokensNotAccepted,
    #[error("invalid token: {0}")]
    Token(&'static str),
    #[error("the API key is not valid")]
    UnknownApiKey,
    #[error("the token's subject cannot identify a user")]
    UnusableSubject,
}

/// Checks credentials; cheap to share.
pub struct Authenticator {
    jwt: Option<JwtVerifier>,
    /// API keys by the SHA-256 of the key, so lookups compare digests, not secrets.
    api_keys: HashMap<[u8; 32], ApiKeyConfig>,
}

impl Authenticator {
    /// Loads key material (a JWKS is fetched once here) and starts its refresh.
    pub async fn new(config: AuthConfig) -> Result<Self, JwtError> {
        let jwt = match config.jwt {
            Some(jwt) => {
                let verifier = JwtVerifier::new(jwt).await?;
                // The task lives as long as the process; its handle is not needed.
                drop(verifier.spawn_refresh());
                Some(verifier)
            }
            None => None,
        };
        Ok(Self {
            jwt,
            api_keys: config
                .api_keys
                .into_iter()
                .map(|key| (digest(&key.key), key))
                .collect(),
        })
    }

    /// Lets everyone in as anonymous (no tokens, no keys).
    pub fn anonymous_only() -> Self {
        Self {
            jwt: None,
            api_keys: HashMap::new(),
        }
    }

    /// The caller's identity; anonymous when no credentials are sent. Credentials
    /// that are sent but invalid are an error, never a silent downgrade.
    pub async fn authenticate(&self, headers: &HeaderMap) -> Result<Identity, AuthError> {
        let mut identity = Identity::anonymous();
        if let Some(key) = header_text(headers, API_KEY_HEADER)? {
            let client = self
                .api_keys
                .get(&digest(key))
                .ok_or(AuthError::UnknownApiKey)?;
            identity.client = Some(client.name.clone());
            identity.scopes.extend(client.scopes.iter().cloned());
        }
        if let Some(value) = header_text(headers, header::AUTHORIZATION.as_str())? {
            let token = bearer_token(value)?;
            let verifier = self.jwt.as_ref().ok_or(AuthError::TokensNotAccepted)?;
            let claims = verifier
                .verify(token)
                .await
                .map_err(|error| AuthError::Token(error.reason()))?;
            if !is_header_safe(&claims.subject) {
                return Err(AuthError::UnusableSubject);
            }
            identity.user_id = Some(claims.subject);
            identity.scopes.extend(claims.scopes);
            // `client` stays the API key's: a token's `azp` names a whole app, and
            // rate limits key on `client` before the user.
        }
        Ok(identity)
    }
}

fn bearer_token(value: &str) -> Result<&str, AuthError> {
    let (scheme, token) = value
        .trim()
        .split_once(' ')
        .ok_or(AuthError::MalformedHeader)?;
    let token = token.trim();
    if !scheme.eq_ignore_ascii_case("bearer") || token.is_empty() {
        return Err(AuthError::MalformedHeader);
    }
    Ok(token)
}

fn header_text<'a>(headers: &'a HeaderMap, name: &str) -> Result<Option<&'a str>, AuthError> {
    let mut values = headers.get_all(name).iter();
    let Some(value) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(AuthError::MalformedHeader);
    }
    value
        .to_str()
        .map(Some)
        .map_err(|_| AuthError::MalformedHeader)
}

fn digest(key: &str) -> [u8; 32] {
    Sha256::digest(key.as_bytes()).into()
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    async fn with_key() -> Authenticator {
        Authenticator::new(AuthConfig {
            jwt: None,
            api_keys: vec![ApiKeyConfig {
                name: "partner".into(),
                key: "k-123".into(),
                scopes: vec!["catalog".into()],
                manifest: None,
            }],
        })
        .await
        .expect("no key source to load")
    }

    #[tokio::test]
    async fn no_credentials_is_anonymous() {
        let auth = with_key().await;
        let identity = auth
            .authenticate(&HeaderMap::new())
            .await
            .expect("anonymous");
        assert_eq!(identity, Identity::anonymous());
    }

    #[tokio::test]
    async fn api_keys_identify_the_client() {
        let auth = with_key().await;
        let identity = auth
            .authenticate(&headers(&[(API_KEY_HEADER, "k-123")]))
            .await
            .expect("a known key");
        assert_eq!(identity, Identity::client("partner", &["catalog"]));
        assert!(matches!(
            auth.authenticate(&headers(&[(API_KEY_HEADER, "k-124")]))
                .await,
            Err(AuthError::UnknownApiKey)
        ));
    }

    #[tokio::test]
    async fn a_token_without_a_verifier_is_refused_not_ignored() {
        let auth = with_key().await;
        assert!(matches!(
            auth.authenticate(&headers(&[("authorization", "Bearer abc")]))
                .await,
            Err(AuthError::TokensNotAccepted)
        ));
        assert!(matches!(
            auth.authenticate(&headers(&[("authorization", "Basic abc")]))
                .await,
            Err(AuthError::MalformedHeader)
        ));
    }
}
