//! Bearer JWT verification (RS256/ES256 against a JWKS, HS256 with a secret) and development tokens.
//!
//! The algorithm named in a token only selects among the key sources that are
//! configured, and each algorithm has exactly one: HS256 the secret, RS256 and
//! ES256 the JWKS. So a token can never make us verify an RSA signature with the
//! HMAC secret, or an HMAC with a public key (algorithm confusion).

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, PoisonError, RwLock};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::errors::ErrorKind;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde_json::{Map, Value};

use crate::Identity;
use crate::jwks::{JwksSource, KeySet};

pub const DEFAULT_JWKS_REFRESH: Duration = Duration::from_secs(600);
pub const DEFAULT_LEEWAY: Duration = Duration::from_secs(60);

/// Clocks an hour apart are a misconfiguration, not skew; the limit also keeps
/// the expiry arithmetic far from underflow.
pub const MAX_LEEWAY: Duration = Duration::from_secs(3600);

/// Anyone can send a token with a made-up key id, so the reloads such tokens
/// trigger are rate limited to spare the identity provider.
const RELOAD_COOLDOWN: Duration = Duration::from_secs(30);

/// A zero period would make the refresh task spin.
const MIN_REFRESH: Duration = Duration::from_secs(1);

/// Attacker-chosen header values end up in error messages; bound them.
const MAX_ECHOED_CHARS: usize = 64;

/// How tokens are verified.
#[derive(Clone)]
pub struct JwtConfig {
    /// When set, `iss` must equal it.
    pub issuer: Option<String>,
    /// When set, `aud` (a string or an array) must contain it.
    pub audience: Option<String>,
    /// Enables HS256 tokens signed with this secret.
    pub hs256_secret: Option<String>,
    /// RS256/ES256 keys are fetched from here.
    pub jwks_url: Option<String>,
    /// Or read from this file.
    pub jwks_file: Option<PathBuf>,
    /// How often [`JwtVerifier::spawn_refresh`] re-reads the JWKS.
    pub jwks_refresh: Duration,
    /// Clock skew allowed on `exp` and `nbf`.
    pub leeway: Duration,
}

impl Default for JwtConfig {
    fn default() -> Self {
        Self {
            issuer: None,
            audience: None,
            hs256_secret: None,
            jwks_url: None,
            jwks_file: None,
            jwks_refresh: DEFAULT_JWKS_REFRESH,
            leeway: DEFAULT_LEEWAY,
        }
    }
}

impl std::fmt::Debug for JwtConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtConfig")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field(
                "hs256_secret",
                &self.hs256_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("jwks_url", &self.jwks_url)
            .field("jwks_file", &self.jwks_file)
            .field("jwks_refresh", &self.jwks_refresh)
            .field("leeway", &self.leeway)
            .finish()
    }
}

/// The verified claims the gateway needs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Claims {
    pub subject: String,
    /// From `scope` (space-separated) and `scp` (an array); either may take either form.
    pub scopes: BTreeSet<String>,
    /// The `azp` claim, or else `client_id`.
    pub client: Option<String>,
    /// `exp`, in seconds since the Unix epoch.
    pub expires_at: u64,
}

