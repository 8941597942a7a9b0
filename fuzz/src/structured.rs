//! Structured input for the `structured` target: the fuzz bytes drive choices
//! while walking the supergraph's API schema, so the rendered operation uses
//! real fields, arguments of the right types, declared variables, aliases,
//! `@skip`/`@include`, inline fragments and named fragments, and usually gets
//! past validation to the planner.
//!
//! Aliases are drawn on purpose from names that collide with other fields of the
//! same type and with the planner's reserved `_fg_` prefix.

use std::fmt;

use apollo_compiler::Schema;
use apollo_compiler::ast::{OperationType, Type};
use apollo_compiler::schema::ExtendedType;
use apollo_compiler::validation::Valid;
use arbitrary::{Arbitrary, Result, Unstructured};
use fitgraph_gateway::planner::INTERNAL_ALIAS_PREFIX;

use crate::pipeline;

/// How deep selection sets nest (the gateway allows 32; 6 reaches every type here).
const MAX_DEPTH: usize = 6;
/// How many selections one operation may have in all.
const MAX_SELECTIONS: usize = 40;
/// How deep input object values nest.
const MAX_VALUE_DEPTH: usize = 3;

/// One request: an operation rendered as GraphQL text, and the operation name
/// to send with it. `Debug` prints the text, so `cargo fuzz fmt structured
/// <artifact>` shows the query to put in a regression test.
pub struct Request {
    pub query: String,
    pub operation_name: Option<String>,
    /// Raw request variables (the limits read list sizes from them).
    pub variables: serde_json::Map<String, serde_json::Value>,
}

impl fmt::Debug for Request {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "operation name: {:?}", self.operation_name)?;
        writeln!(
            f,
            "variables: {}",
            serde_json::Value::Object(self.variables.clone())
        )?;
        f.write_str(&self.query)
    }
}

impl<'a> Arbitrary<'a> for Request {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Generator {
            schema: &pipeline::supergraph().api_schema,
            u,
            variables: Vec::new(),
            fragments: Vec::new(),
            budget: MAX_SELECTIONS,
        }
        .request()
    }
}

struct Generator<'s, 'u, 'a> {
    schema: &'s Valid<Schema>,
    u: &'u mut Unstructured<'a>,
    /// `(name, type)` of each variable the operation uses.
    variables: Vec<(String, String)>,
    /// `(name, type condition, rendered definition)`.
    fragments: Vec<(String, String, String)>,
    budget: usize,
}

