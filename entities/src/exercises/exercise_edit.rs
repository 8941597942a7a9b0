//! One editor write to the library: who made it and what it did.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exercise_edits")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub exercise_id: Uuid,
    /// The signed-in editor; null for an API-key client and after the editor's
    /// personal data was purged.
    pub editor_id: Option<Uuid>,
    /// The API key's client name, when the edit came through one.
    pub client: Option<String>,
    /// `create`, `update` or `deprecate`.
    pub action: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
