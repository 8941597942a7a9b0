//! Who may read and write what: a user sees only their own sets, completions, ratings
//! and signals; another user's workout reads as empty and writes on it as missing;
//! writes naming another user are forbidden before the database is touched; anonymous
//! callers are asked to sign in; idempotency keys are per user; and a user's personal
//! data is exported and purged for them alone.

mod exercises_support;
mod support;

use exercises_support::exercises_server;
use feedback_subgraph::router;
use serde_json::{Value, json};
use subgraph_common::testing::{Backend, error_codes, spawn_router, test_credential};
use subgraph_common::{Identity, db_tests};
use support::*;

db_tests!(
    workout_fields_show_only_the_callers_records,
    training_signals_of_another_user_read_nothing,
    writes_naming_another_user_are_forbidden_without_a_query,
    anonymous_writes_are_unauthenticated_without_a_query,
    writes_on_another_users_workout_are_not_found,
    idempotency_keys_are_per_user,
    personal_data_exports_only_the_callers_data,
    purge_removes_only_the_callers_data_and_is_idempotent,
    requests_without_the_gateway_credential_are_refused,
);

const ENTITIES: &str = "query($reps: [_Any!]!) { _entities(representations: $reps) { \
    ... on Workout { id completion { id userId } setLogs { id userId } } \
    ... on User { id trainingSignals { adherence28Days muscleGroups { muscle } estimatedOneRepMaxes { kg } } } \
    ... on PersonalData { userId feedback } } }";

const PURGE: &str = "mutation { purgeFeedbackData }";

fn reps(typename: &str, key: &str, ids: &[&str]) -> Value {
    let reps: Vec<Value> = ids
        .iter()
        .map(|id| json!({ "__typename": typename, key: id }))
        .collect();
    json!({ "reps": reps })
}

/// Every error is UNAUTHENTICATED, and there is at least one.
fn assert_unauthenticated(response: &Value) {
    let codes = error_codes(response);
    assert!(
        !codes.is_empty() && codes.iter().all(|code| code == "UNAUTHENTICATED"),
        "{response:#}"
    );
}

/// A user with their own ids and writes made as them.
struct Person<'a> {
    feedback: &'a Feedback,
    id: String,
    identity: Identity,
}

