//! The model registry: every trained artifact with its metrics and the promotion
//! decision. At most one row is PROMOTED; serving loads that one.

use chrono::{DateTime, NaiveDate, Utc};
use fitgraph_entities::plans::ranker_models;
use fitgraph_ranker::{Artifact, Metrics};
use sea_orm::sea_query::Expr;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, IntoActiveModel, QueryFilter,
    QueryOrder, QuerySelect, TransactionTrait,
};
use uuid::Uuid;

use super::error::{RecommendError, Result};

pub const PROMOTED: &str = "PROMOTED";
pub const REJECTED: &str = "REJECTED";
pub const RETIRED: &str = "RETIRED";

/// A registry entry without its (large) artifact.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisteredModel {
    pub version: String,
    pub family: String,
    pub feature_schema_hash: String,
    pub trained_at: DateTime<Utc>,
    pub window_from: NaiveDate,
    pub window_to: NaiveDate,
    pub holdout_from: NaiveDate,
    pub metrics: Metrics,
    pub status: String,
    pub decision: String,
    pub promoted_at: Option<DateTime<Utc>>,
}

fn describe(row: ranker_models::Model) -> Result<RegisteredModel> {
    let metrics = serde_json::from_str(&row.metrics)
        .map_err(|err| RecommendError::CorruptRow(format!("metrics of {}: {err}", row.version)))?;
    Ok(RegisteredModel {
        version: row.version,
        family: row.family,
        feature_schema_hash: row.feature_schema_hash,
        trained_at: row.trained_at,
        window_from: row.window_from,
        window_to: row.window_to,
        holdout_from: row.holdout_from,
        metrics,
        status: row.status,
        decision: row.decision,
        promoted_at: row.promoted_at,
    })
}

/// The newest `limit` entries, newest first.
pub async fn list(db: &DatabaseConnection, limit: u64) -> Result<Vec<RegisteredModel>> {
    let rows = ranker_models::Entity::find()
        .order_by_desc(ranker_models::Column::TrainedAt)
        .order_by_desc(ranker_models::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    rows.into_iter().map(describe).collect()
}

pub async fn promoted(db: &DatabaseConnection) -> Result<Option<RegisteredModel>> {
    let row = ranker_models::Entity::find()
        .filter(ranker_models::Column::Status.eq(PROMOTED))
        .one(db)
        .await?;
    row.map(describe).transpose()
}

/// The promoted version's name, without reading its artifact.
pub async fn promoted_version(db: &DatabaseConnection) -> Result<Option<String>> {
    Ok(ranker_models::Entity::find()
        .select_only()
        .column(ranker_models::Column::Version)
        .filter(ranker_models::Column::Status.eq(PROMOTED))
        .into_tuple()
        .one(db)
        .await?)
}

pub async fn artifact_bytes(db: &DatabaseConnection, version: &str) -> Result<Option<Vec<u8>>> {
    Ok(ranker_models::Entity::find()
        .select_only()
        .column(ranker_models::Column::Artifact)
        .filter(ranker_models::Column::Version.eq(version))
        .into_tuple()
        .one(db)
        .await?)
}

/// Stores a trained artifact; when `promote`, it becomes the one promoted model and
/// the previous one is retired, in one transaction.
pub async fn record(
    db: &DatabaseConnection,
    artifact: &Artifact,
    promote: bool,
    decision: String,
) -> Result<RegisteredModel> {
    let now = subgraph_common::clock::now();
    let row = ranker_models::Model {
        id: Uuid::now_v7(),
        version: artifact.version.clone(),
        family: artifact.family.to_string(),
        feature_schema_hash: artifact.feature_schema_hash.clone(),
        trained_at: artifact.trained_at,
        window_from: artifact.window.from,
        window_to: artifact.window.to,
        holdout_from: artifact.window.holdout_from,
        metrics: serde_json::to_string(&artifact.metrics)
            .expect("metrics are plain numbers and always serialise"),
        artifact: artifact.to_bytes(),
        status: if promote { PROMOTED } else { REJECTED }.to_owned(),
        decision,
        promoted_at: promote.then_some(now),
    };
    let txn = db.begin().await?;
    if promote {
        retire_promoted(&txn).await?;
    }
    ranker_models::Entity::insert(row.clone().into_active_model())
        .exec_without_returning(&txn)
        .await?;
    txn.commit().await?;
    describe(row)
}

pub async fn retire_promoted(db: &impl ConnectionTrait) -> Result<()> {
    ranker_models::Entity::update_many()
        .col_expr(ranker_models::Column::Status, Expr::value(RETIRED))
        .filter(ranker_models::Column::Status.eq(PROMOTED))
        .exec(db)
        .await?;
    Ok(())
}