/// Why a token was refused, or a verifier could not be built.
#[derive(Debug, thiserror::Error)]
pub enum JwtError {
    #[error("malformed token: {0}")]
    Malformed(&'static str),
    #[error("token expired")]
    Expired,
    #[error("token not yet valid")]
    NotYetValid,
    #[error("token issuer is not the expected one")]
    WrongIssuer,
    #[error("token audience does not include this service")]
    WrongAudience,
    #[error("token signature does not verify")]
    BadSignature,
    #[error("no signing key for key id {0:?}")]
    UnknownKey(Option<String>),
    #[error("token algorithm {0:?} is not accepted")]
    AlgorithmNotAccepted(String),
    #[error("token has no subject")]
    NoSubject,
    #[error("token rejected: {0}")]
    Rejected(String),
    #[error("signing keys unreadable: {0}")]
    KeySource(String),
    #[error("invalid JWT configuration: {0}")]
    Config(&'static str),
    #[error("token could not be signed: {0}")]
    Signing(String),
}

impl JwtError {
    /// A short, stable reason, safe to show a client (no key or config detail).
    pub fn reason(&self) -> &'static str {
        match self {
            Self::Malformed(_) => "malformed token",
            Self::Expired => "token expired",
            Self::NotYetValid => "token not yet valid",
            Self::WrongIssuer => "wrong issuer",
            Self::WrongAudience => "wrong audience",
            Self::BadSignature => "bad signature",
            Self::UnknownKey(_) => "unknown signing key",
            Self::AlgorithmNotAccepted(_) => "algorithm not accepted",
            Self::NoSubject => "token has no subject",
            Self::Rejected(_) => "token rejected",
            Self::KeySource(_) => "signing keys unavailable",
            Self::Config(_) => "authentication misconfigured",
            Self::Signing(_) => "token could not be signed",
        }
    }

    fn from_library(error: &jsonwebtoken::errors::Error) -> Self {
        match error.kind() {
            ErrorKind::ExpiredSignature => Self::Expired,
            ErrorKind::ImmatureSignature => Self::NotYetValid,
            ErrorKind::InvalidIssuer => Self::WrongIssuer,
            ErrorKind::InvalidAudience => Self::WrongAudience,
            ErrorKind::MissingRequiredClaim(claim) => match claim.as_str() {
                "iss" => Self::WrongIssuer,
                "aud" => Self::WrongAudience,
                _ => Self::Malformed("the token has no expiry"),
            },
            ErrorKind::InvalidSignature => Self::BadSignature,
            ErrorKind::InvalidAlgorithm
            | ErrorKind::UnsupportedAlgorithm
            | ErrorKind::MissingAlgorithm
            | ErrorKind::InvalidAlgorithmName => Self::AlgorithmNotAccepted(error.to_string()),
            ErrorKind::InvalidClaimFormat(_) => Self::Malformed("exp or nbf is not a number"),
            ErrorKind::InvalidToken
            | ErrorKind::Base64(_)
            | ErrorKind::Json(_)
            | ErrorKind::Utf8(_) => Self::Malformed("not a well-formed JWT"),
            // Left: a JWKS key the crypto backend cannot use, and kinds added later.
            _ => Self::Rejected(error.to_string()),
        }
    }
}

/// Verifies bearer tokens; cheap to clone, all clones share keys.
#[derive(Clone)]
pub struct JwtVerifier {
    inner: Arc<Inner>,
}

struct Inner {
    config: JwtConfig,
    hs256: Option<DecodingKey>,
    jwks: Option<JwksSource>,
    keys: RwLock<Arc<KeySet>>,
    /// When a token with an unknown key id last caused a reload. The lock is
    /// held during that reload so concurrent such tokens wait for it instead
    /// of each fetching.
    last_on_demand_reload: tokio::sync::Mutex<Option<Instant>>,
}

impl std::fmt::Debug for JwtVerifier {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("JwtVerifier")
            .field("config", &self.inner.config)
            .field("jwks_keys", &self.keys().len())
            .finish()
    }
}

impl JwtVerifier {
    /// Loads the JWKS (url or file) once; an unreachable/invalid key source at start is an error.
    pub async fn new(config: JwtConfig) -> Result<Self, JwtError> {
        check_config(&config)?;
        let jwks = match (&config.jwks_url, &config.jwks_file) {
            (Some(url), _) => Some(JwksSource::url(url)?),
            (None, Some(path)) => Some(JwksSource::file(path)),
            (None, None) => None,
        };
        let keys = match &jwks {
            Some(source) => source.load().await?,
            None => KeySet::default(),
        };
        let hs256 = config
            .hs256_secret
            .as_deref()
            .map(|secret| DecodingKey::from_secret(secret.as_bytes()));
        Ok(Self {
            inner: Arc::new(Inner {
                config,
                hs256,
                jwks,
                keys: RwLock::new(Arc::new(keys)),
                last_on_demand_reload: tokio::sync::Mutex::new(None),
            }),
        })
    }

    /// Background task re-reading the JWKS every `jwks_refresh`; failures are logged and the old keys kept.
    ///
    /// The task ends once every clone of this verifier is dropped, or at once
    /// when no JWKS is configured.
    pub fn spawn_refresh(&self) -> tokio::task::JoinHandle<()> {
        let verifier = Arc::downgrade(&self.inner);
        let period = self.inner.config.jwks_refresh.max(MIN_REFRESH);
        let has_jwks = self.inner.jwks.is_some();
        tokio::spawn(async move {
            if !has_jwks {
                return;
            }
            loop {
                tokio::time::sleep(period).await;
                let Some(inner) = verifier.upgrade() else {
                    return;
                };
                JwtVerifier { inner }.reload("periodic refresh").await;
            }
        })
    }

