//! The supergraph: which subgraph resolves which type and field, read off the
//! join directives of a Federation v2 supergraph SDL, plus the API schema that
//! clients see.

mod api_schema;
mod load;

use std::collections::HashMap;

use apollo_compiler::executable::SelectionSet;
use apollo_compiler::validation::Valid;
use apollo_compiler::{Name, Schema};

pub use load::SupergraphError;

/// Index of a subgraph in [`Supergraph::subgraphs`].
pub type GraphId = usize;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Subgraph {
    pub name: String,
    pub url: String,
}

/// A supergraph, loaded and indexed for the planner.
#[derive(Debug)]
pub struct Supergraph {
    /// The whole supergraph schema, join elements included (field sets of keys
    /// and requires are parsed against it, inaccessible fields and all).
    pub schema: Valid<Schema>,
    /// What clients see: join and inaccessible elements removed.
    pub api_schema: Valid<Schema>,
    pub subgraphs: Vec<Subgraph>,
    types: HashMap<Name, TypeJoin>,
}

/// How one type is spread over the subgraphs.
#[derive(Debug, Default)]
pub struct TypeJoin {
    pub graphs: Vec<TypeInGraph>,
    /// Fields with `@join__field`; a field absent here lives in every graph of the type.
    pub fields: HashMap<Name, Vec<FieldInGraph>>,
    /// `(graph, interface)` from `@join__implements`.
    pub implements: Vec<(GraphId, Name)>,
    /// `(graph, member)` from `@join__unionMember`.
    pub union_members: Vec<(GraphId, Name)>,
}

#[derive(Debug)]
pub struct TypeInGraph {
    pub graph: GraphId,
    pub keys: Vec<Key>,
    pub is_interface_object: bool,
}

#[derive(Debug)]
pub struct Key {
    pub fields: SelectionSet,
    pub resolvable: bool,
}

#[derive(Debug)]
pub struct FieldInGraph {
    pub graph: GraphId,
    pub requires: Option<SelectionSet>,
    pub provides: Option<SelectionSet>,
    pub external: bool,
    /// Overridden by another subgraph (`@override`) but still used for keys.
    pub used_overridden: bool,
}

/// The `@tag` name that marks a field readable by anonymous callers.
pub const PUBLIC_TAG: &str = "public";

impl Supergraph {
    pub fn parse(sdl: &str) -> Result<Self, SupergraphError> {
        load::load(sdl)
    }

    /// Whether anonymous callers may select `type_name.field_name`: the field
    /// carries `@tag(name: "public")`. Type-level tags do not count here, because
    /// other subgraphs may add private fields to a public type; the composer copies
    /// a subgraph's type-level tag onto the fields that subgraph resolves.
    pub fn is_public(&self, type_name: &str, field_name: &str) -> bool {
        self.schema
            .type_field(type_name, field_name)
            .is_ok_and(|field| {
                field
                    .directives
                    .get_all("tag")
                    .any(|tag| is_public_tag(tag))
            })
    }

    pub fn subgraph(&self, graph: GraphId) -> &Subgraph {
        &self.subgraphs[graph]
    }

    pub fn type_join(&self, type_name: &str) -> Option<&TypeJoin> {
        self.types.get(type_name)
    }

    /// Whether `graph` defines `type_name` at all.
    pub fn type_in_graph(&self, type_name: &str, graph: GraphId) -> Option<&TypeInGraph> {
        self.types
            .get(type_name)?
            .graphs
            .iter()
            .find(|entry| entry.graph == graph)
    }

    /// The graphs that resolve `type_name.field` themselves (not external, not
    /// overridden), in subgraph order.
    pub fn field_owners(&self, type_name: &str, field: &str) -> Vec<GraphId> {
        let Some(join) = self.types.get(type_name) else {
            return Vec::new();
        };
        match join.fields.get(field) {
            Some(entries) => entries
                .iter()
                .filter(|entry| !entry.external && !entry.used_overridden)
                .map(|entry| entry.graph)
                .collect(),
            None => join.graphs.iter().map(|entry| entry.graph).collect(),
        }
    }

    pub fn field_in_graph(
        &self,
        type_name: &str,
        field: &str,
        graph: GraphId,
    ) -> Option<&FieldInGraph> {
        self.types
            .get(type_name)?
            .fields
            .get(field)?
            .iter()
            .find(|entry| entry.graph == graph)
    }

