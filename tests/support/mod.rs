//! The four real subgraphs, each on a fresh database of its own and served over
//! HTTP as `dev` serves them (sharing one event bus), and the real gateway over
//! them with authentication on. Every subgraph counts the `POST /graphql` requests
//! it receives, so tests see how many the gateway sent.

#![allow(dead_code)] // Each test file uses its own part of the rig.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::extract::{Request, State};
use axum::http::Method;
use axum::middleware::{self, Next};
use axum::response::Response;
use fitgraph::runner;
use fitgraph_auth::jwt::{DevToken, JwtConfig, mint_hs256};
use fitgraph_gateway::auth::{ApiKeyConfig, AuthConfig, Authenticator};
use fitgraph_gateway::compose::{SubgraphSdl, compose};
use fitgraph_gateway::server::{FrontDoor, ServerConfig};
use fitgraph_gateway::{Gateway, GatewayConfig};
use sea_orm::DatabaseConnection;
use serde_json::{Value, json};
use subgraph_common::events::EventBus;
use subgraph_common::testing::ws::{self, WsClient};
use subgraph_common::testing::{
    Backend, ObservedBus, TestDatabase, test_credential, test_settings,
};
use subgraph_common::{Settings, SubgraphName, SubgraphSettings};
use tokio::net::TcpListener;
use tokio::task::JoinHandle;

/// What the test gateway verifies bearer tokens with.
pub const TOKEN_SECRET: &str = "end-to-end-token-secret";
pub const ISSUER: &str = "https://issuer.e2e.test";
pub const AUDIENCE: &str = "fitgraph-e2e";

/// Someone calling the gateway: a bearer token, or nobody.
#[derive(Debug, Clone)]
pub struct Caller {
    token: Option<String>,
}

impl Caller {
    pub fn anonymous() -> Self {
        Self { token: None }
    }

    /// A signed-in user with `scopes`, valid for `ttl`.
    pub fn user_with(user_id: &str, scopes: &[&str], ttl: Duration) -> Self {
        Self::signed(TOKEN_SECRET, user_id, scopes, AUDIENCE, ttl)
    }

    /// A token signed with `secret` for `audience`: forged or misdirected ones.
    pub fn signed(
        secret: &str,
        user_id: &str,
        scopes: &[&str],
        audience: &str,
        ttl: Duration,
    ) -> Self {
        let token = DevToken {
            subject: user_id.to_owned(),
            scopes: scopes.iter().map(|scope| (*scope).to_owned()).collect(),
            issuer: Some(ISSUER.to_owned()),
            audience: Some(audience.to_owned()),
            ttl,
        };
        Self {
            token: Some(mint_hs256(secret, &token).expect("minting with a secret works")),
        }
    }

    pub fn user(user_id: &str) -> Self {
        Self::user_with(user_id, &[], Duration::from_secs(600))
    }

    /// A raw `Authorization` bearer value (forged or expired tokens).
    pub fn bearer(token: &str) -> Self {
        Self {
            token: Some(token.to_owned()),
        }
    }
}

/// The four subgraphs on their own databases and the gateway composed over them.
pub struct Stack {
    pub gateway_url: String,
    pub settings: Settings,
    /// The event bus every subgraph of the stack publishes and subscribes on.
    pub bus: Arc<ObservedBus>,
    subgraphs: Vec<RunningSubgraph>,
    http: reqwest::Client,
}

pub struct RunningSubgraph {
    pub name: SubgraphName,
    pub connection: DatabaseConnection,
    pub address: SocketAddr,
    requests: Arc<AtomicUsize>,
    serving: JoinHandle<std::io::Result<()>>,
    /// Kept for the whole test: dropping it removes the database.
    _db: TestDatabase,
}

/// A subgraph's database and bound port, before its router exists.
struct Prepared {
    name: SubgraphName,
    db: TestDatabase,
    listener: TcpListener,
}

impl Stack {
    /// Seeds the exercise catalog and templates into the exercises subgraph's database.
    pub async fn seed_library(&self) {
        let exercises = &self.subgraph(SubgraphName::Exercises).connection;
        exercises_subgraph::seed(exercises, &subgraph_common::Silent)
            .await
            .expect("the exercise catalog seeds");
    }

    pub async fn start(backend: Backend) -> Stack {
        Stack::start_with(backend, |_| {}).await
    }

    /// Like [`Stack::start`], with settings adjusted by `adjust` first.
    pub async fn start_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> Stack {
        Stack::start_on(backend, ObservedBus::in_memory(), adjust).await
    }

