//! Runs the plans subgraph alone on its configured port and database.

use anyhow::Context;
use subgraph_common::db::connect_and_migrate;
use subgraph_common::server::{bind, serve, shutdown_signal};
use subgraph_common::{Settings, SubgraphName};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::load(None).context("loading settings")?;
    let _telemetry =
        subgraph_common::telemetry::init(&settings.telemetry, "fitgraph-plans", "info")
            .context("starting telemetry")?;
    let db = connect_and_migrate::<plans_subgraph::Migrator>(
        &settings.database_url(SubgraphName::Plans),
    )
    .await
    .context("opening the plans database")?;
    let credential = settings
        .gateway_credential()
        .context("the gateway credential")?;
    let bus = subgraph_common::events::from_settings(&settings)
        .await
        .context("connecting the event bus")?;
    let schema = plans_subgraph::schema_with_bus(db, &settings, bus);
    let router = plans_subgraph::router(schema, credential);
    let listener = bind(&settings.host, settings.plans.port)
        .await
        .with_context(|| format!("binding {}:{}", settings.host, settings.plans.port))?;
    tracing::info!(address = %listener.local_addr()?, "plans subgraph listening");
    serve(listener, router, shutdown_signal())
        .await
        .context("serving the plans subgraph")
}
