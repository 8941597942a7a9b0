//! One exercise of the library. Enum-ish columns hold the vocabulary's `as_str()` text.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exercises")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    #[sea_orm(unique)]
    pub slug: String,
    pub name: String,
    /// The name lowercased in Rust, so substring search behaves the same on SQLite
    /// and PostgreSQL (their own `LOWER` disagree outside ASCII).
    pub name_search: String,
    /// The steps as a JSON array of strings.
    pub instructions: String,
    pub category: String,
    pub mechanic: Option<String>,
    pub force: Option<String>,
    pub difficulty: String,
    pub equipment: String,
    pub movement_pattern: String,
    pub deprecated: bool,
    /// Where the record came from: `fitgraph`, `free-exercise-db` or `editor`.
    pub source: String,
    /// The record's id in its source; unique together with `source`.
    pub source_id: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
