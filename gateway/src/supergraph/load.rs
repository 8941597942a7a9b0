//! Reading the join directives of a supergraph SDL into [`TypeJoin`]s.

use std::collections::HashMap;

use apollo_compiler::ast::Value;
use apollo_compiler::executable::FieldSet;
use apollo_compiler::schema::{Directive, ExtendedType};
use apollo_compiler::validation::Valid;
use apollo_compiler::{Name, Node, Schema};

use super::{FieldInGraph, GraphId, Key, Subgraph, Supergraph, TypeInGraph, TypeJoin};

#[derive(Debug, thiserror::Error)]
pub enum SupergraphError {
    #[error("the supergraph SDL does not parse or validate: {0}")]
    Invalid(String),
    #[error("the supergraph does not @link the join spec (https://specs.apollo.dev/join/v0.x)")]
    NoJoinSpec,
    #[error("the supergraph has no `{0}` enum listing its subgraphs")]
    NoGraphEnum(String),
    #[error("subgraph value `{0}` has no @join__graph(name:, url:)")]
    GraphWithoutUrl(String),
    #[error("`{directive}` on `{coordinate}` names unknown subgraph `{graph}`")]
    UnknownGraph {
        directive: String,
        coordinate: String,
        graph: String,
    },
    #[error("field set \"{fields}\" on `{coordinate}` is invalid: {message}")]
    InvalidFieldSet {
        coordinate: String,
        fields: String,
        message: String,
    },
    #[error("the API schema is invalid: {0}")]
    InvalidApiSchema(String),
}

/// The names the supergraph gives the specs it links (`@link(as:)` renames them).
pub(super) struct SpecNames {
    join: String,
    pub(super) inaccessible: String,
    pub(super) link: String,
}

impl SpecNames {
    pub(super) fn join_directive(&self, name: &str) -> String {
        format!("{}__{name}", self.join)
    }

    pub(super) fn is_spec_element(&self, name: &str) -> bool {
        name.starts_with(&format!("{}__", self.join))
            || name.starts_with(&format!("{}__", self.link))
    }

    pub(super) fn is_spec_directive(&self, name: &str) -> bool {
        self.is_spec_element(name) || name == self.link || name == self.inaccessible
    }
}

pub(super) fn spec_names(schema: &Schema) -> Result<SpecNames, SupergraphError> {
    let mut names = SpecNames {
        join: String::new(),
        inaccessible: "inaccessible".into(),
        link: "link".into(),
    };
    for link in schema.schema_definition.directives.iter() {
        let Some(url) = string_argument(link, "url") else {
            continue;
        };
        let spec = url
            .trim_end_matches('/')
            .rsplit('/')
            .nth(1)
            .unwrap_or_default();
        let alias = string_argument(link, "as");
        match spec {
            "join" => names.join = alias.unwrap_or("join").to_string(),
            "inaccessible" => names.inaccessible = alias.unwrap_or("inaccessible").to_string(),
            "link" => names.link = alias.unwrap_or("link").to_string(),
            _ => {}
        }
    }
    if names.join.is_empty() {
        return Err(SupergraphError::NoJoinSpec);
    }
    Ok(names)
}

pub(super) fn load(sdl: &str) -> Result<Supergraph, SupergraphError> {
    let schema = Schema::parse_and_validate(sdl, "supergraph.graphql")
        .map_err(|invalid| SupergraphError::Invalid(invalid.errors.to_string()))?;
    let names = spec_names(&schema)?;
    let (subgraphs, graph_ids) = read_graphs(&schema, &names)?;
    let reader = JoinReader {
        schema: &schema,
        names: &names,
        graph_ids: &graph_ids,
    };
    let mut types = HashMap::new();
    for (type_name, ty) in &schema.types {
        if ty.is_built_in() || names.is_spec_element(type_name) {
            continue;
        }
        types.insert(type_name.clone(), reader.type_join(ty)?);
    }
    let api_schema = super::api_schema::api_schema(&schema, &names)?;
    Ok(Supergraph {
        schema,
        api_schema,
        subgraphs,
        types,
    })
}

fn read_graphs(
    schema: &Schema,
    names: &SpecNames,
) -> Result<(Vec<Subgraph>, HashMap<String, GraphId>), SupergraphError> {
    let enum_name = format!("{}__Graph", names.join);
    let Some(ExtendedType::Enum(graph_enum)) = schema.types.get(enum_name.as_str()) else {
        return Err(SupergraphError::NoGraphEnum(enum_name));
    };
    let graph_directive = names.join_directive("graph");
    let mut subgraphs = Vec::new();
    let mut ids = HashMap::new();
    for (value_name, value) in &graph_enum.values {
        let directive = value
            .directives
            .get(&graph_directive)
            .ok_or_else(|| SupergraphError::GraphWithoutUrl(value_name.to_string()))?;
        let name = string_argument(directive, "name").unwrap_or(value_name.as_str());
        let url = string_argument(directive, "url").unwrap_or_default();
        ids.insert(value_name.to_string(), subgraphs.len());
        subgraphs.push(Subgraph {
            name: name.to_string(),
            url: url.to_string(),
        });
    }
    Ok((subgraphs, ids))
}

struct JoinReader<'a> {
    schema: &'a Valid<Schema>,
    names: &'a SpecNames,
    graph_ids: &'a HashMap<String, GraphId>,
}

