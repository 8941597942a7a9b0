//! The generated workout of one user for one day and what it was generated from.

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "recommendations")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub workout_id: Uuid,
    pub user_id: Uuid,
    pub day: Date,
    /// TRAINING, MOBILITY or REST.
    pub kind: String,
    pub reason: String,
    pub experiment_id: Option<String>,
    pub variant: String,
    /// The ranker model that ordered the exercises, if one did.
    pub model_version: Option<String>,
    /// Digest of the inputs that, when they change, regenerate the day's workout.
    pub inputs_hash: String,
    /// The user snapshot as JSON, for training.
    pub snapshot: String,
    pub created_at: DateTimeUtc,
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