impl<'a> Person<'a> {
    fn new(feedback: &'a Feedback) -> Person<'a> {
        let id = new_id();
        Person {
            feedback,
            identity: signed_in(&id),
            id,
        }
    }

    async fn run(&self, query: &str, variables: Value) -> Value {
        self.feedback.run_as(&self.identity, query, variables).await
    }

    /// Runs a write that must succeed and returns the written object.
    async fn write(&self, mutation: &str, field: &str, input: Value) -> Value {
        let response = self.run(mutation, json!({ "input": input })).await;
        assert_eq!(error_codes(&response), Vec::<String>::new(), "{response:#}");
        response["data"][field].clone()
    }

    fn set(&self, key: &str, workout: &str, exercise: &str) -> Value {
        let mut input = set_input(key, &self.id, exercise, 5, 60.0);
        input["workoutId"] = json!(workout);
        input
    }

    fn completion(&self, key: &str, workout: &str, exercises: &[&str]) -> Value {
        let outcomes = exercises
            .iter()
            .map(|exercise| outcome(exercise, true, false, Some(3)))
            .collect();
        completion_input(key, &self.id, workout, outcomes)
    }

    fn rating(&self, key: &str, exercise: &str, rating: i32) -> Value {
        json!({ "idempotencyKey": key, "userId": self.id, "exerciseId": exercise, "rating": rating })
    }
}

async fn workout_fields_show_only_the_callers_records(backend: Backend) {
    let feedback = feedback_alone(backend).await;
    let (me, them) = (Person::new(&feedback), Person::new(&feedback));
    let (mine, theirs, exercise) = (new_id(), new_id(), new_id());
    let set = me
        .write(LOG_SET, "logSet", me.set("set-mine-0001", &mine, &exercise))
        .await;
    let done = me
        .write(
            COMPLETE_WORKOUT,
            "completeWorkout",
            me.completion("done-mine-01", &mine, &[&exercise]),
        )
        .await;
    them.write(
        LOG_SET,
        "logSet",
        them.set("set-theirs-01", &theirs, &exercise),
    )
    .await;
    let variables = reps("Workout", "id", &[&mine, &theirs]);

    let own = me.run(ENTITIES, variables.clone()).await;
    assert_eq!(error_codes(&own), Vec::<String>::new(), "{own:#}");
    assert_eq!(
        own["data"]["_entities"],
        json!([
            { "id": mine, "completion": { "id": done["id"], "userId": me.id }, "setLogs": [{ "id": set["id"], "userId": me.id }] },
            { "id": theirs, "completion": null, "setLogs": [] },
        ]),
        "the caller's records on their workout, nothing on the other's"
    );

    let other = them.run(ENTITIES, variables.clone()).await;
    assert_eq!(
        other["data"]["_entities"][0],
        json!({ "id": mine, "completion": null, "setLogs": [] }),
        "{other:#}"
    );

    let anonymous = feedback
        .run_as(&Identity::anonymous(), ENTITIES, variables)
        .await;
    assert_unauthenticated(&anonymous);
}

async fn training_signals_of_another_user_read_nothing(backend: Backend) {
    let exercises = exercises_server().await;
    let settings = settings_with_exercises_at(exercises.server.graphql_url());
    let feedback = feedback(backend, &settings).await;
    let (me, them) = (Person::new(&feedback), Person::new(&feedback));
    let lift = first_exercise_with_muscles(&exercises).await;
    let mut set = me.set("set-signal-01", &new_id(), &lift);
    set["reps"] = json!(1);
    set["loadKg"] = json!(100.0);
    me.write(LOG_SET, "logSet", set).await;
    let variables = reps("User", "id", &[&me.id]);

    let own = me.run(ENTITIES, variables.clone()).await;
    assert_eq!(error_codes(&own), Vec::<String>::new(), "{own:#}");
    let signals = &own["data"]["_entities"][0]["trainingSignals"];
    assert_eq!(signals["estimatedOneRepMaxes"], json!([{ "kg": 100.0 }]));
    assert_ne!(signals["muscleGroups"], json!([]));

    feedback.log.clear();
    let other = them.run(ENTITIES, variables.clone()).await;
    assert_eq!(error_codes(&other), Vec::<String>::new(), "{other:#}");
    assert_eq!(
        other["data"]["_entities"][0]["trainingSignals"],
        json!({ "adherence28Days": null, "muscleGroups": [], "estimatedOneRepMaxes": [] }),
        "another user sees the signals of someone without history"
    );
    assert_eq!(
        feedback.log.statements(),
        Vec::<String>::new(),
        "their history is not read"
    );

    let anonymous = feedback
        .run_as(&Identity::anonymous(), ENTITIES, variables)
        .await;
    assert_unauthenticated(&anonymous);
}

/// An exercise of the seeded catalog with primary muscles, so a set on it is a signal.
async fn first_exercise_with_muscles(exercises: &exercises_support::Exercises) -> String {
    let page = exercises
        .server
        .graphql(
            "{ exercises(first: 50) { edges { node { id primaryMuscles } } } }",
            json!({}),
        )
        .await;
    let edges = page["data"]["exercises"]["edges"]
        .as_array()
        .expect("edges");
    edges
        .iter()
        .map(|edge| &edge["node"])
        .find(|node| {
            node["primaryMuscles"]
                .as_array()
                .is_some_and(|m| !m.is_empty())
        })
        .and_then(|node| node["id"].as_str())
        .expect("the seeded catalog has exercises with muscles")
        .to_owned()
}

async fn writes_naming_another_user_are_forbidden_without_a_query(backend: Backend) {
    let feedback = feedback_alone(backend).await;
    let (me, them) = (Person::new(&feedback), Person::new(&feedback));
    let (workout, exercise) = (new_id(), new_id());
    feedback.log.clear();
    let writes = [
        (LOG_SET, them.set("set-forged-01", &workout, &exercise)),
        (
            COMPLETE_WORKOUT,
            them.completion("done-forged-1", &workout, &[&exercise]),
        ),
        (RATE_EXERCISE, them.rating("rate-forged-1", &exercise, 1)),
    ];
    for (mutation, input) in writes {
        let response = me.run(mutation, json!({ "input": input })).await;
        assert_eq!(error_codes(&response), ["FORBIDDEN"], "{response:#}");
        assert_eq!(
            response["errors"][0]["message"],
            "userId must be your own user id"
        );
    }
    assert_eq!(
        feedback.log.statements(),
        Vec::<String>::new(),
        "the database is not touched"
    );
    assert_eq!(feedback.counts().await, [0, 0, 0, 0]);
}

async fn anonymous_writes_are_unauthenticated_without_a_query(backend: Backend) {
    let feedback = feedback_alone(backend).await;
    let me = Person::new(&feedback);
    let (workout, exercise) = (new_id(), new_id());
    feedback.log.clear();
    let writes = [
        (
            LOG_SET,
            json!({ "input": me.set("set-anon-0001", &workout, &exercise) }),
        ),
        (
            COMPLETE_WORKOUT,
            json!({ "input": me.completion("done-anon-001", &workout, &[&exercise]) }),
        ),
        (
            RATE_EXERCISE,
            json!({ "input": me.rating("rate-anon-001", &exercise, 4) }),
        ),
        (PURGE, json!({})),
    ];
    let partner = Identity::client("partner", &[]);
    for (mutation, variables) in writes {
        for caller in [&Identity::anonymous(), &partner] {
            let response = feedback.run_as(caller, mutation, variables.clone()).await;
            assert_eq!(
                error_codes(&response),
                ["UNAUTHENTICATED"],
                "{mutation}: {response:#}"
            );
        }
    }
    assert_eq!(
        feedback.log.statements(),
        Vec::<String>::new(),
        "the database is not touched"
    );
    assert_eq!(feedback.counts().await, [0, 0, 0, 0]);
}

async fn writes_on_another_users_workout_are_not_found(backend: Backend) {
    let feedback = feedback_alone(backend).await;
    let (me, them) = (Person::new(&feedback), Person::new(&feedback));
    let (logged, completed, exercise) = (new_id(), new_id(), new_id());
    me.write(
        LOG_SET,
        "logSet",
        me.set("set-claim-001", &logged, &exercise),
    )
    .await;
    me.write(
        COMPLETE_WORKOUT,
        "completeWorkout",
        me.completion("done-claim-01", &completed, &[&exercise]),
    )
    .await;
    let before = feedback.counts().await;

    for workout in [&logged, &completed] {
        let writes = [
            (
                LOG_SET,
                them.set(&format!("set-{workout}"), workout, &exercise),
            ),
            (
                COMPLETE_WORKOUT,
                them.completion(&format!("done-{workout}"), workout, &[&exercise]),
            ),
        ];
        for (mutation, input) in writes {
            let response = them.run(mutation, json!({ "input": input })).await;
            assert_eq!(error_codes(&response), ["NOT_FOUND"], "{response:#}");
            assert_eq!(
                response["errors"][0]["message"],
                format!("workout {workout} does not exist")
            );
        }
    }
    assert_eq!(feedback.counts().await, before, "nothing was written");

    let again = me
        .run(
            COMPLETE_WORKOUT,
            json!({ "input": me.completion("done-claim-02", &completed, &[&exercise]) }),
        )
        .await;
    assert_eq!(
        error_codes(&again),
        ["CONFLICT"],
        "the owner still learns it is done: {again:#}"
    );
    me.write(
        LOG_SET,
        "logSet",
        me.set("set-claim-002", &logged, &exercise),
    )
    .await;
}

async fn idempotency_keys_are_per_user(backend: Backend) {
    let feedback = feedback_alone(backend).await;
    let (me, them) = (Person::new(&feedback), Person::new(&feedback));
    let exercise = new_id();
    let (my_workout, their_workout) = (new_id(), new_id());
    let writes = [
        (
            LOG_SET,
            "logSet",
            me.set("shared-key-1", &my_workout, &exercise),
            them.set("shared-key-1", &their_workout, &exercise),
        ),
        (
            COMPLETE_WORKOUT,
            "completeWorkout",
            me.completion("shared-key-2", &my_workout, &[&exercise]),
            them.completion("shared-key-2", &their_workout, &[&exercise]),
        ),
        (
            RATE_EXERCISE,
            "rateExercise",
            me.rating("shared-key-3", &exercise, 5),
            them.rating("shared-key-3", &exercise, 1),
        ),
    ];
    for (mutation, field, mine, theirs) in writes {
        let first = me.write(mutation, field, mine.clone()).await;
        let other = them.write(mutation, field, theirs).await;
        assert_eq!(
            other["userId"],
            json!(them.id),
            "{field}: their own write, not a replay of mine"
        );
        assert_ne!(other["id"], first["id"], "{field}");
        let retry = me.write(mutation, field, mine).await;
        assert_eq!(
            retry, first,
            "{field}: my retry still finds my first result"
        );
    }
    assert_eq!(feedback.counts().await, [2, 2, 2, 2]);
}

async fn personal_data_exports_only_the_callers_data(backend: Backend) {
    let feedback = feedback_alone(backend).await;
    let (me, them) = (Person::new(&feedback), Person::new(&feedback));
    let (mine, theirs, exercise) = (new_id(), new_id(), new_id());
    let set = me
        .write(LOG_SET, "logSet", me.set("set-export-01", &mine, &exercise))
        .await;
    let done = me
        .write(
            COMPLETE_WORKOUT,
            "completeWorkout",
            me.completion("done-export-1", &mine, &[&exercise]),
        )
        .await;
    let rating = me
        .write(
            RATE_EXERCISE,
            "rateExercise",
            me.rating("rate-export-1", &exercise, 4),
        )
        .await;
    them.write(
        LOG_SET,
        "logSet",
        them.set("set-export-02", &theirs, &exercise),
    )
    .await;
    them.write(
        COMPLETE_WORKOUT,
        "completeWorkout",
        them.completion("done-export-2", &theirs, &[&exercise]),
    )
    .await;
    them.write(
        RATE_EXERCISE,
        "rateExercise",
        them.rating("rate-export-2", &exercise, 2),
    )
    .await;
    let variables = reps("PersonalData", "userId", &[&me.id]);

    let own = me.run(ENTITIES, variables.clone()).await;
    assert_eq!(error_codes(&own), Vec::<String>::new(), "{own:#}");
    let entity = &own["data"]["_entities"][0];
    assert_eq!(entity["userId"], json!(me.id));
    let export = &entity["feedback"];
    assert_eq!(export["userId"], json!(me.id));
    assert_eq!(
        export["setLogs"].as_array().map(Vec::len),
        Some(1),
        "{export:#}"
    );
    assert_eq!(export["setLogs"][0]["id"], set["id"]);
    assert_eq!(export["setLogs"][0]["idempotencyKey"], "set-export-01");
    assert_eq!(export["completions"][0]["id"], done["id"]);
    assert_eq!(
        export["completions"][0]["exercises"][0]["exerciseId"],
        json!(exercise)
    );
    assert_eq!(export["completions"].as_array().map(Vec::len), Some(1));
    assert_eq!(export["ratings"].as_array().map(Vec::len), Some(1));
    assert_eq!(export["ratings"][0]["id"], rating["id"]);
    let text = export.to_string();
    for foreign in [&them.id, &theirs] {
        assert!(
            !text.contains(foreign.as_str()),
            "{foreign} leaked into {export:#}"
        );
    }

    let other = them.run(ENTITIES, variables.clone()).await;
    assert_eq!(other["data"]["_entities"], json!([null]), "{other:#}");

    let anonymous = feedback
        .run_as(&Identity::anonymous(), ENTITIES, variables)
        .await;
    assert_eq!(
        error_codes(&anonymous),
        ["UNAUTHENTICATED"],
        "{anonymous:#}"
    );
    let path = anonymous["errors"][0]["path"]
        .as_array()
        .expect("an error path");
    assert_eq!(
        path.last(),
        Some(&json!("feedback")),
        "the field, not the entity, refuses"
    );
}

/// Two sets, a completion of two exercises and a rating: six rows.
async fn six_rows_of(person: &Person<'_>) {
    let (workout, squat, bench) = (new_id(), new_id(), new_id());
    let tag = &person.id[person.id.len() - 8..];
    for (n, exercise) in [&squat, &bench].into_iter().enumerate() {
        let input = person.set(&format!("set-{tag}-{n}"), &workout, exercise);
        person.write(LOG_SET, "logSet", input).await;
    }
    let input = person.completion(&format!("done-{tag}"), &workout, &[&squat, &bench]);
    person
        .write(COMPLETE_WORKOUT, "completeWorkout", input)
        .await;
    let input = person.rating(&format!("rate-{tag}"), &squat, 3);
    person.write(RATE_EXERCISE, "rateExercise", input).await;
}

async fn purge_removes_only_the_callers_data_and_is_idempotent(backend: Backend) {
    let feedback = feedback_alone(backend).await;
    let (me, them) = (Person::new(&feedback), Person::new(&feedback));
    six_rows_of(&me).await;
    six_rows_of(&them).await;

    let refused = feedback
        .run_as(&Identity::anonymous(), PURGE, json!({}))
        .await;
    assert_eq!(error_codes(&refused), ["UNAUTHENTICATED"], "{refused:#}");
    assert_eq!(feedback.counts().await, [4, 2, 4, 2]);

    let purged = me.run(PURGE, json!({})).await;
    assert_eq!(purged["data"]["purgeFeedbackData"], 6, "{purged:#}");
    assert_eq!(
        feedback.counts().await,
        [2, 1, 2, 1],
        "the other user's rows stay"
    );
    let again = me.run(PURGE, json!({})).await;
    assert_eq!(
        again["data"]["purgeFeedbackData"], 0,
        "a second purge finds nothing"
    );

    let export = me
        .run(ENTITIES, reps("PersonalData", "userId", &[&me.id]))
        .await;
    assert_eq!(
        export["data"]["_entities"][0]["feedback"],
        json!({ "userId": me.id, "setLogs": [], "completions": [], "ratings": [] })
    );
}

async fn requests_without_the_gateway_credential_are_refused(backend: Backend) {
    let feedback = feedback_alone(backend).await;
    let me = Person::new(&feedback);
    let server = spawn_router(router(feedback.schema.clone(), test_credential())).await;
    let input = me.set("set-unsigned-1", &new_id(), &new_id());

    let (status, body) = server
        .graphql_unsigned(LOG_SET, json!({ "input": input }))
        .await;
    assert_eq!(status, 401, "{body}");
    assert_eq!(error_codes(&body), ["UNAUTHENTICATED"]);
    let (status, _) = server.graphql_unsigned(PURGE, json!({})).await;
    assert_eq!(status, 401);
    assert_eq!(feedback.counts().await, [0, 0, 0, 0], "nothing was written");

    let signed = server
        .graphql_as(&me.identity, LOG_SET, json!({ "input": input }))
        .await;
    assert_eq!(signed["data"]["logSet"]["userId"], json!(me.id), "{signed}");
}

#[test]
fn the_schema_hides_the_purge_and_contributes_personal_data() {
    let sdl = feedback_subgraph::sdl();
    assert!(
        sdl.contains("purgeFeedbackData: Int! @inaccessible"),
        "{sdl}"
    );
    assert!(
        sdl.contains("type PersonalData @key(fields: \"userId\")"),
        "{sdl}"
    );
    assert!(sdl.contains("feedback: JSON!"), "{sdl}");
}
