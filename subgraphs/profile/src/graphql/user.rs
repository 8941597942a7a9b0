use async_graphql::{Context, ID, Object, SimpleObject};
use chrono::{DateTime, Utc};
use subgraph_common::GqlResultExt;
use subgraph_common::batching::Batched;
use subgraph_common::vocab::{Equipment, FitnessLevel, Goal};

use super::db;
use crate::kinds::{ReadingKind, Sex, TimeOfDay};
use crate::loaders::{EquipmentLoader, RecoveryReadingsLoader, gql_error};
use crate::model::{Reading, UserProfile};
use crate::recovery::{ReadingSample, Recovery, assess_recovery};
use crate::service::RecordedReadings;
use crate::{store, validate};

/// A person training with fitgraph: their onboarding answers, equipment and recovery.
pub struct User {
    pub profile: UserProfile,
    /// Loaded together with the profile when the query selects it; otherwise the
    /// field loads it itself.
    pub equipment: Option<Vec<Equipment>>,
    pub recovery_readings: Option<Vec<ReadingSample>>,
}

impl From<UserProfile> for User {
    fn from(profile: UserProfile) -> Self {
        User {
            profile,
            equipment: None,
            recovery_readings: None,
        }
    }
}

#[Object]
impl User {
    async fn id(&self) -> ID {
        ID(self.profile.id.to_string())
    }

    async fn display_name(&self) -> &str {
        &self.profile.display_name
    }

    /// Trimmed and lowercased.
    async fn email(&self) -> &str {
        &self.profile.email
    }

    async fn birth_year(&self) -> i32 {
        self.profile.birth_year
    }

    async fn sex(&self) -> Sex {
        self.profile.sex
    }

    async fn height_cm(&self) -> f64 {
        self.profile.height_cm
    }

    async fn weight_kg(&self) -> f64 {
        self.profile.weight_kg
    }

    async fn primary_goal(&self) -> Goal {
        self.profile.primary_goal
    }

    async fn fitness_level(&self) -> FitnessLevel {
        self.profile.fitness_level
    }

    async fn days_per_week(&self) -> i32 {
        self.profile.days_per_week
    }

    async fn session_minutes(&self) -> i32 {
        self.profile.session_minutes
    }

    async fn preferred_time_of_day(&self) -> TimeOfDay {
        self.profile.preferred_time_of_day
    }

    /// What the user can train with, in a stable order.
    async fn equipment(&self, ctx: &Context<'_>) -> async_graphql::Result<Vec<Equipment>> {
        if let Some(equipment) = &self.equipment {
            return Ok(equipment.clone());
        }
        let loader = ctx.data_unchecked::<Batched<EquipmentLoader>>();
        Ok(loader
            .load_one(self.profile.id)
            .await
            .map_err(gql_error)?
            .unwrap_or_default())
    }

    /// Today's recovery: the mean daily ln(rMSSD) of the last 7 days against a baseline
    /// from days 8-60 (GREEN at z >= -0.5, YELLOW down to z = -1.5, RED below; UNKNOWN
    /// without HRV on 21 baseline days spanning 30 days and on 3 recent days). Poor
    /// sleep over the last 3 days (score < 60, or < 360 minutes) lowers it one step.
    async fn recovery(&self, ctx: &Context<'_>) -> async_graphql::Result<Recovery> {
        if let Some(readings) = &self.recovery_readings {
            return Ok(assess_recovery(readings, subgraph_common::clock::now()));
        }
        let loader = ctx.data_unchecked::<Batched<RecoveryReadingsLoader>>();
        let readings = loader
            .load_one(self.profile.id)
            .await
            .map_err(gql_error)?
            .unwrap_or_default();
        Ok(assess_recovery(&readings, subgraph_common::clock::now()))
    }

    /// Stored readings, newest first: optionally one kind, recorded between `from`
    /// and `to` (both inclusive); `first` is 1-1000.
    async fn wearable_readings(
        &self,
        ctx: &Context<'_>,
        kind: Option<ReadingKind>,
        from: Option<DateTime<Utc>>,
        to: Option<DateTime<Utc>>,
        #[graphql(default = 100)] first: i32,
    ) -> async_graphql::Result<Vec<WearableReading>> {
        let filter = validate::reading_filter(kind, from, to, first).gql()?;
        let readings = store::list_readings(db(ctx), self.profile.id, &filter)
            .await
            .gql()?;
        Ok(readings.into_iter().map(WearableReading).collect())
    }

    async fn created_at(&self) -> DateTime<Utc> {
        self.profile.created_at
    }

    async fn updated_at(&self) -> DateTime<Utc> {
        self.profile.updated_at
    }
}

/// One stored wearable reading.
pub struct WearableReading(pub Reading);

#[Object]
impl WearableReading {
    async fn id(&self) -> ID {
        ID(self.0.id.to_string())
    }

    async fn kind(&self) -> ReadingKind {
        self.0.kind
    }

    /// In the kind's unit: ms, bpm, score points or minutes.
    async fn value(&self) -> f64 {
        self.0.value
    }

    async fn recorded_at(&self) -> DateTime<Utc> {
        self.0.recorded_at
    }

    async fn source(&self) -> &str {
        &self.0.source
    }
}

/// What `recordWearableReadings` did with a batch.
#[derive(SimpleObject, Debug, Clone, Copy)]
pub struct RecordReadingsResult {
    /// Readings stored now.
    pub accepted: i32,
    /// Readings already stored (same kind, recordedAt and source) or repeated in the batch.
    pub duplicates: i32,
}

impl From<RecordedReadings> for RecordReadingsResult {
    fn from(recorded: RecordedReadings) -> Self {
        // A batch holds at most 1,000 readings, so both counts fit.
        let count = |n: usize| i32::try_from(n).unwrap_or(i32::MAX);
        RecordReadingsResult {
            accepted: count(recorded.accepted),
            duplicates: count(recorded.duplicates),
        }
    }
}
