//! The outcomes feed: every user's workout completions, for model training and experiment
//! analysis, read page by page by a service holding the `admin` scope.
//!
//! The feed is ordered by completion id. Ids are UUID v7 minted by `store` just before
//! the insert, so they grow with time (and strictly within one process). A consumer that
//! keeps the last cursor it was handed therefore finds every later completion after it,
//! with one exception this module closes: a completion whose transaction commits after a
//! page was read, although its id was minted before that page's last id, would land
//! behind the cursor and never be seen. So the feed only lists completions whose id is at
//! least [`SETTLE`] old; a write is long committed (or failed) by then.
//!
//! "Old" is measured against `subgraph_common::clock::now()`, like every other instant
//! here. Ids carry the system clock; a simulation that moved the service clock forward
//! thereby sees its completions at once, which suits it, as it writes one at a time.

use std::collections::HashMap;
use std::ops::RangeInclusive;

use async_graphql::connection::{CursorType, OpaqueCursor};
use chrono::{DateTime, TimeDelta, Utc};
use fitgraph_entities::feedback::{exercise_outcomes, workout_completions};
use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use uuid::Uuid;

use crate::error::FeedbackError;
use crate::store::Completion;

/// The page size when the caller names none.
pub const DEFAULT_PAGE_SIZE: i32 = 500;
const PAGE_SIZE: RangeInclusive<i32> = 1..=1000;
/// How old a completion's id must be before the feed lists it: far longer than a
/// completion's transaction takes, and than clocks of two replicas drift apart.
pub const SETTLE: TimeDelta = TimeDelta::seconds(30);

/// One page of the feed.
#[derive(Debug, Clone, PartialEq)]
pub struct OutcomePage {
    /// Oldest first, each with its outcomes in the order the client listed them.
    pub completions: Vec<Completion>,
    /// Where the next page starts: the last completion's cursor, or the `after` the page
    /// was asked for when it is empty (`None` only when nothing was ever listed).
    pub end_cursor: Option<String>,
    pub has_next_page: bool,
}

/// The position of a completion in the feed, opaque to clients.
fn encode(id: Uuid) -> String {
    OpaqueCursor(id).encode_cursor()
}

fn decode(cursor: &str) -> Result<Uuid, FeedbackError> {
    OpaqueCursor::<Uuid>::decode_cursor(cursor)
        .map(|cursor| cursor.0)
        .map_err(|_| {
            FeedbackError::InvalidInput(format!(
                "after must be an endCursor returned by trainingOutcomes (got `{cursor}`)"
            ))
        })
}

/// Checks the page size, which the schema leaves to us to keep the message uniform.
pub fn page_size(first: Option<i32>) -> Result<u64, FeedbackError> {
    let first = first.unwrap_or(DEFAULT_PAGE_SIZE);
    if PAGE_SIZE.contains(&first) {
        Ok(u64::try_from(first).expect("the range holds positive numbers only"))
    } else {
        Err(FeedbackError::out_of_range(
            "first",
            format!("between {} and {}", PAGE_SIZE.start(), PAGE_SIZE.end()),
            first,
        ))
    }
}

/// The smallest UUID v7 minted at `instant`: every id minted earlier sorts below it, every
/// id minted then or later sorts at or above it (byte order, which the databases share).
fn first_id_minted_at(instant: DateTime<Utc>) -> Uuid {
    let millis = u64::try_from(instant.timestamp_millis()).unwrap_or(0);
    uuid::Builder::from_unix_timestamp_millis(millis, &[0; 10]).into_uuid()
}

/// Up to `first` completions after the cursor `after` (from the start without one), with
/// their outcomes: one SELECT for the completions, one for their outcomes.
pub async fn page(
    db: &DatabaseConnection,
    after: Option<&str>,
    first: u64,
    now: DateTime<Utc>,
) -> Result<OutcomePage, FeedbackError> {
    let after_id = after.map(decode).transpose()?;
    let mut query = workout_completions::Entity::find()
        .filter(workout_completions::Column::Id.lt(first_id_minted_at(now - SETTLE)))
        .order_by_asc(workout_completions::Column::Id)
        // One more than asked tells whether another page follows.
        .limit(first + 1);
    if let Some(after_id) = after_id {
        query = query.filter(workout_completions::Column::Id.gt(after_id));
    }
    let mut rows = query.all(db).await?;
    let has_next_page = rows.len() as u64 > first;
    rows.truncate(usize::try_from(first).expect("a page holds at most 1000 rows"));
    let end_cursor = match rows.last() {
        Some(last) => Some(encode(last.id)),
        None => after.map(str::to_owned),
    };
    let mut outcomes = outcomes_of(db, &rows).await?;
    let completions = rows
        .into_iter()
        .map(|row| Completion {
            outcomes: outcomes.remove(&row.id).unwrap_or_default(),
            row,
        })
        .collect();
    Ok(OutcomePage {
        completions,
        end_cursor,
        has_next_page,
    })
}

/// The outcomes of `completions` per completion, in the client's order.
async fn outcomes_of(
    db: &DatabaseConnection,
    completions: &[workout_completions::Model],
) -> Result<HashMap<Uuid, Vec<exercise_outcomes::Model>>, FeedbackError> {
    if completions.is_empty() {
        return Ok(HashMap::new());
    }
    let rows = exercise_outcomes::Entity::find()
        .filter(exercise_outcomes::Column::CompletionId.is_in(completions.iter().map(|c| c.id)))
        .order_by_asc(exercise_outcomes::Column::CompletionId)
        .order_by_asc(exercise_outcomes::Column::Position)
        .all(db)
        .await?;
    let mut grouped: HashMap<Uuid, Vec<exercise_outcomes::Model>> = HashMap::new();
    for row in rows {
        grouped.entry(row.completion_id).or_default().push(row);
    }
    Ok(grouped)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_a_client_error() {
        let id = Uuid::now_v7();
        assert_eq!(decode(&encode(id)).ok(), Some(id));
        for garbage in ["", "not a cursor", "MTIz", &id.to_string()] {
            let err = decode(garbage).expect_err("not a cursor of ours");
            assert!(
                matches!(err, FeedbackError::InvalidInput(_)),
                "{garbage}: {err}"
            );
        }
    }

    #[test]
    fn page_sizes_are_1_to_1000() {
        assert_eq!(page_size(None).ok(), Some(500));
        assert_eq!(page_size(Some(1)).ok(), Some(1));
        assert_eq!(page_size(Some(1000)).ok(), Some(1000));
        for bad in [0, -1, 1001, i32::MAX] {
            let err = page_size(Some(bad)).expect_err("out of range");
            assert_eq!(
                err.to_string(),
                format!("first must be between 1 and 1000 (got {bad})")
            );
        }
    }

    #[test]
    fn the_settle_boundary_splits_ids_by_when_they_were_minted() {
        let minted = Uuid::now_v7();
        let (seconds, nanos) = minted
            .get_timestamp()
            .expect("a v7 id carries its timestamp")
            .to_unix();
        let at = DateTime::from_timestamp(i64::try_from(seconds).expect("a recent instant"), nanos)
            .expect("a representable instant");
        assert!(
            minted >= first_id_minted_at(at),
            "minted in that millisecond"
        );
        assert!(minted < first_id_minted_at(at + TimeDelta::milliseconds(1)));
        assert!(minted > first_id_minted_at(at - SETTLE));
        assert!(Uuid::now_v7() > minted, "ids grow within a process");
    }
}
