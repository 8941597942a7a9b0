//! The production topology as separate processes of the `fitgraph` binary: four
//! subgraphs, each on its own database, and two gateways over the supergraph composed
//! from them, all exporting traces to a small OTLP receiver this test runs.
//!
//! One cross-subgraph query must come back as one trace holding the gateway's spans
//! and every involved subgraph's; every process must be ready and expose its metrics;
//! SIGTERM must stop a gateway cleanly.
//!
//! SQLite by default; `TEST_DATABASE_URL` and `TEST_REDIS_URL` with `--ignored`
//! run the same on PostgreSQL (a fresh database per subgraph) and Redis.

use std::collections::{BTreeSet, HashMap};
use std::process::Stdio;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::body::Bytes;
use axum::routing::post;
use serde_json::{Value, json};
use subgraph_common::testing::{Backend, TEST_REDIS_URL, TestDatabase};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const SUBGRAPHS: [&str; 4] = ["profile", "exercises", "plans", "feedback"];
const AVA: &str = "0191e0a0-0000-7000-8000-000000000a7a";
const TOKEN_SECRET: &str = "multi-process-test-token-secret-0123456789";
const TODAY: &str =
    "query Today { me { todayWorkout { id title exercises { position exercise { name } } } } }";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sqlite() {
    separate_processes_share_one_trace(Backend::Sqlite).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "PostgreSQL and Redis: set TEST_DATABASE_URL and TEST_REDIS_URL and run with --ignored"]
async fn postgres_and_redis() {
    separate_processes_share_one_trace(Backend::Postgres).await;
}

async fn separate_processes_share_one_trace(backend: Backend) {
    let receiver = OtlpReceiver::start().await;
    let deployment = Deployment::prepare(backend, &receiver.endpoint).await;
    deployment.run(&["seed"]).await;
    let mut subgraphs = Vec::new();
    for name in SUBGRAPHS {
        subgraphs.push(deployment.start(&["serve", name], "listening on").await);
    }
    let supergraph = deployment.dir.path().join("supergraph.graphql");
    let supergraph = supergraph.to_str().expect("temp paths are UTF-8");
    deployment
        .run(&["compose", "--from", "running", "--out", supergraph])
        .await;
    let gateway_args = [
        "serve",
        "gateway",
        "--supergraph",
        supergraph,
        "--listen",
        "127.0.0.1:0",
    ];
    let first = deployment
        .start(&gateway_args, "gateway listening on")
        .await;
    let second = deployment
        .start(&gateway_args, "gateway listening on")
        .await;
    let token = deployment.output(&["token", "--user", AVA]).await;

    let trace_id = "4bf92f3577b34da6a3ce929d0e0e4736";
    let answer = query_today(&first.base, token.trim(), Some(trace_id)).await;
    assert!(answer["errors"].is_null(), "{answer}");
    assert!(
        answer["data"]["me"]["todayWorkout"]["title"].is_string(),
        "{answer}"
    );
    let again = query_today(&second.base, token.trim(), None).await;
    assert_eq!(
        again["data"]["me"]["todayWorkout"]["id"], answer["data"]["me"]["todayWorkout"]["id"],
        "both gateways serve the same stored workout"
    );

    let services = receiver.services_in_trace(trace_id, 5).await;
    for expected in [
        "fitgraph-gateway",
        "fitgraph-profile",
        "fitgraph-plans",
        "fitgraph-feedback",
        "fitgraph-exercises",
    ] {
        assert!(
            services.contains(expected),
            "{expected} missing from the trace: {services:?}"
        );
    }
    let spans = receiver.span_names(trace_id);
    for expected in [
        "query Today",
        "plan",
        "fetch plans",
        "resolve User.todayWorkout",
        "recommend workout",
        "rank candidates",
    ] {
        assert!(
            spans.contains(expected),
            "no `{expected}` span in {spans:?}"
        );
    }

    for server in subgraphs.iter().chain([&first, &second]) {
        assert_ready(&server.base).await;
    }
    let gateway_metrics = metrics(&first.base).await;
    for series in [
        "fitgraph_gateway_requests_total{operation=\"Today\",client=\"user\",outcome=\"ok\"} 1",
        "fitgraph_gateway_request_duration_seconds_bucket",
        "fitgraph_gateway_subgraph_fetch_duration_seconds_bucket{subgraph=\"plans\"",
        "fitgraph_gateway_cache_requests_total{cache=\"plan\",result=\"miss\"} 1",
    ] {
        assert!(
            gateway_metrics.contains(series),
            "no {series} in:\n{gateway_metrics}"
        );
    }
    let plans_metrics = metrics(&subgraphs[2].base).await;
    assert!(
        plans_metrics.contains("fitgraph_subgraph_requests_total{subgraph=\"plans\"}"),
        "{plans_metrics}"
    );

    for server in [first, second] {
        let status = server.terminate().await;
        assert!(
            status.success(),
            "a gateway stops cleanly on SIGTERM: {status}"
        );
    }
}

