//! The persisted query manifest (Apollo's JSON format): which operations a
//! client may run, each with its id (the SHA-256 of its body), name, type and
//! body. Loading reads and decodes a file; checking validates every operation
//! against the gateway's API schema exactly as the gateway would run it.

use std::collections::HashSet;
use std::fmt;
use std::path::Path;

use apollo_compiler::ExecutableDocument;
use apollo_compiler::executable::{Operation, OperationType};
use serde::{Deserialize, Serialize};

use crate::Gateway;
use crate::apq::sha256_hex;
use crate::auth::ApiKeyConfig;
use crate::request::GraphQLResponse;

/// The `format` member every manifest carries.
pub const FORMAT: &str = "apollo-persisted-query-manifest";
/// The only manifest `version` understood.
pub const VERSION: u64 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub format: String,
    pub version: u64,
    pub operations: Vec<PersistedOperation>,
}

/// One operation a client may run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PersistedOperation {
    /// The SHA-256 of `body`, lowercase hex: what clients send as `documentId`
    /// or `extensions.persistedQuery.sha256Hash`.
    pub id: String,
    pub name: String,
    #[serde(rename = "type")]
    pub kind: OperationKind,
    /// The operation and the fragments it uses.
    pub body: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OperationKind {
    Query,
    Mutation,
    Subscription,
}

impl From<OperationType> for OperationKind {
    fn from(operation_type: OperationType) -> Self {
        match operation_type {
            OperationType::Query => OperationKind::Query,
            OperationType::Mutation => OperationKind::Mutation,
            OperationType::Subscription => OperationKind::Subscription,
        }
    }
}

impl fmt::Display for OperationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OperationKind::Query => "query",
            OperationKind::Mutation => "mutation",
            OperationKind::Subscription => "subscription",
        })
    }
}

impl PersistedOperation {
    /// An operation whose id is computed from its body.
    pub fn new(name: impl Into<String>, kind: OperationKind, body: impl Into<String>) -> Self {
        let body = body.into();
        Self {
            id: sha256_hex(&body),
            name: name.into(),
            kind,
            body,
        }
    }
}

impl Manifest {
    /// A manifest of the current format and version.
    pub fn new(operations: Vec<PersistedOperation>) -> Self {
        Self {
            format: FORMAT.to_owned(),
            version: VERSION,
            operations,
        }
    }

    /// The manifest as the file holds it: pretty JSON ending in a newline.
    pub fn to_json(&self) -> String {
        let mut json =
            serde_json::to_string_pretty(self).expect("a manifest is strings and numbers only");
        json.push('\n');
        json
    }
}

/// What is wrong with a manifest; each names the operation concerned.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ManifestProblem {
    #[error("`format` is `{0}`; expected `{FORMAT}`")]
    Format(String),
    #[error("`version` is {0}; only {VERSION} is supported")]
    Version(u64),
    #[error("operation `{name}`: id `{id}` is not the SHA-256 of its body (`{expected}`)")]
    IdMismatch {
        name: String,
        id: String,
        expected: String,
    },
    #[error("operation `{name}`: id `{id}` is used by an earlier operation too")]
    DuplicateId { name: String, id: String },
    #[error("operation name `{0}` is used more than once")]
    DuplicateName(String),
    #[error("operation `{name}`: the body does not validate against the supergraph: {reason}")]
    Invalid { name: String, reason: String },
    #[error(
        "operation `{name}`: the body must define exactly one operation, named `{name}`; it defines {found}"
    )]
    WrongOperations { name: String, found: String },
    #[error("operation `{name}`: `type` is `{declared}` but the body is a {actual}")]
    TypeMismatch {
        name: String,
        declared: OperationKind,
        actual: OperationKind,
    },
}

