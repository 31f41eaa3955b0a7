//! `kubectl get` for one or several kinds at once (`kubectl get deploy,rs,po`).

use super::table::{
    name_lines, no_resources_message, print_tables, render_table, AnyTable, GetOptions,
    OutputFormat, RenderedTable, TableKind,
};
use crate::Output;
use rollout_sim::clock::Time;
use rollout_sim::objects::{
    AnalysisRun, AnalysisTemplate, ClusterAnalysisTemplate, CustomObject, Deployment,
    EndpointSlice, Endpoints, Event, HorizontalPodAutoscaler, Ingress, Kind, Namespace, Node, Pod,
    PodDisruptionBudget, ReplicaSet, Rollout, Service,
};

/// The objects of one requested kind, already filtered by namespace, name and selector.
#[derive(Debug, Clone, Copy)]
pub enum Resources<'a> {
    Pods(&'a [Pod]),
    ReplicaSets(&'a [ReplicaSet]),
    Deployments(&'a [Deployment]),
    Services(&'a [Service]),
    Endpoints(&'a [Endpoints]),
    EndpointSlices(&'a [EndpointSlice]),
    Ingresses(&'a [Ingress]),
    PodDisruptionBudgets(&'a [PodDisruptionBudget]),
    HorizontalPodAutoscalers(&'a [HorizontalPodAutoscaler]),
    Events(&'a [Event]),
    Nodes(&'a [Node]),
    Namespaces(&'a [Namespace]),
    Rollouts(&'a [Rollout]),
    AnalysisTemplates(&'a [AnalysisTemplate]),
    ClusterAnalysisTemplates(&'a [ClusterAnalysisTemplate]),
    AnalysisRuns(&'a [AnalysisRun]),
    /// Custom resources kept as JSON: the objects of this kind among them.
    Custom(Kind, &'a [CustomObject]),
}

impl<T: TableKind> AnyTable for &[T] {
    fn kind(&self) -> Kind {
        T::KIND
    }

    fn table(&self, options: &GetOptions, with_kind: bool, now: Time) -> RenderedTable {
        render_table(self, options, with_kind, now)
    }

    fn names(&self) -> String {
        name_lines(self)
    }
}

impl Resources<'_> {
    /// The one place that looks at which kind these are.
    fn items(&self) -> Box<dyn AnyTable + '_> {
        match *self {
            Resources::Pods(items) => Box::new(items),
            Resources::ReplicaSets(items) => Box::new(items),
            Resources::Deployments(items) => Box::new(items),
            Resources::Services(items) => Box::new(items),
            Resources::Endpoints(items) => Box::new(items),
            Resources::EndpointSlices(items) => Box::new(items),
            Resources::Ingresses(items) => Box::new(items),
            Resources::PodDisruptionBudgets(items) => Box::new(items),
            Resources::HorizontalPodAutoscalers(items) => Box::new(items),
            Resources::Events(items) => Box::new(items),
            Resources::Nodes(items) => Box::new(items),
            Resources::Namespaces(items) => Box::new(items),
            Resources::Rollouts(items) => Box::new(items),
            Resources::AnalysisTemplates(items) => Box::new(items),
            Resources::ClusterAnalysisTemplates(items) => Box::new(items),
            Resources::AnalysisRuns(items) => Box::new(items),
            Resources::Custom(kind, items) => {
                Box::new(super::custom::CustomTable::new(kind, items))
            }
        }
    }

    /// The kind these objects are.
    pub fn kind(&self) -> Kind {
        self.items().kind()
    }

    fn table(&self, options: &GetOptions, with_kind: bool, now: Time) -> RenderedTable {
        self.items().table(options, with_kind, now)
    }

    fn names(&self) -> String {
        self.items().names()
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
