//! Live workouts: what `workoutProgress` and `todayWorkoutChanged` subscribers see,
//! made from the events other subgraphs (and plans itself) publish on the bus.
//!
//! The bus is a notification channel, not a log: a subscriber sees what is published
//! while it listens. Counts it cannot observe (sets logged before it joined) come in
//! the events themselves.

use std::sync::Arc;

use async_graphql::Enum;
use chrono::{DateTime, NaiveDate, Utc};
use fitgraph_entities::plans::{recommendations, workout_exercises, workouts};
use futures::{Stream, StreamExt};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter};
use subgraph_common::events::{
    Delivery, DomainEvent, EventBus, EventStream, user_topic, workout_topic,
};
use uuid::Uuid;

use crate::error::{PlansError, Result};
use crate::store::{self, Owned};

/// Why today's workout changed, as `TodayWorkoutChange.reason` and
/// `DomainEvent::TodayWorkoutChanged` say it.
pub mod reasons {
    pub const GENERATED: &str = "GENERATED";
    pub const REGENERATED: &str = "REGENERATED";
    pub const STARTED: &str = "STARTED";
    pub const SKIPPED: &str = "SKIPPED";
    pub const COMPLETED: &str = "COMPLETED";
    pub const PROFILE_CHANGED: &str = "PROFILE_CHANGED";
}

/// Tells the owner's devices that `workout`, today's, changed for `reason`, so
/// they re-fetch it.
pub async fn announce_today_changed(
    ctx: &async_graphql::Context<'_>,
    workout: &workouts::Model,
    reason: &str,
) {
    let event = DomainEvent::TodayWorkoutChanged {
        user_id: workout.user_id,
        date: workout.scheduled_date,
        workout_id: Some(workout.id),
        reason: reason.to_owned(),
    };
    subgraph_common::events::announce_in(ctx, &event).await;
}

/// Whether a workout in `status` is done with: completed or skipped.
fn is_over(status: &str) -> bool {
    matches!(
        status.parse::<crate::types::WorkoutStatus>(),
        Ok(crate::types::WorkoutStatus::Completed | crate::types::WorkoutStatus::Skipped)
    )
}

/// What happened in a workout.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum WorkoutProgressKind {
    WorkoutStarted,
    SetLogged,
    RestStarted,
    RestEnded,
    ExerciseCompleted,
    ExerciseSkipped,
    WorkoutCompleted,
}

/// One step of a live workout, with where it leaves the workout.
#[derive(Debug, Clone)]
pub struct Progress {
    pub kind: WorkoutProgressKind,
    pub workout_id: Uuid,
    pub at: DateTime<Utc>,
    pub elapsed_seconds: i64,
    pub exercise_id: Option<Uuid>,
    pub set_number: Option<u32>,
    pub reps: Option<u32>,
    pub load_kg: Option<f64>,
    pub reps_in_reserve: Option<u32>,
    pub rest_seconds: Option<u32>,
    pub sets_logged: u32,
    pub next_exercise: Option<workout_exercises::Model>,
}

/// The live view of one workout for its owner.
pub struct ProgressWatch {
    workout_id: Uuid,
    owner: Uuid,
    started_at: Option<DateTime<Utc>>,
    /// In the order they are performed.
    exercises: Vec<workout_exercises::Model>,
    events: EventStream,
    sets_logged: u32,
    /// The exercise of the rest under way, which its end is about too.
    resting_after: Option<Uuid>,
    finished: bool,
}

impl ProgressWatch {
    /// Watches `workout` if it exists and is its user's; another user's reads as missing.
    pub async fn open(
        db: &DatabaseConnection,
        bus: &dyn EventBus,
        workout: Owned,
    ) -> Result<ProgressWatch> {
        let row = workouts::Entity::find_by_id(workout.id)
            .filter(workouts::Column::UserId.eq(workout.user_id))
            .one(db)
            .await?
            .ok_or(PlansError::WorkoutNotFound(workout.id))?;
        // Subscribing before reading the rest loses nothing published meanwhile.
        let events = bus.subscribe(&workout_topic(row.id)).await?;
        let exercises = store::exercises_by_workout(db, &[row.id])
            .await?
            .remove(&row.id)
            .unwrap_or_default();
        Ok(ProgressWatch {
            workout_id: row.id,
            owner: row.user_id,
            started_at: row.started_at,
            exercises,
            events,
            sets_logged: 0,
            resting_after: None,
            // Nothing more will happen in a completed or skipped workout: the
            // stream ends at once instead of staying open and quiet.
            finished: is_over(&row.status),
        })
    }

    /// The workout's progress until it completes; a gap in the events is an error item.
    pub fn into_stream(self) -> impl Stream<Item = Result<Progress>> + Send {
        futures::stream::unfold(self, |mut watch| async move {
            let item = watch.next().await?;
            Some((item, watch))
        })
    }

