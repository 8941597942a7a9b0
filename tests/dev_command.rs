//! The product as a newcomer starts it: the real `fitgraph` binary, all four
//! subgraphs in one process, each answering over HTTP with its federation SDL,
//! and the gateway over them.

use std::collections::HashMap;
use std::process::Stdio;
use std::time::{Duration, SystemTime};

use profile_subgraph::DEMO_USERS;
use serde_json::{Value, json};
use subgraph_common::Identity;
use subgraph_common::testing::{Backend, TEST_SECRET, TestDatabase, test_credential};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

const SUBGRAPHS: [&str; 4] = ["profile", "exercises", "plans", "feedback"];

/// A running `fitgraph dev` and the URL each server printed (the GraphQL endpoint
/// of each subgraph, the base URL of the gateway).
struct DevProcess {
    _child: Child,
    urls: HashMap<String, String>,
    seeded: bool,
    /// The development token printed at start-up.
    token: Option<String>,
}

async fn start_dev(env: &[(String, String)]) -> DevProcess {
    let mut command = Command::new(env!("CARGO_BIN_EXE_fitgraph"));
    command
        .arg("dev")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true);
    for server in SUBGRAPHS.into_iter().chain(["gateway"]) {
        command.env(format!("FITGRAPH_{}__PORT", server.to_uppercase()), "0");
    }
    command.envs(env.iter().map(|(key, value)| (key, value)));
    let mut child = command
        .spawn()
        .expect("the fitgraph binary was built for this test");
    let stdout = child.stdout.take().expect("stdout is piped");
    let mut lines = BufReader::new(stdout).lines();
    let mut urls = HashMap::new();
    let mut seeded = false;
    let mut token = None;
    let read_until_ready = async {
        while let Some(line) = lines.next_line().await.expect("stdout is readable") {
            if line.starts_with("ready") {
                return;
            }
            seeded |= line.starts_with("seeded:");
            if let Some(printed) = line.trim().strip_prefix("Authorization: Bearer ") {
                token = Some(printed.to_owned());
            }
            if let Some((name, url)) = line.split_once(" listening on ") {
                urls.insert(name.trim().to_owned(), url.trim().to_owned());
            }
        }
        panic!("fitgraph dev exited before it was ready");
    };
    tokio::time::timeout(Duration::from_secs(600), read_until_ready)
        .await
        .expect("fitgraph dev becomes ready within ten minutes");
    DevProcess {
        _child: child,
        urls,
        seeded,
        token,
    }
}

/// POSTs to a subgraph with the gateway credential (the test knows the secret).
async fn post(url: &str, query: &str) -> Value {
    let body = serde_json::to_vec(&json!({ "query": query })).expect("JSON serialises");
    let headers = test_credential().headers(&Identity::anonymous(), &body, SystemTime::now());
    let response = reqwest::Client::new()
        .post(url)
        .header("content-type", "application/json")
        .headers(headers)
        .body(body)
        .send()
        .await
        .expect("the subgraph answers");
    assert!(
        response.status().is_success(),
        "{url} answered {}",
        response.status()
    );
    response.json().await.expect("a JSON GraphQL response")
}

/// The gateway started by `dev`: health, explorer, and a query through it.
async fn gateway_answers(base: &str) {
    assert!(
        !base.ends_with(":0"),
        "the gateway line shows the bound port: {base}"
    );
    let client = reqwest::Client::new();
    let health = client
        .get(format!("{base}/health"))
        .send()
        .await
        .expect("the gateway answers");
    assert_eq!(health.status(), reqwest::StatusCode::OK);
    let explorer = client
        .get(format!("{base}/"))
        .send()
        .await
        .expect("the gateway answers");
    assert_eq!(explorer.status(), reqwest::StatusCode::OK);
    let html = explorer.text().await.expect("a text body");
    assert!(html.contains("<html"), "GET / is not HTML: {html}");
    let body = gateway_post(base, None, "{ __typename }").await;
    assert_eq!(body, json!({ "data": { "__typename": "Query" } }));
}

async fn gateway_post(base: &str, token: Option<&str>, query: &str) -> Value {
    let mut request = reqwest::Client::new()
        .post(format!("{base}/graphql"))
        .json(&json!({ "query": query }));
    if let Some(token) = token {
        request = request.bearer_auth(token);
    }
    let response = request.send().await.expect("the gateway answers");
    response.json().await.expect("a JSON GraphQL response")
}

