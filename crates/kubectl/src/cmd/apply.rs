//! `kubectl apply | create | replace -f` and `kubectl delete`: manifests in, objects out.

use super::documents::{raw_document, raw_documents};
use super::generate::DryRun;
use super::{named_targets, server_side, Ctx, Flow, Waiting};
use crate::args::{self, boolean, value, Args};
use crate::error::KubectlError;
use crate::printers::{deleted_line, success_line};
use crate::selector::Selector;
use crate::Output;
use rollout_sim::api::validation::{validate_create, validate_update};
use rollout_sim::api::Verb;
use rollout_sim::cluster::{ApplyOutcome, Cluster, ObjectKey, Propagation};
use rollout_sim::manifest::encode::to_value;
use rollout_sim::manifest::{
    apply_defaults, decode_object_for, parse_manifests_for, ManifestError,
};
use rollout_sim::objects::{Kind, Object};

pub(super) const LAST_APPLIED: &str = "kubectl.kubernetes.io/last-applied-configuration";

#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Apply,
    Create,
    Replace,
}

impl Mode {
    fn command(self) -> &'static str {
        match self {
            Mode::Apply => "kubectl apply",
            Mode::Create => "kubectl create",
            Mode::Replace => "kubectl replace",
        }
    }
}

const FILE_FLAGS: &[args::Flag] = &[
    value("filename", Some('f')),
    boolean("recursive", Some('R')),
    value("dry-run", None),
    value("output", Some('o')),
    boolean("validate", None),
    boolean("force", None),
    boolean("record", None),
    boolean("save-config", None),
    value("field-manager", None),
    boolean("server-side", None),
    boolean("force-conflicts", None),
];

/// One manifest source: a file's text and the name kubectl shows for it.
pub(super) struct Source {
    pub name: String,
    pub text: String,
    /// A known add-on release fetched by URL (`kubectl apply -f https://…/install.yaml`).
    pub release: Option<crate::releases::Release>,
}

/// Reads every `-f` (a file, a folder of manifests, or `-` for standard input).
pub(super) fn sources(
    ctx: &Ctx<'_>,
    args: &Args,
    command: &str,
) -> Result<Vec<Source>, KubectlError> {
    let names = args.values("filename");
    if names.is_empty() {
        const MESSAGE: &str = "must specify one of -f and -k";
        // `kubectl create` fails in cobra's RunE: "Error: …" and its help, on stderr.
        if command == "kubectl create" {
            let help = crate::help::render(&["create"], ctx.columns).unwrap_or_default();
            return Err(KubectlError::Exit {
                text: format!("Error: {MESSAGE}\n\n{help}"),
                status: 1,
            });
        }
        return Err(KubectlError::plain(MESSAGE));
    }
    let mut sources = Vec::new();
    for name in names {
        if name == "-" {
            sources.push(Source {
                name: "STDIN".into(),
                text: ctx.stdin.unwrap_or_default().to_string(),
                release: None,
            });
            continue;
        }
        if name.starts_with("http://") || name.starts_with("https://") {
            // The lab is offline: only the releases the course installs are known.
            let Some(release) = crate::releases::find(name) else {
                return Err(KubectlError::plain(format!(
                    "unable to read URL \"{name}\", server reported 404 Not Found, status code=404"
                )));
            };
            sources.push(Source {
                name: name.to_string(),
                text: release.manifest.to_string(),
                release: Some(release),
            });
            continue;
        }
        let path = crate::shell::Vfs::resolve(ctx.cwd, name);
        if let Some(text) = ctx.files.get(&path) {
            sources.push(Source {
                name: name.to_string(),
                text: text.clone(),
                release: None,
            });
            continue;
        }
        // A folder: its .yaml, .yml and .json files in name order.
        let prefix = format!("{}/", path.trim_end_matches('/'));
        let inside: Vec<(&String, &String)> = ctx
            .files
            .iter()
            .filter(|(p, _)| {
                p.starts_with(&prefix)
                    && !p[prefix.len()..].contains('/')
                    && [".yaml", ".yml", ".json"]
                        .iter()
                        .any(|ext| p.ends_with(ext))
            })
            .collect();
        if inside.is_empty() {
            return Err(KubectlError::plain(format!(
                "the path \"{name}\" does not exist"
            )));
        }
        for (p, text) in inside {
            let shown = format!("{}/{}", name.trim_end_matches('/'), &p[prefix.len()..]);
            sources.push(Source {
                name: shown,
                text: text.clone(),
                release: None,
            });
        }
    }
    Ok(sources)
}

