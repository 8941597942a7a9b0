//! The artifact's bytes: round trip and every way loading refuses them.

mod common;

use fitgraph_ranker::{ARTIFACT_FORMAT, Artifact, ArtifactError, feature_schema_hash};
use serde_json::Value;

fn artifact() -> &'static Artifact {
    &common::standard().1.artifact
}

fn as_json(artifact: &Artifact) -> Value {
    serde_json::from_slice(&artifact.to_bytes()).expect("an artifact is JSON")
}

fn load(json: &Value) -> Result<Artifact, ArtifactError> {
    Artifact::from_bytes(&serde_json::to_vec(json).expect("a JSON value serialises"))
}

/// The weights of the effectiveness model, a logistic regression on the standard corpus.
fn effectiveness_weights(json: &mut Value) -> &mut Value {
    let weights = &mut json["effectiveness"]["logistic_regression"]["fitted"]["params"];
    assert!(weights["data"].is_array(), "unexpected layout: {weights}");
    weights
}

#[test]
fn a_round_trip_scores_identically() {
    let original = artifact();
    let loaded = Artifact::from_bytes(&original.to_bytes()).expect("loads");
    assert!(
        &loaded == original,
        "the loaded artifact differs from the saved one"
    );
    for example in &common::standard().1.holdout {
        assert_eq!(
            loaded.score(&example.snapshot, &example.exercise),
            original.score(&example.snapshot, &example.exercise)
        );
    }
}

#[test]
fn the_version_names_the_day_and_content() {
    let version = &artifact().version;
    let (day, hash) = version.split_once('-').expect("r<date>-<hash>");
    assert_eq!(day, "r20261118");
    assert_eq!(hash.len(), 8);
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(artifact().format, ARTIFACT_FORMAT);
    assert_eq!(artifact().feature_schema_hash, feature_schema_hash());
}

#[test]
fn corrupted_bytes_are_malformed() {
    let bytes = artifact().to_bytes();
    for corrupted in [
        &bytes[..bytes.len() / 2],
        b"not json".as_slice(),
        b"{}".as_slice(),
        b"".as_slice(),
    ] {
        assert!(
            matches!(
                Artifact::from_bytes(corrupted),
                Err(ArtifactError::Malformed(_))
            ),
            "{}",
            String::from_utf8_lossy(&corrupted[..corrupted.len().min(40)])
        );
    }
}

#[test]
fn another_feature_schema_is_refused() {
    let mut json = as_json(artifact());
    json["feature_schema_hash"] = Value::from("0".repeat(64));
    assert_eq!(
        load(&json),
        Err(ArtifactError::SchemaMismatch {
            found: "0".repeat(64),
            expected: feature_schema_hash(),
        })
    );
}

#[test]
fn another_format_is_refused() {
    let mut json = as_json(artifact());
    json["format"] = Value::from(ARTIFACT_FORMAT + 1);
    // A newer layout may differ anywhere; the format is still reported as such.
    json["scaler"] = Value::from("rearranged");
    assert_eq!(
        load(&json),
        Err(ArtifactError::Format {
            found: ARTIFACT_FORMAT + 1,
            expected: ARTIFACT_FORMAT,
        })
    );
}

#[test]
fn a_nan_weight_is_malformed() {
    let mut json = as_json(artifact());
    // JSON has no NaN: serialising one writes null, which must not load as a number.
    effectiveness_weights(&mut json)["data"][0] = Value::Null;
    assert!(matches!(load(&json), Err(ArtifactError::Malformed(_))));

    // Nor may a number too large for a double.
    let text = String::from_utf8(artifact().to_bytes()).expect("JSON is UTF-8");
    let overflowing = text.replacen("\"data\":[", "\"data\":[1e999,", 1);
    assert_ne!(overflowing, text, "the artifact has an array of weights");
    assert!(matches!(
        Artifact::from_bytes(overflowing.as_bytes()),
        Err(ArtifactError::Malformed(_))
    ));
}

#[test]
fn weights_of_the_wrong_length_are_malformed() {
    let mut json = as_json(artifact());
    let weights = effectiveness_weights(&mut json);
    let data = weights["data"].as_array_mut().expect("an array");
    data.pop();
    let length = data.len();
    weights["dim"] = Value::from(vec![length]);
    let err = load(&json).expect_err("one weight short");
    assert!(
        matches!(&err, ArtifactError::Malformed(message) if message.contains("weights")),
        "{err}"
    );
}

#[test]
fn a_zero_scale_is_malformed() {
    let mut json = as_json(artifact());
    json["scaler"]["scales"][0] = Value::from(0.0);
    assert!(matches!(load(&json), Err(ArtifactError::Malformed(_))));
}

#[test]
fn impossible_cohort_counts_are_malformed() {
    let mut json = as_json(artifact());
    json["cohorts"]["population"]["completed"] = Value::from(u64::MAX);
    assert!(matches!(load(&json), Err(ArtifactError::Malformed(_))));
}
