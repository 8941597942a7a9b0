//! One function per subcommand.

use std::path::Path;
use std::time::Duration;

use fitgraph_gateway::compose::SubgraphSdl;

use subgraph_common::{Settings, SubgraphName};
use tokio::sync::watch;

use crate::cli::{
    Cli, Command, GatewayArgs, ImportFormat, SdlSource, SeedArgs, ServeTarget, Subgraph,
};
use crate::devauth;
use crate::progress::Bars;
use crate::runner::{self, RunError, RunningServer};

/// Runs the command `cli` names with `settings` (loaded from its `--config`).
pub async fn run(cli: Cli, settings: Settings) -> Result<(), RunError> {
    match cli.command.unwrap_or(Command::Dev) {
        Command::Dev => dev(settings).await?,
        Command::Serve { target } => match target {
            ServeTarget::Subgraph(subgraph) => serve(&settings, subgraph.into()).await?,
            ServeTarget::Gateway(args) => serve_gateway(&settings, &args).await?,
        },
        Command::Migrate { subgraphs } => migrate(&settings, &subgraphs).await?,
        Command::Seed(args) if args.scale => seed_scale(&settings, &args).await?,
        Command::Seed(_) => seed(&settings).await?,
        Command::ImportExercises { format, path } => {
            import_exercises(&settings, format, &path).await?
        }
        Command::Compose { from, out } => compose(&settings, from, &out).await?,
        Command::Sdl { subgraph } => print!("{}", runner::sdl(subgraph.into())),
        Command::Persisted { command } => crate::persisted::run(&settings, command)?,
        Command::Train => train(settings).await?,
        Command::Simulate(args) => crate::simulate::run(settings, &args).await?,
        Command::Token {
            user,
            scopes,
            ttl_hours,
        } => {
            let ttl = Duration::from_secs(ttl_hours.saturating_mul(3600));
            println!("{}", devauth::mint(&settings, &user, &scopes, ttl)?);
        }
    }
    Ok(())
}

/// All four subgraphs in this process.
async fn dev(mut settings: Settings) -> Result<(), RunError> {
    devauth::embedded_defaults(&mut settings)?;
    let settings = &settings;
    if settings.seed_on_start
        && let Some(summary) = runner::seed_on_first_start(settings, &Bars::default()).await?
    {
        println!(
            "seeded: {}; demo users created: {}",
            summary.exercises.unwrap_or_default(),
            summary.demo_users_created
        );
    }
    let (stop, stopped) = watch::channel(false);
    let running = runner::start_all(settings, stopped).await?;
    announce_subgraphs(&running[..running.len() - 1]);
    announce_gateway(&running[running.len() - 1]);
    announce_dev_token(settings)?;
    println!("{READY}");
    wait_then_stop(running, stop, shutdown_grace(settings)).await
}

/// Trains the ranker against the configured plans database and subgraphs.
async fn train(mut settings: Settings) -> Result<(), RunError> {
    // The embedded default's secret is kept under the data directory, so this reaches
    // the subgraphs `dev` runs; training mints no tokens, so it creates no token key.
    devauth::embedded_trust_secret(&mut settings)?;
    let db = runner::open_database(SubgraphName::Plans, &settings).await?;
    let recommender = plans_subgraph::recommender(db, &settings).ok_or(RunError::NoTrustSecret)?;
    let report = recommender.train(&Bars::default()).await?;
    print!("{}", crate::report::training(&report));
    Ok(())
}

/// One subgraph alone.
async fn serve(settings: &Settings, name: SubgraphName) -> Result<(), RunError> {
    let (stop, stopped) = watch::channel(false);
    let running = vec![runner::start(name, settings, stopped).await?];
    announce_subgraphs(&running);
    println!("{READY}");
    wait_then_stop(running, stop, shutdown_grace(settings)).await
}

