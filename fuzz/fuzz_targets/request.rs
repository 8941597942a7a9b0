//! Raw bytes as a GraphQL request: the text before the first NUL byte is the
//! query, the text after it the operation name. Runs the gateway's synchronous
//! request path (parse, validate, limits, plan) against the checked-in
//! supergraph; any panic (or a broken plan) is a crash.

#![no_main]

use fitgraph_fuzz::pipeline;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((query, operation_name)) = pipeline::split_input(data) else {
        return;
    };
    if fitgraph_fuzz::skipped(query) {
        return;
    }
    let stage = pipeline::run(query, operation_name);
    fitgraph_fuzz::trace(&stage, query);
});
