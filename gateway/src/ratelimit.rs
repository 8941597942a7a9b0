//! Per-client request rate limits: a token bucket per client IP, per
//! authenticated user and per API-key client, each refilled at its class's rate.
//!
//! The buckets are governor's GCRA limiters, which keep one timestamp per key and
//! decide with a single atomic update, so a check is cheap enough for every request.

use std::collections::HashMap;
use std::net::IpAddr;
use std::num::NonZeroU32;
use std::time::Duration;

use governor::clock::{Clock, DefaultClock};
use governor::middleware::NoOpMiddleware;
use governor::state::keyed::DashMapStateStore;
use governor::state::{InMemoryState, NotKeyed};

/// One bucket's shape: `burst` requests may arrive at once, and the bucket
/// refills at `per_minute` requests a minute.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
pub struct Quota {
    pub per_minute: u32,
    pub burst: u32,
}

impl Quota {
    /// The governor quota, or why this one cannot be one.
    fn to_governor(self, client: &str) -> Result<governor::Quota, RateLimitError> {
        let zero = |field| RateLimitError::ZeroQuota {
            client: client.to_owned(),
            field,
        };
        let per_minute = NonZeroU32::new(self.per_minute).ok_or_else(|| zero("per_minute"))?;
        let burst = NonZeroU32::new(self.burst).ok_or_else(|| zero("burst"))?;
        // Even u32::MAX a minute leaves a period of several nanoseconds, so `None`
        // (a zero period) cannot happen; it is still reported rather than assumed.
        let quota = governor::Quota::with_period(Duration::from_secs(60) / per_minute.get())
            .ok_or_else(|| zero("per_minute"))?;
        Ok(quota.allow_burst(burst))
    }
}

/// Which quota applies to whom.
#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default)]
pub struct RateLimitConfig {
    /// Each client IP without credentials.
    pub anonymous: Quota,
    /// Each authenticated user id.
    pub user: Quota,
    /// Each API-key client that has no entry in `per_api_key`.
    pub api_key: Quota,
    /// Quotas for particular API-key clients, by client name.
    pub per_api_key: HashMap<String, Quota>,
    /// When false every request is allowed.
    pub enabled: bool,
}

impl Default for RateLimitConfig {
    fn default() -> Self {
        Self {
            anonymous: Quota {
                per_minute: 60,
                burst: 30,
            },
            user: Quota {
                per_minute: 600,
                burst: 100,
            },
            api_key: Quota {
                per_minute: 1200,
                burst: 200,
            },
            per_api_key: HashMap::new(),
            enabled: true,
        }
    }
}

/// Why a rate limiter could not be built from its configuration.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RateLimitError {
    #[error(
        "the {client} rate limit has `{field} = 0`; every quota needs at least 1 \
         (set `enabled = false` to turn rate limiting off)"
    )]
    ZeroQuota { client: String, field: &'static str },
}

/// Who a request is counted against.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum ClientKey {
    /// An API-key client, by its configured name (never the secret itself).
    ApiKey(String),
    /// An authenticated user, by id.
    User(String),
    /// A client without credentials, by address.
    Ip(IpAddr),
}

/// How long a refused client should wait before one request would be allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryAfter(pub Duration);

impl RetryAfter {
    /// The wait in whole seconds for a `Retry-After` header: rounded up, so a
    /// client that obeys it is not refused again, and at least 1, because 0
    /// would invite an immediate retry.
    pub fn seconds(&self) -> u64 {
        let whole = self.0.as_secs();
        let partial = u64::from(self.0.subsec_nanos() > 0);
        whole.saturating_add(partial).max(1)
    }
}

type Keyed<K, C> =
    governor::RateLimiter<K, DashMapStateStore<K>, C, NoOpMiddleware<<C as Clock>::Instant>>;
type Direct<C> =
    governor::RateLimiter<NotKeyed, InMemoryState, C, NoOpMiddleware<<C as Clock>::Instant>>;

/// The buckets of every client. `Send + Sync`; share it behind an `Arc`.
///
/// The clock is a parameter so that tests can move time by hand.
pub struct RateLimiter<C: Clock = DefaultClock> {
    enabled: bool,
    clock: C,
    anonymous: Keyed<IpAddr, C>,
    user: Keyed<String, C>,
    api_key: Keyed<String, C>,
    /// API-key clients with their own quota. Their number is fixed by the
    /// configuration, so unlike the keyed buckets these never need forgetting.
    per_api_key: HashMap<String, Direct<C>>,
}

impl RateLimiter {
    /// Builds the limiter on the real-time clock; a quota with a zero is an error.
    pub fn new(config: &RateLimitConfig) -> Result<Self, RateLimitError> {
        Self::with_clock(config, DefaultClock::default())
    }
}

