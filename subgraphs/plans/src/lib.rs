//! The plans subgraph.
