//! Tables of the exercises subgraph.
