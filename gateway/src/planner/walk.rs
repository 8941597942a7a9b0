//! Walks an operation and fills fetch groups. Each group is one request to one
//! subgraph; a field the current subgraph cannot resolve moves to another group
//! through an entity key (an `_entities` fetch), whose representation fields
//! (key and `@requires`) are planned where the jump starts.

use std::collections::BTreeSet;

use apollo_compiler::ast::DirectiveList;
use apollo_compiler::executable::{ExecutableDocument, Field, Operation, Selection, SelectionSet};
use apollo_compiler::{Name, Node};

use super::PlanError;
use super::plan::{PathElement, Selection as RepSelection, TypenameRewrite};
use super::tree::{SelectionTree, TreeField};
use crate::supergraph::{GraphId, Supergraph};

/// One subgraph request in the making.
#[derive(Debug)]
pub(crate) struct Group {
    pub(crate) graph: GraphId,
    pub(crate) parent: Option<usize>,
    /// Where entity results merge (empty for root fetches).
    pub(crate) merge_path: Vec<PathElement>,
    pub(crate) is_entity: bool,
    /// Entity groups: the representation selection.
    pub(crate) requires: Vec<RepSelection>,
    pub(crate) tree: SelectionTree,
    /// Groups whose data must be merged before this one runs.
    pub(crate) depends_on: BTreeSet<usize>,
    /// The root group this one descends from (mutations run root by root).
    pub(crate) root: usize,
    /// Boolean variables (and the value each must have) for this fetch to be
    /// needed at all: it sits under `@skip`/`@include` with those variables.
    pub(crate) conditions: Conditions,
    /// Representation `__typename`s renamed for an `@interfaceObject` subgraph.
    pub(crate) input_rewrites: Vec<TypenameRewrite>,
}

/// `(variable, value it must have)` pairs from `@include(if: $v)` / `@skip(if: $v)`.
pub(crate) type Conditions = Vec<(Name, bool)>;

/// Where the walk stands: which group, where in its selection tree, at which
/// response path, and which fields the subgraph was told it `@provides` here.
#[derive(Debug, Clone)]
struct Position {
    group: usize,
    tree_path: Vec<usize>,
    response_path: Vec<PathElement>,
    provided: Option<SelectionSet>,
    conditions: Conditions,
    /// Planning a key or required fields rather than the client's selections.
    internal: bool,
}

type Touched = BTreeSet<usize>;

pub(crate) fn walk_operation(
    supergraph: &Supergraph,
    document: &ExecutableDocument,
    operation: &Operation,
) -> Result<Vec<Group>, PlanError> {
    let mut walker = Walker {
        supergraph,
        document,
        groups: Vec::new(),
        is_mutation: operation.operation_type.is_mutation(),
    };
    let root_type = operation.object_type().clone();
    walker.walk_root(
        &root_type,
        &operation.selection_set,
        &DirectiveList::default(),
    )?;
    for group in &mut walker.groups {
        group.tree.prune();
    }
    Ok(walker.groups)
}

struct Walker<'a> {
    supergraph: &'a Supergraph,
    document: &'a ExecutableDocument,
    groups: Vec<Group>,
    is_mutation: bool,
}

