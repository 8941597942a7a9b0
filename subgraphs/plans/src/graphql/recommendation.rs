//! The recommendation side of the schema: planned days, what a generated workout says
//! about itself, and the administrators' view of experiments and the model registry.

use async_graphql::{Context, Enum, ID, InputObject, Object, Result, SimpleObject};
use chrono::{DateTime, Utc};
use fitgraph_entities::plans::workout_exercises;
use fitgraph_ranker::Metrics;
use fitgraph_rules::DayKind;

use crate::graphql::workout::WorkoutExercise;
use crate::recommend::experiments::{Difference, VariantResult};
use crate::recommend::registry::RegisteredModel;
use crate::recommend::{self, Experiment, Strategy, TrainingReport, Variant};
use crate::types::Date;

/// What kind of day a workout is.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum WorkoutKind {
    /// Strength, conditioning or skill work.
    Training,
    /// Gentle stretching and mobility, no load.
    Mobility,
    /// No training at all.
    Rest,
}

impl WorkoutKind {
    pub fn from_day(kind: DayKind) -> WorkoutKind {
        match kind {
            DayKind::Training => WorkoutKind::Training,
            DayKind::Mobility => WorkoutKind::Mobility,
            DayKind::Rest => WorkoutKind::Rest,
        }
    }

    pub fn parse(text: &str) -> WorkoutKind {
        match text {
            "MOBILITY" => WorkoutKind::Mobility,
            "REST" => WorkoutKind::Rest,
            _ => WorkoutKind::Training,
        }
    }
}

/// What a prescription's `repMin`/`repMax`/`reps` count.
#[derive(Enum, Copy, Clone, Debug, PartialEq, Eq)]
pub enum RepUnit {
    Reps,
    /// Seconds per set: holds, stretches and intervals.
    Seconds,
}

/// One day of `upcoming`: a preview, not stored.
pub struct PlannedDay(pub recommend::PlannedDay);

#[Object]
impl PlannedDay {
    async fn date(&self) -> Date {
        Date(self.0.day)
    }

    async fn kind(&self) -> WorkoutKind {
        WorkoutKind::from_day(self.0.kind)
    }

    async fn title(&self) -> &str {
        &self.0.title
    }

    /// Why the day looks like this.
    async fn reason(&self) -> &str {
        &self.0.reason
    }

    /// In the order they would be performed; empty on a rest day.
    async fn exercises(&self) -> Vec<WorkoutExercise> {
        self.0
            .exercises
            .iter()
            .cloned()
            .map(|row: workout_exercises::Model| WorkoutExercise(row))
            .collect()
    }
}

/// An A/B test of recommendation strategies.
pub struct ExperimentView(pub Experiment);

#[Object(name = "Experiment")]
impl ExperimentView {
    async fn id(&self) -> ID {
        ID(self.0.id.clone())
    }

    async fn description(&self) -> &str {
        &self.0.description
    }

    /// Mixed with the user id to assign variants; another salt reshuffles everyone.
    async fn salt(&self) -> &str {
        &self.0.salt
    }

    async fn variants(&self) -> Vec<VariantView> {
        self.0
            .variants
            .iter()
            .cloned()
            .map(VariantView::from)
            .collect()
    }

    /// The variant the others are compared with.
    async fn control(&self) -> &str {
        &self.0.control
    }

    /// Whether new workouts are assigned under it (at most one experiment is).
    async fn active(&self) -> bool {
        self.0.active
    }
}

/// One arm of an experiment.
#[derive(SimpleObject)]
#[graphql(name = "ExperimentVariant")]
pub struct VariantView {
    pub name: String,
    /// Relative share of users (1-1000).
    pub weight: i32,
    pub strategy: Strategy,
}

impl From<Variant> for VariantView {
    fn from(variant: Variant) -> Self {
        VariantView {
            name: variant.name,
            weight: variant.weight as i32,
            strategy: variant.strategy,
        }
    }
}

#[derive(InputObject)]
pub struct VariantInput {
    /// 1-64 characters, unique within the experiment.
    pub name: String,
    /// 1-1000.
    pub weight: i32,
    pub strategy: Strategy,
}

#[derive(InputObject)]
pub struct CreateExperimentInput {
    /// 1-64 characters of a-z, 0-9 and -.
    pub id: String,
    pub description: String,
    /// Defaults to the id.
    pub salt: Option<String>,
    /// 2-10 variants.
    pub variants: Vec<VariantInput>,
    /// The name of the variant the others are compared with.
    pub control: String,
    /// Start it now (stopping any other).
    #[graphql(default = true)]
    pub active: bool,
}

impl CreateExperimentInput {
    pub fn into_experiment(self) -> Experiment {
        Experiment {
            salt: self.salt.unwrap_or_else(|| self.id.clone()),
            id: self.id,
            description: self.description,
            variants: self
                .variants
                .into_iter()
                .map(|v| Variant {
                    name: v.name,
                    // Out-of-range weights fail validation; negative ones must not wrap.
                    weight: u32::try_from(v.weight).unwrap_or(0),
                    strategy: v.strategy,
                })
                .collect(),
            control: self.control,
            active: self.active,
        }
    }
}

