//! Runs the profile subgraph on its own: `FITGRAPH_*` settings, its database
//! migrated, served until Ctrl-C or SIGTERM.

use anyhow::Context;
use subgraph_common::server::{bind, init_tracing, serve, shutdown_signal};
use subgraph_common::{Settings, SubgraphName};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    init_tracing("info");
    let settings = Settings::load(None).context("loading settings")?;
    let url = settings.database_url(SubgraphName::Profile);
    let db = subgraph_common::db::connect_and_migrate::<profile_subgraph::Migrator>(&url)
        .await
        .context("opening the profile database")?;
    let router = profile_subgraph::router(profile_subgraph::schema(db, &settings));
    let listener = bind(&settings.host, settings.profile.port)
        .await
        .with_context(|| format!("binding {}:{}", settings.host, settings.profile.port))?;
    tracing::info!(address = %listener.local_addr()?, "profile subgraph listening");
    serve(listener, router, shutdown_signal())
        .await
        .context("serving the profile subgraph")
}
