//! Group commit for logged sets: `logSet` calls that arrive together are written together.
//!
//! One task owns the writes. It takes every call waiting (up to [`MAX_BATCH`]), reads
//! whose workouts they name with one query per table, inserts all the accepted rows in
//! one statement (one commit), counts the workouts' sets with one more, and answers each
//! call. Under load the database sees four statements and one commit per batch instead of
//! four statements per set; a call that arrives alone is written at once, with no window
//! to wait out.
//!
//! The answers are those of writing the calls one by one in arrival order: a workout
//! another user recorded sets on or completed, earlier in the batch included, is "not
//! found"; a repeated idempotency key replays or conflicts exactly as in [`store`]. A
//! batch the database refuses as a whole is retried one call at a time, so one bad row
//! never fails its neighbours.

use std::collections::{BTreeSet, HashMap, HashSet};

use fitgraph_entities::feedback::{set_logs, workout_completions};
use sea_orm::{
    ColumnTrait, DatabaseConnection, DbErr, EntityTrait, IntoActiveModel, QueryFilter, QuerySelect,
    TryInsertResult,
};
use tokio::sync::{mpsc, oneshot};
use uuid::Uuid;

use crate::error::FeedbackError;
use crate::store::{self, Stored};
use crate::validate::NewSetLog;

/// The most calls one batch writes: bounds the statement's size.
const MAX_BATCH: usize = 128;
/// Calls waiting beyond this wait to be queued (back-pressure instead of memory).
const QUEUE_DEPTH: usize = 4096;

/// A logged set, and for one this call wrote, how many sets its user has logged in the
/// workout counting it (`None` if that count could not be read).
#[derive(Debug, Clone, PartialEq)]
pub struct LoggedSet {
    pub stored: Stored<set_logs::Model>,
    pub sets_logged: Option<u64>,
}

/// The handle resolvers write through; cheap to share.
pub struct SetLogWriter {
    db: DatabaseConnection,
    queue: Option<mpsc::Sender<Call>>,
}

struct Call {
    new: NewSetLog,
    answer: oneshot::Sender<Result<LoggedSet, FeedbackError>>,
}

impl SetLogWriter {
    /// A writer with its task on the current runtime; outside one (printing the SDL),
    /// a writer that writes each call itself.
    pub fn start(db: DatabaseConnection) -> SetLogWriter {
        let queue = tokio::runtime::Handle::try_current().ok().map(|runtime| {
            let (sender, receiver) = mpsc::channel(QUEUE_DEPTH);
            runtime.spawn(write_batches(db.clone(), receiver));
            sender
        });
        SetLogWriter { db, queue }
    }

    pub async fn log(&self, new: NewSetLog) -> Result<LoggedSet, FeedbackError> {
        let Some(queue) = &self.queue else {
            return write_one(&self.db, new).await;
        };
        let (answer, answered) = oneshot::channel();
        if let Err(refused) = queue.send(Call { new, answer }).await {
            // The task is gone (its runtime is shutting down): write it here.
            return write_one(&self.db, refused.0.new).await;
        }
        answered.await.map_err(|_| FeedbackError::WriterGone)?
    }
}

async fn write_batches(db: DatabaseConnection, mut receiver: mpsc::Receiver<Call>) {
    let mut batch = Vec::with_capacity(MAX_BATCH);
    while receiver.recv_many(&mut batch, MAX_BATCH).await > 0 {
        write_batch(&db, std::mem::take(&mut batch)).await;
    }
}

async fn write_batch(db: &DatabaseConnection, calls: Vec<Call>) {
    let news: Vec<&NewSetLog> = calls.iter().map(|call| &call.new).collect();
    match try_batch(db, &news).await {
        Ok(results) => {
            for (call, result) in calls.into_iter().zip(results) {
                // A caller that went away still had its set written; a retry replays it.
                let _ = call.answer.send(result);
            }
        }
        Err(error) => {
            tracing::warn!(%error, calls = calls.len(), "a batch of logged sets failed; writing them one by one");
            for call in calls {
                let _ = call.answer.send(write_one(db, call.new).await);
            }
        }
    }
}

/// One call alone, as [`store::log_set`] writes it.
async fn write_one(db: &DatabaseConnection, new: NewSetLog) -> Result<LoggedSet, FeedbackError> {
    let (user_id, workout_id) = (new.user_id, new.workout_id);
    let stored = store::log_set(db, new).await?;
    let sets_logged = match &stored {
        Stored::Written(_) => count_or_warn(store::sets_logged(db, user_id, workout_id).await),
        Stored::Replayed(_) => None,
    };
    Ok(LoggedSet {
        stored,
        sets_logged,
    })
}

fn count_or_warn<T>(count: Result<T, FeedbackError>) -> Option<T> {
    count
        .inspect_err(|error| tracing::warn!(%error, "cannot count the sets logged"))
        .ok()
}

