//! `kubectl rollout status | history | undo | pause | resume | restart` for Deployments.

use super::{named_targets, Ctx, Flow, Waiting};
use crate::args::{self, boolean, value, Args};
use crate::describe::rollout_history;
use crate::error::KubectlError;
use crate::printers::success_line;
use crate::Output;
use rollout_sim::clock::{Duration, Time};
use rollout_sim::cluster::{Cluster, ObjectKey, Written};
use rollout_sim::controller::rollout_status;
use rollout_sim::controller::util::{equal_ignore_hash, revision, POD_TEMPLATE_HASH_LABEL};
use rollout_sim::manifest::encode::{to_value, value_to_yaml};
use rollout_sim::objects::{Deployment, Kind, Object, ReplicaSet};
use std::collections::BTreeMap;

const RESTARTED_AT: &str = "kubectl.kubernetes.io/restartedAt";

/// Annotations an undo leaves as they are on the Deployment (upstream's skip list).
const ANNOTATIONS_TO_SKIP: [&str; 6] = [
    "kubectl.kubernetes.io/last-applied-configuration",
    "deployment.kubernetes.io/revision",
    "deployment.kubernetes.io/revision-history",
    "deployment.kubernetes.io/desired-replicas",
    "deployment.kubernetes.io/max-replicas",
    "deprecated.deployment.rollback.to",
];

pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    // The subcommand is the first word that is no flag or a global flag's value.
    let Some(at) = super::verb_position(argv).filter(|&i| !argv[i].starts_with('-')) else {
        // Without a subcommand kubectl prints the command's help and exits 1 — once its
        // flags (the global ones only) have parsed.
        crate::args::parse("kubectl rollout", argv, &[])?;
        // A negative number is still a word of flags to cobra here (there is no subcommand
        // to take it as an argument): `kubectl rollout -5`.
        let negative = |a: &&String| {
            a.strip_prefix('-')
                .is_some_and(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
        };
        if let Some(arg) = argv.iter().find(negative) {
            let c = arg[1..].chars().next().unwrap_or('-');
            return Err(KubectlError::flag(
                "kubectl rollout",
                format!("unknown shorthand flag: '{c}' in {arg}"),
            ));
        }
        let help = crate::help::render(&["rollout"], ctx.columns).unwrap_or_default();
        ctx.out.stdout.push_str(&help);
        return Err(KubectlError::Silent);
    };
    let mut rest = argv.to_vec();
    let sub = rest.remove(at);
    match sub.as_str() {
        "status" => status(ctx, &rest),
        "history" => history(ctx, &rest),
        "undo" => undo(ctx, &rest),
        "pause" => pause_or_resume(ctx, &rest, true),
        "resume" => pause_or_resume(ctx, &rest, false),
        "restart" => restart(ctx, &rest),
        other => Err(KubectlError::usage(
            "kubectl rollout",
            format!("unknown command {other:?}"),
        )),
    }
}

/// The named Deployments; other kinds get kubectl's "not supported" for the action.
fn deployments(
    command: &str,
    args: &Args,
    action: &str,
    cluster: &Cluster,
) -> Result<Vec<String>, KubectlError> {
    if args.positional.is_empty() && args.value("filename").is_none() {
        return Err(KubectlError::plain("required resource not specified"));
    }
    named_targets(command, &args.positional, cluster)?
        .into_iter()
        .map(|(kind, name)| match kind {
            Kind::Deployment => Ok(name),
            other => Err(KubectlError::plain(format!(
                "{} {name:?} {action} is not supported",
                other.qualified_resource()
            ))),
        })
        .collect()
}

fn live(cluster: &Cluster, namespace: &str, name: &str) -> Result<Deployment, KubectlError> {
    cluster
        .store()
        .deployments
        .get(&ObjectKey::new(namespace, name))
        .cloned()
        .ok_or_else(|| {
            rollout_sim::api::ApiError::not_found(Kind::Deployment, name.to_string()).into()
        })
}

fn owned_replica_sets(cluster: &Cluster, d: &Deployment) -> Vec<ReplicaSet> {
    cluster
        .store()
        .replica_sets_owned_by(&d.metadata.namespace, &d.metadata.uid)
}

