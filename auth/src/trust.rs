//! The gateway's credential on requests to subgraphs.
//!
//! Two modes, chosen by configuration:
//! - `SharedSecret`: the secret travels in a header. Simple; relies on TLS or a
//!   private network between gateway and subgraphs.
//! - `Hmac`: the secret never travels. The gateway signs a timestamp, the identity
//!   headers and a digest of the body; a subgraph recomputes the signature and
//!   refuses a request older than the allowed skew, so a captured request cannot
//!   be altered and is replayable only briefly.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use hmac::{Hmac, Mac};
use http::{HeaderMap, HeaderName, HeaderValue};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::Identity;

pub const USER_HEADER: &str = "x-fitgraph-user";
pub const SCOPES_HEADER: &str = "x-fitgraph-scopes";
pub const CLIENT_HEADER: &str = "x-fitgraph-client";
pub const TIMESTAMP_HEADER: &str = "x-fitgraph-timestamp";
pub const SIGNATURE_HEADER: &str = "x-fitgraph-signature";
pub const SECRET_HEADER: &str = "x-fitgraph-gateway-secret";

/// Shorter secrets are refused: they could be guessed.
pub const MIN_SECRET_LEN: usize = 32;

/// How far a signed request's timestamp may be from the subgraph's clock.
pub const DEFAULT_MAX_SKEW: Duration = Duration::from_secs(300);

/// How the gateway proves a request is its own.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TrustMode {
    SharedSecret,
    Hmac,
}

/// Why a subgraph refused a request's credential.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TrustError {
    #[error("the request carries no gateway credential")]
    Missing,
    #[error("the gateway credential does not match")]
    Mismatch,
    #[error("the signed request is {0} s away from this server's clock")]
    Stale(u64),
    #[error("a gateway header is malformed: {0}")]
    Malformed(&'static str),
    #[error("the gateway secret must be at least {MIN_SECRET_LEN} bytes")]
    WeakSecret,
}

type HmacSha256 = Hmac<Sha256>;

/// The secret shared by the gateway and the subgraphs, and how it is used.
#[derive(Clone)]
pub struct GatewayCredential {
    secret: Vec<u8>,
    mode: TrustMode,
    max_skew: Duration,
}

impl std::fmt::Debug for GatewayCredential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("GatewayCredential")
            .field("mode", &self.mode)
            .field("secret", &"<redacted>")
            .finish()
    }
}

impl GatewayCredential {
    pub fn new(secret: impl Into<Vec<u8>>, mode: TrustMode) -> Result<Self, TrustError> {
        let secret = secret.into();
        if secret.len() < MIN_SECRET_LEN {
            return Err(TrustError::WeakSecret);
        }
        Ok(Self {
            secret,
            mode,
            max_skew: DEFAULT_MAX_SKEW,
        })
    }

    /// A fresh random secret, for a gateway and subgraphs in one process.
    pub fn generate(mode: TrustMode) -> Self {
        let mut secret = vec![0_u8; 32];
        rand::thread_rng().fill_bytes(&mut secret);
        Self {
            secret,
            mode,
            max_skew: DEFAULT_MAX_SKEW,
        }
    }

    pub fn mode(&self) -> TrustMode {
        self.mode
    }