    async fn next(&mut self) -> Option<Result<Progress>> {
        if self.finished {
            return None;
        }
        loop {
            match self.events.next().await? {
                Delivery::Missed(missed) => return Some(Err(PlansError::EventsMissed(missed))),
                Delivery::Event(event) => {
                    if let Some(progress) = self.apply(event) {
                        self.finished = progress.kind == WorkoutProgressKind::WorkoutCompleted;
                        return Some(Ok(progress));
                    }
                }
            }
        }
    }

    /// The progress `event` reports, if it is about this workout and by its owner.
    fn apply(&mut self, event: DomainEvent) -> Option<Progress> {
        if workout_event_of(&event)? != (self.owner, self.workout_id) {
            return None;
        }
        use WorkoutProgressKind as Kind;
        Some(match event {
            DomainEvent::WorkoutStarted { at, .. } => {
                self.started_at.get_or_insert(at);
                let mut progress = self.progress(Kind::WorkoutStarted, at, None);
                progress.next_exercise = self.exercises.first().cloned();
                progress
            }
            DomainEvent::SetLogged {
                exercise_id,
                set_index,
                reps,
                load_kg,
                reps_in_reserve,
                sets_logged,
                at,
                ..
            } => {
                self.sets_logged = sets_logged;
                Progress {
                    set_number: Some(set_index),
                    reps: Some(reps),
                    load_kg: Some(load_kg),
                    reps_in_reserve,
                    ..self.progress(Kind::SetLogged, at, Some(exercise_id))
                }
            }
            DomainEvent::RestStarted {
                exercise_id,
                seconds,
                sets_logged,
                at,
                ..
            } => {
                self.sets_logged = sets_logged;
                self.resting_after = exercise_id;
                Progress {
                    rest_seconds: Some(seconds),
                    ..self.progress(Kind::RestStarted, at, exercise_id)
                }
            }
            DomainEvent::RestEnded {
                sets_logged, at, ..
            } => {
                self.sets_logged = sets_logged;
                let exercise = self.resting_after.take();
                self.progress(Kind::RestEnded, at, exercise)
            }
            DomainEvent::ExerciseFinished {
                exercise_id,
                skipped,
                sets_logged,
                at,
                ..
            } => {
                self.sets_logged = sets_logged;
                let kind = if skipped {
                    Kind::ExerciseSkipped
                } else {
                    Kind::ExerciseCompleted
                };
                self.progress(kind, at, Some(exercise_id))
            }
            DomainEvent::WorkoutCompleted {
                sets_logged, at, ..
            } => {
                self.sets_logged = sets_logged;
                self.progress(Kind::WorkoutCompleted, at, None)
            }
            _ => return None,
        })
    }

    fn progress(
        &self,
        kind: WorkoutProgressKind,
        at: DateTime<Utc>,
        exercise_id: Option<Uuid>,
    ) -> Progress {
        Progress {
            kind,
            workout_id: self.workout_id,
            at,
            elapsed_seconds: self
                .started_at
                .map_or(0, |started| (at - started).num_seconds().max(0)),
            exercise_id,
            set_number: None,
            reps: None,
            load_kg: None,
            reps_in_reserve: None,
            rest_seconds: None,
            sets_logged: self.sets_logged,
            next_exercise: exercise_id.and_then(|id| self.exercise_after(id)),
        }
    }

    /// The exercise performed after the first occurrence of `exercise_id`.
    fn exercise_after(&self, exercise_id: Uuid) -> Option<workout_exercises::Model> {
        let index = self
            .exercises
            .iter()
            .position(|exercise| exercise.exercise_id == exercise_id)?;
        self.exercises.get(index + 1).cloned()
    }
}

/// The user and workout of a workout event; `None` for other events.
fn workout_event_of(event: &DomainEvent) -> Option<(Uuid, Uuid)> {
    match event {
        DomainEvent::SetLogged {
            user_id,
            workout_id,
            ..
        }
        | DomainEvent::WorkoutStarted {
            user_id,
            workout_id,
            ..
        }
        | DomainEvent::WorkoutCompleted {
            user_id,
            workout_id,
            ..
        }
        | DomainEvent::RestStarted {
            user_id,
            workout_id,
            ..
        }
        | DomainEvent::RestEnded {
            user_id,
            workout_id,
            ..
        }
        | DomainEvent::ExerciseFinished {
            user_id,
            workout_id,
            ..
        } => Some((*user_id, *workout_id)),
        DomainEvent::ExerciseChanged { .. }
        | DomainEvent::ProfileChanged { .. }
        | DomainEvent::TodayWorkoutChanged { .. } => None,
    }
}

