//! Layered configuration: built-in defaults, then an optional TOML file, then
//! `FITGRAPH_*` environment variables (`__` separates nesting levels, e.g.
//! `FITGRAPH_PROFILE__DATABASE_URL`). The defaults are the embedded setup: one
//! SQLite file per subgraph under `./data/`, ports 4001-4004 on localhost.

use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use figment::Figment;
use figment::providers::{Env, Format, Serialized, Toml};
use serde::{Deserialize, Serialize};

/// The configuration file read when it exists and no other is named.
pub const DEFAULT_CONFIG_FILE: &str = "fitgraph.toml";

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("configuration file {0} does not exist")]
    MissingFile(PathBuf),
    #[error("invalid configuration: {0}")]
    Invalid(#[from] Box<figment::Error>),
    #[error(
        "no gateway secret: set `trust.secret` (or FITGRAPH_TRUST__SECRET) to the same value of at least 32 bytes on the gateway and every subgraph"
    )]
    MissingTrustSecret,
    #[error("`trust.secret` is too short: use at least 32 bytes")]
    WeakTrustSecret,
}

/// The four subgraphs, each owning its own database.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubgraphName {
    Profile,
    Exercises,
    Plans,
    Feedback,
}

impl SubgraphName {
    pub const ALL: [SubgraphName; 4] = [
        SubgraphName::Profile,
        SubgraphName::Exercises,
        SubgraphName::Plans,
        SubgraphName::Feedback,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SubgraphName::Profile => "profile",
            SubgraphName::Exercises => "exercises",
            SubgraphName::Plans => "plans",
            SubgraphName::Feedback => "feedback",
        }
    }
}

impl fmt::Display for SubgraphName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for SubgraphName {
    type Err = String;
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        SubgraphName::ALL
            .into_iter()
            .find(|name| name.as_str() == value)
            .ok_or_else(|| {
                format!("unknown subgraph `{value}` (profile, exercises, plans, feedback)")
            })
    }
}

/// Where one subgraph listens and which database it owns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SubgraphSettings {
    pub port: u16,
    /// A `sqlite://` or `postgres://` URL; unset means a SQLite file under `data_dir`.
    #[serde(default)]
    pub database_url: Option<String>,
    /// Where other processes reach this subgraph's GraphQL endpoint; unset means
    /// `http://{host}:{port}/graphql`.
    #[serde(default)]
    pub url: Option<String>,
}

/// The federation gateway: where it listens and what it accepts.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct GatewaySettings {
    pub port: u16,
    /// How long one subgraph request may take before it counts as failed.
    pub subgraph_timeout_ms: u64,
    /// Larger request bodies are refused.
    pub max_body_bytes: usize,
    /// How deeply an operation's fields may nest.
    pub max_depth: usize,
    /// How many aliased fields an operation may have.
    pub max_aliases: usize,
    /// How many root fields an operation may select.
    pub max_root_fields: usize,
    /// How many lexical tokens an operation document may have.
    #[serde(default = "default_max_tokens")]
    pub max_tokens: usize,
    /// The most an operation may cost: one per field, list fields multiplied by
    /// their `first`/`last`/`limit` argument (else 10).
    #[serde(default = "default_max_cost")]
    pub max_cost: u64,
    #[serde(default)]
    pub rate_limit: RateLimitSettings,
    /// Automatic persisted queries: clients may send a query's hash instead of
    /// its text once the gateway has seen it.
    #[serde(default = "default_apq_enabled")]
    pub apq_enabled: bool,
    /// How long a registered query is kept (in Redis when `redis_url` is set, so
    /// every gateway instance shares it).
    #[serde(default = "default_apq_ttl_secs")]
    pub apq_ttl_secs: u64,
    /// Identical subgraph queries in flight at the same moment (same document,
    /// variables and caller identity) are sent once and the answer shared.
    #[serde(default = "default_dedup_enabled")]
    pub dedup_enabled: bool,
    /// Subgraphs whose queries are never shared.
    #[serde(default)]
    pub dedup_exempt_subgraphs: Vec<String>,
    /// How often `serve gateway` looks for a changed supergraph file (0: only on
    /// SIGHUP). A valid new one replaces the old without dropping requests.
    #[serde(default = "default_supergraph_poll_secs")]
    pub supergraph_poll_secs: u64,
}

fn default_supergraph_poll_secs() -> u64 {
    5
}

fn default_dedup_enabled() -> bool {
    true
}

fn default_apq_enabled() -> bool {
    true
}

fn default_apq_ttl_secs() -> u64 {
    7 * 24 * 3600
}

fn default_max_tokens() -> usize {
    15_000
}

fn default_max_cost() -> u64 {
    50_000
}

