//! Today's workout: rule-built candidates, ordered by the variant of the user's
//! experiment (rules, ranker, ranker with exploration), generated once per user and
//! day and stored; regenerated only when goal, equipment or recovery band change.

mod error;
pub mod experiments;
mod library;
pub(crate) mod ordering;
pub mod outcomes;
pub mod registry;
mod service_client;
pub mod serving;
mod store;
pub mod training;

use std::sync::Arc;
use std::time::Duration;

use chrono::NaiveDate;
use fitgraph_entities::plans::{recommendations, workout_exercises, workouts};
use fitgraph_rules::{DayContext, DayKind, DayPlan, Library, Prescription, UserSnapshot};
use sea_orm::DatabaseConnection;
use sha2::{Digest, Sha256};
use subgraph_common::{Progress, RecommendSettings};
use tokio::sync::Mutex;
use uuid::Uuid;

pub use error::RecommendError;
use error::Result;
pub use experiments::{Experiment, Strategy, Variant};
pub use library::LibrarySource;
pub use ordering::{Exploration, move_untried_first};
pub use service_client::ServiceClient;
pub use store::{exercise_model, unit_text};
pub use training::TrainingReport;

use ordering::Ordering;
use serving::ServingModel;

/// Concurrent first requests of one user share a lock stripe, so the day's workout is
/// generated once; different users rarely share one.
const LOCK_STRIPES: usize = 64;

/// The recommendation service plans holds for its resolvers and background jobs.
pub struct Recommender {
    db: DatabaseConnection,
    library: LibrarySource,
    feedback: ServiceClient,
    serving: Arc<ServingModel>,
    settings: RecommendSettings,
    generation_locks: Vec<Mutex<()>>,
    training_lock: Mutex<()>,
}

/// Today's workout, and whether asking for it just (re)generated it.
pub struct Today {
    pub workout: workouts::Model,
    pub generation: Option<Generation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Generation {
    /// The day had no workout yet.
    Generated,
    /// The inputs changed, so the day's untouched workout was replaced.
    Regenerated,
}

/// A day of `upcoming`: planned, not stored.
pub struct PlannedDay {
    pub day: NaiveDate,
    pub kind: DayKind,
    pub title: String,
    pub reason: String,
    pub exercises: Vec<workout_exercises::Model>,
}

impl Recommender {
    pub fn new(
        db: DatabaseConnection,
        library: LibrarySource,
        feedback: ServiceClient,
        settings: RecommendSettings,
    ) -> Recommender {
        Recommender {
            db,
            library,
            feedback,
            serving: Arc::new(ServingModel::default()),
            settings,
            generation_locks: (0..LOCK_STRIPES).map(|_| Mutex::new(())).collect(),
            training_lock: Mutex::new(()),
        }
    }

    pub fn serving(&self) -> &Arc<ServingModel> {
        &self.serving
    }

    pub fn settings(&self) -> &RecommendSettings {
        &self.settings
    }

    /// Ready to recommend: either no model was ever promoted (the rules alone order
    /// workouts until the first training) or the promoted one is serving.
    pub async fn model_ready(&self) -> std::result::Result<(), String> {
        let promoted = registry::promoted_version(&self.db)
            .await
            .map_err(|error| format!("cannot read the model registry: {error}"))?;
        match promoted {
            None => Ok(()),
            Some(version) if self.serving.version().as_deref() == Some(version.as_str()) => Ok(()),
            Some(version)
                if self.serving.was_refused(&version) && self.serving.current().is_some() =>
            {
                Ok(())
            }
            Some(version) => Err(format!("the promoted model {version} is not loaded yet")),
        }
    }

    /// Reloads the exercise library now (an exercise changed); the old copy keeps
    /// serving if the exercises subgraph cannot be reached.
    pub async fn invalidate_library(&self) {
        if let Err(error) = self.library.invalidate().await {
            tracing::warn!(%error, "cannot reload the exercise library after a change");
        }
    }

