//! Operations generated from the supergraph's API schema (real fields, typed
//! arguments, declared variables and values for them, aliases, fragments,
//! `@skip`/`@include`), so most inputs validate and reach the query planner.
//! `cargo fuzz fmt structured <artifact>` prints the generated request.

#![no_main]

use fitgraph_fuzz::pipeline;
use fitgraph_fuzz::structured::Request;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|request: Request| {
    if fitgraph_fuzz::skipped(&request.query) {
        return;
    }
    let stage = pipeline::run_with_variables(
        &request.query,
        request.operation_name.as_deref(),
        &request.variables,
    );
    fitgraph_fuzz::trace(&stage, &request.query);
});