/// The gateway alone, over a supergraph file.
async fn serve_gateway(settings: &Settings, args: &GatewayArgs) -> Result<(), RunError> {
    let path = args.supergraph.display().to_string();
    let supergraph =
        std::fs::read_to_string(&args.supergraph).map_err(|source| RunError::ReadSupergraph {
            path: path.clone(),
            source,
        })?;
    let (stop, stopped) = watch::channel(false);
    let source = runner::SupergraphSource {
        sdl: &supergraph,
        origin: &path,
        watch: Some(&args.supergraph),
    };
    let gateway = runner::start_gateway(source, settings, args.listen.as_deref(), stopped).await?;
    announce_gateway(&gateway);
    println!("{READY}");
    wait_then_stop(vec![gateway], stop, shutdown_grace(settings)).await
}

/// Prints a token for the first demo user, so the explorer can be tried at once.
fn announce_dev_token(settings: &Settings) -> Result<(), RunError> {
    if settings.auth.issuer.as_deref() != Some(devauth::DEV_ISSUER) {
        return Ok(());
    }
    let demo = profile_subgraph::DEMO_USERS[0];
    let token = devauth::mint(settings, &demo.id.to_string(), &[], DEV_TOKEN_TTL)?;
    println!(
        "development token for {} (user {}, 24 h; `fitgraph token --user ID` mints more):\n  Authorization: Bearer {token}",
        demo.email, demo.id
    );
    Ok(())
}

const DEV_TOKEN_TTL: Duration = Duration::from_secs(24 * 3600);

/// The last line printed once everything listens.
const READY: &str = "ready: press Ctrl-C to stop";

fn graphql_url(server: &RunningServer) -> String {
    format!("http://{}/graphql", server.address)
}

/// Tests and scripts read these lines to find the ports.
fn announce_subgraphs(running: &[RunningServer]) {
    for subgraph in running {
        println!(
            "{:<10} listening on {}",
            subgraph.name,
            graphql_url(subgraph)
        );
    }
}

/// Compatibility suites and `dev`'s tests read this line to find the gateway.
fn announce_gateway(gateway: &RunningServer) {
    println!("gateway listening on http://{}", gateway.address);
}

/// Serves until Ctrl-C or SIGTERM (or until a server fails), then lets in-flight
/// requests finish for at most `grace` before returning.
async fn wait_then_stop(
    mut running: Vec<RunningServer>,
    stop: watch::Sender<bool>,
    grace: Duration,
) -> Result<(), RunError> {
    // A server task ends early only when it fails; then the others stop too.
    let early_exit = {
        let tasks = running.iter_mut().map(|subgraph| &mut subgraph.task);
        tokio::select! {
            () = subgraph_common::server::shutdown_signal() => None,
            (result, index, _) = futures::future::select_all(tasks) => Some((index, result)),
        }
    };
    let _ = stop.send(true);
    if let Some((index, result)) = early_exit {
        let failed = running.remove(index);
        let reason = match result {
            Ok(Ok(())) => "the server closed".to_owned(),
            Ok(Err(err)) => err.to_string(),
            Err(err) => err.to_string(),
        };
        return Err(RunError::Stopped(failed.name, reason));
    }
    tracing::info!(
        grace_secs = grace.as_secs(),
        "shutting down: finishing in-flight requests"
    );
    let drained = tokio::time::timeout(grace, async {
        for subgraph in running {
            match subgraph.task.await {
                Ok(Ok(())) => {}
                Ok(Err(err)) => return Err(RunError::Stopped(subgraph.name, err.to_string())),
                Err(err) => return Err(RunError::Stopped(subgraph.name, err.to_string())),
            }
        }
        Ok(())
    })
    .await;
    match drained {
        Ok(result) => result,
        Err(_) => {
            tracing::warn!(
                grace_secs = grace.as_secs(),
                "requests still running after the shutdown grace period were cut off"
            );
            Ok(())
        }
    }
}

fn shutdown_grace(settings: &Settings) -> Duration {
    Duration::from_secs(settings.shutdown_grace_secs)
}

