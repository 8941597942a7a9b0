//! One person's last weeks, as the graph would have recorded them had they lived them
//! through the gateway the way `simulate` has its people live: on the days they open
//! the app, plans generates today's workout (the real rules on the real library, from
//! the snapshot serving would have seen: profile answers, the day's recovery and the
//! training signals feedback computes from their history so far) and the variant of
//! their experiment orders it; then they skip it or do it, exercise by exercise, by the
//! simulator's behaviour model, logging their sets and now and then rating an exercise.
//!
//! Plans keeps the workouts, their prescriptions and recommendation records; a completed
//! workout stays PLANNED there, as it does through the graph until plans next copies the
//! outcomes feed (`fitgraph train` does). Feedback keeps completions, outcomes, set logs
//! and ratings.

use std::collections::HashMap;

use chrono::{DateTime, Datelike, NaiveDate, TimeDelta, Utc};
use feedback_subgraph::signals::{History, OutcomeRecord, RatingRecord, SetRecord};
use fitgraph_entities::feedback::{
    exercise_outcomes, exercise_ratings, set_logs, workout_completions,
};
use fitgraph_entities::plans::{recommendations, workout_exercises, workouts};
use fitgraph_rules::{
    DayContext, DayKind, DayPlan, Library, PastPrescription, PlannedSlot, Prescription,
    UserSnapshot,
};
use plans_subgraph::recommend::{
    Experiment, Exploration, Strategy, exercise_model, move_untried_first,
};
use rand::Rng;
use rand_chacha::ChaCha8Rng;
use subgraph_common::RecommendSettings;
use subgraph_common::vocab::{RecoveryBand, TimeOfDay};
use uuid::Uuid;

use super::ScaleError;
use super::ids::{self, CompletionIds, Kind};
use super::library::Catalog;
use super::people::Person;
use super::perform::{self, Performed};
use super::signals;
use crate::simulate::behaviour::shows_up;

/// How far back histories go: the ranker's default training window.
pub const HISTORY_DAYS: u32 = 56;

/// Chance of opening the app on a day one does not mean to train.
const STRAY_DAY_CHANCE: f64 = 0.08;

/// One generated workout and everything recorded about it.
#[derive(Debug, Clone)]
pub struct Session {
    pub workout: workouts::Model,
    pub exercises: Vec<workout_exercises::Model>,
    pub recommendation: recommendations::Model,
    /// The completion, when they did the workout.
    pub report: Option<Report>,
    pub ratings: Vec<exercise_ratings::Model>,
}

/// What feedback holds about a completed workout.
#[derive(Debug, Clone)]
pub struct Report {
    pub completion: workout_completions::Model,
    pub outcomes: Vec<exercise_outcomes::Model>,
    pub set_logs: Vec<set_logs::Model>,
}

impl Session {
    /// Rows this session puts in the feedback database.
    pub fn feedback_rows(&self) -> u64 {
        let reported = self.report.as_ref().map_or(0, |report| {
            1 + report.outcomes.len() + report.set_logs.len()
        });
        (reported + self.ratings.len()) as u64
    }
}

/// What one person's earlier days left behind, as the services would read it.
#[derive(Default)]
struct State {
    /// Feedback's view: sets, outcomes and ratings so far.
    history: History,
    /// Plans' view: the latest prescription of each exercise.
    past: HashMap<Uuid, PastPrescription>,
    /// The day of their first generated workout (their week 0 starts there).
    first_day: Option<NaiveDate>,
}

/// Everything histories are generated from.
pub struct Generator {
    pub seed: u64,
    /// The day the history ends before.
    pub today: NaiveDate,
    pub catalog: Catalog,
    pub experiment: Option<Experiment>,
    pub settings: RecommendSettings,
    pub completion_ids: CompletionIds,
}

/// One day being generated.
struct Day<'a> {
    person: &'a Person,
    date: NaiveDate,
    /// Days before today (1 is yesterday); names the workout.
    offset: u32,
    asked_at: DateTime<Utc>,
    rng: ChaCha8Rng,
}

