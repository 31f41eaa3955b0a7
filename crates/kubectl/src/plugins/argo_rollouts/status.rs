//! `status NAME` (cmd/status/status.go): one line, `Status` or `Status - Message`. It
//! watches by default, printing a line whenever it changes, until the Rollout is Healthy
//! (exit 0) or Degraded (an error), or `--timeout` passes.

use super::cli::{self, Invocation};
use super::get::{lister_not_found, logrus_warning};
use super::info::{self, RolloutInfo};
use super::{require_crds, Outcome, Plugin, Watch as PluginWatch};
use crate::error::KubectlError;
use crate::Output;
use rollout_sim::clock::{Duration, Time};
use rollout_sim::cluster::Cluster;

/// `status NAME [-w=false] [-t DURATION]`.
pub fn run(plugin: &mut Plugin<'_>, invocation: &Invocation) -> Result<Outcome, KubectlError> {
    let [name] = invocation.positional() else {
        return Err(cli::usage_error(invocation.command, plugin.env, plugin.out));
    };
    require_crds(plugin.cluster, "get", "rollouts", None)?;
    let namespace = invocation.namespace();
    let Some(rollout) = info::rollout_info(plugin.cluster, &namespace, name) else {
        return Err(lister_not_found("rollout", name));
    };
    // `--watch` defaults to true.
    let watching = invocation.args.value("watch").is_none_or(|v| v == "true");
    if !watching {
        let line = if matches!(rollout.status.as_str(), "Healthy" | "Degraded") {
            rollout.status.clone()
        } else {
            format!("{} - {}", rollout.status, rollout.message)
        };
        plugin.out.stdout.push_str(&line);
        plugin.out.stdout.push('\n');
        return final_verdict(&rollout, false);
    }
    let timeout = invocation
        .args
        .value("timeout")
        .and_then(|t| crate::args::parse_go_duration(t).ok())
        .unwrap_or(0);
    let now = plugin.cluster.now();
    let mut watch = Watch {
        namespace,
        name: name.clone(),
        until: (timeout > 0).then(|| now + Duration(timeout)),
        printed: None,
        gone: false,
    };
    Ok(match watch.poll(plugin.cluster, plugin.out) {
        Some(result) => result.map(|()| Outcome::Done)?,
        None => PluginWatch::Status(watch).into(),
    })
}

/// How `status` ends: Degraded is an error, so is anything but Healthy after a watch.
fn final_verdict(rollout: &RolloutInfo, watched: bool) -> Result<Outcome, KubectlError> {
    if rollout.status == "Degraded" {
        return Err(cli::error(format!(
            "The rollout is in a degraded state with message: {}",
            rollout.message
        )));
    }
    if watched && rollout.status != "Healthy" {
        return Err(cli::error("Rollout status watch exceeded timeout"));
    }
    Ok(Outcome::Done)
}

/// A running `status`.
#[derive(Clone, Debug)]
pub struct Watch {
    namespace: String,
    name: String,
    until: Option<Time>,
    /// The last line printed.
    printed: Option<String>,
    /// The Rollout was deleted (warned once).
    gone: bool,
}

impl Watch {
    pub fn poll(
        &mut self,
        cluster: &Cluster,
        out: &mut Output,
    ) -> Option<Result<(), KubectlError>> {
        let now = cluster.now();
        if self.until.is_some_and(|until| now >= until) {
            return Some(self.finish(cluster));
        }
        let Some(rollout) = info::rollout_info(cluster, &self.namespace, &self.name) else {
            if !self.gone {
                self.gone = true;
                out.stderr.push_str(&logrus_warning(
                    now,
                    &format!(
                        "rollout.argoproj.io {} not found",
                        rollout_sim::api::go_quote(&self.name)
                    ),
                ));
            }
            return None;
        };
        self.gone = false;
        let line = if rollout.message.is_empty() {
            rollout.status.clone()
        } else {
            format!("{} - {}", rollout.status, rollout.message)
        };
        if self.printed.as_ref() != Some(&line) {
            out.stdout.push_str(&line);
            out.stdout.push('\n');
            self.printed = Some(line);
            if matches!(rollout.status.as_str(), "Healthy" | "Degraded") {
                return Some(self.finish(cluster));
            }
        }
        None
    }

    /// The watch stopped: the verdict is read from the Rollout as it is now.
    fn finish(&self, cluster: &Cluster) -> Result<(), KubectlError> {
        let Some(rollout) = info::rollout_info(cluster, &self.namespace, &self.name) else {
            return Err(lister_not_found("rollout", &self.name));
        };
        final_verdict(&rollout, true).map(|_| ())
    }

    /// Ctrl-C ends the watch like a timeout: the verdict's error, if any.
    pub fn interrupted(&self, cluster: &Cluster) -> Option<String> {
        self.finish(cluster).err().map(|err| format!("{err}\n"))
    }
}
