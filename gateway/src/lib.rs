//! The fitgraph federation gateway. Built in stages: the supergraph model and its
//! API schema, composition of a supergraph from subgraph SDLs, then (to come) the
//! pure planner, the executor and the server.

pub mod compose;
pub mod supergraph;
