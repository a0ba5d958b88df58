#!/usr/bin/env bash
# The project's test command: sets up what is missing, builds, runs every test.
#
#   scripts/test.sh            everything (what CI runs)
#   scripts/test.sh --native   native unit tests only
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

log "all tests passed"
