//! What administrators (the `admin` scope) may do: run experiments, read their
//! results, look into the model registry and train the ranker now.

use async_graphql::{Context, ID, Object, Result};
use fitgraph_auth::scopes;
use subgraph_common::GqlResultExt;
use subgraph_common::access::require_scope;

use crate::graphql::recommendation::{
    CreateExperimentInput, ExperimentResults, ExperimentView, RankerModel, TrainingRun, recommender,
};
use crate::recommend::{RecommendError, experiments, registry};
use crate::types::Date;

#[derive(Debug, Default, Clone, Copy)]
pub struct AdminQuery;

#[Object]
impl AdminQuery {
    /// Every experiment, newest first. Needs the `admin` scope.
    async fn experiments(&self, ctx: &Context<'_>) -> Result<Vec<ExperimentView>> {
        require_scope(ctx, scopes::ADMIN).gql()?;
        let rows = experiments::list(recommender(ctx)?.db()).await.gql()?;
        Ok(rows.into_iter().map(ExperimentView).collect())
    }

    /// Per-variant workouts, completion rate and the 95% confidence interval of the
    /// difference to control, over workouts for days `from` to `to` (both inclusive;
    /// by default the last 365 days) that have passed. Needs the `admin` scope.
    async fn experiment_results(
        &self,
        ctx: &Context<'_>,
        id: ID,
        from: Option<Date>,
        to: Option<Date>,
    ) -> Result<ExperimentResults> {
        require_scope(ctx, scopes::ADMIN).gql()?;
        let (experiment, results) = recommender(ctx)?
            .experiment_results(&id, from.map(|d| d.0), to.map(|d| d.0))
            .await
            .gql()?;
        Ok(ExperimentResults {
            experiment_id: ID(experiment.id),
            control: experiment.control,
            from,
            to,
            variants: results.into_iter().map(Into::into).collect(),
        })
    }

    /// The model registry, newest first (`first` 1-100). Needs the `admin` scope.
    async fn ranker_models(
        &self,
        ctx: &Context<'_>,
        #[graphql(default = 20)] first: i32,
    ) -> Result<Vec<RankerModel>> {
        require_scope(ctx, scopes::ADMIN).gql()?;
        if !(1..=100).contains(&first) {
            return Err(RecommendError::OutOfRange {
                field: "first",
                min: 1,
                max: 100,
                got: i64::from(first),
            })
            .gql();
        }
        let models = registry::list(recommender(ctx)?.db(), first as u64)
            .await
            .gql()?;
        Ok(models.into_iter().map(RankerModel::from).collect())
    }

    /// The version the recommender is ranking with right now; null for rules only.
    /// Needs the `admin` scope.
    async fn serving_model_version(&self, ctx: &Context<'_>) -> Result<Option<String>> {
        require_scope(ctx, scopes::ADMIN).gql()?;
        Ok(recommender(ctx)?.serving().version())
    }
}

#[derive(Debug, Default, Clone, Copy)]
pub struct AdminMutation;

#[Object]
impl AdminMutation {
    /// Trains the ranker now on the feedback corpus, evaluates it on the most recent
    /// days held out and promotes it only if it beats the serving model on them.
    /// Needs the `admin` scope.
    async fn train_ranker(&self, ctx: &Context<'_>) -> Result<TrainingRun> {
        require_scope(ctx, scopes::ADMIN).gql()?;
        let report = recommender(ctx)?
            .train(&subgraph_common::Silent)
            .await
            .gql()?;
        Ok(report.into())
    }

    /// Starts a new experiment (stopping the running one when `active`). Needs the
    /// `admin` scope.
    async fn create_experiment(
        &self,
        ctx: &Context<'_>,
        input: CreateExperimentInput,
    ) -> Result<ExperimentView> {
        require_scope(ctx, scopes::ADMIN).gql()?;
        let experiment = input.into_experiment();
        experiments::create(recommender(ctx)?.db(), &experiment)
            .await
            .gql()?;
        Ok(ExperimentView(experiment))
    }

    /// Starts (stopping any other) or stops an experiment. Needs the `admin` scope.
    async fn set_experiment_active(
        &self,
        ctx: &Context<'_>,
        id: ID,
        active: bool,
    ) -> Result<ExperimentView> {
        require_scope(ctx, scopes::ADMIN).gql()?;
        let experiment = experiments::set_active(recommender(ctx)?.db(), &id, active)
            .await
            .gql()?;
        Ok(ExperimentView(experiment))
    }
}
