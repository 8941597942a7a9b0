//! `User`, owned by the profile subgraph; plans contributes its workouts and programs,
//! shown to the user themself only: for anyone else both lists are empty.

use async_graphql::{Context, ID, Object, Result};
use chrono::{DateTime, Utc};
use fitgraph_entities::plans::workouts;
use subgraph_common::GqlResultExt;
use subgraph_common::access::require_user;
use subgraph_common::vocab::{Equipment, FitnessLevel, Goal, TimeOfDay};
use uuid::Uuid;

use crate::graphql::recommendation::{PlannedDay, recommender};
use crate::graphql::snapshot::{Recovery, RequiredFields, TrainingSignalsView};
use crate::graphql::{Program, Workout};
use crate::live::reasons;
use crate::loaders::{self, WorkoutWindow};
use crate::recommend::{Generation, RecommendError};
use crate::types::Date;
use crate::validate::workout_window;

pub struct User {
    id: Uuid,
    required: RequiredFields,
}

impl User {
    pub fn with_required(id: Uuid, required: RequiredFields) -> User {
        User { id, required }
    }
}

/// Fields profile and feedback resolve; plans declares them only to require them.
fn resolved_elsewhere<T>(field: &str) -> Result<T> {
    Err(async_graphql::Error::new(format!(
        "`User.{field}` is resolved by another subgraph"
    )))
}

/// Tells the user's devices that today's workout is new, so they re-fetch it.
async fn announce_generation(ctx: &Context<'_>, workout: &workouts::Model, generation: Generation) {
    let reason = match generation {
        Generation::Generated => reasons::GENERATED,
        Generation::Regenerated => reasons::REGENERATED,
    };
    crate::live::announce_today_changed(ctx, workout, reason).await;
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
        let today = subgraph_common::clock::now().date_naive();
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

    #[graphql(external)]
    async fn primary_goal(&self) -> Result<Goal> {
        resolved_elsewhere("primaryGoal")
    }

    #[graphql(external)]
    async fn fitness_level(&self) -> Result<FitnessLevel> {
        resolved_elsewhere("fitnessLevel")
    }

    #[graphql(external)]
    async fn days_per_week(&self) -> Result<i32> {
        resolved_elsewhere("daysPerWeek")
    }

    #[graphql(external)]
    async fn session_minutes(&self) -> Result<i32> {
        resolved_elsewhere("sessionMinutes")
    }

    #[graphql(external)]
    async fn preferred_time_of_day(&self) -> Result<TimeOfDay> {
        resolved_elsewhere("preferredTimeOfDay")
    }

    #[graphql(external)]
    async fn equipment(&self) -> Result<Vec<Equipment>> {
        resolved_elsewhere("equipment")
    }

    #[graphql(external)]
    async fn recovery(&self) -> Result<Recovery> {
        resolved_elsewhere("recovery")
    }

    #[graphql(external)]
    async fn training_signals(&self, as_of: Option<DateTime<Utc>>) -> Result<TrainingSignalsView> {
        let _ = as_of;
        resolved_elsewhere("trainingSignals")
    }

    /// Today's workout, generated for the user's goal, level, session length,
    /// equipment, recovery and recent training, and stored: asking again returns the
    /// same workout until the goal, the equipment or the recovery band changes. A
    /// rest or mobility day when the rules call for one. Null for anyone but the
    /// user themself.
    #[graphql(
        requires = "primaryGoal fitnessLevel daysPerWeek sessionMinutes preferredTimeOfDay equipment recovery { band } trainingSignals { asOf muscleGroups { muscle lastTrainedAt setsLast7Days } categoryAffinities { category score } muscleAffinities { muscle score } exerciseAffinities { exerciseId score } recentDifficulty adherence28Days estimatedOneRepMaxes { exerciseId kg } trainingDays lastSessions { exerciseId date sets { reps loadKg repsInReserve } } }"
    )]
    async fn today_workout(&self, ctx: &Context<'_>) -> Result<Option<Workout>> {
        if require_user(ctx).gql()? != self.id {
            return Ok(None);
        }
        let snapshot = self.required.snapshot().gql()?;
        let today = recommender(ctx)?.today(self.id, &snapshot).await.gql()?;
        if let Some(generation) = today.generation {
            announce_generation(ctx, &today.workout, generation).await;
        }
        Ok(Some(Workout(today.workout)))
    }

    /// The coming `days` days (1-14, from tomorrow) as the rules plan them today,
    /// assuming each day before is trained as planned. Previews: nothing is stored, and
    /// each day's workout is generated for real on the day. Empty for anyone but the
    /// user themself.
    #[graphql(
        requires = "primaryGoal fitnessLevel daysPerWeek sessionMinutes preferredTimeOfDay equipment recovery { band } trainingSignals { asOf muscleGroups { muscle lastTrainedAt setsLast7Days } categoryAffinities { category score } muscleAffinities { muscle score } exerciseAffinities { exerciseId score } recentDifficulty adherence28Days estimatedOneRepMaxes { exerciseId kg } trainingDays lastSessions { exerciseId date sets { reps loadKg repsInReserve } } }"
    )]
    async fn upcoming(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 7)] days: i32,
    ) -> Result<Vec<PlannedDay>> {
        if !(1..=14).contains(&days) {
            return Err(RecommendError::OutOfRange {
                field: "days",
                min: 1,
                max: 14,
                got: i64::from(days),
            })
            .gql();
        }
        if require_user(ctx).gql()? != self.id {
            return Ok(Vec::new());
        }
        let snapshot = self.required.snapshot().gql()?;
        let days = recommender(ctx)?
            .upcoming(self.id, &snapshot, days as u32)
            .await
            .gql()?;
        Ok(days.into_iter().map(PlannedDay).collect())
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
