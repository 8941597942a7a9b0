//! The verified caller, as the gateway forwards it and subgraphs read it.

use std::collections::BTreeSet;

/// Scopes with a meaning in the graph.
pub mod scopes {
    /// May change the exercise library.
    pub const EDITOR: &str = "editor";
    /// May read experiment results and trigger training.
    pub const ADMIN: &str = "admin";
}

/// A caller: a user (the token's subject), the scopes granted, and the client
/// application (an API key's name). All empty means anonymous.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Identity {
    pub user_id: Option<String>,
    pub scopes: BTreeSet<String>,
    pub client: Option<String>,
}

impl Identity {
    pub fn anonymous() -> Self {
        Self::default()
    }

    /// A user with `scopes`.
    pub fn user(user_id: impl Into<String>, scopes: &[&str]) -> Self {
        Self {
            user_id: Some(user_id.into()),
            scopes: scopes.iter().map(|scope| (*scope).to_owned()).collect(),
            client: None,
        }
    }

    /// A partner client known by its API key, acting for no user.
    pub fn client(name: impl Into<String>, scopes: &[&str]) -> Self {
        Self {
            user_id: None,
            scopes: scopes.iter().map(|scope| (*scope).to_owned()).collect(),
            client: Some(name.into()),
        }
    }

    /// Whether anyone at all was authenticated (a user or a client).
    pub fn is_authenticated(&self) -> bool {
        self.user_id.is_some() || self.client.is_some()
    }

    pub fn has_scope(&self, scope: &str) -> bool {
        self.scopes.contains(scope)
    }

    /// Scopes as one space-separated string (the OAuth `scope` claim's form).
    pub fn scopes_string(&self) -> String {
        self.scopes.iter().cloned().collect::<Vec<_>>().join(" ")
    }

    /// Parses a space-separated scope list; repeats and extra spaces are ignored.
    pub fn parse_scopes(text: &str) -> BTreeSet<String> {
        text.split_whitespace().map(str::to_owned).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_round_trip_through_their_string_form() {
        let identity = Identity::user("u1", &["editor", "admin", "editor"]);
        assert_eq!(identity.scopes_string(), "admin editor");
        assert_eq!(Identity::parse_scopes("  admin   editor "), identity.scopes);
        assert!(identity.has_scope(scopes::EDITOR));
        assert!(!Identity::anonymous().is_authenticated());
        assert!(Identity::client("partner", &[]).is_authenticated());
    }
}