/// Each call's answer, in order; `Err` only when the batch as a whole failed.
async fn try_batch(
    db: &DatabaseConnection,
    news: &[&NewSetLog],
) -> Result<Vec<Result<LoggedSet, FeedbackError>>, DbErr> {
    let mut recorders = recorders_of(db, news).await?;
    let accepted: Vec<bool> = news
        .iter()
        .map(|new| {
            let users = recorders.entry(new.workout_id).or_default();
            let anothers = users.iter().any(|user| *user != new.user_id);
            if !anothers {
                users.insert(new.user_id);
            }
            !anothers
        })
        .collect();
    let rows: Vec<set_logs::Model> = news.iter().map(|new| store::set_log_row(new)).collect();
    let written = insert_accepted(db, &rows, &accepted).await?;
    let mut counts = counts_after(db, &rows, &written).await;
    let mut results = Vec::with_capacity(news.len());
    for ((new, row), accepted) in news.iter().zip(&rows).zip(accepted) {
        results.push(if !accepted {
            Err(FeedbackError::WorkoutNotFound(new.workout_id))
        } else if written.contains(&row.id) {
            let sets_logged = counts.as_mut().and_then(|counts| counts.take_next(new));
            Ok(LoggedSet {
                stored: Stored::Written(row.clone()),
                sets_logged,
            })
        } else {
            store::replay_set_log(db, new)
                .await
                .map(|existing| LoggedSet {
                    stored: Stored::Replayed(existing),
                    sets_logged: None,
                })
        });
    }
    Ok(results)
}

/// Who recorded sets on, or completed, each workout the batch names.
async fn recorders_of(
    db: &DatabaseConnection,
    news: &[&NewSetLog],
) -> Result<HashMap<Uuid, HashSet<Uuid>>, DbErr> {
    let workouts: BTreeSet<Uuid> = news.iter().map(|new| new.workout_id).collect();
    let logged: Vec<(Uuid, Uuid)> = set_logs::Entity::find()
        .select_only()
        .column(set_logs::Column::WorkoutId)
        .column(set_logs::Column::UserId)
        .distinct()
        .filter(set_logs::Column::WorkoutId.is_in(workouts.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    let completed: Vec<(Uuid, Uuid)> = workout_completions::Entity::find()
        .select_only()
        .column(workout_completions::Column::WorkoutId)
        .column(workout_completions::Column::UserId)
        .filter(workout_completions::Column::WorkoutId.is_in(workouts))
        .into_tuple()
        .all(db)
        .await?;
    let mut recorders: HashMap<Uuid, HashSet<Uuid>> = HashMap::new();
    for (workout, user) in logged.into_iter().chain(completed) {
        recorders.entry(workout).or_default().insert(user);
    }
    Ok(recorders)
}

/// Inserts the accepted rows in one statement; the ids of those written (a row whose
/// user already holds its idempotency key is skipped, to be replayed).
async fn insert_accepted(
    db: &DatabaseConnection,
    rows: &[set_logs::Model],
    accepted: &[bool],
) -> Result<HashSet<Uuid>, DbErr> {
    let to_insert: Vec<set_logs::ActiveModel> = rows
        .iter()
        .zip(accepted)
        .filter(|(_, accepted)| **accepted)
        .map(|(row, _)| row.clone().into_active_model())
        .collect();
    if to_insert.is_empty() {
        return Ok(HashSet::new());
    }
    let inserted = set_logs::Entity::insert_many(to_insert)
        .on_conflict_do_nothing_on([set_logs::Column::UserId, set_logs::Column::IdempotencyKey])
        .exec_with_returning_keys(db)
        .await?;
    Ok(match inserted {
        TryInsertResult::Inserted(ids) => ids.into_iter().collect(),
        // Every row's key was held already: all are replays.
        TryInsertResult::Empty | TryInsertResult::Conflicted => HashSet::new(),
    })
}

/// Set counts per user and workout after the batch, handed out so that the batch's
/// last set of a workout gets the total and each earlier one a step less.
struct CountsAfter {
    remaining: HashMap<(Uuid, Uuid), (u64, u64)>,
}

impl CountsAfter {
    /// `None` when the pair was not counted: its sets were purged meanwhile.
    fn take_next(&mut self, new: &NewSetLog) -> Option<u64> {
        let (total, still_to_hand) = self.remaining.get_mut(&(new.user_id, new.workout_id))?;
        *still_to_hand = still_to_hand.saturating_sub(1);
        Some(total.saturating_sub(*still_to_hand))
    }
}

async fn counts_after(
    db: &DatabaseConnection,
    rows: &[set_logs::Model],
    written: &HashSet<Uuid>,
) -> Option<CountsAfter> {
    let written_rows = || rows.iter().filter(|row| written.contains(&row.id));
    let workouts: BTreeSet<Uuid> = written_rows().map(|row| row.workout_id).collect();
    if workouts.is_empty() {
        return None;
    }
    let counted: Result<Vec<(Uuid, Uuid, i64)>, DbErr> = set_logs::Entity::find()
        .select_only()
        .column(set_logs::Column::WorkoutId)
        .column(set_logs::Column::UserId)
        .column_as(set_logs::Column::Id.count(), "sets")
        .filter(set_logs::Column::WorkoutId.is_in(workouts))
        .group_by(set_logs::Column::WorkoutId)
        .group_by(set_logs::Column::UserId)
        .into_tuple()
        .all(db)
        .await;
    let counted = count_or_warn(counted.map_err(FeedbackError::from))?;
    let mut remaining: HashMap<(Uuid, Uuid), (u64, u64)> = counted
        .into_iter()
        .map(|(workout, user, sets)| ((user, workout), (sets.unsigned_abs(), 0)))
        .collect();
    for row in written_rows() {
        // A written row is counted: its pair is present.
        if let Some((_, still_to_hand)) = remaining.get_mut(&(row.user_id, row.workout_id)) {
            *still_to_hand += 1;
        }
    }
    Some(CountsAfter { remaining })
}