pub fn run(ctx: &mut Ctx<'_>, argv: &[String], mode: Mode) -> Result<Flow, KubectlError> {
    let args = args::parse(mode.command(), argv, FILE_FLAGS)?;
    let namespace = args.namespace().to_string();
    let server_side = mode == Mode::Apply && args.flag("server-side");
    if args.flag("force-conflicts") && !server_side {
        return Err(KubectlError::plain(
            "--force-conflicts only works with --server-side",
        ));
    }
    if server_side && DryRun::parse(&args)? == DryRun::Client {
        return Err(KubectlError::plain("--dry-run=client doesn't work with --server-side (did you mean --dry-run=server instead?)"));
    }
    let mut failed = false;
    for source in sources(ctx, &args, mode.command())? {
        if let Some(release) = &source.release {
            failed |= !apply_release(ctx, release, &source.name, &namespace, mode, server_side);
            continue;
        }
        let raws = raw_documents(&source.text);
        // An add-on's kind has no REST mapping until its CRDs are installed.
        let cluster = &*ctx.cluster;
        let served = |kind| cluster.serves(kind);
        for parsed in parse_manifests_for(&source.text, &source.name, &served) {
            let mut object = match parsed {
                Ok(object) => object,
                Err(error) => {
                    ctx.eprintln(error.message(Verb::Creating));
                    failed = true;
                    if error.stops_reading() {
                        break;
                    }
                    continue;
                }
            };
            let raw = raw_document(&raws, &object);
            if server_side {
                failed |= !apply_server_side(ctx, &args, object, raw, &namespace);
                continue;
            }
            if mode == Mode::Apply {
                warn_missing_last_applied(ctx, &object, &namespace);
            }
            match write_object(
                ctx.cluster,
                &mut object,
                raw,
                &namespace,
                &source.name,
                mode,
            ) {
                Ok(operation) => {
                    let name = object.metadata().name.clone();
                    ctx.out
                        .stdout
                        .push_str(&success_line(object.kind(), &name, operation));
                }
                Err(message) => {
                    ctx.eprintln(message);
                    failed = true;
                }
            }
        }
    }
    if failed {
        Err(KubectlError::Silent)
    } else {
        Ok(Flow::Done)
    }
}

/// kubectl apply's warning when the live object has no last-applied annotation (made by
/// `kubectl create` without `--save-config`): it is added by this apply.
fn warn_missing_last_applied(ctx: &mut Ctx<'_>, object: &Object, namespace: &str) {
    let kind = object.kind();
    let meta = object.metadata();
    let live_namespace = match (kind.is_namespaced(), meta.namespace.is_empty()) {
        (false, _) => "",
        (true, true) => namespace,
        (true, false) => meta.namespace.as_str(),
    };
    let Some(live) = ctx.cluster.get(kind, live_namespace, &meta.name) else {
        return;
    };
    if live.metadata().annotation(LAST_APPLIED).is_none() {
        ctx.out.stderr.push_str(&format!(
            "Warning: resource {}/{} is missing the {LAST_APPLIED} annotation which is required by kubectl apply. kubectl apply should only be used on resources created declaratively by either kubectl create --save-config or kubectl apply. The missing annotation will be patched automatically.\n",
            kind.resource(),
            meta.name
        ));
    }
}

/// `kubectl apply --server-side` of one object: `serverside-applied`, or the API server's
/// conflict with kubectl's advice. Returns false when it failed.
fn apply_server_side(
    ctx: &mut Ctx<'_>,
    args: &Args,
    object: Object,
    raw: Option<&serde_json::Value>,
    namespace: &str,
) -> bool {
    let kind = object.kind();
    let mut config = raw.cloned().unwrap_or_else(|| to_value(&object));
    if kind.is_namespaced() && config["metadata"]["namespace"].as_str().is_none() {
        config["metadata"]["namespace"] = serde_json::json!(namespace);
    }
    let manager = match args.value("field-manager") {
        Some(manager) if manager != server_side::CLIENT_SIDE_MANAGER => manager,
        _ => server_side::DEFAULT_MANAGER,
    };
    let force = args.flag("force-conflicts");
    // A server dry run applies to a copy of the cluster.
    let dry_run = DryRun::parse(args).is_ok_and(|d| d == DryRun::Server);
    let mut copy = dry_run.then(|| ctx.cluster.clone());
    let cluster = match copy.as_mut() {
        Some(copy) => copy,
        None => &mut *ctx.cluster,
    };
    let applied = super::more_verbs::more_verbs()
        .map_err(server_side::ApplyError::Failed)
        .and_then(|verbs| verbs.server_side_apply(cluster, kind, &config, manager, force));
    match applied {
        Ok(_) => {
            let name = object.metadata().name.clone();
            let operation = if dry_run {
                "serverside-applied (server dry run)"
            } else {
                "serverside-applied"
            };
            ctx.out
                .stdout
                .push_str(&success_line(kind, &name, operation));
            true
        }
        Err(server_side::ApplyError::Conflict(message)) => {
            ctx.eprintln(format!(
                "error: {message}\n{}",
                server_side::CONFLICT_ADVICE
            ));
            false
        }
        Err(server_side::ApplyError::Failed(error)) => {
            ctx.eprintln(error.to_string());
            false
        }
    }
}