impl Walker<'_> {
    fn walk_root(
        &mut self,
        root_type: &Name,
        selection_set: &SelectionSet,
        wrapper: &DirectiveList,
    ) -> Result<(), PlanError> {
        for selection in &selection_set.selections {
            match selection {
                Selection::Field(field) => self.walk_root_field(root_type, field, wrapper)?,
                Selection::InlineFragment(fragment) => {
                    let wrapper = combine(wrapper, &fragment.directives);
                    self.walk_root(root_type, &fragment.selection_set, &wrapper)?;
                }
                Selection::FragmentSpread(spread) => {
                    let fragment = Self::fragment(self.document, &spread.fragment_name)?;
                    let wrapper = combine(wrapper, &spread.directives);
                    self.walk_root(root_type, &fragment.selection_set, &wrapper)?;
                }
            }
        }
        Ok(())
    }

    fn walk_root_field(
        &mut self,
        root_type: &Name,
        field: &Node<Field>,
        wrapper: &DirectiveList,
    ) -> Result<(), PlanError> {
        // Introspection and the root `__typename` are answered by the gateway.
        if field.name.starts_with("__") || is_statically_skipped(&field.directives) {
            return Ok(());
        }
        let owners = self.supergraph.field_owners(root_type, &field.name);
        if owners.is_empty() {
            return Err(unresolvable(root_type, &field.name));
        }
        let group = self.root_group(root_type, &owners, field);
        let mut position = Position {
            group,
            tree_path: Vec::new(),
            response_path: Vec::new(),
            provided: None,
            conditions: Conditions::new(),
            internal: false,
        };
        if !wrapper.is_empty() {
            let index = self.groups[group]
                .tree
                .add_fragment(None, forwarded(wrapper));
            position.tree_path.push(index);
        }
        self.add_field_here(&position, root_type, field, None)?;
        Ok(())
    }

    /// Queries share one root group per subgraph; mutation fields keep their
    /// order, so only consecutive fields of one subgraph share a group.
    fn root_group(&mut self, root_type: &Name, owners: &[GraphId], field: &Field) -> usize {
        let reusable = if self.is_mutation {
            self.groups
                .iter()
                .rposition(|group| group.parent.is_none())
                .filter(|&last| owners.contains(&self.groups[last].graph))
                .filter(|&last| self.groups.len() == last + 1 || self.no_children_after(last))
        } else {
            self.groups
                .iter()
                .position(|group| group.parent.is_none() && owners.contains(&group.graph))
        };
        if let Some(group) = reusable {
            return group;
        }
        let graph = self.best_graph(root_type, owners, &field.selection_set);
        self.new_group(graph, None, Vec::new(), false)
    }

    fn no_children_after(&self, root: usize) -> bool {
        self.groups[root + 1..]
            .iter()
            .all(|group| group.root == root)
    }

    fn new_group(
        &mut self,
        graph: GraphId,
        parent: Option<usize>,
        merge_path: Vec<PathElement>,
        is_entity: bool,
    ) -> usize {
        let index = self.groups.len();
        let root = parent.map_or(index, |parent| self.groups[parent].root);
        self.groups.push(Group {
            graph,
            parent,
            merge_path,
            is_entity,
            requires: Vec::new(),
            tree: SelectionTree::default(),
            depends_on: BTreeSet::new(),
            root,
            conditions: Conditions::new(),
            input_rewrites: Vec::new(),
        });
        index
    }

    fn fragment<'d>(
        document: &'d ExecutableDocument,
        name: &Name,
    ) -> Result<&'d Node<apollo_compiler::executable::Fragment>, PlanError> {
        document
            .fragments
            .get(name)
            .ok_or_else(|| PlanError::UnknownFragment(name.to_string()))
    }

    /// Plans `selection_set` on `type_name` at `position`.
    fn walk_selection_set(
        &mut self,
        position: &Position,
        type_name: &Name,
        selection_set: &SelectionSet,
    ) -> Result<Touched, PlanError> {
        if self.supergraph.is_abstract(type_name) {
            return self.walk_abstract(position, type_name, selection_set);
        }
        let mut touched = Touched::new();
        for selection in &selection_set.selections {
            let (type_condition, directives, inner) = match selection {
                Selection::Field(field) => {
                    touched.extend(self.walk_field(position, type_name, field)?);
                    continue;
                }
                Selection::InlineFragment(fragment) => (
                    fragment.type_condition.as_ref(),
                    &fragment.directives,
                    &fragment.selection_set,
                ),
                Selection::FragmentSpread(spread) => {
                    let fragment = Self::fragment(self.document, &spread.fragment_name)?;
                    (
                        Some(fragment.type_condition()),
                        &spread.directives,
                        &fragment.selection_set,
                    )
                }
            };
            if !self.applies(type_condition, type_name) || is_statically_skipped(directives) {
                continue;
            }
            let inner_position = self.wrap(position, directives);
            touched.extend(self.walk_selection_set(&inner_position, type_name, inner)?);
        }
        Ok(touched)
    }

    /// Whether a fragment with `type_condition` applies to objects of `object_type`.
    fn applies(&self, type_condition: Option<&Name>, object_type: &Name) -> bool {
        match type_condition {
            None => true,
            Some(condition) if condition == object_type => true,
            Some(condition) => self
                .supergraph
                .possible_types(condition)
                .contains(object_type),
        }
    }

    /// Inside a fragment with `@skip`/`@include`, selections go under a
    /// type-less fragment carrying them, so the subgraph applies them too.
    fn wrap(&mut self, position: &Position, directives: &DirectiveList) -> Position {
        let kept = forwarded(directives);
        if kept.is_empty() {
            return position.clone();
        }
        let tree = self.groups[position.group].tree.at_mut(&position.tree_path);
        let index = tree.add_fragment(None, kept);
        let mut inner = position.clone();
        inner.tree_path.push(index);
        add_conditions(&mut inner.conditions, directives);
        inner
    }

    /// An abstract type is planned once per object type the current subgraph
    /// may return, so each object's fields can jump on their own.
    fn walk_abstract(
        &mut self,
        position: &Position,
        abstract_type: &Name,
        selection_set: &SelectionSet,
    ) -> Result<Touched, PlanError> {
        let graph = self.groups[position.group].graph;
        if self.supergraph.is_interface_object_in(abstract_type, graph) {
            return self.walk_interface_object(position, abstract_type, selection_set);
        }
        let tree = self.groups[position.group].tree.at_mut(&position.tree_path);
        tree.add_leaf(typename());
        let mut touched = Touched::from([position.group]);
        for object in self
            .supergraph
            .possible_types_in_graph(abstract_type, graph)
        {
            let tree = self.groups[position.group].tree.at_mut(&position.tree_path);
            let index = tree.add_fragment(Some(object.clone()), DirectiveList::default());
            let mut inner = position.clone();
            inner.tree_path.push(index);
            touched.extend(self.walk_selection_set(&inner, &object, selection_set)?);
        }
        Ok(touched)
    }

    /// A subgraph that knows an interface only as an `@interfaceObject` returns
    /// objects typed as the interface: fields it resolves are fetched here, and
    /// a subgraph owning the real interface tells each object's concrete type
    /// and resolves the rest.
    fn walk_interface_object(
        &mut self,
        position: &Position,
        interface: &Name,
        selection_set: &SelectionSet,
    ) -> Result<Touched, PlanError> {
        let graph = self.groups[position.group].graph;
        let tree = self.groups[position.group].tree.at_mut(&position.tree_path);
        tree.add_leaf(typename());
        let mut touched = Touched::from([position.group]);
        let mut remainder = SelectionSet::new(interface.clone());
        for selection in &selection_set.selections {
            match selection {
                Selection::Field(field)
                    if field.name != "__typename"
                        && self
                            .supergraph
                            .resolves_field(interface, &field.name, graph) =>
                {
                    touched.extend(self.walk_field(position, interface, field)?);
                }
                other => remainder.push(other.clone()),
            }
        }
        let Some(&owner) = self.supergraph.interface_key_graphs(interface).first() else {
            return Err(PlanError::NoUsableKey {
                coordinate: format!("{interface}.__typename"),
                subgraph: self.supergraph.subgraph(graph).name.clone(),
                type_name: interface.to_string(),
            });
        };
        let (jumped, more) = self.jump(position, interface, interface, &typename(), owner)?;
        touched.extend(more);
        touched.extend(self.walk_abstract(&jumped, interface, &remainder)?);
        Ok(touched)
    }

    fn walk_field(
        &mut self,
        position: &Position,
        parent_type: &Name,
        field: &Node<Field>,
    ) -> Result<Touched, PlanError> {
        if is_statically_skipped(&field.directives) {
            return Ok(Touched::new());
        }
        let graph = self.groups[position.group].graph;
        if field.name == "__typename" {
            let tree = self.groups[position.group].tree.at_mut(&position.tree_path);
            tree.add_field(tree_field(field, position.internal));
            return Ok(Touched::from([position.group]));
        }
        let provided = provided_field(
            self.supergraph,
            position.provided.as_ref(),
            parent_type,
            &field.name,
        );
        let requires_here = self
            .supergraph
            .field_in_graph(parent_type, &field.name, graph)
            .is_some_and(|entry| entry.requires.is_some());
        if provided.is_some()
            || (self
                .supergraph
                .resolves_field(parent_type, &field.name, graph)
                && !requires_here)
        {
            return self.add_field_here(position, parent_type, field, provided);
        }
        let mut conditioned = position.clone();
        add_conditions(&mut conditioned.conditions, &field.directives);
        if self
            .supergraph
            .field_owners(parent_type, &field.name)
            .is_empty()
            && let Some((interface, target)) = self
                .supergraph
                .interface_object_owner(parent_type, &field.name)
        {
            let (jumped, mut touched) =
                self.jump(&conditioned, parent_type, &interface, &field.name, target)?;
            touched.extend(self.add_field_here(&jumped, &interface, field, None)?);
            return Ok(touched);
        }
        let target = self.choose_target(position, parent_type, field)?;
        let (jumped, mut touched) =
            self.jump(&conditioned, parent_type, parent_type, &field.name, target)?;
        touched.extend(self.add_field_here(&jumped, parent_type, field, None)?);
        Ok(touched)
    }

    /// Adds `field` to the current group and plans its selections there.
    fn add_field_here(
        &mut self,
        position: &Position,
        parent_type: &Name,
        field: &Node<Field>,
        provided: Option<SelectionSet>,
    ) -> Result<Touched, PlanError> {
        let group = position.group;
        let graph = self.groups[group].graph;
        let tree = self.groups[group].tree.at_mut(&position.tree_path);
        let index = tree.add_field(tree_field(field, position.internal));
        let mut touched = Touched::from([group]);
        if field.selection_set.selections.is_empty() {
            return Ok(touched);
        }
        let provided = provided.or_else(|| {
            self.supergraph
                .field_in_graph(parent_type, &field.name, graph)
                .and_then(|entry| entry.provides.clone())
        });
        let mut response_path = position.response_path.clone();
        response_path.push(PathElement::Key(field.response_key().to_string()));
        response_path.extend(std::iter::repeat_n(
            PathElement::List,
            list_depth(field.ty()),
        ));
        let mut tree_path = position.tree_path.clone();
        tree_path.push(index);
        let mut conditions = position.conditions.clone();
        add_conditions(&mut conditions, &field.directives);
        let inner = Position {
            group,
            tree_path,
            response_path,
            provided,
            conditions,
            internal: position.internal,
        };
        let field_type = field.ty().inner_named_type().clone();
        touched.extend(self.walk_selection_set(&inner, &field_type, &field.selection_set)?);
        Ok(touched)
    }

    /// The subgraph to fetch `parent_type.field` from when the current one can't.
    fn choose_target(
        &self,
        position: &Position,
        parent_type: &Name,
        field: &Field,
    ) -> Result<GraphId, PlanError> {
        let graph = self.groups[position.group].graph;
        let owners = self.supergraph.field_owners(parent_type, &field.name);
        if owners.is_empty() {
            return Err(unresolvable(parent_type, &field.name));
        }
        // A field with @requires in the current subgraph is fetched from it again,
        // with the required fields in the representation.
        if owners.contains(&graph) {
            return Ok(graph);
        }
        let reachable: Vec<GraphId> = owners
            .iter()
            .copied()
            .filter(|&owner| self.resolvable_keys(parent_type, owner).next().is_some())
            .collect();
        let already_fetching = reachable.iter().copied().find(|&owner| {
            self.groups.iter().any(|group| {
                group.parent == Some(position.group)
                    && group.graph == owner
                    && group.merge_path == position.response_path
            })
        });
        if let Some(owner) = already_fetching {
            return Ok(owner);
        }
        if reachable.is_empty() {
            return Err(PlanError::NoUsableKey {
                coordinate: format!("{parent_type}.{}", field.name),
                subgraph: self.supergraph.subgraph(owners[0]).name.clone(),
                type_name: parent_type.to_string(),
            });
        }
        Ok(self.best_graph(parent_type, &reachable, &field.selection_set))
    }

    fn resolvable_keys<'s>(
        &'s self,
        type_name: &str,
        graph: GraphId,
    ) -> impl Iterator<Item = &'s SelectionSet> + 's {
        self.supergraph
            .type_in_graph(type_name, graph)
            .into_iter()
            .flat_map(|entry| entry.keys.iter())
            .filter(|key| key.resolvable)
            .map(|key| &key.fields)
    }

    /// Among `candidates`, the subgraph that resolves most of `selection_set`
    /// itself (fewer jumps later); the first one on a tie.
    fn best_graph(
        &self,
        type_name: &Name,
        candidates: &[GraphId],
        selection_set: &SelectionSet,
    ) -> GraphId {
        let field_type = selection_set.ty.clone();
        let _ = type_name;
        let mut best = candidates[0];
        let mut best_score = usize::MIN;
        for &candidate in candidates {
            let score = local_score(self.supergraph, candidate, &field_type, selection_set);
            if score > best_score {
                best = candidate;
                best_score = score;
            }
        }
        best
    }

    /// Moves from `position` to an entity fetch of `type_name` in `target`: plans
    /// the representation (typename, key, requires) at `position`, then finds or
    /// creates the child group. Returns where to continue and the groups the
    /// representation came from.
    /// `source_type` is the type of the objects at `position`; `target_type` the
    /// type the target subgraph knows them as (an interface, for an
    /// `@interfaceObject` subgraph).
    fn jump(
        &mut self,
        position: &Position,
        source_type: &Name,
        target_type: &Name,
        field_name: &Name,
        target: GraphId,
    ) -> Result<(Position, Touched), PlanError> {
        let type_name = source_type;
        let key = self
            .choose_key(position, target_type, field_name, target)?
            .clone();
        let requires = self
            .supergraph
            .field_in_graph(target_type, field_name, target)
            .and_then(|entry| entry.requires.clone());
        let tree = self.groups[position.group].tree.at_mut(&position.tree_path);
        tree.add_leaf(typename());
        let mut touched = Touched::from([position.group]);
        let mut internal = position.clone();
        internal.internal = true;
        touched.extend(self.walk_fields(&internal, type_name, &key)?);
        if let Some(requires) = &requires {
            touched.extend(self.walk_fields(&internal, type_name, requires)?);
        }
        let child = self.child_group(position, target, &touched);
        if source_type != target_type {
            let rewrite = TypenameRewrite {
                from: vec![source_type.to_string()],
                rename_to: target_type.to_string(),
            };
            if !self.groups[child].input_rewrites.contains(&rewrite) {
                self.groups[child].input_rewrites.push(rewrite);
            }
        }
        let mut representation = vec![RepSelection::Field {
            name: "__typename".into(),
            selections: Vec::new(),
        }];
        merge_rep(&mut representation, rep_selections(self.supergraph, &key));
        if let Some(requires) = &requires {
            merge_rep(
                &mut representation,
                rep_selections(self.supergraph, requires),
            );
        }
        merge_rep(
            &mut self.groups[child].requires,
            vec![RepSelection::InlineFragment {
                type_condition: type_name.to_string(),
                possible_types: vec![type_name.to_string()],
                selections: representation,
            }],
        );
        let index = self.groups[child]
            .tree
            .add_fragment(Some(target_type.clone()), DirectiveList::default());
        let jumped = Position {
            group: child,
            tree_path: vec![index],
            response_path: position.response_path.clone(),
            provided: None,
            conditions: position.conditions.clone(),
            internal: position.internal,
        };
        Ok((jumped, touched))
    }

    /// Plans a key or requires field set on `type_name` field by field (also
    /// for an interface the current subgraph knows as an `@interfaceObject`).
    fn walk_fields(
        &mut self,
        position: &Position,
        type_name: &Name,
        field_set: &SelectionSet,
    ) -> Result<Touched, PlanError> {
        let mut touched = Touched::new();
        for selection in &field_set.selections {
            match selection {
                Selection::Field(field) => {
                    touched.extend(self.walk_field(position, type_name, field)?)
                }
                _ => {
                    let single = SelectionSet {
                        ty: type_name.clone(),
                        selections: vec![selection.clone()],
                    };
                    touched.extend(self.walk_selection_set(position, type_name, &single)?);
                }
            }
        }
        Ok(touched)
    }

    /// A resolvable key of `type_name` in `target`, preferring one the current
    /// subgraph can give without another jump.
    fn choose_key(
        &self,
        position: &Position,
        type_name: &Name,
        field_name: &Name,
        target: GraphId,
    ) -> Result<&SelectionSet, PlanError> {
        let graph = self.groups[position.group].graph;
        let mut keys = self.resolvable_keys(type_name, target).peekable();
        let first = keys.peek().copied().ok_or_else(|| PlanError::NoUsableKey {
            coordinate: format!("{type_name}.{field_name}"),
            subgraph: self.supergraph.subgraph(target).name.clone(),
            type_name: type_name.to_string(),
        })?;
        let local = keys.find(|key| {
            is_local(
                self.supergraph,
                graph,
                type_name,
                key,
                position.provided.as_ref(),
            )
        });
        Ok(local.unwrap_or(first))
    }

    fn child_group(&mut self, position: &Position, target: GraphId, depends_on: &Touched) -> usize {
        let existing = self.groups.iter().position(|group| {
            group.parent == Some(position.group)
                && group.graph == target
                && group.merge_path == position.response_path
                && group.depends_on == *depends_on
                && group.conditions == position.conditions
        });
        if let Some(group) = existing {
            return group;
        }
        let group = self.new_group(
            target,
            Some(position.group),
            position.response_path.clone(),
            true,
        );
        self.groups[group].depends_on = depends_on.clone();
        self.groups[group].conditions = position.conditions.clone();
        group
    }
}

