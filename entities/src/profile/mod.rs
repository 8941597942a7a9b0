//! Tables of the profile subgraph.
