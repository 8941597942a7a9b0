//! One prescribed exercise of a workout, in the order it is performed.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "workout_exercises")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub workout_id: Uuid,
    /// 1-based order within the workout.
    #[sea_orm(primary_key, auto_increment = false)]
    pub position: i32,
    /// Owned by the exercises subgraph.
    pub exercise_id: Uuid,
    pub sets: i32,
    pub rep_min: i32,
    pub rep_max: i32,
    pub target_load_kg: Option<f64>,
    pub rest_seconds: i32,
    /// The reps to aim for today, for generated workouts.
    pub target_reps: Option<i32>,
    /// REPS or SECONDS; null means REPS.
    pub rep_unit: Option<String>,
    /// Why a generated workout prescribes this exercise.
    pub reason: Option<String>,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(
        belongs_to = "super::workouts::Entity",
        from = "Column::WorkoutId",
        to = "super::workouts::Column::Id",
        on_delete = "Cascade"
    )]
    Workout,
}

impl Related<super::workouts::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Workout.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
