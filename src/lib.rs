//! fitgraph CLI
