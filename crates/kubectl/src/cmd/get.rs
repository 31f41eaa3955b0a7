//! `kubectl get`: tables of one or several kinds, by name or selector, once or `--watch`ing.

use super::custom_columns::Columns;
use super::{Ctx, Flow, Waiting};
use crate::args::{self, boolean, value, Args};
use crate::error::KubectlError;
use crate::printers::{
    print_get, GetOptions, OutputFormat, Resources, TableKind, WatchEventType, WatchPrinter,
};
use crate::resource::parse_targets;
use crate::selector::{FieldSelector, Selector};
use crate::Output;
use rollout_sim::clock::Time;
use rollout_sim::cluster::{Cluster, ObjectKey, Written};
use rollout_sim::manifest::encode::{to_value, value_to_json, value_to_yaml};
use rollout_sim::objects::*;
use std::collections::BTreeMap;

const COMMAND: &str = "kubectl get";

const FLAGS: &[args::Flag] = &[
    value("output", Some('o')),
    value("selector", Some('l')),
    boolean("all-namespaces", Some('A')),
    boolean("show-labels", None),
    value("label-columns", Some('L')),
    boolean("watch", Some('w')),
    boolean("watch-only", None),
    boolean("no-headers", None),
    boolean("output-watch-events", None),
    value("field-selector", None),
    value("sort-by", None),
    value("filename", Some('f')),
    value("chunk-size", None),
    boolean("ignore-not-found", None),
    value("subresource", None),
];

/// What was asked for, kept for `--watch` re-listing.
#[derive(Clone, Debug)]
pub struct Query {
    targets: Vec<(Kind, Option<String>)>,
    namespace: Option<String>,
    selector: Selector,
    fields: FieldSelector,
}

pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    let args = args::parse(COMMAND, argv, FLAGS)?;
    if args.positional.is_empty() {
        return Err(KubectlError::Verbatim(
            "You must specify the type of resource to get. Use \"kubectl api-resources\" for a complete list of supported resources.\n\nerror: Required resource not specified.\nUse \"kubectl explain <resource>\" for a detailed description of that resource (e.g. kubectl explain pods).\nSee 'kubectl get -h' for help and examples".to_string(),
        ));
    }
    let options = options(&args)?;
    let fields = FieldSelector::parse(args.value("field-selector").unwrap_or(""))?;
    let query = Query {
        targets: parse_targets(&args.positional, ctx.cluster)?,
        namespace: (!options.all_namespaces).then(|| args.namespace().to_string()),
        selector: Selector::parse(args.value("selector").unwrap_or(""))?,
        fields,
    };
    let subresource = super::subresource::parse(args.value("subresource"))?;
    if subresource.is_some()
        && (query.targets.iter().any(|(_, name)| name.is_none())
            || args.value("selector").is_some()
            || args.value("field-selector").is_some())
    {
        return Err(super::subresource::bulk());
    }
    match subresource {
        Some(super::subresource::Subresource::Scale) => return get_scale(ctx, &args, &query),
        // The status subresource is the whole object, printed as it is.
        Some(super::subresource::Subresource::Status)
            if !query
                .targets
                .iter()
                .all(|(kind, _)| super::subresource::has_status(*kind)) =>
        {
            return Err(super::subresource::not_served())
        }
        _ => {}
    }
    // The API server refuses a list by a field the kind is not selected by.
    for (kind, _) in &query.targets {
        if let Some(message) = query.fields.unsupported_message(*kind) {
            return Err(KubectlError::Verbatim(crate::selector::list_refused(
                *kind,
                args.value("selector").unwrap_or(""),
                args.value("field-selector").unwrap_or(""),
                &message,
            )));
        }
    }
    if args.flag("watch") || args.flag("watch-only") {
        let mut watch = GetWatch::new(
            query,
            options,
            args.flag("output-watch-events"),
            args.flag("watch-only"),
        );
        return match watch.poll(ctx.cluster, ctx.out) {
            Some(result) => result.map(|()| Flow::Done),
            None => Ok(Flow::Wait(Waiting::Get(Box::new(watch)))),
        };
    }
    let format = args.value("output").unwrap_or("");
    let columns = match format.split_once('=') {
        Some(("custom-columns", spec)) => Some(Columns::parse(spec)?),
        Some(("custom-columns-file", file)) => {
            let text = ctx
                .files
                .get(&super::edit::absolute(ctx.cwd, file))
                .ok_or_else(|| {
                    KubectlError::plain(format!(
                        "error reading template {file}, open {file}: no such file or directory"
                    ))
                })?;
            Some(Columns::from_file(text)?)
        }
        None if format == "custom-columns" => Some(Columns::parse("")?),
        _ => None,
    };
    let listing = Listing::collect(ctx.cluster, &query);
    if let Some(columns) = columns {
        let objects = match listing.as_value(&query) {
            serde_json::Value::Object(mut list)
                if list.get("kind").and_then(|k| k.as_str()) == Some("List") =>
            {
                match list.remove("items") {
                    Some(serde_json::Value::Array(items)) => items,
                    _ => Vec::new(),
                }
            }
            one => vec![one],
        };
        if !objects.is_empty() {
            ctx.out
                .stdout
                .push_str(&columns.render(&objects, args.flag("no-headers"))?);
        } else if listing.missing.is_empty() {
            ctx.out
                .stderr
                .push_str(&crate::printers::table::no_resources_message(
                    !options.all_namespaces && query.targets.iter().all(|(k, _)| k.is_namespaced()),
                    &options.namespace,
                ));
        }
        return listing.not_found_error(args.flag("ignore-not-found"));
    }
    if format == "go-template" || format.starts_with("go-template=") {
        let template = format.strip_prefix("go-template=").unwrap_or("");
        let value = listing.as_value(&query);
        ctx.out
            .stdout
            .push_str(&super::more_verbs::more_verbs()?.go_template(template, &value)?);
        return listing.not_found_error(args.flag("ignore-not-found"));
    }
    if let Some((printer, template)) = jsonpath_format(format) {
        if template.is_empty() {
            return Err(KubectlError::plain(
                "template format specified but no template given",
            ));
        }
        let value = listing.as_value(&query);
        let printed = super::more_verbs::more_verbs()?.jsonpath(
            template,
            &value,
            printer == "jsonpath-as-json",
        )?;
        ctx.out.stdout.push_str(&printed);
        return listing.not_found_error(args.flag("ignore-not-found"));
    }
    if let Some(format @ ("yaml" | "json")) = args.value("output") {
        let anything = !(listing.namespaces.is_empty()
            && listing.deployments.is_empty()
            && listing.replica_sets.is_empty()
            && listing.pods.is_empty()
            && listing.services.is_empty()
            && listing.endpoints.is_empty()
            && listing.endpoint_slices.is_empty()
            && listing.ingresses.is_empty()
            && listing.pod_disruption_budgets.is_empty()
            && listing.horizontal_pod_autoscalers.is_empty()
            && listing.rollouts.is_empty()
            && listing.analysis_templates.is_empty()
            && listing.cluster_analysis_templates.is_empty()
            && listing.analysis_runs.is_empty()
            && listing.custom.is_empty());
        if anything || listing.missing.is_empty() {
            ctx.out
                .stdout
                .push_str(&listing.serialized(&query, format == "yaml"));
        }
        return listing.not_found_error(args.flag("ignore-not-found"));
    }
    let printed = print_get(&listing.resources(&query), &options, ctx.cluster.now());
    ctx.out.stdout.push_str(&printed.stdout);
    let missing = listing.missing;
    if !missing.is_empty() && !args.flag("ignore-not-found") {
        let lines: Vec<String> = missing
            .iter()
            .map(|(kind, name)| {
                rollout_sim::api::ApiError::not_found(*kind, name.clone()).to_string()
            })
            .collect();
        return Err(KubectlError::Verbatim(lines.join("\n")));
    }
    if query.targets.iter().all(|(_, name)| name.is_none()) {
        ctx.out.stderr.push_str(&printed.stderr);
    }
    Ok(Flow::Done)
}

