//! Ending the population's history at exactly the asked number of feedback rows: the
//! person who reaches it stops there, their last workout cut to the rows that fit.

use fitgraph_entities::feedback::exercise_ratings;

use super::history::{Generator, Session};
use super::ids::{self, Kind};
use super::people::Person;
use super::perform::facts;
use crate::simulate::behaviour::opinion;

impl Generator {
    /// The sessions that fit in `left` feedback rows, oldest first: whole ones while
    /// they fit, then the first that does not, cut to the rows left, then nothing.
    pub fn within(&self, person: &Person, sessions: Vec<Session>, left: u64) -> Vec<Session> {
        let mut left = left;
        let mut kept = Vec::with_capacity(sessions.len());
        for session in sessions {
            if left == 0 {
                break;
            }
            let rows = session.feedback_rows();
            if rows <= left {
                left -= rows;
                kept.push(session);
            } else {
                kept.push(self.cut(person, session, left));
                left = 0;
            }
        }
        kept
    }

    /// `session` holding exactly `left` feedback rows, fewer than it has. A completion
    /// lists every exercise, so it stays whole with its outcomes when they fit, and
    /// the rating and set logs are cut; when even they do not fit, the workout goes
    /// unreported and its first exercises are rated instead (one row each).
    fn cut(&self, person: &Person, mut session: Session, left: u64) -> Session {
        let Some(mut report) = session.report.take() else {
            // Only a reported workout has rows; nothing else can be over budget.
            return session;
        };
        let core = 1 + report.outcomes.len() as u64;
        if left >= core {
            let mut rest = usize::try_from(left - core).unwrap_or(usize::MAX);
            session.ratings.truncate(rest);
            rest -= session.ratings.len();
            report.set_logs.truncate(rest);
            session.report = Some(report);
        } else {
            session.ratings = self.ratings_instead(person, &session, left);
        }
        session
    }

    /// `count` ratings of the session's first exercises, by the person's taste.
    fn ratings_instead(
        &self,
        person: &Person,
        session: &Session,
        count: u64,
    ) -> Vec<exercise_ratings::Model> {
        let (high, low) = session.workout.id.as_u64_pair();
        let mut rng = ids::stream(self.seed, Kind::Rating, &[high, low]);
        let rated_at = session.workout.created_at + chrono::TimeDelta::hours(2);
        (0..count)
            .zip(&session.exercises)
            .map(|(number, prescribed)| {
                let facts = facts(&self.catalog, prescribed.exercise_id);
                let rating = opinion(&mut rng, self.seed, &person.traits, &facts.as_facts());
                exercise_ratings::Model {
                    id: ids::id(self.seed, Kind::Rating, &[high, low, number + 1]),
                    idempotency_key: format!("scale-rate-{}-{}", session.workout.id, number + 1),
                    user_id: person.id,
                    exercise_id: prescribed.exercise_id,
                    rating: i32::try_from(rating).unwrap_or(3),
                    comment: None,
                    created_at: rated_at,
                }
            })
            .collect()
    }
}
