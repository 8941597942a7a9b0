//! Reads and writes of the exercise tables. Every function takes any connection, so
//! callers decide which writes share a transaction.

use std::collections::HashMap;

use fitgraph_entities::exercises::{
    exercise, exercise_edit, exercise_muscle, exercise_substitution,
};
use sea_orm::ActiveValue::Set;
use sea_orm::sea_query::Query;
use sea_orm::{
    ColumnTrait, ConnectionTrait, DbErr, EntityTrait, QueryFilter, QueryOrder, QuerySelect,
};
use subgraph_common::vocab::Muscle;
use uuid::Uuid;

use crate::editor::{Attribution, EditAction};
use crate::error::ExercisesError;
use crate::model::{ExerciseRecord, MuscleSet, NewExercise};
use crate::similarity::ExerciseProfile;

/// Rows per multi-row INSERT: well under SQLite's 32,766 bound parameters at 17 columns.
const EXERCISE_ROWS_PER_INSERT: usize = 500;
/// Rows per multi-row INSERT for the narrow link tables.
const LINK_ROWS_PER_INSERT: usize = 2_000;

pub(crate) async fn exercises_by_ids<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<Vec<ExerciseRecord>, ExercisesError> {
    let rows = exercise::Entity::find()
        .filter(exercise::Column::Id.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    rows.into_iter().map(ExerciseRecord::try_from).collect()
}

pub(crate) async fn exercise_by_id<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
) -> Result<Option<ExerciseRecord>, ExercisesError> {
    exercise::Entity::find_by_id(id)
        .one(db)
        .await?
        .map(ExerciseRecord::try_from)
        .transpose()
}

pub(crate) async fn exercise_by_slug<C: ConnectionTrait>(
    db: &C,
    slug: &str,
) -> Result<Option<ExerciseRecord>, ExercisesError> {
    let row = exercise::Entity::find()
        .filter(exercise::Column::Slug.eq(slug))
        .one(db)
        .await?;
    row.map(ExerciseRecord::try_from).transpose()
}

/// The muscles of each exercise in `ids`; exercises without rows are absent.
pub(crate) async fn muscles_by_exercise<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, MuscleSet>, ExercisesError> {
    let rows = exercise_muscle::Entity::find()
        .filter(exercise_muscle::Column::ExerciseId.is_in(ids.iter().copied()))
        .all(db)
        .await?;
    group_muscles(rows)
}

fn group_muscles(
    rows: Vec<exercise_muscle::Model>,
) -> Result<HashMap<Uuid, MuscleSet>, ExercisesError> {
    let mut grouped: HashMap<Uuid, Vec<exercise_muscle::Model>> = HashMap::new();
    for row in rows {
        grouped.entry(row.exercise_id).or_default().push(row);
    }
    grouped
        .into_iter()
        .map(|(id, rows)| Ok((id, MuscleSet::from_rows(&rows)?)))
        .collect()
}

/// The precomputed substitutes of each exercise in `ids`, best first.
pub(crate) async fn substitutes_by_exercise<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, Vec<Uuid>>, ExercisesError> {
    let rows = exercise_substitution::Entity::find()
        .filter(exercise_substitution::Column::ExerciseId.is_in(ids.iter().copied()))
        .order_by_asc(exercise_substitution::Column::Rank)
        .all(db)
        .await?;
    let mut grouped: HashMap<Uuid, Vec<Uuid>> = HashMap::new();
    for row in rows {
        grouped
            .entry(row.exercise_id)
            .or_default()
            .push(row.substitute_id);
    }
    Ok(grouped)
}

/// Every exercise not deprecated, ready for ranking (two SELECTs).
pub(crate) async fn active_profiles<C: ConnectionTrait>(
    db: &C,
) -> Result<Vec<ExerciseProfile>, ExercisesError> {
    let rows = exercise::Entity::find()
        .filter(exercise::Column::Deprecated.eq(false))
        .all(db)
        .await?;
    let muscle_rows = exercise_muscle::Entity::find()
        .filter(exercise_muscle::Column::ExerciseId.in_subquery(active_ids_query()))
        .all(db)
        .await?;
    let ranked = ranking_inputs(rows, group_muscles(muscle_rows)?)?;
    Ok(ranked.into_iter().map(|(_, profile)| profile).collect())
}