fn typename() -> Name {
    Name::new_static_unchecked("__typename")
}

fn unresolvable(type_name: &Name, field: &Name) -> PlanError {
    PlanError::Unresolvable {
        coordinate: format!("{type_name}.{field}"),
    }
}

fn tree_field(field: &Field, internal: bool) -> TreeField {
    TreeField {
        alias: field.alias.clone(),
        name: field.name.clone(),
        arguments: field.arguments.clone(),
        directives: forwarded(&field.directives),
        selections: SelectionTree::default(),
        internal,
    }
}

/// The directives a subgraph should see: `@skip` and `@include` with a variable
/// (literal ones are decided by the planner).
fn forwarded(directives: &DirectiveList) -> DirectiveList {
    let mut kept = DirectiveList::default();
    for directive in directives.iter() {
        let is_condition = directive.name == "skip" || directive.name == "include";
        let on_variable = directive
            .specified_argument_by_name("if")
            .is_some_and(|value| value.as_variable().is_some());
        if is_condition && on_variable {
            kept.push(directive.clone());
        }
    }
    kept
}

fn add_conditions(conditions: &mut Conditions, directives: &DirectiveList) {
    for directive in directives.iter() {
        let expected = match directive.name.as_str() {
            "include" => true,
            "skip" => false,
            _ => continue,
        };
        let variable = directive
            .specified_argument_by_name("if")
            .and_then(|value| value.as_variable().cloned());
        if let Some(variable) = variable {
            let condition = (variable, expected);
            if !conditions.contains(&condition) {
                conditions.push(condition);
            }
        }
    }
}

