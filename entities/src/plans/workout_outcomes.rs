//! How one prescribed exercise went, as copied from the feedback subgraph.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workout_outcomes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub workout_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub exercise_id: Uuid,
    pub user_id: Uuid,
    pub completed: bool,
    pub skipped: bool,
    pub difficulty: Option<i32>,
    pub completed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
