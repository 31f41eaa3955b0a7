//! The split point of kubectl's verbs beyond get/apply/create: `describe` (with every
//! describer), `explain` (with the reader of its schemas), `edit`, `patch`, `rollout`,
//! the nodes' `cordon`, `uncordon` and `drain`, `apply --server-side`'s merge, and the
//! template printers (`-o jsonpath`, `-o go-template`, and the JSONPath expressions of
//! `custom-columns` and `wait --for=jsonpath`) are reached only through [`MoreVerbs`], so
//! that in the page they are a wasm module of their own (`kubectl_verbs`), fetched for the
//! first line that may run one of them: the page holds that line ([`wanted_by`], through
//! `held::wanted_by`, as it holds one for explain's schemas) until [`load`] is done.
//! Natively and in the tests they are linked in.
//!
//! Its loading is its own, not the add-ons' list's (`addon_modules`, `releases`): those are
//! read by kubectl's verbs (`apply` installs a release), and these verbs' module must not be.

use super::server_side::{Applied, ApplyError};
use super::{Ctx, Flow};
use crate::error::KubectlError;
use rollout_sim::cluster::Cluster;
use rollout_sim::objects::Kind;
use serde_json::Value;

/// The module (in the page, a wasm module of its own) that holds these verbs.
pub const KUBECTL_VERBS: &str = "kubectl-verbs";

/// The verbs [`run`](MoreVerbs::run) dispatches.
const RUNS: &[&str] = &[
    "describe", "explain", "edit", "patch", "rollout", "cordon", "uncordon", "drain",
];

/// The verbs and printers of the module.
pub(crate) trait MoreVerbs {
    /// One of [`RUNS`], with the arguments after the verb.
    fn run(&self, verb: &str, ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError>;
    /// `-o go-template=TEMPLATE`.
    fn go_template(&self, template: &str, value: &Value) -> Result<String, KubectlError>;
    /// `-o jsonpath=TEMPLATE`, or `-o jsonpath-as-json=TEMPLATE` when `as_json`.
    fn jsonpath(
        &self,
        template: &str,
        value: &Value,
        as_json: bool,
    ) -> Result<String, KubectlError>;
    /// kubectl's relaxed JSONPath expression (`{.a.b}` from `a.b`).
    fn jsonpath_relaxed(&self, expression: &str) -> Result<String, KubectlError>;
    /// Whether a JSONPath expression parses.
    fn jsonpath_check(&self, expression: &str) -> Result<(), KubectlError>;
    /// The values a JSONPath expression leads to from `value`.
    fn jsonpath_find(&self, expression: &str, value: &Value) -> Result<Vec<Value>, KubectlError>;
    /// `kubectl apply --server-side` of one object (`server_side::apply`).
    fn server_side_apply(
        &self,
        cluster: &mut Cluster,
        kind: Kind,
        config: &Value,
        manager: &str,
        force: bool,
    ) -> Result<Applied, ApplyError>;
}

/// The verbs themselves.
struct Verbs;

impl MoreVerbs for Verbs {
    fn run(&self, verb: &str, ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
        match verb {
            "describe" => super::describe::run(ctx, argv),
            "explain" => super::explain::run(ctx, argv),
            "edit" => super::edit::edit(ctx, argv),
            "patch" => super::edit::patch(ctx, argv),
            "rollout" => super::rollout::run(ctx, argv),
            "cordon" => super::cordon::run(ctx, argv, true),
            "uncordon" => super::cordon::run(ctx, argv, false),
            "drain" => super::drain::run(ctx, argv),
            other => Err(KubectlError::plain(format!("unknown command \"{other}\""))),
        }
    }
    fn go_template(&self, template: &str, value: &Value) -> Result<String, KubectlError> {
        super::go_template::render(template, value)
    }
    fn jsonpath(
        &self,
        template: &str,
        value: &Value,
        as_json: bool,
    ) -> Result<String, KubectlError> {
        if as_json {
            super::jsonpath::render_as_json(template, value)
        } else {
            super::jsonpath::render(template, value)
        }
    }
    fn jsonpath_relaxed(&self, expression: &str) -> Result<String, KubectlError> {
        super::jsonpath::relaxed(expression)
    }
    fn jsonpath_check(&self, expression: &str) -> Result<(), KubectlError> {
        super::jsonpath::check(expression)
    }
    fn jsonpath_find(&self, expression: &str, value: &Value) -> Result<Vec<Value>, KubectlError> {
        super::jsonpath::find(expression, value)
    }
    fn server_side_apply(
        &self,
        cluster: &mut Cluster,
        kind: Kind,
        config: &Value,
        manager: &str,
        force: bool,
    ) -> Result<Applied, ApplyError> {
        super::server_side::apply(cluster, kind, config, manager, force)
    }
}

/// The verbs, when their code is at hand: always natively and in the tests; in the page once
/// their module is loaded.
fn verbs() -> Option<Box<dyn MoreVerbs>> {
    #[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
    return page::make_verbs();
    #[cfg(not(all(target_arch = "wasm32", not(feature = "linked-addons"))))]
    Some(Box::new(Verbs))
}

/// The verbs, or the error kubectl prints in the page when their module is not loaded (it
/// could not be fetched, or a script reached a verb its line did not name).
pub(crate) fn more_verbs() -> Result<Box<dyn MoreVerbs>, KubectlError> {
    verbs().ok_or_else(|| {
        KubectlError::plain(
            "rollout-lab: this kubectl command's code could not be loaded yet; run the line again (or reload the page)",
        )
    })
}

/// Runs `verb` (one of [`RUNS`]) through the module.
pub(crate) fn run(verb: &str, ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
    more_verbs()?.run(verb, ctx, argv)
}

/// Whether the page must hold `line` until the module is loaded: it may run one of the
/// module's verbs ([`may_run`]) and the module has still to be fetched (one that could not be
/// is not asked for again, so a line is not held for ever; its verb then says so).
pub fn wanted_by(line: &str) -> bool {
    #[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
    return page::wanted() && may_run(line);
    #[cfg(not(all(target_arch = "wasm32", not(feature = "linked-addons"))))]
    {
        let _ = line;
        false
    }
}

/// Fetches the module (the page's build; linked in otherwise). The error says why it could
/// not be.
pub async fn load() -> Result<(), String> {
    #[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
    return page::load()
        .await
        .map_err(|error| format!("{KUBECTL_VERBS}: {error}"));
    #[cfg(not(all(target_arch = "wasm32", not(feature = "linked-addons"))))]
    Ok(())
}

/// The verbs' split point, as the Argo Rollouts plugin's (`plugins::page`).
#[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
mod page {
    use std::future::Future;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::task::{Context, Poll, Waker};
    use wasm_split_helpers::{wasm_split, SplitLoaderError};

