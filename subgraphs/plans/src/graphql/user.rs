//! `User`, owned by the profile subgraph; plans contributes its workouts and programs,
//! shown to the user themself only: for anyone else both lists are empty.

use async_graphql::{Context, ID, Object, Result};
use chrono::Utc;
use subgraph_common::GqlResultExt;
use subgraph_common::access::require_user;
use uuid::Uuid;

use crate::graphql::{Program, Workout};
use crate::loaders::{self, WorkoutWindow};
use crate::types::Date;
use crate::validate::workout_window;

pub struct User {
    id: Uuid,
}

impl User {
    pub fn new(id: Uuid) -> User {
        User { id }
    }
}

#[Object]
impl User {
    async fn id(&self) -> ID {
        ID::from(self.id)
    }

    /// Workouts scheduled from `from` to `to` (both inclusive), ordered by date.
    /// The window spans at most 366 days; a missing bound lies 366 days from the
    /// other, and with neither the window is centred on today. Empty for anyone
    /// but the user themself.
    async fn workouts(
        &self,
        ctx: &Context<'_>,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<Vec<Workout>> {
        let caller = require_user(ctx).gql()?;
        let today = Utc::now().date_naive();
        let (from, to) = workout_window(from.map(|day| day.0), to.map(|day| day.0), today).gql()?;
        if caller != self.id {
            return Ok(Vec::new());
        }
        let rows = loaders::workouts_in(
            ctx,
            WorkoutWindow {
                user_id: self.id,
                from,
                to,
            },
        )
        .await?;
        Ok(rows.into_iter().map(Workout).collect())
    }

    /// Ordered by start date. Empty for anyone but the user themself.
    async fn programs(&self, ctx: &Context<'_>) -> Result<Vec<Program>> {
        if require_user(ctx).gql()? != self.id {
            return Ok(Vec::new());
        }
        let rows = loaders::programs_of_user(ctx, self.id).await?;
        Ok(rows.into_iter().map(Program).collect())
    }
}
