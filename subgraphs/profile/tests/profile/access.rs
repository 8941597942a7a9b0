//! Who may do what: every query, mutation and entity, as the owner, as another
//! signed-in user, and without a user. The owner succeeds; another user sees
//! nothing of the owner's (null, as for a missing id) and may change nothing
//! (FORBIDDEN); a caller who is not a signed-in user is UNAUTHENTICATED.

use chrono::Utc;
use serde_json::{Value, json};
use subgraph_common::Identity;
use subgraph_common::db_tests;
use subgraph_common::testing::{Backend, error_codes};

use crate::support::{
    CREATE_USER, RECORD_READINGS, Setup, as_user, new_subject, onboarding, reading, setup,
};

const ADA_EMAIL: &str = "ada@example.com";

/// What another signed-in user gets when an operation names the owner.
#[derive(Debug, Clone, Copy)]
enum ForOthers {
    /// Null, exactly as for an id that does not exist.
    Null,
    /// Their own data; none of the owner's.
    TheirOwn,
    /// An error with this code, before the database is touched.
    Refused(&'static str),
}

struct Op {
    name: &'static str,
    document: &'static str,
    /// The variables, given the owner's id.
    variables: fn(&str) -> Value,
    field: &'static str,
    for_others: ForOthers,
}

fn entity_reps(typename: &str, key: &str, id: &str) -> Value {
    json!({ "r": [{ "__typename": typename, key: id }] })
}

/// Every query and entity, and every mutation that names a user.
fn operations() -> Vec<Op> {
    vec![
        Op {
            name: "me",
            document: "{ me { id email equipment recovery { band } wearableReadings { value } } }",
            variables: |_| json!({}),
            field: "me",
            for_others: ForOthers::TheirOwn,
        },
        Op {
            name: "user",
            document: "query($id: ID!) { user(id: $id) { id email equipment recovery { band } \
                       wearableReadings { value } } }",
            variables: |id| json!({ "id": id }),
            field: "user",
            for_others: ForOthers::Null,
        },
        Op {
            name: "userByEmail",
            document: "query($email: String!) { userByEmail(email: $email) { id email } }",
            variables: |_| json!({ "email": ADA_EMAIL }),
            field: "userByEmail",
            for_others: ForOthers::Null,
        },
        Op {
            name: "exportMyData",
            document: "{ exportMyData { userId exportedAt profile } }",
            variables: |_| json!({}),
            field: "exportMyData",
            for_others: ForOthers::TheirOwn,
        },
        Op {
            name: "_entities User",
            document: "query($r: [_Any!]!) { _entities(representations: $r) { \
                       ... on User { id email wearableReadings { value } } } }",
            variables: |id| entity_reps("User", "id", id),
            field: "_entities",
            for_others: ForOthers::Null,
        },
        Op {
            name: "_entities PersonalData",
            document: "query($r: [_Any!]!) { _entities(representations: $r) { \
                       ... on PersonalData { userId profile } } }",
            variables: |id| entity_reps("PersonalData", "userId", id),
            field: "_entities",
            for_others: ForOthers::Null,
        },
        Op {
            name: "updateGoals",
            document: "mutation($id: ID!) { updateGoals(userId: $id, input: { primaryGoal: ENDURANCE }) { id } }",
            variables: |id| json!({ "id": id }),
            field: "updateGoals",
            for_others: ForOthers::Refused("FORBIDDEN"),
        },
        Op {
            name: "setEquipment",
            document: "mutation($id: ID!) { setEquipment(userId: $id, equipment: [CABLE]) { id } }",
            variables: |id| json!({ "id": id }),
            field: "setEquipment",
            for_others: ForOthers::Refused("FORBIDDEN"),
        },
        Op {
            name: "updateBodyStats",
            document: "mutation($id: ID!) { updateBodyStats(userId: $id, weightKg: 66) { id } }",
            variables: |id| json!({ "id": id }),
            field: "updateBodyStats",
            for_others: ForOthers::Refused("FORBIDDEN"),
        },
        Op {
            name: "recordWearableReadings",
            document: RECORD_READINGS,
            variables: |id| json!({ "userId": id, "readings": [reading("SLEEP_SCORE", 71.0, Utc::now(), "oura")] }),
            field: "recordWearableReadings",
            for_others: ForOthers::Refused("FORBIDDEN"),
        },
    ]
}

/// The response's value at `field`, unwrapping a one-entity `_entities` list.
fn value_of<'a>(response: &'a Value, field: &str) -> &'a Value {
    let value = &response["data"][field];
    if field == "_entities" {
        &value[0]
    } else {
        value
    }
}

/// Ada (the owner, with readings) and Bob (another user with a profile).
async fn ada_and_bob(t: &Setup) -> (String, String) {
    let ada = t.create_user(ADA_EMAIL).await;
    let bob = t.create_user("bob@example.com").await;
    let readings = json!([reading("HRV_RMSSD", 61.0, Utc::now(), "garmin")]);
    let recorded = t
        .run_as(
            &as_user(&ada),
            RECORD_READINGS,
            json!({ "userId": ada, "readings": readings }),
        )
        .await;
    assert_eq!(recorded["errors"], Value::Null, "{recorded}");
    (ada, bob)
}

async fn the_owner_reaches_every_operation(backend: Backend) {
    let t = setup(backend).await;
    let (ada, _) = ada_and_bob(&t).await;
    for op in operations() {
        let response = t
            .run_as(&as_user(&ada), op.document, (op.variables)(&ada))
            .await;
        assert_eq!(response["errors"], Value::Null, "{}: {response}", op.name);
        let value = value_of(&response, op.field);
        assert!(!value.is_null(), "{}: {response}", op.name);
    }
}

