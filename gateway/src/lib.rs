//! The federation gateway: supergraph, planner, executor and server live here once built.