fn pause_or_resume(ctx: &mut Ctx<'_>, argv: &[String], pause: bool) -> Result<Flow, KubectlError> {
    let command = if pause {
        "kubectl rollout pause"
    } else {
        "kubectl rollout resume"
    };
    let args = args::parse(command, argv, &[value("filename", Some('f'))])?;
    let namespace = args.namespace().to_string();
    for name in deployments(
        command,
        &args,
        if pause { "pausing" } else { "resuming" },
        ctx.cluster,
    )? {
        let d = live(ctx.cluster, &namespace, &name)?;
        if d.spec.paused == pause {
            let state = if pause {
                "already paused"
            } else {
                "not paused"
            };
            return Err(KubectlError::plain(format!(
                "deployments.apps {name:?} is {state}"
            )));
        }
        ctx.cluster
            .update_deployment(&namespace, &name, |d| d.spec.paused = pause)?;
        ctx.out.stdout.push_str(&success_line(
            Kind::Deployment,
            &name,
            if pause { "paused" } else { "resumed" },
        ));
    }
    Ok(Flow::Done)
}

fn restart(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    const COMMAND: &str = "kubectl rollout restart";
    let args = args::parse(COMMAND, argv, &[value("filename", Some('f'))])?;
    let namespace = args.namespace().to_string();
    for name in deployments(COMMAND, &args, "restarting", ctx.cluster)? {
        let d = live(ctx.cluster, &namespace, &name)?;
        if d.spec.paused {
            return Err(KubectlError::Verbatim(format!(
                "error: deployments.apps {name:?} can't restart paused deployment (run rollout resume first)"
            )));
        }
        let now = ctx.cluster.now().rfc3339();
        ctx.cluster.update_deployment(&namespace, &name, |d| {
            d.spec
                .template
                .metadata
                .annotations
                .insert(RESTARTED_AT.to_string(), now);
        })?;
        ctx.out
            .stdout
            .push_str(&success_line(Kind::Deployment, &name, "restarted"));
    }
    Ok(Flow::Done)
}

fn history(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    const COMMAND: &str = "kubectl rollout history";
    let args = args::parse(
        COMMAND,
        argv,
        &[
            value("revision", None),
            value("output", Some('o')),
            value("filename", Some('f')),
        ],
    )?;
    let revision = args.int(COMMAND, "revision", "--revision")?.unwrap_or(0);
    let namespace = args.namespace().to_string();
    for name in deployments(COMMAND, &args, "history", ctx.cluster)? {
        let d = live(ctx.cluster, &namespace, &name)?;
        let rss = owned_replica_sets(ctx.cluster, &d);
        if let Some(format) = args.value("output") {
            history_objects(ctx, format, rss, revision)?;
            continue;
        }
        let text =
            rollout_history(&d, &rss, revision).map_err(|e| KubectlError::plain(e.to_string()))?;
        ctx.out.stdout.push_str(&text);
    }
    Ok(Flow::Done)
}

