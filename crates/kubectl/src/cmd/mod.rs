//! The kubectl verbs, one per file, behind one dispatcher. Each verb parses its own flags,
//! acts on the cluster through its API, and prints what kubectl prints.

mod annotate;
mod apply;
pub mod apply_problems;
pub mod autoscaling;
mod cordon;
mod custom_columns;
mod describe;
mod diff;
mod documents;
mod drain;
pub mod edit;
mod explain;
mod generate;
mod get;
mod go_template;
pub mod jsonpath;
pub mod logs;
pub mod more_verbs;
pub mod overwrites;
mod pod_template;
pub mod port_forward;
mod rollout;
pub mod run;
mod scale;
pub mod server_side;
mod set_env;
mod set_image;
mod set_resources;
mod set_selector;
mod static_text;
pub mod subresource;
mod three_way;
mod wait;

use crate::error::KubectlError;
use crate::plugins::argo_rollouts;
use crate::Output;
use rollout_sim::cluster::Cluster;
use std::collections::BTreeMap;

/// What a verb works with: the cluster, the user's files (for `-f`), standard input, and
/// where its output goes.
pub struct Ctx<'a> {
    pub cluster: &'a mut Cluster,
    /// The machine's files by absolute path, and the directory relative paths start from.
    pub files: &'a BTreeMap<String, String>,
    pub cwd: &'a str,
    /// The program's environment (`TERM`, `HOME`), as the shell passed it.
    pub env: &'a BTreeMap<String, String>,
    pub stdin: Option<&'a str>,
    pub out: &'a mut Output,
    /// How wide the terminal is that standard output goes to (`None`: no terminal, such as a
    /// pipe); kubectl fits its help to it.
    pub columns: Option<u16>,
}

impl Ctx<'_> {
    pub fn println(&mut self, line: impl AsRef<str>) {
        self.out.stdout.push_str(line.as_ref());
        self.out.stdout.push('\n');
    }

    pub fn eprintln(&mut self, line: impl AsRef<str>) {
        self.out.stderr.push_str(line.as_ref());
        self.out.stderr.push('\n');
    }
}

/// A verb that keeps running on the virtual clock (`rollout status`, `get --watch`).
#[derive(Clone, Debug)]
pub enum Waiting {
    RolloutStatus(rollout::StatusWatch),
    Get(Box<get::GetWatch>),
    Gone(apply::WaitGone),
    /// `kubectl argo rollouts get rollout -w`, `status`, `list rollouts -w`.
    ArgoRollouts(argo_rollouts::RunningWatch),
    /// `kubectl logs -f`.
    Logs(logs::LogFollow),
    /// `kubectl wait --for=…`.
    Wait(Box<wait::WaitFor>),
    /// `kubectl drain`: the only waiting verb that writes (evictions, retried on the clock).
    Drain(Box<drain::Drain>),
    /// `kubectl port-forward`: its listeners are in the cluster's network until it stops.
    PortForward(Box<port_forward::PortForward>),
}

impl Waiting {
    /// Prints what changed since the last poll. `Some` once the command has finished.
    pub fn poll(
        &mut self,
        cluster: &mut Cluster,
        out: &mut Output,
    ) -> Option<Result<(), KubectlError>> {
        match self {
            Waiting::RolloutStatus(watch) => watch.poll(cluster, out),
            Waiting::Get(watch) => watch.poll(cluster, out),
            Waiting::Gone(watch) => watch.poll(cluster, out),
            Waiting::ArgoRollouts(watch) => watch.poll(cluster, out),
            Waiting::Logs(follow) => follow.poll(cluster, out),
            Waiting::Wait(wait) => wait.poll(cluster, out),
            Waiting::Drain(drain) => drain.poll(cluster, out),
            Waiting::PortForward(forward) => forward.poll(cluster, out),
        }
    }

    /// Stopped from outside (Ctrl-C, `kill`): lets go of what it holds in the cluster.
    pub fn stop(&self, cluster: &mut Cluster) {
        if let Waiting::PortForward(forward) = self {
            forward.stop(cluster);
        }
    }

    /// When it gives up by itself (`kubectl wait --timeout`): the clock should stop there.
    pub fn deadline(&self) -> Option<rollout_sim::clock::Time> {
        match self {
            Waiting::Wait(wait) => wait.deadline(),
            Waiting::RolloutStatus(watch) => watch.deadline(),
            Waiting::Drain(drain) => drain.wakes_at(),
            _ => None,
        }
    }

    /// What it prints on stderr when Ctrl-C stops it, if anything.
    pub fn interrupted(&self, cluster: &Cluster) -> Option<String> {
        match self {
            Waiting::ArgoRollouts(watch) => watch.interrupted(cluster),
            _ => None,
        }
    }
}

