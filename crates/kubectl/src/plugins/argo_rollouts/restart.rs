//! `restart NAME [--in DURATION]` (cmd/restart/restart.go): `spec.restartAt` = now (+ the
//! delay), in RFC 3339 seconds; the controller then replaces every pod created before it.

use super::cli::{self, Invocation};
use super::{require_crds, rollout_not_found, Outcome, Plugin};
use crate::error::KubectlError;
use rollout_sim::clock::{Duration, Time};

pub fn run(plugin: &mut Plugin<'_>, invocation: &Invocation) -> Result<Outcome, KubectlError> {
    let [name] = invocation.positional() else {
        return Err(cli::usage_error(invocation.command, plugin.env, plugin.out));
    };
    let now = plugin.cluster.now();
    let (restart_at, shown) = match invocation.args.value("in").filter(|s| !s.is_empty()) {
        Some(text) => match crate::args::parse_go_duration(text) {
            Ok(millis) => (now + Duration(millis), text.to_string()),
            // Upstream panics on a bad duration (restart.go: `panic(err)`); Go prints the
            // value and the goroutine's stack (its frames are left out here) and exits 2.
            Err(problem) => {
                return Err(KubectlError::Exit {
                    text: format!("panic: {problem}\n\ngoroutine 1 [running]:\n"),
                    status: 2,
                })
            }
        },
        None => (now, "0s".to_string()),
    };
    require_crds(plugin.cluster, "patch", "rollouts", Some(name))?;
    // `Format(time.RFC3339)` keeps whole seconds.
    let restart_at = Time(restart_at.0.div_euclid(1000) * 1000);
    plugin
        .cluster
        .update_rollout(&invocation.namespace(), name, |ro| {
            ro.spec.restart_at = Some(restart_at)
        })
        .map_err(|_| rollout_not_found(name))?;
    plugin
        .out
        .stdout
        .push_str(&format!("rollout '{name}' restarts in {shown}\n"));
    Ok(Outcome::Done)
}