fn combine(outer: &DirectiveList, inner: &DirectiveList) -> DirectiveList {
    let mut combined = outer.clone();
    for directive in forwarded(inner).iter() {
        combined.push(directive.clone());
    }
    combined
}

/// `@skip(if: true)` or `@include(if: false)` written literally.
fn is_statically_skipped(directives: &DirectiveList) -> bool {
    let literal = |name: &str| {
        directives
            .get(name)
            .and_then(|directive| directive.specified_argument_by_name("if"))
            .and_then(|value| value.to_bool())
    };
    literal("skip") == Some(true) || literal("include") == Some(false)
}

fn list_depth(ty: &apollo_compiler::ast::Type) -> usize {
    use apollo_compiler::ast::Type;
    match ty {
        Type::Named(_) | Type::NonNullNamed(_) => 0,
        Type::List(inner) | Type::NonNullList(inner) => 1 + list_depth(inner),
    }
}

/// The sub-selection `@provides` promises for `parent_type.field`, if any.
fn provided_field(
    supergraph: &Supergraph,
    provided: Option<&SelectionSet>,
    parent_type: &Name,
    field: &Name,
) -> Option<SelectionSet> {
    let provided = provided?;
    for selection in &provided.selections {
        match selection {
            Selection::Field(candidate) if candidate.name == *field => {
                return Some(candidate.selection_set.clone());
            }
            Selection::InlineFragment(fragment) => {
                let applies = fragment.type_condition.as_ref().is_none_or(|condition| {
                    condition == parent_type
                        || supergraph.possible_types(condition).contains(parent_type)
                });
                if applies {
                    let found = provided_field(
                        supergraph,
                        Some(&fragment.selection_set),
                        parent_type,
                        field,
                    );
                    if found.is_some() {
                        return found;
                    }
                }
            }
            _ => {}
        }
    }
    None
}