/// The exercises (not deprecated) that train `muscle` as a primary muscle, the only
/// ones that may stand in for an exercise whose first primary muscle it is, each
/// with its ranking profile (two SELECTs).
pub(crate) async fn candidates<C: ConnectionTrait>(
    db: &C,
    muscle: Muscle,
) -> Result<Vec<(ExerciseRecord, ExerciseProfile)>, ExercisesError> {
    let with_muscle = Query::select()
        .column(exercise_muscle::Column::ExerciseId)
        .from(exercise_muscle::Entity)
        .and_where(exercise_muscle::Column::Muscle.eq(muscle.as_str()))
        .and_where(exercise_muscle::Column::IsPrimary.eq(true))
        .to_owned();
    let rows = exercise::Entity::find()
        .filter(exercise::Column::Deprecated.eq(false))
        .filter(exercise::Column::Id.in_subquery(with_muscle.clone()))
        .all(db)
        .await?;
    let muscle_rows = exercise_muscle::Entity::find()
        .filter(exercise_muscle::Column::ExerciseId.in_subquery(with_muscle))
        .all(db)
        .await?;
    ranking_inputs(rows, group_muscles(muscle_rows)?)
}

fn active_ids_query() -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(exercise::Column::Id)
        .from(exercise::Entity)
        .and_where(exercise::Column::Deprecated.eq(false))
        .to_owned()
}

fn ranking_inputs(
    rows: Vec<exercise::Model>,
    muscles: HashMap<Uuid, MuscleSet>,
) -> Result<Vec<(ExerciseRecord, ExerciseProfile)>, ExercisesError> {
    let empty = MuscleSet::default();
    rows.into_iter()
        .map(|row| {
            let record = ExerciseRecord::try_from(row)?;
            let profile = ExerciseProfile::new(&record, muscles.get(&record.id).unwrap_or(&empty));
            Ok((record, profile))
        })
        .collect()
}

/// Every slug in use.
pub(crate) async fn all_slugs<C: ConnectionTrait>(db: &C) -> Result<Vec<String>, DbErr> {
    exercise::Entity::find()
        .select_only()
        .column(exercise::Column::Slug)
        .into_tuple()
        .all(db)
        .await
}

/// Inserts exercises and their muscles with multi-row INSERTs.
pub(crate) async fn insert_exercises<C: ConnectionTrait>(
    db: &C,
    exercises: &[NewExercise],
) -> Result<(), DbErr> {
    let now = chrono::Utc::now();
    for chunk in exercises.chunks(EXERCISE_ROWS_PER_INSERT) {
        exercise::Entity::insert_many(chunk.iter().map(|new| new.row(now)))
            .exec_without_returning(db)
            .await?;
    }
    let muscle_rows: Vec<exercise_muscle::ActiveModel> = exercises
        .iter()
        .flat_map(|new| new.content.muscles.rows(new.id))
        .collect();
    insert_link_rows(db, muscle_rows, exercise_muscle::Entity::insert_many).await
}

async fn insert_link_rows<C, A, F>(db: &C, rows: Vec<A>, insert: F) -> Result<(), DbErr>
where
    C: ConnectionTrait,
    A: sea_orm::ActiveModelTrait + Clone,
    F: Fn(Vec<A>) -> sea_orm::InsertMany<A>,
{
    for chunk in rows.chunks(LINK_ROWS_PER_INSERT) {
        insert(chunk.to_vec()).exec_without_returning(db).await?;
    }
    Ok(())
}

pub(crate) async fn replace_muscles<C: ConnectionTrait>(
    db: &C,
    id: Uuid,
    muscles: &MuscleSet,
) -> Result<(), DbErr> {
    exercise_muscle::Entity::delete_many()
        .filter(exercise_muscle::Column::ExerciseId.eq(id))
        .exec(db)
        .await?;
    insert_link_rows(db, muscles.rows(id), exercise_muscle::Entity::insert_many).await
}