/// `rollout history -o FORMAT`: the Deployment's history as objects, its ReplicaSets by
/// revision (kubectl's `DeploymentHistoryViewer.GetHistory`), each printed on its own: YAML
/// documents after the first open with `---`, JSON objects and templates follow each other.
fn history_objects(
    ctx: &mut Ctx<'_>,
    format: &str,
    rss: Vec<ReplicaSet>,
    revision: i64,
) -> Result<(), KubectlError> {
    let template = |prefix: &str| format.strip_prefix(prefix).filter(|t| !t.is_empty());
    if !matches!(format, "yaml" | "json" | "name")
        && template("jsonpath=").is_none()
        && template("go-template=").is_none()
    {
        return Err(KubectlError::plain(format!(
            "unable to match a printer suitable for the output format \"{format}\", allowed formats are: go-template,go-template-file,json,jsonpath,jsonpath-as-json,jsonpath-file,name,template,templatefile,yaml"
        )));
    }
    // Listed by name, keyed by revision: a later ReplicaSet with the same revision wins.
    let mut by_revision: BTreeMap<i64, ReplicaSet> = BTreeMap::new();
    let mut rss = rss;
    rss.sort_by(|a, b| a.metadata.name.cmp(&b.metadata.name));
    for rs in rss {
        if let Ok(number) = rollout_sim::controller::util::revision(&rs) {
            by_revision.insert(number, rs);
        }
    }
    let chosen: Vec<ReplicaSet> = if revision > 0 {
        match by_revision.remove(&revision) {
            Some(rs) => vec![rs],
            // kubectl 1.30 hands the printer a nil object here and panics (later releases
            // say "unable to find the specified revision"); its first lines, exit code 2.
            None => {
                return Err(KubectlError::Exit {
                    text: "panic: reflect: call of reflect.Value.Type on zero Value\n\ngoroutine 1 [running]:\n".to_string(),
                    status: 2,
                })
            }
        }
    } else {
        by_revision.into_values().collect()
    };
    for (i, rs) in chosen.into_iter().enumerate() {
        let name = rs.metadata.name.clone();
        let value = to_value(&Object::ReplicaSet(rs));
        let shown = match format {
            "yaml" if i > 0 => format!("---\n{}", value_to_yaml(&value)),
            "yaml" => value_to_yaml(&value),
            // Typed objects: the Go struct's field order, not the sorted keys of `get`.
            "json" => crate::printers::go_json::replica_set_json(&value),
            "name" => format!("replicaset.apps/{name}\n"),
            _ => match template("jsonpath=") {
                Some(t) => super::jsonpath::render(t, &value)?,
                None => super::go_template::render(template("go-template=").unwrap_or(""), &value)?,
            },
        };
        ctx.out.stdout.push_str(&shown);
    }
    Ok(())
}

/// `kubectl rollout undo`: client-side, like kubectl — put the chosen revision's template back
/// into the Deployment; the controller then makes that ReplicaSet the newest revision.
fn undo(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    const COMMAND: &str = "kubectl rollout undo";
    let args = args::parse(
        COMMAND,
        argv,
        &[
            value("to-revision", None),
            value("filename", Some('f')),
            value("dry-run", None),
        ],
    )?;
    let to_revision = args
        .int(COMMAND, "to-revision", "--to-revision")?
        .unwrap_or(0);
    let namespace = args.namespace().to_string();
    for name in deployments(COMMAND, &args, "rollback", ctx.cluster)? {
        let d = live(ctx.cluster, &namespace, &name)?;
        if d.spec.paused {
            return Err(KubectlError::plain(
                "you cannot rollback a paused deployment; resume it first with 'kubectl rollout resume' and try again",
            ));
        }
        let rss = owned_replica_sets(ctx.cluster, &d);
        let target = rollback_target(&d, &rss, to_revision)?;
        if equal_ignore_hash(&target.spec.template, &d.spec.template) {
            ctx.out.stdout.push_str(&success_line(
                Kind::Deployment,
                &name,
                &format!(
                    "skipped rollback (current template already matches revision {to_revision})"
                ),
            ));
            continue;
        }
        let mut template = target.spec.template.clone();
        template.metadata.labels.remove(POD_TEMPLATE_HASH_LABEL);
        let mut annotations: std::collections::BTreeMap<String, String> = d
            .metadata
            .annotations
            .iter()
            .filter(|(k, _)| ANNOTATIONS_TO_SKIP.contains(&k.as_str()))
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect();
        for (k, v) in &target.metadata.annotations {
            if !ANNOTATIONS_TO_SKIP.contains(&k.as_str()) {
                annotations.insert(k.clone(), v.clone());
            }
        }
        ctx.cluster.update_deployment(&namespace, &name, |d| {
            d.spec.template = template;
            d.metadata.annotations = annotations;
        })?;
        ctx.out
            .stdout
            .push_str(&success_line(Kind::Deployment, &name, "rolled back"));
    }
    Ok(Flow::Done)
}

