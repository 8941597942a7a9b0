//! sea-orm entities, one module per subgraph. Each subgraph owns its database and
//! uses only its own module.

pub mod exercises;
pub mod feedback;
pub mod plans;
pub mod profile;
