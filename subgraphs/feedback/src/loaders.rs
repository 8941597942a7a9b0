//! DataLoaders: every read behind the graph goes through one of these, so a request for
//! N users or N workouts costs one SELECT per table, whatever N is.
//!
//! The loaders are shared by every request and keep no cache, so nothing one user read
//! is ever served to another. Every key names the user whose records it reads, and the
//! queries filter on it, so a batch mixing users hands each only their own rows.

use std::collections::{BTreeSet, HashMap};
use std::sync::Arc;

use async_graphql::dataloader::Loader;
use chrono::{DateTime, Utc};
use fitgraph_entities::feedback::{
    exercise_outcomes, exercise_ratings, set_logs, workout_completions,
};
use sea_orm::{ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter, QueryOrder};
use subgraph_common::batching::Batched;
use uuid::Uuid;

use crate::signals::{History, LOOKBACK, OutcomeRecord, RatingRecord, SetRecord};
use crate::store::Completion;

/// One user's history as seen from one instant: the [`LOOKBACK`] before `as_of`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct HistoryKey {
    pub user_id: Uuid,
    pub as_of: DateTime<Utc>,
}

/// One user's records on one workout: a workout id alone never reads anyone's data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct UsersWorkout {
    pub user_id: Uuid,
    pub workout_id: Uuid,
}

impl UsersWorkout {
    fn of(user_id: Uuid, workout_id: Uuid) -> UsersWorkout {
        UsersWorkout {
            user_id,
            workout_id,
        }
    }
}

/// The distinct workouts and users of a batch, for one `IN` filter each.
fn split(keys: &[UsersWorkout]) -> (BTreeSet<Uuid>, BTreeSet<Uuid>) {
    let workouts = keys.iter().map(|key| key.workout_id).collect();
    let users = keys.iter().map(|key| key.user_id).collect();
    (workouts, users)
}

/// The loaders of one schema, each without a cache (every batch reads current rows).
pub struct Loaders {
    set_history: Batched<SetHistory>,
    outcome_history: Batched<OutcomeHistory>,
    rating_history: Batched<RatingHistory>,
    completion_by_workout: Batched<CompletionByWorkout>,
    outcomes_by_completion: Batched<OutcomesByCompletion>,
    sets_by_workout: Batched<SetsByWorkout>,
}

impl Loaders {
    pub fn new(db: &DatabaseConnection) -> Loaders {
        Loaders {
            set_history: Batched::new(SetHistory(db.clone())),
            outcome_history: Batched::new(OutcomeHistory(db.clone())),
            rating_history: Batched::new(RatingHistory(db.clone())),
            completion_by_workout: Batched::new(CompletionByWorkout(db.clone())),
            outcomes_by_completion: Batched::new(OutcomesByCompletion(db.clone())),
            sets_by_workout: Batched::new(SetsByWorkout(db.clone())),
        }
    }

    /// One user's sets, outcomes and ratings over the [`LOOKBACK`] before `key.as_of`.
    pub async fn history(&self, key: HistoryKey) -> Result<History, Arc<DbErr>> {
        let (sets, outcomes, ratings) = futures::try_join!(
            self.set_history.load_one(key),
            self.outcome_history.load_one(key),
            self.rating_history.load_one(key),
        )?;
        Ok(History {
            sets: sets.unwrap_or_default(),
            outcomes: outcomes.unwrap_or_default(),
            ratings: ratings.unwrap_or_default(),
        })
    }

    /// The user's completion of the workout with its outcomes; `None` until they complete it.
    pub async fn completion(&self, key: UsersWorkout) -> Result<Option<Completion>, Arc<DbErr>> {
        let Some(row) = self.completion_by_workout.load_one(key).await? else {
            return Ok(None);
        };
        let outcomes = self.outcomes_by_completion.load_one(row.id).await?;
        Ok(Some(Completion {
            row,
            outcomes: outcomes.unwrap_or_default(),
        }))
    }