/// The ReplicaSet to roll back to: the given revision, or the second newest.
fn rollback_target(
    d: &Deployment,
    rss: &[ReplicaSet],
    to_revision: i64,
) -> Result<ReplicaSet, KubectlError> {
    let mut by_revision: Vec<(i64, &ReplicaSet)> = rss
        .iter()
        .filter_map(|rs| revision(rs).ok().map(|r| (r, rs)))
        .collect();
    by_revision.sort_by_key(|(r, _)| *r);
    if to_revision != 0 {
        return by_revision
            .iter()
            .find(|(r, _)| *r == to_revision)
            .map(|(_, rs)| (*rs).clone())
            .ok_or_else(|| {
                KubectlError::plain(format!(
                    "unable to find specified revision {to_revision} in history"
                ))
            });
    }
    if by_revision.len() < 2 {
        return Err(KubectlError::plain(format!(
            "no rollout history found for deployment {:?}",
            d.metadata.name
        )));
    }
    Ok(by_revision[by_revision.len() - 2].1.clone())
}

fn status(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    const COMMAND: &str = "kubectl rollout status";
    let args = args::parse(
        COMMAND,
        argv,
        &[
            value("revision", None),
            boolean("watch", Some('w')),
            value("timeout", None),
            value("filename", Some('f')),
        ],
    )?;
    let revision = args.int(COMMAND, "revision", "--revision")?.unwrap_or(0);
    let namespace = args.namespace().to_string();
    let names = deployments(COMMAND, &args, "status", ctx.cluster)?;
    let Some(name) = names.into_iter().next() else {
        return Ok(Flow::Done);
    };
    live(ctx.cluster, &namespace, &name)?;
    let watch = args.value("watch").is_none_or(|w| w == "true");
    // kubectl's ContextWithOptionalTimeout: zero (the default) and negative wait for ever.
    let timeout = args
        .duration(COMMAND, "timeout")?
        .filter(|millis| *millis > 0);
    let mut status = StatusWatch {
        namespace,
        name,
        revision,
        cursor: None,
        watch,
        deadline: timeout.map(|millis| ctx.cluster.now() + Duration(millis)),
    };
    match status.poll(ctx.cluster, ctx.out) {
        Some(result) => result.map(|()| Flow::Done),
        None => Ok(Flow::Wait(Waiting::RolloutStatus(status))),
    }
}

/// A running `kubectl rollout status`. Like kubectl's watch, it prints the status line for
/// the Deployment as first listed, then again for every write to it (every watch event, so
/// the same message can repeat), until the rollout is done.
#[derive(Clone, Debug)]
pub struct StatusWatch {
    namespace: String,
    name: String,
    revision: i64,
    /// How far into the cluster's watch log this watch has read; `None` before the listing.
    cursor: Option<u64>,
    watch: bool,
    /// `--timeout`: when the watch gives up.
    deadline: Option<Time>,
}

impl StatusWatch {
    pub fn poll(
        &mut self,
        cluster: &Cluster,
        out: &mut Output,
    ) -> Option<Result<(), KubectlError>> {
        let key = ObjectKey::new(&self.namespace, &self.name);
        let log = cluster.watch_log();
        let events: Vec<Deployment> = match self.cursor {
            // The listing: one ADDED event for the Deployment as it is now.
            None => cluster
                .store()
                .deployments
                .get(&key)
                .cloned()
                .into_iter()
                .collect(),
            Some(cursor) => log
                .since(cursor)
                .filter_map(|written| match written {
                    Written::Deployment(d)
                        if d.metadata.namespace == self.namespace
                            && d.metadata.name == self.name =>
                    {
                        Some((**d).clone())
                    }
                    _ => None,
                })
                .collect(),
        };
        self.cursor = Some(log.cursor());
        for d in &events {
            match rollout_status::status(d, self.revision) {
                Err(err) => return Some(Err(KubectlError::plain(err.to_string()))),
                Ok(status) => {
                    out.stdout.push_str(&status.message);
                    if status.done || !self.watch {
                        return Some(Ok(()));
                    }
                }
            }
        }
        if !cluster.store().deployments.contains_key(&key) {
            return Some(Err(KubectlError::plain("object has been deleted")));
        }
        if self
            .deadline
            .is_some_and(|deadline| cluster.now() >= deadline)
        {
            return Some(Err(KubectlError::plain(
                "timed out waiting for the condition",
            )));
        }
        None
    }

    /// When `--timeout` ends the watch, for the caller's clock to stop there.
    pub fn deadline(&self) -> Option<Time> {
        self.deadline
    }
}