/// `--subresource=scale`: each named object's `Scale`, as the API serves it.
fn get_scale(ctx: &mut Ctx<'_>, args: &Args, query: &Query) -> Result<Flow, KubectlError> {
    use super::subresource::{has_scale, not_served, scale_of, scale_table};
    let namespace = query.namespace.as_deref().unwrap_or("default");
    let mut scales = Vec::new();
    let mut missing = Vec::new();
    for (kind, name) in &query.targets {
        let name = name.as_deref().unwrap_or_default();
        if !has_scale(*kind) {
            return Err(not_served());
        }
        match ctx
            .cluster
            .get(*kind, super::edit::scope(*kind, namespace), name)
        {
            Some(object) => scales.push(scale_of(*kind, &to_value(&object))),
            None => missing.push(rollout_sim::api::ApiError::not_found(*kind, name).to_string()),
        }
    }
    let value = match scales.as_slice() {
        [one] => one.clone(),
        many => list_value(many.to_vec()),
    };
    let format = args.value("output").unwrap_or("");
    let printed = match format {
        "yaml" => value_to_yaml(&value),
        "json" => value_to_json(&value),
        "name" => scales
            .iter()
            .map(|s| {
                format!(
                    "scale.autoscaling/{}\n",
                    s["metadata"]["name"].as_str().unwrap_or_default()
                )
            })
            .collect(),
        _ => match jsonpath_format(format) {
            Some((printer, template)) => super::more_verbs::more_verbs()?.jsonpath(
                template,
                &value,
                printer == "jsonpath-as-json",
            )?,
            None => scale_table(&scales, args.flag("no-headers")),
        },
    };
    if !scales.is_empty() {
        ctx.out.stdout.push_str(&printed);
    }
    if missing.is_empty() || args.flag("ignore-not-found") {
        return Ok(Flow::Done);
    }
    Err(KubectlError::Verbatim(missing.join("\n")))
}

/// Several objects as kubectl prints them with `-o yaml|json`: a `v1` `List`.
fn list_value(items: Vec<serde_json::Value>) -> serde_json::Value {
    serde_json::json!({"apiVersion": "v1", "items": items, "kind": "List", "metadata": {"resourceVersion": ""}})
}

/// `-o jsonpath=TEMPLATE` and `-o jsonpath-as-json=TEMPLATE`: the printer and its template
/// (empty when none was given, which kubectl refuses).
fn jsonpath_format(format: &str) -> Option<(&str, &str)> {
    let (printer, template) = format.split_once('=').unwrap_or((format, ""));
    matches!(printer, "jsonpath" | "jsonpath-as-json").then_some((printer, template))
}

fn options(args: &Args) -> Result<GetOptions, KubectlError> {
    let output = match args.value("output") {
        None | Some("") => OutputFormat::Table,
        Some("wide") => OutputFormat::Wide,
        Some("name") => OutputFormat::Name,
        Some("yaml") | Some("json") => OutputFormat::Table,
        Some(jsonpath) if jsonpath_format(jsonpath).is_some() => OutputFormat::Table,
        // Printed by cmd/custom_columns.rs and cmd/go_template.rs.
        Some(printer)
            if ["custom-columns", "custom-columns-file", "go-template"]
                .contains(&printer.split('=').next().unwrap_or("")) =>
        {
            OutputFormat::Table
        }
        Some(other) => {
            return Err(KubectlError::plain(format!(
                "unable to match a printer suitable for the output format \"{other}\", allowed formats are: custom-columns,custom-columns-file,go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,wide,yaml"
            )))
        }
    };
    Ok(GetOptions {
        output,
        show_labels: args.flag("show-labels"),
        label_columns: args
            .values("label-columns")
            .iter()
            .flat_map(|v| v.split(','))
            .filter(|v| !v.is_empty())
            .map(String::from)
            .collect(),
        all_namespaces: args.flag("all-namespaces"),
        no_headers: args.flag("no-headers"),
        namespace: args.namespace().to_string(),
    })
}

