//! `Query.trainingOutcomes`: every user's completions, page by page, for services holding
//! the `admin` scope; nobody else reads anything.
//!
//! The feed lists a completion once it is 30 seconds old, so these tests move the clock of
//! this process forward to see what they just wrote. No other test file does (each is a
//! process of its own), and `outcome_lag.rs` checks the wait with the clock untouched.

mod support;

use chrono::TimeDelta;
use feedback_subgraph::router;
use serde_json::{Value, json};
use subgraph_common::testing::{Backend, TestServer, error_codes, spawn_router, test_credential};
use subgraph_common::{Identity, clock, db_tests};
use support::*;

db_tests!(
    pages_list_every_users_completions_once_in_order,
    later_completions_come_after_the_last_cursor,
    only_the_admin_scope_reads_the_feed,
    bad_page_sizes_and_cursors_are_client_errors,
);

const OUTCOMES: &str = "query($after: String, $first: Int) { trainingOutcomes(after: $after, first: $first) { \
    outcomes { completionId workoutId userId completedAt sessionRpe \
        exercises { exerciseId completed skipped difficulty } } \
    endCursor hasNextPage } }";

/// Makes everything written so far old enough to be listed.
fn let_writes_settle() {
    clock::advance(TimeDelta::minutes(1));
}

fn trainer() -> Identity {
    Identity::client("plans", &["admin"])
}

struct Feed {
    feedback: Feedback,
    server: TestServer,
}

impl Feed {
    async fn new(backend: Backend) -> Feed {
        let feedback = feedback_alone(backend).await;
        let server = spawn_router(router(feedback.schema.clone(), test_credential())).await;
        Feed { feedback, server }
    }

    async fn read_as(&self, caller: &Identity, after: Option<&str>, first: Option<i32>) -> Value {
        let variables = json!({ "after": after, "first": first });
        self.server.graphql_as(caller, OUTCOMES, variables).await
    }

    /// One page as the trainer, which must succeed.
    async fn page(&self, after: Option<&str>, first: Option<i32>) -> Value {
        let response = self.read_as(&trainer(), after, first).await;
        assert_eq!(error_codes(&response), Vec::<String>::new(), "{response:#}");
        response["data"]["trainingOutcomes"].clone()
    }

    /// `user` completes a new workout of `exercises`; returns the completion as the feed
    /// should list it.
    async fn complete(&self, user: &str, exercises: &[(bool, bool, Option<i32>)]) -> Value {
        let outcomes = exercises
            .iter()
            .map(|&(completed, skipped, difficulty)| {
                outcome(&new_id(), completed, skipped, difficulty)
            })
            .collect();
        let input = completion_input(&new_id(), user, &new_id(), outcomes);
        let response = self
            .feedback
            .run_as(
                &signed_in(user),
                COMPLETE_WORKOUT,
                json!({ "input": input }),
            )
            .await;
        assert_eq!(error_codes(&response), Vec::<String>::new(), "{response:#}");
        as_listed(&response["data"]["completeWorkout"])
    }
}

/// A completion as `completeWorkout` returned it, in the feed's shape (no notes).
fn as_listed(completion: &Value) -> Value {
    let exercises: Vec<Value> = completion["exercises"]
        .as_array()
        .expect("exercises")
        .iter()
        .map(|e| {
            json!({ "exerciseId": e["exerciseId"], "completed": e["completed"],
                    "skipped": e["skipped"], "difficulty": e["difficulty"] })
        })
        .collect();
    json!({
        "completionId": completion["id"], "workoutId": completion["workoutId"],
        "userId": completion["userId"], "completedAt": completion["completedAt"],
        "sessionRpe": completion["sessionRpe"], "exercises": exercises,
    })
}

fn outcomes_of(page: &Value) -> Vec<Value> {
    page["outcomes"].as_array().expect("outcomes").clone()
}

fn cursor_of(page: &Value) -> String {
    page["endCursor"].as_str().expect("an endCursor").to_owned()
}

/// Seven completions of three users, interleaved, with one to three exercises each.
async fn seven_completions(feed: &Feed) -> Vec<Value> {
    let users = [new_id(), new_id(), new_id()];
    let shapes: [&[(bool, bool, Option<i32>)]; 3] = [
        &[
            (true, false, Some(4)),
            (false, true, None),
            (false, false, Some(2)),
        ],
        &[(false, true, None)],
        &[(true, false, None), (true, false, Some(5))],
    ];
    let mut written = Vec::new();
    for n in 0..7 {
        written.push(feed.complete(&users[n % 3], shapes[n % 3]).await);
    }
    written
}

