//! The playground page. Components only render state and send commands; everything they
//! show comes from `rollout_kubectl` and `rollout_sim`.
//!
//! ## Layout
//! - [`session`]: the lab, the transcript, the clock and the timeline, as plain Rust; the
//!   shell's poll protocol is driven here.
//! - `app`: the page, its signals ([`app::Page`]) and the animation-frame driver.
//! - [`transcript`]: terminal text — lines, colours, `\r`, `clear`.
//! - [`model`]: what the cluster view shows, read from the cluster's store.
//! - [`explanations`]: the sentences behind events, one table with a column per language.
//! - `terminal`, `timeline` (clock and timeline), `cluster_view`, `events`, `editor`:
//!   components.

mod app;
mod cluster_view;
mod editor;
mod events;
pub mod explanations;
pub mod model;
pub mod session;
mod terminal;
mod timeline;
pub mod transcript;

pub use app::{App, Page};
pub use terminal::Terminal;

/// Mounts the playground on the page's body.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(|| leptos::view! { <App/> });
}