    /// The user's workout for today: the stored one, unless goal, equipment or recovery
    /// band changed since it was generated (and it has not been started).
    pub async fn today(&self, user_id: Uuid, snapshot: &UserSnapshot) -> Result<Today> {
        let day = subgraph_common::clock::today();
        let hash = inputs_hash(snapshot);
        let stripe = (user_id.as_u128() % LOCK_STRIPES as u128) as usize;
        let _generating = self.generation_locks[stripe].lock().await;
        let mut replacing = None;
        if let Some((rec, workout)) = store::for_day(&self.db, user_id, day).await? {
            let untouched = workout.status == crate::WorkoutStatus::Planned.as_str();
            if rec.inputs_hash == hash || !untouched {
                return Ok(Today {
                    workout,
                    generation: None,
                });
            }
            replacing = Some(workout.id);
        }
        let generated = self.generate(user_id, day, snapshot, hash).await?;
        let workout = store::save(&self.db, generated, replacing).await?;
        let generation = match replacing {
            Some(_) => Generation::Regenerated,
            None => Generation::Generated,
        };
        Ok(Today {
            workout,
            generation: Some(generation),
        })
    }

    #[tracing::instrument(
        target = "fitgraph::spans",
        name = "recommend workout",
        skip_all,
        fields(candidates, chosen, variant, model.version)
    )]
    async fn generate(
        &self,
        user_id: Uuid,
        day: NaiveDate,
        snapshot: &UserSnapshot,
        inputs_hash: String,
    ) -> Result<store::Generated> {
        let library = self.library.library().await?;
        let (experiment_id, variant) = match experiments::active(&self.db).await? {
            Some(experiment) => {
                let variant = experiment.assign(user_id).clone();
                (Some(experiment.id), variant)
            }
            None => (None, default_variant()),
        };
        let history = store::history(&self.db, user_id, day).await?;
        let ctx = DayContext {
            today: day,
            now: subgraph_common::clock::now(),
            week_index: history.week_index,
            past_prescriptions: history.past_prescriptions,
        };
        let plan = plan(snapshot, &library, &ctx)?;
        let model = self.serving.current();
        let exploration = Exploration::for_variant(variant.strategy, snapshot, &self.settings);
        let mut ordering = Ordering::new(
            variant.strategy,
            model.as_deref(),
            snapshot,
            &library.exercises,
            exploration,
            day_seed(user_id, day),
        );
        let span = tracing::Span::current();
        let candidates: usize = plan.slots.iter().map(|slot| slot.candidates.len()).sum();
        span.record("candidates", candidates);
        span.record("variant", variant.name.as_str());
        let chosen = tracing::info_span!(target: "fitgraph::spans", "rank candidates")
            .in_scope(|| fitgraph_rules::finalize(&plan, |slot| ordering.order(slot)));
        span.record("chosen", chosen.len());
        if let Some(version) = ordering.model_version() {
            span.record("model.version", version.as_str());
        }
        Ok(store::Generated {
            user_id,
            day,
            title: plan.title.clone(),
            kind: plan.kind.as_str().to_owned(),
            reason: plan.reason.clone(),
            experiment_id,
            variant: variant.name,
            model_version: ordering.model_version(),
            inputs_hash,
            snapshot_json: serde_json::to_string(snapshot)
                .expect("a snapshot is plain data and always serialises"),
            exercises: ordering.annotate(chosen),
        })
    }

    /// The next `days` days as the rules see them now (not stored; previews only):
    /// each assumes the days before it are trained as planned.
    pub async fn upcoming(
        &self,
        user_id: Uuid,
        snapshot: &UserSnapshot,
        days: u32,
    ) -> Result<Vec<PlannedDay>> {
        let library = self.library.library().await?;
        let today = subgraph_common::clock::today();
        let history = store::history(&self.db, user_id, today).await?;
        let mut projected = snapshot.clone();
        let mut previews = Vec::new();
        for offset in 1..=i64::from(days) {
            let day = today + chrono::Duration::days(offset);
            let ctx = DayContext {
                today: day,
                now: day.and_hms_opt(12, 0, 0).unwrap_or_default().and_utc(),
                week_index: history.week_index + (offset / 7) as u32,
                past_prescriptions: history.past_prescriptions.clone(),
            };
            let plan = plan(&projected, &library, &ctx)?;
            let chosen =
                fitgraph_rules::finalize(&plan, |slot| (0..slot.candidates.len()).collect());
            project_training(&mut projected, &plan, &chosen, &library, ctx.now);
            previews.push(PlannedDay {
                day,
                kind: plan.kind,
                title: plan.title,
                reason: plan.reason,
                exercises: (1..)
                    .zip(&chosen)
                    .map(|(position, p)| store::exercise_model(Uuid::nil(), position, p))
                    .collect(),
            });
        }
        Ok(previews)
    }

    /// Copies new completions from feedback, then trains; one training at a time.
    pub async fn train(&self, progress: &dyn Progress) -> Result<TrainingReport> {
        let _one_at_a_time = self.training_lock.lock().await;
        let started = std::time::Instant::now();
        let trained = self.train_now(progress).await;
        record_training(started, &trained);
        trained
    }

    async fn train_now(&self, progress: &dyn Progress) -> Result<TrainingReport> {
        progress.start("copying outcomes from feedback", 1);
        let copied = outcomes::sync(&self.db, &self.feedback).await?;
        progress.finish();
        tracing::info!(copied, "outcomes copied from feedback");
        let library = self.library.library().await?;
        let report = training::train(
            training::TrainingInput {
                db: &self.db,
                exercises: library.exercises.clone(),
                window_days: self.settings.training_window_days,
                holdout_days: self.settings.holdout_days,
                today: subgraph_common::clock::today(),
            },
            progress,
        )
        .await?;
        if report.promoted {
            self.serving.reload(&self.db).await?;
        }
        Ok(report)
    }

    /// Per-variant results of an experiment over days `from..=to` (before today).
    pub async fn experiment_results(
        &self,
        id: &str,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<(Experiment, Vec<experiments::VariantResult>)> {
        let experiment = experiments::get(&self.db, id).await?;
        outcomes::sync(&self.db, &self.feedback).await?;
        let today = subgraph_common::clock::today();
        let to = to.unwrap_or(today);
        let from = from.unwrap_or(to - chrono::Duration::days(365));
        let results = experiments::results(&self.db, &experiment, from, to, today).await?;
        Ok((experiment, results))
    }

    pub fn db(&self) -> &DatabaseConnection {
        &self.db
    }
}