    /// Like [`Stack::start_with`], with every subgraph on `bus`.
    pub async fn start_on(
        backend: Backend,
        bus: Arc<ObservedBus>,
        adjust: impl FnOnce(&mut Settings),
    ) -> Stack {
        let mut prepared = Vec::new();
        for name in SubgraphName::ALL {
            prepared.push(prepare(name, backend).await);
        }
        // Every subgraph learns the others' real addresses (feedback reads the
        // exercise catalog from exercises), as `dev` configures them.
        let mut settings = settings_for(&prepared);
        adjust(&mut settings);
        let mut subgraphs = Vec::new();
        let mut sdls = Vec::new();
        for Prepared { name, db, listener } in prepared {
            sdls.push(SubgraphSdl {
                name: name.as_str().to_owned(),
                url: settings.subgraph_url(name),
                sdl: runner::sdl(name),
            });
            subgraphs.push(serve_subgraph(name, db, listener, &settings, bus.clone()).await);
        }
        Stack {
            gateway_url: spawn_gateway(&sdls).await,
            settings,
            bus,
            subgraphs,
            http: reqwest::Client::new(),
        }
    }

    /// Runs an operation through the gateway as `caller`; returns the JSON body.
    pub async fn graphql(&self, caller: &Caller, query: &str, variables: Value) -> Value {
        self.send(caller, query, variables).await.1
    }

    /// Like [`Stack::graphql`], with the HTTP status.
    pub async fn send(&self, caller: &Caller, query: &str, variables: Value) -> (u16, Value) {
        self.send_at(&self.gateway_url, caller, query, variables)
            .await
    }

    /// Runs an operation through the gateway at `gateway_url` (another instance).
    pub async fn graphql_at(
        &self,
        gateway_url: &str,
        caller: &Caller,
        query: &str,
        variables: Value,
    ) -> Value {
        self.send_at(gateway_url, caller, query, variables).await.1
    }

    async fn send_at(
        &self,
        gateway_url: &str,
        caller: &Caller,
        query: &str,
        variables: Value,
    ) -> (u16, Value) {
        let mut request = self
            .http
            .post(gateway_url)
            .json(&json!({ "query": query, "variables": variables }));
        if let Some(token) = &caller.token {
            request = request.bearer_auth(token);
        }
        let response = request.send().await.expect("the gateway answers");
        let status = response.status().as_u16();
        (status, response.json().await.expect("a JSON body"))
    }

    /// Runs an operation that must succeed, and returns its `data`.
    pub async fn ok(&self, caller: &Caller, query: &str, variables: Value) -> Value {
        let response = self.graphql(caller, query, variables).await;
        assert_eq!(response.get("errors"), None, "{response:#}");
        response["data"].clone()
    }

    /// Signs up a new user through the gateway: default onboarding answers with
    /// `answers` laid over them. Returns the user as a caller and their id.
    pub async fn onboard(&self, answers: Value) -> (Caller, String) {
        let id = uuid::Uuid::now_v7().to_string();
        let caller = Caller::user(&id);
        let mut input = json!({
            "displayName": "Sam", "email": format!("{id}@example.test"), "birthYear": 1990,
            "sex": "UNDISCLOSED", "heightCm": 175.0, "weightKg": 72.0,
            "primaryGoal": "GENERAL_FITNESS", "fitnessLevel": "BEGINNER", "daysPerWeek": 3,
            "sessionMinutes": 45, "preferredTimeOfDay": "ANY", "equipment": [],
        });
        if let (Some(input), Value::Object(answers)) = (input.as_object_mut(), answers) {
            input.extend(answers);
        }
        let query = "mutation($input: OnboardingInput!) { createUser(input: $input) { id } }";
        let data = self.ok(&caller, query, json!({ "input": input })).await;
        assert_eq!(data["createUser"]["id"], json!(id));
        (caller, id)
    }

    /// The supergraph composed over the running subgraphs, as the rig's gateway serves it.
    pub fn supergraph(&self) -> String {
        let sdls: Vec<SubgraphSdl> = SubgraphName::ALL
            .into_iter()
            .map(|name| SubgraphSdl {
                name: name.as_str().to_owned(),
                url: self.settings.subgraph_url(name),
                sdl: runner::sdl(name),
            })
            .collect();
        compose(&sdls).expect("the four subgraphs compose")
    }

    /// One more gateway over the same subgraphs, as another instance of a
    /// deployment: `config` with the test credential, bearer tokens as the rig's
    /// gateway verifies them, and these API keys. Returns its `/graphql` URL.
    pub async fn spawn_gateway(
        &self,
        config: GatewayConfig,
        api_keys: Vec<ApiKeyConfig>,
    ) -> String {
        serve_gateway(&self.supergraph(), config, api_keys).await
    }

