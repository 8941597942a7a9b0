//! Signed GraphQL calls from plans to the other subgraphs, as a service (no user).

use std::time::{Duration, SystemTime};

use fitgraph_auth::{GatewayCredential, Identity, scopes};
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

const TIMEOUT: Duration = Duration::from_secs(30);

/// Calls one subgraph's GraphQL endpoint under the gateway credential.
#[derive(Clone)]
pub struct ServiceClient {
    url: String,
    http: reqwest::Client,
    credential: GatewayCredential,
    identity: Identity,
}

impl ServiceClient {
    /// A client acting as the plans service itself: it may read what `admin` may.
    pub fn as_plans_service(url: String, credential: GatewayCredential) -> ServiceClient {
        let http = reqwest::Client::builder()
            .timeout(TIMEOUT)
            .build()
            .expect("the HTTP client builds: only a timeout is configured");
        ServiceClient {
            url,
            http,
            credential,
            identity: Identity::client("plans", &[scopes::ADMIN]),
        }
    }

    /// Runs `query` and decodes `data` into `T`; GraphQL errors become `Err` with their messages.
    pub async fn query<T: DeserializeOwned>(
        &self,
        query: &str,
        variables: Value,
    ) -> Result<T, String> {
        let body = serde_json::to_vec(&json!({ "query": query, "variables": variables }))
            .expect("a JSON value always serialises");
        let headers = self
            .credential
            .headers(&self.identity, &body, SystemTime::now());
        let response = self
            .http
            .post(&self.url)
            .header("content-type", "application/json")
            .headers(headers)
            .body(body)
            .send()
            .await
            .map_err(|err| format!("{}: {err}", self.url))?;
        let status = response.status();
        let envelope: Value = response
            .json()
            .await
            .map_err(|err| format!("{} answered HTTP {status} without JSON: {err}", self.url))?;
        if let Some(errors) = envelope["errors"]
            .as_array()
            .filter(|errors| !errors.is_empty())
        {
            let messages: Vec<&str> = errors
                .iter()
                .filter_map(|e| e["message"].as_str())
                .collect();
            return Err(format!("{} refused: {}", self.url, messages.join("; ")));
        }
        serde_json::from_value(envelope["data"].clone())
            .map_err(|err| format!("{} answered an unexpected shape: {err}", self.url))
    }
}
