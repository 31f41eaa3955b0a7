//! Autoscaling's commands: `kubectl top`, `kubectl autoscale`, `kubectl describe hpa` and the
//! TARGETS cell of `kubectl get hpa` (`printers::kinds::hpa_targets`).
//! kubectl reaches them only through [`Commands`], so in the page their code (with the
//! metrics-server add-on's, which `top` reads) is a wasm module of its own, fetched for the
//! first line that may need it ([`may_need`]); natively they are linked in.

mod autoscale;
mod top;

use super::{Ctx, Flow};
use crate::error::KubectlError;
use rollout_sim::clock::Time;
use rollout_sim::objects::{Event, HorizontalPodAutoscaler};

/// The page's name for the module holding these commands.
pub const AUTOSCALING: &str = "autoscaling";

/// What kubectl calls through the module's vtable.
pub trait Commands {
    fn top(&self, ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError>;
    fn autoscale(&self, ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError>;
    fn describe(&self, hpa: &HorizontalPodAutoscaler, events: &[Event], now: Time) -> String;
    /// `get hpa`'s TARGETS cell (and the cluster view's).
    fn hpa_metrics(&self, hpa: &HorizontalPodAutoscaler) -> String;
}

struct Linked;

impl Commands for Linked {
    fn top(&self, ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
        top::run(ctx, argv)
    }

    fn autoscale(&self, ctx: &mut Ctx<'_>, argv: &[String]) -> Result<Flow, KubectlError> {
        autoscale::run(ctx, argv)
    }

    fn describe(&self, hpa: &HorizontalPodAutoscaler, events: &[Event], now: Time) -> String {
        crate::describe::describe_horizontal_pod_autoscaler(hpa, events, now)
    }

    fn hpa_metrics(&self, hpa: &HorizontalPodAutoscaler) -> String {
        hpa.metrics_text()
    }
}

/// The commands, when their code is at hand: always natively; in the page once the module is
/// loaded (the page holds a line that may need them until then).
pub fn commands() -> Result<Box<dyn Commands>, KubectlError> {
    #[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
    return page::make().ok_or_else(|| {
        KubectlError::plain("the lab could not load its autoscaling commands; reload the page")
    });
    #[cfg(not(all(target_arch = "wasm32", not(feature = "linked-addons"))))]
    Ok(Box::new(Linked))
}

/// Whether `line` may run one of these commands: a superset (a line is only held while the
/// module loads). `kubectl top`, `kubectl autoscale`, `describe` of an HPA by any of its
/// names (`describe all` style lines naming no type do not describe HPAs), and `get` of HPAs
/// or of `all` (their TARGETS).
pub fn may_need(line: &str) -> bool {
    let lower = line.to_ascii_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let names_hpas = ["hpa", "horizontalpodautoscaler"]
        .iter()
        .any(|name| lower.contains(name));
    words.iter().any(|w| *w == "top" || *w == "autoscale")
        || (words.contains(&"describe") && names_hpas)
        || (words.contains(&"get")
            && (names_hpas || words.iter().any(|w| w.split(',').any(|t| t == "all"))))
}

/// Whether the page must fetch the module before `line` runs.
pub fn module_wanted_by(line: &str) -> bool {
    #[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
    return may_need(line) && !page::loaded() && !page::failed();
    #[cfg(not(all(target_arch = "wasm32", not(feature = "linked-addons"))))]
    {
        let _ = line;
        false
    }
}

/// Fetches the module (the page's build; linked in otherwise). Not retried after a failure:
/// the line then runs and says the commands are missing.
pub async fn load_module() -> Result<(), String> {
    #[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
    return page::load()
        .await
        .map_err(|e| format!("{AUTOSCALING}: {e}"));
    #[cfg(not(all(target_arch = "wasm32", not(feature = "linked-addons"))))]
    Ok(())
}

/// The module's split point. It knows itself whether it loaded.
#[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
pub mod page {
    use std::future::Future;
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::task::{Context, Poll, Waker};
    use wasm_split_helpers::{wasm_split, SplitLoaderError};

    static LOADED: AtomicBool = AtomicBool::new(false);
    static FAILED: AtomicBool = AtomicBool::new(false);

    #[wasm_split(autoscaling, fallible, preload(load_autoscaling))]
    fn make_autoscaling() -> Result<Box<dyn super::Commands>, SplitLoaderError> {
        Ok(Box::new(super::Linked))
    }

    /// Fetches the module.
    pub async fn load() -> Result<(), SplitLoaderError> {
        if let Err(error) = load_autoscaling().await {
            FAILED.store(true, Ordering::Relaxed);
            return Err(error);
        }
        LOADED.store(true, Ordering::Relaxed);
        crate::printers::kinds::set_hpa_metrics(Box::new(|hpa| {
            make().map_or_else(String::new, |commands| commands.hpa_metrics(hpa))
        }));
        Ok(())
    }

    /// Whether fetching the module failed (not asked for again until the page reloads).
    pub fn failed() -> bool {
        FAILED.load(Ordering::Relaxed)
    }

    /// Whether the module is loaded.
    pub fn loaded() -> bool {
        LOADED.load(Ordering::Relaxed)
    }

    /// The commands, if the module is loaded.
    pub fn make() -> Option<Box<dyn super::Commands>> {
        if !loaded() {
            return None;
        }
        // The module is loaded, so the call's future is ready at its first poll.
        let mut made = std::pin::pin!(make_autoscaling());
        match made.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(Ok(commands)) => Some(commands),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::may_need;

    #[test]
    fn lines_that_may_need_the_module() {
        for line in [
            "kubectl top pods",
            "kubectl autoscale deployment web --max=5",
            "kubectl describe hpa web",
            "kubectl describe horizontalpodautoscalers.autoscaling web",
            "watch kubectl top pod",
        ] {
            assert!(may_need(line), "{line}");
        }
        for line in [
            "kubectl get hpa",
            "kubectl get all -A",
            "kubectl get hpa,deploy",
        ] {
            assert!(may_need(line), "{line}");
        }
        for line in ["kubectl apply -f web.yaml", "kubectl get pods", "echo stop"] {
            assert!(!may_need(line), "{line}");
        }
    }
}
