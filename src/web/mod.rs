//! The playground page. Components only render state and send commands; everything they
//! show comes from `rollout_kubectl` and `rollout_sim`.
//!
//! ## Layout
//! - [`session`]: the lab, the transcript, the clock and the timeline, as plain Rust; the
//!   shell's poll protocol is driven here.
//! - [`page`]: the page's state — the session, the signals every panel reads ([`page::Page`])
//!   and the animation-frame driver. It depends on no panel.
//! - `app`: composes the panels into the page; [`layout`] is where they sit (the grid, its
//!   separators that resize by dragging or keys, remembered sizes, maximised panes).
//! - [`transcript`]: terminal text — lines, colours, `\r`, `clear`.
//! - [`model`]: what the cluster view shows, read from the cluster's store.
//! - [`explanations`]: the sentences behind events, one table with a column per language.
//! - [`i18n`]: the page's own words, the same way.
//! - [`work`]: the work around the lessons — where it starts (URL, save, shared link), which
//!   steps are green, saving; read by the panels as a context.
//! - `course_host`: the `postMessage` protocol with a course page embedding the lab
//!   (docs/embedding.md), origin-checked both ways.
//! - `lesson_files`: lessons from outside the build (`lessons/index.json` beside the bundle,
//!   `?lesson-url=`), fetched after start-up and checked like the built-in ones;
//!   `load_failure`: why one could not be used.
//! - [`lessons`]: the lesson panel (with `author`, the lesson file beside the lab and its
//!   checks as they stand, in author mode: `?author=1`); [`welcome`]: the sandbox's first-visit lines in the
//!   terminal.
//! - [`save`]: the session's event log, its saved/shared encoding, the exported script.
//! - [`params`]: the URL's parameters and the browser calls around them.
//! - `fetch`: the page's one `fetch` of a text file, below all that fetch.
//! - `data`: data files fetched on first use from beside the bundle (`kubectl explain`'s
//!   schemas), held lines waiting for them (`Session::wants_data`).
//! - [`share`]: the share link, copied to the clipboard (or shown to copy by hand).
//! - [`traffic`]: curl answers with their virtual time, and the "send traffic" client.
//! - [`manifest_check`]: the editor's problems at their line, and its YAML colouring.
//! - [`completion`]: Tab completion of a shell line (verbs, kinds, names, files, flags).
//! - `terminal`, `timeline` (clock and timeline), `cluster_view` (with `rollout_view`, one
//!   Argo Rollout with its steps, weights, routes and plugin buttons; `replica_set_row`, one
//!   ReplicaSet; `pod_card`, one pod; `pod_grid`, many pods as cells with counts;
//!   `node_lanes`, the same pods by node; and `overlay`, the lines from Services to their endpoints and the fading
//!   outlines of pods that just left), `traffic_panel`, `events`, `editor`: components.

mod app;
mod author;
mod cluster_view;
pub mod completion;
mod course_host;
mod data;
mod editor;
mod embed_bar;
mod events;
pub mod explanations;
mod fetch;
pub mod gateway;
mod gateway_read;
mod gateway_view;
pub mod i18n;
pub mod layout;
mod lesson_fetch;
mod lesson_files;
pub mod lessons;
mod load_failure;
pub mod manifest_check;
pub mod model;
pub mod model_reader;
mod node_lanes;
mod overlay;
pub mod page;
pub mod params;
mod pod_card;
mod pod_grid;
mod replica_set_row;
mod resize;
mod rollout_view;
pub mod save;
pub mod session;
pub mod share;
mod stale_file;
mod terminal;
mod timeline;
pub mod traffic;
mod traffic_panel;
pub mod transcript;
pub mod welcome;
pub mod work;

pub use app::App;
pub use page::Page;
pub use terminal::Terminal;

/// Mounts the playground on the page's body.
pub fn mount() {
    console_error_panic_hook::set_once();
    // The built-in lesson the page starts in (a link's, a save's) is read before the first
    // paint, so that the start is the same as with the lessons compiled in.
    // Leptos' executor starts with the mount, so this task runs on wasm-bindgen's.
    wasm_bindgen_futures::spawn_local(async {
        let lessons = lesson_fetch::start_lessons(&params::UrlParams::current(), true).await;
        leptos::mount::mount_to_body(move || leptos::view! { <App persist=true lessons=lessons/> });
    });
}
