use std::process::ExitCode;

use clap::Parser;
use fitgraph::cli::{Cli, Command, ServeTarget};
use subgraph_common::{Settings, SubgraphName};

// Serving a request builds and drops many small JSON values; the system allocator
// spent about a quarter of the gateway's CPU time on them under load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    let settings = match Settings::load(cli.config.as_deref()) {
        Ok(settings) => settings,
        Err(err) => return fail(&err),
    };
    // Servers log their progress; one-shot commands print results and only warnings.
    let serving = matches!(
        cli.command,
        None | Some(Command::Dev) | Some(Command::Serve { .. }) | Some(Command::Train)
    );
    let level = if serving { "info" } else { "warn" };
    let telemetry =
        match subgraph_common::telemetry::init(&settings.telemetry, service_name(&cli), level) {
            Ok(telemetry) => telemetry,
            Err(err) => return fail(&err),
        };
    let result = fitgraph::commands::run(cli, settings).await;
    // Spans still buffered are sent before the process ends.
    drop(telemetry);
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => fail(&err),
    }
}

/// The `service.name` this process's spans carry.
fn service_name(cli: &Cli) -> &'static str {
    match &cli.command {
        Some(Command::Serve {
            target: ServeTarget::Gateway(_),
        }) => "fitgraph-gateway",
        Some(Command::Serve {
            target: ServeTarget::Subgraph(subgraph),
        }) => match SubgraphName::from(*subgraph) {
            SubgraphName::Profile => "fitgraph-profile",
            SubgraphName::Exercises => "fitgraph-exercises",
            SubgraphName::Plans => "fitgraph-plans",
            SubgraphName::Feedback => "fitgraph-feedback",
        },
        Some(Command::Train) => "fitgraph-training",
        _ => "fitgraph",
    }
}

fn fail(err: &dyn std::fmt::Display) -> ExitCode {
    // Every error's message already names its cause.
    eprintln!("fitgraph: {err}");
    ExitCode::FAILURE
}