/// The objects a query selects, per kind, plus names asked for that do not exist.
#[derive(Default)]
struct Listing {
    pods: Vec<Pod>,
    replica_sets: Vec<ReplicaSet>,
    deployments: Vec<Deployment>,
    services: Vec<Service>,
    endpoints: Vec<Endpoints>,
    endpoint_slices: Vec<EndpointSlice>,
    ingresses: Vec<Ingress>,
    pod_disruption_budgets: Vec<PodDisruptionBudget>,
    horizontal_pod_autoscalers: Vec<HorizontalPodAutoscaler>,
    events: Vec<Event>,
    nodes: Vec<Node>,
    namespaces: Vec<Namespace>,
    rollouts: Vec<Rollout>,
    analysis_templates: Vec<AnalysisTemplate>,
    cluster_analysis_templates: Vec<ClusterAnalysisTemplate>,
    analysis_runs: Vec<AnalysisRun>,
    /// Custom resources kept as JSON (the Gateway API's), every kind asked for.
    custom: Vec<CustomObject>,
    missing: Vec<(Kind, String)>,
}

impl Listing {
    /// The listing as the API returns it: one named object as itself, else a `v1` `List`.
    fn as_value(&self, query: &Query) -> serde_json::Value {
        let objects = self.objects();
        if objects.len() == 1 && query.targets.iter().all(|(_, name)| name.is_some()) {
            return to_value(&objects[0]);
        }
        list_value(objects.iter().map(to_value).collect())
    }

    fn objects(&self) -> Vec<Object> {
        let mut objects: Vec<Object> = Vec::new();
        objects.extend(self.namespaces.iter().cloned().map(Object::Namespace));
        objects.extend(self.deployments.iter().cloned().map(Object::Deployment));
        objects.extend(self.replica_sets.iter().cloned().map(Object::ReplicaSet));
        objects.extend(self.pods.iter().cloned().map(Object::Pod));
        objects.extend(self.services.iter().cloned().map(Object::Service));
        objects.extend(self.endpoints.iter().cloned().map(Object::Endpoints));
        objects.extend(
            self.endpoint_slices
                .iter()
                .cloned()
                .map(Object::EndpointSlice),
        );
        objects.extend(self.ingresses.iter().cloned().map(Object::Ingress));
        objects.extend(
            self.pod_disruption_budgets
                .iter()
                .cloned()
                .map(Object::PodDisruptionBudget),
        );
        objects.extend(
            self.horizontal_pod_autoscalers
                .iter()
                .cloned()
                .map(Object::HorizontalPodAutoscaler),
        );
        objects.extend(
            self.rollouts
                .iter()
                .map(|ro| Object::Rollout(Box::new(ro.clone()))),
        );
        objects.extend(
            self.analysis_templates
                .iter()
                .cloned()
                .map(Object::AnalysisTemplate),
        );
        objects.extend(
            self.cluster_analysis_templates
                .iter()
                .cloned()
                .map(Object::ClusterAnalysisTemplate),
        );
        objects.extend(self.analysis_runs.iter().cloned().map(Object::AnalysisRun));
        objects.extend(
            self.custom
                .iter()
                .map(|o| Object::Custom(Box::new(o.clone()))),
        );
        objects
    }

    /// `-o yaml|json`: one object as itself, several as a `v1` `List`.
    fn serialized(&self, query: &Query, yaml: bool) -> String {
        let value = self.as_value(query);
        if yaml {
            value_to_yaml(&value)
        } else {
            value_to_json(&value)
        }
    }

    fn not_found_error(&self, ignore: bool) -> Result<Flow, KubectlError> {
        if self.missing.is_empty() || ignore {
            return Ok(Flow::Done);
        }
        let lines: Vec<String> = self
            .missing
            .iter()
            .map(|(kind, name)| {
                rollout_sim::api::ApiError::not_found(*kind, name.clone()).to_string()
            })
            .collect();
        Err(KubectlError::Verbatim(lines.join("\n")))
    }

