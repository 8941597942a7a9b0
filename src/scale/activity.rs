//! Writes the people's histories to plans and feedback as they are generated, until the
//! feedback database holds the asked number of rows, a few dozen people per transaction.

use std::collections::HashSet;

use fitgraph_entities::feedback::{
    exercise_outcomes, exercise_ratings, set_logs, workout_completions,
};
use fitgraph_entities::plans::{recommendations, workout_exercises, workouts};
use sea_orm::{DatabaseConnection, TransactionTrait};
use subgraph_common::{Progress, SubgraphName};
use uuid::Uuid;

use super::history::{Generator, Session};
use super::{ScaleError, generate, write};

/// Rows written per table (rows that existed already are not counted).
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Activity {
    /// People given any history (whether written now or by an earlier run).
    pub people: u64,
    pub workouts: u64,
    pub workout_exercises: u64,
    pub recommendations: u64,
    pub completions: u64,
    pub outcomes: u64,
    pub set_logs: u64,
    pub ratings: u64,
}

impl Activity {
    /// Rows written to the feedback database.
    pub fn feedback_rows(&self) -> u64 {
        self.completions + self.outcomes + self.set_logs + self.ratings
    }
}

/// Where histories go.
pub struct Targets<'a> {
    pub plans: &'a DatabaseConnection,
    pub feedback: &'a DatabaseConnection,
}

/// Generates the histories of the people marked `present` (those whose user row is
/// ours), in index order, and writes them until `rows` feedback rows are placed. Fails
/// when everyone's history together holds fewer, after writing them.
pub async fn write_histories(
    targets: &Targets<'_>,
    generator: Generator,
    present: Vec<bool>,
    rows: u64,
    progress: &dyn Progress,
) -> Result<Activity, ScaleError> {
    progress.start("history (feedback rows)", rows);
    let people = present.iter().filter(|present| **present).count();
    let (mut chunks, generating) = generate::start(generator, present, rows);
    let mut activity = Activity::default();
    while let Some(chunk) = chunks.recv().await {
        let chunk = chunk?;
        activity.people += chunk.histories.len() as u64;
        write_chunk(targets, chunk.histories, &mut activity).await?;
        progress.advance(chunk.rows);
    }
    let placed = generating
        .await
        .map_err(|err| ScaleError::Generation(err.to_string()))?;
    progress.finish();
    if placed < rows {
        return Err(ScaleError::NotEnoughPeople {
            asked: rows,
            placed,
            people,
        });
    }
    Ok(activity)
}

/// Writes the histories of people plans has no recommendation for yet: someone with
/// one was written by an earlier run (or used the app), so their history is kept as
/// it is. Feedback goes first: a run interrupted between the two writes the plans
/// side on the next run, while feedback's rows are then found and kept.
async fn write_chunk(
    targets: &Targets<'_>,
    chunk: Vec<(Uuid, Vec<Session>)>,
    activity: &mut Activity,
) -> Result<(), ScaleError> {
    let users: Vec<Uuid> = chunk.iter().map(|(user, _)| *user).collect();
    let table = write::place(SubgraphName::Plans, "recommendations");
    let known = write::existing::<recommendations::Entity, _>(
        targets.plans,
        recommendations::Column::UserId,
        &users,
        table,
    )
    .await?;
    let fresh: Vec<Session> = chunk
        .into_iter()
        .filter(|(user, _)| !known.contains(user))
        .flat_map(|(_, sessions)| sessions)
        .collect();
    if fresh.is_empty() {
        return Ok(());
    }
    write_feedback(targets.feedback, &fresh, activity).await?;
    write_plans(targets.plans, fresh, activity).await
}

async fn write_feedback(
    db: &DatabaseConnection,
    sessions: &[Session],
    activity: &mut Activity,
) -> Result<(), ScaleError> {
    let at = |table| write::place(SubgraphName::Feedback, table);
    let txn = db
        .begin()
        .await
        .map_err(at("workout_completions").failed())?;
    let reports = sessions
        .iter()
        .filter_map(|session| session.report.as_ref());
    let completions: Vec<_> = reports.clone().map(|r| r.completion.clone()).collect();
    let ids: Vec<Uuid> = completions.iter().map(|completion| completion.id).collect();
    activity.completions += write::insert_new::<workout_completions::Entity, _>(
        &txn,
        completions,
        at("workout_completions"),
    )
    .await?;
    // A workout completed by an earlier run keeps its completion (whose id differs), so
    // only the outcomes of completions written now are new.
    let written: HashSet<Uuid> = write::existing::<workout_completions::Entity, _>(
        &txn,
        workout_completions::Column::Id,
        &ids,
        at("workout_completions"),
    )
    .await?;
    let outcomes = reports
        .clone()
        .filter(|report| written.contains(&report.completion.id))
        .flat_map(|report| report.outcomes.iter().cloned())
        .collect();
    activity.outcomes +=
        write::insert_new::<exercise_outcomes::Entity, _>(&txn, outcomes, at("exercise_outcomes"))
            .await?;
    let sets = reports
        .flat_map(|report| report.set_logs.iter().cloned())
        .collect();
    activity.set_logs +=
        write::insert_new::<set_logs::Entity, _>(&txn, sets, at("set_logs")).await?;
    let ratings = sessions
        .iter()
        .flat_map(|s| s.ratings.iter().cloned())
        .collect();
    activity.ratings +=
        write::insert_new::<exercise_ratings::Entity, _>(&txn, ratings, at("exercise_ratings"))
            .await?;
    txn.commit()
        .await
        .map_err(at("workout_completions").failed())
}

async fn write_plans(
    db: &DatabaseConnection,
    sessions: Vec<Session>,
    activity: &mut Activity,
) -> Result<(), ScaleError> {
    let at = |table| write::place(SubgraphName::Plans, table);
    let mut workouts = Vec::with_capacity(sessions.len());
    let mut prescribed = Vec::new();
    let mut recommendations = Vec::with_capacity(sessions.len());
    for session in sessions {
        workouts.push(session.workout);
        prescribed.extend(session.exercises);
        recommendations.push(session.recommendation);
    }
    let txn = db.begin().await.map_err(at("workouts").failed())?;
    activity.workouts +=
        write::insert_new::<workouts::Entity, _>(&txn, workouts, at("workouts")).await?;
    activity.workout_exercises += write::insert_new::<workout_exercises::Entity, _>(
        &txn,
        prescribed,
        at("workout_exercises"),
    )
    .await?;
    activity.recommendations += write::insert_new::<recommendations::Entity, _>(
        &txn,
        recommendations,
        at("recommendations"),
    )
    .await?;
    txn.commit().await.map_err(at("workouts").failed())
}
