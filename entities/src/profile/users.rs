//! One row per user, holding the onboarding questionnaire's answers. Enum-like
//! columns hold the GraphQL value names (`as_str()` of the shared vocabulary).

use sea_orm::entity::prelude::*;

#[derive(Clone, Debug, PartialEq, DeriveEntityModel)]
#[sea_orm(table_name = "users")]
pub struct Model {
    #[sea_orm(primary_key, auto_increment = false)]
    pub id: Uuid,
    pub display_name: String,
    /// Trimmed and lowercased; unique.
    #[sea_orm(unique)]
    pub email: String,
    pub birth_year: i32,
    pub sex: String,
    pub height_cm: f64,
    pub weight_kg: f64,
    pub primary_goal: String,
    pub fitness_level: String,
    pub days_per_week: i32,
    pub session_minutes: i32,
    pub preferred_time_of_day: String,
    pub created_at: DateTimeUtc,
    pub updated_at: DateTimeUtc,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {
    #[sea_orm(has_many = "super::user_equipment::Entity")]
    Equipment,
    #[sea_orm(has_many = "super::wearable_readings::Entity")]
    WearableReadings,
}

impl Related<super::user_equipment::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::Equipment.def()
    }
}

impl Related<super::wearable_readings::Entity> for Entity {
    fn to() -> RelationDef {
        Relation::WearableReadings.def()
    }
}

impl ActiveModelBehavior for ActiveModel {}
