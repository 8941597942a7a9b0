//! Shared code of the fitgraph gateway fuzz targets (see `scripts/fuzz.sh`).

pub mod pipeline;
pub mod structured;

use std::sync::OnceLock;

/// With `FITGRAPH_FUZZ_TRACE=1` the targets print where each input stopped
/// (`stage: <label>`), to see how far inputs get: run a target over a corpus
/// with `-runs=0` and count the labels. Off (and nearly free) otherwise.
pub fn trace(stage: &pipeline::Stage, query: &str) {
    static ON: OnceLock<bool> = OnceLock::new();
    if *ON.get_or_init(|| std::env::var_os("FITGRAPH_FUZZ_TRACE").is_some()) {
        eprintln!("stage: {}", stage.label());
        if std::env::var_os("FITGRAPH_FUZZ_TRACE_QUERY").is_some() {
            eprintln!("{query}\n---");
        }
    }
}

/// With `FITGRAPH_FUZZ_SKIP=<text>` (set by `FUZZ_SKIP` in `scripts/fuzz.sh`)
/// the targets skip queries containing `<text>`: a way to keep fuzzing past a
/// known crash that is not fixed yet.
pub fn skipped(query: &str) -> bool {
    static SKIP: OnceLock<Option<String>> = OnceLock::new();
    SKIP.get_or_init(|| {
        std::env::var("FITGRAPH_FUZZ_SKIP")
            .ok()
            .filter(|skip| !skip.is_empty())
    })
    .as_deref()
    .is_some_and(|skip| query.contains(skip))
}