/// Applies a known add-on release: kubectl's line for each object in file order, the
/// modelled objects created for real, and the add-on installed once its Deployment exists.
/// Returns false when anything failed.
fn apply_release(
    ctx: &mut Ctx<'_>,
    release: &crate::releases::Release,
    file: &str,
    namespace: &str,
    mode: Mode,
    server_side: bool,
) -> bool {
    let installed = ctx
        .cluster
        .addons()
        .names()
        .any(|name| name == release.addon);
    let namespace_exists = ctx.cluster.store().namespaces.contains_key(namespace);
    let modelled: Vec<Object> =
        parse_manifests_for(release.manifest, file, &|k| ctx.cluster.serves(k))
            .into_iter()
            .filter_map(Result::ok)
            .collect();
    let mut ok = true;
    let mut controller_running = false;
    for (object, scope) in &release.objects {
        let name = object.rsplit('/').next().unwrap_or_default();
        match *scope {
            "modelled" => {
                let Some(mut model) = modelled
                    .iter()
                    .find(|o| {
                        o.metadata().name == name && object.starts_with(&o.kind().qualified_kind())
                    })
                    .cloned()
                else {
                    continue;
                };
                let raws = raw_documents(release.manifest);
                let raw = raw_document(&raws, &model).cloned();
                match write_object(ctx.cluster, &mut model, raw.as_ref(), namespace, file, mode) {
                    Ok(operation) => {
                        controller_running |= model.kind() == Kind::Deployment;
                        let operation = if server_side {
                            "serverside-applied"
                        } else {
                            operation
                        };
                        let line = success_line(model.kind(), name, operation);
                        ctx.out.stdout.push_str(&line);
                    }
                    Err(message) => {
                        ctx.eprintln(message);
                        ok = false;
                    }
                }
            }
            "namespaced" if !namespace_exists => {
                ctx.eprintln(format!(
                    "Error from server (NotFound): error when creating \"{file}\": namespaces \"{namespace}\" not found"
                ));
                ok = false;
            }
            _ => {
                let word = match (server_side, installed) {
                    (true, _) => "serverside-applied",
                    (false, true) => "unchanged",
                    (false, false) => "created",
                };
                ctx.println(format!("{object} {word}"));
            }
        }
    }
    if controller_running {
        crate::releases::install(ctx.cluster, release.addon, namespace);
    }
    ok
}

/// Defaults, validates and stores one object. Returns the word kubectl prints after its name;
/// the error is kubectl's text.
fn write_object(
    cluster: &mut Cluster,
    object: &mut Object,
    raw: Option<&serde_json::Value>,
    namespace: &str,
    file: &str,
    mode: Mode,
) -> Result<&'static str, String> {
    let verb = prepare_object(cluster, object, raw, namespace, file, mode)?;
    let rejected = |error| {
        ManifestError::Rejected {
            file: file.to_string(),
            error,
        }
        .message(verb)
    };
    match mode {
        Mode::Apply => cluster.apply(object.clone()).map(|outcome| match outcome {
            ApplyOutcome::Created => "created",
            ApplyOutcome::Configured => "configured",
            ApplyOutcome::Unchanged => "unchanged",
        }),
        Mode::Create => cluster.create(object.clone()).map(|()| "created"),
        Mode::Replace => cluster.replace(object.clone()).map(|()| "replaced"),
    }
    .map_err(rejected)
}

