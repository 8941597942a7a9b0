//! Automatic persisted queries (APQ): a client sends only the SHA-256 of its
//! query; when the gateway does not know the hash it answers
//! `PERSISTED_QUERY_NOT_FOUND`, the client resends the query with the hash, and
//! the gateway checks the hash, stores the query and runs it. Later requests
//! with the hash alone find the query in the store.
//!
//! The store is a [`Cache`]: in-process by default, Redis when configured, so
//! every gateway instance sees what any of them stored.

use std::sync::Arc;
use std::time::Duration;

use serde_json::{Map, Value};
use subgraph_common::cache::{Cache, MemoryCache};

use crate::request::{GraphQLRequest, GraphQLResponse, Outcome, error_json};

/// How long a registered query stays in the store unless configured otherwise.
pub const DEFAULT_APQ_TTL: Duration = Duration::from_secs(7 * 24 * 3600);

/// How many queries the default in-process store keeps before evicting.
pub const IN_PROCESS_ENTRIES: u64 = 10_000;

/// The only version of the APQ protocol there is.
const PROTOCOL_VERSION: u64 = 1;

/// The member of `extensions` APQ clients send.
pub const EXTENSION: &str = "persistedQuery";

/// Where registered queries are kept. Clones share the same store.
#[derive(Clone)]
pub struct ApqStore(Arc<dyn Cache>);

impl ApqStore {
    pub fn new(cache: Arc<dyn Cache>) -> Self {
        Self(cache)
    }

    /// A store private to this process (one gateway instance).
    pub fn in_process() -> Self {
        Self(Arc::new(MemoryCache::new(IN_PROCESS_ENTRIES)))
    }
}

impl std::fmt::Debug for ApqStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApqStore").finish_non_exhaustive()
    }
}

/// Whether APQ is on, and where and for how long queries are stored.
#[derive(Debug, Clone)]
pub struct ApqConfig {
    /// Off: requests carrying `extensions.persistedQuery` that no manifest
    /// answers get `PERSISTED_QUERY_NOT_SUPPORTED`.
    pub enabled: bool,
    pub ttl: Duration,
    pub store: ApqStore,
}

impl Default for ApqConfig {
    fn default() -> Self {
        Self {
            enabled: true,
            ttl: DEFAULT_APQ_TTL,
            store: ApqStore::in_process(),
        }
    }
}

/// `extensions.persistedQuery` of a request, checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersistedQuery {
    /// The SHA-256 of the query text, 64 lowercase hexadecimal digits.
    pub hash: String,
}

impl PersistedQuery {
    /// The request's `extensions.persistedQuery`, if it has one. A malformed one
    /// is a request error rather than ignored, so a client bug shows at once.
    pub fn from_request(request: &GraphQLRequest) -> Result<Option<Self>, GraphQLResponse> {
        match request
            .extensions
            .as_ref()
            .and_then(|ext| ext.get(EXTENSION))
        {
            None | Some(Value::Null) => Ok(None),
            Some(Value::Object(member)) => Self::from_member(member).map(Some),
            Some(_) => Err(malformed("`extensions.persistedQuery` must be an object")),
        }
    }

    fn from_member(member: &Map<String, Value>) -> Result<Self, GraphQLResponse> {
        if member.get("version").and_then(Value::as_u64) != Some(PROTOCOL_VERSION) {
            return Err(GraphQLResponse::request_error(
                "PERSISTED_QUERY_VERSION_NOT_SUPPORTED",
                "only version 1 of `extensions.persistedQuery` is supported",
            ));
        }
        let hash = member
            .get("sha256Hash")
            .and_then(Value::as_str)
            .and_then(normalize_sha256)
            .ok_or_else(|| {
                malformed("`extensions.persistedQuery.sha256Hash` must be 64 hexadecimal digits")
            })?;
        Ok(Self { hash })
    }
}

/// `text` as 64 lowercase hexadecimal digits, if it is a SHA-256 in hex.
pub fn normalize_sha256(text: &str) -> Option<String> {
    let is_sha256 = text.len() == 64 && text.bytes().all(|byte| byte.is_ascii_hexdigit());
    is_sha256.then(|| text.to_ascii_lowercase())
}