    /// POSTs to `/graphql` each subgraph received, in `SubgraphName::ALL` order.
    pub fn counts(&self) -> [usize; 4] {
        SubgraphName::ALL.map(|name| self.subgraph(name).requests.load(Ordering::SeqCst))
    }

    pub fn reset_counts(&self) {
        for subgraph in &self.subgraphs {
            subgraph.requests.store(0, Ordering::SeqCst);
        }
    }

    /// Stops the subgraph's server: it accepts nothing more and closes its connections.
    pub async fn stop(&mut self, name: SubgraphName) {
        let serving = &mut self.subgraph_mut(name).serving;
        serving.abort();
        let stopped = serving.await;
        assert!(
            stopped.is_err_and(|err| err.is_cancelled()),
            "{name} was still serving"
        );
    }

    /// Serves a stopped subgraph again on its old address and database.
    pub async fn restart(&mut self, name: SubgraphName) {
        let settings = self.settings.clone();
        let bus: Arc<dyn EventBus> = self.bus.clone();
        let subgraph = self.subgraph_mut(name);
        let listener = TcpListener::bind(subgraph.address)
            .await
            .expect("the stopped subgraph's port is free again");
        let router =
            runner::build_router_with_bus(name, subgraph.connection.clone(), &settings, bus)
                .expect("the test settings are complete");
        let router = counted(router, &subgraph.requests);
        subgraph.serving = tokio::spawn(async move { axum::serve(listener, router).await });
    }

    /// Another instance of subgraph `name` on the same database, with its own
    /// bus (a second process of one deployment). Returns its `/graphql` URL.
    pub async fn spawn_instance(&self, name: SubgraphName, bus: Arc<dyn EventBus>) -> String {
        let connection = self.subgraph(name).connection.clone();
        let router = runner::build_router_with_bus(name, connection, &self.settings, bus)
            .expect("the test settings are complete");
        let listener = TcpListener::bind("127.0.0.1:0")
            .await
            .expect("port 0 is always bindable");
        let address = listener
            .local_addr()
            .expect("a bound listener has an address");
        tokio::spawn(async move { axum::serve(listener, router).await });
        format!("http://{address}/graphql")
    }

    /// Another gateway over the stack's subgraphs, with some of them at other
    /// URLs (other instances). Returns its `/graphql` URL.
    pub async fn spawn_gateway_with(&self, urls: &[(SubgraphName, String)]) -> String {
        let sdls: Vec<SubgraphSdl> = SubgraphName::ALL
            .into_iter()
            .map(|name| SubgraphSdl {
                name: name.as_str().to_owned(),
                url: urls
                    .iter()
                    .find(|(other, _)| *other == name)
                    .map_or_else(|| self.settings.subgraph_url(name), |(_, url)| url.clone()),
                sdl: runner::sdl(name),
            })
            .collect();
        spawn_gateway(&sdls).await
    }

    pub fn subgraph(&self, name: SubgraphName) -> &RunningSubgraph {
        self.subgraphs
            .iter()
            .find(|subgraph| subgraph.name == name)
            .expect("every subgraph runs")
    }

    fn subgraph_mut(&mut self, name: SubgraphName) -> &mut RunningSubgraph {
        self.subgraphs
            .iter_mut()
            .find(|subgraph| subgraph.name == name)
            .expect("every subgraph runs")
    }
}

async fn prepare(name: SubgraphName, backend: Backend) -> Prepared {
    let db = TestDatabase::create(backend).await;
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port 0 is always bindable");
    Prepared { name, db, listener }
}

fn settings_for(prepared: &[Prepared]) -> Settings {
    let mut settings = test_settings();
    for Prepared { name, db, listener } in prepared {
        let address = listener
            .local_addr()
            .expect("a bound listener has an address");
        *subgraph_settings(&mut settings, *name) = SubgraphSettings {
            port: address.port(),
            database_url: Some(db.url.clone()),
            url: Some(format!("http://{address}/graphql")),
        };
    }
    settings
}

fn subgraph_settings(settings: &mut Settings, name: SubgraphName) -> &mut SubgraphSettings {
    match name {
        SubgraphName::Profile => &mut settings.profile,
        SubgraphName::Exercises => &mut settings.exercises,
        SubgraphName::Plans => &mut settings.plans,
        SubgraphName::Feedback => &mut settings.feedback,
    }
}