    /// The headers that carry `identity` and the credential for a request with `body`.
    pub fn headers(&self, identity: &Identity, body: &[u8], now: SystemTime) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let fields = IdentityFields::of(identity);
        insert(&mut headers, USER_HEADER, &fields.user);
        insert(&mut headers, SCOPES_HEADER, &fields.scopes);
        insert(&mut headers, CLIENT_HEADER, &fields.client);
        match self.mode {
            TrustMode::SharedSecret => {
                insert(&mut headers, SECRET_HEADER, &hex::encode(&self.secret));
            }
            TrustMode::Hmac => {
                let timestamp = unix_seconds(now).to_string();
                let signature = self.sign(&timestamp, &fields, body);
                insert(&mut headers, TIMESTAMP_HEADER, &timestamp);
                insert(&mut headers, SIGNATURE_HEADER, &signature);
            }
        }
        headers
    }

    /// The identity a request carries, if its credential is the gateway's.
    pub fn verify(
        &self,
        headers: &HeaderMap,
        body: &[u8],
        now: SystemTime,
    ) -> Result<Identity, TrustError> {
        let fields = IdentityFields::read(headers)?;
        match self.mode {
            TrustMode::SharedSecret => self.verify_secret(headers)?,
            TrustMode::Hmac => self.verify_signature(headers, &fields, body, now)?,
        }
        Ok(fields.into_identity())
    }

    fn verify_secret(&self, headers: &HeaderMap) -> Result<(), TrustError> {
        let presented = header(headers, SECRET_HEADER)?.ok_or(TrustError::Missing)?;
        let presented = hex::decode(presented).map_err(|_| TrustError::Mismatch)?;
        // Comparing MACs of both keeps the comparison constant-time.
        let mut mac = self.mac();
        mac.update(&presented);
        let mut expected = self.mac();
        expected.update(&self.secret);
        mac.verify_slice(&expected.finalize().into_bytes())
            .map_err(|_| TrustError::Mismatch)
    }

    fn verify_signature(
        &self,
        headers: &HeaderMap,
        fields: &IdentityFields,
        body: &[u8],
        now: SystemTime,
    ) -> Result<(), TrustError> {
        let signature = header(headers, SIGNATURE_HEADER)?.ok_or(TrustError::Missing)?;
        let timestamp = header(headers, TIMESTAMP_HEADER)?.ok_or(TrustError::Missing)?;
        let signed_at: u64 = timestamp
            .parse()
            .map_err(|_| TrustError::Malformed(TIMESTAMP_HEADER))?;
        let skew = unix_seconds(now).abs_diff(signed_at);
        if skew > self.max_skew.as_secs() {
            return Err(TrustError::Stale(skew));
        }
        let signature = hex::decode(signature).map_err(|_| TrustError::Mismatch)?;
        self.signing_mac(timestamp, fields, body)
            .verify_slice(&signature)
            .map_err(|_| TrustError::Mismatch)
    }

    fn sign(&self, timestamp: &str, fields: &IdentityFields, body: &[u8]) -> String {
        hex::encode(
            self.signing_mac(timestamp, fields, body)
                .finalize()
                .into_bytes(),
        )
    }

    fn signing_mac(&self, timestamp: &str, fields: &IdentityFields, body: &[u8]) -> HmacSha256 {
        let mut mac = self.mac();
        let body_digest = hex::encode(Sha256::digest(body));
        // Newlines cannot occur in header values, so the fields cannot run together.
        let message = format!(
            "fitgraph-v1\n{timestamp}\n{}\n{}\n{}\n{body_digest}",
            fields.user, fields.scopes, fields.client
        );
        mac.update(message.as_bytes());
        mac
    }

    fn mac(&self) -> HmacSha256 {
        HmacSha256::new_from_slice(&self.secret).expect("HMAC accepts keys of any length")
    }
}

/// The identity as header strings; empty means absent.
struct IdentityFields {
    user: String,
    scopes: String,
    client: String,
}

impl IdentityFields {
    fn of(identity: &Identity) -> Self {
        Self {
            user: identity.user_id.clone().unwrap_or_default(),
            scopes: identity.scopes_string(),
            client: identity.client.clone().unwrap_or_default(),
        }
    }

    fn read(headers: &HeaderMap) -> Result<Self, TrustError> {
        Ok(Self {
            user: header(headers, USER_HEADER)?.unwrap_or_default().to_owned(),
            scopes: header(headers, SCOPES_HEADER)?
                .unwrap_or_default()
                .to_owned(),
            client: header(headers, CLIENT_HEADER)?
                .unwrap_or_default()
                .to_owned(),
        })
    }

    fn into_identity(self) -> Identity {
        Identity {
            user_id: Some(self.user).filter(|user| !user.is_empty()),
            scopes: Identity::parse_scopes(&self.scopes),
            client: Some(self.client).filter(|client| !client.is_empty()),
        }
    }
}

/// Whether `value` can travel as an identity header (visible ASCII, no spaces
/// for ids). The gateway refuses tokens whose subject fails this.
pub fn is_header_safe(value: &str) -> bool {
    !value.is_empty() && value.len() <= 256 && value.bytes().all(|b| b.is_ascii_graphic())
}

fn insert(headers: &mut HeaderMap, name: &'static str, value: &str) {
    if value.is_empty() {
        return;
    }
    match HeaderValue::from_str(value) {
        Ok(value) => {
            headers.insert(HeaderName::from_static(name), value);
        }
        // Identity values are checked with `is_header_safe` before they get here.
        Err(_) => tracing::error!(header = name, "identity value is not a valid header"),
    }
}