impl Generator {
    /// The person's workouts from the day they joined (at most `HISTORY_DAYS` ago) to
    /// yesterday, oldest first.
    pub fn history(&self, person: &Person) -> Result<Vec<Session>, ScaleError> {
        let profile = &person.profile;
        let library = self.catalog.for_user(profile.level, &profile.equipment);
        let mut state = State::default();
        let mut sessions = Vec::new();
        for offset in (1..=HISTORY_DAYS.min(person.joined_days_ago)).rev() {
            let date = self.today - TimeDelta::days(i64::from(offset));
            let parts = [u64::from(person.index), u64::from(offset)];
            let mut rng = ids::stream(self.seed, Kind::Day, &parts);
            if !opens_app(&mut rng, person, date) {
                continue;
            }
            let asked_at = asked_at(&mut rng, person.profile.preferred_time, date);
            let mut day = Day {
                person,
                date,
                offset,
                asked_at,
                rng,
            };
            sessions.push(self.day(&mut day, &library, &mut state)?);
        }
        Ok(sessions)
    }

    /// The workout plans generates when the person opens the app, and what they do.
    fn day(
        &self,
        day: &mut Day<'_>,
        library: &Library,
        state: &mut State,
    ) -> Result<Session, ScaleError> {
        let snapshot = self.snapshot(day, state);
        let week_index = state.first_day.map_or(0, |first| {
            u32::try_from((day.date - first).num_days() / 7).unwrap_or(0)
        });
        let ctx = DayContext {
            today: day.date,
            now: day.asked_at,
            week_index,
            past_prescriptions: state.past.clone(),
        };
        let plan =
            fitgraph_rules::plan_day(&snapshot, library, &ctx).map_err(|err| ScaleError::Plan {
                index: day.person.index,
                reason: err.to_string(),
            })?;
        let (variant, strategy) = self.variant(day.person.id);
        let share = Exploration::for_variant(strategy, &snapshot, &self.settings).share;
        let chosen =
            fitgraph_rules::finalize(&plan, |slot| order(slot, share, &snapshot, &mut day.rng));
        state.first_day.get_or_insert(day.date);
        for prescription in &chosen {
            state
                .past
                .insert(prescription.exercise_id, past(day.date, prescription));
        }
        let mut session = self.generated(day, &plan, &chosen, &snapshot, variant);
        if plan.kind != DayKind::Rest && !chosen.is_empty() {
            self.live(day, &chosen, &mut session, state);
        }
        Ok(session)
    }

    /// What serving would have known: the profile, the day's recovery, the signals.
    fn snapshot(&self, day: &mut Day<'_>, state: &State) -> UserSnapshot {
        let profile = &day.person.profile;
        let recovery = match day.person.wearable {
            None => RecoveryBand::Unknown,
            Some(_) => match day.rng.gen_range(0.0..1.0) {
                draw if draw < 0.7 => RecoveryBand::Green,
                draw if draw < 0.9 => RecoveryBand::Yellow,
                _ => RecoveryBand::Red,
            },
        };
        UserSnapshot {
            goal: profile.goal,
            level: profile.level,
            days_per_week: profile.days_per_week,
            session_minutes: profile.session_minutes,
            preferred_time: profile.preferred_time,
            equipment: profile.equipment.clone(),
            recovery,
            signals: signals::at(
                &state.history,
                &self.catalog.library.exercises,
                day.asked_at,
            ),
        }
    }

    /// The person's variant of the active experiment (plans' default without one).
    fn variant(&self, user_id: Uuid) -> (String, Strategy) {
        match &self.experiment {
            Some(experiment) => {
                let variant = experiment.assign(user_id);
                (variant.name.clone(), variant.strategy)
            }
            None => ("ranker".to_owned(), Strategy::Ranker),
        }
    }

    /// Shows up or skips; a workout done is reported with its sets and maybe a rating.
    fn live(
        &self,
        day: &mut Day<'_>,
        chosen: &[Prescription],
        session: &mut Session,
        state: &mut State,
    ) {
        if !shows_up(&mut day.rng, &day.person.traits) {
            session.workout.status = plans_subgraph::WorkoutStatus::Skipped.as_str().to_owned();
            return;
        }
        let parts = [u64::from(day.person.index), u64::from(day.offset)];
        let workout = perform::Workout {
            seed: self.seed,
            catalog: &self.catalog,
            person: day.person,
            workout_id: session.workout.id,
            completion_id: self.completion_ids.mint(),
            rating_id: ids::id(self.seed, Kind::Rating, &parts),
            chosen,
            asked_at: day.asked_at,
        };
        let performed = perform::workout(&workout, &mut day.rng);
        record(&mut state.history, &performed);
        session.report = Some(performed.report);
        session.ratings.extend(performed.rating);
    }

