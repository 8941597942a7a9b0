//! Tables of the profile subgraph: users (the onboarding answers), the equipment
//! each user owns, the wearable readings recovery is computed from, and the
//! outbox of account deletions the other subgraphs still have to carry out.

pub mod account_deletions;
pub mod user_equipment;
pub mod users;
pub mod wearable_readings;
