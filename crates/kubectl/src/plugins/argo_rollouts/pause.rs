//! `pause NAME…` (cmd/pause/pause.go): `{"spec":{"paused":true}}`, whatever the Rollout's
//! state (pausing a paused Rollout prints the same line).

use super::cli::{self, Invocation};
use super::{require_crds, rollout_not_found, Outcome, Plugin};
use crate::error::KubectlError;

pub fn run(plugin: &mut Plugin<'_>, invocation: &Invocation) -> Result<Outcome, KubectlError> {
    if invocation.positional().is_empty() {
        return Err(cli::usage_error(invocation.command, plugin.env, plugin.out));
    }
    let namespace = invocation.namespace();
    for name in invocation.positional() {
        require_crds(plugin.cluster, "patch", "rollouts", Some(name))?;
        plugin
            .cluster
            .update_rollout(&namespace, name, |ro| ro.spec.paused = true)
            .map_err(|_| rollout_not_found(name))?;
        plugin
            .out
            .stdout
            .push_str(&format!("rollout '{name}' paused\n"));
    }
    Ok(Outcome::Done)
}
