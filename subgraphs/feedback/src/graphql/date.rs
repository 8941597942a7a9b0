//! The `Date` scalar, shared with plans (the gateway merges scalars by name).

pub use subgraph_common::date::Date;
