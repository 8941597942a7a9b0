//! How one prescribed exercise of a completed workout went.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "exercise_outcomes")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub completion_id: Uuid,
    #[sea_orm(primary_key, auto_increment = false)]
    pub exercise_id: Uuid,
    /// Where the exercise stood in the client's list, so it is returned in that order.
    pub position: i32,
    pub completed: bool,
    pub skipped: bool,
    /// Perceived difficulty, 1 (far too easy) to 5 (far too hard).
    pub difficulty: Option<i32>,
    pub notes: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::workout_completions::Entity",
        from = "Column::CompletionId",
        to = "super::workout_completions::Column::Id",
        on_delete = "Cascade"
    )]
    WorkoutCompletion,
}

impl Related<super::workout_completions::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WorkoutCompletion.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
