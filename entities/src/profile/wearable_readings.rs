//! Readings synced from wearables. A reading is identified by
//! (user, kind, recorded_at, source): a repeat of that identity is never stored twice.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "wearable_readings")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    /// A `ReadingKind` value name, e.g. `HRV_RMSSD`.
    pub kind: String,
    pub value: f64,
    /// Truncated to whole microseconds so both backends store the same instant.
    pub recorded_at: DateTimeUtc,
    /// Trimmed and lowercased device or app name, e.g. `garmin`.
    pub source: String,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::users::Entity",
        from = "Column::UserId",
        to = "super::users::Column::Id",
        on_delete = "Cascade"
    )]
    User,
}

impl Related<super::users::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::User.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
