# The two commands of the README's Quick start, and the pieces they are made of.
# Every target installs what it is missing first (scripts/setup), so a fresh clone works.

.PHONY: serve dev test test-native test-wasm test-e2e build setup clean

## serve: install what is missing, build the release bundle and serve it as a host would
## (precompressed, cache headers) at http://127.0.0.1:8080/
serve: build
	node e2e/serve.mjs dist 8080

## dev: the development loop: a debug build served by trunk, rebuilt and reloaded on save
dev:
	scripts/setup serve
	PATH="$$HOME/.cargo/bin:$(CURDIR)/tools/node_modules/.bin:$$PATH" trunk serve

## test: install what is missing, then run every test layer and print a summary
test:
	scripts/test

test-native:
	scripts/test native

test-wasm:
	scripts/test wasm

test-e2e:
	scripts/test e2e

## build: the release bundle in dist/ (relative URLs: host it under any sub-path)
build:
	scripts/setup serve
	PATH="$$HOME/.cargo/bin:$(CURDIR)/tools/node_modules/.bin:$$PATH" trunk build --release

setup:
	scripts/setup test

clean:
	cargo clean
	rm -rf dist e2e/screenshots