/// What `kubectl apply` would store for `object` (a server-side dry run, for `kubectl diff`):
/// the live object and the merged one, or kubectl's error text.
pub(super) fn dry_run_apply(
    cluster: &Cluster,
    mut object: Object,
    raw: Option<&serde_json::Value>,
    namespace: &str,
    file: &str,
) -> Result<(Option<Object>, Object), String> {
    let verb = prepare_object(cluster, &mut object, raw, namespace, file, Mode::Apply)?;
    let kind = object.kind();
    let meta = object.metadata();
    let live_namespace = if kind.is_namespaced() {
        meta.namespace.as_str()
    } else {
        ""
    };
    let live = cluster.get(kind, live_namespace, &meta.name);
    let merged = cluster.dry_run_apply(object).map_err(|error| {
        ManifestError::Rejected {
            file: file.to_string(),
            error,
        }
        .message(verb)
    })?;
    Ok((live, merged))
}

/// Everything [`write_object`] does before the write: the namespace, the three-way merge and
/// last-applied annotation of `apply`, defaults, validation. Returns the verb for errors.
fn prepare_object(
    cluster: &Cluster,
    object: &mut Object,
    raw: Option<&serde_json::Value>,
    namespace: &str,
    file: &str,
    mode: Mode,
) -> Result<Verb, String> {
    let kind = object.kind();
    let meta = object.metadata_mut();
    if kind.is_namespaced() && meta.namespace.is_empty() {
        meta.namespace = namespace.to_string();
    }
    let name = meta.name.clone();
    let object_namespace = meta.namespace.clone();
    if kind.is_namespaced() && object_namespace != namespace && namespace != "default" {
        return Err(format!(
            "error: the namespace from the provided object \"{object_namespace}\" does not match the namespace \"{namespace}\". You must pass '--namespace={object_namespace}' to perform this operation."
        ));
    }
    let live_namespace = if kind.is_namespaced() {
        object_namespace.as_str()
    } else {
        ""
    };
    let live = cluster.get(kind, live_namespace, &name);
    if mode == Mode::Apply {
        // What the user applied, as they wrote it, so the next apply knows which fields
        // are theirs.
        let config = last_applied(
            raw.cloned().unwrap_or_else(|| to_value(object)),
            kind,
            &object_namespace,
        );
        // kubectl marshals it with a newline at the end (so `-o yaml` shows a `|` block).
        let compact = format!("{}\n", serde_json::to_string(&config).unwrap_or_default());
        if let Some(live) = &live {
            let last: Option<serde_json::Value> = live
                .metadata()
                .annotation(LAST_APPLIED)
                .and_then(|text| serde_json::from_str(text).ok());
            let mut merged = to_value(live);
            super::three_way::merge(&mut merged, last.as_ref(), &config);
            *object = decode_object_for(merged, file, &|k| cluster.serves(k))
                .map_err(|e| e.message(Verb::Patching))?;
        }
        object
            .metadata_mut()
            .annotations
            .insert(LAST_APPLIED.to_string(), compact);
    }
    apply_defaults(object);
    let live_namespace = if kind.is_namespaced() {
        object_namespace.as_str()
    } else {
        ""
    };
    let live = cluster.get(kind, live_namespace, &name);
    let verb = match (&live, mode) {
        (_, Mode::Create) | (None, Mode::Apply) => Verb::Creating,
        (Some(_), Mode::Apply) => Verb::Patching,
        (_, Mode::Replace) => Verb::Replacing,
    };
    let rejected = |error| {
        ManifestError::Rejected {
            file: file.to_string(),
            error,
        }
        .message(verb)
    };
    match &live {
        Some(live) if mode != Mode::Create => validate_update(live, object),
        _ => validate_create(object),
    }
    .map_err(rejected)?;
    Ok(verb)
}

/// The configuration kubectl records in the last-applied annotation: the object as the user
/// wrote it, with the namespace it was applied to and its annotations (an empty map when it
/// had none) but not the annotation itself.
fn last_applied(mut config: serde_json::Value, kind: Kind, namespace: &str) -> serde_json::Value {
    if let Some(meta) = config
        .get_mut("metadata")
        .and_then(serde_json::Value::as_object_mut)
    {
        if kind.is_namespaced() && !meta.contains_key("namespace") {
            meta.insert("namespace".into(), namespace.into());
        }
        let annotations = meta
            .entry("annotations")
            .or_insert_with(|| serde_json::json!({}));
        if let Some(annotations) = annotations.as_object_mut() {
            annotations.remove(LAST_APPLIED);
        }
    }
    config
}

