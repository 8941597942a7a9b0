//! Filtering and keyset pagination of the library, in (name, id) order.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use fitgraph_entities::exercises::{exercise, exercise_muscle};
use sea_orm::sea_query::{LikeExpr, Query};
use sea_orm::{
    ColumnTrait, Condition, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect,
};
use subgraph_common::vocab::{Category, Difficulty, Equipment, Muscle};
use uuid::Uuid;

use crate::error::ExercisesError;
use crate::model::{ExerciseRecord, search_key};

/// The largest page a client may ask for.
pub const MAX_PAGE_SIZE: i32 = 1000;

/// Which exercises to list. Empty lists and absent values do not restrict.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct ExerciseFilter {
    /// Any of these as a primary or secondary muscle.
    pub muscles: Vec<Muscle>,
    /// The exercise's equipment is one of these.
    pub equipment: Vec<Equipment>,
    pub category: Option<Category>,
    pub difficulty: Option<Difficulty>,
    /// A case-insensitive substring of the name.
    pub text: Option<String>,
    pub include_deprecated: bool,
}

/// Where a page starts: just after this (name, id).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cursor {
    pub name: String,
    pub id: Uuid,
}

impl Cursor {
    pub fn of(record: &ExerciseRecord) -> Cursor {
        Cursor {
            name: record.name.clone(),
            id: record.id,
        }
    }

    /// Opaque to clients: base64 of `id:name`.
    pub fn encode(&self) -> String {
        URL_SAFE_NO_PAD.encode(format!("{}:{}", self.id, self.name))
    }

    pub fn decode(text: &str) -> Result<Cursor, ExercisesError> {
        let malformed = || {
            ExercisesError::invalid("after must be a cursor returned by a previous exercises page")
        };
        let bytes = URL_SAFE_NO_PAD.decode(text).map_err(|_| malformed())?;
        let decoded = String::from_utf8(bytes).map_err(|_| malformed())?;
        let (id, name) = decoded.split_once(':').ok_or_else(malformed)?;
        let id = Uuid::parse_str(id).map_err(|_| malformed())?;
        Ok(Cursor {
            name: name.to_owned(),
            id,
        })
    }
}

/// One page and what the connection reports around it.
#[derive(Debug, Clone)]
pub struct Page {
    pub exercises: Vec<ExerciseRecord>,
    pub has_next_page: bool,
    pub total_count: u64,
}

/// The page of at most `first` exercises after `after` that match `filter`.
pub async fn list<C: ConnectionTrait>(
    db: &C,
    filter: &ExerciseFilter,
    first: i32,
    after: Option<&str>,
) -> Result<Page, ExercisesError> {
    if !(1..=MAX_PAGE_SIZE).contains(&first) {
        return Err(ExercisesError::invalid(format!(
            "first must be between 1 and {MAX_PAGE_SIZE} (got {first})"
        )));
    }
    let after = after.map(Cursor::decode).transpose()?;
    let matching = condition(filter);
    let total_count = exercise::Entity::find()
        .filter(matching.clone())
        .count(db)
        .await?;
    let mut query = exercise::Entity::find().filter(matching);
    if let Some(cursor) = after {
        query = query.filter(after_cursor(&cursor));
    }
    let limit = u64::try_from(first).expect("first was checked to be positive") + 1;
    let rows = query
        .order_by_asc(exercise::Column::Name)
        .order_by_asc(exercise::Column::Id)
        .limit(limit)
        .all(db)
        .await?;
    // One row past the page says whether another page follows.
    let has_next_page = rows.len() as u64 == limit;
    let exercises = rows
        .into_iter()
        .take(limit as usize - 1)
        .map(ExerciseRecord::try_from)
        .collect::<Result<_, _>>()?;
    Ok(Page {
        exercises,
        has_next_page,
        total_count,
    })
}

fn condition(filter: &ExerciseFilter) -> Condition {
    let mut all = Condition::all();
    if !filter.include_deprecated {
        all = all.add(exercise::Column::Deprecated.eq(false));
    }
    if !filter.muscles.is_empty() {
        let with_muscle = Query::select()
            .column(exercise_muscle::Column::ExerciseId)
            .from(exercise_muscle::Entity)
            .and_where(
                exercise_muscle::Column::Muscle
                    .is_in(filter.muscles.iter().map(|muscle| muscle.as_str())),
            )
            .to_owned();
        all = all.add(exercise::Column::Id.in_subquery(with_muscle));
    }
    if !filter.equipment.is_empty() {
        all = all.add(
            exercise::Column::Equipment.is_in(filter.equipment.iter().map(|item| item.as_str())),
        );
    }
    if let Some(category) = filter.category {
        all = all.add(exercise::Column::Category.eq(category.as_str()));
    }
    if let Some(difficulty) = filter.difficulty {
        all = all.add(exercise::Column::Difficulty.eq(difficulty.as_str()));
    }
    if let Some(text) = filter
        .text
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
    {
        all = all.add(exercise::Column::NameSearch.like(contains_pattern(&search_key(text))));
    }
    all
}

/// `%text%` with LIKE's wildcards in `text` taken literally.
fn contains_pattern(text: &str) -> LikeExpr {
    let mut pattern = String::with_capacity(text.len() + 2);
    pattern.push('%');
    for ch in text.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(ch);
    }
    pattern.push('%');
    LikeExpr::new(pattern).escape('\\')
}

fn after_cursor(cursor: &Cursor) -> Condition {
    Condition::any()
        .add(exercise::Column::Name.gt(cursor.name.as_str()))
        .add(
            Condition::all()
                .add(exercise::Column::Name.eq(cursor.name.as_str()))
                .add(exercise::Column::Id.gt(cursor.id)),
        )
}

#[cfg(test)]
mod tests {
    use sea_orm::QueryTrait;

    use super::*;

    #[test]
    fn cursors_round_trip_and_reject_garbage() {
        let cursor = Cursor {
            name: "Curl: hammer".to_owned(),
            id: Uuid::now_v7(),
        };
        assert_eq!(Cursor::decode(&cursor.encode()).ok(), Some(cursor));
        for bad in ["", "not base64!", &URL_SAFE_NO_PAD.encode("no-uuid:Curl")] {
            assert!(
                matches!(Cursor::decode(bad), Err(ExercisesError::InvalidInput(_))),
                "{bad:?}"
            );
        }
    }

    #[test]
    fn like_wildcards_in_search_text_are_literal() {
        let pattern = contains_pattern("50%_off\\");
        let sql = exercise::Entity::find()
            .filter(exercise::Column::NameSearch.like(pattern))
            .build(sea_orm::DbBackend::Sqlite)
            .to_string();
        assert!(sql.contains(r"LIKE '%50\%\_off\\%' ESCAPE '\'"), "{sql}");
    }
}
