//! The best alternatives of an exercise, precomputed; rank 1 is the closest.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exercise_substitutions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub exercise_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub substitute_id: Uuid,
    pub rank: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