/// Token buckets per caller: refilled at `*_per_minute`, holding up to `*_burst`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RateLimitSettings {
    pub enabled: bool,
    /// Per client IP, for callers without credentials.
    pub anonymous_per_minute: u32,
    pub anonymous_burst: u32,
    /// Per signed-in user.
    pub user_per_minute: u32,
    pub user_burst: u32,
    /// Per API-key client, unless its `auth.api_keys` entry sets its own.
    pub api_key_per_minute: u32,
    pub api_key_burst: u32,
}

impl Default for RateLimitSettings {
    fn default() -> Self {
        Self {
            enabled: true,
            anonymous_per_minute: 60,
            anonymous_burst: 30,
            user_per_minute: 600,
            user_burst: 100,
            api_key_per_minute: 1200,
            api_key_burst: 200,
        }
    }
}

impl Default for GatewaySettings {
    fn default() -> Self {
        // The limits mirror `fitgraph_gateway::limits::Limits::default()`, which this
        // crate cannot depend on.
        Self {
            port: 4000,
            subgraph_timeout_ms: 30_000,
            max_body_bytes: 2 * 1024 * 1024,
            max_depth: 32,
            max_aliases: 256,
            max_root_fields: 64,
            max_tokens: default_max_tokens(),
            max_cost: default_max_cost(),
            rate_limit: RateLimitSettings::default(),
            apq_enabled: default_apq_enabled(),
            apq_ttl_secs: default_apq_ttl_secs(),
            dedup_enabled: default_dedup_enabled(),
            dedup_exempt_subgraphs: Vec::new(),
            supergraph_poll_secs: default_supergraph_poll_secs(),
        }
    }
}

/// How subgraphs know a request comes from the gateway.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct TrustSettings {
    /// Shared by the gateway and every subgraph, at least 32 bytes. Required when
    /// they run as separate processes; the embedded default generates one.
    #[serde(default)]
    pub secret: Option<String>,
    /// `hmac` (the secret signs each request) or `shared_secret` (it travels in a header).
    pub mode: fitgraph_auth::TrustMode,
}

impl Default for TrustSettings {
    fn default() -> Self {
        Self {
            secret: None,
            mode: fitgraph_auth::TrustMode::Hmac,
        }
    }
}

impl std::fmt::Debug for TrustSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TrustSettings")
            .field("secret", &self.secret.as_ref().map(|_| "<redacted>"))
            .field("mode", &self.mode)
            .finish()
    }
}

/// A partner client's API key.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct ApiKeySettings {
    pub name: String,
    pub key: String,
    #[serde(default)]
    pub scopes: Vec<String>,
    /// This client's own rate limit; unset uses `gateway.rate_limit.api_key_*`.
    #[serde(default)]
    pub per_minute: Option<u32>,
    #[serde(default)]
    pub burst: Option<u32>,
    /// The client's persisted query manifest (`schema/persisted/<name>.json`):
    /// when set, the client may run only the operations it lists.
    #[serde(default)]
    pub manifest: Option<PathBuf>,
}

impl std::fmt::Debug for ApiKeySettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ApiKeySettings")
            .field("name", &self.name)
            .field("scopes", &self.scopes)
            .field("manifest", &self.manifest)
            .finish_non_exhaustive()
    }
}

/// How the gateway authenticates callers.
#[derive(Clone, PartialEq, Serialize, Deserialize)]
pub struct AuthSettings {
    /// Tokens must carry this `iss`; unset accepts any issuer.
    #[serde(default)]
    pub issuer: Option<String>,
    /// Tokens must carry this `aud`; unset accepts any audience.
    #[serde(default)]
    pub audience: Option<String>,
    /// Accepts HS256 tokens signed with this secret.
    #[serde(default)]
    pub hs256_secret: Option<String>,
    /// Accepts RS256/ES256 tokens signed by a key of this JWKS.
    #[serde(default)]
    pub jwks_url: Option<String>,
    /// Or of the JWKS in this file.
    #[serde(default)]
    pub jwks_file: Option<PathBuf>,
    /// How often the JWKS is re-read.
    pub jwks_refresh_secs: u64,
    /// Clock skew allowed on `exp` and `nbf`.
    pub leeway_secs: u64,
    #[serde(default)]
    pub api_keys: Vec<ApiKeySettings>,
}

impl Default for AuthSettings {
    fn default() -> Self {
        Self {
            issuer: None,
            audience: None,
            hs256_secret: None,
            jwks_url: None,
            jwks_file: None,
            jwks_refresh_secs: 600,
            leeway_secs: 60,
            api_keys: Vec::new(),
        }
    }
}

