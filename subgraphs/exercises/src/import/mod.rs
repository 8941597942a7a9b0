//! Importing the public free-exercise-db catalog (a JSON array of records).
//!
//! Records are matched by their id within the source, so importing the same file
//! again changes nothing and an edited record is updated in place (its slug stays).
//! A record that cannot be read is reported with its index, id, field and reason
//! while the others still import.

mod pattern;
mod record;

use std::collections::{HashMap, HashSet};
use std::fmt;

use fitgraph_entities::exercises::exercise;
use sea_orm::ActiveValue::{Set, Unchanged};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, DbErr, EntityTrait, QueryFilter,
    TransactionTrait,
};
use serde_json::Value;
use subgraph_common::Progress;
use uuid::Uuid;

use crate::error::ExercisesError;
use crate::model::{ExerciseContent, ExerciseRecord, NewExercise, Source};
use crate::slug::{slugify, unique_slug};
use crate::{catalog, seed, store};
use record::{ImportedRecord, parse_record};

/// Records written per transaction.
const IMPORT_BATCH: usize = 250;

#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    #[error("the file is not valid JSON: {0}")]
    InvalidJson(#[source] serde_json::Error),
    #[error("expected a JSON array of exercise records at the top level, but the file holds {0}")]
    NotAnArray(&'static str),
    #[error("the import could not be written: {0}")]
    Database(#[from] DbErr),
    #[error("the import could not be written: {0}")]
    Store(#[from] ExercisesError),
}

/// A record left out of the import, and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rejection {
    /// Its position in the file's array, from 0.
    pub index: usize,
    /// Its `id`, when that much was readable.
    pub source_id: Option<String>,
    /// The field at fault (`record` when it is not an object at all).
    pub field: String,
    pub reason: String,
}

impl fmt::Display for Rejection {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "record {}", self.index)?;
        if let Some(id) = &self.source_id {
            write!(f, " (id `{id}`)")?;
        }
        write!(f, ": {} {}", self.field, self.reason)
    }
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ImportReport {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
    pub rejected: Vec<Rejection>,
    /// The exercises created or updated, in the order they were written.
    pub changed: Vec<Uuid>,
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} created, {} updated, {} unchanged, {} rejected",
            self.created,
            self.updated,
            self.unchanged,
            self.rejected.len()
        )?;
        for rejection in &self.rejected {
            write!(f, "\n  rejected {rejection}")?;
        }
        Ok(())
    }
}

/// One write the import will make.
enum Change {
    Create(NewExercise),
    Update { id: Uuid, content: ExerciseContent },
}

impl Change {
    fn exercise_id(&self) -> Uuid {
        match self {
            Change::Create(new) => new.id,
            Change::Update { id, .. } => *id,
        }
    }
}

pub async fn import_free_exercise_db(
    db: &DatabaseConnection,
    json: &[u8],
    progress: &dyn Progress,
) -> Result<ImportReport, ImportError> {
    let values = parse_file(json)?;
    let mut report = ImportReport::default();
    let records = readable_records(&values, &mut report.rejected);
    let changes = plan(db, records, &mut report).await?;
    progress.start("importing exercises", changes.len() as u64);
    for batch in changes.chunks(IMPORT_BATCH) {
        write_batch(db, batch).await?;
        report.changed.extend(batch.iter().map(Change::exercise_id));
        progress.advance(batch.len() as u64);
    }
    progress.finish();
    if !changes.is_empty() {
        seed::rebuild_substitutions(db, progress).await?;
    }
    Ok(report)
}

fn parse_file(json: &[u8]) -> Result<Vec<Value>, ImportError> {
    match serde_json::from_slice(json).map_err(ImportError::InvalidJson)? {
        Value::Array(values) => Ok(values),
        Value::Object(_) => Err(ImportError::NotAnArray("an object")),
        Value::String(_) => Err(ImportError::NotAnArray("a string")),
        Value::Number(_) => Err(ImportError::NotAnArray("a number")),
        Value::Bool(_) => Err(ImportError::NotAnArray("a boolean")),
        Value::Null => Err(ImportError::NotAnArray("null")),
    }
}

