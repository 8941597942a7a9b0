//! `fitgraph serve gateway` as deployments and compatibility suites start it: over
//! a supergraph file, on an address given with `--listen`.

use std::process::Stdio;
use std::time::Duration;

use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

fn serve_gateway(supergraph: &str, listen: &str) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fitgraph"));
    command
        .args([
            "serve",
            "gateway",
            "--supergraph",
            supergraph,
            "--listen",
            listen,
        ])
        .env(
            "FITGRAPH_TRUST__SECRET",
            subgraph_common::testing::TEST_SECRET,
        )
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    command
}

/// Starts the gateway and returns it with the base URL it printed.
async fn start(supergraph: &str) -> (Child, String) {
    let mut child = serve_gateway(supergraph, "127.0.0.1:0")
        .spawn()
        .expect("the fitgraph binary was built for this test");
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut lines = BufReader::new(stdout).lines();
    let read_until_ready = async {
        let mut base = None;
        while let Some(line) = lines.next_line().await.expect("stdout is readable") {
            if line.starts_with("ready") {
                return base.expect("the gateway printed where it listens before `ready`");
            }
            if let Some(url) = line.strip_prefix("gateway listening on ") {
                base = Some(url.trim().to_owned());
            }
        }
        panic!("fitgraph serve gateway exited before it was ready");
    };
    let base = tokio::time::timeout(Duration::from_secs(60), read_until_ready)
        .await
        .expect("the gateway is ready within a minute");
    (child, base)
}

#[tokio::test]
async fn serves_the_checked_in_supergraph_on_the_bound_port() {
    let (_child, base) = start("schema/supergraph.graphql").await;
    let port = base
        .strip_prefix("http://127.0.0.1:")
        .unwrap_or_else(|| panic!("unexpected address {base}"));
    assert_ne!(port, "0", "the line shows the port actually bound");

    let client = reqwest::Client::new();
    let health = client
        .get(format!("{base}/health"))
        .send()
        .await
        .expect("the gateway answers");
    assert_eq!(health.status(), reqwest::StatusCode::OK);
    let health: Value = health.json().await.expect("a JSON body");
    assert_eq!(health, json!({ "status": "ok" }));

    let typename: Value = client
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": "{ __typename }" }))
        .send()
        .await
        .expect("the gateway answers")
        .json()
        .await
        .expect("a JSON body");
    assert_eq!(typename, json!({ "data": { "__typename": "Query" } }));
}

/// Runs `serve gateway` expecting it to fail, and returns its stderr.
async fn failure(supergraph: &str) -> String {
    let run = serve_gateway(supergraph, "127.0.0.1:0").output();
    let output = tokio::time::timeout(Duration::from_secs(20), run)
        .await
        .expect("the gateway refuses to start instead of serving")
        .expect("the binary runs");
    assert!(!output.status.success(), "exited successfully");
    String::from_utf8_lossy(&output.stderr).into_owned()
}

#[tokio::test]
async fn a_missing_supergraph_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("absent.graphql");
    let stderr = failure(&path.display().to_string()).await;
    assert!(
        stderr.starts_with("fitgraph: cannot read the supergraph"),
        "{stderr}"
    );
    assert!(stderr.contains("absent.graphql"), "{stderr}");
}

#[tokio::test]
async fn an_invalid_supergraph_is_a_clear_error() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("plain.graphql");
    std::fs::write(&path, "type Query { hello: String }\n").expect("writable temp dir");
    let stderr = failure(&path.display().to_string()).await;
    assert!(
        stderr.starts_with("fitgraph: cannot start the gateway over"),
        "{stderr}"
    );
    assert!(stderr.contains("plain.graphql"), "{stderr}");
}

#[tokio::test]
async fn without_a_gateway_secret_it_refuses_to_start() {
    let run = serve_gateway("schema/supergraph.graphql", "127.0.0.1:0")
        .env_remove("FITGRAPH_TRUST__SECRET")
        .output();
    let output = tokio::time::timeout(Duration::from_secs(20), run)
        .await
        .expect("the gateway refuses to start instead of serving")
        .expect("the binary runs");
    assert!(!output.status.success(), "exited successfully");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("FITGRAPH_TRUST__SECRET"), "{stderr}");
}
