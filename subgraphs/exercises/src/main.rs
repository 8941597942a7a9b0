//! Runs the exercises subgraph alone: `cargo run -p exercises-subgraph`.

use anyhow::Context;
use subgraph_common::server::{bind, serve, shutdown_signal};
use subgraph_common::{Settings, SubgraphName};

#[tokio::main]
async fn main() -> anyhow::Result<()> {
    let settings = Settings::load(None).context("loading configuration")?;
    let _telemetry =
        subgraph_common::telemetry::init(&settings.telemetry, "fitgraph-exercises", "info")
            .context("starting telemetry")?;
    let url = settings.database_url(SubgraphName::Exercises);
    let db = subgraph_common::db::connect_and_migrate::<exercises_subgraph::Migrator>(&url)
        .await
        .context("opening the exercises database")?;
    if settings.seed_on_start && !exercises_subgraph::is_seeded(&db).await? {
        let report = exercises_subgraph::seed(&db, &subgraph_common::Silent).await?;
        tracing::info!(%report, "seeded the exercise library");
    }
    let credential = settings
        .gateway_credential()
        .context("the gateway credential")?;
    let bus = subgraph_common::events::from_settings(&settings)
        .await
        .context("connecting the event bus")?;
    let schema = exercises_subgraph::schema_with_bus(db, &settings, bus);
    let router = exercises_subgraph::router(schema, credential);
    let listener = bind(&settings.host, settings.exercises.port)
        .await
        .with_context(|| format!("binding {}:{}", settings.host, settings.exercises.port))?;
    tracing::info!(address = %listener.local_addr()?, "exercises subgraph listening");
    serve(listener, router, shutdown_signal()).await?;
    Ok(())
}
