//! `trainingOutcomes` waits 30 seconds before listing a completion, so that one still
//! being written when a page is read cannot end up behind that page's cursor. Nothing in
//! this process moves the clock, which would shorten the wait (see `outcomes.rs`).

mod support;

use feedback_subgraph::router;
use serde_json::json;
use subgraph_common::testing::{Backend, error_codes, spawn_router, test_credential};
use subgraph_common::{Identity, db_tests};
use support::*;

db_tests!(fresh_completions_are_not_listed_yet);

const OUTCOMES: &str = "query($after: String) { trainingOutcomes(after: $after) { outcomes { completionId } endCursor hasNextPage } }";

async fn fresh_completions_are_not_listed_yet(backend: Backend) {
    let feedback = feedback_alone(backend).await;
    let server = spawn_router(router(feedback.schema.clone(), test_credential())).await;
    let user = new_id();
    let input = completion_input(
        "done-fresh-1",
        &user,
        &new_id(),
        vec![outcome(&new_id(), true, false, Some(3))],
    );
    let done = feedback
        .run_as(
            &signed_in(&user),
            COMPLETE_WORKOUT,
            json!({ "input": input }),
        )
        .await;
    assert_eq!(error_codes(&done), Vec::<String>::new(), "{done:#}");
    assert_eq!(feedback.counts().await[1], 1, "the completion is stored");

    let trainer = Identity::client("plans", &["admin"]);
    let page = server
        .graphql_as(&trainer, OUTCOMES, json!({ "after": null }))
        .await;
    assert_eq!(error_codes(&page), Vec::<String>::new(), "{page:#}");
    assert_eq!(
        page["data"]["trainingOutcomes"],
        json!({ "outcomes": [], "endCursor": null, "hasNextPage": false }),
        "a completion of a moment ago is not listed yet"
    );
}
