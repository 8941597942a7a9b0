//! One performed set of one exercise.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "set_logs")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Unique per user (with `user_id`), not across users.
    pub idempotency_key: String,
    pub user_id: Uuid,
    pub workout_id: Uuid,
    pub exercise_id: Uuid,
    /// 1 for the first set of the exercise in the workout.
    pub set_index: i32,
    pub reps: i32,
    #[sea_orm(column_type = "Double")]
    pub load_kg: f64,
    pub reps_in_reserve: Option<i32>,
    pub logged_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
