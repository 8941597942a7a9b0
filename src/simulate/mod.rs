//! `fitgraph simulate`: a synthetic population lives through simulated weeks against
//! the real graph.
//!
//! All four subgraphs and the gateway run in this process on fresh embedded databases.
//! Each synthetic user has hidden tastes the system never sees; every day they ask the
//! gateway for today's workout and complete or skip its exercises accordingly. Each
//! night the ranker is trained (as an administrator would, through `trainRanker`), then
//! the shared clock moves every service to the next day. Each week the experiment's
//! results are printed, and at the end a verdict on whether the ranker variants beat
//! rules alone. The simulation only ever speaks to the gateway's public HTTP API.

mod admin;
pub(crate) mod behaviour;
mod gateway;
pub(crate) mod population;
mod setup;
mod table;

use std::io::Write;
use std::time::Duration;

use chrono::NaiveDate;
use futures::StreamExt;
use subgraph_common::{Progress, Settings, clock};

use crate::cli::SimulateArgs;
use crate::devauth;
use crate::progress::Bars;
use crate::runner::RunError;
use admin::Comparison;
use behaviour::Day;
use gateway::Gateway;
use population::Person;

/// Tokens outlive any simulation; they expire on the real clock, not the simulated one.
const TOKEN_TTL: Duration = Duration::from_secs(30 * 24 * 3600);

/// More failed requests than this share fails the run.
const TOLERATED_FAILURE_SHARE: f64 = 0.01;

/// Failure messages printed as they happen; the rest are only counted.
const PRINTED_FAILURES: usize = 5;

/// When each simulated day after the first begins.
const MORNING: chrono::NaiveTime =
    chrono::NaiveTime::from_hms_opt(6, 0, 0).expect("06:00 is a valid time");

/// The final comparison covers at most this many of the last days.
const FINAL_WINDOW_DAYS: u32 = 28;

/// One nightly training run.
#[derive(Debug, Clone)]
pub struct Night {
    /// The simulated day (1-based) whose night it was.
    pub day: u32,
    pub examples: u64,
    pub promoted: bool,
    /// The model trained; none when there was too little data (or the request failed).
    pub version: Option<String>,
    /// Held-out AUC and NDCG@k of the model trained.
    pub auc: Option<f64>,
    pub ndcg: Option<f64>,
    pub k: Option<u32>,
    /// Why it was promoted or not, as the trainer said.
    pub decision: String,
}

/// One variant of the experiment over some days.
#[derive(Debug, Clone)]
pub struct VariantOutcome {
    pub variant: String,
    pub workouts: u64,
    pub completion_rate: f64,
    /// Completion rate minus control's: (estimate, low, high) of the 95% interval; none
    /// for control itself or with too little data.
    pub difference: Option<(f64, f64, f64)>,
}

/// The experiment over one simulated week (the last one may be shorter).
#[derive(Debug, Clone)]
pub struct WeekResult {
    /// 1-based.
    pub week: u32,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub control: String,
    pub variants: Vec<VariantOutcome>,
    /// The last night of the week that trained a model.
    pub last_model: Option<Night>,
}

#[derive(Debug, Clone, Default)]
pub struct SimulationSummary {
    pub nights: Vec<Night>,
    pub weeks: Vec<WeekResult>,
    /// The experiment over the last four weeks (or the whole run when shorter).
    pub final_results: Vec<VariantOutcome>,
    /// Every request sent to the gateway on a user's or the administrator's behalf.
    pub requests: u64,
    pub failed_requests: u64,
    /// Today's workouts that a ranker model ordered (a non-null `modelVersion`).
    pub workouts_with_model: u64,
}

/// Runs the simulation and prints its report to stdout.
pub async fn run(settings: Settings, args: &SimulateArgs) -> Result<(), RunError> {
    let mut stdout = std::io::stdout();
    simulate(settings, args, &mut stdout).await.map(drop)
}

/// Runs the simulation, writing its report to `out`. Fails when more than 1% of the
/// requests failed, after the whole run and report.
pub async fn simulate(
    settings: Settings,
    args: &SimulateArgs,
    out: &mut (dyn Write + Send),
) -> Result<SimulationSummary, RunError> {
    let data_dir = setup::DataDir::new(args.data_dir.as_deref())?;
    let settings = setup::isolate(settings, data_dir.path())?;
    let (system, seeded) = setup::System::start(&settings).await?;
    if let Some(seeded) = seeded {
        say(out, &format!("seeded: {seeded}"))?;
    }
    let simulated = {
        let gateway = Gateway::new(system.gateway());
        live_through(&settings, args, &gateway, out).await
    };
    // Stopped whatever happened, the simulation's own failure being the one to report.
    let stopped = system.stop().await;
    let summary = simulated?;
    stopped?;
    drop(data_dir);
    check_failures(&summary)?;
    Ok(summary)
}

