//! The model registry: every trained ranker artifact with its held-out metrics.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "ranker_models")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub version: String,
    pub family: String,
    pub feature_schema_hash: String,
    pub trained_at: DateTimeUtc,
    pub window_from: Date,
    pub window_to: Date,
    pub holdout_from: Date,
    /// The held-out metrics as JSON.
    pub metrics: String,
    /// The serialized artifact.
    pub artifact: Vec<u8>,
    /// CANDIDATE, PROMOTED, REJECTED or RETIRED.
    pub status: String,
    /// Why it was promoted or not.
    pub decision: String,
    pub promoted_at: Option<DateTimeUtc>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
