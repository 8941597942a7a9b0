//! A user's training program: the goal and the week it has reached.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "programs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    /// A `vocab::Goal` as its `as_str()` text.
    pub goal: String,
    pub start_date: Date,
    /// 1-based.
    pub current_week: i32,
    pub deload_every_weeks: i32,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::workouts::Entity")]
    Workouts,
}

impl Related<super::workouts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Workouts.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