/// `kubectl delete`: by file, by name, by selector or `--all`. Pods are deleted gracefully and
/// kubectl waits until they are gone, as it does by default.
pub fn delete(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    const COMMAND: &str = "kubectl delete";
    let args = args::parse(
        COMMAND,
        argv,
        &[
            value("filename", Some('f')),
            value("selector", Some('l')),
            boolean("all", None),
            boolean("all-namespaces", Some('A')),
            value("grace-period", None),
            boolean("force", None),
            boolean("wait", None),
            boolean("now", None),
            boolean("ignore-not-found", None),
            value("cascade", None),
            boolean("recursive", Some('R')),
        ],
    )?;
    let namespace = args.namespace().to_string();
    let mut targets: Vec<(Kind, String, String)> = Vec::new();
    let mut missing: Vec<String> = Vec::new();
    if args.is_set("filename") {
        for source in sources(ctx, &args, COMMAND)? {
            let cluster = &*ctx.cluster;
            let served = |kind| cluster.serves(kind);
            for parsed in parse_manifests_for(&source.text, &source.name, &served) {
                match parsed {
                    Ok(object) => {
                        let kind = object.kind();
                        let meta = object.metadata();
                        let ns = if meta.namespace.is_empty() {
                            namespace.clone()
                        } else {
                            meta.namespace.clone()
                        };
                        if ctx.cluster.get(kind, &ns, &meta.name).is_some() {
                            targets.push((kind, ns, meta.name.clone()));
                        } else if !args.flag("ignore-not-found") {
                            let error =
                                rollout_sim::api::ApiError::not_found(kind, meta.name.clone());
                            missing.push(error.to_string_with_source(Verb::Deleting, &source.name));
                        }
                    }
                    Err(error) => {
                        ctx.eprintln(error.message(Verb::Deleting));
                        if error.stops_reading() {
                            break;
                        }
                    }
                }
            }
        }
    } else {
        let positional = &args.positional;
        let selector = args.value("selector").map(Selector::parse).transpose()?;
        if selector.is_some() || args.flag("all") {
            let Some(first) = positional.first() else {
                return Err(KubectlError::plain(if selector.is_some() {
                    "at least one resource must be specified to use a selector"
                } else {
                    super::NO_RESOURCES
                }));
            };
            let selector = selector.unwrap_or_default();
            for kind in first
                .split(',')
                .map(|kind| crate::resource::resolve(kind, ctx.cluster))
                .collect::<Result<Vec<_>, _>>()?
            {
                for (ns, name, labels) in list(ctx.cluster, kind, &namespace) {
                    if selector.matches(&labels) {
                        targets.push((kind, ns, name));
                    }
                }
            }
            if targets.is_empty() {
                ctx.eprintln("No resources found");
                return Ok(Flow::Done);
            }
        } else {
            for (kind, name) in named_targets(COMMAND, positional, ctx.cluster)? {
                if ctx
                    .cluster
                    .get(
                        kind,
                        if kind.is_namespaced() { &namespace } else { "" },
                        &name,
                    )
                    .is_some()
                {
                    targets.push((kind, namespace.clone(), name));
                } else if !args.flag("ignore-not-found") {
                    missing.push(rollout_sim::api::ApiError::not_found(kind, name).to_string());
                }
            }
        }
    }
    let propagation = cascade(ctx, args.value("cascade"))?;
    let force = args.flag("force") && args.value("grace-period") == Some("0");
    if force {
        ctx.eprintln("Warning: Immediate deletion does not wait for confirmation that the running resource has been terminated. The resource may continue to run on the cluster indefinitely.");
    }
    let mut deleted = Vec::new();
    for (kind, ns, name) in &targets {
        // kubectl waits for this object, by its UID: a controller may make a new one of the
        // same name at once (a Deployment its ReplicaSet), which is not the one deleted.
        let uid = ctx
            .cluster
            .get(*kind, ns, name)
            .map(|o| o.metadata().uid.clone())
            .unwrap_or_default();
        let result = if force {
            ctx.cluster.force_delete(*kind, ns, name)
        } else {
            ctx.cluster.delete_with(*kind, ns, name, propagation)
        };
        match result {
            Ok(()) if force => ctx.println(format!(
                "{} \"{name}\" force deleted",
                kind.qualified_kind()
            )),
            Ok(()) => {
                ctx.out.stdout.push_str(&deleted_line(*kind, name));
                // Gone at once, but for a pod's grace period or an owner deleted in the
                // foreground: kubectl waits for those.
                deleted.push((*kind, ObjectKey::new(ns, name), uid));
            }
            Err(error) => missing.push(error.to_string()),
        }
    }
    if !missing.is_empty() {
        return Err(KubectlError::Verbatim(missing.join("\n")));
    }
    let wait = args.value("wait").is_none_or(|w| w == "true");
    if wait && !deleted.is_empty() {
        let mut watch = WaitGone { objects: deleted };
        return match watch.poll(ctx.cluster, ctx.out) {
            Some(result) => result.map(|()| Flow::Done),
            None => Ok(Flow::Wait(Waiting::Gone(watch))),
        };
    }
    Ok(Flow::Done)
}

