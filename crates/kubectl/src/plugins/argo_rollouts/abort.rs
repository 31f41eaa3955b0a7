//! `abort NAME…` (cmd/abort/abort.go): `{"status":{"abort":true}}` on the status
//! subresource. The controller then scales the canary (or preview) away and marks the
//! Rollout Degraded, until a `retry` or a new template.

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
            .patch_rollout_status(&namespace, name, |status| status.abort = true)
            .map_err(|_| rollout_not_found(name))?;
        plugin
            .out
            .stdout
            .push_str(&format!("rollout '{name}' aborted\n"));
    }
    Ok(Outcome::Done)
}