    fn collect(cluster: &Cluster, query: &Query) -> Listing {
        let mut listing = Listing::default();
        let store = cluster.store();
        for (kind, name) in &query.targets {
            let found = match kind {
                Kind::Pod => pick(
                    &mut listing.pods,
                    store.pods.values().map(std::rc::Rc::as_ref),
                    query,
                    name.as_deref(),
                ),
                Kind::ReplicaSet => pick(
                    &mut listing.replica_sets,
                    store.replica_sets.values(),
                    query,
                    name.as_deref(),
                ),
                Kind::Deployment => pick(
                    &mut listing.deployments,
                    store.deployments.values(),
                    query,
                    name.as_deref(),
                ),
                Kind::Service => pick(
                    &mut listing.services,
                    store.services.values(),
                    query,
                    name.as_deref(),
                ),
                Kind::Endpoints => pick(
                    &mut listing.endpoints,
                    store.endpoints.values(),
                    query,
                    name.as_deref(),
                ),
                Kind::EndpointSlice => pick(
                    &mut listing.endpoint_slices,
                    store.endpoint_slices.values(),
                    query,
                    name.as_deref(),
                ),
                Kind::Ingress => pick(
                    &mut listing.ingresses,
                    store.ingresses.values(),
                    query,
                    name.as_deref(),
                ),
                Kind::HorizontalPodAutoscaler => pick(
                    &mut listing.horizontal_pod_autoscalers,
                    store.horizontal_pod_autoscalers.values(),
                    query,
                    name.as_deref(),
                ),
                Kind::PodDisruptionBudget => pick(
                    &mut listing.pod_disruption_budgets,
                    store.pod_disruption_budgets.values(),
                    query,
                    name.as_deref(),
                ),
                Kind::Rollout => pick(
                    &mut listing.rollouts,
                    store.rollouts.values(),
                    query,
                    name.as_deref(),
                ),
                Kind::AnalysisTemplate => pick(
                    &mut listing.analysis_templates,
                    store.analysis_templates.values(),
                    query,
                    name.as_deref(),
                ),
                Kind::ClusterAnalysisTemplate => pick(
                    &mut listing.cluster_analysis_templates,
                    store.cluster_analysis_templates.values(),
                    query,
                    name.as_deref(),
                ),
                Kind::AnalysisRun => pick(
                    &mut listing.analysis_runs,
                    store.analysis_runs.values(),
                    query,
                    name.as_deref(),
                ),
                Kind::Event => {
                    let events = cluster
                        .events()
                        .iter()
                        .map(std::rc::Rc::as_ref)
                        .filter(|e| query.fields.matches(&e.metadata, |l| e.selectable_field(l)));
                    pick(&mut listing.events, events, query, name.as_deref())
                }
                Kind::Node => pick(
                    &mut listing.nodes,
                    store.nodes.values(),
                    query,
                    name.as_deref(),
                ),
                Kind::Namespace => pick(
                    &mut listing.namespaces,
                    store.namespaces.values(),
                    query,
                    name.as_deref(),
                ),
                Kind::GatewayClass | Kind::Gateway | Kind::HTTPRoute | Kind::ReferenceGrant => {
                    pick_custom(&mut listing.custom, store, *kind, query, name.as_deref())
                }
            };
            if let (false, Some(name)) = (found, name) {
                listing.missing.push((*kind, name.clone()));
            }
        }
        listing
    }

