//! Values the plans subgraph exposes besides its objects: the workout status and
//! the `Date` scalar.

subgraph_common::stored_enum! {
    /// Where a workout is in its life: PLANNED, then IN_PROGRESS or SKIPPED, then COMPLETED.
    WorkoutStatus {
        Planned => "PLANNED",
        InProgress => "IN_PROGRESS",
        Completed => "COMPLETED",
        Skipped => "SKIPPED",
    }
}

pub use subgraph_common::date::Date;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_round_trip_through_their_stored_text() {
        for &status in WorkoutStatus::ALL {
            assert_eq!(status.as_str().parse::<WorkoutStatus>().ok(), Some(status));
        }
        assert!("planned".parse::<WorkoutStatus>().is_err());
    }
}
