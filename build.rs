//! The page's wasm keeps its relocations: the build's splitter (`tools/wasm-split.mjs`, run
//! by Trunk after its build) moves the add-ons' code into modules of their own by them. Only
//! the binary's final link changes; the dependencies and the tests build as before.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    if std::env::var("CARGO_CFG_TARGET_ARCH").as_deref() == Ok("wasm32") {
        println!("cargo:rustc-link-arg-bins=--emit-relocs");
    }
}
