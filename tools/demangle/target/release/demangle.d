/work/main/tools/demangle/target/release/demangle: /work/main/tools/demangle/src/main.rs
