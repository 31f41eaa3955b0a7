//! The one binary: in the browser it mounts the playground; natively it is the headless
//! runner (`rollout-lab run SCRIPT`, `rollout-lab conformance FILE.json`).

fn main() {
    #[cfg(target_arch = "wasm32")]
    rollout_lab::web::mount();

    #[cfg(not(target_arch = "wasm32"))]
    std::process::exit(rollout_lab::cli::main(std::env::args().skip(1).collect()));
}
