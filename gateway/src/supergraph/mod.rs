//! A Federation v2 supergraph: which subgraph owns what, and the API schema clients see.
