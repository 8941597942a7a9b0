//! The `fitgraph` command: runs the subgraphs (all in one process or one alone),
//! migrates their databases, seeds the exercise library and demo users (and, on demand,
//! a large generated population), imports exercise catalogs, trains the ranker and
//! simulates a population against the graph.

pub mod cli;
pub mod commands;
pub mod devauth;
pub mod persisted;
pub mod progress;
pub mod report;
pub mod runner;
pub mod scale;
pub mod simulate;
