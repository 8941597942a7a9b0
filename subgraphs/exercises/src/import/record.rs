//! Reading one free-exercise-db record into our vocabulary, or saying precisely why not.

use serde_json::{Map, Value};
use subgraph_common::vocab::{Category, Difficulty, Equipment, Force, Mechanic, Muscle};

use super::Rejection;
use super::pattern::{PatternClues, infer_pattern};
use crate::model::{ExerciseContent, MuscleSet};

/// A record that passed every check.
#[derive(Debug, Clone)]
pub(crate) struct ImportedRecord {
    pub source_id: String,
    pub content: ExerciseContent,
}

/// Name lengths accepted, as in the editor.
const NAME_CHARS: std::ops::RangeInclusive<usize> = 3..=120;

/// Why a field was refused, before the record's index and id are attached.
struct FieldError {
    field: &'static str,
    reason: String,
}

fn refuse(field: &'static str, reason: impl Into<String>) -> FieldError {
    FieldError {
        field,
        reason: reason.into(),
    }
}

pub(crate) fn parse_record(index: usize, value: &Value) -> Result<ImportedRecord, Rejection> {
    let Some(object) = value.as_object() else {
        let reason = format!("a record must be a JSON object (got {})", json_kind(value));
        return Err(Rejection {
            index,
            source_id: None,
            field: "record".to_owned(),
            reason,
        });
    };
    let readable_id = object
        .get("id")
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|id| !id.is_empty());
    parse_object(object).map_err(|err| Rejection {
        index,
        source_id: readable_id.map(str::to_owned),
        field: err.field.to_owned(),
        reason: err.reason,
    })
}

fn parse_object(object: &Map<String, Value>) -> Result<ImportedRecord, FieldError> {
    let source_id = required_text(object, "id")?;
    let name = required_text(object, "name")?;
    let name_chars = name.chars().count();
    if !NAME_CHARS.contains(&name_chars) {
        let (min, max) = (NAME_CHARS.start(), NAME_CHARS.end());
        return Err(refuse(
            "name",
            format!("must be between {min} and {max} characters (got {name_chars})"),
        ));
    }
    let category = required_choice(object, "category", category_of)?;
    let difficulty = required_choice(object, "level", difficulty_of)?;
    let force = optional_choice(object, "force", force_of)?;
    let mechanic = optional_choice(object, "mechanic", mechanic_of)?;
    let equipment =
        optional_choice(object, "equipment", equipment_of)?.unwrap_or(Equipment::Bodyweight);
    let primary = muscle_list(object, "primaryMuscles", true)?;
    let secondary = muscle_list(object, "secondaryMuscles", false)?;
    let instructions = instruction_list(object)?;
    let muscles = MuscleSet::tidy(primary, secondary);
    let movement_pattern = infer_pattern(&PatternClues {
        name: &name,
        category,
        force,
        mechanic,
        primary: muscles.primary[0],
        equipment,
    });
    let content = ExerciseContent {
        name,
        instructions,
        category,
        mechanic,
        force,
        difficulty,
        muscles,
        equipment,
        movement_pattern,
    };
    Ok(ImportedRecord { source_id, content })
}

fn required_text(object: &Map<String, Value>, field: &'static str) -> Result<String, FieldError> {
    match object.get(field) {
        None | Some(Value::Null) => Err(refuse(field, "is missing")),
        Some(Value::String(text)) if text.trim().is_empty() => Err(refuse(field, "is empty")),
        Some(Value::String(text)) => Ok(text.trim().to_owned()),
        Some(other) => Err(refuse(
            field,
            format!("must be a string (got {})", json_kind(other)),
        )),
    }
}

type Choice<T> = fn(&str) -> Option<T>;

fn required_choice<T>(
    object: &Map<String, Value>,
    field: &'static str,
    choose: Choice<T>,
) -> Result<T, FieldError> {
    optional_choice(object, field, choose)?.ok_or_else(|| refuse(field, "is missing"))
}

/// A value from a fixed set of strings; null or absent is `None`.
fn optional_choice<T>(
    object: &Map<String, Value>,
    field: &'static str,
    choose: Choice<T>,
) -> Result<Option<T>, FieldError> {
    match object.get(field) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(text)) => choose(text)
            .map(Some)
            .ok_or_else(|| refuse(field, format!("`{text}` is not a known {field}"))),
        Some(other) => Err(refuse(
            field,
            format!("must be a string or null (got {})", json_kind(other)),
        )),
    }
}

fn muscle_list(
    object: &Map<String, Value>,
    field: &'static str,
    required: bool,
) -> Result<Vec<Muscle>, FieldError> {
    let items = match object.get(field) {
        None | Some(Value::Null) if !required => return Ok(Vec::new()),
        None | Some(Value::Null) => return Err(refuse(field, "is missing")),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(refuse(
                field,
                format!("must be an array of muscles (got {})", json_kind(other)),
            ));
        }
    };
    let muscles = items
        .iter()
        .map(|item| match item {
            Value::String(text) => muscle_of(text)
                .ok_or_else(|| refuse(field, format!("`{text}` is not a known muscle"))),
            other => Err(refuse(
                field,
                format!("must list muscle names (got {})", json_kind(other)),
            )),
        })
        .collect::<Result<Vec<Muscle>, FieldError>>()?;
    if required && muscles.is_empty() {
        return Err(refuse(field, "must name at least one muscle"));
    }
    Ok(muscles)
}