async fn query_today(base: &str, token: &str, trace_id: Option<&str>) -> Value {
    let mut request = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .bearer_auth(token)
        .json(&json!({ "query": TODAY, "operationName": "Today" }));
    if let Some(trace_id) = trace_id {
        request = request.header("traceparent", format!("00-{trace_id}-00f067aa0ba902b7-01"));
    }
    request
        .send()
        .await
        .expect("the gateway answers")
        .json()
        .await
        .expect("a JSON body")
}

async fn assert_ready(base: &str) {
    let response = reqwest::get(format!("{base}/health/ready"))
        .await
        .expect("the process answers");
    let status = response.status();
    let body: Value = response.json().await.expect("a JSON body");
    assert_eq!(status, reqwest::StatusCode::OK, "{base}: {body}");
    assert_eq!(body["status"], "ready", "{base}: {body}");
}

async fn metrics(base: &str) -> String {
    reqwest::get(format!("{base}/metrics"))
        .await
        .expect("the process answers")
        .text()
        .await
        .expect("a text body")
}

/// The environment every process of one deployment shares.
struct Deployment {
    env: HashMap<String, String>,
    dir: tempfile::TempDir,
    _databases: Vec<TestDatabase>,
}

impl Deployment {
    async fn prepare(backend: Backend, otlp_endpoint: &str) -> Deployment {
        let dir = tempfile::tempdir().expect("a temp dir");
        let mut env = HashMap::from([
            (
                "FITGRAPH_TRUST__SECRET",
                subgraph_common::testing::TEST_SECRET.to_owned(),
            ),
            ("FITGRAPH_AUTH__HS256_SECRET", TOKEN_SECRET.to_owned()),
            ("FITGRAPH_DATA_DIR", dir.path().display().to_string()),
            (
                "FITGRAPH_TELEMETRY__OTLP_ENDPOINT",
                otlp_endpoint.to_owned(),
            ),
            ("FITGRAPH_TELEMETRY__OTLP_PROTOCOL", "http/json".to_owned()),
            ("FITGRAPH_GATEWAY__RATE_LIMIT__ENABLED", "false".to_owned()),
            // Spans leave each process within a fifth of a second.
            ("OTEL_BSP_SCHEDULE_DELAY", "200".to_owned()),
        ]);
        for name in SUBGRAPHS {
            let port = free_port();
            env.insert(
                leak(format!("FITGRAPH_{}__PORT", name.to_uppercase())),
                port.to_string(),
            );
        }
        let mut databases = Vec::new();
        if backend == Backend::Postgres {
            let redis = std::env::var(TEST_REDIS_URL)
                .unwrap_or_else(|_| panic!("this test needs {TEST_REDIS_URL}"));
            env.insert("FITGRAPH_REDIS_URL", redis);
            env.insert(
                "FITGRAPH_EVENTS__NAMESPACE",
                format!("fitgraph-test-{}", uuid::Uuid::new_v4().simple()),
            );
            for name in SUBGRAPHS {
                let database = TestDatabase::create(Backend::Postgres).await;
                let key = leak(format!("FITGRAPH_{}__DATABASE_URL", name.to_uppercase()));
                env.insert(key, database.url.clone());
                databases.push(database);
            }
        }
        Deployment {
            env: env
                .into_iter()
                .map(|(key, value)| (key.to_owned(), value))
                .collect(),
            dir,
            _databases: databases,
        }
    }

    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_fitgraph"));
        command
            .args(args)
            .envs(&self.env)
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true);
        command
    }

    /// Runs a one-shot command to its end; it must succeed.
    async fn run(&self, args: &[&str]) {
        self.output(args).await;
    }

    async fn output(&self, args: &[&str]) -> String {
        let output = tokio::time::timeout(Duration::from_secs(300), self.command(args).output())
            .await
            .unwrap_or_else(|_| panic!("`fitgraph {}` took over 5 minutes", args.join(" ")))
            .expect("the fitgraph binary runs");
        assert!(
            output.status.success(),
            "`fitgraph {}` failed",
            args.join(" ")
        );
        String::from_utf8(output.stdout).expect("UTF-8 output")
    }

    /// Starts a server and waits for `ready`, reading its address from the line
    /// holding `marker`.
    async fn start(&self, args: &[&str], marker: &str) -> Server {
        let mut child = self
            .command(args)
            .spawn()
            .expect("the fitgraph binary runs");
        let stdout = child.stdout.take().expect("stdout is piped");
        let mut lines = BufReader::new(stdout).lines();
        let ready = async {
            let mut base = None;
            while let Some(line) = lines.next_line().await.expect("stdout is readable") {
                if line.starts_with("ready") {
                    return base.expect("the address comes before `ready`");
                }
                if let Some((_, url)) = line.split_once(marker) {
                    let url = url.trim().trim_end_matches("/graphql").to_owned();
                    base = Some(url);
                }
            }
            panic!("`fitgraph {}` exited before it was ready", args.join(" "));
        };
        let base = tokio::time::timeout(Duration::from_secs(120), ready)
            .await
            .unwrap_or_else(|_| panic!("`fitgraph {}` was not ready in 2 minutes", args.join(" ")));
        // Keep draining stdout so the process never blocks on a full pipe.
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Server { child, base }
    }
}

