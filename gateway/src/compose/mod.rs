//! Composition: a Federation v2 supergraph SDL from subgraph SDLs.