    /// The sets the user logged against the workout, oldest first.
    pub async fn sets_of_workout(
        &self,
        key: UsersWorkout,
    ) -> Result<Vec<set_logs::Model>, Arc<DbErr>> {
        Ok(self
            .sets_by_workout
            .load_one(key)
            .await?
            .unwrap_or_default())
    }
}

/// The users and the time span one batch of history keys covers.
struct Span {
    user_ids: Vec<Uuid>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
}

impl Span {
    fn covering(keys: &[HistoryKey]) -> Option<Span> {
        let to = keys.iter().map(|key| key.as_of).max()?;
        let earliest = keys.iter().map(|key| key.as_of).min()?;
        let mut user_ids: Vec<Uuid> = keys.iter().map(|key| key.user_id).collect();
        user_ids.sort_unstable();
        user_ids.dedup();
        Some(Span {
            user_ids,
            from: earliest - LOOKBACK,
            to,
        })
    }
}

/// Hands each key the rows of its user that fall in its own window.
fn per_key<T: Clone>(
    keys: &[HistoryKey],
    rows: Vec<(Uuid, DateTime<Utc>, T)>,
) -> HashMap<HistoryKey, Vec<T>> {
    let mut by_user: HashMap<Uuid, Vec<(DateTime<Utc>, T)>> = HashMap::new();
    for (user_id, at, row) in rows {
        by_user.entry(user_id).or_default().push((at, row));
    }
    keys.iter()
        .map(|key| {
            let rows = by_user
                .get(&key.user_id)
                .map(Vec::as_slice)
                .unwrap_or_default();
            let in_window = rows
                .iter()
                .filter(|(at, _)| *at <= key.as_of && *at > key.as_of - LOOKBACK);
            (*key, in_window.map(|(_, row)| row.clone()).collect())
        })
        .collect()
}

pub struct SetHistory(DatabaseConnection);

impl Loader<HistoryKey> for SetHistory {
    type Value = Vec<SetRecord>;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[HistoryKey],
    ) -> Result<HashMap<HistoryKey, Vec<SetRecord>>, Arc<DbErr>> {
        let Some(span) = Span::covering(keys) else {
            return Ok(HashMap::new());
        };
        let rows = set_logs::Entity::find()
            .filter(set_logs::Column::UserId.is_in(span.user_ids))
            .filter(set_logs::Column::LoggedAt.gt(span.from))
            .filter(set_logs::Column::LoggedAt.lte(span.to))
            .order_by_asc(set_logs::Column::LoggedAt)
            .all(&self.0)
            .await?;
        let records = rows.into_iter().map(|row| {
            let record = SetRecord {
                exercise_id: row.exercise_id,
                workout_id: row.workout_id,
                set_index: row.set_index,
                reps: row.reps,
                load_kg: row.load_kg,
                reps_in_reserve: row.reps_in_reserve,
                logged_at: row.logged_at,
            };
            (row.user_id, row.logged_at, record)
        });
        Ok(per_key(keys, records.collect()))
    }
}

pub struct OutcomeHistory(DatabaseConnection);

impl Loader<HistoryKey> for OutcomeHistory {
    type Value = Vec<OutcomeRecord>;
    type Error = Arc<DbErr>;

    /// Outcomes carry neither user nor time; one joined SELECT reads both tables.
    async fn load(
        &self,
        keys: &[HistoryKey],
    ) -> Result<HashMap<HistoryKey, Vec<OutcomeRecord>>, Arc<DbErr>> {
        let Some(span) = Span::covering(keys) else {
            return Ok(HashMap::new());
        };
        let rows = exercise_outcomes::Entity::find()
            .inner_join(workout_completions::Entity)
            .select_also(workout_completions::Entity)
            .filter(workout_completions::Column::UserId.is_in(span.user_ids))
            .filter(workout_completions::Column::CompletedAt.gt(span.from))
            .filter(workout_completions::Column::CompletedAt.lte(span.to))
            .all(&self.0)
            .await?;
        let records = rows.into_iter().filter_map(|(outcome, completion)| {
            let completion = completion?;
            let record = OutcomeRecord {
                exercise_id: outcome.exercise_id,
                completed: outcome.completed,
                skipped: outcome.skipped,
                difficulty: outcome.difficulty,
                completed_at: completion.completed_at,
            };
            Some((completion.user_id, completion.completed_at, record))
        });
        Ok(per_key(keys, records.collect()))
    }
}

