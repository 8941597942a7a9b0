//! The only personal data the exercises subgraph holds: which library edits a
//! user made. Exported as a JSON document for the user's data export, and purged
//! when their account is deleted.
//!
//! Purging unlinks the user from their edit rows instead of deleting the rows:
//! the library's history (this exercise was created, updated, deprecated, when,
//! through which API client) is the library's own record and names nobody once
//! `editor_id` is null, while deleting it would make past edits by a deleted
//! account indistinguishable from edits that never happened.

use fitgraph_entities::exercises::exercise_edit;
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};
use uuid::Uuid;

use crate::error::ExercisesError;
use crate::store;

/// `{ "edits": [...] }`: every edit `user` made, oldest first, with the edited
/// exercise's current slug and name.
pub async fn export<C: ConnectionTrait>(db: &C, user: Uuid) -> Result<Value, ExercisesError> {
    let edits = store::edits_by_editor(db, user).await?;
    let mut exercise_ids: Vec<Uuid> = edits.iter().map(|edit| edit.exercise_id).collect();
    exercise_ids.sort_unstable();
    exercise_ids.dedup();
    let names = store::names_by_id(db, &exercise_ids).await?;
    let edits: Vec<Value> = edits
        .iter()
        .map(|edit| edit_json(edit, names.get(&edit.exercise_id)))
        .collect();
    Ok(json!({ "edits": edits }))
}

fn edit_json(edit: &exercise_edit::Model, names: Option<&(String, String)>) -> Value {
    let (slug, name) = match names {
        Some((slug, name)) => (Some(slug.as_str()), Some(name.as_str())),
        None => (None, None),
    };
    json!({
        "exerciseId": edit.exercise_id.to_string(),
        "exerciseSlug": slug,
        "exerciseName": name,
        "action": edit.action,
        "client": edit.client,
        "editedAt": edit.created_at.to_rfc3339(),
    })
}

/// Removes `user` from the edit history; returns how many edits named them.
/// Running it again finds nothing and returns 0. Nothing is cached per user
/// (the DataLoaders keep no cache), so there is nothing else to clear.
pub async fn purge<C: ConnectionTrait>(db: &C, user: Uuid) -> Result<u64, ExercisesError> {
    Ok(store::forget_editor(db, user).await?)
}
