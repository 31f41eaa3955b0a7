//! # Rollout Lab
//!
//! A browser playground where people learn how Kubernetes releases software.
//!
//! ## Layout
//! - `crates/sim` (`rollout_sim`): the cluster simulation. No web, no wall clock.
//! - `crates/kubectl` (`rollout_kubectl`): command text in, actions and printed text out.
//! - [`web`] (browser only): Leptos components that render state and send commands.
//! - [`cli`] (native only): the headless runner used by course authors and tests.

#[cfg(not(target_arch = "wasm32"))]
pub mod cli;
#[cfg(target_arch = "wasm32")]
pub mod web;