fn header<'a>(headers: &'a HeaderMap, name: &'static str) -> Result<Option<&'a str>, TrustError> {
    let mut values = headers.get_all(name).iter();
    let Some(first) = values.next() else {
        return Ok(None);
    };
    if values.next().is_some() {
        return Err(TrustError::Malformed(name));
    }
    first
        .to_str()
        .map(Some)
        .map_err(|_| TrustError::Malformed(name))
}

fn unix_seconds(time: SystemTime) -> u64 {
    time.duration_since(UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs())
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &str = "a-test-secret-that-is-long-enough-0123";

    fn credential(mode: TrustMode) -> GatewayCredential {
        GatewayCredential::new(SECRET, mode).expect("the test secret is long enough")
    }

    fn alice() -> Identity {
        let mut identity = Identity::user("alice", &["editor"]);
        identity.client = Some("web".into());
        identity
    }

    #[test]
    fn both_modes_round_trip_the_identity() {
        let now = SystemTime::now();
        for mode in [TrustMode::SharedSecret, TrustMode::Hmac] {
            let credential = credential(mode);
            let headers = credential.headers(&alice(), b"{}", now);
            assert_eq!(
                credential.verify(&headers, b"{}", now),
                Ok(alice()),
                "{mode:?}"
            );
            let anonymous = credential.headers(&Identity::anonymous(), b"", now);
            assert_eq!(
                credential.verify(&anonymous, b"", now),
                Ok(Identity::anonymous())
            );
        }
    }

    #[test]
    fn a_request_without_the_credential_is_refused() {
        let now = SystemTime::now();
        let mut forged = HeaderMap::new();
        forged.insert(USER_HEADER, HeaderValue::from_static("alice"));
        for mode in [TrustMode::SharedSecret, TrustMode::Hmac] {
            assert_eq!(
                credential(mode).verify(&forged, b"{}", now),
                Err(TrustError::Missing)
            );
        }
    }

    #[test]
    fn another_secret_is_refused() {
        let now = SystemTime::now();
        for mode in [TrustMode::SharedSecret, TrustMode::Hmac] {
            let other = GatewayCredential::generate(mode);
            let headers = other.headers(&alice(), b"{}", now);
            assert_eq!(
                credential(mode).verify(&headers, b"{}", now),
                Err(TrustError::Mismatch)
            );
        }
    }

    #[test]
    fn hmac_covers_the_identity_and_the_body() {
        let now = SystemTime::now();
        let credential = credential(TrustMode::Hmac);
        let headers = credential.headers(&alice(), b"{\"query\":\"{ a }\"}", now);
        assert_eq!(
            credential.verify(&headers, b"{\"query\":\"{ b }\"}", now),
            Err(TrustError::Mismatch)
        );
        let mut escalated = headers.clone();
        escalated.insert(SCOPES_HEADER, HeaderValue::from_static("editor admin"));
        assert_eq!(
            credential.verify(&escalated, b"{\"query\":\"{ a }\"}", now),
            Err(TrustError::Mismatch)
        );
        let mut impersonated = headers;
        impersonated.insert(USER_HEADER, HeaderValue::from_static("bob"));
        assert_eq!(
            credential.verify(&impersonated, b"{\"query\":\"{ a }\"}", now),
            Err(TrustError::Mismatch)
        );
    }

    #[test]
    fn old_signatures_expire() {
        let credential = credential(TrustMode::Hmac);
        let signed_at = SystemTime::now();
        let headers = credential.headers(&alice(), b"", signed_at);
        let later = signed_at + Duration::from_secs(301);
        assert!(matches!(
            credential.verify(&headers, b"", later),
            Err(TrustError::Stale(301))
        ));
        let soon = signed_at + Duration::from_secs(299);
        assert!(credential.verify(&headers, b"", soon).is_ok());
    }

    #[test]
    fn short_secrets_and_repeated_headers_are_refused() {
        assert_eq!(
            GatewayCredential::new("short", TrustMode::Hmac).unwrap_err(),
            TrustError::WeakSecret
        );
        let now = SystemTime::now();
        let credential = credential(TrustMode::SharedSecret);
        let mut headers = credential.headers(&alice(), b"", now);
        headers.append(USER_HEADER, HeaderValue::from_static("bob"));
        assert_eq!(
            credential.verify(&headers, b"", now),
            Err(TrustError::Malformed(USER_HEADER))
        );
    }

    #[test]
    fn header_safety() {
        assert!(is_header_safe("018f6a2e-0000-7000-8000-000000000001"));
        assert!(!is_header_safe("two words"));
        assert!(!is_header_safe(""));
        assert!(!is_header_safe("line\nbreak"));
    }
}