/// Why a client's manifest could not be loaded; the gateway does not start.
#[derive(Debug, thiserror::Error)]
pub enum ManifestError {
    #[error("cannot read the persisted query manifest {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{path} is not a persisted query manifest: {source}")]
    Malformed {
        path: String,
        source: serde_json::Error,
    },
    #[error("the persisted query manifest {origin} is invalid:{}", bullets(.problems))]
    Invalid {
        origin: String,
        problems: Vec<ManifestProblem>,
    },
    #[error("client `{0}` has more than one persisted query manifest")]
    DuplicateClient(String),
}

/// `problems` as indented lines, each on its own line.
pub(crate) fn bullets(problems: &[impl fmt::Display]) -> String {
    problems
        .iter()
        .map(|problem| format!("\n  - {problem}"))
        .collect()
}

/// A partner client's manifest, as read from its file.
#[derive(Debug, Clone)]
pub struct ClientManifest {
    /// The API-key client name it belongs to.
    pub client: String,
    /// Where it came from, for messages.
    pub origin: String,
    pub manifest: Manifest,
}

impl ClientManifest {
    /// Reads and decodes `path`; [`check_manifest`] validates it later.
    pub fn load(client: &str, path: &Path) -> Result<Self, ManifestError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|source| ManifestError::Read {
            path: origin.clone(),
            source,
        })?;
        let manifest = serde_json::from_str(&text).map_err(|source| ManifestError::Malformed {
            path: origin.clone(),
            source,
        })?;
        Ok(Self {
            client: client.to_owned(),
            origin,
            manifest,
        })
    }
}

/// The manifests of every API key that has one.
pub fn load_manifests(api_keys: &[ApiKeyConfig]) -> Result<Vec<ClientManifest>, ManifestError> {
    api_keys
        .iter()
        .filter_map(|key| Some((key.name.as_str(), key.manifest.as_deref()?)))
        .map(|(client, path)| ClientManifest::load(client, path))
        .collect()
}

/// Everything wrong with `manifest` when `gateway` serves it; empty when it is
/// sound. Bodies are parsed and validated the way the gateway runs requests.
pub fn check_manifest(gateway: &Gateway, manifest: &Manifest) -> Vec<ManifestProblem> {
    let mut problems = Vec::new();
    if manifest.format != FORMAT {
        problems.push(ManifestProblem::Format(manifest.format.clone()));
    }
    if manifest.version != VERSION {
        problems.push(ManifestProblem::Version(manifest.version));
    }
    let mut ids = HashSet::new();
    let mut names = HashSet::new();
    for operation in &manifest.operations {
        if !names.insert(operation.name.as_str()) {
            problems.push(ManifestProblem::DuplicateName(operation.name.clone()));
        }
        if !ids.insert(operation.id.as_str()) {
            problems.push(ManifestProblem::DuplicateId {
                name: operation.name.clone(),
                id: operation.id.clone(),
            });
        }
        problems.extend(check_operation(gateway, operation));
    }
    problems
}

fn check_operation(gateway: &Gateway, operation: &PersistedOperation) -> Vec<ManifestProblem> {
    let mut problems = Vec::new();
    let expected = sha256_hex(&operation.body);
    if operation.id != expected {
        problems.push(ManifestProblem::IdMismatch {
            name: operation.name.clone(),
            id: operation.id.clone(),
            expected,
        });
    }
    if let Err(problem) = check_body(gateway, operation) {
        problems.push(problem);
    }
    problems
}

fn check_body(gateway: &Gateway, operation: &PersistedOperation) -> Result<(), ManifestProblem> {
    let name = &operation.name;
    let invalid = |reason: String| ManifestProblem::Invalid {
        name: name.clone(),
        reason,
    };
    let document = gateway
        .parse(Some(&operation.body))
        .map_err(|refused| invalid(messages(&refused)))?;
    crate::validate::check_document(&document).map_err(|error| invalid(error.to_string()))?;
    let defined = the_only_operation(&document, name)?;
    crate::limits::check(&document, defined, &gateway.config().limits)
        .map_err(|exceeded| invalid(exceeded.to_string()))?;
    let actual = OperationKind::from(defined.operation_type);
    if actual != operation.kind {
        return Err(ManifestProblem::TypeMismatch {
            name: name.clone(),
            declared: operation.kind,
            actual,
        });
    }
    Ok(())
}

