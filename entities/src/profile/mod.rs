//! Tables of the profile subgraph: users (the onboarding answers), the equipment
//! each user owns, and the wearable readings recovery is computed from.

pub mod user_equipment;
pub mod users;
pub mod wearable_readings;
