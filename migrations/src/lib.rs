//! sea-orm migrations: one `Migrator` per subgraph, each run against that
//! subgraph's own database, identical on SQLite and PostgreSQL.

pub mod exercises;
pub mod feedback;
pub mod plans;
pub mod profile;