    /// Whether `graph` resolves `type_name.field` itself.
    pub fn resolves_field(&self, type_name: &str, field: &str, graph: GraphId) -> bool {
        if field.starts_with("__") {
            return true;
        }
        self.field_owners(type_name, field).contains(&graph)
    }

    /// The object types a value of `type_name` may have in the supergraph.
    pub fn possible_types(&self, type_name: &str) -> Vec<Name> {
        use apollo_compiler::schema::ExtendedType;
        match self.schema.types.get(type_name) {
            Some(ExtendedType::Object(object)) => vec![object.name.clone()],
            Some(ExtendedType::Union(union)) => union
                .members
                .iter()
                .map(|member| member.name.clone())
                .collect(),
            Some(ExtendedType::Interface(_)) => {
                let mut names: Vec<Name> = self
                    .schema
                    .types
                    .values()
                    .filter_map(|ty| match ty {
                        ExtendedType::Object(object)
                            if object
                                .implements_interfaces
                                .iter()
                                .any(|i| i.name == type_name) =>
                        {
                            Some(object.name.clone())
                        }
                        _ => None,
                    })
                    .collect();
                names.sort();
                names
            }
            _ => Vec::new(),
        }
    }

    /// The object types a value of abstract `type_name` may have when `graph`
    /// returns it: members and implementations that graph declares.
    pub fn possible_types_in_graph(&self, type_name: &str, graph: GraphId) -> Vec<Name> {
        let Some(join) = self.types.get(type_name) else {
            return Vec::new();
        };
        let declared_members: Vec<Name> = join
            .union_members
            .iter()
            .filter(|(member_graph, _)| *member_graph == graph)
            .map(|(_, member)| member.clone())
            .collect();
        self.possible_types(type_name)
            .into_iter()
            .filter(|object| self.type_in_graph(object, graph).is_some())
            .filter(|object| {
                if !self.is_union(type_name) {
                    self.implements_in_graph(object, type_name, graph)
                } else if join.union_members.is_empty() {
                    true
                } else {
                    declared_members.contains(object)
                }
            })
            .collect()
    }

    fn implements_in_graph(&self, object: &str, interface: &str, graph: GraphId) -> bool {
        let Some(join) = self.types.get(object) else {
            return false;
        };
        if join.implements.is_empty() {
            return true;
        }
        join.implements
            .iter()
            .any(|(implements_graph, name)| *implements_graph == graph && name == interface)
    }

    fn is_union(&self, type_name: &str) -> bool {
        matches!(
            self.schema.types.get(type_name),
            Some(apollo_compiler::schema::ExtendedType::Union(_))
        )
    }

    /// Whether `graph` knows interface `type_name` only as an `@interfaceObject`.
    pub fn is_interface_object_in(&self, type_name: &str, graph: GraphId) -> bool {
        self.type_in_graph(type_name, graph)
            .is_some_and(|entry| entry.is_interface_object)
    }

    /// For `object_type.field` that no subgraph resolves on the object itself: an
    /// interface of the object that some subgraph resolves it on as an
    /// `@interfaceObject`, with that subgraph.
    pub fn interface_object_owner(
        &self,
        object_type: &str,
        field: &str,
    ) -> Option<(Name, GraphId)> {
        use apollo_compiler::schema::ExtendedType;
        let Some(ExtendedType::Object(object)) = self.schema.types.get(object_type) else {
            return None;
        };
        object.implements_interfaces.iter().find_map(|interface| {
            self.field_owners(&interface.name, field)
                .into_iter()
                .find(|&graph| self.is_interface_object_in(&interface.name, graph))
                .map(|graph| (interface.name.clone(), graph))
        })
    }

    /// Subgraphs that know `interface` as a real interface and resolve it by key.
    pub fn interface_key_graphs(&self, interface: &str) -> Vec<GraphId> {
        let Some(join) = self.types.get(interface) else {
            return Vec::new();
        };
        join.graphs
            .iter()
            .filter(|entry| {
                !entry.is_interface_object && entry.keys.iter().any(|key| key.resolvable)
            })
            .map(|entry| entry.graph)
            .collect()
    }

    pub fn is_abstract(&self, type_name: &str) -> bool {
        use apollo_compiler::schema::ExtendedType;
        matches!(
            self.schema.types.get(type_name),
            Some(ExtendedType::Interface(_) | ExtendedType::Union(_))
        )
    }
}

fn is_public_tag(tag: &apollo_compiler::ast::Directive) -> bool {
    tag.specified_argument_by_name("name")
        .and_then(|name| name.as_str())
        == Some(PUBLIC_TAG)
}
