# Shared by the sharding tests (sourced): where things are, skip and check.
# CTest passes LOOKALIKE_CLI (the built binary) and LOOKALIKE_SHARED_DIR.
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
lookalike="${LOOKALIKE_CLI:?LOOKALIKE_CLI must name the lookalike binary}"
shared="${LOOKALIKE_SHARED_DIR:-$root/../shared}"
wang="$shared/datasets/wang1k"
work="$(mktemp -d)"
failures=0
cleanups=()
finish() {
  local c
  for c in "${cleanups[@]}"; do eval "$c"; done
  rm -rf "$work"
}
trap finish EXIT

skip() { echo "SKIP: $*"; exit 77; }
check() { # check DESCRIPTION COMMAND...
  local what="$1"
  shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
done_testing() {
  [ "$failures" -eq 0 ] || { echo "$failures check(s) failed"; exit 1; }
  echo "all checks passed"
}

# WANG and MobileNetV2 (the card's file derived from ../shared's zoo file,
# as models/fetch.sh installs it), or a skip saying which is missing.
need_wang_and_mobilenet() {
  [ -f "$wang/labels.csv" ] || skip "WANG is missing ($wang): put the dataset in ../shared/datasets/wang1k"
  [ -f "$shared/models/mobilenetv2-12-int8.onnx" ] ||
    skip "MobileNetV2 is missing ($shared/models/mobilenetv2-12-int8.onnx)"
  export LOOKALIKE_MODELS_DIR="$root/build/models"
  "$root/models/fetch.sh" --from "$shared/models" --dest "$LOOKALIKE_MODELS_DIR" mobilenetv2-int8 \
    >/dev/null 2>"$work/fetch.log" || { cat "$work/fetch.log"; echo "FAIL: models/fetch.sh mobilenetv2-int8"; exit 1; }
}

# The site one machine makes of WANG (acceptance 1's reference).
export SOURCE_DATE_EPOCH=1700000000
single_machine_site() { # single_machine_site SITE
  "$lookalike" -q index "$wang" --site "$1" --feature model:mobilenetv2-int8 --reproducible >/dev/null
}