impl<C: Clock + Clone> RateLimiter<C> {
    /// Builds the limiter on `clock`; a quota with a zero is an error.
    pub fn with_clock(config: &RateLimitConfig, clock: C) -> Result<Self, RateLimitError> {
        let anonymous = keyed(config.anonymous, "anonymous", &clock)?;
        let user = keyed(config.user, "user", &clock)?;
        let api_key = keyed(config.api_key, "api_key", &clock)?;
        let per_api_key = config
            .per_api_key
            .iter()
            .map(|(name, quota)| {
                let quota = quota.to_governor(&format!("per_api_key.{name}"))?;
                let limiter = governor::RateLimiter::direct_with_clock(quota, clock.clone());
                Ok((name.clone(), limiter))
            })
            .collect::<Result<_, RateLimitError>>()?;
        Ok(Self {
            enabled: config.enabled,
            clock,
            anonymous,
            user,
            api_key,
            per_api_key,
        })
    }

    /// Takes one request from `key`'s bucket: `Ok`, or how long until one
    /// request would be allowed.
    pub fn check(&self, key: &ClientKey) -> Result<(), RetryAfter> {
        if !self.enabled {
            return Ok(());
        }
        let decision = match key {
            ClientKey::ApiKey(name) => match self.per_api_key.get(name) {
                Some(limiter) => limiter.check(),
                None => self.api_key.check_key(name),
            },
            ClientKey::User(id) => self.user.check_key(id),
            // An IPv4 client seen through a dual-stack socket arrives as
            // `::ffff:a.b.c.d`; canonical form gives it the same bucket either way.
            ClientKey::Ip(address) => self.anonymous.check_key(&address.to_canonical()),
        };
        decision.map_err(|refused| RetryAfter(refused.wait_time_from(self.clock.now())))
    }

    /// Drops the buckets that are full again, which behave exactly like absent
    /// ones, so a flood of distinct clients cannot grow memory forever. The
    /// server calls it periodically.
    pub fn forget_idle(&self) {
        self.anonymous.retain_recent();
        self.anonymous.shrink_to_fit();
        self.user.retain_recent();
        self.user.shrink_to_fit();
        self.api_key.retain_recent();
        self.api_key.shrink_to_fit();
    }

    /// How many client buckets are held (IPs, users and API keys without an
    /// override), e.g. for a metric.
    pub fn tracked_clients(&self) -> usize {
        self.anonymous
            .len()
            .saturating_add(self.user.len())
            .saturating_add(self.api_key.len())
    }
}

/// One class's buckets, keyed by client.
fn keyed<K, C>(quota: Quota, client: &str, clock: &C) -> Result<Keyed<K, C>, RateLimitError>
where
    K: std::hash::Hash + Eq + Clone,
    C: Clock + Clone,
{
    Ok(governor::RateLimiter::dashmap_with_clock(
        quota.to_governor(client)?,
        clock.clone(),
    ))
}

#[cfg(test)]
mod tests {
    use std::net::Ipv4Addr;

    use governor::clock::FakeRelativeClock;

    use super::*;

    fn quota(per_minute: u32, burst: u32) -> Quota {
        Quota { per_minute, burst }
    }

    /// Every class gets `each`; the clock only moves when a test moves it.
    fn limiter(each: Quota) -> (RateLimiter<FakeRelativeClock>, FakeRelativeClock) {
        let config = RateLimitConfig {
            anonymous: each,
            user: each,
            api_key: each,
            ..RateLimitConfig::default()
        };
        let clock = FakeRelativeClock::default();
        let limiter =
            RateLimiter::with_clock(&config, clock.clone()).expect("the test quotas are non-zero");
        (limiter, clock)
    }

    fn ip(last: u8) -> ClientKey {
        ClientKey::Ip(IpAddr::V4(Ipv4Addr::new(192, 0, 2, last)))
    }

    fn allowed(limiter: &RateLimiter<FakeRelativeClock>, key: &ClientKey, times: usize) -> bool {
        (0..times).all(|_| limiter.check(key).is_ok())
    }

    #[test]
    fn a_burst_is_allowed_then_refused_until_a_token_refills() {
        let (limiter, clock) = limiter(quota(60, 3));
        assert!(allowed(&limiter, &ip(1), 3));
        let refused = limiter.check(&ip(1)).expect_err("the burst is used up");
        assert_eq!(refused.0, Duration::from_secs(1));
        assert_eq!(refused.seconds(), 1);
        clock.advance(Duration::from_millis(999));
        assert!(limiter.check(&ip(1)).is_err());
        clock.advance(Duration::from_millis(1));
        assert!(limiter.check(&ip(1)).is_ok());
        assert!(limiter.check(&ip(1)).is_err());
    }

    #[test]
    fn retry_after_reflects_a_slow_refill() {
        let (limiter, _clock) = limiter(quota(1, 1));
        assert!(limiter.check(&ip(1)).is_ok());
        let refused = limiter.check(&ip(1)).expect_err("one a minute");
        assert_eq!(refused.seconds(), 60);
    }

    #[test]
    fn retry_after_rounds_up_and_is_never_zero() {
        assert_eq!(RetryAfter(Duration::ZERO).seconds(), 1);
        assert_eq!(RetryAfter(Duration::from_millis(1)).seconds(), 1);
        assert_eq!(RetryAfter(Duration::from_millis(1001)).seconds(), 2);
        assert_eq!(RetryAfter(Duration::from_secs(5)).seconds(), 5);
        assert_eq!(RetryAfter(Duration::MAX).seconds(), u64::MAX);
    }

