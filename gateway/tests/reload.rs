//! Replacing the supergraph of a serving gateway: a valid change is served without
//! one failed request under load; an invalid file is refused and the old supergraph
//! keeps serving.

use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::time::Duration;

use fitgraph_gateway::live::{LiveGateway, Reload, SupergraphFile};
use fitgraph_gateway::server::{self, FrontDoor, ServerConfig};
use fitgraph_gateway::{AnonymousAccess, Gateway, GatewayConfig};
use serde_json::{Value, json};

const SUPERGRAPH: &str = include_str!("fixtures/server/supergraph.graphql");
const QUERY_FIELD: &str = "greeting(id: ID!): Greeting\n";

/// The fixture with one more root field: visible through introspection once served.
fn with_farewell() -> String {
    SUPERGRAPH.replace(
        QUERY_FIELD,
        "greeting(id: ID!): Greeting\n  farewell: String\n",
    )
}

fn config() -> GatewayConfig {
    GatewayConfig {
        anonymous_access: AnonymousAccess::Everything,
        ..GatewayConfig::default()
    }
}

async fn serve(live: LiveGateway) -> String {
    let router = server::router(live, FrontDoor::anonymous_only(), &ServerConfig::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .expect("a free port on localhost");
    let address = listener.local_addr().expect("bound");
    tokio::spawn(server::serve(listener, router, std::future::pending()));
    format!("http://{address}/graphql")
}

async fn root_fields(client: &reqwest::Client, url: &str) -> Vec<String> {
    let answer: Value = client
        .post(url)
        .json(&json!({ "query": "{ __type(name: \"Query\") { fields { name } } }" }))
        .send()
        .await
        .expect("the gateway answers")
        .json()
        .await
        .expect("a JSON body");
    answer["data"]["__type"]["fields"]
        .as_array()
        .unwrap_or_else(|| panic!("no fields in {answer}"))
        .iter()
        .filter_map(|field| field["name"].as_str().map(str::to_owned))
        .collect()
}

/// Requests `{ __typename }` in a loop on `workers` connections until `stop`,
/// counting answers and failures.
fn load(
    url: &str,
    workers: usize,
    stop: &Arc<AtomicBool>,
) -> (
    Arc<AtomicUsize>,
    Arc<AtomicUsize>,
    Vec<tokio::task::JoinHandle<()>>,
) {
    let (answered, failed) = (Arc::new(AtomicUsize::new(0)), Arc::new(AtomicUsize::new(0)));
    let tasks = (0..workers)
        .map(|_| {
            let (url, stop) = (url.to_owned(), stop.clone());
            let (answered, failed) = (answered.clone(), failed.clone());
            tokio::spawn(async move {
                let client = reqwest::Client::new();
                while !stop.load(Ordering::Relaxed) {
                    let ok = match client
                        .post(&url)
                        .json(&json!({ "query": "{ __typename }" }))
                        .send()
                        .await
                    {
                        Ok(response) if response.status().is_success() => response
                            .json::<Value>()
                            .await
                            .is_ok_and(|body| body["data"]["__typename"] == "Query"),
                        _ => false,
                    };
                    let counter = if ok { &answered } else { &failed };
                    counter.fetch_add(1, Ordering::Relaxed);
                }
            })
        })
        .collect();
    (answered, failed, tasks)
}

async fn wait_until(mut condition: impl AsyncFnMut() -> bool) {
    for _ in 0..100 {
        if condition().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("the condition did not hold within 5 s");
}

fn write(path: &Path, text: &str) {
    std::fs::write(path, text).expect("the temp dir is writable");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_supergraph_is_served_under_load_without_a_failed_request() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("supergraph.graphql");
    write(&path, SUPERGRAPH);
    let gateway = Gateway::new(SUPERGRAPH, config()).expect("the fixture is valid");
    let live = LiveGateway::new(Arc::new(gateway));
    let url = serve(live.clone()).await;
    let file = SupergraphFile::new(path.clone(), SUPERGRAPH, config(), live);
    let (nudge, nudged) = tokio::sync::mpsc::channel(1);
    tokio::spawn(file.watch(Duration::ZERO, nudged));
    let client = reqwest::Client::new();
    assert!(
        !root_fields(&client, &url)
            .await
            .contains(&"farewell".to_owned())
    );

    let stop = Arc::new(AtomicBool::new(false));
    let (answered, failed, workers) = load(&url, 4, &stop);
    wait_until(async || answered.load(Ordering::Relaxed) > 50).await;
    write(&path, &with_farewell());
    nudge.send(()).await.expect("the watcher runs");
    wait_until(async || {
        root_fields(&client, &url)
            .await
            .contains(&"farewell".to_owned())
    })
    .await;

    write(&path, "type Query {");
    nudge.send(()).await.expect("the watcher runs");
    wait_until(async || {
        subgraph_common::telemetry::metrics()
            .render()
            .contains("fitgraph_gateway_supergraph_reloads_total{result=\"refused\"}")
    })
    .await;
    let before = answered.load(Ordering::Relaxed);
    wait_until(async || answered.load(Ordering::Relaxed) > before + 50).await;
    stop.store(true, Ordering::Relaxed);
    for worker in workers {
        worker.await.expect("the load worker ends");
    }

    assert_eq!(failed.load(Ordering::Relaxed), 0, "no request failed");
    assert!(
        root_fields(&client, &url)
            .await
            .contains(&"farewell".to_owned()),
        "the last valid supergraph keeps serving after the invalid one"
    );
}

#[tokio::test]
async fn a_reload_says_whether_it_applied_refused_or_found_nothing_new() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("supergraph.graphql");
    write(&path, SUPERGRAPH);
    let gateway = Gateway::new(SUPERGRAPH, config()).expect("the fixture is valid");
    let live = LiveGateway::new(Arc::new(gateway));
    let served = live.current();
    let mut file = SupergraphFile::new(path.clone(), SUPERGRAPH, config(), live.clone());

    assert_eq!(file.reload(), Reload::Unchanged);
    assert!(Arc::ptr_eq(&served, &live.current()));

    write(&path, "schema { query: Nowhere }");
    assert!(matches!(file.reload(), Reload::Refused(reason) if reason.contains("supergraph")));
    assert_eq!(
        file.reload(),
        Reload::Unchanged,
        "a refused file is reported once"
    );
    assert!(
        Arc::ptr_eq(&served, &live.current()),
        "the old gateway keeps serving"
    );

    write(&path, &with_farewell());
    assert_eq!(file.reload(), Reload::Applied);
    assert!(live.current().api_schema_sdl().contains("farewell"));

    std::fs::remove_file(&path).expect("the file exists");
    assert!(matches!(file.reload(), Reload::Refused(reason) if reason.contains("cannot read")));
}