fn substitution_rows(
    exercise_id: Uuid,
    substitutes: &[Uuid],
) -> impl Iterator<Item = exercise_substitution::ActiveModel> {
    substitutes
        .iter()
        .enumerate()
        .map(
            move |(index, substitute)| exercise_substitution::ActiveModel {
                exercise_id: Set(exercise_id),
                substitute_id: Set(*substitute),
                rank: Set(
                    i32::try_from(index + 1).expect("at most a handful of substitutes are kept")
                ),
            },
        )
}

/// Replaces the substitutes of one exercise.
pub(crate) async fn replace_substitutions<C: ConnectionTrait>(
    db: &C,
    exercise_id: Uuid,
    substitutes: &[Uuid],
) -> Result<(), DbErr> {
    exercise_substitution::Entity::delete_many()
        .filter(exercise_substitution::Column::ExerciseId.eq(exercise_id))
        .exec(db)
        .await?;
    let rows = substitution_rows(exercise_id, substitutes).collect();
    insert_link_rows(db, rows, exercise_substitution::Entity::insert_many).await
}

/// Replaces every substitution row; `on_batch` hears how many exercises each batch covered.
pub(crate) async fn replace_all_substitutions<C: ConnectionTrait>(
    db: &C,
    table: &[(Uuid, Vec<Uuid>)],
    on_batch: impl Fn(usize),
) -> Result<(), DbErr> {
    exercise_substitution::Entity::delete_many()
        .exec(db)
        .await?;
    for chunk in table.chunks(LINK_ROWS_PER_INSERT / 5) {
        let rows = chunk
            .iter()
            .flat_map(|(id, substitutes)| substitution_rows(*id, substitutes))
            .collect();
        insert_link_rows(db, rows, exercise_substitution::Entity::insert_many).await?;
        on_batch(chunk.len());
    }
    Ok(())
}

/// Records that `by` made `action` to an exercise.
pub(crate) async fn insert_edit<C: ConnectionTrait>(
    db: &C,
    exercise_id: Uuid,
    by: &Attribution,
    action: EditAction,
) -> Result<(), DbErr> {
    let row = exercise_edit::ActiveModel {
        id: Set(Uuid::now_v7()),
        exercise_id: Set(exercise_id),
        editor_id: Set(by.editor_id),
        client: Set(by.client.clone()),
        action: Set(action.as_str().to_owned()),
        created_at: Set(chrono::Utc::now()),
    };
    exercise_edit::Entity::insert(row)
        .exec_without_returning(db)
        .await?;
    Ok(())
}

/// The edits `editor` made, oldest first.
pub(crate) async fn edits_by_editor<C: ConnectionTrait>(
    db: &C,
    editor: Uuid,
) -> Result<Vec<exercise_edit::Model>, DbErr> {
    exercise_edit::Entity::find()
        .filter(exercise_edit::Column::EditorId.eq(editor))
        .order_by_asc(exercise_edit::Column::CreatedAt)
        .order_by_asc(exercise_edit::Column::Id)
        .all(db)
        .await
}

/// Unlinks `editor` from every edit they made; returns how many rows changed.
pub(crate) async fn forget_editor<C: ConnectionTrait>(db: &C, editor: Uuid) -> Result<u64, DbErr> {
    let result = exercise_edit::Entity::update_many()
        .col_expr(
            exercise_edit::Column::EditorId,
            sea_orm::sea_query::Expr::value(Option::<Uuid>::None),
        )
        .filter(exercise_edit::Column::EditorId.eq(editor))
        .exec(db)
        .await?;
    Ok(result.rows_affected)
}

/// The slug and name of each exercise in `ids` that exists.
pub(crate) async fn names_by_id<C: ConnectionTrait>(
    db: &C,
    ids: &[Uuid],
) -> Result<HashMap<Uuid, (String, String)>, DbErr> {
    let rows: Vec<(Uuid, String, String)> = exercise::Entity::find()
        .select_only()
        .column(exercise::Column::Id)
        .column(exercise::Column::Slug)
        .column(exercise::Column::Name)
        .filter(exercise::Column::Id.is_in(ids.iter().copied()))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, slug, name)| (id, (slug, name)))
        .collect())
}