/// Per-variant outcome of an experiment.
#[derive(SimpleObject)]
pub struct ExperimentResults {
    pub experiment_id: ID,
    pub control: String,
    pub from: Option<Date>,
    pub to: Option<Date>,
    pub variants: Vec<VariantResultView>,
}

/// One variant's completion over the window.
#[derive(SimpleObject)]
#[graphql(name = "VariantResult")]
pub struct VariantResultView {
    pub variant: String,
    pub strategy: Strategy,
    /// Generated training and mobility workouts whose day has passed.
    pub workouts: i32,
    /// Mean share of prescribed exercises completed per workout (0-1).
    pub completion_rate: f64,
    /// This variant's completion rate minus control's, with a 95% confidence interval
    /// (normal approximation, unequal variances); null for control or too little data.
    pub difference_to_control: Option<DifferenceView>,
}

#[derive(SimpleObject)]
#[graphql(name = "Difference")]
pub struct DifferenceView {
    pub estimate: f64,
    pub low: f64,
    pub high: f64,
}

impl From<VariantResult> for VariantResultView {
    fn from(result: VariantResult) -> Self {
        VariantResultView {
            variant: result.variant.name,
            strategy: result.variant.strategy,
            workouts: i32::try_from(result.workouts).unwrap_or(i32::MAX),
            completion_rate: result.completion_rate,
            difference_to_control: result.difference_to_control.map(
                |Difference {
                     estimate,
                     low,
                     high,
                 }| DifferenceView {
                    estimate,
                    low,
                    high,
                },
            ),
        }
    }
}

/// A trained ranker model in the registry.
#[derive(SimpleObject)]
pub struct RankerModel {
    pub version: String,
    pub family: String,
    pub feature_schema_hash: String,
    pub trained_at: DateTime<Utc>,
    pub window_from: Date,
    pub window_to: Date,
    /// The first held-out day: metrics are measured from here to `windowTo`.
    pub holdout_from: Date,
    pub metrics: ModelMetrics,
    /// PROMOTED, REJECTED or RETIRED.
    pub status: String,
    /// Why it was promoted or not.
    pub decision: String,
    pub promoted_at: Option<DateTime<Utc>>,
}

impl From<RegisteredModel> for RankerModel {
    fn from(model: RegisteredModel) -> Self {
        RankerModel {
            version: model.version,
            family: model.family,
            feature_schema_hash: model.feature_schema_hash,
            trained_at: model.trained_at,
            window_from: Date(model.window_from),
            window_to: Date(model.window_to),
            holdout_from: Date(model.holdout_from),
            metrics: model.metrics.into(),
            status: model.status,
            decision: model.decision,
            promoted_at: model.promoted_at,
        }
    }
}

/// Held-out metrics of a model.
#[derive(SimpleObject)]
pub struct ModelMetrics {
    /// Area under the ROC curve of predicted completion.
    pub auc: f64,
    pub log_loss: f64,
    /// NDCG@k of the exercises of each held-out workout.
    pub ndcg: f64,
    pub k: i32,
    pub examples: i32,
    pub positive_rate: f64,
}

impl From<Metrics> for ModelMetrics {
    fn from(metrics: Metrics) -> Self {
        ModelMetrics {
            auc: metrics.auc,
            log_loss: metrics.log_loss,
            ndcg: metrics.ndcg_at_k,
            k: metrics.k as i32,
            examples: i32::try_from(metrics.examples).unwrap_or(i32::MAX),
            positive_rate: metrics.positive_rate,
        }
    }
}

/// What `trainRanker` did.
#[derive(SimpleObject)]
pub struct TrainingRun {
    /// Labelled examples read from the corpus.
    pub examples: i32,
    /// The model trained; null when there was too little data.
    pub model: Option<RankerModel>,
    /// Every model family tried, with its held-out metrics.
    pub compared: Vec<FamilyMetrics>,
    /// The previously serving model's metrics on the same held-out window.
    pub serving_metrics: Option<ModelMetrics>,
    pub promoted: bool,
    pub decision: String,
}

#[derive(SimpleObject)]
pub struct FamilyMetrics {
    pub family: String,
    pub metrics: ModelMetrics,
}

impl From<TrainingReport> for TrainingRun {
    fn from(report: TrainingReport) -> Self {
        TrainingRun {
            examples: i32::try_from(report.examples).unwrap_or(i32::MAX),
            model: report.model.map(RankerModel::from),
            compared: report
                .compared
                .into_iter()
                .map(|family| FamilyMetrics {
                    family: family.family.to_string(),
                    metrics: family.metrics.into(),
                })
                .collect(),
            serving_metrics: report.serving_metrics.map(ModelMetrics::from),
            promoted: report.promoted,
            decision: report.decision,
        }
    }
}

/// The recommender from the schema's data.
pub fn recommender<'a>(ctx: &Context<'a>) -> Result<&'a std::sync::Arc<recommend::Recommender>> {
    ctx.data::<std::sync::Arc<recommend::Recommender>>()
        .map_err(|_| {
            subgraph_common::errors::to_graphql_error(&recommend::RecommendError::Library(
                "recommendations are not configured in this process".into(),
            ))
        })
}
