#!/usr/bin/env bash
# models/fetch.sh: verification, resume, --from, local files, offline failure, --text.
# Uses file:// and a closed local port, so it needs no network.
#
#   fetch_test.sh            the checks on made-up cards
#   fetch_test.sh derived    MobileNetV2 derived from ../shared/models' zoo file;
#                            without that file it ends with exit 77, which CTest
#                            reports as skipped (SKIP_RETURN_CODE), never as passed
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
fetch="$root/models/fetch.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
check() {  # check DESCRIPTION EXPECTED_EXIT ACTUAL_EXIT
  if [ "$2" = "$3" ]; then echo "ok: $1"; else echo "FAIL: $1 (exit $3, expected $2)"; failures=$((failures + 1)); fi
}

made_up_cards() {
  local tiny sha bytes
  tiny="$root/models/test/tiny-embed.onnx"
  sha="$(sha256sum "$tiny" | cut -d' ' -f1)"
  bytes="$(stat -c %s "$tiny")"
  card() {  # card NAME URL SHA BYTES
    printf '{"schema":1,"name":"%s","model":{"file":"%s.onnx","url":"%s","sha256":"%s","bytes":%s},
    "input":{"name":"pixel_values","width":224,"height":224,"resize":{"mode":"exact","filter":"bilinear"},
    "mean":[0,0,0],"std":[1,1,1]},"output":{"name":"embedding","dim":32}}' "$1" "$1" "$2" "$3" "$4" > "$work/$1.json"
  }

  # Download (file://), resuming a partial file left by an interrupted run.
  card good "file://$tiny" "$sha" "$bytes"
  head -c 1000 "$tiny" > "$work/good.onnx.part"
  "$fetch" "$work/good.json" 2> "$work/log"; check "resumes and installs a verified download" 0 $?
  cmp -s "$tiny" "$work/good.onnx"; check "installed file is the source" 0 $?
  grep -q "resuming after 1000 bytes" "$work/log"; check "says it resumed" 0 $?
  "$fetch" "$work/good.json" 2> "$work/log"; check "second run: already installed" 0 $?
  grep -q "already installed" "$work/log"; check "says already installed" 0 $?

  # A download whose hash differs is removed, nothing installed.
  card badhash "file://$tiny" "$(printf '0%.0s' {1..64})" "$bytes"
  "$fetch" "$work/badhash.json" 2> "$work/log"; check "wrong sha256 fails with exit 3" 3 $?
  [ ! -e "$work/badhash.onnx" ] && [ ! -e "$work/badhash.onnx.part" ]; check "nothing left behind" 0 $?

  # Offline: a connection that fails gives exit 5 and says what to do instead.
  card offline "http://127.0.0.1:9/model.onnx" "$sha" "$bytes"
  "$fetch" "$work/offline.json" 2> "$work/log"; check "unreachable server fails with exit 5" 5 $?
  grep -q -- "--from DIR" "$work/log"; check "offline message names --from" 0 $?

  # A local file, and --from a folder.
  card local "http://127.0.0.1:9/model.onnx" "$sha" "$bytes"
  "$fetch" "$work/local.json" "$tiny" 2> "$work/log"; check "local file verified and installed" 0 $?
  mkdir -p "$work/from" && cp "$tiny" "$work/from/fromdir.onnx"
  card fromdir "http://127.0.0.1:9/model.onnx" "$sha" "$bytes"
  "$fetch" --from "$work/from" "$work/fromdir.json" 2> "$work/log"; check "--from DIR installs" 0 $?
  "$fetch" "$work/good.json" "$root/models/test/tiny-embed.json" 2> "$work/log"; check "a local file of the wrong size fails with exit 3" 3 $?

  # No sha256 pinned: fetched, size checked, computed hash reported.
  card nohash "file://$tiny" "" "$bytes"
  "$fetch" "$work/nohash.json" 2> "$work/log"; check "no pinned sha256 still installs" 0 $?
  grep -q "computed sha256 $sha" "$work/log"; check "reports the computed sha256" 0 $?

  "$fetch" no-such-card 2> "$work/log"; check "unknown card is a usage error" 2 $?

  # --text: the text towers that pair with an image card (the committed tiny one's is in the repository).
  "$fetch" --text tiny-embed 2> "$work/log"; check "--text installs the tiny text tower" 0 $?
  grep -q "tiny-text: already installed" "$work/log"; check "--text names the text tower" 0 $?
  "$fetch" --text "$work/good.json" 2> "$work/log"; check "--text without a pairing text card is no error" 0 $?
  grep -q "no text card pairs with good" "$work/log"; check "--text says none pairs" 0 $?
  "$fetch" --text tiny-embed "$tiny" 2> "$work/log"; check "--text with a local file is a usage error" 2 $?
}

# The derived MobileNetV2 file, from ../shared/models.
derived() {
  local shared="${LOOKALIKE_SHARED_DIR:-$root/../shared}/models"
  if [ ! -f "$shared/mobilenetv2-12-int8.onnx" ] || [ ! -x /usr/bin/python3 ]; then
    echo "SKIPPED: derived MobileNetV2: needs $shared/mobilenetv2-12-int8.onnx and /usr/bin/python3 with python3-onnx"
    exit 77
  fi
  mkdir -p "$work/src" && cp "$shared/mobilenetv2-12-int8.onnx" "$work/src/"
  "$fetch" --dest "$work/mn" --from "$work/src" mobilenetv2-int8 2> "$work/log"; check "derives mobilenetv2-int8 from the zoo file" 0 $?
  [ "$(sha256sum "$work/mn/mobilenetv2-12-int8-embed-float-add.onnx" | cut -d' ' -f1)" = 9aba36403be2dabdaa22030042f2352eacd5f42b689355588b2f10f7da1a20b4 ]
  check "derived file has the pinned sha256" 0 $?
}

case "${1:-}" in
  derived) derived ;;
  "") made_up_cards ;;
  *) echo "usage: fetch_test.sh [derived]" >&2; exit 2 ;;
esac
[ $failures -eq 0 ] && echo "fetch.sh: all checks passed" || echo "fetch.sh: $failures check(s) failed"
exit $((failures > 0))