/// Whether `graph` resolves all of `selection_set` on `type_name` without a jump.
fn is_local(
    supergraph: &Supergraph,
    graph: GraphId,
    type_name: &Name,
    selection_set: &SelectionSet,
    provided: Option<&SelectionSet>,
) -> bool {
    selection_set
        .selections
        .iter()
        .all(|selection| match selection {
            Selection::Field(field) => {
                let sub_provided = provided_field(supergraph, provided, type_name, &field.name);
                let here = sub_provided.is_some()
                    || supergraph.resolves_field(type_name, &field.name, graph);
                here && is_local(
                    supergraph,
                    graph,
                    field.ty().inner_named_type(),
                    &field.selection_set,
                    sub_provided.as_ref(),
                )
            }
            Selection::InlineFragment(fragment) => {
                let inner_type = fragment.type_condition.as_ref().unwrap_or(type_name);
                is_local(
                    supergraph,
                    graph,
                    inner_type,
                    &fragment.selection_set,
                    provided,
                )
            }
            Selection::FragmentSpread(_) => false,
        })
}

/// How many of the top two levels of `selection_set` `graph` resolves itself.
fn local_score(
    supergraph: &Supergraph,
    graph: GraphId,
    type_name: &Name,
    selection_set: &SelectionSet,
) -> usize {
    selection_set
        .fields()
        .filter(|field| supergraph.resolves_field(type_name, &field.name, graph))
        .map(|field| {
            1 + field
                .selection_set
                .fields()
                .filter(|inner| {
                    supergraph.resolves_field(field.ty().inner_named_type(), &inner.name, graph)
                })
                .count()
        })
        .sum()
}

