//! Turning a request into the query text to run: a `documentId` or persisted
//! query hash is looked up in the manifests, then in the APQ store; a partner
//! client with a manifest may run nothing else.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use fitgraph_auth::Identity;

use super::manifest::{ClientManifest, ManifestError, check_manifest};
use crate::Gateway;
use crate::apq::{self, PersistedQuery, normalize_sha256, sha256_hex};
use crate::request::{GraphQLRequest, GraphQLResponse};

/// Every loaded manifest's operations, and which client owns which.
#[derive(Debug, Default)]
pub struct TrustedDocuments {
    /// Bodies by id, from every manifest.
    bodies: HashMap<String, Arc<str>>,
    /// The ids each partner client may run.
    clients: HashMap<String, HashSet<String>>,
}

impl TrustedDocuments {
    /// Indexes `manifests` after checking each against `gateway`: one invalid
    /// operation anywhere refuses them all, so a broken manifest stops startup.
    pub(crate) fn new(
        gateway: &Gateway,
        manifests: &[ClientManifest],
    ) -> Result<Self, ManifestError> {
        let mut trusted = Self::default();
        for client in manifests {
            let problems = check_manifest(gateway, &client.manifest);
            if !problems.is_empty() {
                return Err(ManifestError::Invalid {
                    origin: client.origin.clone(),
                    problems,
                });
            }
            let mut ids = HashSet::new();
            for operation in &client.manifest.operations {
                ids.insert(operation.id.clone());
                trusted
                    .bodies
                    .insert(operation.id.clone(), operation.body.as_str().into());
            }
            if trusted.clients.insert(client.client.clone(), ids).is_some() {
                return Err(ManifestError::DuplicateClient(client.client.clone()));
            }
        }
        Ok(trusted)
    }

    /// The body of the persisted operation with this id, from any manifest.
    pub fn body(&self, id: &str) -> Option<&str> {
        self.bodies.get(id).map(|body| &**body)
    }

    fn allowed_for(&self, caller: &Identity) -> Option<&HashSet<String>> {
        self.clients.get(caller.client.as_deref()?)
    }
}

/// A `documentId` as a manifest id: bare hex or prefixed `sha256:` (the prefixed
/// form the GraphQL-over-HTTP persisted documents proposal uses).
pub fn parse_document_id(text: &str) -> Option<String> {
    normalize_sha256(text.strip_prefix("sha256:").unwrap_or(text))
}

/// Whether the request names its document instead of (or besides) sending it.
pub fn names_a_document(request: &GraphQLRequest) -> bool {
    request.document_id.is_some()
        || request
            .extensions
            .as_ref()
            .and_then(|extensions| extensions.get(apq::EXTENSION))
            .is_some_and(|member| !member.is_null())
}

/// Fills in `request.query` for a request that names its document, or answers
/// it: see [`Gateway::resolve_document`].
pub(crate) async fn resolve(
    gateway: &Gateway,
    trusted: &TrustedDocuments,
    request: &mut GraphQLRequest,
    caller: &Identity,
) -> Result<(), GraphQLResponse> {
    let persisted_query = PersistedQuery::from_request(request)?;
    if let Some(allowed) = trusted.allowed_for(caller) {
        return resolve_for_partner(trusted, allowed, request, persisted_query.as_ref());
    }
    if let Some(id) = request.document_id.clone() {
        if query_text(request).is_some() || persisted_query.is_some() {
            return Err(GraphQLResponse::request_error(
                "BAD_REQUEST",
                "send `documentId` alone, without `query` or `extensions.persistedQuery`",
            ));
        }
        return resolve_document_id(trusted, request, &id);
    }
    match persisted_query {
        Some(persisted_query) => resolve_apq(gateway, trusted, request, &persisted_query).await,
        None => Ok(()),
    }
}

/// A partner runs its manifest's operations by id, and nothing else: query text
/// is refused even when it equals a manifest body, so the manifest is the whole
/// surface the partner can reach.
fn resolve_for_partner(
    trusted: &TrustedDocuments,
    allowed: &HashSet<String>,
    request: &mut GraphQLRequest,
    persisted_query: Option<&PersistedQuery>,
) -> Result<(), GraphQLResponse> {
    if query_text(request).is_some() {
        return Err(not_allowed(
            "this API key may only run the operations of its persisted query manifest: send `documentId` instead of `query`",
        ));
    }
    let id = match &request.document_id {
        Some(id) => parse_document_id(id),
        None => persisted_query.map(|persisted_query| persisted_query.hash.clone()),
    };
    let Some(id) = id else {
        return Err(not_allowed(
            "this API key may only run the operations of its persisted query manifest: send `documentId`",
        ));
    };
    let body = allowed
        .contains(&id)
        .then(|| trusted.body(&id))
        .flatten()
        .ok_or_else(|| {
            not_allowed("the document is not in this API key's persisted query manifest")
        })?;
    request.query = Some(body.to_owned());
    Ok(())
}

fn resolve_document_id(
    trusted: &TrustedDocuments,
    request: &mut GraphQLRequest,
    id: &str,
) -> Result<(), GraphQLResponse> {
    let body = parse_document_id(id)
        .and_then(|id| trusted.body(&id))
        .ok_or_else(|| {
            GraphQLResponse::request_error(
                "PERSISTED_QUERY_NOT_FOUND",
                "no persisted query manifest holds this `documentId`",
            )
        })?;
    request.query = Some(body.to_owned());
    Ok(())
}

/// A hash alone runs a manifest operation or a query registered before; a hash
/// with its query registers the query once it is known to be valid.
async fn resolve_apq(
    gateway: &Gateway,
    trusted: &TrustedDocuments,
    request: &mut GraphQLRequest,
    persisted_query: &PersistedQuery,
) -> Result<(), GraphQLResponse> {
    let config = &gateway.config().persisted.apq;
    let hash = persisted_query.hash.as_str();
    let Some(query) = query_text(request) else {
        let known = match trusted.body(hash) {
            Some(body) => Some(body.to_owned()),
            None if config.enabled => apq::lookup(config, hash).await,
            None => return Err(apq::not_supported()),
        };
        request.query = Some(known.ok_or_else(apq::not_found)?);
        return Ok(());
    };
    if !config.enabled {
        return Err(apq::not_supported());
    }
    if sha256_hex(query) != hash {
        return Err(apq::hash_mismatch());
    }
    // Only documents the gateway would run are stored: junk stays out of a
    // store every instance shares, and the pipeline reports why it is junk.
    let valid = gateway
        .parse(Some(query))
        .is_ok_and(|document| crate::validate::check_document(&document).is_ok());
    if valid {
        apq::register(config, hash, query).await;
    }
    Ok(())
}

/// The request's query text, when it has any.
fn query_text(request: &GraphQLRequest) -> Option<&str> {
    request
        .query
        .as_deref()
        .filter(|query| !query.trim().is_empty())
}

fn not_allowed(message: &str) -> GraphQLResponse {
    GraphQLResponse::request_error("PERSISTED_QUERY_NOT_ALLOWED", message)
}
