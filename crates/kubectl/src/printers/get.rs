//! `kubectl get` for one or several kinds at once (`kubectl get deploy,rs,po`).

use super::table::{
    name_lines, no_resources_message, print_tables, render_table, GetOptions, OutputFormat,
    RenderedTable, TableKind,
};
use crate::Output;
use rollout_sim::clock::Time;
use rollout_sim::objects::{
    Deployment, Endpoints, Event, Ingress, Kind, Namespace, Node, Pod, ReplicaSet, Service,
};

/// The objects of one requested kind, already filtered by namespace, name and selector.
#[derive(Debug, Clone, Copy)]
pub enum Resources<'a> {
    Pods(&'a [Pod]),
    ReplicaSets(&'a [ReplicaSet]),
    Deployments(&'a [Deployment]),
    Services(&'a [Service]),
    Endpoints(&'a [Endpoints]),
    Ingresses(&'a [Ingress]),
    Events(&'a [Event]),
    Nodes(&'a [Node]),
    Namespaces(&'a [Namespace]),
}

impl Resources<'_> {
    /// The kind these objects are.
    pub fn kind(&self) -> Kind {
        match self {
            Resources::Pods(_) => Kind::Pod,
            Resources::ReplicaSets(_) => Kind::ReplicaSet,
            Resources::Deployments(_) => Kind::Deployment,
            Resources::Services(_) => Kind::Service,
            Resources::Endpoints(_) => Kind::Endpoints,
            Resources::Ingresses(_) => Kind::Ingress,
            Resources::Events(_) => Kind::Event,
            Resources::Nodes(_) => Kind::Node,
            Resources::Namespaces(_) => Kind::Namespace,
        }
    }

    fn table(&self, options: &GetOptions, with_kind: bool, now: Time) -> RenderedTable {
        fn render<T: TableKind>(
            items: &[T],
            options: &GetOptions,
            with_kind: bool,
            now: Time,
        ) -> RenderedTable {
            render_table(items, options, with_kind, now)
        }
        match *self {
            Resources::Pods(items) => render(items, options, with_kind, now),
            Resources::ReplicaSets(items) => render(items, options, with_kind, now),
            Resources::Deployments(items) => render(items, options, with_kind, now),
            Resources::Services(items) => render(items, options, with_kind, now),
            Resources::Endpoints(items) => render(items, options, with_kind, now),
            Resources::Ingresses(items) => render(items, options, with_kind, now),
            Resources::Events(items) => render(items, options, with_kind, now),
            Resources::Nodes(items) => render(items, options, with_kind, now),
            Resources::Namespaces(items) => render(items, options, with_kind, now),
        }
    }

    fn names(&self) -> String {
        match *self {
            Resources::Pods(items) => name_lines(items),
            Resources::ReplicaSets(items) => name_lines(items),
            Resources::Deployments(items) => name_lines(items),
            Resources::Services(items) => name_lines(items),
            Resources::Endpoints(items) => name_lines(items),
            Resources::Ingresses(items) => name_lines(items),
            Resources::Events(items) => name_lines(items),
            Resources::Nodes(items) => name_lines(items),
            Resources::Namespaces(items) => name_lines(items),
        }
    }
}

/// Prints `kubectl get` for the requested kinds, in the order requested.
///
/// Names get a `kind.group/` prefix when more than one kind was requested (even if only one
/// of them has objects). When nothing matched, stdout is empty and stderr holds
/// `No resources found in <ns> namespace.` (or `No resources found` with `-A` or a
/// cluster-scoped kind). `-o name` prints nothing at all for an empty result, as kubectl.
pub fn print_get(requested: &[Resources<'_>], options: &GetOptions, now: Time) -> Output {
    if options.output == OutputFormat::Name {
        return Output {
            stdout: requested.iter().map(Resources::names).collect(),
            ..Output::default()
        };
    }
    let first_kind = requested.first().map(Resources::kind);
    let with_kind = requested.iter().any(|r| Some(r.kind()) != first_kind);
    let tables: Vec<RenderedTable> = requested
        .iter()
        .map(|r| r.table(options, with_kind, now))
        .collect();
    if tables.is_empty() {
        return Output {
            stderr: no_resources_message(!options.all_namespaces, &options.namespace),
            ..Output::default()
        };
    }
    print_tables(&tables, options)
}