pub struct RatingHistory(DatabaseConnection);

impl Loader<HistoryKey> for RatingHistory {
    type Value = Vec<RatingRecord>;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[HistoryKey],
    ) -> Result<HashMap<HistoryKey, Vec<RatingRecord>>, Arc<DbErr>> {
        let Some(span) = Span::covering(keys) else {
            return Ok(HashMap::new());
        };
        let rows = exercise_ratings::Entity::find()
            .filter(exercise_ratings::Column::UserId.is_in(span.user_ids))
            .filter(exercise_ratings::Column::CreatedAt.gt(span.from))
            .filter(exercise_ratings::Column::CreatedAt.lte(span.to))
            .all(&self.0)
            .await?;
        let records = rows.into_iter().map(|row| {
            let record = RatingRecord {
                exercise_id: row.exercise_id,
                rating: row.rating,
                rated_at: row.created_at,
            };
            (row.user_id, row.created_at, record)
        });
        Ok(per_key(keys, records.collect()))
    }
}

/// (user, workout) -> the user's completion of it, absent when they have not completed it.
pub struct CompletionByWorkout(DatabaseConnection);

impl Loader<UsersWorkout> for CompletionByWorkout {
    type Value = workout_completions::Model;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[UsersWorkout],
    ) -> Result<HashMap<UsersWorkout, workout_completions::Model>, Arc<DbErr>> {
        let (workout_ids, user_ids) = split(keys);
        let rows = workout_completions::Entity::find()
            .filter(workout_completions::Column::WorkoutId.is_in(workout_ids))
            .filter(workout_completions::Column::UserId.is_in(user_ids))
            .all(&self.0)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| (UsersWorkout::of(row.user_id, row.workout_id), row))
            .collect())
    }
}

/// Completion id -> its outcomes in the order the client listed them.
pub struct OutcomesByCompletion(DatabaseConnection);

impl Loader<Uuid> for OutcomesByCompletion {
    type Value = Vec<exercise_outcomes::Model>;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        completion_ids: &[Uuid],
    ) -> Result<HashMap<Uuid, Self::Value>, Arc<DbErr>> {
        let rows = exercise_outcomes::Entity::find()
            .filter(exercise_outcomes::Column::CompletionId.is_in(completion_ids.iter().copied()))
            .order_by_asc(exercise_outcomes::Column::Position)
            .all(&self.0)
            .await?;
        let mut grouped: HashMap<Uuid, Self::Value> = HashMap::new();
        for row in rows {
            grouped.entry(row.completion_id).or_default().push(row);
        }
        Ok(grouped)
    }
}

/// (user, workout) -> the sets the user logged against it, oldest first.
pub struct SetsByWorkout(DatabaseConnection);

impl Loader<UsersWorkout> for SetsByWorkout {
    type Value = Vec<set_logs::Model>;
    type Error = Arc<DbErr>;

    async fn load(
        &self,
        keys: &[UsersWorkout],
    ) -> Result<HashMap<UsersWorkout, Self::Value>, Arc<DbErr>> {
        let (workout_ids, user_ids) = split(keys);
        let rows = set_logs::Entity::find()
            .filter(set_logs::Column::WorkoutId.is_in(workout_ids))
            .filter(set_logs::Column::UserId.is_in(user_ids))
            .order_by_asc(set_logs::Column::LoggedAt)
            .order_by_asc(set_logs::Column::SetIndex)
            .all(&self.0)
            .await?;
        let mut grouped: HashMap<UsersWorkout, Self::Value> = HashMap::new();
        for row in rows {
            let key = UsersWorkout::of(row.user_id, row.workout_id);
            grouped.entry(key).or_default().push(row);
        }
        Ok(grouped)
    }
}
