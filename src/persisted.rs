//! `fitgraph persisted build` and `fitgraph persisted check`: partner manifests,
//! validated by a gateway over the supergraph exactly as it would serve them.

use std::path::{Path, PathBuf};

use fitgraph_gateway::persisted::{ClientManifest, build_manifest, check_manifest, read_sources};
use fitgraph_gateway::{Gateway, GatewayConfig};
use subgraph_common::Settings;

use crate::cli::PersistedCommand;
use crate::runner::{self, RunError};

/// Where manifests live, one `<client>.json` each.
pub const MANIFEST_DIR: &str = "schema/persisted";

pub fn run(settings: &Settings, command: PersistedCommand) -> Result<(), RunError> {
    match command {
        PersistedCommand::Build {
            folder,
            client,
            out,
            supergraph,
        } => build(settings, &folder, &client, out, &supergraph),
        PersistedCommand::Check { supergraph, dir } => check(settings, &supergraph, &dir),
    }
}

fn build(
    settings: &Settings,
    folder: &Path,
    client: &str,
    out: Option<PathBuf>,
    supergraph: &Path,
) -> Result<(), RunError> {
    if !is_client_name(client) {
        return Err(RunError::ClientName(client.to_owned()));
    }
    let gateway = validating_gateway(settings, supergraph)?;
    let manifest = build_manifest(&gateway, &read_sources(folder)?)?;
    let out = out.unwrap_or_else(|| Path::new(MANIFEST_DIR).join(format!("{client}.json")));
    std::fs::write(&out, manifest.to_json()).map_err(|source| RunError::WriteFile {
        path: out.display().to_string(),
        source,
    })?;
    println!(
        "wrote {} ({} operations)",
        out.display(),
        manifest.operations.len()
    );
    Ok(())
}

/// Prints one line per manifest, then each problem under it.
fn check(settings: &Settings, supergraph: &Path, dir: &Path) -> Result<(), RunError> {
    let gateway = validating_gateway(settings, supergraph)?;
    let paths = manifest_paths(dir)?;
    if paths.is_empty() {
        println!("no manifests in {}", dir.display());
    }
    let mut failed = 0;
    for path in paths {
        match check_file(&gateway, &path) {
            Ok(operations) => println!("{}: ok ({operations} operations)", path.display()),
            Err(problems) => {
                failed += 1;
                println!("{}: {} error(s)", path.display(), problems.len());
                for problem in problems {
                    println!("  - {problem}");
                }
            }
        }
    }
    match failed {
        0 => Ok(()),
        failed => Err(RunError::PersistedCheck(failed)),
    }
}

/// How many operations the manifest at `path` has, or what is wrong with it.
fn check_file(gateway: &Gateway, path: &Path) -> Result<usize, Vec<String>> {
    let client = path
        .file_stem()
        .map(|stem| stem.to_string_lossy().into_owned())
        .unwrap_or_default();
    let loaded = ClientManifest::load(&client, path).map_err(|error| vec![error.to_string()])?;
    let problems = check_manifest(gateway, &loaded.manifest);
    if problems.is_empty() {
        return Ok(loaded.manifest.operations.len());
    }
    Err(problems.iter().map(ToString::to_string).collect())
}

/// The `*.json` files directly in `dir`, in name order.
fn manifest_paths(dir: &Path) -> Result<Vec<PathBuf>, RunError> {
    let unreadable = |source| RunError::ReadFile {
        path: dir.display().to_string(),
        source,
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(unreadable)? {
        let path = entry.map_err(unreadable)?.path();
        if path.extension().is_some_and(|ext| ext == "json") && path.is_file() {
            paths.push(path);
        }
    }
    paths.sort();
    Ok(paths)
}

/// A gateway over `supergraph` with the configured limits; it never serves, it
/// only parses and validates operations as a serving one would.
fn validating_gateway(settings: &Settings, supergraph: &Path) -> Result<Gateway, RunError> {
    let path = supergraph.display().to_string();
    let sdl = std::fs::read_to_string(supergraph).map_err(|source| RunError::ReadSupergraph {
        path: path.clone(),
        source,
    })?;
    let config = GatewayConfig {
        limits: runner::limits(settings),
        ..GatewayConfig::default()
    };
    Gateway::new(&sdl, config).map_err(|source| RunError::Gateway {
        origin: path,
        source,
    })
}

/// Client names become file names, so they stay plain.
fn is_client_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
}
