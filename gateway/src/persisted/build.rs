//! Building a client's manifest from its `.graphql` files: every named
//! operation becomes one manifest entry whose body is the operation followed by
//! the fragments it uses (directly or through other fragments) in name order, so
//! the same sources always give the same ids.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use apollo_compiler::ast::{
    Definition, Document, FragmentDefinition, OperationDefinition, Selection,
};
use apollo_compiler::{Name, Node};

use super::manifest::{
    Manifest, ManifestProblem, OperationKind, PersistedOperation, bullets, check_manifest,
};
use crate::Gateway;

/// One file of a client's operations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// Where it came from, for messages.
    pub path: String,
    pub text: String,
}

/// Why no manifest was built.
#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{0} holds no `.graphql` files")]
    NoSources(String),
    #[error("{path} does not parse: {reason}")]
    Parse { path: String, reason: String },
    #[error("{path}: only operations and fragments belong with a client's operations")]
    NotExecutable { path: String },
    #[error("{path}: an operation has no name; only named operations can be persisted")]
    AnonymousOperation { path: String },
    #[error("operation `{name}` is defined twice ({first} and {second})")]
    DuplicateOperation {
        name: String,
        first: String,
        second: String,
    },
    #[error("fragment `{name}` is defined twice ({first} and {second})")]
    DuplicateFragment {
        name: String,
        first: String,
        second: String,
    },
    #[error("operation `{operation}` uses fragment `{fragment}`, which no file defines")]
    UnknownFragment { operation: String, fragment: String },
    #[error("the operations are not valid against the supergraph:{}", bullets(.0))]
    Invalid(Vec<ManifestProblem>),
}

/// Every `*.graphql` file directly in `dir`, in file name order.
pub fn read_sources(dir: &Path) -> Result<Vec<Source>, BuildError> {
    let unreadable = |path: &Path| {
        let path = path.display().to_string();
        move |source| BuildError::Read { path, source }
    };
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir).map_err(unreadable(dir))? {
        let path = entry.map_err(unreadable(dir))?.path();
        if path.extension().is_some_and(|ext| ext == "graphql") && path.is_file() {
            paths.push(path);
        }
    }
    if paths.is_empty() {
        return Err(BuildError::NoSources(dir.display().to_string()));
    }
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = std::fs::read_to_string(&path).map_err(unreadable(&path))?;
            Ok(Source {
                path: path.display().to_string(),
                text,
            })
        })
        .collect()
}

/// The manifest of `sources`, each operation validated as `gateway` would run it.
pub fn build_manifest(gateway: &Gateway, sources: &[Source]) -> Result<Manifest, BuildError> {
    let definitions = Definitions::collect(sources)?;
    let operations = definitions
        .operations
        .iter()
        .map(|(name, (operation, _))| {
            let body = definitions.body(name, operation)?;
            let kind = OperationKind::from(operation.operation_type);
            Ok(PersistedOperation::new(name.as_str(), kind, body))
        })
        .collect::<Result<Vec<_>, BuildError>>()?;
    let manifest = Manifest::new(operations);
    let problems = check_manifest(gateway, &manifest);
    if !problems.is_empty() {
        return Err(BuildError::Invalid(problems));
    }
    Ok(manifest)
}

/// The named operations and fragments of all sources, each with its file.
#[derive(Default)]
struct Definitions {
    operations: BTreeMap<Name, (Node<OperationDefinition>, String)>,
    fragments: BTreeMap<Name, (Node<FragmentDefinition>, String)>,
}

impl Definitions {
    fn collect(sources: &[Source]) -> Result<Self, BuildError> {
        let mut definitions = Self::default();
        for source in sources {
            let document =
                Document::parse(source.text.as_str(), &source.path).map_err(|invalid| {
                    BuildError::Parse {
                        path: source.path.clone(),
                        reason: diagnostics(&invalid.errors),
                    }
                })?;
            for definition in document.definitions {
                definitions.add(definition, &source.path)?;
            }
        }
        Ok(definitions)
    }

