#!/usr/bin/env bash
# Rebuilds the wasm-split prototype measured for issue #11 (README.md beside this file): the
# release bundle in dist/ with Argo Rollouts' add-on moved to a module of its own, written to
# dist-split/. Needs a release build in dist/ first (`make build`), the patch applied
# (`git apply tools/split-prototype/argo-rollouts-split.patch`) and wasm-split-cli
# (`cargo install wasm_split_cli_support --version 0.2.4 --features build-binary`).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
export PATH="$HOME/.cargo/bin:$root/tools/node_modules/.bin:$PATH"
target=${CARGO_TARGET_DIR:-$root/target}
work=$target/split-prototype
rm -rf "$work" dist-split
mkdir -p "$work/split" "$work/bindgen"

# 1. The final link keeps its relocations: the splitter moves code by them. Only the binary
#    is relinked; the dependencies are the release build's.
cargo rustc --release --target wasm32-unknown-unknown --bin rollout-lab -- -C link-arg=--emit-relocs
# 2. Split at the #[wasm_split] points (before wasm-bindgen, which sees the main module only).
wasm-split-cli "$target/wasm32-unknown-unknown/release/rollout-lab.wasm" "$work/split" --out-name rollout-lab
# 3. wasm-bindgen on the main module; --keep-lld-exports keeps the function table the split
#    modules import.
wasm-bindgen --target web --keep-lld-exports --out-dir "$work/bindgen" --out-name rollout-lab \
    "$work/split/rollout-lab.wasm"
# 4. wasm-opt each module as Trunk does the one.
cp -r dist dist-split
rm -f dist-split/*.br dist-split/*.gz
js=$(cd dist-split && ls rollout-lab-*.js)
wasm=$(cd dist-split && ls rollout-lab-*_bg.wasm)
cp "$work/bindgen/rollout-lab.js" "dist-split/$js"
wasm-opt -Oz "$work/bindgen/rollout-lab_bg.wasm" -o "dist-split/$wasm"
for module in "$work"/split/split_*.wasm; do
    wasm-opt -Oz "$module" -o "dist-split/$(basename "$module")"
done
# 5. The loader imports the main JS by the name wasm-bindgen gave it; Trunk's has a hash.
sed "s#\./rollout-lab.js#./$js#" "$work/split/__wasm_split.js" >dist-split/__wasm_split.js
# The files changed after Trunk computed their integrity hashes.
sed -i 's/ integrity="[^"]*"//g' dist-split/index.html
node tools/precompress.mjs dist-split
node tools/bundle-sizes.mjs dist-split
