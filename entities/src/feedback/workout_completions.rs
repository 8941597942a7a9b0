//! A workout marked done, at most once per workout.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workout_completions")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    /// Unique per user (with `user_id`), not across users.
    pub idempotency_key: String,
    pub user_id: Uuid,
    #[sea_orm(unique)]
    pub workout_id: Uuid,
    /// Session rating of perceived exertion, 1-10.
    pub session_rpe: Option<i32>,
    pub completed_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::exercise_outcomes::Entity")]
    ExerciseOutcomes,
}

impl Related<super::exercise_outcomes::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::ExerciseOutcomes.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
