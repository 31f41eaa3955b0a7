//! # rollout-kubectl: kubectl and a small shell over the simulator
//!
//! Text in, actions on the cluster; cluster state in, text out. Knows nothing about the web.

#[cfg(all(target_arch = "wasm32", not(feature = "linked-addons")))]
pub mod addon_modules;
pub mod args;
pub mod cmd;
pub mod describe;
pub mod error;
pub mod fetched;
pub mod held;
pub mod help;
pub mod lab;
pub mod lesson;
pub mod openapi;
pub mod plugins;
pub mod printers;
pub mod releases;
pub mod resource;
pub mod runner;
pub mod selector;
pub mod shell;
#[cfg(test)]
mod test_fixtures;

/// What one command line printed, split the way a terminal shows it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Output {
    /// Text kubectl writes to standard output.
    pub stdout: String,
    /// Text kubectl writes to standard error (the UI colours it).
    pub stderr: String,
    /// All of `stderr` was written before `stdout` (by default it follows it): `kubectl logs
    /// TYPE/NAME` names the pod it picked before the log.
    pub stderr_first: bool,
}
