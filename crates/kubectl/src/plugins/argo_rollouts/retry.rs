//! `retry rollout NAME…` (cmd/retry/retry.go): `{"status":{"abort":false}}`, so an aborted
//! Rollout goes for its template again. `retry experiment` and `terminate` act on kinds the
//! lab does not run, so their objects are never found.

use super::cli::{self, Action, Invocation};
use super::{require_crds, rollout_not_found, Outcome, Plugin};
use crate::error::KubectlError;

pub fn rollout(plugin: &mut Plugin<'_>, invocation: &Invocation) -> Result<Outcome, KubectlError> {
    if invocation.positional().is_empty() {
        return Err(cli::usage_error(invocation.command, plugin.env, plugin.out));
    }
    let namespace = invocation.namespace();
    for name in invocation.positional() {
        require_crds(plugin.cluster, "patch", "rollouts", Some(name))?;
        plugin
            .cluster
            .patch_rollout_status(&namespace, name, |status| status.abort = false)
            .map_err(|_| rollout_not_found(name))?;
        plugin
            .out
            .stdout
            .push_str(&format!("rollout '{name}' retried\n"));
    }
    Ok(Outcome::Done)
}

/// `retry experiment NAME…`.
pub fn experiment(
    plugin: &mut Plugin<'_>,
    invocation: &Invocation,
) -> Result<Outcome, KubectlError> {
    patch_missing(plugin, invocation, "experiments")
}

/// `terminate analysisrun|experiment NAME…`.
pub fn terminate(
    plugin: &mut Plugin<'_>,
    invocation: &Invocation,
) -> Result<Outcome, KubectlError> {
    let resource = if invocation.command.action == Action::TerminateAnalysisRun {
        "analysisruns"
    } else {
        "experiments"
    };
    patch_missing(plugin, invocation, resource)
}

/// A patch of an object of a kind the lab has no instances of: NotFound.
fn patch_missing(
    plugin: &mut Plugin<'_>,
    invocation: &Invocation,
    resource: &str,
) -> Result<Outcome, KubectlError> {
    let Some(name) = invocation.positional().first() else {
        return Err(cli::usage_error(invocation.command, plugin.env, plugin.out));
    };
    require_crds(plugin.cluster, "patch", resource, Some(name))?;
    Err(cli::error(format!(
        "{resource}.argoproj.io {} not found",
        rollout_sim::api::go_quote(name)
    )))
}