impl Generator<'_, '_, '_> {
    fn request(mut self) -> Result<Request> {
        let mut kinds = vec![OperationType::Query];
        if self.schema.schema_definition.mutation.is_some() {
            kinds.push(OperationType::Mutation);
        }
        if self.schema.schema_definition.subscription.is_some() {
            kinds.push(OperationType::Subscription);
        }
        let kind = *self.u.choose(&kinds)?;
        let root = self
            .schema
            .root_operation(kind)
            .expect("a root type for each listed kind")
            .to_string();
        let selections = self.selection_set(&root, 0)?;
        let name = match self.u.int_in_range(0u8..=3)? {
            0 => None,
            1 => Some("Op".to_string()),
            2 => Some("Q".to_string()),
            _ => Some("_fg_op".to_string()),
        };
        let mut query = String::new();
        let keyword = match kind {
            OperationType::Query => "query",
            OperationType::Mutation => "mutation",
            OperationType::Subscription => "subscription",
        };
        let shorthand = kind == OperationType::Query && name.is_none() && self.variables.is_empty();
        if !shorthand || self.u.arbitrary()? {
            query.push_str(keyword);
            if let Some(name) = &name {
                query.push(' ');
                query.push_str(name);
            }
            if !self.variables.is_empty() {
                let definitions: Vec<String> = self
                    .variables
                    .iter()
                    .map(|(name, ty)| format!("${name}: {ty}"))
                    .collect();
                query.push('(');
                query.push_str(&definitions.join(", "));
                query.push(')');
            }
            query.push(' ');
        }
        query.push_str(&selections);
        for (_, _, definition) in &self.fragments {
            query.push('\n');
            query.push_str(definition);
        }
        // Usually the name the document has; sometimes none or a wrong one.
        let operation_name = match self.u.int_in_range(0u8..=7)? {
            0 => None,
            1 => Some("Missing".to_string()),
            _ => name,
        };
        let variables = self.variable_values()?;
        Ok(Request {
            query,
            operation_name,
            variables,
        })
    }

    fn selection_set(&mut self, type_name: &str, depth: usize) -> Result<String> {
        let count = self.u.int_in_range(1usize..=4)?;
        let mut items = Vec::new();
        for _ in 0..count {
            if self.budget == 0 {
                break;
            }
            self.budget -= 1;
            let item = match self.u.int_in_range(0u8..=11)? {
                0..=6 => self.field(type_name, depth)?,
                7 => format!("__typename{}", self.directives()?),
                8 | 9 => self.inline_fragment(type_name, depth)?,
                _ => self.spread(type_name, depth)?,
            };
            if let Some(item) = item_or_none(item) {
                items.push(item);
            }
        }
        if items.is_empty() {
            items.push("__typename".to_string());
        }
        Ok(format!("{{ {} }}", items.join(" ")))
    }

    fn field(&mut self, type_name: &str, depth: usize) -> Result<String> {
        let fields: Vec<_> = match self.schema.types.get(type_name) {
            Some(ExtendedType::Object(object)) => object.fields.values().cloned().collect(),
            Some(ExtendedType::Interface(interface)) => {
                interface.fields.values().cloned().collect()
            }
            _ => Vec::new(),
        };
        if fields.is_empty() {
            return Ok("__typename".to_string());
        }
        let field = self.u.choose(&fields)?.clone();
        let mut out = String::new();
        // Choices are made so that exhausted input (all zeroes) picks the plain
        // option: no alias, literal arguments, non-null values.
        if self.u.int_in_range(0u8..=3)? == 3 {
            let alias = match self.u.int_in_range(0u8..=3)? {
                0 => self.u.choose(&fields)?.name.to_string(),
                1 => format!("{INTERNAL_ALIAS_PREFIX}{}", self.u.choose(&fields)?.name),
                2 => "id".to_string(),
                _ => self
                    .u
                    .choose(&["a", "b", "_fg_", "__typename_"])?
                    .to_string(),
            };
            out.push_str(&alias);
            out.push_str(": ");
        }
        out.push_str(&field.name);
        let mut arguments = Vec::new();
        for argument in &field.arguments {
            let required = argument.ty.is_non_null() && argument.default_value.is_none();
            if !required && self.u.int_in_range(0u8..=2)? != 2 {
                continue;
            }
            let value = self.argument_value(&argument.name, &argument.ty)?;
            arguments.push(format!("{}: {value}", argument.name));
        }
        if !arguments.is_empty() {
            out.push('(');
            out.push_str(&arguments.join(", "));
            out.push(')');
        }
        out.push_str(&self.directives()?);
        let inner = field.ty.inner_named_type();
        if self.is_composite(inner) {
            let selections = if depth + 1 >= MAX_DEPTH {
                "{ __typename }".to_string()
            } else {
                self.selection_set(inner, depth + 1)?
            };
            out.push(' ');
            out.push_str(&selections);
        }
        Ok(out)
    }

    fn inline_fragment(&mut self, type_name: &str, depth: usize) -> Result<String> {
        let condition = if self.u.arbitrary()? {
            None
        } else {
            Some(self.type_condition(type_name)?)
        };
        let directives = self.directives()?;
        let inner_type = condition.clone().unwrap_or_else(|| type_name.to_string());
        let selections = self.selection_set(&inner_type, depth + 1)?;
        Ok(match condition {
            Some(condition) => format!("... on {condition}{directives} {selections}"),
            None => format!("...{directives} {selections}"),
        })
    }

    fn spread(&mut self, type_name: &str, depth: usize) -> Result<String> {
        let usable: Vec<String> = self
            .fragments
            .iter()
            .filter(|(_, condition, _)| self.applies(condition, type_name))
            .map(|(name, _, _)| name.clone())
            .collect();
        let name = if !usable.is_empty() && self.u.arbitrary()? {
            self.u.choose(&usable)?.clone()
        } else {
            let condition = self.type_condition(type_name)?;
            let selections = self.selection_set(&condition, depth + 1)?;
            // Registered once its body is done, so no fragment spreads itself.
            let name = format!("F{}", self.fragments.len());
            let definition = format!("fragment {name} on {condition} {selections}");
            self.fragments.push((name.clone(), condition, definition));
            name
        };
        Ok(format!("...{name}{}", self.directives()?))
    }

    /// `type_name` itself, or a type whose fragments may be spread inside it.
    fn type_condition(&mut self, type_name: &str) -> Result<String> {
        let mut candidates = vec![type_name.to_string()];
        for (name, ty) in &self.schema.types {
            if name != type_name
                && !name.starts_with("__")
                && ty.is_output_type()
                && !ty.is_leaf()
                && self.applies(name, type_name)
            {
                candidates.push(name.to_string());
            }
        }
        Ok(self.u.choose(&candidates)?.clone())
    }

    /// Whether a fragment on `condition` can be spread where `type_name` is expected.
    fn applies(&self, condition: &str, type_name: &str) -> bool {
        if condition == type_name {
            return true;
        }
        let possible = |name: &str| -> Vec<String> {
            match self.schema.types.get(name) {
                Some(ExtendedType::Object(_)) => vec![name.to_string()],
                Some(ExtendedType::Union(union_)) => {
                    union_.members.iter().map(|m| m.to_string()).collect()
                }
                Some(ExtendedType::Interface(_)) => self
                    .schema
                    .types
                    .iter()
                    .filter(|(_, ty)| match ty {
                        ExtendedType::Object(object) => object.implements_interfaces.contains(name),
                        _ => false,
                    })
                    .map(|(object, _)| object.to_string())
                    .collect(),
                _ => Vec::new(),
            }
        };
        let inner = possible(type_name);
        possible(condition).iter().any(|ty| inner.contains(ty))
    }

    fn is_composite(&self, type_name: &str) -> bool {
        matches!(
            self.schema.types.get(type_name),
            Some(ExtendedType::Object(_) | ExtendedType::Interface(_) | ExtendedType::Union(_))
        )
    }

    fn directives(&mut self) -> Result<String> {
        let mut out = String::new();
        for _ in 0..self.u.int_in_range(0u8..=5)?.saturating_sub(3) {
            let name = *self.u.choose(&["skip", "include"])?;
            let condition = match self.u.int_in_range(0u8..=3)? {
                0 => "true".to_string(),
                1 => "false".to_string(),
                2 => self.variable("if0", "Boolean!"),
                _ => self.variable("if1", "Boolean"),
            };
            out.push_str(&format!(" @{name}(if: {condition})"));
        }
        Ok(out)
    }

    /// Values for some of the declared variables: integers (list sizes for the
    /// cost limit) from the edges of their range, booleans, and sometimes a
    /// value of the wrong type.
    fn variable_values(&mut self) -> Result<serde_json::Map<String, serde_json::Value>> {
        let mut values = serde_json::Map::new();
        for (name, ty) in self.variables.clone() {
            let value = match self.u.int_in_range(0u8..=5)? {
                0 => continue,
                1 => serde_json::Value::Null,
                2 => serde_json::Value::from("x"),
                _ if ty.starts_with("Int") => {
                    let edges = [
                        0,
                        1,
                        -1,
                        1000,
                        1001,
                        i64::from(i32::MAX) + 1,
                        i64::MAX,
                        i64::MIN,
                    ];
                    match self.u.int_in_range(0u8..=1)? {
                        0 => serde_json::Value::from(*self.u.choose(&edges)?),
                        _ => serde_json::Value::from(self.u.arbitrary::<i64>()?),
                    }
                }
                _ if ty.starts_with("Float") => serde_json::Value::from(1.5),
                _ if ty.starts_with("Boolean") => {
                    serde_json::Value::from(self.u.arbitrary::<bool>()?)
                }
                _ => serde_json::Value::from("1"),
            };
            values.insert(name, value);
        }
        Ok(values)
    }

    /// Uses variable `name` of type `ty`, declaring it on first use.
    fn variable(&mut self, name: &str, ty: &str) -> String {
        if !self.variables.iter().any(|(present, _)| present == name) {
            self.variables.push((name.to_string(), ty.to_string()));
        }
        format!("${name}")
    }

    /// A literal, or a variable named after the argument (so the same field
    /// selected twice with variables still merges).
    fn argument_value(&mut self, argument: &str, ty: &Type) -> Result<String> {
        if self.u.int_in_range(0u8..=3)? != 3 {
            return self.value(ty, 0);
        }
        let ty = ty.to_string();
        let mut name = argument.to_string();
        let mut suffix = 0;
        while self
            .variables
            .iter()
            .any(|(present, present_ty)| *present == name && *present_ty != ty)
        {
            suffix += 1;
            name = format!("{argument}{suffix}");
        }
        Ok(self.variable(&name, &ty))
    }

    fn value(&mut self, ty: &Type, depth: usize) -> Result<String> {
        if !ty.is_non_null() && self.u.int_in_range(0u8..=7)? == 7 {
            return Ok("null".to_string());
        }
        match ty {
            Type::List(inner) | Type::NonNullList(inner) => {
                // A single value coerces to a one-element list.
                let count = self.u.int_in_range(0usize..=2)?;
                if count == 1 && self.u.arbitrary()? {
                    return self.value(inner, depth);
                }
                let mut items = Vec::new();
                for _ in 0..count {
                    items.push(self.value(inner, depth)?);
                }
                Ok(format!("[{}]", items.join(", ")))
            }
            Type::Named(name) | Type::NonNullNamed(name) => self.named_value(name, depth),
        }
    }

    fn named_value(&mut self, name: &str, depth: usize) -> Result<String> {
        Ok(match name {
            "Int" => self.u.int_in_range(-2i32..=1000)?.to_string(),
            "Float" => format!("{:.1}", f64::from(self.u.int_in_range(0u16..=500)?) / 2.0),
            "Boolean" => self.u.arbitrary::<bool>()?.to_string(),
            "ID" if self.u.arbitrary()? => self.u.int_in_range(1u8..=9)?.to_string(),
            _ => match self.schema.types.get(name) {
                Some(ExtendedType::Enum(enum_)) => {
                    let values: Vec<_> = enum_.values.keys().cloned().collect();
                    self.u.choose(&values)?.to_string()
                }
                Some(ExtendedType::InputObject(input)) => {
                    let fields: Vec<_> = input.fields.values().cloned().collect();
                    let mut parts = Vec::new();
                    for field in fields {
                        let required = field.ty.is_non_null() && field.default_value.is_none();
                        if !required && (depth >= MAX_VALUE_DEPTH || self.u.arbitrary()?) {
                            continue;
                        }
                        let value = self.value(&field.ty, depth + 1)?;
                        parts.push(format!("{}: {value}", field.name));
                    }
                    format!("{{ {} }}", parts.join(", "))
                }
                // String, ID, Date, DateTime and other custom scalars.
                _ => {
                    let text = *self.u.choose(&[
                        "1",
                        "x",
                        "2024-01-01",
                        "2024-01-01T00:00:00Z",
                        "a@b.c",
                        "",
                    ])?;
                    format!("\"{text}\"")
                }
            },
        })
    }
}

fn item_or_none(item: String) -> Option<String> {
    (!item.is_empty()).then_some(item)
}
