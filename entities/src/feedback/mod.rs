//! Tables of the feedback subgraph.