/// How a verb ended.
pub enum Flow {
    Done,
    Wait(Waiting),
    /// `run -it` / `exec -it`: the user continues inside a pod.
    Attach(run::Attach),
    /// `kubectl edit`: the object's YAML goes to the editor first.
    Edit(edit::Edit),
    /// `exec POD -- COMMAND`: the command runs in the pod.
    Exec(run::Exec),
}

/// Every verb kubectl has here, for dispatch, "did you mean" and the page's Tab completion.
pub const VERBS: &[&str] = &[
    "annotate",
    "api-resources",
    "apply",
    "autoscale",
    "cordon",
    "create",
    "delete",
    "describe",
    "diff",
    "drain",
    "edit",
    "exec",
    "explain",
    "expose",
    "get",
    "help",
    "label",
    "logs",
    "patch",
    "port-forward",
    "replace",
    "rollout",
    "run",
    "scale",
    "set",
    "top",
    "uncordon",
    "version",
    "wait",
];

/// Runs `kubectl ARGS…` (`argv` without the leading `kubectl`).
pub fn run(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    // `kubectl argo rollouts …`: not a kubectl command, so kubectl runs the plugin
    // `kubectl-argo-rollouts` from the PATH (only when the plugin's name comes first).
    if let [argo, rollouts, rest @ ..] = argv {
        if argo == "argo" && rollouts == "rollouts" {
            return run_argo_rollouts(ctx, rest);
        }
    }
    // kubectl's plugin lookup reads the plugin's name from the leading arguments only.
    if let Some(at) = verb_position(argv) {
        let plugin = argv
            .get(at..at + 2)
            .is_some_and(|w| w[0] == "argo" && w[1] == "rollouts");
        if at > 0 && plugin {
            return Err(KubectlError::plain(format!(
                "flags cannot be placed before plugin name: {}",
                argv[0]
            )));
        }
    }
    // Global flags may come before the verb (`kubectl -n kube-system get pods`).
    let verb_at = verb_position(argv);
    let Some(verb) = verb_at.map(|i| argv[i].as_str()) else {
        ctx.out
            .stdout
            .push_str(&crate::help::render(&[], ctx.columns).unwrap_or_default());
        return Ok(Flow::Done);
    };
    let mut rest: Vec<String> = argv[..verb_at.unwrap_or(0)].to_vec();
    rest.extend_from_slice(&argv[verb_at.unwrap_or(0) + 1..]);
    if rest
        .iter()
        .take_while(|a| *a != "--")
        .any(|a| a == "-h" || a == "--help")
    {
        if let Some(help) = command_help(verb, &rest, ctx.columns) {
            ctx.out.stdout.push_str(&help);
            return Ok(Flow::Done);
        }
    }
    match verb {
        "version" => static_text::version(ctx, &rest),
        "api-resources" => static_text::api_resources(ctx, &rest),
        "help" | "--help" | "-h" => {
            ctx.out
                .stdout
                .push_str(&crate::help::render(&[], ctx.columns).unwrap_or_default());
            Ok(Flow::Done)
        }
        "apply" => apply::run(ctx, &rest, apply::Mode::Apply),
        "create" => match rest.first().map(String::as_str) {
            Some("deployment" | "deploy") => generate::create_deployment(ctx, &rest[1..]),
            Some("service" | "svc") => generate::create_service(ctx, &rest[1..]),
            Some("namespace" | "ns") => generate::create_namespace(ctx, &rest[1..]),
            _ => apply::run(ctx, &rest, apply::Mode::Create),
        },
        "expose" => generate::expose(ctx, &rest),
        "replace" => apply::run(ctx, &rest, apply::Mode::Replace),
        "delete" => apply::delete(ctx, &rest),
        "get" => get::run(ctx, &rest),
        "describe" => more_verbs::run("describe", ctx, &rest),
        "explain" => more_verbs::run("explain", ctx, &rest),
        "run" => run::run(ctx, &rest),
        "patch" => more_verbs::run("patch", ctx, &rest),
        "edit" => more_verbs::run("edit", ctx, &rest),
        "exec" => run::exec(ctx, &rest),
        "logs" => logs::logs(ctx, &rest),
        "scale" => scale::run(ctx, &rest),
        "autoscale" => autoscaling::commands()?.autoscale(ctx, &rest),
        "top" => autoscaling::commands()?.top(ctx, &rest),
        "cordon" => more_verbs::run("cordon", ctx, &rest),
        "uncordon" => more_verbs::run("uncordon", ctx, &rest),
        "drain" => more_verbs::run("drain", ctx, &rest),
        "diff" => diff::run(ctx, &rest),
        "set" => set_image::run(ctx, &rest),
        "label" => annotate::run(ctx, &rest, annotate::Target::Labels),
        "annotate" => annotate::run(ctx, &rest, annotate::Target::Annotations),
        "rollout" => more_verbs::run("rollout", ctx, &rest),
        "wait" => wait::run(ctx, &rest),
        "port-forward" => port_forward::run(ctx, &rest),
        // kubectl has it, the course does not use it: say so rather than "unknown command".
        other if static_text::listed_but_not_simulated(other) => Err(KubectlError::plain(format!(
            "\"kubectl {other}\" is not simulated in Rollout Lab (it works on a real cluster)"
        ))),
        other => Err(KubectlError::UnknownCommand {
            command: other.to_string(),
            suggestions: suggestions(other),
        }),
    }
}