async fn migrate(settings: &Settings, only: &[Subgraph]) -> Result<(), RunError> {
    let names: Vec<SubgraphName> = if only.is_empty() {
        SubgraphName::ALL.to_vec()
    } else {
        only.iter().map(|&s| s.into()).collect()
    };
    for name in names {
        runner::open_database(name, settings).await?;
        println!(
            "{:<10} migrated ({})",
            name.as_str(),
            redact(&settings.database_url(name))
        );
    }
    Ok(())
}

async fn seed(settings: &Settings) -> Result<(), RunError> {
    let summary = runner::seed(settings, &Bars::default()).await?;
    println!("exercises: {}", summary.exercises.unwrap_or_default());
    println!("demo users created: {}", summary.demo_users_created);
    Ok(())
}

/// The normal seed, then a large generated population; prints what it wrote.
async fn seed_scale(settings: &Settings, args: &SeedArgs) -> Result<(), RunError> {
    let options = crate::scale::ScaleOptions {
        users: args.users,
        feedback_rows: args.feedback_rows,
        seed: args.seed,
    };
    let summary = crate::scale::seed_scale(settings, options, &Bars::default()).await?;
    print!("{}", crate::report::scale(&summary));
    Ok(())
}

async fn import_exercises(
    settings: &Settings,
    format: ImportFormat,
    path: &Path,
) -> Result<(), RunError> {
    let bytes = std::fs::read(path).map_err(|source| RunError::ReadFile {
        path: path.display().to_string(),
        source,
    })?;
    let db = runner::open_database(SubgraphName::Exercises, settings).await?;
    let report = match format {
        ImportFormat::FreeExerciseDb => {
            exercises_subgraph::import_free_exercise_db(&db, &bytes, &Bars::default())
                .await
                .map_err(|err| RunError::Import(Box::new(err)))?
        }
    };
    println!("{report}");
    announce_exercise_changes(settings, &report.changed).await;
    match report.rejected.len() {
        0 => Ok(()),
        rejected => Err(RunError::RecordsRejected(rejected)),
    }
}

/// Tells running services (through Redis, when configured) which exercises the import
/// changed. The import is stored either way, so a bus that cannot be reached is only
/// a warning.
async fn announce_exercise_changes(settings: &Settings, changed: &[uuid::Uuid]) {
    if changed.is_empty() {
        return;
    }
    let bus = match subgraph_common::events::from_settings(settings).await {
        Ok(bus) => bus,
        Err(error) => {
            tracing::warn!(%error, "the event bus is unreachable; running services are not told of the import");
            return;
        }
    };
    for &exercise_id in changed {
        let event = subgraph_common::events::DomainEvent::ExerciseChanged { exercise_id };
        subgraph_common::events::announce(bus.as_ref(), &event).await;
    }
}

/// Composes the supergraph from the four subgraphs' SDL and writes it.
async fn compose(settings: &Settings, source: SdlSource, out: &Path) -> Result<(), RunError> {
    let mut subgraphs = Vec::new();
    for name in SubgraphName::ALL {
        let sdl = match source {
            SdlSource::Code => runner::sdl(name),
            SdlSource::Running => runner::fetch_sdl(&settings.subgraph_url(name), settings).await?,
        };
        subgraphs.push(SubgraphSdl {
            name: name.as_str().to_owned(),
            url: settings.subgraph_url(name),
            sdl,
        });
    }
    let supergraph =
        fitgraph_gateway::compose::compose(&subgraphs).map_err(RunError::Composition)?;
    std::fs::write(out, supergraph).map_err(|source| RunError::WriteFile {
        path: out.display().to_string(),
        source,
    })?;
    println!("wrote {}", out.display());
    Ok(())
}

/// A database URL without its password, for messages.
fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(scheme_end), Some(at)) if at > scheme_end => {
            let credentials = &url[scheme_end + 3..at];
            let user = credentials.split(':').next().unwrap_or_default();
            format!("{}{user}:***{}", &url[..scheme_end + 3], &url[at..])
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_the_output() {
        assert_eq!(
            redact("postgres://app:s3cret@db:5432/plans"),
            "postgres://app:***@db:5432/plans"
        );
        assert_eq!(redact("sqlite://data/plans.db"), "sqlite://data/plans.db");
    }
}
