//! Request metrics: how many requests each operation and client sent, how long
//! they took, and which error codes they met.

use std::collections::HashSet;
use std::sync::{LazyLock, Mutex};
use std::time::Instant;

use fitgraph_auth::Identity;

use crate::request::{GraphQLResponse, Outcome};

/// Distinct operation names kept as label values; later ones count as `other`, so
/// clients cannot grow the metrics without bound by inventing names.
const MAX_OPERATION_LABELS: usize = 500;

/// Longer operation names are cut to this many bytes in labels.
const MAX_OPERATION_LABEL_BYTES: usize = 64;

static OPERATION_LABELS: LazyLock<Mutex<HashSet<String>>> = LazyLock::new(Mutex::default);

/// Records one answered HTTP request.
pub(crate) fn request_finished(
    operation: Option<String>,
    caller: &Identity,
    started: Instant,
    response: &GraphQLResponse,
) {
    let operation = operation_label(operation, response.outcome);
    let client = client_label(caller);
    let outcome = match (response.outcome, response.has_errors()) {
        (Outcome::Executed, false) => "ok",
        (Outcome::Executed, true) => "partial",
        _ => "refused",
    };
    metrics::counter!(
        "fitgraph_gateway_requests_total",
        "operation" => operation.clone(),
        "client" => client.clone(),
        "outcome" => outcome,
    )
    .increment(1);
    metrics::histogram!(
        "fitgraph_gateway_request_duration_seconds",
        "operation" => operation,
        "client" => client,
    )
    .record(started.elapsed().as_secs_f64());
    if response.has_errors() {
        count_error_codes(response);
    }
}

/// The operation name as a label: only for requests that ran (a refused request's
/// name may be anything), cut short, and `other` past the label budget.
fn operation_label(operation: Option<String>, outcome: Outcome) -> String {
    let Some(mut name) = operation.filter(|_| outcome == Outcome::Executed) else {
        return if outcome == Outcome::Executed {
            "anonymous".to_owned()
        } else {
            "none".to_owned()
        };
    };
    if name.len() > MAX_OPERATION_LABEL_BYTES {
        let mut cut = MAX_OPERATION_LABEL_BYTES;
        while !name.is_char_boundary(cut) {
            cut -= 1;
        }
        name.truncate(cut);
    }
    let mut known = OPERATION_LABELS
        .lock()
        .expect("the operation label set's lock is never poisoned");
    if known.contains(&name) {
        return name;
    }
    if known.len() >= MAX_OPERATION_LABELS {
        return "other".to_owned();
    }
    known.insert(name.clone());
    name
}

/// The API-key client's configured name, else whether a user signed in.
fn client_label(caller: &Identity) -> String {
    match (&caller.client, &caller.user_id) {
        (Some(client), _) => client.clone(),
        (None, Some(_)) => "user".to_owned(),
        (None, None) => "anonymous".to_owned(),
    }
}

fn count_error_codes(response: &GraphQLResponse) {
    let body = response.body();
    let Some(errors) = body.get("errors").and_then(|errors| errors.as_array()) else {
        return;
    };
    for error in errors {
        let code = error
            .pointer("/extensions/code")
            .and_then(|code| code.as_str())
            .unwrap_or("INTERNAL_SERVER_ERROR")
            .to_owned();
        metrics::counter!("fitgraph_gateway_errors_total", "code" => code).increment(1);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operation_labels_are_bounded_and_only_for_requests_that_ran() {
        assert_eq!(operation_label(None, Outcome::Executed), "anonymous");
        assert_eq!(
            operation_label(Some("Made Up".into()), Outcome::RequestError),
            "none"
        );
        let long = "é".repeat(100);
        let label = operation_label(Some(long), Outcome::Executed);
        assert!(label.len() <= MAX_OPERATION_LABEL_BYTES && label.starts_with('é'));
        for index in 0..MAX_OPERATION_LABELS + 10 {
            operation_label(Some(format!("Op{index}")), Outcome::Executed);
        }
        assert_eq!(
            operation_label(Some("OneTooMany".into()), Outcome::Executed),
            "other"
        );
    }
}
