//! The playground page. Components only render state and send commands; everything they
//! show comes from `rollout_kubectl` and `rollout_sim`.

mod app;
mod terminal;

pub use app::App;
pub use terminal::Terminal;

/// Mounts the playground on the page's body.
pub fn mount() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(App);
}
