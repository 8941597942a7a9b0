//! A read-only copy of the exercise catalog, loaded from the exercises subgraph's public GraphQL API.