async fn other_users_see_and_change_nothing_of_the_owner(backend: Backend) {
    let t = setup(backend).await;
    let (ada, bob) = ada_and_bob(&t).await;
    let before = t.rows().await;
    for op in operations() {
        t.log.clear();
        let response = t
            .run_as(&as_user(&bob), op.document, (op.variables)(&ada))
            .await;
        let text = response.to_string();
        assert!(
            !text.contains(&ada) && !text.contains(ADA_EMAIL),
            "{}: the owner's data leaked: {response}",
            op.name
        );
        match op.for_others {
            ForOthers::Null => {
                assert_eq!(response["errors"], Value::Null, "{}: {response}", op.name);
                assert_eq!(*value_of(&response, op.field), Value::Null, "{}", op.name);
            }
            ForOthers::TheirOwn => {
                assert_eq!(response["errors"], Value::Null, "{}: {response}", op.name);
                assert!(text.contains(&bob), "{}: {response}", op.name);
            }
            ForOthers::Refused(code) => {
                assert_eq!(error_codes(&response), [code], "{}: {response}", op.name);
                assert_eq!(response["data"], Value::Null, "{}", op.name);
                assert_eq!(t.log.statements(), Vec::<String>::new(), "{}", op.name);
            }
        }
    }
    assert_eq!(t.rows().await, before, "nothing written");
}

/// No identity, an API client acting for no user, and a subject that is not a
/// fitgraph user id: all UNAUTHENTICATED, without a database read.
async fn callers_without_a_user_are_unauthenticated_everywhere(backend: Backend) {
    let t = setup(backend).await;
    let (ada, _) = ada_and_bob(&t).await;
    let before = t.rows().await;
    let strangers = [
        Identity::anonymous(),
        Identity::client("partner", &["admin", "editor"]),
        Identity::user("auth0|123", &[]),
    ];
    let mut documents: Vec<(&str, &str, Value)> = operations()
        .iter()
        .map(|op| (op.name, op.document, (op.variables)(&ada)))
        .collect();
    documents.push((
        "createUser",
        CREATE_USER,
        json!({ "input": onboarding("eve@example.com") }),
    ));
    documents.push((
        "deleteMyAccount",
        "mutation { deleteMyAccount { userId } }",
        json!({}),
    ));
    for stranger in &strangers {
        for (name, document, variables) in &documents {
            t.log.clear();
            let response = t.run_as(stranger, document, variables.clone()).await;
            assert_eq!(
                error_codes(&response),
                ["UNAUTHENTICATED"],
                "{name} as {stranger:?}: {response}"
            );
            assert!(!response.to_string().contains(&ada), "{name}: {response}");
            assert_eq!(t.log.statements(), Vec::<String>::new(), "{name}");
        }
    }
    // No identity in the request data at all behaves like an anonymous one.
    let bare = t.run_anonymous("{ me { id } }", json!({})).await;
    assert_eq!(error_codes(&bare), ["UNAUTHENTICATED"], "{bare}");
    assert_eq!(t.rows().await, before, "nothing written");
    assert_eq!(t.outbox().await, Vec::new(), "no deletion queued");
}

/// `createUser` makes the caller's own profile; `deleteMyAccount` removes only
/// the caller's.
async fn create_and_delete_act_on_the_caller_only(backend: Backend) {
    let t = setup(backend).await;
    let (ada, bob) = ada_and_bob(&t).await;
    let carol = new_subject();
    let created = t
        .run_as(
            &as_user(&carol),
            CREATE_USER,
            json!({ "input": onboarding("carol@example.com") }),
        )
        .await;
    assert_eq!(
        created["data"]["createUser"]["id"],
        json!(carol),
        "{created}"
    );

    // Bob already has a profile; Ada's email is taken.
    let again = t
        .run_as(
            &as_user(&bob),
            CREATE_USER,
            json!({ "input": onboarding("bob2@example.com") }),
        )
        .await;
    assert_eq!(error_codes(&again), ["CONFLICT"], "{again}");
    let taken = t
        .run_as(
            &as_user(&new_subject()),
            CREATE_USER,
            json!({ "input": onboarding(ADA_EMAIL) }),
        )
        .await;
    assert_eq!(error_codes(&taken), ["CONFLICT"], "{taken}");

    let before = t.rows().await;
    let deleted = t
        .run_as(
            &as_user(&bob),
            "mutation { deleteMyAccount { userId } }",
            json!({}),
        )
        .await;
    assert_eq!(
        deleted["data"]["deleteMyAccount"]["userId"],
        json!(bob),
        "{deleted}"
    );
    let after = t.rows().await;
    assert_eq!(after.users, before.users - 1);
    assert_eq!(after.equipment, before.equipment - 2);
    assert_eq!(
        after.readings, before.readings,
        "Bob had no readings; Ada's stay"
    );
    let ada_still = t.run_as(&as_user(&ada), "{ me { id } }", json!({})).await;
    assert_eq!(ada_still["data"]["me"]["id"], json!(ada));
    let bob_gone = t.run_as(&as_user(&bob), "{ me { id } }", json!({})).await;
    assert_eq!(bob_gone, json!({ "data": { "me": null } }));
}

db_tests!(
    the_owner_reaches_every_operation,
    other_users_see_and_change_nothing_of_the_owner,
    callers_without_a_user_are_unauthenticated_everywhere,
    create_and_delete_act_on_the_caller_only,
);