/// A change devices showing today's workout should re-fetch it for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TodayChange {
    pub date: NaiveDate,
    pub workout_id: Option<Uuid>,
    pub reason: String,
}

/// Today's workout of one user, watched on their topic and on the workout's own
/// (whose completion feedback announces there).
pub struct TodayWatch {
    bus: Arc<dyn EventBus>,
    user_id: Uuid,
    user_events: EventStream,
    workout: Option<WatchedWorkout>,
}

struct WatchedWorkout {
    id: Uuid,
    date: NaiveDate,
    events: EventStream,
}

impl TodayWatch {
    pub async fn open(
        db: &DatabaseConnection,
        bus: Arc<dyn EventBus>,
        user_id: Uuid,
    ) -> Result<TodayWatch> {
        let user_events = bus.subscribe(&user_topic(user_id)).await?;
        let today = subgraph_common::clock::today();
        let mut watch = TodayWatch {
            bus,
            user_id,
            user_events,
            workout: None,
        };
        if let Some(workout_id) = generated_workout(db, user_id, today).await? {
            watch.watch_workout(workout_id, today).await;
        }
        Ok(watch)
    }

    pub fn into_stream(self) -> impl Stream<Item = Result<TodayChange>> + Send {
        futures::stream::unfold(self, |mut watch| async move {
            let item = watch.next().await?;
            Some((item, watch))
        })
    }

    async fn next(&mut self) -> Option<Result<TodayChange>> {
        loop {
            let delivery = tokio::select! {
                delivery = self.user_events.next() => delivery?,
                delivery = next_of(&mut self.workout) => match delivery {
                    Some(delivery) => delivery,
                    None => {
                        self.workout = None;
                        continue;
                    }
                },
            };
            match delivery {
                Delivery::Missed(missed) => return Some(Err(PlansError::EventsMissed(missed))),
                Delivery::Event(event) => {
                    if let Some(change) = self.apply(event).await {
                        return Some(Ok(change));
                    }
                }
            }
        }
    }

    async fn apply(&mut self, event: DomainEvent) -> Option<TodayChange> {
        match event {
            DomainEvent::TodayWorkoutChanged {
                user_id,
                date,
                workout_id,
                reason,
            } if user_id == self.user_id => {
                if let Some(id) = workout_id.filter(|id| !self.is_watching(*id)) {
                    self.watch_workout(id, date).await;
                }
                Some(TodayChange {
                    date,
                    workout_id,
                    reason,
                })
            }
            // Goal, equipment, schedule or recovery may regenerate it: the device
            // re-fetches to learn which workout today's is now.
            DomainEvent::ProfileChanged { user_id } if user_id == self.user_id => {
                Some(TodayChange {
                    date: subgraph_common::clock::today(),
                    workout_id: None,
                    reason: reasons::PROFILE_CHANGED.to_owned(),
                })
            }
            DomainEvent::WorkoutCompleted {
                user_id,
                workout_id,
                ..
            } if user_id == self.user_id && self.is_watching(workout_id) => {
                let watched = self.workout.take()?;
                Some(TodayChange {
                    date: watched.date,
                    workout_id: Some(watched.id),
                    reason: reasons::COMPLETED.to_owned(),
                })
            }
            _ => None,
        }
    }

    fn is_watching(&self, workout_id: Uuid) -> bool {
        self.workout
            .as_ref()
            .is_some_and(|watched| watched.id == workout_id)
    }

    /// Follows `workout_id` instead of the workout followed so far. Without it only
    /// completions go unnoticed, so a failure is logged rather than ending the stream.
    async fn watch_workout(&mut self, workout_id: Uuid, date: NaiveDate) {
        self.workout = match self.bus.subscribe(&workout_topic(workout_id)).await {
            Ok(events) => Some(WatchedWorkout {
                id: workout_id,
                date,
                events,
            }),
            Err(error) => {
                tracing::warn!(%error, %workout_id, "cannot follow today's workout");
                None
            }
        };
    }
}

/// The workout generated for `user_id` on `day`, which `todayWorkout` shows that day.
pub async fn generated_workout(
    db: &DatabaseConnection,
    user_id: Uuid,
    day: NaiveDate,
) -> Result<Option<Uuid>> {
    let row = recommendations::Entity::find()
        .filter(recommendations::Column::UserId.eq(user_id))
        .filter(recommendations::Column::Day.eq(day))
        .one(db)
        .await?;
    Ok(row.map(|row| row.workout_id))
}

/// The next delivery of the watched workout; never, when none is watched.
async fn next_of(workout: &mut Option<WatchedWorkout>) -> Option<Delivery> {
    match workout {
        Some(watched) => watched.events.next().await,
        None => std::future::pending().await,
    }
}
