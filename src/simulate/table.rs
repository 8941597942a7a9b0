//! How the simulation reports: one line per night, a table per week and the verdict.

use std::fmt::Write;

use super::admin::Comparison;
use super::{Night, VariantOutcome, WeekResult};

/// `day 9: trained r2026…-abcd on 1234 examples: AUC 0.701, NDCG@10 0.812 — promoted`.
pub fn night_line(night: &Night) -> String {
    let Some(version) = &night.version else {
        return format!("day {}: no model yet: {}", night.day, night.decision);
    };
    let outcome = if night.promoted {
        "promoted".to_owned()
    } else {
        format!("not promoted ({})", night.decision)
    };
    format!(
        "day {}: trained {version} on {} examples: {} — {outcome}",
        night.day,
        night.examples,
        metrics_text(night),
    )
}

/// `AUC 0.701, NDCG@10 0.812`, or a note that no model was trained.
fn metrics_text(night: &Night) -> String {
    match (night.auc, night.ndcg) {
        (Some(auc), Some(ndcg)) => {
            let k = night.k.map_or_else(|| "k".to_owned(), |k| k.to_string());
            format!("AUC {auc:.3}, NDCG@{k} {ndcg:.3}")
        }
        _ => "no metrics".to_owned(),
    }
}

/// The week's variants side by side, then the last model trained that week.
pub fn week_table(week: &WeekResult) -> String {
    let mut text = format!(
        "week {} ({} to {}), experiment results:\n",
        week.week, week.from, week.to
    );
    text.push_str(&comparison_table(&week.control, &week.variants));
    let model = match &week.last_model {
        Some(night) => format!(
            "  model of the week: {} ({})\n",
            night.version.as_deref().unwrap_or("?"),
            metrics_text(night)
        ),
        None => "  model of the week: none trained yet\n".to_owned(),
    };
    text.push_str(&model);
    text
}

/// `variant | workouts | completion rate | difference to control [95% interval]`.
pub fn comparison_table(control: &str, variants: &[VariantOutcome]) -> String {
    let mut text = format!(
        "  {:<16} {:>8} {:>11}  {}\n",
        "variant", "workouts", "completion", "difference to control [95% interval]"
    );
    for variant in variants {
        let difference = match variant.difference {
            Some(interval) => interval_text(interval),
            None if variant.variant == control => "(control)".to_owned(),
            None => "too little data".to_owned(),
        };
        let _ = writeln!(
            text,
            "  {:<16} {:>8} {:>11.3}  {difference}",
            variant.variant, variant.workouts, variant.completion_rate
        );
    }
    text
}

/// `+0.083 [+0.041, +0.125]`.
fn interval_text((estimate, low, high): (f64, f64, f64)) -> String {
    format!("{estimate:+.3} [{low:+.3}, {high:+.3}]")
}

/// Per variant against control: whether its completion rate is better, with the
/// interval that says so (its low end above 0), worse, or not distinguishable.
pub fn verdict(comparison: &Comparison) -> String {
    let control = &comparison.control;
    let mut text = String::new();
    for variant in comparison.variants.iter().filter(|v| &v.variant != control) {
        let name = &variant.variant;
        let line = match variant.difference {
            Some(interval @ (_, low, _)) if low > 0.0 => format!(
                "{name} beats {control} on completion rate: {}",
                interval_text(interval)
            ),
            Some(interval @ (_, _, high)) if high < 0.0 => format!(
                "{name} does worse than {control} on completion rate: {}",
                interval_text(interval)
            ),
            Some(interval) => format!(
                "{name} does not beat {control} on completion rate: {} includes 0",
                interval_text(interval)
            ),
            None => format!("{name} vs {control}: too little data to tell"),
        };
        let _ = writeln!(text, "verdict: {line}");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn variant(name: &str, difference: Option<(f64, f64, f64)>) -> VariantOutcome {
        VariantOutcome {
            variant: name.to_owned(),
            workouts: 40,
            completion_rate: 0.6,
            difference,
        }
    }

    #[test]
    fn the_verdict_needs_the_whole_interval_above_zero() {
        let comparison = Comparison {
            control: "rules-only".to_owned(),
            variants: vec![
                variant("rules-only", None),
                variant("ranker", Some((0.083, 0.041, 0.125))),
                variant("ranker-explore", Some((0.02, -0.01, 0.05))),
            ],
        };
        let text = verdict(&comparison);
        assert!(
            text.contains("ranker beats rules-only on completion rate: +0.083 [+0.041, +0.125]"),
            "{text}"
        );
        assert!(
            text.contains("ranker-explore does not beat rules-only"),
            "{text}"
        );
        assert!(!text.contains("rules-only vs"), "{text}");
    }

    #[test]
    fn a_night_without_a_model_says_why() {
        let night = Night {
            day: 3,
            examples: 120,
            promoted: false,
            version: None,
            auc: None,
            ndcg: None,
            k: None,
            decision: "not enough examples".to_owned(),
        };
        assert_eq!(
            night_line(&night),
            "day 3: no model yet: not enough examples"
        );
    }
}
