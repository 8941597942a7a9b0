//! Integration tests of the profile subgraph, through `schema.execute` and over
//! real HTTP, on SQLite (and PostgreSQL with `--ignored postgres`).

mod access;
mod deletion;
mod entities;
mod events;
mod export;
mod http;
mod onboarding;
mod readings;
mod recovery;
mod sdl;
mod seed;
mod support;