/// The SHA-256 of `text` as lowercase hexadecimal: a persisted document's id.
pub fn sha256_hex(text: &str) -> String {
    use sha2::{Digest, Sha256};
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn store_key(hash: &str) -> String {
    format!("apq:{hash}")
}

/// The stored query for `hash`. A store that cannot be read counts as a miss:
/// the client then resends the query, so the request still succeeds.
pub(crate) async fn lookup(config: &ApqConfig, hash: &str) -> Option<String> {
    let found = find(config, hash).await;
    let result = if found.is_some() { "hit" } else { "miss" };
    metrics::counter!("fitgraph_gateway_apq_lookups_total", "result" => result).increment(1);
    found
}

async fn find(config: &ApqConfig, hash: &str) -> Option<String> {
    let stored = match config.store.0.get(&store_key(hash)).await {
        Ok(stored) => stored?,
        Err(error) => {
            tracing::warn!(%error, "the APQ store cannot be read; answering as a miss");
            return None;
        }
    };
    // A shared store may hold anything another process wrote; only a query that
    // still matches its hash is run.
    match String::from_utf8(stored) {
        Ok(query) if sha256_hex(&query) == hash => Some(query),
        _ => {
            tracing::warn!(
                hash,
                "the APQ store holds a query that does not match its hash"
            );
            None
        }
    }
}

/// Stores `query` under `hash`; a store that cannot be written is logged and
/// the request runs regardless (it will be registered again next time).
pub(crate) async fn register(config: &ApqConfig, hash: &str, query: &str) {
    metrics::counter!("fitgraph_gateway_apq_registrations_total").increment(1);
    let stored = config
        .store
        .0
        .set(&store_key(hash), query.as_bytes().to_vec(), config.ttl)
        .await;
    if let Err(error) = stored {
        tracing::warn!(%error, "the APQ store cannot be written; the query runs unregistered");
    }
}

/// The hash is unknown: the client should resend it with the query text.
/// The message is the one Apollo clients look for before retrying.
pub(crate) fn not_found() -> GraphQLResponse {
    retry_with_query("PERSISTED_QUERY_NOT_FOUND", "PersistedQueryNotFound")
}

/// APQ is off: the client should stop sending hashes alone.
pub(crate) fn not_supported() -> GraphQLResponse {
    retry_with_query(
        "PERSISTED_QUERY_NOT_SUPPORTED",
        "PersistedQueryNotSupported",
    )
}

pub(crate) fn hash_mismatch() -> GraphQLResponse {
    GraphQLResponse::request_error(
        "PERSISTED_QUERY_HASH_MISMATCH",
        "`extensions.persistedQuery.sha256Hash` is not the SHA-256 of `query`",
    )
}

fn retry_with_query(code: &str, message: &str) -> GraphQLResponse {
    GraphQLResponse::new(
        serde_json::json!({ "errors": [error_json(code, message, None)] }),
        Outcome::PersistedQueryMiss,
    )
}

fn malformed(message: &str) -> GraphQLResponse {
    GraphQLResponse::request_error("BAD_REQUEST", message)
}

#[cfg(test)]
mod tests {
    use serde_json::json;
    use subgraph_common::cache::CacheError;

    use super::*;

    fn request(extensions: Value) -> GraphQLRequest {
        GraphQLRequest {
            extensions: extensions.as_object().cloned(),
            ..GraphQLRequest::default()
        }
    }

    fn code(response: &GraphQLResponse) -> String {
        response.body()["errors"][0]["extensions"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    #[test]
    fn the_hash_of_the_empty_string_is_the_known_one() {
        assert_eq!(
            sha256_hex(""),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        );
    }

    #[test]
    fn the_extension_is_read_and_checked() {
        let upper = "E3B0C44298FC1C149AFBF4C8996FB92427AE41E4649B934CA495991B7852B855";
        let read = PersistedQuery::from_request(&request(
            json!({ "persistedQuery": { "version": 1, "sha256Hash": upper } }),
        ));
        assert_eq!(
            read,
            Ok(Some(PersistedQuery {
                hash: upper.to_ascii_lowercase()
            }))
        );
        assert_eq!(PersistedQuery::from_request(&request(json!({}))), Ok(None));
        let version_two = json!({ "persistedQuery": { "version": 2, "sha256Hash": upper } });
        let refused = PersistedQuery::from_request(&request(version_two)).unwrap_err();
        assert_eq!(code(&refused), "PERSISTED_QUERY_VERSION_NOT_SUPPORTED");
        for bad in [
            json!({ "persistedQuery": "abc" }),
            json!({ "persistedQuery": { "version": 1, "sha256Hash": "abc" } }),
            json!({ "persistedQuery": { "version": 1 } }),
        ] {
            let refused = PersistedQuery::from_request(&request(bad.clone())).unwrap_err();
            assert_eq!(code(&refused), "BAD_REQUEST", "{bad}");
        }
    }

    /// A store whose every call fails, as Redis does when it is down.
    struct Broken;

    #[async_trait::async_trait]
    impl Cache for Broken {
        async fn get(&self, _: &str) -> Result<Option<Vec<u8>>, CacheError> {
            Err(CacheError::Decode(serde_json::Error::io(
                std::io::Error::other("down"),
            )))
        }
        async fn set(&self, _: &str, _: Vec<u8>, _: Duration) -> Result<(), CacheError> {
            self.get("").await.map(|_| ())
        }
        async fn delete(&self, _: &str) -> Result<(), CacheError> {
            self.get("").await.map(|_| ())
        }
    }

    #[tokio::test]
    async fn a_broken_store_is_a_miss_and_registering_does_not_fail() {
        let config = ApqConfig {
            store: ApqStore::new(Arc::new(Broken)),
            ..ApqConfig::default()
        };
        let hash = sha256_hex("{ a }");
        register(&config, &hash, "{ a }").await;
        assert_eq!(lookup(&config, &hash).await, None);
    }

    #[tokio::test]
    async fn a_stored_query_must_match_its_hash() {
        let config = ApqConfig::default();
        let hash = sha256_hex("{ a }");
        register(&config, &hash, "{ a }").await;
        assert_eq!(lookup(&config, &hash).await.as_deref(), Some("{ a }"));
        let other = sha256_hex("{ b }");
        register(&config, &other, "{ a }").await;
        assert_eq!(lookup(&config, &other).await, None);
    }
}