impl std::fmt::Debug for AuthSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuthSettings")
            .field("issuer", &self.issuer)
            .field("audience", &self.audience)
            .field(
                "hs256_secret",
                &self.hs256_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("jwks_url", &self.jwks_url)
            .field("jwks_file", &self.jwks_file)
            .field("api_keys", &self.api_keys)
            .finish_non_exhaustive()
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    /// The address every subgraph and the gateway bind to.
    pub host: String,
    /// Where the embedded SQLite files live.
    pub data_dir: PathBuf,
    /// Base URL of the CDN that serves exercise videos and thumbnails.
    pub cdn_base_url: String,
    /// Seed the exercise library and demo users when a database is empty.
    pub seed_on_start: bool,
    /// Redis for shared caches and the event bus; unset means in-process caches and an
    /// in-process bus (one process only).
    #[serde(default)]
    pub redis_url: Option<String>,
    #[serde(default)]
    pub events: EventSettings,
    pub profile: SubgraphSettings,
    pub exercises: SubgraphSettings,
    pub plans: SubgraphSettings,
    pub feedback: SubgraphSettings,
    #[serde(default)]
    pub gateway: GatewaySettings,
    #[serde(default)]
    pub trust: TrustSettings,
    #[serde(default)]
    pub auth: AuthSettings,
    #[serde(default)]
    pub recommend: RecommendSettings,
    #[serde(default)]
    pub telemetry: crate::telemetry::TelemetrySettings,
    /// On SIGTERM or Ctrl-C, how long in-flight requests may take to finish before
    /// the process exits anyway.
    #[serde(default = "default_shutdown_grace_secs")]
    pub shutdown_grace_secs: u64,
}

fn default_shutdown_grace_secs() -> u64 {
    30
}

/// The event bus live updates travel on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct EventSettings {
    /// Prefixes every Redis channel, so deployments sharing one Redis stay apart.
    pub namespace: String,
}

impl Default for EventSettings {
    fn default() -> Self {
        EventSettings {
            namespace: "fitgraph".to_owned(),
        }
    }
}

/// How plans recommends workouts and trains its ranker.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RecommendSettings {
    /// Share (0-1) of slots filled with an exercise the user has not tried, for the
    /// variants that explore.
    pub exploration_share: f64,
    /// The share for users with too little feedback to rank for (cold start).
    pub cold_start_exploration_share: f64,
    /// Training days a user needs before ranking trusts their own history.
    pub cold_start_min_training_days: u32,
    /// Retrain in the running service on a schedule.
    pub training_enabled: bool,
    /// Hours between scheduled trainings.
    pub training_interval_hours: u64,
    /// How often (real seconds) the scheduler looks at the clock.
    pub training_check_secs: u64,
    /// Days of history a training reads.
    pub training_window_days: u32,
    /// The most recent days held out to evaluate (and compare) models.
    pub holdout_days: u32,
    /// How often serving checks the registry for a newly promoted model.
    pub model_reload_secs: u64,
}

impl Default for RecommendSettings {
    fn default() -> Self {
        RecommendSettings {
            exploration_share: 0.15,
            cold_start_exploration_share: 0.3,
            cold_start_min_training_days: 6,
            training_enabled: true,
            training_interval_hours: 24,
            training_check_secs: 60,
            training_window_days: 56,
            holdout_days: 7,
            model_reload_secs: 10,
        }
    }
}

impl Default for Settings {
    fn default() -> Self {
        let on_port = |port| SubgraphSettings {
            port,
            database_url: None,
            url: None,
        };
        Settings {
            host: "127.0.0.1".to_owned(),
            data_dir: PathBuf::from("data"),
            cdn_base_url: "https://media.fitgraph.example".to_owned(),
            seed_on_start: true,
            redis_url: None,
            events: EventSettings::default(),
            profile: on_port(4001),
            exercises: on_port(4002),
            plans: on_port(4003),
            feedback: on_port(4004),
            gateway: GatewaySettings::default(),
            trust: TrustSettings::default(),
            auth: AuthSettings::default(),
            recommend: RecommendSettings::default(),
            telemetry: crate::telemetry::TelemetrySettings::default(),
            shutdown_grace_secs: default_shutdown_grace_secs(),
        }
    }
}

impl Settings {
    /// Defaults, then `file` (or `fitgraph.toml` when present), then the environment.
    pub fn load(file: Option<&Path>) -> Result<Settings, ConfigError> {
        let mut figment = Figment::from(Serialized::defaults(Settings::default()));
        match file {
            Some(path) if !path.exists() => return Err(ConfigError::MissingFile(path.to_owned())),
            Some(path) => figment = figment.merge(Toml::file(path)),
            None => figment = figment.merge(Toml::file(DEFAULT_CONFIG_FILE)),
        }
        figment
            .merge(Env::prefixed("FITGRAPH_").split("__"))
            .extract()
            .map_err(|err| ConfigError::Invalid(Box::new(err)))
    }