/// Recommendation rows of these workouts (for `Workout.reason` and friends).
pub async fn recommendations_by_workout(
    db: &DatabaseConnection,
    workout_ids: &[Uuid],
) -> Result<std::collections::HashMap<Uuid, recommendations::Model>> {
    store::by_workout_ids(db, workout_ids).await
}

fn default_variant() -> Variant {
    Variant {
        name: "ranker".to_owned(),
        weight: 1,
        strategy: Strategy::Ranker,
    }
}

fn plan(snapshot: &UserSnapshot, library: &Library, ctx: &DayContext) -> Result<DayPlan> {
    fitgraph_rules::plan_day(snapshot, library, ctx)
        .map_err(|err| RecommendError::Rules(err.to_string()))
}

/// Marks the muscles and the day of a planned workout as trained, for the next preview.
fn project_training(
    snapshot: &mut UserSnapshot,
    plan: &DayPlan,
    chosen: &[Prescription],
    library: &Library,
    at: chrono::DateTime<chrono::Utc>,
) {
    if plan.kind != DayKind::Training {
        return;
    }
    snapshot.signals.training_days.insert(at.date_naive());
    for prescription in chosen {
        let Some(exercise) = library.exercises.get(&prescription.exercise_id) else {
            continue;
        };
        for muscle in &exercise.primary_muscles {
            let sets = u32::from(prescription.sets);
            match snapshot
                .signals
                .muscles
                .iter_mut()
                .find(|m| m.muscle == *muscle)
            {
                Some(signal) => {
                    signal.last_trained_at = at;
                    signal.sets_last_7_days += sets;
                }
                None => snapshot.signals.muscles.push(fitgraph_rules::MuscleSignal {
                    muscle: *muscle,
                    last_trained_at: at,
                    sets_last_7_days: sets,
                }),
            }
        }
    }
}

/// The inputs whose change regenerates today's workout: goal, equipment and recovery band.
pub fn inputs_hash(snapshot: &UserSnapshot) -> String {
    let mut digest = Sha256::new()
        .chain_update(snapshot.goal.as_str())
        .chain_update(b"|")
        .chain_update(snapshot.recovery.as_str())
        .chain_update(b"|");
    for equipment in &snapshot.equipment {
        digest = digest.chain_update(equipment.as_str()).chain_update(b",");
    }
    let bytes = digest.finalize();
    bytes[..8]
        .iter()
        .map(|byte| format!("{byte:02x}"))
        .collect()
}

fn day_seed(user_id: Uuid, day: NaiveDate) -> u64 {
    let bytes = Sha256::new()
        .chain_update(user_id.as_bytes())
        .chain_update(day.to_string().as_bytes())
        .finalize();
    let mut first = [0u8; 8];
    first.copy_from_slice(&bytes[..8]);
    u64::from_le_bytes(first)
}

