//! The call that asks another subgraph to purge a deleted user's data: a GraphQL
//! mutation signed like the gateway signs, acting as the deleted user, so the
//! subgraph's own rule "purge the caller's data" applies unchanged.

use std::sync::LazyLock;
use std::time::SystemTime;

use serde_json::{Value, json};
use subgraph_common::Identity;
use uuid::Uuid;

use super::{DeletionConfig, PurgeTarget};
use crate::error::ProfileError;

/// Longer errors are cut: a misbehaving subgraph must not fill the outbox table.
const MAX_ERROR_CHARS: usize = 500;

/// One client for every call, so connections are reused. Building it fails only
/// when TLS cannot be set up; that is then every attempt's recorded error.
static HTTP: LazyLock<Result<reqwest::Client, String>> = LazyLock::new(|| {
    reqwest::Client::builder()
        .build()
        .map_err(|err| err.to_string())
});

/// Asks `target` to purge `user_id`'s data; returns how many rows it removed.
pub async fn purge(
    config: &DeletionConfig,
    target: &PurgeTarget,
    user_id: Uuid,
) -> Result<i64, ProfileError> {
    let failed = |reason: String| ProfileError::PurgeFailed {
        subgraph: target.subgraph.clone(),
        reason: truncate(reason),
    };
    let field = target
        .mutation_field()
        .ok_or_else(|| failed("the subgraph name must be letters, digits or '_'".to_owned()))?;
    let credential = config
        .credential
        .as_ref()
        .ok_or_else(|| failed("no gateway credential is configured".to_owned()))?;
    let client = HTTP
        .as_ref()
        .map_err(|err| failed(format!("cannot build the HTTP client: {err}")))?;
    let body = json!({ "query": format!("mutation {{ {field} }}") }).to_string();
    let identity = Identity::user(user_id.to_string(), &[]);
    let headers = credential.headers(&identity, body.as_bytes(), SystemTime::now());
    let response = client
        .post(&target.url)
        .timeout(config.request_timeout)
        .header(reqwest::header::CONTENT_TYPE, "application/json")
        .headers(headers)
        .body(body)
        .send()
        .await
        .map_err(|err| failed(error_chain(&err)))?;
    let status = response.status();
    if status != reqwest::StatusCode::OK {
        return Err(failed(format!("HTTP {status}")));
    }
    let answer: Value = response
        .json()
        .await
        .map_err(|err| failed(format!("the response is not JSON: {}", error_chain(&err))))?;
    removed_rows(&answer, &field).map_err(failed)
}

/// The purge count in a GraphQL response, or why the response is not a success.
fn removed_rows(answer: &Value, field: &str) -> Result<i64, String> {
    if let Some(error) = answer["errors"]
        .as_array()
        .and_then(|errors| errors.first())
    {
        let code = error["extensions"]["code"].as_str().unwrap_or("no code");
        let message = error["message"].as_str().unwrap_or("no message");
        return Err(format!("{code}: {message}"));
    }
    answer["data"][field]
        .as_i64()
        .ok_or_else(|| format!("the response has no data.{field}"))
}

/// reqwest's own message omits the cause ("connection refused" and the like).
fn error_chain(err: &dyn std::error::Error) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}

fn truncate(reason: String) -> String {
    match reason.char_indices().nth(MAX_ERROR_CHARS) {
        Some((end, _)) => format!("{}…", &reason[..end]),
        None => reason,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_a_present_count_without_errors_is_success() {
        let field = "purgePlansData";
        assert_eq!(
            removed_rows(&json!({ "data": { "purgePlansData": 3 } }), field),
            Ok(3)
        );
        assert!(removed_rows(&json!({ "data": { "purgePlansData": null } }), field).is_err());
        assert!(removed_rows(&json!({ "data": null }), field).is_err());
        let refused = json!({
            "data": { "purgePlansData": 0 },
            "errors": [{ "message": "sign in", "extensions": { "code": "UNAUTHENTICATED" } }]
        });
        assert_eq!(
            removed_rows(&refused, field),
            Err("UNAUTHENTICATED: sign in".to_owned())
        );
    }

    #[test]
    fn long_errors_are_cut() {
        assert_eq!(truncate("short".to_owned()), "short");
        let cut = truncate("é".repeat(MAX_ERROR_CHARS + 10));
        assert_eq!(cut.chars().count(), MAX_ERROR_CHARS + 1);
    }
}
