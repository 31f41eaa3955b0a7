//! kubectl plugins: programs on the lab machine's PATH that kubectl runs as `kubectl NAME …`
//! (kubectl looks for `kubectl-NAME` when NAME is not one of its own commands).
//!
//! - [`argo_rollouts`]: `kubectl argo rollouts`, Argo Rollouts' plugin.
//!
//! A plugin is its own program: it knows nothing of kubectl's commands (`cmd` dispatches to
//! it, never the other way round) and prints its own errors.

pub mod argo_rollouts;

/// The module (in the page, a wasm module of its own) that holds the Argo Rollouts plugin.
pub const ARGO_ROLLOUTS_PLUGIN: &str = "kubectl-argo-rollouts";

/// The Argo Rollouts plugin, when its code is at hand: always natively and in the tests; in
/// the page once its module is loaded (the page holds a line that runs it until then:
/// [`crate::releases::module_wanted_by`]).
pub fn argo_rollouts() -> Option<Box<dyn argo_rollouts::Program>> {
    #[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
    return crate::addon_modules::make_plugin(ARGO_ROLLOUTS_PLUGIN);
    #[cfg(not(all(target_arch = "wasm32", not(feature = "linked-addons"))))]
    Some(Box::new(argo_rollouts::ArgoRolloutsPlugin))
}

/// Whether `line` may run the Argo Rollouts plugin (`kubectl argo rollouts …`, or the
/// program by its own name): a superset, as a line is only held while the module loads.
pub fn may_run_argo_rollouts(line: &str) -> bool {
    let words: Vec<&str> = line.split_whitespace().collect();
    line.contains(ARGO_ROLLOUTS_PLUGIN)
        || words
            .windows(2)
            .any(|w| w[0].ends_with("argo") && w[1].starts_with("rollouts"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_that_may_run_the_plugin_are_told_from_lines_that_name_its_namespace() {
        for line in [
            "kubectl argo rollouts get rollout web -w",
            "kubectl  argo   rollouts version",
            "kubectl-argo-rollouts promote web",
            "alias kar='kubectl argo rollouts'",
            "watch -n1 kubectl argo rollouts list rollouts",
        ] {
            assert!(may_run_argo_rollouts(line), "{line}");
        }
        for line in [
            "kubectl create namespace argo-rollouts",
            "kubectl get pods -n argo-rollouts",
            "kubectl get rollouts",
        ] {
            assert!(!may_run_argo_rollouts(line), "{line}");
        }
    }
}