/// Migrates the subgraph's database and serves its real router, counting requests.
async fn serve_subgraph(
    name: SubgraphName,
    db: TestDatabase,
    listener: TcpListener,
    settings: &Settings,
    bus: Arc<dyn EventBus>,
) -> RunningSubgraph {
    let connection = runner::open_database(name, settings)
        .await
        .unwrap_or_else(|err| panic!("{name} migrates: {err}"));
    runner::start_workers(name, connection.clone(), settings);
    let requests = Arc::new(AtomicUsize::new(0));
    let router = runner::build_router_with_bus(name, connection.clone(), settings, bus)
        .expect("the test settings are complete");
    let router = counted(router, &requests);
    let address = listener
        .local_addr()
        .expect("a bound listener has an address");
    let serving = tokio::spawn(async move { axum::serve(listener, router).await });
    RunningSubgraph {
        name,
        connection,
        address,
        requests,
        serving,
        _db: db,
    }
}

fn counted(router: Router, requests: &Arc<AtomicUsize>) -> Router {
    router.layer(middleware::from_fn_with_state(
        requests.clone(),
        count_graphql_posts,
    ))
}

async fn count_graphql_posts(
    State(requests): State<Arc<AtomicUsize>>,
    request: Request,
    next: Next,
) -> Response {
    if request.method() == Method::POST && request.uri().path() == "/graphql" {
        requests.fetch_add(1, Ordering::SeqCst);
    }
    next.run(request).await
}

/// The gateway over the composed subgraphs, verifying HS256 tokens and signing
/// subgraph requests with the test credential. Returns its `/graphql` URL.
async fn spawn_gateway(subgraphs: &[SubgraphSdl]) -> String {
    let supergraph = compose(subgraphs).expect("the four subgraphs compose");
    serve_gateway(&supergraph, GatewayConfig::default(), Vec::new()).await
}

async fn serve_gateway(
    supergraph: &str,
    config: GatewayConfig,
    api_keys: Vec<ApiKeyConfig>,
) -> String {
    let config = GatewayConfig {
        credential: Some(test_credential()),
        ..config
    };
    let gateway = Gateway::new(supergraph, config).expect("the supergraph is valid");
    let authenticator = Authenticator::new(AuthConfig {
        jwt: Some(JwtConfig {
            hs256_secret: Some(TOKEN_SECRET.to_owned()),
            issuer: Some(ISSUER.to_owned()),
            audience: Some(AUDIENCE.to_owned()),
            ..JwtConfig::default()
        }),
        api_keys,
    })
    .await
    .expect("an HS256 secret needs no loading");
    let front_door = FrontDoor {
        authenticator,
        rate_limiter: None,
    };
    let router =
        fitgraph_gateway::server::router(Arc::new(gateway), front_door, &ServerConfig::default());
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("port 0 is always bindable");
    let address = listener
        .local_addr()
        .expect("a bound listener has an address");
    tokio::spawn(fitgraph_gateway::server::serve(
        listener,
        router,
        std::future::pending(),
    ));
    format!("http://{address}/graphql")
}

/// A client's WebSocket to a gateway in `graphql-transport-ws`, with one subscription.
pub struct LiveClient {
    socket: WsClient,
}

impl LiveClient {
    /// Connects to the gateway at `gateway_url` (its `http://…/graphql`),
    /// authenticates `caller` in `connection_init`, and subscribes as id "1".
    pub async fn subscribe(
        gateway_url: &str,
        caller: &Caller,
        query: &str,
        variables: Value,
    ) -> LiveClient {
        let mut socket = ws::connect(gateway_url, ws::TRANSPORT_WS, None)
            .await
            .expect("the gateway upgrades");
        let payload = match &caller.token {
            Some(token) => json!({ "Authorization": format!("Bearer {token}") }),
            None => json!({}),
        };
        socket
            .send(json!({ "type": "connection_init", "payload": payload }))
            .await;
        assert_eq!(socket.receive().await["type"], "connection_ack");
        let payload = json!({ "query": query, "variables": variables });
        socket
            .send(json!({ "id": "1", "type": "subscribe", "payload": payload }))
            .await;
        LiveClient { socket }
    }

    /// The next protocol message other than a keepalive.
    pub async fn message(&mut self) -> Value {
        self.socket.receive().await
    }

    /// The payload of the next `next` message; panics on anything else.
    pub async fn event(&mut self) -> Value {
        let message = self.message().await;
        assert_eq!(message["type"], "next", "{message:#}");
        message["payload"].clone()
    }
}
