//! The `fitgraph` command: runs the subgraphs (all in one process or one alone),
//! migrates their databases, seeds the exercise library and demo users, and
//! imports exercise catalogs.

pub mod cli;
pub mod commands;
pub mod devauth;
pub mod progress;
pub mod runner;
