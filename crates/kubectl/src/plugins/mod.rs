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
    return page::make_plugin();
    #[cfg(not(all(target_arch = "wasm32", not(feature = "linked-addons"))))]
    Some(Box::new(argo_rollouts::ArgoRolloutsPlugin))
}

/// The plugin's split point: its code (reached only through the returned vtable) is a wasm
/// module of its own, fetched by [`page::load`] with the add-on's module or for the first line
/// that may run the plugin. It knows itself whether it loaded, so that nothing here reads the
/// add-ons' module list (which calls [`page::load`]).
#[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
pub mod page {
    use std::future::Future;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::task::{Context, Poll, Waker};
    use wasm_split_helpers::{wasm_split, SplitLoaderError};

    static LOADED: AtomicBool = AtomicBool::new(false);

    #[wasm_split(argo_rollouts_plugin, fallible, preload(load_argo_rollouts_plugin))]
    fn make_argo_rollouts_plugin(
    ) -> Result<Box<dyn super::argo_rollouts::Program>, SplitLoaderError> {
        Ok(Box::new(super::argo_rollouts::ArgoRolloutsPlugin))
    }

    /// Fetches the plugin's module.
    pub async fn load() -> Result<(), SplitLoaderError> {
        load_argo_rollouts_plugin().await?;
        LOADED.store(true, Ordering::Relaxed);
        Ok(())
    }

    /// The plugin, if its module is loaded.
    pub fn make_plugin() -> Option<Box<dyn super::argo_rollouts::Program>> {
        if !LOADED.load(Ordering::Relaxed) {
            return None;
        }
        // The module is loaded, so the call's future is ready at its first poll.
        let mut made = std::pin::pin!(make_argo_rollouts_plugin());
        match made.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(Ok(plugin)) => Some(plugin),
            _ => None,
        }
    }
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
