//! Plain-text tables for what `train`, `simulate` and `seed --scale` print.

use std::fmt::Write;

use plans_subgraph::recommend::TrainingReport;

use crate::scale::ScaleSummary;

/// The training run as a small table: every family tried, the serving model on the
/// same held-out days, and the decision.
pub fn training(report: &TrainingReport) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "examples read: {}", report.examples);
    if report.compared.is_empty() {
        let _ = writeln!(out, "no model trained: {}", report.decision);
        return out;
    }
    let _ = writeln!(
        out,
        "{:<28} {:>7} {:>9} {:>8} {:>9}",
        "held-out", "AUC", "log-loss", "NDCG@k", "examples"
    );
    for family in &report.compared {
        let m = &family.metrics;
        let _ = writeln!(
            out,
            "{:<28} {:>7.3} {:>9.3} {:>8.3} {:>9}",
            family.family.to_string(),
            m.auc,
            m.log_loss,
            m.ndcg_at_k,
            m.examples
        );
    }
    if let Some(m) = &report.serving_metrics {
        let _ = writeln!(
            out,
            "{:<28} {:>7.3} {:>9.3} {:>8.3} {:>9}",
            "serving model", m.auc, m.log_loss, m.ndcg_at_k, m.examples
        );
    }
    if let Some(model) = &report.model {
        let _ = writeln!(
            out,
            "model {} ({}): {}",
            model.version, model.status, report.decision
        );
    }
    out
}

/// What `seed --scale` wrote, per table; rows that existed already are not counted.
pub fn scale(summary: &ScaleSummary) -> String {
    let mut out = String::new();
    let seeded = &summary.seeded;
    let _ = writeln!(
        out,
        "exercises: {}",
        seeded.exercises.as_deref().unwrap_or_default()
    );
    let _ = writeln!(out, "demo users created: {}", seeded.demo_users_created);
    let activity = &summary.activity;
    let rows = [
        ("users", summary.users),
        ("user equipment", summary.equipment),
        ("wearable readings", summary.readings),
        ("users with history", activity.people),
        ("workouts", activity.workouts),
        ("prescribed exercises", activity.workout_exercises),
        ("recommendations", activity.recommendations),
        ("feedback rows", activity.feedback_rows()),
        ("  completions", activity.completions),
        ("  exercise outcomes", activity.outcomes),
        ("  set logs", activity.set_logs),
        ("  ratings", activity.ratings),
    ];
    for (what, count) in rows {
        let _ = writeln!(out, "{what:<22} {count:>10}");
    }
    let _ = writeln!(out, "elapsed: {:.1} s", summary.elapsed.as_secs_f64());
    out
}