struct Server {
    child: Child,
    base: String,
}

impl Server {
    /// SIGTERM, then waits for the process to exit.
    async fn terminate(mut self) -> std::process::ExitStatus {
        let pid = self.child.id().expect("the process is running");
        let sent = Command::new("kill")
            .args(["-TERM", &pid.to_string()])
            .status()
            .await
            .expect("kill runs");
        assert!(sent.success());
        tokio::time::timeout(Duration::from_secs(30), self.child.wait())
            .await
            .expect("the process exits within 30 s of SIGTERM")
            .expect("the exit status is readable")
    }
}

/// A port nothing listens on right now, for a process to bind next.
fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .expect("a free local port")
        .port()
}

fn leak(text: String) -> &'static str {
    Box::leak(text.into_boxed_str())
}

/// An OTLP/HTTP receiver taking JSON exports, as a collector would.
struct OtlpReceiver {
    endpoint: String,
    exports: Arc<Mutex<Vec<Value>>>,
}

impl OtlpReceiver {
    async fn start() -> OtlpReceiver {
        let exports: Arc<Mutex<Vec<Value>>> = Arc::default();
        let stored = exports.clone();
        let app = Router::new().route(
            "/v1/traces",
            post(move |body: Bytes| {
                let stored = stored.clone();
                async move {
                    let export: Value = serde_json::from_slice(&body).expect("OTLP JSON");
                    stored.lock().expect("not poisoned").push(export);
                    "{}"
                }
            }),
        );
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("a local port");
        let endpoint = format!("http://{}", listener.local_addr().expect("bound"));
        tokio::spawn(async move { axum::serve(listener, app).await });
        OtlpReceiver { endpoint, exports }
    }

    /// Every (service, span name) of `trace_id` received so far.
    fn spans(&self, trace_id: &str) -> Vec<(String, String)> {
        let exports = self.exports.lock().expect("not poisoned");
        let mut found = Vec::new();
        for resource in exports
            .iter()
            .flat_map(|export| as_array(&export["resourceSpans"]))
        {
            let service = as_array(&resource["resource"]["attributes"])
                .find(|attribute| attribute["key"] == "service.name")
                .and_then(|attribute| attribute["value"]["stringValue"].as_str())
                .unwrap_or_default()
                .to_owned();
            let spans =
                as_array(&resource["scopeSpans"]).flat_map(|scope| as_array(&scope["spans"]));
            for span in spans.filter(|span| span["traceId"] == trace_id) {
                let name = span["name"].as_str().unwrap_or_default().to_owned();
                found.push((service.clone(), name));
            }
        }
        found
    }

    /// The services with spans in `trace_id`, once at least `count` have reported
    /// (or after 20 s, whatever arrived).
    async fn services_in_trace(&self, trace_id: &str, count: usize) -> BTreeSet<String> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        loop {
            let services: BTreeSet<String> = self
                .spans(trace_id)
                .into_iter()
                .map(|(service, _)| service)
                .collect();
            if services.len() >= count || tokio::time::Instant::now() > deadline {
                return services;
            }
            tokio::time::sleep(Duration::from_millis(200)).await;
        }
    }

    fn span_names(&self, trace_id: &str) -> BTreeSet<String> {
        self.spans(trace_id)
            .into_iter()
            .map(|(_, name)| name)
            .collect()
    }
}

fn as_array(value: &Value) -> impl Iterator<Item = &Value> {
    value.as_array().into_iter().flatten()
}