    static LOADED: AtomicBool = AtomicBool::new(false);
    static FAILED: AtomicBool = AtomicBool::new(false);

    /// Whether the module has still to be fetched.
    pub(super) fn wanted() -> bool {
        !LOADED.load(Ordering::Relaxed) && !FAILED.load(Ordering::Relaxed)
    }

    #[wasm_split(kubectl_verbs, fallible, preload(load_kubectl_verbs))]
    fn make_kubectl_verbs() -> Result<Box<dyn super::MoreVerbs>, SplitLoaderError> {
        Ok(Box::new(super::Verbs))
    }

    /// Fetches the verbs' module.
    pub(super) async fn load() -> Result<(), SplitLoaderError> {
        if let Err(error) = load_kubectl_verbs().await {
            FAILED.store(true, Ordering::Relaxed);
            return Err(error);
        }
        LOADED.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// The verbs, if their module is loaded.
    pub(super) fn make_verbs() -> Option<Box<dyn super::MoreVerbs>> {
        if !LOADED.load(Ordering::Relaxed) {
            return None;
        }
        // The module is loaded, so the call's future is ready at its first poll.
        let mut made = std::pin::pin!(make_kubectl_verbs());
        match made.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(Ok(verbs)) => Some(verbs),
            _ => None,
        }
    }
}

/// Whether `line` may run one of the module's verbs or printers: it names one of [`RUNS`] as
/// a word, or a template printer (`jsonpath`, `template`, `custom-columns`) or
/// `--server-side` anywhere, or it may run a script file (`bash FILE`, `sh FILE`, `source FILE`, `. FILE`, `./FILE`), whose
/// lines the page does not see. A superset: the line is only held while the module loads.
pub fn may_run(line: &str) -> bool {
    let command = crate::shell::without_heredoc_bodies(line);
    let line = command.as_str();
    let names_a_verb = line
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .any(|word| RUNS.contains(&word));
    let names_a_printer = ["jsonpath", "template", "custom-columns", "server-side"]
        .iter()
        .any(|printer| line.contains(printer));
    names_a_verb
        || names_a_printer
        || line
            .split(|c: char| c.is_whitespace() || matches!(c, ';' | '|' | '&' | '(' | ')' | '`'))
            .any(|word| {
                matches!(
                    word,
                    "bash" | "sh" | "/bin/bash" | "/bin/sh" | "source" | "."
                ) || (word.starts_with("./")
                    && ![".yaml", ".yml", ".json"]
                        .iter()
                        .any(|ext| word.ends_with(ext)))
            })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_heredocs_body_names_no_verb() {
        let apply = "kubectl apply -f - <<EOF\nspec:\n  template:\n    metadata: {}\nEOF";
        assert!(!may_run(apply));
        assert!(may_run(
            "cat <<'EOF' | kubectl apply -f -\nx: 1\nEOF\nkubectl describe pods"
        ));
    }

    #[test]
    fn lines_that_may_run_a_verb_of_the_module_are_told_from_others() {
        for line in [
            "kubectl describe deploy/web",
            "kubectl -n demo describe pod web-1",
            "kubectl explain deployment.spec",
            "kubectl edit deploy web",
            "kubectl patch deploy web -p '{}'",
            "kubectl rollout status deploy/web",
            "kubectl drain node-2 --ignore-daemonsets",
            "kubectl cordon node-2 && kubectl uncordon node-2",
            "kubectl get pods -o jsonpath='{.items[*].metadata.name}'",
            "kubectl get pods -ojsonpath={.items}",
            "kubectl get deploy web -o go-template='{{.spec.replicas}}'",
            "kubectl get pods -o custom-columns=NAME:.metadata.name",
            "kubectl get pods -o custom-columns-file=cols.txt",
            "kubectl apply --server-side -f web.yaml",
            "kubectl wait --for=jsonpath='{.status.phase}'=Running pod/web",
            "alias kd='kubectl describe'",
            "k() { kubectl rollout undo \"$@\"; }",
            "bash deploy.sh",
            "./deploy.sh",
            "source env.sh",
            ". env.sh",
        ] {
            assert!(may_run(line), "{line}");
        }
        for line in [
            "kubectl get pods",
            "kubectl apply -f ./web.yaml",
            "kubectl create deployment web --image=nginx",
            "kubectl scale deploy/web --replicas=3",
            "kubectl set image deploy/web web=nginx:1.27",
            "kubectl get pods -o wide",
            "kubectl get deploy web -o yaml",
            "echo rollouts described",
            "kubectl get pods | grep Running | wc -l",
        ] {
            assert!(!may_run(line), "{line}");
        }
    }
}
