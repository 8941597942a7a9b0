//! Prints the query plan of an operation: `cargo run -p fitgraph-gateway --example plan -- SUPERGRAPH QUERY_FILE`.
fn main() {
    let args: Vec<String> = std::env::args().collect();
    let sdl = std::fs::read_to_string(&args[1]).expect("supergraph file readable");
    let query = std::fs::read_to_string(&args[2]).expect("query file readable");
    let supergraph =
        fitgraph_gateway::supergraph::Supergraph::parse(&sdl).expect("valid supergraph");
    let document = apollo_compiler::ExecutableDocument::parse_and_validate(
        &supergraph.api_schema,
        query,
        "q.graphql",
    )
    .expect("valid query");
    let operation = document.operations.get(None).expect("one operation");
    match fitgraph_gateway::planner::plan(&supergraph, &document, operation) {
        Ok(plan) => println!("{plan}"),
        Err(error) => println!("error: {error}"),
    }
}