/// Trains on a schedule for the life of the process: every `interval` of the service's
/// clock, checked each `check_every` of real time (so a moved clock is noticed).
pub fn spawn_training_scheduler(
    recommender: Arc<Recommender>,
    interval: chrono::Duration,
    check_every: Duration,
) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut last_run = subgraph_common::clock::now();
        let mut ticker = tokio::time::interval(check_every);
        loop {
            ticker.tick().await;
            let now = subgraph_common::clock::now();
            if now - last_run < interval {
                continue;
            }
            last_run = now;
            match recommender.train(&subgraph_common::Silent).await {
                Ok(report) => {
                    tracing::info!(examples = report.examples, promoted = report.promoted, decision = %report.decision, "scheduled ranker training done")
                }
                Err(err) => tracing::warn!(error = %err, "scheduled ranker training failed"),
            }
        }
    })
}

/// Training runs by result (promoted, kept, skipped, failed), how long they took and
/// the held-out metrics of the model each one trained.
fn record_training(started: std::time::Instant, trained: &Result<TrainingReport>) {
    let result = match trained {
        Ok(report) if report.promoted => "promoted",
        Ok(report) if report.model.is_some() => "kept",
        Ok(_) => "skipped",
        Err(_) => "failed",
    };
    metrics::counter!("fitgraph_ranker_trainings_total", "result" => result).increment(1);
    metrics::histogram!("fitgraph_ranker_training_duration_seconds")
        .record(started.elapsed().as_secs_f64());
    if let Ok(TrainingReport {
        model: Some(model),
        examples,
        ..
    }) = trained
    {
        metrics::gauge!("fitgraph_ranker_training_auc").set(model.metrics.auc);
        metrics::gauge!("fitgraph_ranker_training_ndcg").set(model.metrics.ndcg_at_k);
        metrics::gauge!("fitgraph_ranker_training_examples").set(*examples as f64);
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use fitgraph_rules::TrainingSignals;
    use subgraph_common::vocab::{Equipment, FitnessLevel, Goal, RecoveryBand, TimeOfDay};

    use super::*;
    use crate::recommend::ordering::Exploration;

    fn snapshot() -> UserSnapshot {
        UserSnapshot {
            goal: Goal::MuscleGain,
            level: FitnessLevel::Beginner,
            days_per_week: 3,
            session_minutes: 45,
            preferred_time: TimeOfDay::Evening,
            equipment: BTreeSet::from([Equipment::Dumbbell, Equipment::Bench]),
            recovery: RecoveryBand::Green,
            signals: TrainingSignals::default(),
        }
    }

    #[test]
    fn only_goal_equipment_and_recovery_band_change_the_inputs() {
        let base = inputs_hash(&snapshot());
        let mut other = snapshot();
        other.session_minutes = 90;
        other.days_per_week = 6;
        other.level = FitnessLevel::Advanced;
        other.signals.recent_difficulty = Some(4.0);
        assert_eq!(inputs_hash(&other), base, "not regenerating inputs");
        let changes: [fn(&mut UserSnapshot); 3] = [
            |s| s.goal = Goal::Endurance,
            |s| s.recovery = RecoveryBand::Yellow,
            |s| {
                s.equipment.insert(Equipment::Barbell);
            },
        ];
        for change in changes {
            let mut changed = snapshot();
            change(&mut changed);
            assert_ne!(inputs_hash(&changed), base);
        }
    }

    #[test]
    fn the_control_never_explores_and_new_users_explore_more() {
        let settings = RecommendSettings::default();
        let mut new_user = snapshot();
        new_user.signals.training_days.clear();
        let mut regular = snapshot();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 11, 21).expect("a valid day");
        regular.signals.training_days = (1..=20)
            .map(|n| today - chrono::Duration::days(n))
            .collect();
        let share =
            |strategy, who: &UserSnapshot| Exploration::for_variant(strategy, who, &settings).share;
        assert_eq!(share(Strategy::Rules, &new_user), 0.0);
        assert_eq!(share(Strategy::Ranker, &regular), 0.0);
        assert_eq!(
            share(Strategy::Ranker, &new_user),
            settings.cold_start_exploration_share
        );
        assert_eq!(
            share(Strategy::RankerExplore, &regular),
            settings.exploration_share
        );
        assert!(share(Strategy::RankerExplore, &new_user) >= settings.exploration_share);
    }
}
