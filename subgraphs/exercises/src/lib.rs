//! The exercises subgraph.
