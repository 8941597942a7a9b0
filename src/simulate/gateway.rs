//! The only way the simulation reaches the system: the gateway's public GraphQL
//! endpoint with a bearer token, exactly as a client app would. Every request sent on
//! a user's or the administrator's behalf is counted, and every failure (transport,
//! non-200, GraphQL error, an answer of the wrong shape) is counted and remembered.

use std::fmt;
use std::net::SocketAddr;
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use serde::de::DeserializeOwned;
use serde_json::{Value, json};

/// How many failure messages are kept for the report; the count covers all of them.
const KEPT_FAILURES: usize = 50;

/// Training a model runs inside one request, so it may take a while.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(15 * 60);

/// Why one request failed.
#[derive(Debug, Clone)]
pub struct Failure {
    /// The first GraphQL error's `extensions.code`, when there was one.
    pub code: Option<String>,
    pub message: String,
}

impl Failure {
    pub fn plain(message: impl Into<String>) -> Failure {
        Failure {
            code: None,
            message: message.into(),
        }
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.code {
            Some(code) => write!(f, "{} ({code})", self.message),
            None => f.write_str(&self.message),
        }
    }
}

pub struct Gateway {
    http: reqwest::Client,
    url: String,
    requests: AtomicU64,
    failed: AtomicU64,
    failures: Mutex<Vec<String>>,
}

impl Gateway {
    pub fn new(address: SocketAddr) -> Gateway {
        let http = reqwest::Client::builder()
            .timeout(REQUEST_TIMEOUT)
            .build()
            .expect("a client without custom TLS or proxies always builds");
        Gateway {
            http,
            url: format!("http://{address}/graphql"),
            requests: AtomicU64::new(0),
            failed: AtomicU64::new(0),
            failures: Mutex::new(Vec::new()),
        }
    }

    /// Sends an operation and counts it; a failure is recorded under `what` and `None`
    /// returned, so one user's bad answer never stops the others.
    pub async fn send<T: DeserializeOwned>(
        &self,
        what: &str,
        token: &str,
        query: &str,
        variables: Value,
    ) -> Option<T> {
        let result = self.call(token, query, variables).await;
        self.count(what, result)
    }

    /// Counts the outcome of a request made with [`Gateway::call`].
    pub fn count<T>(&self, what: &str, result: Result<T, Failure>) -> Option<T> {
        self.requests.fetch_add(1, Ordering::Relaxed);
        match result {
            Ok(answer) => Some(answer),
            Err(failure) => {
                self.failed.fetch_add(1, Ordering::Relaxed);
                self.remember(format!("{what}: {failure}"));
                None
            }
        }
    }

    /// Sends an operation without counting it; the caller decides what its outcome means.
    pub async fn call<T: DeserializeOwned>(
        &self,
        token: &str,
        query: &str,
        variables: Value,
    ) -> Result<T, Failure> {
        let response = self
            .http
            .post(&self.url)
            .bearer_auth(token)
            .json(&json!({ "query": query, "variables": variables }))
            .send()
            .await
            .map_err(|err| Failure::plain(format!("request failed: {err}")))?;
        let status = response.status();
        let text = response
            .text()
            .await
            .map_err(|err| Failure::plain(format!("cannot read the answer: {err}")))?;
        if !status.is_success() {
            return Err(Failure::plain(format!("HTTP {status}: {}", excerpt(&text))));
        }
        data_of(&text)
    }

    pub fn requests(&self) -> u64 {
        self.requests.load(Ordering::Relaxed)
    }

    pub fn failed(&self) -> u64 {
        self.failed.load(Ordering::Relaxed)
    }

    /// The failure messages recorded since the last call.
    pub fn take_failures(&self) -> Vec<String> {
        std::mem::take(
            &mut *self
                .failures
                .lock()
                .expect("the failure list is never poisoned"),
        )
    }

    fn remember(&self, message: String) {
        let mut failures = self
            .failures
            .lock()
            .expect("the failure list is never poisoned");
        if failures.len() < KEPT_FAILURES {
            failures.push(message);
        }
    }
}

/// The `data` of a GraphQL answer as `T`; the first error when there are any.
fn data_of<T: DeserializeOwned>(text: &str) -> Result<T, Failure> {
    let body: Value = serde_json::from_str(text).map_err(|err| {
        Failure::plain(format!("the answer is not JSON ({err}): {}", excerpt(text)))
    })?;
    if let Some(first) = body["errors"].as_array().and_then(|errors| errors.first()) {
        return Err(Failure {
            code: first["extensions"]["code"].as_str().map(str::to_owned),
            message: first["message"]
                .as_str()
                .unwrap_or("an unnamed error")
                .to_owned(),
        });
    }
    let data = body
        .get("data")
        .filter(|data| !data.is_null())
        .ok_or_else(|| {
            Failure::plain(format!(
                "the answer has neither data nor errors: {}",
                excerpt(text)
            ))
        })?;
    T::deserialize(data).map_err(|err| Failure::plain(format!("unexpected answer ({err})")))
}

/// The start of a long text, for messages.
fn excerpt(text: &str) -> String {
    const LIMIT: usize = 200;
    match text.char_indices().nth(LIMIT) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(serde::Deserialize, Debug)]
    struct Answer {
        value: i32,
    }

    #[test]
    fn graphql_errors_become_failures_with_their_code() {
        let text =
            r#"{"data":null,"errors":[{"message":"taken","extensions":{"code":"CONFLICT"}}]}"#;
        let failure = data_of::<Answer>(text).expect_err("an error answer fails");
        assert_eq!(failure.code.as_deref(), Some("CONFLICT"));
        assert_eq!(failure.to_string(), "taken (CONFLICT)");
    }

    #[test]
    fn answers_of_the_wrong_shape_fail_instead_of_panicking() {
        assert!(data_of::<Answer>(r#"{"data":{"value":"seven"}}"#).is_err());
        assert!(data_of::<Answer>("<html>").is_err());
        assert_eq!(
            data_of::<Answer>(r#"{"data":{"value":7}}"#)
                .map(|a| a.value)
                .ok(),
            Some(7)
        );
    }
}
