#!/usr/bin/env bash
# The project's test command: sets up what is missing, builds, runs every test.
#
#   scripts/test.sh            everything (what CI runs)
#   scripts/test.sh --native   native unit tests only
#
# Stages: native build + CTest; WASM build + Node tests of the module
# (tests/wasm); web app build + browser tests in headless Chromium and Firefox ESR (tests/browser).
#
# Tests that need ../shared (datasets, models) skip with a message when it is absent.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

only_native=0
[ "${1:-}" = "--native" ] && only_native=1

"$LOOKALIKE_ROOT/scripts/setup.sh"

# Formatting first: it takes seconds and names the files to fix (scripts/format.sh).
"$LOOKALIKE_ROOT/scripts/format.sh" --check || die "formatting differs: run scripts/format.sh"

build_preset native
log "native tests (CTest)"
(cd "$LOOKALIKE_ROOT" && ctest --preset native -j"$(nproc)") || die "native tests failed"
# CTest lists skipped cases without their reason; each one printed it (tests/support/skip.h).
skipped=$(grep -h '^SKIPPED: ' "$LOOKALIKE_ROOT/build/native/Testing/Temporary/LastTest.log" 2>/dev/null | sort -u || true)
[ -z "$skipped" ] || { log "skipped native test cases, and why:"; sed 's/^/  /' <<<"$skipped" >&2; }
[ $only_native -eq 1 ] && { log "native tests passed"; exit 0; }

build_preset wasm
log "WASM module tests (Node, against native reference outputs)"
node "$LOOKALIKE_ROOT/tests/wasm/run.mjs" || die "WASM module tests failed"

build_web
log "browser tests (headless Chromium, then Firefox ESR)"
node "$LOOKALIKE_ROOT/tests/browser/run.mjs" || die "browser tests failed"

# Bounded runs of the fuzzers (tests/fuzz) on their seed corpora; each
# corpus grows across runs in build/fuzz.
build_preset fuzz
fuzz_dir="$LOOKALIKE_ROOT/build/fuzz"
# fuzz NAME WHAT SEEDER: runs fuzz_NAME for 60 s on corpus/NAME, which SEEDER seeds.
fuzz() {
  local name="$1" what="$2" seeder="$3"
  mkdir -p "$fuzz_dir/corpus/$name" "$fuzz_dir/artifacts/$name"
  "$fuzz_dir/tests/fuzz/$seeder" "$fuzz_dir/corpus/$name" || die "cannot write the seed corpus of $what"
  log "fuzzing $what for 60 s"
  "$fuzz_dir/tests/fuzz/fuzz_$name" -max_total_time=60 -print_final_stats=1 \
    -artifact_prefix="$fuzz_dir/artifacts/$name/" "$fuzz_dir/corpus/$name" 2>"$fuzz_dir/last-run-$name.log" \
    || { tail -n 40 "$fuzz_dir/last-run-$name.log" >&2; die "the fuzzer of $what failed (inputs in $fuzz_dir/artifacts/$name)"; }
  grep -E '^stat::number_of_executed_units' "$fuzz_dir/last-run-$name.log" >&2 || true
}
fuzz bundle_loader "the bundle loader" make_bundle_corpus
fuzz image_decoder "the image decoder" make_image_corpus
fuzz partitioned_loader "the partitioned index loader" make_partitioned_corpus

log "all tests passed"