    fn add(&mut self, definition: Definition, path: &str) -> Result<(), BuildError> {
        match definition {
            Definition::OperationDefinition(operation) => {
                let name =
                    operation
                        .name
                        .clone()
                        .ok_or_else(|| BuildError::AnonymousOperation {
                            path: path.to_owned(),
                        })?;
                if let Some((_, first)) = self.operations.get(&name) {
                    return Err(BuildError::DuplicateOperation {
                        name: name.to_string(),
                        first: first.clone(),
                        second: path.to_owned(),
                    });
                }
                self.operations.insert(name, (operation, path.to_owned()));
            }
            Definition::FragmentDefinition(fragment) => {
                if let Some((_, first)) = self.fragments.get(&fragment.name) {
                    return Err(BuildError::DuplicateFragment {
                        name: fragment.name.to_string(),
                        first: first.clone(),
                        second: path.to_owned(),
                    });
                }
                self.fragments
                    .insert(fragment.name.clone(), (fragment, path.to_owned()));
            }
            _ => {
                return Err(BuildError::NotExecutable {
                    path: path.to_owned(),
                });
            }
        }
        Ok(())
    }

    /// The operation and every fragment it uses, in name order.
    fn body(
        &self,
        name: &Name,
        operation: &Node<OperationDefinition>,
    ) -> Result<String, BuildError> {
        let mut document = Document::new();
        document
            .definitions
            .push(Definition::OperationDefinition(operation.clone()));
        for fragment in self.fragments_used(name, &operation.selection_set)? {
            document
                .definitions
                .push(Definition::FragmentDefinition(fragment.clone()));
        }
        Ok(document.to_string())
    }

    fn fragments_used(
        &self,
        operation: &Name,
        selections: &[Selection],
    ) -> Result<Vec<&Node<FragmentDefinition>>, BuildError> {
        let mut used = BTreeSet::new();
        let mut pending = Vec::new();
        spreads(selections, &mut pending);
        while let Some(fragment) = pending.pop() {
            if !used.insert(fragment.clone()) {
                continue;
            }
            let (definition, _) =
                self.fragments
                    .get(&fragment)
                    .ok_or_else(|| BuildError::UnknownFragment {
                        operation: operation.to_string(),
                        fragment: fragment.to_string(),
                    })?;
            spreads(&definition.selection_set, &mut pending);
        }
        Ok(used
            .iter()
            .filter_map(|name| self.fragments.get(name).map(|(definition, _)| definition))
            .collect())
    }
}

/// The names of the fragments spread anywhere in `selections`.
fn spreads(selections: &[Selection], found: &mut Vec<Name>) {
    for selection in selections {
        match selection {
            Selection::Field(field) => spreads(&field.selection_set, found),
            Selection::InlineFragment(inline) => spreads(&inline.selection_set, found),
            Selection::FragmentSpread(spread) => found.push(spread.fragment_name.clone()),
        }
    }
}