/// Everyone onboards, then lives `args.days` days with a training every night.
async fn live_through(
    settings: &Settings,
    args: &SimulateArgs,
    gateway: &Gateway,
    out: &mut (dyn Write + Send),
) -> Result<SimulationSummary, RunError> {
    let (people, admin_id) = population::draw(args.seed, args.users);
    let crowd = Crowd::new(settings, &people, args)?;
    let admin_scopes = [fitgraph_auth::scopes::ADMIN.to_owned()];
    let admin = devauth::mint(settings, &admin_id.to_string(), &admin_scopes, TOKEN_TTL)?;
    admin::wait_for_experiment(gateway, &admin).await?;
    crowd.onboard(gateway).await;
    let onboarded = format!(
        "{} users onboarded; simulating {} days",
        people.len(),
        args.days
    );
    say(out, &onboarded)?;
    let mut summary = SimulationSummary::default();
    let mut printed_failures = 0;
    let dates = live_days(
        &crowd,
        gateway,
        &admin,
        args.days,
        &mut summary,
        &mut printed_failures,
        out,
    )
    .await?;
    if let Some(dates) = dates {
        summary.final_results = conclude(gateway, &admin, &summary, dates, out).await?;
    }
    print_failures(gateway, &mut printed_failures, out)?;
    summary.requests = gateway.requests();
    summary.failed_requests = gateway.failed();
    let counts = format!(
        "requests: {}, failed: {}",
        summary.requests, summary.failed_requests
    );
    say(out, &counts)?;
    Ok(summary)
}

/// The days one after another: everyone's day, the nightly training, the move to the
/// next morning and, every seventh day and on the last, the week's results. Returns the
/// first and last simulated dates.
async fn live_days(
    crowd: &Crowd<'_>,
    gateway: &Gateway,
    admin: &str,
    days: u32,
    summary: &mut SimulationSummary,
    printed_failures: &mut usize,
    out: &mut (dyn Write + Send),
) -> Result<Option<(NaiveDate, NaiveDate)>, RunError> {
    let mut first_date = None;
    let mut week_from = None;
    let mut last_date = None;
    for number in 1..=days {
        // The services' own today, which is what they file the day's workouts under.
        let day = Day {
            number,
            date: clock::today(),
        };
        first_date.get_or_insert(day.date);
        let from = *week_from.get_or_insert(day.date);
        last_date = Some(day.date);
        summary.workouts_with_model += crowd.live(gateway, day).await;
        print_failures(gateway, printed_failures, out)?;
        let night = admin::train(gateway, admin, number).await;
        say(out, &table::night_line(&night))?;
        summary.nights.push(night);
        advance_to_next_morning();
        if number % 7 != 0 && number != days {
            continue;
        }
        week_from = None;
        if let Some(week) =
            close_week(gateway, admin, &summary.nights, number, from, day.date).await
        {
            say(out, &table::week_table(&week))?;
            summary.weeks.push(week);
        }
    }
    Ok(first_date.zip(last_date))
}

/// The population and what it needs to act.
struct Crowd<'a> {
    people: &'a [Person],
    /// Each person's bearer token, in the same order.
    tokens: Vec<String>,
    seed: u64,
    concurrency: usize,
}

impl<'a> Crowd<'a> {
    fn new(
        settings: &Settings,
        people: &'a [Person],
        args: &SimulateArgs,
    ) -> Result<Crowd<'a>, RunError> {
        let tokens = people
            .iter()
            .map(|person| devauth::mint(settings, &person.id.to_string(), &[], TOKEN_TTL))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Crowd {
            people,
            tokens,
            seed: args.seed,
            concurrency: args.concurrency.max(1),
        })
    }

    /// Everyone fills in the onboarding questionnaire, one after another: real sign-ups
    /// are spread out, and the profile subgraph's embedded SQLite refuses concurrent ones
    /// ("database is locked"). A profile that exists already (a data directory simulated
    /// before, with the same seed) is as good as a new one.
    async fn onboard(&self, gateway: &Gateway) {
        const ONBOARD: &str =
            "mutation Onboard($input: OnboardingInput!) { createUser(input: $input) { id } }";
        for (person, token) in self.people.iter().zip(&self.tokens) {
            let variables = serde_json::json!({ "input": person.onboarding });
            let created = gateway
                .call::<serde_json::Value>(token, ONBOARD, variables)
                .await;
            let created = match created {
                Err(failure) if failure.code.as_deref() == Some("CONFLICT") => {
                    Ok(serde_json::Value::Null)
                }
                other => other,
            };
            gateway.count("createUser", created);
        }
    }

    /// Everyone lives `day`, `concurrency` at a time; returns how many workouts a
    /// ranker model ordered.
    async fn live(&self, gateway: &Gateway, day: Day) -> u64 {
        let bars = Bars::default();
        bars.start(&format!("day {}", day.number), self.people.len() as u64);
        let bars = &bars;
        let lived: Vec<behaviour::Lived> =
            futures::stream::iter(self.people.iter().zip(&self.tokens))
                .map(|(person, token)| async move {
                    let lived = behaviour::live_day(gateway, self.seed, person, token, day).await;
                    bars.advance(1);
                    lived
                })
                .buffer_unordered(self.concurrency)
                .collect()
                .await;
        bars.finish();
        lived.iter().filter(|lived| lived.served_by_model).count() as u64
    }
}