/// `--cascade`'s propagation policy: `background` (the default), `orphan`, `foreground`, or
/// the deprecated booleans, which kubectl maps with a warning.
fn cascade(ctx: &mut Ctx<'_>, value: Option<&str>) -> Result<Propagation, KubectlError> {
    Ok(match value.unwrap_or("background") {
        "background" => Propagation::Background,
        "orphan" => Propagation::Orphan,
        "foreground" => Propagation::Foreground,
        boolean @ ("true" | "false") => {
            let (propagation, name) = if boolean == "true" {
                (Propagation::Background, "background")
            } else {
                (Propagation::Orphan, "orphan")
            };
            ctx.eprintln(format!("warning: --cascade={boolean} is deprecated (boolean value) and can be replaced with --cascade={name}."));
            propagation
        }
        other => {
            return Err(KubectlError::plain(format!(
                "invalid cascade value ({other}). Must be \"background\", \"foreground\", or \"orphan\""
            )))
        }
    })
}

/// Every object of a kind in a namespace: (namespace, name, labels).
pub(super) fn list(
    cluster: &Cluster,
    kind: Kind,
    namespace: &str,
) -> Vec<(String, String, std::collections::BTreeMap<String, String>)> {
    let store = cluster.store();
    macro_rules! from {
        ($map:expr) => {
            rollout_sim::cluster::in_namespace(&$map, namespace)
                .map(|o| {
                    (
                        o.metadata.namespace.clone(),
                        o.metadata.name.clone(),
                        o.metadata.labels.clone(),
                    )
                })
                .collect()
        };
    }
    match kind {
        Kind::Deployment => from!(store.deployments),
        Kind::ReplicaSet => from!(store.replica_sets),
        Kind::Pod => from!(store.pods),
        Kind::Service => from!(store.services),
        Kind::Endpoints => from!(store.endpoints),
        Kind::EndpointSlice => from!(store.endpoint_slices),
        Kind::Ingress => from!(store.ingresses),
        Kind::PodDisruptionBudget => from!(store.pod_disruption_budgets),
        Kind::HorizontalPodAutoscaler => from!(store.horizontal_pod_autoscalers),
        Kind::Rollout => from!(store.rollouts),
        Kind::AnalysisTemplate => from!(store.analysis_templates),
        Kind::AnalysisRun => from!(store.analysis_runs),
        Kind::ClusterAnalysisTemplate => {
            rollout_sim::cluster::in_namespace(&store.cluster_analysis_templates, "")
                .map(|t| {
                    (
                        String::new(),
                        t.metadata.name.clone(),
                        t.metadata.labels.clone(),
                    )
                })
                .collect()
        }
        Kind::Namespace => store
            .namespaces
            .values()
            .map(|n| {
                (
                    String::new(),
                    n.metadata.name.clone(),
                    n.metadata.labels.clone(),
                )
            })
            .collect(),
        Kind::GatewayClass | Kind::Gateway | Kind::HTTPRoute | Kind::ReferenceGrant => store
            .custom_in(kind, namespace)
            .map(|o| {
                (
                    o.metadata.namespace.clone(),
                    o.metadata.name.clone(),
                    o.metadata.labels.clone(),
                )
            })
            .collect(),
        Kind::Node | Kind::Event => Vec::new(),
    }
}

/// kubectl delete's default `--wait`: return once the deleted objects are really gone (a
/// pod after its grace period, an owner deleted in the foreground after its dependents).
#[derive(Clone, Debug)]
pub struct WaitGone {
    /// Each deleted object and its UID.
    objects: Vec<(Kind, ObjectKey, String)>,
}

impl WaitGone {
    pub fn poll(
        &mut self,
        cluster: &Cluster,
        _out: &mut Output,
    ) -> Option<Result<(), KubectlError>> {
        self.objects.retain(|(kind, key, uid)| {
            cluster
                .get(*kind, &key.namespace, &key.name)
                .is_some_and(|o| o.metadata().uid == *uid)
        });
        self.objects.is_empty().then_some(Ok(()))
    }
}
