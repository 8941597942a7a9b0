//! `fitgraph persisted build` and `check` as CI and a developer run them, and a
//! gateway that refuses to start with a manifest the supergraph no longer accepts.

use std::io::Read;
use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

const SHIPPED: &str = "schema/persisted/acme-coach.json";

fn fitgraph(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_fitgraph"))
        .args(args)
        .output()
        .expect("the binary runs")
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn path(path: &Path) -> &str {
    path.to_str().expect("temp paths are UTF-8")
}

/// The shipped manifest with its first operation asking for a field the
/// supergraph does not have (its id updated, so only the body is wrong).
fn stale_manifest() -> (String, String) {
    let shipped = std::fs::read_to_string(SHIPPED).expect("the shipped manifest is readable");
    let mut manifest: Value = serde_json::from_str(&shipped).expect("the shipped manifest is JSON");
    let operation = &mut manifest["operations"][0];
    let name = operation["name"].as_str().expect("a name").to_owned();
    let body = operation["body"]
        .as_str()
        .expect("a body")
        .replace("thumbnailUrl", "thumbnailLink");
    operation["id"] = Value::from(fitgraph_gateway::apq::sha256_hex(&body));
    operation["body"] = Value::from(body);
    (manifest.to_string(), name)
}

#[test]
fn check_accepts_the_shipped_manifests() {
    let output = fitgraph(&["persisted", "check"]);
    let stdout = text(&output.stdout);
    assert!(output.status.success(), "{stdout}{}", text(&output.stderr));
    assert!(
        stdout.contains(&format!("{SHIPPED}: ok (5 operations)")),
        "{stdout}"
    );
}

#[test]
fn build_reproduces_the_shipped_manifest_from_its_sources() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = dir.path().join("acme-coach.json");
    let output = fitgraph(&[
        "persisted",
        "build",
        "schema/persisted/acme-coach",
        "--client",
        "acme-coach",
        "--out",
        path(&out),
    ]);
    assert!(output.status.success(), "{}", text(&output.stderr));
    let built = std::fs::read_to_string(&out).expect("build wrote the manifest");
    let shipped = std::fs::read_to_string(SHIPPED).expect("the shipped manifest is readable");
    assert_eq!(
        built, shipped,
        "{SHIPPED} is out of date: fitgraph persisted build schema/persisted/acme-coach --client acme-coach"
    );
}

#[test]
fn check_names_each_broken_operation_and_fails() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (stale, name) = stale_manifest();
    std::fs::write(dir.path().join("stale.json"), stale).expect("writable temp dir");
    std::fs::write(dir.path().join("junk.json"), "{\"format\": 1}").expect("writable temp dir");
    let output = fitgraph(&["persisted", "check", "--dir", path(dir.path())]);
    let stdout = text(&output.stdout);
    let stderr = text(&output.stderr);
    assert!(!output.status.success(), "{stdout}");
    assert!(stdout.contains("stale.json: 1 error(s)"), "{stdout}");
    assert!(
        stdout.contains(&format!("operation `{name}`")) && stdout.contains("thumbnailLink"),
        "{stdout}"
    );
    assert!(
        stdout.contains("junk.json: 1 error(s)")
            && stdout.contains("not a persisted query manifest"),
        "{stdout}"
    );
    assert_eq!(
        stderr.trim(),
        "fitgraph: 2 persisted query manifest(s) have errors"
    );
}

#[test]
fn build_refuses_an_anonymous_operation_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let sources = dir.path().join("sources");
    std::fs::create_dir(&sources).expect("writable temp dir");
    std::fs::write(sources.join("ops.graphql"), "{ exercises { totalCount } }")
        .expect("writable temp dir");
    let out = dir.path().join("client.json");
    let output = fitgraph(&[
        "persisted",
        "build",
        path(&sources),
        "--client",
        "client",
        "--out",
        path(&out),
    ]);
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(
        stderr.contains("ops.graphql: an operation has no name"),
        "{stderr}"
    );
    assert!(!out.exists(), "a failed build wrote a manifest");
}

#[test]
fn the_gateway_refuses_to_start_with_a_stale_manifest() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (stale, name) = stale_manifest();
    let manifest = dir.path().join("acme-coach.json");
    std::fs::write(&manifest, stale).expect("writable temp dir");
    let config = dir.path().join("fitgraph.toml");
    let settings = format!(
        "[[auth.api_keys]]\nname = \"acme-coach\"\nkey = \"k-acme\"\nmanifest = {:?}\n",
        path(&manifest)
    );
    std::fs::write(&config, settings).expect("writable temp dir");
    let mut gateway = Command::new(env!("CARGO_BIN_EXE_fitgraph"))
        .args(["--config", path(&config), "serve", "gateway"])
        .args(["--listen", "127.0.0.1:0"])
        .env(
            "FITGRAPH_TRUST__SECRET",
            subgraph_common::testing::TEST_SECRET,
        )
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary runs");
    // A gateway that starts would serve forever: give it a deadline instead.
    let deadline = Instant::now() + Duration::from_secs(60);
    let status = loop {
        if let Some(status) = gateway.try_wait().expect("the child can be waited on") {
            break status;
        }
        if Instant::now() > deadline {
            let _ = gateway.kill();
            panic!("the gateway started with a stale manifest");
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let mut stderr = String::new();
    if let Some(mut pipe) = gateway.stderr.take() {
        pipe.read_to_string(&mut stderr)
            .expect("stderr is readable");
    }
    assert!(!status.success(), "{stderr}");
    assert!(stderr.contains(path(&manifest)), "{stderr}");
    assert!(
        stderr.contains(&format!("operation `{name}`")) && stderr.contains("thumbnailLink"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"), "{stderr}");
}