/// `kubectl VERB [SUB [SUB]] … --help`: the help of the longest command the words name
/// (`rollout undo deployment/web --help` is `rollout undo`'s), fitted to the terminal.
fn command_help(verb: &str, rest: &[String], columns: Option<u16>) -> Option<String> {
    let words: Vec<&str> = std::iter::once(verb)
        .chain(
            rest.iter()
                .take_while(|a| *a != "--")
                .filter(|a| !a.starts_with('-'))
                .map(String::as_str),
        )
        .take(3)
        .collect();
    (1..=words.len())
        .rev()
        .find_map(|n| crate::help::render(&words[..n], columns))
}

/// The Argo Rollouts plugin, with this command's cluster, environment and output.
fn run_argo_rollouts(ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    let Some(program) = crate::plugins::argo_rollouts() else {
        // Only in the page, when the plugin's module could not be fetched.
        return Err(KubectlError::plain(format!(
            "rollout-lab: the {} plugin could not be loaded; reload the page to try again",
            crate::plugins::ARGO_ROLLOUTS_PLUGIN
        )));
    };
    let mut plugin = argo_rollouts::Plugin {
        cluster: ctx.cluster,
        env: ctx.env,
        out: ctx.out,
    };
    Ok(match program.run(&mut plugin, argv)? {
        argo_rollouts::Outcome::Done => Flow::Done,
        argo_rollouts::Outcome::Watch(watch) => Flow::Wait(Waiting::ArgoRollouts(watch)),
    })
}

/// The first argument that is not a global flag or its value.
fn verb_position(argv: &[String]) -> Option<usize> {
    let mut i = 0;
    while i < argv.len() {
        let arg = &argv[i];
        if arg == "-h" || arg == "--help" {
            return Some(i);
        }
        if arg.starts_with('-') {
            let takes_value = matches!(
                arg.as_str(),
                "-n" | "--namespace" | "--context" | "--kubeconfig" | "--cluster" | "--user" | "-v"
            );
            i += if takes_value { 2 } else { 1 };
            continue;
        }
        return Some(i);
    }
    None
}

/// Cobra's suggestions: verbs within edit distance 2, or that start with what was typed.
fn suggestions(typed: &str) -> Vec<String> {
    VERBS
        .iter()
        .filter(|verb| {
            crate::args::levenshtein(typed, verb) <= 2
                || (typed.len() > 1 && verb.starts_with(typed))
        })
        .map(|verb| verb.to_string())
        .collect()
}

/// `kind/name` and `TYPE NAME` forms for verbs that act on exactly named objects.
/// What kubectl's resource builder says when given neither a resource nor a file.
pub(crate) const NO_RESOURCES: &str = "You must provide one or more resources by argument or filename.\nExample resource specifications include:\n   '-f rsrc.yaml'\n   '--filename=rsrc.json'\n   '<resource> <name>'\n   '<resource>'";

pub(crate) fn named_targets(
    _command: &str,
    positional: &[String],
    cluster: &Cluster,
) -> Result<Vec<(rollout_sim::objects::Kind, String)>, KubectlError> {
    let targets = crate::resource::parse_targets(positional, cluster)?;
    if targets.is_empty() {
        return Err(KubectlError::plain(NO_RESOURCES));
    }
    targets
        .into_iter()
        .map(|(kind, name)| match name {
            Some(name) => Ok((kind, name)),
            None => Err(KubectlError::plain(
                "resource(s) were provided, but no name was specified",
            )),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn close_verbs_are_suggested() {
        assert_eq!(suggestions("gett"), vec!["get", "set"]);
        assert_eq!(suggestions("rolout"), vec!["rollout"]);
        assert!(suggestions("frobnicate").is_empty());
    }
}