/// The records that parse, each id once (a repeated id is refused, not merged).
fn readable_records(values: &[Value], rejected: &mut Vec<Rejection>) -> Vec<ImportedRecord> {
    let mut first_index: HashMap<String, usize> = HashMap::new();
    let mut records = Vec::with_capacity(values.len());
    for (index, value) in values.iter().enumerate() {
        match parse_record(index, value) {
            Err(rejection) => rejected.push(rejection),
            Ok(record) => match first_index.get(&record.source_id) {
                Some(first) => rejected.push(Rejection {
                    index,
                    source_id: Some(record.source_id.clone()),
                    field: "id".to_owned(),
                    reason: format!("repeats the id of record {first}"),
                }),
                None => {
                    first_index.insert(record.source_id.clone(), index);
                    records.push(record);
                }
            },
        }
    }
    records
}

/// Compares each record with what an earlier import stored and decides its fate.
async fn plan(
    db: &DatabaseConnection,
    records: Vec<ImportedRecord>,
    report: &mut ImportReport,
) -> Result<Vec<Change>, ImportError> {
    let existing = previously_imported(db).await?;
    let mut taken = reserved_slugs(db).await?;
    let mut changes = Vec::new();
    for record in records {
        match existing.get(&record.source_id) {
            Some((_, stored)) if *stored == record.content => report.unchanged += 1,
            Some((id, _)) => {
                report.updated += 1;
                changes.push(Change::Update {
                    id: *id,
                    content: record.content,
                });
            }
            None => {
                report.created += 1;
                changes.push(Change::Create(new_exercise(record, &mut taken)));
            }
        }
    }
    Ok(changes)
}

/// Slugs in use plus every catalog slug, so a later seed never finds its slugs taken.
async fn reserved_slugs(db: &DatabaseConnection) -> Result<HashSet<String>, ImportError> {
    let mut taken: HashSet<String> = store::all_slugs(db).await?.into_iter().collect();
    taken.extend(
        catalog::exercises()
            .into_iter()
            .map(|seed| seed.slug.to_string()),
    );
    Ok(taken)
}

fn new_exercise(record: ImportedRecord, taken: &mut HashSet<String>) -> NewExercise {
    let base = Some(slugify(&record.content.name))
        .filter(|slug| !slug.is_empty())
        .unwrap_or_else(|| format!("free-exercise-db-{}", slugify(&record.source_id)));
    NewExercise {
        id: Uuid::now_v7(),
        slug: unique_slug(&base, taken),
        source: Source::FreeExerciseDb,
        source_id: record.source_id,
        content: record.content,
    }
}

/// Earlier imports by source id: the exercise id and its stored content.
async fn previously_imported(
    db: &DatabaseConnection,
) -> Result<HashMap<String, (Uuid, ExerciseContent)>, ImportError> {
    let rows = exercise::Entity::find()
        .filter(exercise::Column::Source.eq(Source::FreeExerciseDb.as_str()))
        .all(db)
        .await?;
    let ids: Vec<Uuid> = rows.iter().map(|row| row.id).collect();
    let mut muscles = store::muscles_by_exercise(db, &ids).await?;
    let mut imported = HashMap::with_capacity(rows.len());
    for row in rows {
        let source_id = row.source_id.clone();
        let record = ExerciseRecord::try_from(row)?;
        let content =
            ExerciseContent::from_record(&record, muscles.remove(&record.id).unwrap_or_default());
        imported.insert(source_id, (record.id, content));
    }
    Ok(imported)
}

async fn write_batch(db: &DatabaseConnection, batch: &[Change]) -> Result<(), ImportError> {
    let txn = db.begin().await?;
    let created: Vec<NewExercise> = batch
        .iter()
        .filter_map(|change| match change {
            Change::Create(new) => Some(new.clone()),
            Change::Update { .. } => None,
        })
        .collect();
    store::insert_exercises(&txn, &created).await?;
    for change in batch {
        if let Change::Update { id, content } = change {
            let mut row = exercise::ActiveModel {
                id: Unchanged(*id),
                updated_at: Set(chrono::Utc::now()),
                ..Default::default()
            };
            content.apply_to(&mut row);
            row.update(&txn).await?;
            store::replace_muscles(&txn, *id, &content.muscles).await?;
        }
    }
    txn.commit().await?;
    Ok(())
}
