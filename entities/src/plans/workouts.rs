//! A workout scheduled for one day, optionally part of a program.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "workouts")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub user_id: Uuid,
    pub program_id: Option<Uuid>,
    pub scheduled_date: Date,
    pub title: String,
    /// PLANNED, IN_PROGRESS, COMPLETED or SKIPPED.
    pub status: String,
    pub started_at: Option<DateTimeUtc>,
    pub completed_at: Option<DateTimeUtc>,
    pub created_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::programs::Entity",
        from = "Column::ProgramId",
        to = "super::programs::Column::Id",
        on_delete = "SetNull"
    )]
    Program,
    #[sea_orm(has_many = "super::workout_exercises::Entity")]
    WorkoutExercises,
}

impl Related<super::programs::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Program.def()
    }
}

impl Related<super::workout_exercises::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WorkoutExercises.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