    pub fn subgraph(&self, name: SubgraphName) -> &SubgraphSettings {
        match name {
            SubgraphName::Profile => &self.profile,
            SubgraphName::Exercises => &self.exercises,
            SubgraphName::Plans => &self.plans,
            SubgraphName::Feedback => &self.feedback,
        }
    }

    /// The GraphQL endpoint of a subgraph, as other subgraphs call it.
    pub fn subgraph_url(&self, name: SubgraphName) -> String {
        let subgraph = self.subgraph(name);
        match &subgraph.url {
            Some(url) => url.clone(),
            None => format!("http://{}:{}/graphql", self.host, subgraph.port),
        }
    }

    /// The gateway credential from `trust`; an error names the setting when the
    /// secret is missing or too short.
    pub fn gateway_credential(&self) -> Result<fitgraph_auth::GatewayCredential, ConfigError> {
        let secret = self
            .trust
            .secret
            .as_deref()
            .ok_or(ConfigError::MissingTrustSecret)?;
        fitgraph_auth::GatewayCredential::new(secret, self.trust.mode)
            .map_err(|_| ConfigError::WeakTrustSecret)
    }

    /// The configured URL, or the embedded SQLite file for that subgraph.
    pub fn database_url(&self, name: SubgraphName) -> String {
        match &self.subgraph(name).database_url {
            Some(url) => url.clone(),
            None => format!("sqlite://{}/{}.db", self.data_dir.display(), name.as_str()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    // figment's Jail fixes the closure's error type.
    #[allow(clippy::result_large_err)]
    fn environment_overrides_file_and_defaults() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "custom.toml",
                "cdn_base_url = \"https://file.example\"\n[plans]\nport = 5003\n",
            )?;
            jail.set_env(
                "FITGRAPH_PLANS__DATABASE_URL",
                "postgres://db.example/plans",
            );
            jail.set_env("FITGRAPH_CDN_BASE_URL", "https://env.example");
            let settings =
                Settings::load(Some(Path::new("custom.toml"))).expect("valid configuration");
            assert_eq!(settings.plans.port, 5003);
            assert_eq!(settings.cdn_base_url, "https://env.example");
            assert_eq!(
                settings.database_url(SubgraphName::Plans),
                "postgres://db.example/plans"
            );
            assert_eq!(
                settings.database_url(SubgraphName::Profile),
                "sqlite://data/profile.db"
            );
            Ok(())
        });
    }

    #[test]
    #[allow(clippy::result_large_err)]
    fn gateway_settings_default_and_nest_like_the_others() {
        figment::Jail::expect_with(|jail| {
            jail.create_file("gateway.toml", "[gateway]\nmax_depth = 12\n")?;
            jail.set_env("FITGRAPH_GATEWAY__PORT", "4100");
            let settings =
                Settings::load(Some(Path::new("gateway.toml"))).expect("valid configuration");
            assert_eq!(settings.gateway.port, 4100);
            assert_eq!(settings.gateway.max_depth, 12);
            assert_eq!(settings.gateway.max_aliases, 256);
            assert_eq!(settings.gateway.subgraph_timeout_ms, 30_000);
            assert_eq!(settings.gateway.max_body_bytes, 2 * 1024 * 1024);
            assert!(settings.gateway.apq_enabled);
            assert_eq!(settings.gateway.apq_ttl_secs, 7 * 24 * 3600);
            Ok(())
        });
    }

    #[test]
    #[allow(clippy::result_large_err)]
    fn api_keys_may_name_a_manifest() {
        figment::Jail::expect_with(|jail| {
            jail.create_file(
                "keys.toml",
                "[gateway]\napq_ttl_secs = 60\n\n[[auth.api_keys]]\nname = \"acme\"\nkey = \"k-1\"\nmanifest = \"schema/persisted/acme.json\"\n\n[[auth.api_keys]]\nname = \"app\"\nkey = \"k-2\"\n",
            )?;
            let settings =
                Settings::load(Some(Path::new("keys.toml"))).expect("valid configuration");
            let manifests: Vec<_> = settings
                .auth
                .api_keys
                .iter()
                .map(|key| key.manifest.clone())
                .collect();
            assert_eq!(
                manifests,
                [Some(PathBuf::from("schema/persisted/acme.json")), None]
            );
            assert_eq!(settings.gateway.apq_ttl_secs, 60);
            assert!(settings.gateway.apq_enabled);
            Ok(())
        });
    }

    #[test]
    fn a_named_file_that_is_missing_is_an_error() {
        let err = Settings::load(Some(Path::new("no-such-file.toml"))).unwrap_err();
        assert!(matches!(err, ConfigError::MissingFile(_)));
    }
}