    /// The rows plans stores when it generates the day's workout.
    fn generated(
        &self,
        day: &Day<'_>,
        plan: &DayPlan,
        chosen: &[Prescription],
        snapshot: &UserSnapshot,
        variant: String,
    ) -> Session {
        let parts = [u64::from(day.person.index), u64::from(day.offset)];
        let workout_id = ids::id(self.seed, Kind::Workout, &parts);
        let workout = workouts::Model {
            id: workout_id,
            user_id: day.person.id,
            program_id: None,
            scheduled_date: day.date,
            title: plan.title.clone(),
            status: plans_subgraph::WorkoutStatus::Planned.as_str().to_owned(),
            started_at: None,
            completed_at: None,
            created_at: day.asked_at,
        };
        let recommendation = recommendations::Model {
            workout_id,
            user_id: day.person.id,
            day: day.date,
            kind: plan.kind.as_str().to_owned(),
            reason: plan.reason.clone(),
            experiment_id: self.experiment.as_ref().map(|e| e.id.clone()),
            variant,
            model_version: None,
            inputs_hash: plans_subgraph::recommend::inputs_hash(snapshot),
            snapshot: serde_json::to_string(snapshot)
                .expect("a snapshot is plain data and always serialises"),
            created_at: day.asked_at,
        };
        Session {
            workout,
            exercises: (1..)
                .zip(chosen)
                .map(|(position, p)| exercise_model(workout_id, position, p))
                .collect(),
            recommendation,
            report: None,
            ratings: Vec::new(),
        }
    }
}

/// Most days they mean to train they open the app; on others, rarely.
fn opens_app(rng: &mut ChaCha8Rng, person: &Person, date: NaiveDate) -> bool {
    let weekday = date.weekday().num_days_from_monday();
    let chance = if person.training_weekdays.contains(&weekday) {
        person.diligence
    } else {
        STRAY_DAY_CHANCE
    };
    rng.gen_bool(chance.clamp(0.0, 1.0))
}

/// When they ask for the day's workout: at their preferred time of day.
fn asked_at(rng: &mut ChaCha8Rng, time: TimeOfDay, date: NaiveDate) -> DateTime<Utc> {
    let hours = match time {
        TimeOfDay::Morning => 6..9,
        TimeOfDay::Midday => 11..13,
        TimeOfDay::Afternoon => 14..17,
        TimeOfDay::Evening => 18..21,
        TimeOfDay::Any => 7..21,
    };
    let hour = rng.gen_range(hours);
    let seconds = rng.gen_range(0..3600);
    date.and_hms_opt(0, 0, 0)
        .expect("midnight exists on every date")
        .and_utc()
        + TimeDelta::hours(hour)
        + TimeDelta::seconds(seconds)
}

/// The rules' order (no model is serving yet), with a random untried candidate moved to
/// the front in a share of slots, as plans orders without a model.
fn order(
    slot: &PlannedSlot,
    share: f64,
    snapshot: &UserSnapshot,
    rng: &mut ChaCha8Rng,
) -> Vec<usize> {
    let mut order: Vec<usize> = (0..slot.candidates.len()).collect();
    if share > 0.0 && rng.gen_bool(share) {
        move_untried_first(slot, snapshot, rng, &mut order);
    }
    order
}

/// What plans remembers of a prescription for progression.
fn past(date: NaiveDate, p: &Prescription) -> PastPrescription {
    PastPrescription {
        date,
        sets: p.sets,
        rep_min: p.rep_min,
        rep_max: p.rep_max,
        load_kg: p.load_kg,
    }
}

/// Adds what was performed to feedback's view of the history.
fn record(history: &mut History, performed: &Performed) {
    let report = &performed.report;
    history
        .outcomes
        .extend(report.outcomes.iter().map(|outcome| OutcomeRecord {
            exercise_id: outcome.exercise_id,
            completed: outcome.completed,
            skipped: outcome.skipped,
            difficulty: outcome.difficulty,
            completed_at: report.completion.completed_at,
        }));
    history
        .sets
        .extend(report.set_logs.iter().map(|set| SetRecord {
            exercise_id: set.exercise_id,
            workout_id: set.workout_id,
            set_index: set.set_index,
            reps: set.reps,
            load_kg: set.load_kg,
            reps_in_reserve: set.reps_in_reserve,
            logged_at: set.logged_at,
        }));
    history
        .ratings
        .extend(performed.rating.iter().map(|rating| RatingRecord {
            exercise_id: rating.exercise_id,
            rating: rating.rating,
            rated_at: rating.created_at,
        }));
}