async fn pages_list_every_users_completions_once_in_order(backend: Backend) {
    let feed = Feed::new(backend).await;
    let written = seven_completions(&feed).await;
    let_writes_settle();

    let mut listed = Vec::new();
    let mut shape = Vec::new();
    let mut after: Option<String> = None;
    loop {
        feed.feedback.log.clear();
        let page = feed.page(after.as_deref(), Some(3)).await;
        let statements = feed.feedback.log.statements();
        assert_eq!(
            (
                feed.feedback.log.selects_from("workout_completions"),
                feed.feedback.log.selects_from("exercise_outcomes"),
                statements.len()
            ),
            (1, 1, 2),
            "one query for the page, one for its outcomes: {statements:#?}"
        );
        let outcomes = outcomes_of(&page);
        shape.push((outcomes.len(), page["hasNextPage"].clone()));
        listed.extend(outcomes);
        after = Some(cursor_of(&page));
        if page["hasNextPage"] != json!(true) {
            break;
        }
    }
    assert_eq!(
        shape,
        [(3, json!(true)), (3, json!(true)), (1, json!(false))]
    );
    assert_eq!(
        listed, written,
        "every user's completions, once each, in the order they were recorded, with \
         exercises in the client's order"
    );

    let everything = feed.page(None, None).await;
    assert_eq!(outcomes_of(&everything), written, "first defaults to 500");
    assert_eq!(everything["hasNextPage"], false);
    assert_eq!(everything["endCursor"], json!(after), "{everything:#}");
}

async fn later_completions_come_after_the_last_cursor(backend: Backend) {
    let feed = Feed::new(backend).await;
    let empty = feed.page(None, None).await;
    assert_eq!(
        empty,
        json!({ "outcomes": [], "endCursor": null, "hasNextPage": false })
    );
    let earlier = seven_completions(&feed).await;
    let_writes_settle();
    let all = feed.page(None, None).await;
    assert_eq!(outcomes_of(&all), earlier);
    let cursor = cursor_of(&all);

    let idle = feed.page(Some(&cursor), None).await;
    assert_eq!(
        idle,
        json!({ "outcomes": [], "endCursor": cursor, "hasNextPage": false }),
        "nothing new: the same cursor to come back with"
    );

    let later = [
        feed.complete(&new_id(), &[(true, false, Some(3))]).await,
        feed.complete(&new_id(), &[(false, true, None)]).await,
    ];
    let_writes_settle();
    let next = feed.page(Some(&cursor), None).await;
    assert_eq!(outcomes_of(&next), later, "only the new ones, in order");
    assert_eq!(next["hasNextPage"], false);
    let after_them = feed.page(Some(&cursor_of(&next)), None).await;
    assert_eq!(outcomes_of(&after_them), Vec::<Value>::new());
}

async fn only_the_admin_scope_reads_the_feed(backend: Backend) {
    let feed = Feed::new(backend).await;
    let (me, them) = (new_id(), new_id());
    let mine = feed.complete(&me, &[(true, false, Some(3))]).await;
    let theirs = feed.complete(&them, &[(true, false, Some(3))]).await;
    let_writes_settle();

    feed.feedback.log.clear();
    let refused = [
        (signed_in(&me), "FORBIDDEN"),
        (Identity::user(&me, &["editor"]), "FORBIDDEN"),
        (Identity::client("plans", &[]), "FORBIDDEN"),
        (Identity::anonymous(), "UNAUTHENTICATED"),
    ];
    for (caller, code) in refused {
        let response = feed.read_as(&caller, None, None).await;
        assert_eq!(error_codes(&response), [code], "{caller:?}: {response:#}");
        assert_eq!(response["data"], Value::Null, "{response:#}");
        let text = response.to_string();
        for completion in [&mine, &theirs] {
            let id = completion["completionId"].as_str().expect("an id");
            assert!(!text.contains(id), "{id} leaked to {caller:?}");
        }
    }
    let forbidden = feed.read_as(&signed_in(&me), None, None).await;
    assert_eq!(
        forbidden["errors"][0]["message"],
        "this needs the `admin` scope"
    );
    assert_eq!(
        feed.feedback.log.statements(),
        Vec::<String>::new(),
        "nothing is read for a refused caller"
    );

    let page = feed.page(None, None).await;
    assert_eq!(outcomes_of(&page), [mine, theirs], "the trainer reads both");
}

async fn bad_page_sizes_and_cursors_are_client_errors(backend: Backend) {
    let feed = Feed::new(backend).await;
    feed.feedback.log.clear();
    for first in [0, -1, 1001] {
        let response = feed.read_as(&trainer(), None, Some(first)).await;
        assert_eq!(error_codes(&response), ["BAD_USER_INPUT"], "{response:#}");
        assert_eq!(
            response["errors"][0]["message"],
            format!("first must be between 1 and 1000 (got {first})")
        );
    }
    let not_ours = [
        "not a cursor".to_owned(),
        String::new(),
        "MTIz".to_owned(), // base64 of `123`
        new_id(),          // an id is not a cursor
    ];
    for after in &not_ours {
        let response = feed.read_as(&trainer(), Some(after), None).await;
        assert_eq!(error_codes(&response), ["BAD_USER_INPUT"], "{response:#}");
        let message = response["errors"][0]["message"]
            .as_str()
            .expect("a message");
        assert!(
            message.starts_with("after must be an endCursor returned by trainingOutcomes"),
            "{message}"
        );
    }
    assert_eq!(
        feed.feedback.log.statements(),
        Vec::<String>::new(),
        "refused before reading"
    );

    for first in [1, 1000] {
        let page = feed.page(None, Some(first)).await;
        assert_eq!(page["hasNextPage"], false, "first: {first} is allowed");
    }
}
