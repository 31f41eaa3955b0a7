//! # `kubectl argo rollouts`: the Argo Rollouts kubectl plugin, v1.9.1
//!
//! What the real plugin prints, byte for byte, against the lab's cluster. It is a program on
//! the lab machine's PATH (`kubectl-argo-rollouts`), which kubectl also runs as `kubectl argo
//! rollouts …`; it is not part of the Argo Rollouts add-on installed in the cluster, so
//! without that add-on its API calls fail as on a cluster without the CRDs.
//!
//! ## Layout (one file per command family, as upstream's `pkg/kubectl-argo-rollouts/cmd`)
//! - [`cli`]: cobra and pflag — finding the command, flags, `Error: …`, usage on misuse.
//! - [`help`]: every `-h` text, as data.
//! - [`info`]: upstream's `info/` package — the status, icons, weights, roles and pods the
//!   printers show. Public: the page's Rollout card reads the same values.
//! - [`get`]: `get rollout` (header and tree, `-w`), `get experiment`.
//! - [`list`]: `list rollouts` (and `-w`), `list experiments`.
//! - [`status`]: `status` (one line, or watch until Healthy/Degraded).
//! - [`promote`], [`abort`], [`retry`], [`pause`], [`restart`], [`undo`], [`set_image`]: the
//!   commands that change a Rollout; [`version`].
//!
//! **Colour.** Like the real binary, it colours unless `--no-color` is given or `TERM` is
//! `dumb`, whether or not the output is a terminal. The page's terminal has
//! `TERM=xterm-256color`, the headless runner `TERM=dumb` (`lab.rs`).

mod abort;
mod cli;
mod get;
mod help;
pub mod info;
mod list;
mod pause;
mod promote;
mod restart;
mod retry;
mod set_image;
mod status;
mod undo;
mod version;

use crate::error::KubectlError;
use crate::Output;
use cli::{Action, Invocation};
use rollout_sim::cluster::Cluster;
use rollout_sim::objects::Kind;
use std::collections::BTreeMap;

/// What one run of the plugin works with.
pub struct Plugin<'a> {
    pub cluster: &'a mut Cluster,
    /// The environment it was started with (`TERM`, `HOME`).
    pub env: &'a BTreeMap<String, String>,
    pub out: &'a mut Output,
}

/// How a run ended.
pub enum Outcome {
    Done,
    /// `get rollout -w`, `status`, `list rollouts -w`: it keeps running on the virtual clock.
    Watch(RunningWatch),
}

/// The plugin as a program kubectl starts: behind a trait object, so that in the page its
/// code is reached only through [`crate::plugin_program`]'s vtable and lives in a wasm
/// module of its own, fetched with the Argo Rollouts add-on or the first line that runs it.
pub trait Program {
    fn run(&self, plugin: &mut Plugin<'_>, argv: &[String]) -> Result<Outcome, KubectlError>;
}

/// `kubectl-argo-rollouts` v1.9.1.
pub struct ArgoRolloutsPlugin;

impl Program for ArgoRolloutsPlugin {
    fn run(&self, plugin: &mut Plugin<'_>, argv: &[String]) -> Result<Outcome, KubectlError> {
        run(plugin, argv)
    }
}

/// A running watch of the plugin, polled by kubectl's [`crate::cmd::Waiting`] through a
/// vtable (the watch's code stays in the plugin's module).
trait WatchProgram: std::fmt::Debug {
    fn poll(&mut self, cluster: &Cluster, out: &mut Output) -> Option<Result<(), KubectlError>>;
    fn interrupted(&self, cluster: &Cluster) -> Option<String>;
    fn boxed_clone(&self) -> Box<dyn WatchProgram>;
}

impl WatchProgram for Watch {
    fn poll(&mut self, cluster: &Cluster, out: &mut Output) -> Option<Result<(), KubectlError>> {
        Watch::poll(self, cluster, out)
    }

    fn interrupted(&self, cluster: &Cluster) -> Option<String> {
        Watch::interrupted(self, cluster)
    }

    fn boxed_clone(&self) -> Box<dyn WatchProgram> {
        Box::new(self.clone())
    }
}

/// A [`Watch`] as kubectl holds it.
#[derive(Debug)]
pub struct RunningWatch(Box<dyn WatchProgram>);

impl Clone for RunningWatch {
    fn clone(&self) -> Self {
        RunningWatch(self.0.boxed_clone())
    }
}

impl RunningWatch {
    /// Prints what changed since the last poll. `Some` once the command has finished.
    pub fn poll(
        &mut self,
        cluster: &Cluster,
        out: &mut Output,
    ) -> Option<Result<(), KubectlError>> {
        self.0.poll(cluster, out)
    }