    /// One entry per requested kind, in the order asked (duplicates folded).
    fn resources(&self, query: &Query) -> Vec<Resources<'_>> {
        let mut kinds: Vec<Kind> = Vec::new();
        for (kind, _) in &query.targets {
            if !kinds.contains(kind) {
                kinds.push(*kind);
            }
        }
        kinds
            .into_iter()
            .map(|kind| match kind {
                Kind::Pod => Resources::Pods(&self.pods),
                Kind::ReplicaSet => Resources::ReplicaSets(&self.replica_sets),
                Kind::Deployment => Resources::Deployments(&self.deployments),
                Kind::Service => Resources::Services(&self.services),
                Kind::Endpoints => Resources::Endpoints(&self.endpoints),
                Kind::EndpointSlice => Resources::EndpointSlices(&self.endpoint_slices),
                Kind::Ingress => Resources::Ingresses(&self.ingresses),
                Kind::HorizontalPodAutoscaler => {
                    Resources::HorizontalPodAutoscalers(&self.horizontal_pod_autoscalers)
                }
                Kind::PodDisruptionBudget => {
                    Resources::PodDisruptionBudgets(&self.pod_disruption_budgets)
                }
                Kind::Event => Resources::Events(&self.events),
                Kind::Node => Resources::Nodes(&self.nodes),
                Kind::Namespace => Resources::Namespaces(&self.namespaces),
                Kind::Rollout => Resources::Rollouts(&self.rollouts),
                Kind::AnalysisTemplate => Resources::AnalysisTemplates(&self.analysis_templates),
                Kind::ClusterAnalysisTemplate => {
                    Resources::ClusterAnalysisTemplates(&self.cluster_analysis_templates)
                }
                Kind::AnalysisRun => Resources::AnalysisRuns(&self.analysis_runs),
                Kind::GatewayClass | Kind::Gateway | Kind::HTTPRoute | Kind::ReferenceGrant => {
                    Resources::Custom(kind, &self.custom)
                }
            })
            .collect()
    }
}

/// Adds the objects of `all` that the query selects to `into`; false if a named one is absent.
fn pick<'a, T: TableKind + Clone + 'a>(
    into: &mut Vec<T>,
    all: impl Iterator<Item = &'a T>,
    query: &Query,
    name: Option<&str>,
) -> bool {
    let mut found = false;
    for item in all {
        let meta = item.meta();
        let in_namespace = !T::KIND.is_namespaced()
            || query
                .namespace
                .as_deref()
                .is_none_or(|ns| ns == meta.namespace);
        if !in_namespace
            || name.is_some_and(|n| n != meta.name)
            || !query.selector.matches(&meta.labels)
            || !query
                .fields
                .matches(meta, |label| item.selectable_field(label))
        {
            continue;
        }
        found = true;
        if !into.iter().any(|existing: &T| {
            existing.meta().uid == meta.uid && existing.meta().name == meta.name
        }) {
            into.push(item.clone());
        }
    }
    found
}

/// [`pick`] for a custom kind, whose objects share one list.
fn pick_custom(
    into: &mut Vec<CustomObject>,
    store: &rollout_sim::cluster::Store,
    kind: Kind,
    query: &Query,
    name: Option<&str>,
) -> bool {
    let mut found = false;
    for item in store.custom_of(kind) {
        let meta = &item.metadata;
        let in_namespace = !kind.is_namespaced()
            || query
                .namespace
                .as_deref()
                .is_none_or(|ns| ns == meta.namespace);
        if !in_namespace
            || name.is_some_and(|n| n != meta.name)
            || !query.selector.matches(&meta.labels)
            || !query.fields.matches(meta, |_| None)
        {
            continue;
        }
        found = true;
        if !into
            .iter()
            .any(|o| o.kind == kind && o.metadata.uid == meta.uid)
        {
            into.push(item.clone());
        }
    }
    found
}

/// A running `kubectl get --watch`: the first listing, then a row for every change.
#[derive(Clone, Debug)]
pub struct GetWatch {
    query: Query,
    printer: WatchPrinter,
    watch_only: bool,
    started: bool,
    /// What each listed object looked like when last printed, by kind and key.
    seen: BTreeMap<(Kind, ObjectKey), String>,
    /// How far into the cluster's watch log this watch has read.
    cursor: u64,
}

