//! Onboarding, goal, body-stat and equipment mutations, and their failures.

use serde_json::{Value, json};
use subgraph_common::db_tests;
use subgraph_common::testing::{Backend, error_codes};

use crate::support::{
    CREATE_USER, Rows, SET_EQUIPMENT, USER_FIELDS, as_user, message, new_subject, onboarding, setup,
};

const UNKNOWN_ID: &str = "0190b2c4-7a6e-7000-8000-000000000000";

async fn onboarding_happy_path(backend: Backend) {
    let t = setup(backend).await;
    let mut input = onboarding("  Ada.Lovelace@Example.COM ");
    input["displayName"] = json!("  Ada  ");
    input["equipment"] = json!(["KETTLEBELL", "BARBELL", "KETTLEBELL"]);
    let ada = as_user(&new_subject());
    let created = t.run_as(&ada, CREATE_USER, json!({ "input": input })).await;
    assert_eq!(created["errors"], Value::Null, "{created}");
    let user = &created["data"]["createUser"];
    assert_eq!(
        user["id"].as_str(),
        ada.user_id.as_deref(),
        "the caller's id"
    );
    assert_eq!(user["displayName"], "Ada");
    assert_eq!(user["email"], "ada.lovelace@example.com");
    assert_eq!(user["birthYear"], 1990);
    assert_eq!(user["sex"], "FEMALE");
    assert_eq!(user["heightCm"], 170.5);
    assert_eq!(user["weightKg"], 62.0);
    assert_eq!(user["primaryGoal"], "MUSCLE_GAIN");
    assert_eq!(user["fitnessLevel"], "INTERMEDIATE");
    assert_eq!(user["daysPerWeek"], 4);
    assert_eq!(user["sessionMinutes"], 45);
    assert_eq!(user["preferredTimeOfDay"], "EVENING");
    assert_eq!(user["equipment"], json!(["BARBELL", "KETTLEBELL"]));
    assert_eq!(
        t.rows().await,
        Rows {
            users: 1,
            equipment: 2,
            readings: 0
        }
    );

    let query = format!(
        "query($id: ID!, $email: String!) {{ user(id: $id) {{ {USER_FIELDS} }} me {{ {USER_FIELDS} }} \
         userByEmail(email: $email) {{ id }} }}"
    );
    let read = t
        .run_as(
            &ada,
            &query,
            json!({ "id": user["id"], "email": " ADA.lovelace@example.com" }),
        )
        .await;
    assert_eq!(&read["data"]["user"], user);
    assert_eq!(&read["data"]["me"], user);
    assert_eq!(read["data"]["userByEmail"]["id"], user["id"]);
}

/// Each bad field gives BAD_USER_INPUT with a message naming it, and writes nothing.
async fn out_of_range_onboarding_is_bad_input(backend: Backend) {
    let t = setup(backend).await;
    let cases = [
        (
            "daysPerWeek",
            json!(9),
            "daysPerWeek must be between 1 and 7 (got 9)",
        ),
        (
            "sessionMinutes",
            json!(5),
            "sessionMinutes must be between 10 and 180 (got 5)",
        ),
        (
            "heightCm",
            json!(99.5),
            "heightCm must be between 100 and 250 (got 99.5)",
        ),
        (
            "weightKg",
            json!(351),
            "weightKg must be between 25 and 350 (got 351)",
        ),
        (
            "birthYear",
            json!(1899),
            "birthYear must be between 1900 and",
        ),
        (
            "displayName",
            json!("   "),
            "displayName must be between 1 and 80 characters long (got 0)",
        ),
        (
            "displayName",
            json!("x".repeat(81)),
            "displayName must be between 1 and 80 characters long (got 81)",
        ),
        (
            "email",
            json!("ada.example.com"),
            "email must be an address like name@example.com",
        ),
    ];
    let ada = as_user(&new_subject());
    for (field, value, expected) in cases {
        let mut input = onboarding("ada@example.com");
        input[field] = value;
        let response = t.run_as(&ada, CREATE_USER, json!({ "input": input })).await;
        assert_eq!(
            error_codes(&response),
            ["BAD_USER_INPUT"],
            "{field}: {response}"
        );
        assert!(
            message(&response).starts_with(expected),
            "{field}: {response}"
        );
        assert_eq!(response["data"], Value::Null);
    }
    assert_eq!(
        t.rows().await,
        Rows {
            users: 0,
            equipment: 0,
            readings: 0
        }
    );
}