    /// Verifies signature, exp, nbf (both with leeway), iss, aud; returns the claims.
    /// A token whose `kid` is unknown triggers one immediate JWKS reload (at most once per 30 s) before failing — that is how key rotation works without waiting for the timer.
    pub async fn verify(&self, token: &str) -> Result<Claims, JwtError> {
        let header = read_header(token)?;
        let algorithm = self.accepted_algorithm(&header.alg)?;
        let key = match algorithm {
            Algorithm::HS256 => self
                .inner
                .hs256
                .clone()
                .ok_or_else(|| JwtError::AlgorithmNotAccepted(echo(&header.alg)))?,
            _ => self.jwks_key(header.kid.as_deref(), algorithm).await?,
        };
        let data =
            jsonwebtoken::decode::<Map<String, Value>>(token, &key, &self.validation(algorithm))
                .map_err(|error| JwtError::from_library(&error))?;
        claims_from(&data.claims, self.inner.config.issuer.as_deref())
    }

    /// The algorithm, if a key source for it is configured.
    fn accepted_algorithm(&self, alg: &str) -> Result<Algorithm, JwtError> {
        let configured = match alg {
            "HS256" => self.inner.hs256.is_some().then_some(Algorithm::HS256),
            "RS256" => self.inner.jwks.is_some().then_some(Algorithm::RS256),
            "ES256" => self.inner.jwks.is_some().then_some(Algorithm::ES256),
            _ => None,
        };
        configured.ok_or_else(|| JwtError::AlgorithmNotAccepted(echo(alg)))
    }

    async fn jwks_key(
        &self,
        kid: Option<&str>,
        algorithm: Algorithm,
    ) -> Result<DecodingKey, JwtError> {
        if let Some(key) = self.keys().find(kid, algorithm) {
            return Ok(key.clone());
        }
        // An unknown key id may be a key the provider has just rotated in.
        self.reload_on_demand().await;
        self.keys()
            .find(kid, algorithm)
            .cloned()
            .ok_or_else(|| JwtError::UnknownKey(kid.map(echo)))
    }

    async fn reload_on_demand(&self) {
        let mut last = self.inner.last_on_demand_reload.lock().await;
        if last.is_some_and(|at| at.elapsed() < RELOAD_COOLDOWN) {
            return;
        }
        *last = Some(Instant::now());
        self.reload("unknown key id").await;
    }

    /// Replaces the keys with a fresh read; on failure keeps the old ones,
    /// since a provider's brief outage must not lock every user out.
    async fn reload(&self, why: &'static str) {
        let Some(source) = &self.inner.jwks else {
            return;
        };
        match source.load().await {
            Ok(keys) => {
                tracing::debug!(%source, keys = keys.len(), why, "reloaded JWKS");
                *self
                    .inner
                    .keys
                    .write()
                    .unwrap_or_else(PoisonError::into_inner) = Arc::new(keys);
            }
            Err(error) => {
                tracing::warn!(%error, why, "JWKS reload failed; keeping the previous keys")
            }
        }
    }

    fn keys(&self) -> Arc<KeySet> {
        // Writers only swap an `Arc`, so a poisoned lock still holds a whole key set.
        Arc::clone(
            &self
                .inner
                .keys
                .read()
                .unwrap_or_else(PoisonError::into_inner),
        )
    }

    fn validation(&self, algorithm: Algorithm) -> Validation {
        let config = &self.inner.config;
        let mut validation = Validation::new(algorithm);
        validation.leeway = config.leeway.as_secs();
        validation.validate_nbf = true;
        // The library checks `iss` and `aud` only when present; configured means required.
        let mut required = vec!["exp"];
        if let Some(issuer) = &config.issuer {
            validation.set_issuer(&[issuer]);
            required.push("iss");
        }
        match &config.audience {
            Some(audience) => {
                validation.set_audience(&[audience]);
                required.push("aud");
            }
            // Otherwise the library refuses every token that names an audience.
            None => validation.validate_aud = false,
        }
        validation.set_required_spec_claims(&required);
        validation
    }
}

fn check_config(config: &JwtConfig) -> Result<(), JwtError> {
    if config.hs256_secret.as_deref().is_some_and(str::is_empty) {
        return Err(JwtError::Config("hs256_secret is empty"));
    }
    if config.jwks_url.is_some() && config.jwks_file.is_some() {
        return Err(JwtError::Config("set jwks_url or jwks_file, not both"));
    }
    if config.hs256_secret.is_none() && config.jwks_url.is_none() && config.jwks_file.is_none() {
        return Err(JwtError::Config(
            "no key source: set hs256_secret, jwks_url or jwks_file",
        ));
    }
    if config.leeway > MAX_LEEWAY {
        return Err(JwtError::Config("leeway is above an hour"));
    }
    Ok(())
}