/// The steps, trimmed, blank ones dropped; absent means none.
fn instruction_list(object: &Map<String, Value>) -> Result<Vec<String>, FieldError> {
    let items = match object.get("instructions") {
        None | Some(Value::Null) => return Ok(Vec::new()),
        Some(Value::Array(items)) => items,
        Some(other) => {
            return Err(refuse(
                "instructions",
                format!("must be an array of strings (got {})", json_kind(other)),
            ));
        }
    };
    let mut steps = Vec::with_capacity(items.len());
    for item in items {
        let Value::String(step) = item else {
            return Err(refuse(
                "instructions",
                format!("must list strings (got {})", json_kind(item)),
            ));
        };
        if !step.trim().is_empty() {
            steps.push(step.trim().to_owned());
        }
    }
    Ok(steps)
}

fn json_kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn category_of(text: &str) -> Option<Category> {
    Some(match text {
        "strength" => Category::Strength,
        "stretching" => Category::Stretching,
        "plyometrics" => Category::Plyometrics,
        "powerlifting" => Category::Powerlifting,
        "olympic weightlifting" => Category::OlympicWeightlifting,
        "strongman" => Category::Strongman,
        "cardio" => Category::Cardio,
        _ => return None,
    })
}

fn difficulty_of(text: &str) -> Option<Difficulty> {
    Some(match text {
        "beginner" => Difficulty::Beginner,
        "intermediate" => Difficulty::Intermediate,
        "expert" => Difficulty::Advanced,
        _ => return None,
    })
}

fn force_of(text: &str) -> Option<Force> {
    Some(match text {
        "pull" => Force::Pull,
        "push" => Force::Push,
        "static" => Force::Static,
        _ => return None,
    })
}

fn mechanic_of(text: &str) -> Option<Mechanic> {
    Some(match text {
        "compound" => Mechanic::Compound,
        "isolation" => Mechanic::Isolation,
        _ => return None,
    })
}

fn equipment_of(text: &str) -> Option<Equipment> {
    Some(match text {
        "body only" => Equipment::Bodyweight,
        "barbell" => Equipment::Barbell,
        "dumbbell" => Equipment::Dumbbell,
        "kettlebells" => Equipment::Kettlebell,
        "cable" => Equipment::Cable,
        "machine" => Equipment::Machine,
        "bands" => Equipment::ResistanceBand,
        "medicine ball" => Equipment::MedicineBall,
        "exercise ball" => Equipment::StabilityBall,
        "foam roll" => Equipment::FoamRoller,
        "e-z curl bar" => Equipment::EzBar,
        "other" => Equipment::Other,
        _ => return None,
    })
}

fn muscle_of(text: &str) -> Option<Muscle> {
    Some(match text {
        "abdominals" => Muscle::Abdominals,
        "abductors" => Muscle::Abductors,
        "adductors" => Muscle::Adductors,
        "biceps" => Muscle::Biceps,
        "calves" => Muscle::Calves,
        "chest" => Muscle::Chest,
        "forearms" => Muscle::Forearms,
        "glutes" => Muscle::Glutes,
        "hamstrings" => Muscle::Hamstrings,
        "lats" => Muscle::Lats,
        "lower back" => Muscle::LowerBack,
        "middle back" => Muscle::MiddleBack,
        "neck" => Muscle::Neck,
        "quadriceps" => Muscle::Quadriceps,
        "shoulders" => Muscle::Shoulders,
        "traps" => Muscle::Traps,
        "triceps" => Muscle::Triceps,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn sit_up() -> Value {
        json!({
            "id": "3_4_Sit-Up", "name": "3/4 Sit-Up", "force": "pull", "level": "beginner",
            "mechanic": "compound", "equipment": "body only", "primaryMuscles": ["abdominals"],
            "secondaryMuscles": [], "instructions": ["Lie down.", "  ", "Sit up."], "category": "strength",
            "images": ["3_4_Sit-Up/0.jpg"]
        })
    }

    #[test]
    fn a_good_record_maps_to_our_vocabulary() {
        let record = parse_record(0, &sit_up()).expect("the sample is valid");
        assert_eq!(record.source_id, "3_4_Sit-Up");
        assert_eq!(record.content.equipment, Equipment::Bodyweight);
        assert_eq!(record.content.difficulty, Difficulty::Beginner);
        assert_eq!(record.content.instructions, ["Lie down.", "Sit up."]);
        assert_eq!(record.content.muscles.primary, [Muscle::Abdominals]);
    }

    #[test]
    fn a_bad_field_is_named_with_the_record() {
        let mut value = sit_up();
        value["level"] = json!("master");
        let rejection = parse_record(7, &value).expect_err("master is not a level");
        assert_eq!((rejection.index, rejection.field.as_str()), (7, "level"));
        assert_eq!(rejection.source_id.as_deref(), Some("3_4_Sit-Up"));
        assert!(rejection.reason.contains("master"), "{}", rejection.reason);

        value["level"] = json!("expert");
        value["primaryMuscles"] = json!("abdominals");
        let rejection = parse_record(7, &value).expect_err("muscles must be a list");
        assert_eq!(rejection.field, "primaryMuscles");
        assert!(
            rejection.reason.contains("got a string"),
            "{}",
            rejection.reason
        );
    }

    #[test]
    fn missing_ids_and_non_objects_are_refused() {
        let mut value = sit_up();
        value["id"] = json!("");
        let rejection = parse_record(2, &value).expect_err("an empty id is refused");
        assert_eq!(
            (rejection.field.as_str(), rejection.source_id),
            ("id", None)
        );
        let rejection = parse_record(3, &json!(42)).expect_err("a number is not a record");
        assert_eq!(rejection.field, "record");
    }

    #[test]
    fn null_equipment_means_bodyweight_and_expert_means_advanced() {
        let mut value = sit_up();
        value["equipment"] = Value::Null;
        value["level"] = json!("expert");
        let record = parse_record(0, &value).expect("valid");
        assert_eq!(record.content.equipment, Equipment::Bodyweight);
        assert_eq!(record.content.difficulty, Difficulty::Advanced);
    }
}
