//! The lab's split point: making a lab (a cluster and its controllers, a shell) and driving
//! it (submitting lines, polling the shell with every program behind it, moving the clock)
//! are reached only through [`Engine`], so in the page the simulator, kubectl and the shell
//! are a wasm module of their own (`lab_engine`, in `split_lab_engine-HASH.pack`) that the
//! page fetches as it starts, after its first download has drawn the layout and the lesson. Natively and in the
//! component tests they are linked in.
//!
//! Until the module is here, [`engine`] answers with [`PLACEHOLDER`]: an empty lab whose
//! shell runs nothing. The page holds every line until [`load`] is done and then makes its
//! lab again (`Session::start_with` in the page).

use super::Lab;
use crate::cmd::apply_problems::{self, Problem};
use crate::cmd::overwrites::{self, Overwrite};
use crate::shell::{Poll, Submit};
use rollout_sim::clock::Duration;
use rollout_sim::cluster::{Cluster, WorkerSize};
use rollout_sim::network::curl::CurlOutput;
use rollout_sim::objects::Kind;

/// The lab's code, as plain function pointers (the module hands them out once loaded).
pub struct Engine {
    /// A fresh cluster of the course's nodes and a shell whose `TERM` is the given one.
    pub new_lab: fn(u64, &str) -> Lab,
    /// The same on a cluster of `count` workers of `size`.
    pub with_workers: fn(u64, usize, WorkerSize, &str) -> Lab,
    pub submit: fn(&mut Lab, &str) -> Submit,
    pub poll: fn(&mut Lab) -> Poll,
    pub interrupt: fn(&mut Lab),
    pub advance: fn(&mut Lab, Duration),
    /// `curl ARGS` from the lab machine in `namespace` (the traffic panel's client).
    pub curl: fn(&mut Cluster, &[String], &str) -> CurlOutput,
    /// What `kubectl apply -f FILE` would report for a manifest (the editor's problems).
    pub apply_problems: fn(&str, &str, &dyn Fn(Kind) -> bool) -> Vec<Problem>,
    /// The objects a manifest would overwrite that someone else changed (the editor's
    /// warning before it applies).
    pub overwrites: fn(&Cluster, &str, &str) -> Vec<Overwrite>,
}

/// The real code.
#[cfg_attr(
    all(target_arch = "wasm32", not(feature = "linked-addons")),
    allow(dead_code)
)]
const LINKED: Engine = Engine {
    new_lab: Lab::make,
    with_workers: Lab::make_with_workers,
    submit: Lab::submit_here,
    poll: Lab::poll_here,
    interrupt: Lab::interrupt_here,
    advance: Lab::advance_here,
    curl: |cluster, args, namespace| cluster.curl(args, namespace, None),
    apply_problems: apply_problems::check,
    overwrites: overwrites::overwrites,
};

/// What the page has before the module arrives: an empty cluster and a shell that runs
/// nothing (every line is held until [`load`] is done, so none reaches it).
pub static PLACEHOLDER: Engine = Engine {
    new_lab: |seed, term| Lab::placeholder(seed, term),
    with_workers: |seed, _, _, term| Lab::placeholder(seed, term),
    submit: |_, _| Submit::Started,
    poll: |_| Poll::Done(0),
    interrupt: |_| {},
    advance: |_, _| {},
    curl: |_, _, _| CurlOutput {
        exit_code: 7,
        ..CurlOutput::default()
    },
    apply_problems: |_, _, _| Vec::new(),
    overwrites: |_, _, _| Vec::new(),
};

/// The lab's code: linked in, or the module's once loaded, else [`PLACEHOLDER`].
pub fn engine() -> &'static Engine {
    #[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
    return module::loaded().unwrap_or(&PLACEHOLDER);
    #[cfg(not(all(target_arch = "wasm32", not(feature = "linked-addons"))))]
    &LINKED
}

/// Whether the lab's code is here (linked in, or loaded).
pub fn loaded() -> bool {
    #[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
    return module::loaded().is_some();
    #[cfg(not(all(target_arch = "wasm32", not(feature = "linked-addons"))))]
    true
}

/// Fetches the module (the page's build; linked in otherwise). The error says why it could
/// not be.
pub async fn load() -> Result<(), String> {
    #[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
    return module::load().await.map(|_| ());
    #[cfg(not(all(target_arch = "wasm32", not(feature = "linked-addons"))))]
    Ok(())
}

#[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
mod module {
    use super::Engine;
    use std::future::Future;
    use std::sync::OnceLock;
    use std::task::{Context, Poll, Waker};
    use wasm_split_helpers::{wasm_split, SplitLoaderError};

    static ENGINE: OnceLock<Engine> = OnceLock::new();

    #[wasm_split(lab_engine, fallible, preload(load_lab_engine))]
    fn make_engine() -> Result<Engine, SplitLoaderError> {
        Ok(super::LINKED)
    }

    pub(super) async fn load() -> Result<&'static Engine, String> {
        if let Some(engine) = ENGINE.get() {
            return Ok(engine);
        }
        load_lab_engine()
            .await
            .map_err(|e| format!("lab-engine: {e}"))?;
        // The module is loaded, so the call's future is ready at its first poll.
        let mut made = std::pin::pin!(make_engine());
        match made.as_mut().poll(&mut Context::from_waker(Waker::noop())) {
            Poll::Ready(Ok(engine)) => Ok(ENGINE.get_or_init(|| engine)),
            Poll::Ready(Err(e)) => Err(format!("lab-engine: {e}")),
            Poll::Pending => Err("lab-engine: the module did not load".to_string()),
        }
    }

    pub(super) fn loaded() -> Option<&'static Engine> {
        ENGINE.get()
    }
}