/// The JOSE header fields we act on, read before any key is chosen.
#[derive(serde::Deserialize)]
struct RawHeader {
    alg: String,
    kid: Option<String>,
    crit: Option<Value>,
}

fn read_header(token: &str) -> Result<RawHeader, JwtError> {
    let mut parts = token.split('.');
    let (Some(header), Some(_), Some(_), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Err(JwtError::Malformed("a JWT has three dot-separated parts"));
    };
    let json = URL_SAFE_NO_PAD
        .decode(header)
        .map_err(|_| JwtError::Malformed("the header is not base64url"))?;
    let header: RawHeader = serde_json::from_slice(&json)
        .map_err(|_| JwtError::Malformed("the header is not a JOSE header"))?;
    // RFC 7515 §4.1.11: extensions marked critical must be understood; we understand none.
    if header.crit.is_some() {
        return Err(JwtError::Malformed(
            "critical header extensions are not supported",
        ));
    }
    Ok(header)
}

fn claims_from(claims: &Map<String, Value>, issuer: Option<&str>) -> Result<Claims, JwtError> {
    // The library also accepts an array `iss` holding the issuer; we want it exact.
    if let Some(issuer) = issuer
        && claims.get("iss").and_then(Value::as_str) != Some(issuer)
    {
        return Err(JwtError::WrongIssuer);
    }
    let subject = match claims.get("sub") {
        Some(Value::String(subject)) if !subject.is_empty() => subject.clone(),
        _ => return Err(JwtError::NoSubject),
    };
    let expires_at = claims
        .get("exp")
        .and_then(numeric_date)
        .ok_or(JwtError::Malformed("exp is not a number"))?;
    let mut scopes = BTreeSet::new();
    for name in ["scope", "scp"] {
        if let Some(value) = claims.get(name) {
            scopes.extend(scope_list(value)?);
        }
    }
    let client = ["azp", "client_id"]
        .into_iter()
        .filter_map(|name| claims.get(name).and_then(Value::as_str))
        .find(|client| !client.is_empty())
        .map(str::to_owned);
    Ok(Claims {
        subject,
        scopes,
        client,
        expires_at,
    })
}

/// Scopes from a space-separated string or an array. Array items are split
/// on spaces too: scopes travel onward space-separated, so one holding a
/// space would turn into two there anyway.
fn scope_list(value: &Value) -> Result<BTreeSet<String>, JwtError> {
    match value {
        Value::Null => Ok(BTreeSet::new()),
        Value::String(text) => Ok(Identity::parse_scopes(text)),
        Value::Array(items) => {
            let mut scopes = BTreeSet::new();
            for item in items {
                let text = item
                    .as_str()
                    .ok_or(JwtError::Malformed("a scope is not a string"))?;
                scopes.extend(Identity::parse_scopes(text));
            }
            Ok(scopes)
        }
        _ => Err(JwtError::Malformed(
            "scopes are neither a string nor an array",
        )),
    }
}

/// A JWT NumericDate, which may have a fraction.
fn numeric_date(value: &Value) -> Option<u64> {
    value.as_u64().or_else(|| {
        let seconds = value.as_f64()?;
        // Truncation cannot happen: the range is checked first.
        (seconds.is_finite() && (0.0..u64::MAX as f64).contains(&seconds))
            .then(|| seconds.round() as u64)
    })
}

fn echo(text: &str) -> String {
    text.chars().take(MAX_ECHOED_CHARS).collect()
}

/// A development token's contents.
#[derive(Debug, Clone)]
pub struct DevToken {
    pub subject: String,
    pub scopes: Vec<String>,
    pub issuer: Option<String>,
    pub audience: Option<String>,
    pub ttl: Duration,
}

