//! The feedback subgraph.
