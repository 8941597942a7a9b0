//! Credentials for the embedded default: a gateway secret and a development signing
//! key, both generated once and kept under the data directory, so that `fitgraph
//! token` signs tokens the running gateway accepts and `fitgraph train` can call the
//! running subgraphs.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use fitgraph_auth::jwt::{DevToken, mint_hs256};
use rand::RngCore;
use subgraph_common::Settings;

use crate::runner::RunError;

/// Issuer and audience of development tokens, unless configured otherwise.
pub const DEV_ISSUER: &str = "fitgraph-dev";
pub const DEV_AUDIENCE: &str = "fitgraph";

/// The development signing key's file name under `data_dir`.
const KEY_FILE: &str = "dev-token-key";
/// The embedded default's gateway secret's file name under `data_dir`.
const TRUST_FILE: &str = "dev-trust-secret";

/// Fills in what the embedded default needs and the configuration leaves out:
/// the gateway secret, and (when no token verification is configured) the
/// development signing key with its issuer and audience.
pub fn embedded_defaults(settings: &mut Settings) -> Result<(), RunError> {
    embedded_trust_secret(settings)?;
    let auth = &settings.auth;
    let verifies_tokens =
        auth.hs256_secret.is_some() || auth.jwks_url.is_some() || auth.jwks_file.is_some();
    if !verifies_tokens {
        let key = load_or_create_key(&settings.data_dir, KEY_FILE)?;
        settings.auth.hs256_secret = Some(key);
        settings
            .auth
            .issuer
            .get_or_insert_with(|| DEV_ISSUER.to_owned());
        settings
            .auth
            .audience
            .get_or_insert_with(|| DEV_AUDIENCE.to_owned());
    }
    Ok(())
}

/// The gateway secret the embedded setup keeps under the data directory, unless
/// one is configured; token keys are left alone (what only calls subgraphs needs).
pub fn embedded_trust_secret(settings: &mut Settings) -> Result<(), RunError> {
    if settings.trust.secret.is_none() {
        settings.trust.secret = Some(load_or_create_key(&settings.data_dir, TRUST_FILE)?);
    }
    Ok(())
}

/// A development token for `user` with `scopes`, signed as `embedded_defaults`
/// set things up (or with the configured HS256 secret).
pub fn mint(
    settings: &Settings,
    user: &str,
    scopes: &[String],
    ttl: Duration,
) -> Result<String, RunError> {
    let mut settings = settings.clone();
    embedded_defaults(&mut settings)?;
    let secret = settings
        .auth
        .hs256_secret
        .as_deref()
        .ok_or(RunError::NoSigningKey)?;
    let token = DevToken {
        subject: user.to_owned(),
        scopes: scopes.to_vec(),
        issuer: settings.auth.issuer.clone(),
        audience: settings.auth.audience.clone(),
        ttl,
    };
    mint_hs256(secret, &token).map_err(|error| RunError::Token(error.to_string()))
}

fn load_or_create_key(data_dir: &Path, file: &str) -> Result<String, RunError> {
    let path = data_dir.join(file);
    match std::fs::read_to_string(&path) {
        Ok(key) if key.trim().len() >= 32 => return Ok(key.trim().to_owned()),
        Ok(_) => return Err(RunError::Token(format!("{} is too short", path.display()))),
        Err(error) if error.kind() != std::io::ErrorKind::NotFound => {
            return Err(read_error(&path, error));
        }
        Err(_) => {}
    }
    let key = random_hex();
    write_private(&path, &key)?;
    Ok(key)
}

/// Writes `key` readable by its owner only; a concurrent first start that wins
/// the race keeps its key, and this one reads it back.
fn write_private(path: &PathBuf, key: &str) -> Result<(), RunError> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|error| write_error(path, error))?;
    }
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    match options.open(path) {
        Ok(mut file) => file
            .write_all(key.as_bytes())
            .map_err(|error| write_error(path, error)),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(error) => Err(write_error(path, error)),
    }
}

fn random_hex() -> String {
    let mut bytes = [0_u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    bytes.iter().map(|byte| format!("{byte:02x}")).collect()
}

fn read_error(path: &Path, source: std::io::Error) -> RunError {
    RunError::ReadFile {
        path: path.display().to_string(),
        source,
    }
}

fn write_error(path: &Path, source: std::io::Error) -> RunError {
    RunError::WriteFile {
        path: path.display().to_string(),
        source,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_key_is_created_once_and_reused() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut first = Settings {
            data_dir: dir.path().join("data"),
            ..Settings::default()
        };
        let mut second = first.clone();
        embedded_defaults(&mut first).expect("creates the key");
        embedded_defaults(&mut second).expect("reads the key");
        assert_eq!(first.auth.hs256_secret, second.auth.hs256_secret);
        assert_eq!(
            first.trust.secret, second.trust.secret,
            "the gateway secret is kept, so other commands can call the running subgraphs"
        );
        assert!(
            first
                .trust
                .secret
                .as_deref()
                .is_some_and(|secret| secret.len() >= 32)
        );
        assert_eq!(first.auth.issuer.as_deref(), Some(DEV_ISSUER));
    }

    #[test]
    fn a_configured_verifier_is_left_alone() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut settings = Settings {
            data_dir: dir.path().join("data"),
            ..Settings::default()
        };
        settings.auth.jwks_url = Some("https://issuer.example/jwks.json".into());
        embedded_defaults(&mut settings).expect("nothing to create");
        assert_eq!(settings.auth.hs256_secret, None);
        assert!(settings.trust.secret.is_some());
    }
}