/// Mints an HS256 development token.
pub fn mint_hs256(secret: &str, token: &DevToken) -> Result<String, JwtError> {
    if secret.is_empty() {
        return Err(JwtError::Config("hs256_secret is empty"));
    }
    if token.subject.is_empty() {
        return Err(JwtError::Config("a token needs a subject"));
    }
    let now = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs());
    let mut claims = Map::new();
    claims.insert("sub".into(), token.subject.clone().into());
    claims.insert("iat".into(), now.into());
    claims.insert("exp".into(), now.saturating_add(token.ttl.as_secs()).into());
    if !token.scopes.is_empty() {
        claims.insert("scope".into(), token.scopes.join(" ").into());
    }
    if let Some(issuer) = &token.issuer {
        claims.insert("iss".into(), issuer.clone().into());
    }
    if let Some(audience) = &token.audience {
        claims.insert("aud".into(), audience.clone().into());
    }
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(secret.as_bytes()),
    )
    .map_err(|error| JwtError::Signing(error.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn claims(value: Value) -> Map<String, Value> {
        match value {
            Value::Object(map) => map,
            _ => Map::new(),
        }
    }

    #[test]
    fn scopes_come_from_either_claim_in_either_form() {
        let parsed = claims_from(
            &claims(json!({"sub": "u", "exp": 10, "scope": "a  b", "scp": ["c", "d e"]})),
            None,
        )
        .expect("the claims are complete");
        let expected: BTreeSet<String> = ["a", "b", "c", "d", "e"].map(String::from).into();
        assert_eq!(parsed.scopes, expected);
        let parsed = claims_from(&claims(json!({"sub": "u", "exp": 10, "scp": "x y"})), None)
            .expect("the claims are complete");
        assert_eq!(parsed.scopes.len(), 2);
        let none = claims_from(&claims(json!({"sub": "u", "exp": 10})), None)
            .expect("the claims are complete");
        assert!(none.scopes.is_empty());
        assert!(matches!(
            claims_from(&claims(json!({"sub": "u", "exp": 10, "scp": [1]})), None),
            Err(JwtError::Malformed(_))
        ));
    }

    #[test]
    fn client_is_azp_then_client_id() {
        let both = claims(json!({"sub": "u", "exp": 1, "azp": "web", "client_id": "cli"}));
        assert_eq!(
            claims_from(&both, None)
                .expect("complete")
                .client
                .as_deref(),
            Some("web")
        );
        let one = claims(json!({"sub": "u", "exp": 1, "azp": "", "client_id": "cli"}));
        assert_eq!(
            claims_from(&one, None).expect("complete").client.as_deref(),
            Some("cli")
        );
    }

    #[test]
    fn subject_and_exact_issuer_are_required() {
        for sub in [json!(""), json!(7), Value::Null] {
            let map = claims(json!({"sub": sub, "exp": 1}));
            assert!(matches!(claims_from(&map, None), Err(JwtError::NoSubject)));
        }
        let array_issuer = claims(json!({"sub": "u", "exp": 1, "iss": ["a", "b"]}));
        assert!(matches!(
            claims_from(&array_issuer, Some("a")),
            Err(JwtError::WrongIssuer)
        ));
    }

    #[test]
    fn fractional_expiry_is_rounded() {
        assert_eq!(numeric_date(&json!(10.6)), Some(11));
        assert_eq!(numeric_date(&json!(-1)), None);
        assert_eq!(numeric_date(&json!("10")), None);
    }

    #[test]
    fn headers_are_read_strictly() {
        let encode = |header: &str| format!("{}.e30.sig", URL_SAFE_NO_PAD.encode(header));
        assert!(read_header(&encode(r#"{"alg":"RS256","kid":"k"}"#)).is_ok());
        for token in [
            "only.two".to_owned(),
            "a.b.c.d".to_owned(),
            "!!.e30.sig".to_owned(),
            encode(r#"{"kid":"k"}"#),
            encode(r#"{"alg":"RS256","crit":["exp"]}"#),
        ] {
            assert!(
                matches!(read_header(&token), Err(JwtError::Malformed(_))),
                "{token}"
            );
        }
    }

    #[tokio::test]
    async fn bad_configurations_are_refused() {
        let with = |change: fn(&mut JwtConfig)| {
            let mut config = JwtConfig {
                hs256_secret: Some("secret".into()),
                ..JwtConfig::default()
            };
            change(&mut config);
            config
        };
        let bad = [
            with(|config| config.hs256_secret = None),
            with(|config| config.hs256_secret = Some(String::new())),
            with(|config| config.leeway = Duration::from_secs(7200)),
            with(|config| {
                config.jwks_url = Some("http://127.0.0.1:9/jwks".into());
                config.jwks_file = Some("jwks.json".into());
            }),
        ];
        for config in bad {
            let error = JwtVerifier::new(config)
                .await
                .expect_err("the config is bad");
            assert!(matches!(error, JwtError::Config(_)), "{error}");
        }
        assert!(JwtVerifier::new(with(|_| {})).await.is_ok());
    }

    #[test]
    fn the_secret_is_not_printed() {
        let config = JwtConfig {
            hs256_secret: Some("hunter2".into()),
            ..JwtConfig::default()
        };
        assert!(!format!("{config:?}").contains("hunter2"));
    }
}