    /// What it prints when Ctrl-C stops it.
    pub fn interrupted(&self, cluster: &Cluster) -> Option<String> {
        self.0.interrupted(cluster)
    }
}

impl From<Watch> for Outcome {
    fn from(watch: Watch) -> Outcome {
        Outcome::Watch(RunningWatch(Box::new(watch)))
    }
}

/// A command that keeps running, polled after every change of the clock.
#[derive(Clone, Debug)]
pub enum Watch {
    Get(Box<get::Watch>),
    Status(status::Watch),
    List(list::Watch),
}

impl Watch {
    /// Prints what changed since the last poll. `Some` once the command has finished.
    pub fn poll(
        &mut self,
        cluster: &Cluster,
        out: &mut Output,
    ) -> Option<Result<(), KubectlError>> {
        match self {
            Watch::Get(watch) => watch.poll(cluster, out),
            Watch::Status(watch) => watch.poll(cluster, out),
            Watch::List(watch) => watch.poll(cluster, out),
        }
    }

    /// What it prints when Ctrl-C stops it (`status` reports that the watch ended early).
    pub fn interrupted(&self, cluster: &Cluster) -> Option<String> {
        match self {
            Watch::Status(watch) => watch.interrupted(cluster),
            Watch::Get(_) | Watch::List(_) => None,
        }
    }
}

/// Runs `kubectl-argo-rollouts ARGS…`.
pub fn run(plugin: &mut Plugin<'_>, argv: &[String]) -> Result<Outcome, KubectlError> {
    let Some(invocation) = cli::parse(argv, plugin.env, plugin.out)? else {
        return Ok(Outcome::Done);
    };
    check_log_level(&invocation)?;
    match invocation.command.action {
        Action::Group => Err(cli::usage_error(invocation.command, plugin.env, plugin.out)),
        Action::Help => Ok(Outcome::Done),
        Action::NotSimulated => Err(cli::not_simulated(&invocation.path)),
        Action::Version => version::run(plugin, &invocation),
        Action::GetRollout => get::rollout(plugin, &invocation),
        Action::GetExperiment => get::experiment(plugin, &invocation),
        Action::ListRollouts => list::rollouts(plugin, &invocation),
        Action::ListExperiments => list::experiments(plugin, &invocation),
        Action::Status => status::run(plugin, &invocation),
        Action::Promote => promote::run(plugin, &invocation),
        Action::Abort => abort::run(plugin, &invocation),
        Action::RetryRollout => retry::rollout(plugin, &invocation),
        Action::RetryExperiment => retry::experiment(plugin, &invocation),
        Action::TerminateAnalysisRun | Action::TerminateExperiment => {
            retry::terminate(plugin, &invocation)
        }
        Action::Pause => pause::run(plugin, &invocation),
        Action::Restart => restart::run(plugin, &invocation),
        Action::Undo => undo::run(plugin, &invocation),
        Action::SetImage => set_image::run(plugin, &invocation),
    }
}

/// The root's `PersistentPreRunE` parses `--loglevel` with logrus.
fn check_log_level(invocation: &Invocation) -> Result<(), KubectlError> {
    let Some(level) = invocation.args.value("loglevel") else {
        return Ok(());
    };
    const LEVELS: [&str; 8] = [
        "panic", "fatal", "error", "warn", "warning", "info", "debug", "trace",
    ];
    if LEVELS.contains(&level.to_ascii_lowercase().as_str()) {
        return Ok(());
    }
    Err(cli::error(format!(
        "not a valid logrus Level: {}",
        rollout_sim::api::go_quote(level)
    )))
}

/// The Argo kinds exist only once the add-on (with its CRDs) is installed. Without them the
/// API server answers 404 for the whole `argoproj.io` group, which client-go reports as
/// `the server could not find the requested resource (<verb> <resource>.argoproj.io
/// [<name>])` (`NewGenericServerResponse`). `resource` is the plural (`rollouts`).
fn require_crds(
    cluster: &Cluster,
    verb: &str,
    resource: &str,
    name: Option<&str>,
) -> Result<(), KubectlError> {
    if cluster.serves(Kind::Rollout) {
        return Ok(());
    }
    let target = match name {
        Some(name) => format!("{resource}.argoproj.io {name}"),
        None => format!("{resource}.argoproj.io"),
    };
    Err(cli::error(format!(
        "the server could not find the requested resource ({verb} {target})"
    )))
}

/// `rollouts.argoproj.io "NAME" not found`: what a client's Get or Patch answers.
fn rollout_not_found(name: &str) -> KubectlError {
    cli::error(format!(
        "rollouts.argoproj.io {} not found",
        rollout_sim::api::go_quote(name)
    ))
}

/// Whether to colour: not with `--no-color`, not when `TERM=dumb`.
fn colors_on(invocation: &Invocation, env: &BTreeMap<String, String>) -> bool {
    !invocation.args.flag("no-color") && env.get("TERM").map(String::as_str) != Some("dumb")
}
