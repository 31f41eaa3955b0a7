//! `kubectl cordon NODE…` and `kubectl uncordon NODE…` (kubectl's `cmd/drain`,
//! `RunCordonOrUncordon`): set or clear the node's `spec.unschedulable`, one line a node.

use super::generate::DryRun;
use super::{Ctx, Flow};
use crate::args::{self, value};
use crate::error::KubectlError;
use crate::printers::success_line;
use crate::selector::Selector;
use rollout_sim::api::ApiError;
use rollout_sim::cluster::Cluster;
use rollout_sim::objects::Kind;

/// `true`: cordon; `false`: uncordon.
pub fn run(ctx: &mut Ctx<'_>, argv: &[String], desired: bool) -> Result<Flow, KubectlError> {
    let verb = if desired { "cordon" } else { "uncordon" };
    let command = format!("kubectl {verb}");
    let args = args::parse(
        &command,
        argv,
        &[value("selector", Some('l')), value("dry-run", None)],
    )?;
    let dry_run = DryRun::parse(&args)?;
    let selector = args.value("selector");
    if args.positional.is_empty() && selector.is_none() {
        return Err(KubectlError::usage(
            &command,
            format!("USAGE: {verb} NODE [flags]"),
        ));
    }
    if !args.positional.is_empty() && selector.is_some_and(|s| !s.is_empty()) {
        return Err(KubectlError::usage(
            &command,
            "cannot specify both a node name and a --selector option",
        ));
    }
    let names = find_nodes(ctx.cluster, selector, &args.positional)?;
    set_unschedulable(ctx, &names, desired, dry_run)?;
    Ok(Flow::Done)
}

/// The nodes a command names (`NODE`, `node/NODE`) or selects (`-l`): the resource builder
/// finds every node first, so a missing one stops the command before any node changes.
pub(super) fn find_nodes(
    cluster: &Cluster,
    selector: Option<&str>,
    positional: &[String],
) -> Result<Vec<String>, KubectlError> {
    let store = cluster.store();
    if let Some(selector) = selector {
        let selector = Selector::parse(selector)?;
        return Ok(store
            .nodes
            .values()
            .filter(|n| selector.matches(&n.metadata.labels))
            .map(|n| n.metadata.name.clone())
            .collect());
    }
    let mut names = Vec::new();
    for arg in positional {
        let name = arg
            .strip_prefix("node/")
            .or_else(|| arg.strip_prefix("nodes/"))
            .unwrap_or(arg);
        if !store.nodes.contains_key(name) {
            return Err(ApiError::not_found(Kind::Node, name).into());
        }
        names.push(name.to_string());
    }
    Ok(names)
}

/// `RunCordonOrUncordon`: one line a node, `already …` where nothing changes.
pub(super) fn set_unschedulable(
    ctx: &mut Ctx<'_>,
    names: &[String],
    desired: bool,
    dry_run: DryRun,
) -> Result<(), KubectlError> {
    let verb = if desired { "cordon" } else { "uncordon" };
    let suffix = dry_run_suffix(dry_run);
    for name in names {
        let already = ctx
            .cluster
            .store()
            .nodes
            .get(name)
            .is_some_and(|n| n.spec.unschedulable == desired);
        let operation = if already {
            format!("already {verb}ed{suffix}")
        } else {
            if dry_run == DryRun::None {
                ctx.cluster.set_unschedulable(name, desired)?;
            }
            format!("{verb}ed{suffix}")
        };
        ctx.out
            .stdout
            .push_str(&success_line(Kind::Node, name, &operation));
    }
    Ok(())
}

/// What the name printer adds to a line under `--dry-run`.
pub(super) fn dry_run_suffix(dry_run: DryRun) -> &'static str {
    match dry_run {
        DryRun::None => "",
        DryRun::Client => " (dry run)",
        DryRun::Server => " (server dry run)",
    }
}