impl GetWatch {
    fn new(query: Query, options: GetOptions, with_events: bool, watch_only: bool) -> GetWatch {
        GetWatch {
            query,
            printer: WatchPrinter::new(options, with_events),
            watch_only,
            started: false,
            seen: BTreeMap::new(),
            cursor: 0,
        }
    }

    /// Prints rows for what changed since the last poll. A watch only ends by Ctrl-C.
    pub fn poll(
        &mut self,
        cluster: &Cluster,
        out: &mut Output,
    ) -> Option<Result<(), KubectlError>> {
        let listing = Listing::collect(cluster, &self.query);
        let now = cluster.now();
        let first = !self.started;
        self.started = true;
        let mut text = String::new();
        // The steps a Deployment or ReplicaSet went through since the last look, each a row
        // as a real watch prints one per write; the listing below then adds everything else.
        let log = cluster.watch_log();
        if !first {
            for written in log.since(self.cursor) {
                let mut steps = Listing::default();
                match written {
                    Written::Deployment(d) => {
                        for (kind, name) in &self.query.targets {
                            if *kind == Kind::Deployment {
                                pick(
                                    &mut steps.deployments,
                                    std::iter::once(&**d),
                                    &self.query,
                                    name.as_deref(),
                                );
                            }
                        }
                    }
                    Written::ReplicaSet(rs) => {
                        for (kind, name) in &self.query.targets {
                            if *kind == Kind::ReplicaSet {
                                pick(
                                    &mut steps.replica_sets,
                                    std::iter::once(&**rs),
                                    &self.query,
                                    name.as_deref(),
                                );
                            }
                        }
                    }
                }
                for d in &steps.deployments {
                    self.step(d, now, &mut text);
                }
                for rs in &steps.replica_sets {
                    self.step(rs, now, &mut text);
                }
            }
        }
        self.cursor = log.cursor();
        let mut current: BTreeMap<(Kind, ObjectKey), String> = BTreeMap::new();
        macro_rules! rows {
            ($items:expr) => {
                for item in $items.iter() {
                    let meta = item.meta();
                    let id = (kind_of(item), ObjectKey::new(&meta.namespace, &meta.name));
                    let state = format!("{item:?}");
                    let event = match self.seen.get(&id) {
                        None => Some(WatchEventType::Added),
                        Some(before) if *before != state => Some(WatchEventType::Modified),
                        Some(_) => None,
                    };
                    if let Some(event) = event {
                        if !(first && self.watch_only) {
                            text.push_str(&self.printer.event(event, item, now));
                        }
                    }
                    current.insert(id, state);
                }
            };
        }
        rows!(listing.pods);
        rows!(listing.replica_sets);
        rows!(listing.deployments);
        rows!(listing.services);
        rows!(listing.endpoints);
        rows!(listing.endpoint_slices);
        rows!(listing.ingresses);
        rows!(listing.pod_disruption_budgets);
        rows!(listing.horizontal_pod_autoscalers);
        rows!(listing.events);
        rows!(listing.nodes);
        rows!(listing.namespaces);
        rows!(listing.rollouts);
        rows!(listing.analysis_templates);
        rows!(listing.cluster_analysis_templates);
        rows!(listing.analysis_runs);
        self.seen = current;
        out.stdout.push_str(&text);
        None
    }
}

impl GetWatch {
    /// A row for one recorded step, unless the object already looked like this.
    fn step<T: TableKind + std::fmt::Debug>(&mut self, item: &T, now: Time, text: &mut String) {
        let meta = item.meta();
        let id = (T::KIND, ObjectKey::new(&meta.namespace, &meta.name));
        let state = format!("{item:?}");
        let event = match self.seen.get(&id) {
            None => WatchEventType::Added,
            Some(before) if *before != state => WatchEventType::Modified,
            Some(_) => return,
        };
        text.push_str(&self.printer.event(event, item, now));
        self.seen.insert(id, state);
    }
}

fn kind_of<T: TableKind>(_: &T) -> Kind {
    T::KIND
}
