//! One slot of a template: a muscle or a movement pattern to fill with an exercise.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "template_slots")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub template_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    /// `MUSCLE` or `PATTERN`, saying which vocabulary `target` belongs to.
    pub target_kind: String,
    pub target: String,
    pub sets: i32,
    pub rep_min: i32,
    pub rep_max: i32,
    pub rest_seconds: i32,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