/// The experiment over the week that ended with day `last_day` (dated `to`).
async fn close_week(
    gateway: &Gateway,
    admin: &str,
    nights: &[Night],
    last_day: u32,
    from: NaiveDate,
    to: NaiveDate,
) -> Option<WeekResult> {
    let Comparison { control, variants } = admin::results(gateway, admin, from, to).await?;
    let week = (last_day - 1) / 7 + 1;
    let week_first_day = (week - 1) * 7 + 1;
    let last_model = nights
        .iter()
        .rev()
        .take_while(|night| night.day >= week_first_day)
        .find(|night| night.version.is_some())
        .cloned();
    Some(WeekResult {
        week,
        from,
        to,
        control,
        variants,
        last_model,
    })
}

/// The experiment over the last four weeks (or the whole run), with the verdict.
async fn conclude(
    gateway: &Gateway,
    admin: &str,
    summary: &SimulationSummary,
    (first, last): (NaiveDate, NaiveDate),
    out: &mut (dyn Write + Send),
) -> Result<Vec<VariantOutcome>, RunError> {
    let four_weeks_before = last - chrono::Duration::days(i64::from(FINAL_WINDOW_DAYS) - 1);
    let (from, to) = (first.max(four_weeks_before), last);
    let window = (to - from).num_days() + 1;
    let Some(comparison) = admin::results(gateway, admin, from, to).await else {
        say(
            out,
            "no verdict: the final experiment results could not be read",
        )?;
        return Ok(Vec::new());
    };
    let mut text = format!("overall, {from} to {to} ({window} days):\n");
    text.push_str(&table::comparison_table(
        &comparison.control,
        &comparison.variants,
    ));
    let promoted = summary.nights.iter().filter(|night| night.promoted).count();
    text.push_str(&format!(
        "  models promoted: {promoted}; workouts ordered by a model: {}\n",
        summary.workouts_with_model
    ));
    text.push_str(&table::verdict(&comparison));
    say(out, text.trim_end())?;
    Ok(comparison.variants)
}

/// Moves every service's clock to the next day at `MORNING`. A day's traffic then
/// takes place early on its date and never runs past midnight while real time passes
/// (only the first day starts at the real time of day).
fn advance_to_next_morning() {
    let now = clock::now();
    let tomorrow = now.date_naive() + chrono::Duration::days(1);
    clock::advance(tomorrow.and_time(MORNING).and_utc() - now);
}

/// Prints the failure messages recorded since the last call, until `PRINTED_FAILURES`
/// have been printed in all (`printed` keeps count); later ones are only counted.
fn print_failures(
    gateway: &Gateway,
    printed: &mut usize,
    out: &mut (dyn Write + Send),
) -> Result<(), RunError> {
    for failure in gateway.take_failures() {
        if *printed < PRINTED_FAILURES {
            say(out, &format!("request failed: {failure}"))?;
        }
        *printed += 1;
    }
    Ok(())
}

fn check_failures(summary: &SimulationSummary) -> Result<(), RunError> {
    let tolerated = (summary.requests as f64 * TOLERATED_FAILURE_SHARE).floor() as u64;
    if summary.failed_requests > tolerated {
        return Err(RunError::Simulation(format!(
            "{} of {} requests failed (more than 1%)",
            summary.failed_requests, summary.requests
        )));
    }
    Ok(())
}

/// Writes one line (or block) of the report, at once: the run is long and watched.
fn say(out: &mut (dyn Write + Send), text: &str) -> Result<(), RunError> {
    writeln!(out, "{text}")
        .and_then(|()| out.flush())
        .map_err(|err| RunError::Simulation(format!("cannot write the report: {err}")))
}
