/work/main/tools/demangle/target/release/deps/demangle-9e15a6116560b628.d: src/main.rs

/work/main/tools/demangle/target/release/deps/demangle-9e15a6116560b628: src/main.rs

src/main.rs:
