//! `promote NAME [--full]` (cmd/promote/promote.go): past a paused canary step or a paused
//! blue-green pre-promotion, or (`--full`) past every step, pause and analysis. It patches
//! the status subresource first, then unpauses the spec if a user paused it.

use super::cli::{self, Invocation};
use super::{require_crds, rollout_not_found, Outcome, Plugin};
use crate::error::KubectlError;
use rollout_sim::addons::argo_rollouts::controller::rollout_view;
use rollout_sim::addons::argo_rollouts::replicaset::get_current_canary_step;
use rollout_sim::cluster::ObjectKey;
use rollout_sim::objects::{Rollout, RolloutStatus};

pub fn run(plugin: &mut Plugin<'_>, invocation: &Invocation) -> Result<Outcome, KubectlError> {
    let skip_current = invocation.args.flag("skip-current-step");
    let skip_all = invocation.args.flag("skip-all-steps");
    let full = invocation.args.flag("full");
    // pflag's notice for a deprecated flag, once per use, before anything else.
    for _ in invocation.args.values("skip-current-step") {
        plugin.out.stderr.push_str(
            "Flag --skip-current-step has been deprecated, use without the flag instead ex: promote ROLLOUT_NAME\n",
        );
    }
    for _ in invocation.args.values("skip-all-steps") {
        plugin
            .out
            .stderr
            .push_str("Flag --skip-all-steps has been deprecated, use --full instead\n");
    }
    plugin.out.stderr_first = !plugin.out.stderr.is_empty();
    let [name] = invocation.positional() else {
        return Err(cli::usage_error(invocation.command, plugin.env, plugin.out));
    };
    if skip_current && skip_all {
        return Err(cli::error(
            "Cannot use skip-current-step and skip-all-steps flags at the same time",
        ));
    }
    require_crds(plugin.cluster, "get", "rollouts", Some(name))?;
    let namespace = invocation.namespace();
    let Some(rollout) = plugin
        .cluster
        .store()
        .rollouts
        .get(&ObjectKey::new(&namespace, name))
        .cloned()
    else {
        return Err(rollout_not_found(name));
    };
    if skip_current || skip_all {
        if rollout.blue_green().is_some() {
            return Err(cli::error(
                "Cannot skip steps of a bluegreen rollout. Run without a flags",
            ));
        }
        if rollout.canary().is_some_and(|c| c.steps.is_empty()) {
            return Err(cli::error("Cannot skip steps of a rollout without steps"));
        }
    }
    let patches = patches(&rollout, skip_current, skip_all, full);
    if let Some(status_patch) = patches.status {
        plugin
            .cluster
            .patch_rollout_status(&namespace, name, status_patch)
            .map_err(|_| rollout_not_found(name))?;
    }
    if patches.unpause {
        plugin
            .cluster
            .update_rollout(&namespace, name, |ro| ro.spec.paused = false)
            .map_err(|_| rollout_not_found(name))?;
    }
    let done = if full { "fully promoted" } else { "promoted" };
    plugin
        .out
        .stdout
        .push_str(&format!("rollout '{}' {done}\n", rollout.metadata.name));
    Ok(Outcome::Done)
}

type StatusPatch = Box<dyn FnOnce(&mut RolloutStatus)>;

/// `getPatches`: what to write to the status, and whether to unpause the spec.
struct Patches {
    status: Option<StatusPatch>,
    unpause: bool,
}

fn patches(ro: &Rollout, skip_current: bool, skip_all: bool, full: bool) -> Patches {
    let steps = ro.canary().map_or(0, |c| c.steps.len()) as i32;
    // `GetCurrentCanaryStep`'s index, moved one step on (never past the end).
    let next_index = || {
        get_current_canary_step(&rollout_view(ro)).1.map(|index| {
            if index < steps {
                index + 1
            } else {
                index
            }
        })
    };
    if skip_current {
        return Patches {
            status: next_index().map(|index| -> StatusPatch {
                Box::new(move |s| s.current_step_index = Some(index))
            }),
            unpause: false,
        };
    }
    if skip_all {
        return Patches {
            status: Some(Box::new(move |s| s.current_step_index = Some(steps))),
            unpause: false,
        };
    }
    let unpause = ro.spec.paused;
    if full {
        let promote = ro.status.current_pod_hash != ro.status.stable_rs;
        return Patches {
            status: promote.then(|| -> StatusPatch { Box::new(|s| s.promote_full = true) }),
            unpause,
        };
    }
    let inconclusive = ro.canary().is_some()
        && ro
            .status
            .canary
            .current_step_analysis_run_status
            .as_ref()
            .is_some_and(|run| run.status == "Inconclusive");
    let paused = !ro.status.pause_conditions.is_empty();
    let status: Option<StatusPatch> = if inconclusive && paused && ro.status.controller_pause {
        next_index().map(|index| -> StatusPatch {
            Box::new(move |s| {
                s.pause_conditions.clear();
                s.controller_pause = false;
                s.current_step_index = Some(index);
            })
        })
    } else if paused {
        Some(Box::new(|s| s.pause_conditions.clear()))
    } else if ro.canary().is_some() {
        // In the middle of a step that is not a pause (an analysis): move on, never both.
        next_index().map(|index| -> StatusPatch {
            Box::new(move |s| {
                s.pause_conditions.clear();
                s.current_step_index = Some(index);
            })
        })
    } else {
        None
    };
    Patches { status, unpause }
}
