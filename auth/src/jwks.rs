//! An identity provider's signing keys, as published in a JSON Web Key Set.
//!
//! Only keys that can verify the algorithms the gateway accepts are kept:
//! RSA keys (RS256, at least 2048 bits) and P-256 keys (ES256). Keys meant for
//! encryption, or declared for another algorithm, are skipped rather than
//! refused, so one exotic key does not take down the whole set.

use std::path::{Path, PathBuf};
use std::time::Duration;

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use jsonwebtoken::jwk::{AlgorithmParameters, EllipticCurve, Jwk, KeyAlgorithm, PublicKeyUse};
use jsonwebtoken::{Algorithm, DecodingKey};

use crate::jwt::JwtError;

/// A key set is a few kilobytes; a larger answer is a misconfigured URL, and
/// reading it whole would let that server exhaust our memory.
const MAX_JWKS_BYTES: usize = 1 << 20;

/// A hung key server must not hold verification up (on-demand reloads wait for it).
const FETCH_TIMEOUT: Duration = Duration::from_secs(10);

/// Shorter RSA moduli are factorable in practice.
const MIN_RSA_BITS: usize = 2048;

/// Where a key set is read from.
#[derive(Debug, Clone)]
pub struct JwksSource {
    location: Location,
}

#[derive(Debug, Clone)]
enum Location {
    Url {
        url: String,
        client: reqwest::Client,
    },
    File(PathBuf),
}

impl JwksSource {
    /// A key set served over HTTP(S).
    pub fn url(url: impl Into<String>) -> Result<Self, JwtError> {
        let client = reqwest::Client::builder()
            .timeout(FETCH_TIMEOUT)
            .build()
            .map_err(|error| JwtError::KeySource(format!("HTTP client: {}", chain(&error))))?;
        Ok(Self {
            location: Location::Url {
                url: url.into(),
                client,
            },
        })
    }

    /// A key set in a local file.
    pub fn file(path: impl Into<PathBuf>) -> Self {
        Self {
            location: Location::File(path.into()),
        }
    }

    /// Reads and parses the key set; any failure is a [`JwtError::KeySource`].
    pub async fn load(&self) -> Result<KeySet, JwtError> {
        let bytes = match &self.location {
            Location::Url { url, client } => fetch(client, url).await?,
            Location::File(path) => read(path).await?,
        };
        KeySet::parse(&bytes).map_err(|error| match error {
            JwtError::KeySource(detail) => JwtError::KeySource(format!("{self}: {detail}")),
            other => other,
        })
    }
}

impl std::fmt::Display for JwksSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.location {
            Location::Url { url, .. } => write!(f, "JWKS {url}"),
            Location::File(path) => write!(f, "JWKS file {}", path.display()),
        }
    }
}

