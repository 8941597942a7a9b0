//! Opening, seeding and serving the subgraphs and the gateway, shared by `dev`,
//! `serve`, `migrate` and `seed`.

use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use fitgraph_auth::jwt::JwtConfig;
use fitgraph_gateway::apq::{ApqConfig, ApqStore};
use fitgraph_gateway::auth::{ApiKeyConfig, AuthConfig, Authenticator};
use fitgraph_gateway::executor::DedupConfig;
use fitgraph_gateway::limits::Limits;
use fitgraph_gateway::live::{LiveGateway, SupergraphFile};
use fitgraph_gateway::persisted::{ManifestError, PersistedConfig, load_manifests};
use fitgraph_gateway::ratelimit::{Quota, RateLimitConfig, RateLimiter};
use fitgraph_gateway::server::{FrontDoor, ServerConfig};
use fitgraph_gateway::websocket::WebSocketConfig;
use fitgraph_gateway::{Gateway, GatewayConfig};
use sea_orm::DatabaseConnection;
use subgraph_common::db::{DbError, connect_and_migrate};
use subgraph_common::events::{self, EventBus};
use subgraph_common::server::{Readiness, readiness_router};
use subgraph_common::{Progress, Settings, SubgraphName};
use tokio::net::TcpListener;
use tokio::sync::watch;
use tokio::task::JoinHandle;

