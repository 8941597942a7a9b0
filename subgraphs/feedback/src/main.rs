//! Runs the feedback subgraph alone, configured like every fitgraph process.

use anyhow::Context;
use subgraph_common::server::{bind, serve, shutdown_signal};
use subgraph_common::{Settings, SubgraphName};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::load(None).context("loading the configuration")?;
    let _telemetry =
        subgraph_common::telemetry::init(&settings.telemetry, "fitgraph-feedback", "info")
            .context("starting telemetry")?;
    let url = settings.database_url(SubgraphName::Feedback);
    let db = subgraph_common::db::connect_and_migrate::<feedback_subgraph::Migrator>(&url)
        .await
        .context("opening the feedback database")?;
    let credential = settings
        .gateway_credential()
        .context("the gateway credential")?;
    let bus = subgraph_common::events::from_settings(&settings)
        .await
        .context("connecting the event bus")?;
    let schema = feedback_subgraph::schema_with_bus(db, &settings, bus);
    let router = feedback_subgraph::router(schema, credential);
    let listener = bind(&settings.host, settings.feedback.port)
        .await
        .with_context(|| format!("listening on {}:{}", settings.host, settings.feedback.port))?;
    tracing::info!(address = %listener.local_addr()?, "feedback subgraph listening");
    serve(listener, router, shutdown_signal())
        .await
        .context("serving")?;
    Ok(())
}
