//! Runs the profile subgraph on its own: `FITGRAPH_*` settings, its database
//! migrated, the account deletion worker started, served until Ctrl-C or SIGTERM.

use anyhow::Context;
use profile_subgraph::DeletionConfig;
use subgraph_common::server::{bind, serve, shutdown_signal};
use subgraph_common::{Settings, SubgraphName};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::load(None).context("loading settings")?;
    let _telemetry =
        subgraph_common::telemetry::init(&settings.telemetry, "fitgraph-profile", "info")
            .context("starting telemetry")?;
    let url = settings.database_url(SubgraphName::Profile);
    let db = subgraph_common::db::connect_and_migrate::<profile_subgraph::Migrator>(&url)
        .await
        .context("opening the profile database")?;
    let credential = settings
        .gateway_credential()
        .context("the gateway credential")?;
    let deletion = DeletionConfig::from_settings(&settings);
    let worker = profile_subgraph::spawn_deletion_worker(db.clone(), deletion.clone());
    let bus = subgraph_common::events::from_settings(&settings)
        .await
        .context("connecting the event bus")?;
    let schema = profile_subgraph::schema_with(db, deletion, bus);
    let router = profile_subgraph::router(schema, credential);
    let listener = bind(&settings.host, settings.profile.port)
        .await
        .with_context(|| format!("binding {}:{}", settings.host, settings.profile.port))?;
    tracing::info!(address = %listener.local_addr()?, "profile subgraph listening");
    let served = serve(listener, router, shutdown_signal()).await;
    // Pending purges are in the database; the next start picks them up.
    worker.abort();
    served.context("serving the profile subgraph")
}