fn diagnostics(errors: &apollo_compiler::validation::DiagnosticList) -> String {
    let described: Vec<String> = errors
        .iter()
        .map(|diagnostic| {
            let error = diagnostic.to_json();
            match error.locations.first() {
                Some(at) => format!("{} (line {}, column {})", error.message, at.line, at.column),
                None => error.message,
            }
        })
        .collect();
    described.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::apq::sha256_hex;
    use crate::persisted::test_support::gateway;

    fn source(path: &str, text: &str) -> Source {
        Source {
            path: path.into(),
            text: text.into(),
        }
    }

    fn build(sources: &[Source]) -> Result<Manifest, BuildError> {
        build_manifest(&gateway(), sources)
    }

    #[test]
    fn each_operation_carries_the_fragments_it_uses_in_name_order() {
        let sources = [
            source(
                "greetings.graphql",
                "query Welcome($id: ID!) { greeting(id: $id) { ...Text ...Ids } }\n\
                 mutation Greet { greet(name: \"Ava\") { id } }",
            ),
            source(
                "fragments.graphql",
                "fragment Text on Greeting { text }\n\
                 fragment Ids on Greeting { id ...Text }\n\
                 fragment Unused on Greeting { id }",
            ),
        ];
        let manifest = build(&sources).expect("valid operations build");
        let names: Vec<&str> = manifest
            .operations
            .iter()
            .map(|op| op.name.as_str())
            .collect();
        assert_eq!(names, ["Greet", "Welcome"]);
        let welcome = &manifest.operations[1];
        assert_eq!(welcome.kind, OperationKind::Query);
        assert_eq!(welcome.id, sha256_hex(&welcome.body));
        let ids = welcome.body.find("fragment Ids").expect("Ids is used");
        let text = welcome
            .body
            .find("fragment Text")
            .expect("Text is used through Ids too");
        assert!(ids < text, "{}", welcome.body);
        assert!(!welcome.body.contains("Unused"), "{}", welcome.body);
        assert!(!manifest.operations[0].body.contains("fragment"));
        assert_eq!(manifest.operations[0].kind, OperationKind::Mutation);

        let again = build(&sources).expect("valid operations build");
        assert_eq!(again, manifest, "the same sources give the same manifest");
    }

    #[test]
    fn anonymous_operations_cannot_be_persisted() {
        let error = build(&[source("a.graphql", "{ greeting(id: 1) { text } }")]).unwrap_err();
        assert!(
            matches!(error, BuildError::AnonymousOperation { ref path } if path == "a.graphql"),
            "{error}"
        );
    }

    #[test]
    fn names_are_unique_across_files() {
        let query = "query Welcome { greeting(id: 1) { text } }";
        let error = build(&[source("a.graphql", query), source("b.graphql", query)]).unwrap_err();
        assert_eq!(
            error.to_string(),
            "operation `Welcome` is defined twice (a.graphql and b.graphql)"
        );
        let fragment = "fragment Text on Greeting { text }";
        let error =
            build(&[source("a.graphql", fragment), source("b.graphql", fragment)]).unwrap_err();
        assert!(
            matches!(error, BuildError::DuplicateFragment { .. }),
            "{error}"
        );
    }

    #[test]
    fn a_missing_fragment_is_named() {
        let error = build(&[source(
            "a.graphql",
            "query Welcome { greeting(id: 1) { ...Text } }",
        )])
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "operation `Welcome` uses fragment `Text`, which no file defines"
        );
    }

    #[test]
    fn operations_must_validate_against_the_supergraph() {
        let error = build(&[source(
            "a.graphql",
            "query Welcome { greeting(id: 1) { colour } }",
        )])
        .unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, BuildError::Invalid(_)), "{message}");
        assert!(
            message.contains("operation `Welcome`") && message.contains("colour"),
            "{message}"
        );
    }

    #[test]
    fn sources_hold_only_parsable_operations_and_fragments() {
        let error = build(&[source("a.graphql", "query Welcome { greeting(")]).unwrap_err();
        assert!(
            matches!(error, BuildError::Parse { ref path, .. } if path == "a.graphql"),
            "{error}"
        );
        let error = build(&[source("a.graphql", "type Extra { id: ID }")]).unwrap_err();
        assert!(matches!(error, BuildError::NotExecutable { .. }), "{error}");
    }

    #[test]
    fn a_folder_without_graphql_files_is_an_error() {
        let dir = tempfile::tempdir().expect("a writable temp dir");
        std::fs::write(dir.path().join("notes.txt"), "not an operation").expect("writable");
        assert!(matches!(
            read_sources(dir.path()),
            Err(BuildError::NoSources(_))
        ));
        std::fs::write(
            dir.path().join("b.graphql"),
            "query B { greeting(id: 1) { id } }",
        )
        .expect("writable");
        std::fs::write(
            dir.path().join("a.graphql"),
            "query A { greeting(id: 1) { id } }",
        )
        .expect("writable");
        let sources = read_sources(dir.path()).expect("two files");
        let files: Vec<bool> = sources
            .iter()
            .map(|s| s.path.ends_with("a.graphql"))
            .collect();
        assert_eq!(files, [true, false], "in file name order");
        assert!(matches!(
            read_sources(&dir.path().join("absent")),
            Err(BuildError::Read { .. })
        ));
    }
}