type BoxError = Box<dyn std::error::Error + Send + Sync>;

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("{0}")]
    Config(#[from] subgraph_common::config::ConfigError),
    #[error("{subgraph}: {source}")]
    Database {
        subgraph: SubgraphName,
        source: DbError,
    },
    #[error("{server}: cannot listen on {address}: {source}")]
    Bind {
        server: &'static str,
        address: String,
        source: std::io::Error,
    },
    #[error("seeding {subgraph} failed: {source}")]
    Seed {
        subgraph: SubgraphName,
        source: BoxError,
    },
    #[error("cannot read {path}: {source}")]
    ReadFile {
        path: String,
        source: std::io::Error,
    },
    #[error("import failed: {0}")]
    Import(BoxError),
    #[error("{0} record(s) were rejected; the others were imported")]
    RecordsRejected(usize),
    #[error("cannot fetch the SDL from {url}: {reason}")]
    FetchSdl { url: String, reason: String },
    #[error("composition failed:\n{}", .0.iter().map(|err| format!("  - {err}")).collect::<Vec<_>>().join("\n"))]
    Composition(Vec<fitgraph_gateway::compose::CompositionError>),
    #[error("cannot write {path}: {source}")]
    WriteFile {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot read the supergraph {path}: {source}")]
    ReadSupergraph {
        path: String,
        source: std::io::Error,
    },
    #[error("cannot start the gateway over {origin}: {source}")]
    Gateway {
        origin: String,
        source: fitgraph_gateway::GatewayError,
    },
    #[error("{0} stopped unexpectedly: {1}")]
    Stopped(&'static str, String),
    #[error("cannot load the token verification keys: {0}")]
    Auth(String),
    #[error(transparent)]
    Recommend(#[from] plans_subgraph::recommend::RecommendError),
    #[error("no gateway secret: configure `trust.secret` (FITGRAPH_TRUST__SECRET)")]
    NoTrustSecret,
    #[error("the simulation failed: {0}")]
    Simulation(String),
    #[error("no signing key: configure `auth.hs256_secret` to mint tokens")]
    NoSigningKey,
    #[error("cannot mint a token: {0}")]
    Token(String),
    #[error("cannot connect the event bus: {0}")]
    EventBus(#[from] subgraph_common::events::EventBusError),
    #[error(transparent)]
    Manifest(#[from] ManifestError),
    #[error("cannot open the persisted query store: {0}")]
    ApqStore(subgraph_common::cache::CacheError),
    #[error(transparent)]
    PersistedBuild(#[from] fitgraph_gateway::persisted::BuildError),
    #[error("{0} persisted query manifest(s) have errors")]
    PersistedCheck(usize),
    #[error("`{0}` cannot name a client: use letters, digits, `-` and `_`")]
    ClientName(String),
    #[error("seeding a large population failed: {0}")]
    Scale(#[from] crate::scale::ScaleError),
}

/// Connects to a subgraph's own database and applies its migrations.
pub async fn open_database(
    name: SubgraphName,
    settings: &Settings,
) -> Result<DatabaseConnection, RunError> {
    let url = settings.database_url(name);
    let connected = match name {
        SubgraphName::Profile => connect_and_migrate::<profile_subgraph::Migrator>(&url).await,
        SubgraphName::Exercises => connect_and_migrate::<exercises_subgraph::Migrator>(&url).await,
        SubgraphName::Plans => connect_and_migrate::<plans_subgraph::Migrator>(&url).await,
        SubgraphName::Feedback => connect_and_migrate::<feedback_subgraph::Migrator>(&url).await,
    };
    connected.map_err(|source| RunError::Database {
        subgraph: name,
        source,
    })
}

/// The HTTP app of one subgraph over its database, on an in-process event bus of
/// its own (so its events reach only its own subscribers); see
/// [`build_router_with_bus`].
pub fn build_router(
    name: SubgraphName,
    db: DatabaseConnection,
    settings: &Settings,
) -> Result<Router, RunError> {
    build_router_with_bus(name, db, settings, events::in_process())
}

/// The HTTP app of one subgraph over its database, publishing and subscribing on
/// `bus`; it answers only requests carrying the configured gateway credential. For
/// plans it also starts the recommender's background jobs (so it needs a Tokio
/// runtime).
pub fn build_router_with_bus(
    name: SubgraphName,
    db: DatabaseConnection,
    settings: &Settings,
    bus: Arc<dyn EventBus>,
) -> Result<Router, RunError> {
    let credential = settings.gateway_credential()?;
    let readiness = storage_readiness(&db, settings);
    let (router, readiness) = match name {
        SubgraphName::Profile => {
            let schema = profile_subgraph::schema_with_bus(db, settings, bus);
            (profile_subgraph::router(schema, credential), readiness)
        }
        SubgraphName::Exercises => {
            let schema = exercises_subgraph::schema_with_bus(db, settings, bus);
            (exercises_subgraph::router(schema, credential), readiness)
        }
        SubgraphName::Plans => {
            // The recommender's jobs (default experiment, model reloads, scheduled
            // training) belong to the router's recommender, so they start with it.
            let recommender = plans_subgraph::recommender(db.clone(), settings);
            if let Some(recommender) = &recommender {
                tokio::spawn(plans_subgraph::start_recommender_jobs(
                    recommender.clone(),
                    bus.clone(),
                ));
            }
            let readiness = readiness.check("model", model_check(recommender.clone()));
            let schema = plans_subgraph::schema_with(db, recommender, bus);
            (plans_subgraph::router(schema, credential), readiness)
        }
        SubgraphName::Feedback => {
            let schema = feedback_subgraph::schema_with_bus(db, settings, bus);
            (feedback_subgraph::router(schema, credential), readiness)
        }
    };
    Ok(router.merge(readiness_router(readiness)))
}

/// A subgraph is ready when its database answers (it was migrated before the
/// router was built) and, when configured, Redis does.
fn storage_readiness(db: &DatabaseConnection, settings: &Settings) -> Readiness {
    let db = db.clone();
    let readiness = Readiness::default().check("database", move || {
        let db = db.clone();
        async move { db.ping().await.map_err(|error| error.to_string()) }
    });
    with_redis_check(readiness, settings)
}

/// Adds a Redis `PING` to `readiness` when `redis_url` is set.
fn with_redis_check(readiness: Readiness, settings: &Settings) -> Readiness {
    let Some(url) = settings.redis_url.clone() else {
        return readiness;
    };
    readiness.check("redis", move || {
        let url = url.clone();
        async move { ping_redis(&url).await.map_err(|error| error.to_string()) }
    })
}

async fn ping_redis(url: &str) -> redis::RedisResult<()> {
    let client = redis::Client::open(url)?;
    let mut connection = client.get_multiplexed_async_connection().await?;
    redis::cmd("PING").query_async::<()>(&mut connection).await
}

/// Plans is ready to recommend once the promoted ranker serves, or when none was
/// ever promoted (rules only); without a recommender it serves no recommendations
/// by choice.
fn model_check(
    recommender: Option<Arc<plans_subgraph::recommend::Recommender>>,
) -> impl Fn() -> futures::future::BoxFuture<'static, Result<(), String>> + Send + Sync + 'static {
    move || {
        let recommender = recommender.clone();
        Box::pin(async move {
            match recommender {
                Some(recommender) => recommender.model_ready().await,
                None => Ok(()),
            }
        })
    }
}

/// Starts the subgraph's background work: profile's account-deletion worker,
/// which retries purges in the other subgraphs until they succeed. The task runs
/// until the process ends.
pub fn start_workers(name: SubgraphName, db: DatabaseConnection, settings: &Settings) {
    if name == SubgraphName::Profile {
        let deletion = profile_subgraph::DeletionConfig::from_settings(settings);
        drop(profile_subgraph::spawn_deletion_worker(db, deletion));
    }
}

/// The federation SDL a subgraph publishes.
pub fn sdl(name: SubgraphName) -> String {
    match name {
        SubgraphName::Profile => profile_subgraph::sdl(),
        SubgraphName::Exercises => exercises_subgraph::sdl(),
        SubgraphName::Plans => plans_subgraph::sdl(),
        SubgraphName::Feedback => feedback_subgraph::sdl(),
    }
}

/// A running subgraph's `{ _service { sdl } }`, asked with the gateway credential.
pub async fn fetch_sdl(url: &str, settings: &Settings) -> Result<String, RunError> {
    let failed = |reason: String| RunError::FetchSdl {
        url: url.to_owned(),
        reason,
    };
    let credential = settings.gateway_credential()?;
    let body = serde_json::to_vec(&serde_json::json!({ "query": "{ _service { sdl } }" }))
        .expect("a JSON value always serialises");
    let headers = credential.headers(
        &fitgraph_auth::Identity::anonymous(),
        &body,
        std::time::SystemTime::now(),
    );
    let response = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .headers(headers)
        .body(body)
        .send()
        .await
        .map_err(|err| failed(err.to_string()))?;
    let body: serde_json::Value = response
        .json()
        .await
        .map_err(|err| failed(err.to_string()))?;
    body["data"]["_service"]["sdl"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| failed(format!("the answer has no SDL: {body}")))
}

/// What `seed` did.
#[derive(Debug, Default)]
pub struct SeedSummary {
    pub exercises: Option<String>,
    pub demo_users_created: usize,
}

/// Seeds the exercise library and the demo users; what exists already is kept.
pub async fn seed(settings: &Settings, progress: &dyn Progress) -> Result<SeedSummary, RunError> {
    let exercises = open_database(SubgraphName::Exercises, settings).await?;
    let report = exercises_subgraph::seed(&exercises, progress)
        .await
        .map_err(|err| RunError::Seed {
            subgraph: SubgraphName::Exercises,
            source: Box::new(err),
        })?;
    let profile = open_database(SubgraphName::Profile, settings).await?;
    let demo_users_created = profile_subgraph::seed_demo_users(&profile)
        .await
        .map_err(|err| RunError::Seed {
            subgraph: SubgraphName::Profile,
            source: Box::new(err),
        })?;
    Ok(SeedSummary {
        exercises: Some(report.to_string()),
        demo_users_created,
    })
}

/// Seeds only when the exercise library is still empty (the first start).
pub async fn seed_on_first_start(
    settings: &Settings,
    progress: &dyn Progress,
) -> Result<Option<SeedSummary>, RunError> {
    let exercises = open_database(SubgraphName::Exercises, settings).await?;
    let seeded = exercises_subgraph::is_seeded(&exercises)
        .await
        .map_err(|err| RunError::Seed {
            subgraph: SubgraphName::Exercises,
            source: Box::new(err),
        })?;
    if seeded {
        return Ok(None);
    }
    seed(settings, progress).await.map(Some)
}

/// A server (a subgraph or the gateway) running in the background until shutdown
/// is signalled.
pub struct RunningServer {
    pub name: &'static str,
    pub address: SocketAddr,
    pub task: JoinHandle<std::io::Result<()>>,
}

/// Migrates, binds and serves one subgraph on the configured event bus (Redis when
/// `redis_url` is set, else in-process); it stops when `shutdown` turns true.
pub async fn start(
    name: SubgraphName,
    settings: &Settings,
    shutdown: watch::Receiver<bool>,
) -> Result<RunningServer, RunError> {
    let bus = events::from_settings(settings).await?;
    start_with_bus(name, settings, bus, shutdown).await
}

/// [`start`] on `bus`, which the caller may share with other subgraphs of the process.
pub async fn start_with_bus(
    name: SubgraphName,
    settings: &Settings,
    bus: Arc<dyn EventBus>,
    shutdown: watch::Receiver<bool>,
) -> Result<RunningServer, RunError> {
    let db = open_database(name, settings).await?;
    start_workers(name, db.clone(), settings);
    let router = build_router_with_bus(name, db, settings, bus)?;
    let listener = bind(name.as_str(), settings, settings.subgraph(name).port, None).await?;
    let address = local_address(name.as_str(), &listener)?;
    let task = tokio::spawn(subgraph_common::server::serve(
        listener,
        router,
        stopped(shutdown),
    ));
    Ok(RunningServer {
        name: name.as_str(),
        address,
        task,
    })
}

/// Every subgraph, then the gateway over their composed supergraph; the gateway is last.
/// The subgraphs share one event bus, so what one publishes reaches the others'
/// subscribers even when the bus is in-process.
pub async fn start_all(
    settings: &Settings,
    stopped: watch::Receiver<bool>,
) -> Result<Vec<RunningServer>, RunError> {
    let bus = events::from_settings(settings).await?;
    let mut running = Vec::new();
    let mut subgraphs = Vec::new();
    for name in SubgraphName::ALL {
        let subgraph = start_with_bus(name, settings, bus.clone(), stopped.clone()).await?;
        subgraphs.push(fitgraph_gateway::compose::SubgraphSdl {
            name: name.as_str().to_owned(),
            url: format!("http://{}/graphql", subgraph.address),
            sdl: sdl(name),
        });
        running.push(subgraph);
    }
    let supergraph =
        fitgraph_gateway::compose::compose(&subgraphs).map_err(RunError::Composition)?;
    let source = SupergraphSource {
        sdl: &supergraph,
        origin: "the composed supergraph",
        watch: None,
    };
    let gateway = start_gateway(source, settings, None, stopped).await?;
    running.push(gateway);
    Ok(running)
}

/// Where the gateway's supergraph comes from.
pub struct SupergraphSource<'a> {
    pub sdl: &'a str,
    /// For messages: the file, or "the composed supergraph".
    pub origin: &'a str,
    /// A file to watch: a valid change replaces the supergraph without dropping
    /// requests (every `gateway.supergraph_poll_secs`, and on SIGHUP).
    pub watch: Option<&'a Path>,
}

/// Builds the gateway over `source`, binds `listen` (else the configured host and
/// gateway port) and serves it until `shutdown` turns true.
pub async fn start_gateway(
    source: SupergraphSource<'_>,
    settings: &Settings,
    listen: Option<&str>,
    shutdown: watch::Receiver<bool>,
) -> Result<RunningServer, RunError> {
    let config = gateway_config(settings).await?;
    let gateway =
        Gateway::new(source.sdl, config.clone()).map_err(|source_error| RunError::Gateway {
            origin: source.origin.to_owned(),
            source: source_error,
        })?;
    let live = LiveGateway::new(Arc::new(gateway));
    if let Some(path) = source.watch {
        let file = SupergraphFile::new(path.to_owned(), source.sdl, config, live.clone());
        let poll = Duration::from_secs(settings.gateway.supergraph_poll_secs);
        tokio::spawn(file.watch(poll, reload_signals(shutdown.clone())));
    }
    let readiness = with_redis_check(Readiness::default(), settings);
    drain_on_shutdown(&readiness, shutdown.clone());
    let server_config = ServerConfig {
        max_body_bytes: settings.gateway.max_body_bytes,
        websocket: WebSocketConfig {
            // One subscribe message is at most a request body.
            max_message_bytes: settings.gateway.max_body_bytes,
            ..WebSocketConfig::default()
        },
        readiness,
        shutdown: Some(shutdown.clone()),
    };
    let front_door = front_door(settings).await?;
    let router = fitgraph_gateway::server::router(live, front_door, &server_config);
    let listener = bind(GATEWAY, settings, settings.gateway.port, listen).await?;
    let address = local_address(GATEWAY, &listener)?;
    let task = tokio::spawn(fitgraph_gateway::server::serve(
        listener,
        router,
        stopped(shutdown),
    ));
    Ok(RunningServer {
        name: GATEWAY,
        address,
        task,
    })
}

/// A message for each SIGHUP, until shutdown.
fn reload_signals(mut shutdown: watch::Receiver<bool>) -> tokio::sync::mpsc::Receiver<()> {
    let (nudge, nudged) = tokio::sync::mpsc::channel(1);
    tokio::spawn(async move {
        #[cfg(unix)]
        let mut hangups = match tokio::signal::unix::signal(
            tokio::signal::unix::SignalKind::hangup(),
        ) {
            Ok(hangups) => Some(hangups),
            Err(error) => {
                tracing::warn!(%error, "cannot listen for SIGHUP; the supergraph reloads only on its poll");
                None
            }
        };
        loop {
            let hangup = async {
                #[cfg(unix)]
                if let Some(hangups) = hangups.as_mut() {
                    hangups.recv().await;
                    return;
                }
                std::future::pending::<()>().await;
            };
            tokio::select! {
                () = hangup => { let _ = nudge.try_send(()); }
                _ = shutdown.wait_for(|stop| *stop) => return,
            }
        }
    });
    nudged
}

/// Turns `readiness` unready once shutdown starts, so load balancers stop sending
/// new work while in-flight requests finish.
fn drain_on_shutdown(readiness: &Readiness, shutdown: watch::Receiver<bool>) {
    let readiness = readiness.clone();
    tokio::spawn(async move {
        stopped(shutdown).await;
        readiness.drain();
    });
}

/// How the gateway names itself in messages.
const GATEWAY: &str = "gateway";

/// The gateway's configuration from the `gateway`, `trust` and `auth` settings:
/// partner manifests are read here, and the APQ store is Redis when `redis_url`
/// is set (shared by every gateway instance), else in-process.
pub async fn gateway_config(settings: &Settings) -> Result<GatewayConfig, RunError> {
    let gateway = &settings.gateway;
    let apq = ApqConfig {
        enabled: gateway.apq_enabled,
        ttl: Duration::from_secs(gateway.apq_ttl_secs),
        store: apq_store(settings).await?,
    };
    Ok(GatewayConfig {
        subgraph_timeout: Duration::from_millis(gateway.subgraph_timeout_ms),
        limits: limits(settings),
        credential: Some(settings.gateway_credential()?),
        persisted: PersistedConfig {
            manifests: load_manifests(&api_keys(settings))?,
            apq,
        },
        dedup: DedupConfig {
            enabled: gateway.dedup_enabled,
            exempt_subgraphs: gateway.dedup_exempt_subgraphs.iter().cloned().collect(),
        },
        ..GatewayConfig::default()
    })
}

/// The operation limits from the `gateway` settings.
pub fn limits(settings: &Settings) -> Limits {
    let gateway = &settings.gateway;
    Limits {
        max_depth: gateway.max_depth,
        max_aliases: gateway.max_aliases,
        max_root_fields: gateway.max_root_fields,
        max_tokens: gateway.max_tokens,
        max_cost: gateway.max_cost,
    }
}

/// The Redis namespace the gateway keeps its shared state under.
const GATEWAY_NAMESPACE: &str = "fitgraph-gateway";

async fn apq_store(settings: &Settings) -> Result<ApqStore, RunError> {
    let Some(url) = settings.redis_url.as_deref() else {
        return Ok(ApqStore::in_process());
    };
    let redis = subgraph_common::cache::RedisCache::connect(url, GATEWAY_NAMESPACE)
        .await
        .map_err(RunError::ApqStore)?;
    Ok(ApqStore::new(Arc::new(redis)))
}

fn api_keys(settings: &Settings) -> Vec<ApiKeyConfig> {
    settings
        .auth
        .api_keys
        .iter()
        .map(|key| ApiKeyConfig {
            name: key.name.clone(),
            key: key.key.clone(),
            scopes: key.scopes.clone(),
            manifest: key.manifest.clone(),
        })
        .collect()
}

/// Authentication from the `auth` settings; a JWKS is fetched once here.
pub async fn front_door(settings: &Settings) -> Result<FrontDoor, RunError> {
    let auth = &settings.auth;
    let verifies_tokens =
        auth.hs256_secret.is_some() || auth.jwks_url.is_some() || auth.jwks_file.is_some();
    let jwt = verifies_tokens.then(|| JwtConfig {
        issuer: auth.issuer.clone(),
        audience: auth.audience.clone(),
        hs256_secret: auth.hs256_secret.clone(),
        jwks_url: auth.jwks_url.clone(),
        jwks_file: auth.jwks_file.clone(),
        jwks_refresh: Duration::from_secs(auth.jwks_refresh_secs),
        leeway: Duration::from_secs(auth.leeway_secs),
    });
    let api_keys = api_keys(settings);
    let authenticator = Authenticator::new(AuthConfig { jwt, api_keys })
        .await
        .map_err(|error| RunError::Auth(error.to_string()))?;
    let rate_limiter = RateLimiter::new(&rate_limit_config(settings))
        .map_err(|error| RunError::Auth(error.to_string()))?;
    Ok(FrontDoor {
        authenticator,
        rate_limiter: Some(rate_limiter),
    })
}

fn rate_limit_config(settings: &Settings) -> RateLimitConfig {
    let limits = &settings.gateway.rate_limit;
    let quota = |per_minute, burst| Quota { per_minute, burst };
    let default_api_key = quota(limits.api_key_per_minute, limits.api_key_burst);
    let per_api_key = settings
        .auth
        .api_keys
        .iter()
        .filter(|key| key.per_minute.is_some() || key.burst.is_some())
        .map(|key| {
            let own = quota(
                key.per_minute.unwrap_or(default_api_key.per_minute),
                key.burst.unwrap_or(default_api_key.burst),
            );
            (key.name.clone(), own)
        })
        .collect();
    RateLimitConfig {
        enabled: limits.enabled,
        anonymous: quota(limits.anonymous_per_minute, limits.anonymous_burst),
        user: quota(limits.user_per_minute, limits.user_burst),
        api_key: default_api_key,
        per_api_key,
    }
}

/// Binds `listen` when given, else the configured host on `port` (0 picks a free one).
async fn bind(
    server: &'static str,
    settings: &Settings,
    port: u16,
    listen: Option<&str>,
) -> Result<TcpListener, RunError> {
    let bound = match listen {
        Some(address) => TcpListener::bind(address).await,
        None => subgraph_common::server::bind(&settings.host, port).await,
    };
    bound.map_err(|source| RunError::Bind {
        server,
        address: listen.map_or_else(|| format!("{}:{port}", settings.host), str::to_owned),
        source,
    })
}

fn local_address(server: &'static str, listener: &TcpListener) -> Result<SocketAddr, RunError> {
    listener.local_addr().map_err(|source| RunError::Bind {
        server,
        address: "the bound socket".to_owned(),
        source,
    })
}

/// Completes once `shutdown` turns true or its sender goes away.
async fn stopped(mut shutdown: watch::Receiver<bool>) {
    let _ = shutdown.wait_for(|stop| *stop).await;
}
