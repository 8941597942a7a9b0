//! Plain-text tables for what `train` and `simulate` print.

use std::fmt::Write;

use plans_subgraph::recommend::TrainingReport;

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
