use clap::Parser;
use fitgraph::cli::Cli;

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    subgraph_common::server::init_tracing();
    let cli = Cli::parse();
    fitgraph::commands::run(cli).await?;
    Ok(())
}
