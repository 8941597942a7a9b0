use std::process::ExitCode;

use clap::Parser;
use fitgraph::cli::{Cli, Command};

// Serving a request builds and drops many small JSON values; the system allocator
// spent about a quarter of the gateway's CPU time on them under load.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = Cli::parse();
    // Servers log their progress; one-shot commands print results and only warnings.
    let serving = matches!(
        cli.command,
        None | Some(Command::Dev) | Some(Command::Serve { .. })
    );
    subgraph_common::server::init_tracing(if serving { "info" } else { "warn" });
    match fitgraph::commands::run(cli).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // Every error's message already names its cause.
            eprintln!("fitgraph: {err}");
            ExitCode::FAILURE
        }
    }
}