async fn an_unknown_enum_value_is_bad_input(backend: Backend) {
    let t = setup(backend).await;
    let mut input = onboarding("ada@example.com");
    input["equipment"] = json!(["DUMBBELL", "ROWING_SHELL"]);
    let response = t
        .run_as(
            &as_user(&new_subject()),
            CREATE_USER,
            json!({ "input": input }),
        )
        .await;
    assert_eq!(error_codes(&response), ["BAD_USER_INPUT"], "{response}");
    assert_eq!(
        t.rows().await,
        Rows {
            users: 0,
            equipment: 0,
            readings: 0
        }
    );
}

async fn duplicate_email_is_conflict(backend: Backend) {
    let t = setup(backend).await;
    let ada = t.create_user("ada@example.com").await;
    let before = t.rows().await;
    let mut input = onboarding("  ADA@Example.com");
    input["equipment"] = json!(["CABLE", "MACHINE", "BENCH"]);
    let response = t
        .run_as(
            &as_user(&new_subject()),
            CREATE_USER,
            json!({ "input": input }),
        )
        .await;
    assert_eq!(error_codes(&response), ["CONFLICT"], "{response}");
    assert_eq!(message(&response), "a user with this email already exists");
    assert_eq!(t.rows().await, before);

    // A second profile for the same user is a conflict too, whatever its email.
    let again = t
        .run_as(
            &as_user(&ada),
            CREATE_USER,
            json!({ "input": onboarding("ada.second@example.com") }),
        )
        .await;
    assert_eq!(error_codes(&again), ["CONFLICT"], "{again}");
    assert_eq!(message(&again), "you already have a profile");
    assert_eq!(t.rows().await, before);
}

/// A signed-in caller without a profile: their own writes are NOT_FOUND, their
/// reads null.
async fn unknown_user_is_not_found(backend: Backend) {
    let t = setup(backend).await;
    t.create_user("ada@example.com").await;
    let before = t.rows().await;
    let newcomer = as_user(UNKNOWN_ID);
    let mutations = [
        (
            "mutation($id: ID!) { updateGoals(userId: $id, input: { primaryGoal: ENDURANCE }) { id } }",
            json!({}),
        ),
        (
            "mutation($id: ID!) { setEquipment(userId: $id, equipment: [BARBELL]) { id } }",
            json!({}),
        ),
        (
            "mutation($id: ID!) { updateBodyStats(userId: $id, weightKg: 70) { id } }",
            json!({}),
        ),
        (
            "mutation($id: ID!, $r: [WearableReadingInput!]!) { recordWearableReadings(userId: $id, readings: $r) { accepted } }",
            json!([{ "kind": "SLEEP_SCORE", "value": 80, "recordedAt": "2026-01-01T07:00:00Z", "source": "oura" }]),
        ),
    ];
    for (mutation, readings) in mutations {
        let response = t
            .run_as(
                &newcomer,
                mutation,
                json!({ "id": UNKNOWN_ID, "r": readings }),
            )
            .await;
        assert_eq!(
            error_codes(&response),
            ["NOT_FOUND"],
            "{mutation}: {response}"
        );
        assert_eq!(message(&response), format!("no user with id {UNKNOWN_ID}"));
    }
    assert_eq!(t.rows().await, before);

    let query = "query($id: ID!) { user(id: $id) { id } }";
    let missing = t
        .run_as(&newcomer, query, json!({ "id": UNKNOWN_ID }))
        .await;
    assert_eq!(missing, json!({ "data": { "user": null } }));
    let malformed = t
        .run_as(&newcomer, query, json!({ "id": "not-a-uuid" }))
        .await;
    assert_eq!(error_codes(&malformed), ["BAD_USER_INPUT"], "{malformed}");
    let by_email = t
        .run_as(
            &newcomer,
            "{ userByEmail(email: \"nobody@example.com\") { id } me { id } }",
            json!({}),
        )
        .await;
    assert_eq!(
        by_email,
        json!({ "data": { "userByEmail": null, "me": null } })
    );
}