/// A key or requires field set as representation selections.
fn rep_selections(supergraph: &Supergraph, selection_set: &SelectionSet) -> Vec<RepSelection> {
    selection_set
        .selections
        .iter()
        .filter_map(|selection| match selection {
            Selection::Field(field) => Some(RepSelection::Field {
                name: field.name.to_string(),
                selections: rep_selections(supergraph, &field.selection_set),
            }),
            Selection::InlineFragment(fragment) => {
                let condition = fragment.type_condition.clone()?;
                Some(RepSelection::InlineFragment {
                    possible_types: supergraph
                        .possible_types(&condition)
                        .iter()
                        .map(|n| n.to_string())
                        .collect(),
                    type_condition: condition.to_string(),
                    selections: rep_selections(supergraph, &fragment.selection_set),
                })
            }
            Selection::FragmentSpread(_) => None,
        })
        .collect()
}

/// Merges representation selections, joining fields and fragments that repeat.
fn merge_rep(into: &mut Vec<RepSelection>, additions: Vec<RepSelection>) {
    for addition in additions {
        let existing = into
            .iter_mut()
            .find(|present| match (&**present, &addition) {
                (RepSelection::Field { name: a, .. }, RepSelection::Field { name: b, .. }) => {
                    a == b
                }
                (
                    RepSelection::InlineFragment {
                        type_condition: a, ..
                    },
                    RepSelection::InlineFragment {
                        type_condition: b, ..
                    },
                ) => a == b,
                _ => false,
            });
        match (existing, addition) {
            (
                Some(RepSelection::Field { selections, .. }),
                RepSelection::Field {
                    selections: more, ..
                },
            )
            | (
                Some(RepSelection::InlineFragment { selections, .. }),
                RepSelection::InlineFragment {
                    selections: more, ..
                },
            ) => merge_rep(selections, more),
            (_, addition) => into.push(addition),
        }
    }
}
