//! `Program`: a user's training block with periodic deload weeks.

use async_graphql::{Context, ID, Object, Result};
use fitgraph_entities::plans::programs;
use subgraph_common::GqlResultExt;
use subgraph_common::vocab::Goal;

use crate::error::PlansError;
use crate::graphql::Workout;
use crate::loaders;
use crate::types::Date;

pub struct Program(pub programs::Model);

/// A training program a user follows week by week.
#[Object]
impl Program {
    async fn id(&self) -> ID {
        ID::from(self.0.id)
    }

    async fn user_id(&self) -> ID {
        ID::from(self.0.user_id)
    }

    async fn goal(&self) -> Result<Goal> {
        self.0
            .goal
            .parse::<Goal>()
            .map_err(|err| PlansError::CorruptRow(err.to_string()))
            .gql()
    }

    async fn start_date(&self) -> Date {
        Date(self.0.start_date)
    }

    /// 1-based.
    async fn current_week(&self) -> i32 {
        self.0.current_week
    }

    async fn deload_every_weeks(&self) -> i32 {
        self.0.deload_every_weeks
    }

    /// Whether the current week is a lighter deload week.
    async fn is_deload_week(&self) -> bool {
        is_deload_week(self.0.current_week, self.0.deload_every_weeks)
    }

    /// Ordered by date.
    async fn workouts(&self, ctx: &Context<'_>) -> Result<Vec<Workout>> {
        let rows = loaders::workouts_of_program(ctx, self.0.id).await?;
        Ok(rows.into_iter().map(Workout).collect())
    }
}

/// Every `deload_every_weeks`-th week is a deload week.
pub fn is_deload_week(current_week: i32, deload_every_weeks: i32) -> bool {
    deload_every_weeks > 0 && current_week > 0 && current_week % deload_every_weeks == 0
}

#[cfg(test)]
mod tests {
    use super::is_deload_week;

    #[test]
    fn deload_weeks_are_multiples_of_the_interval() {
        let deloads: Vec<i32> = (1..=12).filter(|week| is_deload_week(*week, 4)).collect();
        assert_eq!(deloads, vec![4, 8, 12]);
        assert!(!is_deload_week(1, 2));
        assert!(!is_deload_week(3, 0), "a zero interval never divides");
    }
}