async fn fetch(client: &reqwest::Client, url: &str) -> Result<Vec<u8>, JwtError> {
    let unreadable = |detail: String| JwtError::KeySource(format!("JWKS {url}: {detail}"));
    let mut response = client
        .get(url)
        .send()
        .await
        .map_err(|error| unreadable(chain(&error)))?;
    if !response.status().is_success() {
        return Err(unreadable(format!("HTTP status {}", response.status())));
    }
    let too_large = || unreadable(format!("larger than {MAX_JWKS_BYTES} bytes"));
    if response
        .content_length()
        .is_some_and(|length| length > MAX_JWKS_BYTES as u64)
    {
        return Err(too_large());
    }
    let mut body = Vec::new();
    while let Some(chunk) = response
        .chunk()
        .await
        .map_err(|error| unreadable(chain(&error)))?
    {
        if body.len() + chunk.len() > MAX_JWKS_BYTES {
            return Err(too_large());
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

async fn read(path: &Path) -> Result<Vec<u8>, JwtError> {
    let unreadable =
        |detail: String| JwtError::KeySource(format!("JWKS file {}: {detail}", path.display()));
    let bytes = tokio::fs::read(path)
        .await
        .map_err(|error| unreadable(error.to_string()))?;
    if bytes.len() > MAX_JWKS_BYTES {
        return Err(unreadable(format!("larger than {MAX_JWKS_BYTES} bytes")));
    }
    Ok(bytes)
}

/// reqwest's own message omits the cause (refused, timed out, DNS), which is
/// what an operator needs.
fn chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

/// The usable verification keys of one key set.
#[derive(Default)]
pub struct KeySet {
    keys: Vec<VerificationKey>,
}

struct VerificationKey {
    kid: Option<String>,
    algorithm: Algorithm,
    key: DecodingKey,
}

#[derive(serde::Deserialize)]
struct RawKeySet {
    keys: Vec<serde_json::Value>,
}

impl KeySet {
    /// Parses a JWKS document. A set without a single usable key is an error:
    /// it would make every token fail, and is most likely the wrong document.
    pub fn parse(json: &[u8]) -> Result<Self, JwtError> {
        let raw: RawKeySet = serde_json::from_slice(json)
            .map_err(|error| JwtError::KeySource(format!("not a JWKS document: {error}")))?;
        let keys: Vec<_> = raw.keys.into_iter().filter_map(usable_key).collect();
        if keys.is_empty() {
            return Err(JwtError::KeySource(
                "no usable signing key (RSA for RS256 or P-256 for ES256)".into(),
            ));
        }
        Ok(Self { keys })
    }

    /// How many usable keys the set holds.
    pub fn len(&self) -> usize {
        self.keys.len()
    }

    pub fn is_empty(&self) -> bool {
        self.keys.is_empty()
    }

    /// The key for a token signed with `algorithm`: the one with `kid`, or,
    /// for a token without a key id, the only key for that algorithm.
    pub fn find(&self, kid: Option<&str>, algorithm: Algorithm) -> Option<&DecodingKey> {
        let mut candidates = self.keys.iter().filter(|key| key.algorithm == algorithm);
        let found = match kid {
            Some(kid) => candidates.find(|key| key.kid.as_deref() == Some(kid)),
            None => {
                let only = candidates.next()?;
                candidates.next().is_none().then_some(only)
            }
        };
        found.map(|key| &key.key)
    }
}

/// The key as a verification key, or `None` (logged) when it is not one we can use.
fn usable_key(value: serde_json::Value) -> Option<VerificationKey> {
    let kid = value
        .get("kid")
        .and_then(|kid| kid.as_str())
        .map(str::to_owned);
    let skip = |reason: &str| {
        tracing::debug!(kid = ?kid, reason, "skipping JWKS key");
    };
    let jwk: Jwk = match serde_json::from_value(value) {
        Ok(jwk) => jwk,
        Err(error) => {
            skip(&error.to_string());
            return None;
        }
    };
    let Some(algorithm) = signing_algorithm(&jwk) else {
        skip("not a signing key for RS256 or ES256");
        return None;
    };
    if let AlgorithmParameters::RSA(rsa) = &jwk.algorithm
        && modulus_bits(&rsa.n).is_none_or(|bits| bits < MIN_RSA_BITS)
    {
        tracing::warn!(kid = ?kid, "skipping JWKS RSA key shorter than {MIN_RSA_BITS} bits");
        return None;
    }
    match DecodingKey::from_jwk(&jwk) {
        Ok(key) => Some(VerificationKey {
            kid,
            algorithm,
            key,
        }),
        Err(error) => {
            tracing::warn!(kid = ?kid, %error, "skipping malformed JWKS key");
            None
        }
    }
}

/// The one algorithm a key may verify, judged by its type, curve and any
/// declared `alg` and `use`.
fn signing_algorithm(jwk: &Jwk) -> Option<Algorithm> {
    if jwk
        .common
        .public_key_use
        .as_ref()
        .is_some_and(|key_use| *key_use != PublicKeyUse::Signature)
    {
        return None;
    }
    let algorithm = match &jwk.algorithm {
        AlgorithmParameters::RSA(_) => Algorithm::RS256,
        AlgorithmParameters::EllipticCurve(ec) if ec.curve == EllipticCurve::P256 => {
            Algorithm::ES256
        }
        _ => return None,
    };
    match jwk.common.key_algorithm {
        None => Some(algorithm),
        Some(declared) if declared == KeyAlgorithm::from(algorithm) => Some(algorithm),
        Some(_) => None,
    }
}

fn modulus_bits(n: &str) -> Option<usize> {
    let bytes = URL_SAFE_NO_PAD.decode(n).ok()?;
    let significant = bytes.iter().position(|byte| *byte != 0)?;
    let leading_zero_bits = bytes[significant].leading_zeros() as usize;
    Some((bytes.len() - significant) * 8 - leading_zero_bits)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rsa_jwk(kid: &str, extra: serde_json::Value) -> serde_json::Value {
        // 2048 bits: a leading 0x80 byte then 255 more.
        let mut modulus = vec![0x80_u8];
        modulus.extend(std::iter::repeat_n(0x01, 255));
        let mut jwk = serde_json::json!({
            "kty": "RSA", "kid": kid,
            "n": URL_SAFE_NO_PAD.encode(&modulus), "e": "AQAB",
        });
        if let (Some(jwk), Some(extra)) = (jwk.as_object_mut(), extra.as_object()) {
            jwk.extend(extra.clone());
        }
        jwk
    }

    fn parse(keys: Vec<serde_json::Value>) -> Result<KeySet, JwtError> {
        KeySet::parse(serde_json::json!({ "keys": keys }).to_string().as_bytes())
    }

    #[test]
    fn keys_for_other_uses_or_algorithms_are_skipped() {
        let set = parse(vec![
            rsa_jwk("sig", serde_json::json!({"use": "sig", "alg": "RS256"})),
            rsa_jwk("enc", serde_json::json!({"use": "enc"})),
            rsa_jwk("oaep", serde_json::json!({"alg": "RSA-OAEP"})),
            rsa_jwk("pss", serde_json::json!({"alg": "PS256"})),
            serde_json::json!({"kty": "oct", "kid": "hmac", "k": "c2VjcmV0"}),
            serde_json::json!({"kty": "weird", "kid": "unknown"}),
        ])
        .expect("one key is usable");
        assert_eq!(set.len(), 1);
        assert!(set.find(Some("sig"), Algorithm::RS256).is_some());
        assert!(set.find(Some("sig"), Algorithm::ES256).is_none());
        assert!(set.find(Some("enc"), Algorithm::RS256).is_none());
        assert!(set.find(None, Algorithm::RS256).is_some());
    }

    #[test]
    fn short_rsa_keys_are_skipped() {
        let short = serde_json::json!({
            "kty": "RSA", "kid": "short",
            "n": URL_SAFE_NO_PAD.encode([0xff_u8; 128]), "e": "AQAB",
        });
        assert!(matches!(parse(vec![short]), Err(JwtError::KeySource(_))));
        assert_eq!(
            modulus_bits(&URL_SAFE_NO_PAD.encode([0, 0x01, 0xff])),
            Some(9)
        );
    }

    #[test]
    fn a_key_id_is_needed_when_several_keys_fit() {
        let set = parse(vec![
            rsa_jwk("a", serde_json::json!({})),
            rsa_jwk("b", serde_json::json!({})),
        ])
        .expect("both keys are usable");
        assert!(set.find(None, Algorithm::RS256).is_none());
        assert!(set.find(Some("b"), Algorithm::RS256).is_some());
        assert!(set.find(Some("c"), Algorithm::RS256).is_none());
    }

    #[test]
    fn documents_that_are_not_key_sets_are_refused() {
        for document in ["", "[]", "{}", "{\"keys\": 3}", "{\"keys\": []}"] {
            assert!(
                matches!(
                    KeySet::parse(document.as_bytes()),
                    Err(JwtError::KeySource(_))
                ),
                "{document}"
            );
        }
    }
}