/// The body's operation when it is the only one and carries the manifest name.
fn the_only_operation<'a>(
    document: &'a ExecutableDocument,
    name: &str,
) -> Result<&'a Operation, ManifestProblem> {
    let operations: Vec<&Operation> = document.operations.iter().map(|op| &**op).collect();
    match operations.as_slice() {
        [only] if only.name.as_ref().is_some_and(|own| own == name) => Ok(only),
        _ => Err(ManifestProblem::WrongOperations {
            name: name.to_owned(),
            found: describe(&operations),
        }),
    }
}

fn describe(operations: &[&Operation]) -> String {
    let names: Vec<String> = operations
        .iter()
        .map(|operation| match &operation.name {
            Some(name) => format!("`{name}`"),
            None => "an anonymous operation".to_owned(),
        })
        .collect();
    match names.as_slice() {
        [] => "none".to_owned(),
        _ => names.join(", "),
    }
}

/// The messages of a refused request, with where in the body each points.
fn messages(refused: &GraphQLResponse) -> String {
    let errors = refused.body()["errors"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    let described: Vec<String> = errors
        .iter()
        .map(|error| {
            let message = error["message"].as_str().unwrap_or("invalid");
            match error["locations"][0].as_object() {
                Some(at) => format!("{message} (line {}, column {})", at["line"], at["column"]),
                None => message.to_owned(),
            }
        })
        .collect();
    described.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::persisted::test_support::gateway;

    const GREETING: &str = "query Greeting($id: ID!) { greeting(id: $id) { text } }";
    const GREET: &str = "mutation Greet { greet(name: \"Ava\") { id } }";

    fn sound() -> Manifest {
        Manifest::new(vec![
            PersistedOperation::new("Greeting", OperationKind::Query, GREETING),
            PersistedOperation::new("Greet", OperationKind::Mutation, GREET),
        ])
    }

    fn problems_with(operations: Vec<PersistedOperation>) -> Vec<ManifestProblem> {
        check_manifest(&gateway(), &Manifest::new(operations))
    }

    #[test]
    fn a_sound_manifest_has_no_problems_and_round_trips() {
        let manifest = sound();
        assert_eq!(check_manifest(&gateway(), &manifest), []);
        let json = manifest.to_json();
        assert!(
            json.contains("\"format\": \"apollo-persisted-query-manifest\""),
            "{json}"
        );
        assert!(json.contains("\"type\": \"mutation\""), "{json}");
        let decoded: Manifest = serde_json::from_str(&json).expect("the written form reads back");
        assert_eq!(decoded, manifest);
    }

    #[test]
    fn the_format_and_version_must_be_the_known_ones() {
        let mut manifest = sound();
        manifest.format = "relay-persisted-queries".into();
        manifest.version = 2;
        assert_eq!(
            check_manifest(&gateway(), &manifest),
            [
                ManifestProblem::Format("relay-persisted-queries".into()),
                ManifestProblem::Version(2)
            ]
        );
    }

    #[test]
    fn an_id_must_be_the_hash_of_its_body() {
        let mut operation = PersistedOperation::new("Greeting", OperationKind::Query, GREETING);
        operation.id = sha256_hex("something else");
        let problems = problems_with(vec![operation.clone()]);
        assert_eq!(
            problems,
            [ManifestProblem::IdMismatch {
                name: "Greeting".into(),
                id: operation.id,
                expected: sha256_hex(GREETING),
            }]
        );
    }

    #[test]
    fn names_and_ids_are_unique() {
        let renamed = GREETING.replace("Greeting(", "Welcome(");
        let problems = problems_with(vec![
            PersistedOperation::new("Greeting", OperationKind::Query, GREETING),
            PersistedOperation::new("Greeting", OperationKind::Query, renamed),
            PersistedOperation::new("Again", OperationKind::Query, GREETING),
        ]);
        assert!(
            problems.contains(&ManifestProblem::DuplicateName("Greeting".into())),
            "{problems:?}"
        );
        assert!(
            problems.contains(&ManifestProblem::DuplicateId {
                name: "Again".into(),
                id: sha256_hex(GREETING),
            }),
            "{problems:?}"
        );
    }

    #[test]
    fn a_body_holds_exactly_its_one_named_operation() {
        let anonymous = "{ greeting(id: 1) { text } }";
        let problems = problems_with(vec![PersistedOperation::new(
            "Greeting",
            OperationKind::Query,
            anonymous,
        )]);
        assert_eq!(
            problems,
            [ManifestProblem::WrongOperations {
                name: "Greeting".into(),
                found: "an anonymous operation".into(),
            }]
        );
        let two = format!("{GREETING}\n{GREET}");
        let problems = problems_with(vec![PersistedOperation::new(
            "Greeting",
            OperationKind::Query,
            two,
        )]);
        assert!(
            matches!(&problems[..], [ManifestProblem::WrongOperations { found, .. }] if found == "`Greeting`, `Greet`"),
            "{problems:?}"
        );
    }

    #[test]
    fn the_type_must_match_the_body() {
        let problems = problems_with(vec![PersistedOperation::new(
            "Greet",
            OperationKind::Query,
            GREET,
        )]);
        assert_eq!(
            problems,
            [ManifestProblem::TypeMismatch {
                name: "Greet".into(),
                declared: OperationKind::Query,
                actual: OperationKind::Mutation,
            }]
        );
    }

    #[test]
    fn a_body_that_no_longer_validates_is_named_with_the_reason() {
        let stale = "query Stale { greeting(id: 1) { colour } }";
        let problems = problems_with(vec![PersistedOperation::new(
            "Stale",
            OperationKind::Query,
            stale,
        )]);
        let [ManifestProblem::Invalid { name, reason }] = &problems[..] else {
            panic!("{problems:?}");
        };
        assert_eq!(name, "Stale");
        assert!(
            reason.contains("colour") && reason.contains("line 1"),
            "{reason}"
        );
        let message = problems[0].to_string();
        assert!(message.starts_with("operation `Stale`:"), "{message}");

        let unparsable = problems_with(vec![PersistedOperation::new(
            "Broken",
            OperationKind::Query,
            "query Broken { greeting(",
        )]);
        assert!(
            matches!(&unparsable[..], [ManifestProblem::Invalid { name, .. }] if name == "Broken"),
            "{unparsable:?}"
        );
    }

    #[test]
    fn loading_names_the_file_that_cannot_be_used() {
        let dir = tempfile::tempdir().expect("a writable temp dir");
        let missing = dir.path().join("absent.json");
        let error = ClientManifest::load("acme", &missing).unwrap_err();
        assert!(matches!(error, ManifestError::Read { .. }), "{error}");
        assert!(error.to_string().contains("absent.json"), "{error}");

        let malformed = dir.path().join("acme.json");
        std::fs::write(
            &malformed,
            r#"{"format": "apollo-persisted-query-manifest"}"#,
        )
        .expect("a writable temp dir");
        let error = ClientManifest::load("acme", &malformed).unwrap_err();
        assert!(matches!(error, ManifestError::Malformed { .. }), "{error}");
        assert!(error.to_string().contains("acme.json"), "{error}");

        std::fs::write(&malformed, sound().to_json()).expect("a writable temp dir");
        let loaded = ClientManifest::load("acme", &malformed).expect("a sound manifest loads");
        assert_eq!(loaded.client, "acme");
        assert_eq!(loaded.manifest, sound());
    }
}
