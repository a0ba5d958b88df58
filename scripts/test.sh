#!/usr/bin/env bash
# The project's test command: sets up what is missing, builds, runs every test.
#
#   scripts/test.sh            everything (what CI runs)
#   scripts/test.sh --native   native unit tests only
#
# Stages: native build + CTest; WASM build + Node tests of the module
# (tests/wasm); web app build + browser tests in headless Chromium (tests/browser).
#
# Tests that need ../shared (datasets, models) skip with a message when it is absent.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

only_native=0
[ "${1:-}" = "--native" ] && only_native=1

"$LOOKALIKE_ROOT/scripts/setup.sh"

build_preset native
log "native tests (CTest)"
(cd "$LOOKALIKE_ROOT" && ctest --preset native -j"$(nproc)") || die "native tests failed"
[ $only_native -eq 1 ] && { log "native tests passed"; exit 0; }

build_preset wasm
log "WASM module tests (Node, against native reference outputs)"
node "$LOOKALIKE_ROOT/tests/wasm/run.mjs" || die "WASM module tests failed"

build_web
log "browser tests (headless Chromium)"
node "$LOOKALIKE_ROOT/tests/browser/run.mjs" || die "browser tests failed"

log "all tests passed"
