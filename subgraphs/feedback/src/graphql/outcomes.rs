//! What `Query.trainingOutcomes` returns: every user's completions, for services only.

use async_graphql::{ID, SimpleObject};
use chrono::{DateTime, Utc};
use fitgraph_entities::feedback::exercise_outcomes;

use crate::outcomes::OutcomePage;
use crate::store::Completion;

/// One page of `trainingOutcomes`.
#[derive(SimpleObject)]
pub struct TrainingOutcomePage {
    /// Oldest recorded first.
    pub outcomes: Vec<TrainingOutcome>,
    /// Pass as `after` to read on: the last outcome's cursor, or the `after` this page was
    /// asked for when it is empty, so a consumer can always keep the latest one. Null only
    /// when nothing has been listed yet.
    pub end_cursor: Option<String>,
    /// Whether more outcomes are listed after this page right now; later completions
    /// appear after the end cursor either way.
    pub has_next_page: bool,
}

impl From<OutcomePage> for TrainingOutcomePage {
    fn from(page: OutcomePage) -> TrainingOutcomePage {
        TrainingOutcomePage {
            outcomes: page
                .completions
                .into_iter()
                .map(TrainingOutcome::from)
                .collect(),
            end_cursor: page.end_cursor,
            has_next_page: page.has_next_page,
        }
    }
}

/// One completed workout of any user, with how each prescribed exercise went.
#[derive(SimpleObject)]
pub struct TrainingOutcome {
    pub completion_id: ID,
    pub workout_id: ID,
    pub user_id: ID,
    pub completed_at: DateTime<Utc>,
    /// Session rating of perceived exertion, 1-10.
    pub session_rpe: Option<i32>,
    /// One entry per prescribed exercise, in the order the client sent them.
    pub exercises: Vec<TrainingOutcomeExercise>,
}

impl From<Completion> for TrainingOutcome {
    fn from(completion: Completion) -> TrainingOutcome {
        let row = completion.row;
        TrainingOutcome {
            completion_id: ID::from(row.id),
            workout_id: ID::from(row.workout_id),
            user_id: ID::from(row.user_id),
            completed_at: row.completed_at,
            session_rpe: row.session_rpe,
            exercises: completion
                .outcomes
                .into_iter()
                .map(TrainingOutcomeExercise::from)
                .collect(),
        }
    }
}

/// How one prescribed exercise of a `TrainingOutcome` went; notes are left out, being
/// free text of the user's.
#[derive(SimpleObject)]
pub struct TrainingOutcomeExercise {
    pub exercise_id: ID,
    pub completed: bool,
    /// Not both `completed` and `skipped`; neither means partly done.
    pub skipped: bool,
    /// 1 (far too easy) to 5 (far too hard).
    pub difficulty: Option<i32>,
}

impl From<exercise_outcomes::Model> for TrainingOutcomeExercise {
    fn from(row: exercise_outcomes::Model) -> TrainingOutcomeExercise {
        TrainingOutcomeExercise {
            exercise_id: ID::from(row.exercise_id),
            completed: row.completed,
            skipped: row.skipped,
            difficulty: row.difficulty,
        }
    }
}