async fn update_goals_changes_only_given_fields(backend: Backend) {
    let t = setup(backend).await;
    let id = t.create_user("ada@example.com").await;
    let ada = as_user(&id);
    let mutation = format!(
        "mutation($id: ID!, $input: GoalsInput!) {{ updateGoals(userId: $id, input: $input) {{ {USER_FIELDS} }} }}"
    );
    let input =
        json!({ "primaryGoal": "ENDURANCE", "daysPerWeek": 5, "preferredTimeOfDay": "MORNING" });
    let response = t
        .run_as(&ada, &mutation, json!({ "id": id, "input": input }))
        .await;
    let user = &response["data"]["updateGoals"];
    assert_eq!(user["primaryGoal"], "ENDURANCE", "{response}");
    assert_eq!(user["daysPerWeek"], 5);
    assert_eq!(user["preferredTimeOfDay"], "MORNING");
    assert_eq!(user["sessionMinutes"], 45, "left out, so unchanged");
    assert_eq!(
        user["fitnessLevel"], "INTERMEDIATE",
        "left out, so unchanged"
    );

    let bad = json!({ "primaryGoal": "FLEXIBILITY", "sessionMinutes": 181 });
    let rejected = t
        .run_as(&ada, &mutation, json!({ "id": id, "input": bad }))
        .await;
    assert_eq!(error_codes(&rejected), ["BAD_USER_INPUT"], "{rejected}");
    assert_eq!(
        message(&rejected),
        "sessionMinutes must be between 10 and 180 (got 181)"
    );
    let stored = t
        .run_as(
            &ada,
            "query($id: ID!) { user(id: $id) { primaryGoal } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        stored["data"]["user"]["primaryGoal"], "ENDURANCE",
        "nothing written on rejection"
    );
}

async fn update_body_stats_validates_and_saves(backend: Backend) {
    let t = setup(backend).await;
    let id = t.create_user("ada@example.com").await;
    let ada = as_user(&id);
    let mutation = "mutation($id: ID!, $h: Float, $w: Float) { updateBodyStats(userId: $id, heightCm: $h, weightKg: $w) { heightCm weightKg } }";
    let updated = t
        .run_as(&ada, mutation, json!({ "id": id, "w": 64.5 }))
        .await;
    assert_eq!(
        updated["data"]["updateBodyStats"],
        json!({ "heightCm": 170.5, "weightKg": 64.5 }),
        "{updated}"
    );
    let too_tall = t
        .run_as(&ada, mutation, json!({ "id": id, "h": 251 }))
        .await;
    assert_eq!(error_codes(&too_tall), ["BAD_USER_INPUT"]);
    assert_eq!(
        message(&too_tall),
        "heightCm must be between 100 and 250 (got 251)"
    );
    let nothing = t.run_as(&ada, mutation, json!({ "id": id })).await;
    assert_eq!(error_codes(&nothing), ["BAD_USER_INPUT"]);
    let stored = t
        .run_as(
            &ada,
            "query($id: ID!) { user(id: $id) { heightCm weightKg } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(
        stored["data"]["user"],
        json!({ "heightCm": 170.5, "weightKg": 64.5 })
    );
}

async fn set_equipment_replaces_the_set(backend: Backend) {
    let t = setup(backend).await;
    let ada = t.create_user("ada@example.com").await;
    let bob = t.create_user("bob@example.com").await;
    let (as_ada, as_bob) = (as_user(&ada), as_user(&bob));
    assert_eq!(t.rows().await.equipment, 4);

    let replaced = t
        .run_as(
            &as_ada,
            SET_EQUIPMENT,
            json!({ "userId": ada, "equipment": ["KETTLEBELL", "BODYWEIGHT", "KETTLEBELL"] }),
        )
        .await;
    assert_eq!(
        replaced["data"]["setEquipment"]["equipment"],
        json!(["BODYWEIGHT", "KETTLEBELL"]),
        "{replaced}"
    );
    assert_eq!(
        t.rows().await.equipment,
        4,
        "2 for Ada now, Bob's 2 untouched"
    );
    let bob_read = t
        .run_as(
            &as_bob,
            "query($id: ID!) { user(id: $id) { equipment } }",
            json!({ "id": bob }),
        )
        .await;
    assert_eq!(
        bob_read["data"]["user"]["equipment"],
        json!(["BARBELL", "DUMBBELL"])
    );

    let emptied = t
        .run_as(
            &as_ada,
            SET_EQUIPMENT,
            json!({ "userId": ada, "equipment": [] }),
        )
        .await;
    assert_eq!(
        emptied["data"]["setEquipment"]["equipment"],
        json!([]),
        "{emptied}"
    );
    assert_eq!(t.rows().await.equipment, 2);
}

db_tests!(
    onboarding_happy_path,
    out_of_range_onboarding_is_bad_input,
    an_unknown_enum_value_is_bad_input,
    duplicate_email_is_conflict,
    unknown_user_is_not_found,
    update_goals_changes_only_given_fields,
    update_body_stats_validates_and_saves,
    set_equipment_replaces_the_set,
);
