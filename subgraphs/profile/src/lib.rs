//! The profile subgraph.
