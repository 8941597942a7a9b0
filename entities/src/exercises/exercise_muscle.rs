//! A muscle an exercise works, primary or secondary; `position` keeps the order the
//! muscles were listed in (the first primary muscle drives substitutions).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exercise_muscles")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub exercise_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub muscle: String,
    pub is_primary: bool,
    pub position: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
