//! A key-value cache with per-entry time-to-live, behind one trait with two
//! implementations: in-process (the embedded default, bounded in size) and Redis
//! (shared by every instance in production). Both pass the same test suite.

use std::sync::Arc;
use std::time::{Duration, Instant};

use redis::aio::ConnectionManager;

#[derive(Debug, thiserror::Error)]
pub enum CacheError {
    #[error("cannot reach Redis: {0}")]
    Redis(#[from] redis::RedisError),
    #[error("a cached value does not decode: {0}")]
    Decode(#[from] serde_json::Error),
}

#[async_trait::async_trait]
pub trait Cache: Send + Sync {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError>;
    async fn set(&self, key: &str, value: Vec<u8>, ttl: Duration) -> Result<(), CacheError>;
    async fn delete(&self, key: &str) -> Result<(), CacheError>;
}

/// Typed access on top of any cache: values are stored as JSON.
pub async fn get_json<T: serde::de::DeserializeOwned>(
    cache: &dyn Cache,
    key: &str,
) -> Result<Option<T>, CacheError> {
    match cache.get(key).await? {
        Some(bytes) => Ok(Some(serde_json::from_slice(&bytes)?)),
        None => Ok(None),
    }
}

pub async fn set_json<T: serde::Serialize>(
    cache: &dyn Cache,
    key: &str,
    value: &T,
    ttl: Duration,
) -> Result<(), CacheError> {
    cache.set(key, serde_json::to_vec(value)?, ttl).await
}

/// The Redis cache when a URL is configured, otherwise the in-process one.
pub async fn connect(
    redis_url: Option<&str>,
    namespace: &str,
) -> Result<Arc<dyn Cache>, CacheError> {
    match redis_url {
        Some(url) => Ok(Arc::new(RedisCache::connect(url, namespace).await?)),
        None => Ok(Arc::new(MemoryCache::new(100_000))),
    }
}

/// In-process cache holding at most `capacity` entries.
pub struct MemoryCache {
    entries: moka::future::Cache<String, (Arc<[u8]>, Instant)>,
}

impl MemoryCache {
    pub fn new(capacity: u64) -> MemoryCache {
        MemoryCache {
            entries: moka::future::Cache::new(capacity),
        }
    }
}

#[async_trait::async_trait]
impl Cache for MemoryCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        match self.entries.get(key).await {
            Some((value, expires)) if expires > Instant::now() => Ok(Some(value.to_vec())),
            Some(_) => {
                self.entries.invalidate(key).await;
                Ok(None)
            }
            None => Ok(None),
        }
    }

    async fn set(&self, key: &str, value: Vec<u8>, ttl: Duration) -> Result<(), CacheError> {
        self.entries
            .insert(key.to_owned(), (value.into(), Instant::now() + ttl))
            .await;
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        self.entries.invalidate(key).await;
        Ok(())
    }
}

/// Redis cache; keys are prefixed with a namespace so subgraphs sharing a server
/// never see each other's entries. The connection manager reconnects by itself.
pub struct RedisCache {
    connection: ConnectionManager,
    namespace: String,
}

impl RedisCache {
    pub async fn connect(url: &str, namespace: &str) -> Result<RedisCache, CacheError> {
        let client = redis::Client::open(url)?;
        let connection = ConnectionManager::new(client).await?;
        Ok(RedisCache {
            connection,
            namespace: namespace.to_owned(),
        })
    }

    fn key(&self, key: &str) -> String {
        format!("{}:{key}", self.namespace)
    }
}

#[async_trait::async_trait]
impl Cache for RedisCache {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, CacheError> {
        let mut connection = self.connection.clone();
        Ok(redis::cmd("GET")
            .arg(self.key(key))
            .query_async(&mut connection)
            .await?)
    }

    async fn set(&self, key: &str, value: Vec<u8>, ttl: Duration) -> Result<(), CacheError> {
        let mut connection = self.connection.clone();
        // Redis refuses a zero expiry; one millisecond is as good as expired.
        let millis = ttl.as_millis().max(1) as u64;
        redis::cmd("SET")
            .arg(self.key(key))
            .arg(value)
            .arg("PX")
            .arg(millis)
            .query_async::<()>(&mut connection)
            .await?;
        Ok(())
    }

    async fn delete(&self, key: &str) -> Result<(), CacheError> {
        let mut connection = self.connection.clone();
        redis::cmd("DEL")
            .arg(self.key(key))
            .query_async::<()>(&mut connection)
            .await?;
        Ok(())
    }
}
