//! An A/B test of recommendation strategies.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "experiments")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: String,
    pub description: String,
    /// Mixed into the assignment hash so experiments assign independently.
    pub salt: String,
    /// The variants as JSON: `[{ "name", "weight", "strategy" }]`.
    pub variants: String,
    /// The variant the others are compared with.
    pub control: String,
    pub active: bool,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
