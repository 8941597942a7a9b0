//! Tables of the plans subgraph.