impl JoinReader<'_> {
    fn type_join(&self, ty: &ExtendedType) -> Result<TypeJoin, SupergraphError> {
        let type_name = ty.name();
        let mut join = TypeJoin::default();
        for directive in ty.directives().get_all(&self.names.join_directive("type")) {
            let graph = self.graph(directive, type_name.as_str())?;
            let keys = match string_argument(directive, "key") {
                Some(fields) => vec![Key {
                    fields: self.field_set(type_name, fields, type_name.as_str())?,
                    resolvable: bool_argument(directive, "resolvable").unwrap_or(true),
                }],
                None => Vec::new(),
            };
            let is_interface_object =
                bool_argument(directive, "isInterfaceObject").unwrap_or(false);
            match join.graphs.iter_mut().find(|entry| entry.graph == graph) {
                Some(entry) => entry.keys.extend(keys),
                None => join.graphs.push(TypeInGraph {
                    graph,
                    keys,
                    is_interface_object,
                }),
            }
        }
        for directive in ty
            .directives()
            .get_all(&self.names.join_directive("implements"))
        {
            let graph = self.graph(directive, type_name.as_str())?;
            if let Some(interface) = string_argument(directive, "interface") {
                join.implements
                    .push((graph, Name::new(interface).map_err(invalid_name)?));
            }
        }
        for directive in ty
            .directives()
            .get_all(&self.names.join_directive("unionMember"))
        {
            let graph = self.graph(directive, type_name.as_str())?;
            if let Some(member) = string_argument(directive, "member") {
                join.union_members
                    .push((graph, Name::new(member).map_err(invalid_name)?));
            }
        }
        self.read_fields(ty, &mut join)?;
        Ok(join)
    }

    fn read_fields(&self, ty: &ExtendedType, join: &mut TypeJoin) -> Result<(), SupergraphError> {
        let fields = match ty {
            ExtendedType::Object(object) => &object.fields,
            ExtendedType::Interface(interface) => &interface.fields,
            _ => return Ok(()),
        };
        let field_directive = self.names.join_directive("field");
        for (field_name, field) in fields {
            let coordinate = format!("{}.{field_name}", ty.name());
            let mut entries = Vec::new();
            for directive in field.directives.get_all(&field_directive) {
                // A join__field without a graph marks a field no subgraph resolves
                // itself (it is still listed so the field has join information).
                if directive.specified_argument_by_name("graph").is_none() {
                    continue;
                }
                entries.push(self.field_in_graph(
                    directive,
                    field.ty.inner_named_type(),
                    &coordinate,
                )?);
            }
            if field.directives.get_all(&field_directive).next().is_some() {
                join.fields.insert(field_name.clone(), entries);
            }
        }
        Ok(())
    }

    fn field_in_graph(
        &self,
        directive: &Node<Directive>,
        field_type: &Name,
        coordinate: &str,
    ) -> Result<FieldInGraph, SupergraphError> {
        let graph = self.graph(directive, coordinate)?;
        let parent = coordinate.split('.').next().unwrap_or_default();
        let parent = Name::new(parent).map_err(invalid_name)?;
        let requires = string_argument(directive, "requires")
            .map(|fields| self.field_set(&parent, fields, coordinate))
            .transpose()?;
        let provides = string_argument(directive, "provides")
            .map(|fields| self.field_set(field_type, fields, coordinate))
            .transpose()?;
        Ok(FieldInGraph {
            graph,
            requires,
            provides,
            external: bool_argument(directive, "external").unwrap_or(false),
            used_overridden: bool_argument(directive, "usedOverridden").unwrap_or(false),
        })
    }

    fn graph(&self, directive: &Directive, coordinate: &str) -> Result<GraphId, SupergraphError> {
        let value = directive
            .specified_argument_by_name("graph")
            .map(|value| value.as_ref());
        let graph = match value {
            Some(Value::Enum(name)) => name.as_str(),
            _ => "",
        };
        self.graph_ids
            .get(graph)
            .copied()
            .ok_or_else(|| SupergraphError::UnknownGraph {
                directive: directive.name.to_string(),
                coordinate: coordinate.to_string(),
                graph: graph.to_string(),
            })
    }

    fn field_set(
        &self,
        type_name: &Name,
        fields: &str,
        coordinate: &str,
    ) -> Result<apollo_compiler::executable::SelectionSet, SupergraphError> {
        FieldSet::parse_and_validate(self.schema, type_name.clone(), fields, "field_set.graphql")
            .map(|set| set.into_inner().selection_set)
            .map_err(|invalid| SupergraphError::InvalidFieldSet {
                coordinate: coordinate.to_string(),
                fields: fields.to_string(),
                message: invalid.errors.to_string(),
            })
    }
}

fn invalid_name(error: apollo_compiler::InvalidNameError) -> SupergraphError {
    SupergraphError::Invalid(error.to_string())
}

pub(super) fn string_argument<'a>(directive: &'a Directive, name: &str) -> Option<&'a str> {
    match directive.specified_argument_by_name(name)?.as_ref() {
        Value::String(value) => Some(value.as_str()),
        _ => None,
    }
}

fn bool_argument(directive: &Directive, name: &str) -> Option<bool> {
    match directive.specified_argument_by_name(name)?.as_ref() {
        Value::Boolean(value) => Some(*value),
        _ => None,
    }
}