/// The printed token, and one from `fitgraph token`, are the demo user's; the
/// library is public; a direct subgraph call without the credential is refused.
async fn the_demo_is_signed_in(dev: &DevProcess, data_dir: &str) {
    let base = &dev.urls["gateway"];
    let printed = dev
        .token
        .as_deref()
        .expect("dev prints a development token");
    let me = gateway_post(base, Some(printed), "{ me { email } }").await;
    assert_eq!(me["data"]["me"]["email"], DEMO_USERS[0].email, "{me}");
    let anonymous = gateway_post(base, None, "{ me { email } }").await;
    assert_eq!(
        anonymous["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{anonymous}"
    );
    let library = gateway_post(base, None, "{ exercises(first: 1) { totalCount } }").await;
    assert!(
        library["data"]["exercises"]["totalCount"].as_i64() >= Some(5000),
        "{library}"
    );

    let minted = std::process::Command::new(env!("CARGO_BIN_EXE_fitgraph"))
        .args(["token", "--user", &DEMO_USERS[1].id.to_string()])
        .env("FITGRAPH_DATA_DIR", data_dir)
        .output()
        .expect("the binary runs");
    assert!(
        minted.status.success(),
        "{}",
        String::from_utf8_lossy(&minted.stderr)
    );
    let minted = String::from_utf8_lossy(&minted.stdout).trim().to_owned();
    let me = gateway_post(base, Some(&minted), "{ me { email } }").await;
    assert_eq!(me["data"]["me"]["email"], DEMO_USERS[1].email, "{me}");

    let direct = reqwest::Client::new()
        .post(&dev.urls["profile"])
        .header("x-fitgraph-user", DEMO_USERS[0].id.to_string())
        .json(&json!({ "query": "{ me { email } }" }))
        .send()
        .await
        .expect("the subgraph answers");
    assert_eq!(direct.status(), reqwest::StatusCode::UNAUTHORIZED);
    let direct: Value = direct.json().await.expect("a JSON body");
    assert_eq!(
        direct["errors"][0]["extensions"]["code"], "UNAUTHENTICATED",
        "{direct}"
    );
}

async fn environment_for(
    backend: Backend,
    keep: &mut Vec<TestDatabase>,
    data_dir: &str,
) -> Vec<(String, String)> {
    let mut env = vec![
        ("FITGRAPH_DATA_DIR".to_owned(), data_dir.to_owned()),
        // Known to the test so it can call subgraphs as the gateway does.
        ("FITGRAPH_TRUST__SECRET".to_owned(), TEST_SECRET.to_owned()),
    ];
    if backend == Backend::Postgres {
        for subgraph in SUBGRAPHS {
            let db = TestDatabase::create(backend).await;
            env.push((
                format!("FITGRAPH_{}__DATABASE_URL", subgraph.to_uppercase()),
                db.url.clone(),
            ));
            keep.push(db);
        }
    }
    env
}

async fn all_four_subgraphs_answer_with_federation_sdl(backend: Backend) {
    let data_dir = tempfile::tempdir().expect("temp dir");
    let mut databases = Vec::new();
    let env = environment_for(
        backend,
        &mut databases,
        &data_dir.path().display().to_string(),
    )
    .await;
    let dev = start_dev(&env).await;
    assert!(dev.seeded, "the first start seeds the library");
    let expected_keys = [
        ("profile", "type User @key(fields: \"id\")"),
        ("exercises", "type Exercise @key(fields: \"id\")"),
        ("plans", "type Workout @key(fields: \"id\")"),
        ("feedback", "type User @key(fields: \"id\")"),
    ];
    for (subgraph, key) in expected_keys {
        let url = &dev.urls[subgraph];
        let body = post(url, "{ _service { sdl } }").await;
        let sdl = body["data"]["_service"]["sdl"]
            .as_str()
            .expect("an SDL string");
        assert!(
            sdl.contains("extend schema @link("),
            "{subgraph} SDL lacks @link:\n{sdl}"
        );
        assert!(
            sdl.contains("url: \"https://specs.apollo.dev/federation/v2"),
            "{subgraph} is not federation v2"
        );
        assert!(sdl.contains(key), "{subgraph} SDL lacks `{key}`");
    }
    let count = post(
        &dev.urls["exercises"],
        "{ exercises(first: 1) { totalCount } }",
    )
    .await;
    let total = count["data"]["exercises"]["totalCount"]
        .as_i64()
        .expect("a count");
    assert!(total >= 5000, "seeded library has {total} exercises");
    gateway_answers(&dev.urls["gateway"]).await;
    the_demo_is_signed_in(&dev, &data_dir.path().display().to_string()).await;
    drop(dev);

    let again = start_dev(&env).await;
    assert!(
        !again.seeded,
        "a second start keeps the data and does not seed again"
    );
}

subgraph_common::db_tests!(all_four_subgraphs_answer_with_federation_sdl);

#[test]
fn help_explains_every_command() {
    let output = std::process::Command::new(env!("CARGO_BIN_EXE_fitgraph"))
        .arg("--help")
        .output()
        .expect("the binary runs");
    let help = String::from_utf8_lossy(&output.stdout);
    for command in [
        "dev",
        "serve",
        "migrate",
        "seed",
        "import-exercises",
        "sdl",
        "token",
    ] {
        assert!(
            help.contains(command),
            "--help does not mention {command}:\n{help}"
        );
    }
}
