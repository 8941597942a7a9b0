//! The exercise library as plans sees it: the catalog and the workout templates, read
//! from the exercises subgraph's public API (never its database) and kept in memory.

use std::sync::Arc;
use std::time::{Duration, Instant};

use fitgraph_rules::{Library, RepUnit, SlotTarget, Template, TemplateSlot};
use serde::Deserialize;
use subgraph_common::catalog::{CatalogClient, DEFAULT_MAX_AGE};
use subgraph_common::vocab::{Difficulty, Goal, MovementPattern, Muscle};
use tokio::sync::RwLock;
use uuid::Uuid;

use super::error::{RecommendError, Result};
use super::service_client::ServiceClient;

const TEMPLATES_QUERY: &str = "{ templates { id name goal difficulty durationMinutes \
    slots { position sets repMin repMax restSeconds targetMuscle targetPattern unit } } }";

/// The catalog copy plus templates, reloaded when older than a day.
pub struct LibrarySource {
    catalog: CatalogClient,
    exercises_api: ServiceClient,
    templates: RwLock<Option<(Instant, Arc<Vec<Template>>)>>,
    max_age: Duration,
}

impl LibrarySource {
    pub fn new(catalog: CatalogClient, exercises_api: ServiceClient) -> LibrarySource {
        LibrarySource {
            catalog,
            exercises_api,
            templates: RwLock::new(None),
            max_age: DEFAULT_MAX_AGE,
        }
    }

    /// The current library, loading what is missing or stale first.
    pub async fn library(&self) -> Result<Library> {
        let exercises = self
            .catalog
            .ensure_fresh(self.max_age)
            .await
            .map_err(|err| RecommendError::Library(err.to_string()))?;
        Ok(Library {
            exercises,
            templates: self.templates().await?,
        })
    }

    /// Drops both copies so the next request reloads them (an exercise changed).
    pub async fn invalidate(&self) -> Result<()> {
        *self.templates.write().await = None;
        self.catalog
            .refresh()
            .await
            .map(drop)
            .map_err(|err| RecommendError::Library(err.to_string()))
    }

    async fn templates(&self) -> Result<Arc<Vec<Template>>> {
        if let Some((loaded_at, templates)) = self.templates.read().await.as_ref()
            && loaded_at.elapsed() < self.max_age
        {
            return Ok(templates.clone());
        }
        let mut slot = self.templates.write().await;
        let fetched = self.fetch_templates().await;
        match (fetched, slot.as_ref()) {
            (Ok(templates), _) => {
                let templates = Arc::new(templates);
                *slot = Some((Instant::now(), templates.clone()));
                Ok(templates)
            }
            (Err(err), Some((_, stale))) => {
                tracing::warn!(error = %err, "cannot reload workout templates; using the last copy");
                Ok(stale.clone())
            }
            (Err(err), None) => Err(err),
        }
    }

    async fn fetch_templates(&self) -> Result<Vec<Template>> {
        let data: TemplatesData = self
            .exercises_api
            .query(TEMPLATES_QUERY, serde_json::Value::Null)
            .await
            .map_err(RecommendError::Library)?;
        data.templates
            .into_iter()
            .map(TemplateRow::into_template)
            .collect()
    }
}

#[derive(Deserialize)]
struct TemplatesData {
    templates: Vec<TemplateRow>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct TemplateRow {
    id: Uuid,
    name: String,
    goal: Goal,
    difficulty: Difficulty,
    duration_minutes: u16,
    slots: Vec<SlotRow>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct SlotRow {
    position: u8,
    sets: u8,
    rep_min: u16,
    rep_max: u16,
    rest_seconds: u16,
    target_muscle: Option<Muscle>,
    target_pattern: Option<MovementPattern>,
    unit: RepUnit,
}

impl TemplateRow {
    fn into_template(self) -> Result<Template> {
        let slots = self
            .slots
            .into_iter()
            .map(|slot| {
                let target = match (slot.target_muscle, slot.target_pattern) {
                    (Some(muscle), None) => SlotTarget::Muscle(muscle),
                    (None, Some(pattern)) => SlotTarget::Pattern(pattern),
                    _ => {
                        return Err(RecommendError::Library(format!(
                            "template {} slot {} needs exactly one target",
                            self.id, slot.position
                        )));
                    }
                };
                Ok(TemplateSlot {
                    position: slot.position,
                    sets: slot.sets,
                    rep_min: slot.rep_min,
                    rep_max: slot.rep_max,
                    rest_seconds: slot.rest_seconds,
                    target,
                    unit: slot.unit,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(Template {
            id: self.id,
            name: self.name,
            goal: self.goal,
            difficulty: self.difficulty,
            duration_minutes: self.duration_minutes,
            slots,
        })
    }
}