    #[test]
    fn distinct_ips_and_users_have_their_own_buckets() {
        let (limiter, _clock) = limiter(quota(60, 2));
        let alice = ClientKey::User("alice".into());
        let bob = ClientKey::User("bob".into());
        assert!(allowed(&limiter, &ip(1), 2));
        assert!(limiter.check(&ip(1)).is_err());
        assert!(allowed(&limiter, &ip(2), 2));
        assert!(allowed(&limiter, &alice, 2));
        assert!(limiter.check(&alice).is_err());
        assert!(allowed(&limiter, &bob, 2));
        // A user id that looks like an API-key name is still a different client.
        assert!(allowed(&limiter, &ClientKey::ApiKey("alice".into()), 2));
    }

    #[test]
    fn an_ipv4_client_has_one_bucket_whether_or_not_it_is_mapped() {
        let (limiter, _clock) = limiter(quota(60, 2));
        let plain = Ipv4Addr::new(192, 0, 2, 7);
        assert!(limiter.check(&ClientKey::Ip(IpAddr::V4(plain))).is_ok());
        let mapped = ClientKey::Ip(IpAddr::V6(plain.to_ipv6_mapped()));
        assert!(limiter.check(&mapped).is_ok());
        assert!(limiter.check(&mapped).is_err());
    }

    #[test]
    fn an_api_key_override_gives_that_client_its_own_quota() {
        let mut config = RateLimitConfig {
            api_key: quota(60, 1),
            ..RateLimitConfig::default()
        };
        config
            .per_api_key
            .insert("partner".to_owned(), quota(60, 5));
        let limiter = RateLimiter::with_clock(&config, FakeRelativeClock::default())
            .expect("the test quotas are non-zero");
        let partner = ClientKey::ApiKey("partner".into());
        assert!(allowed(&limiter, &partner, 5));
        assert!(limiter.check(&partner).is_err());
        let other = ClientKey::ApiKey("other".into());
        assert!(limiter.check(&other).is_ok());
        assert!(limiter.check(&other).is_err());
        // Overridden clients are not among the forgettable buckets.
        assert_eq!(limiter.tracked_clients(), 1);
    }

    #[test]
    fn a_disabled_limiter_allows_everything() {
        let config = RateLimitConfig {
            anonymous: quota(1, 1),
            enabled: false,
            ..RateLimitConfig::default()
        };
        let limiter = RateLimiter::new(&config).expect("the quotas are non-zero");
        assert!((0..100).all(|_| limiter.check(&ip(1)).is_ok()));
        assert_eq!(limiter.tracked_clients(), 0);
    }

    #[test]
    fn a_zero_quota_is_refused_at_construction() {
        let config = RateLimitConfig {
            user: quota(0, 10),
            ..RateLimitConfig::default()
        };
        let error = RateLimiter::new(&config)
            .err()
            .expect("a zero rate is a config error");
        assert_eq!(
            error.to_string(),
            "the user rate limit has `per_minute = 0`; every quota needs at least 1 \
             (set `enabled = false` to turn rate limiting off)"
        );
        let mut config = RateLimitConfig::default();
        config.per_api_key.insert("ci".to_owned(), quota(10, 0));
        assert_eq!(
            RateLimiter::new(&config).err(),
            Some(RateLimitError::ZeroQuota {
                client: "per_api_key.ci".to_owned(),
                field: "burst",
            })
        );
    }

    #[test]
    fn idle_buckets_are_forgotten_and_busy_ones_kept() {
        let (limiter, clock) = limiter(quota(60, 2));
        assert!(allowed(&limiter, &ip(1), 2));
        assert!(limiter.check(&ClientKey::User("alice".into())).is_ok());
        limiter.forget_idle();
        assert_eq!(limiter.tracked_clients(), 2);
        clock.advance(Duration::from_secs(3600));
        assert!(allowed(&limiter, &ip(2), 2));
        limiter.forget_idle();
        assert_eq!(limiter.tracked_clients(), 1);
        // A forgotten client starts again with a full bucket.
        assert!(allowed(&limiter, &ip(1), 2));
    }

    #[test]
    fn the_config_deserializes_with_defaults_for_what_is_missing() {
        let config: RateLimitConfig = serde_json::from_value(serde_json::json!({
            "user": { "per_minute": 10, "burst": 5 },
            "per_api_key": { "partner": { "per_minute": 5000, "burst": 500 } },
        }))
        .expect("the test config is well formed");
        assert_eq!(config.user, quota(10, 5));
        assert_eq!(config.anonymous, RateLimitConfig::default().anonymous);
        assert_eq!(config.per_api_key.get("partner"), Some(&quota(5000, 500)));
        assert!(config.enabled);
    }

    #[test]
    fn the_limiter_can_be_shared_between_threads() {
        fn assert_send_sync<T: Send + Sync>() {}
        assert_send_sync::<RateLimiter>();
    }
}
