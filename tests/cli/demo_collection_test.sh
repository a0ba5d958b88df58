#!/usr/bin/env bash
# scripts/demo-collection.mjs on a made-up system tree (--system-root): what
# each package's copyright file allows is taken with its attribution, the
# rest is left out and counted; links (the same picture filed twice) are
# taken once; small labels are dropped; and `lookalike prep` carries the
# attribution into the manifest. Needs node and, for the prep step, the CLI
# (LOOKALIKE_CLI) and darknet's photos as the pictures (else skipped with exit 77).
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
check() {  # check DESCRIPTION COMMAND...
  local what="$1"; shift
  if "$@"; then echo "ok: $what"; else echo "FAIL: $what"; failures=$((failures + 1)); fi
}
photos=/usr/share/darknet/data
[ -f "$photos/dog.jpg" ] || { echo "SKIPPED: demo collection: needs $photos/*.jpg (Debian package darknet)"; exit 77; }

sys="$work/sys"
clip="$sys/usr/share/openclipart/png"
mkdir -p "$clip/animals/birds" "$clip/food" "$clip/unsorted" "$sys/usr/share/doc/openclipart-png"
# Seven different pictures, so that prep keeps each one.
cp "$photos/eagle.jpg" "$clip/animals/birds/bird_1.png"
cp "$photos/kite.jpg" "$clip/animals/birds/bird_2.png"
cp "$photos/horses.jpg" "$clip/animals/birds/bird_3.png"
cp "$photos/giraffe.jpg" "$clip/food/apple_jane_doe_01.png"
cp "$photos/person.jpg" "$clip/unsorted/thing.png"
ln -s ../animals/birds/bird_1.png "$clip/food/bird_again.png"
printf 'Copyright:\n\n creative commons Public Domain Dedication\n' > "$sys/usr/share/doc/openclipart-png/copyright"
mate="$sys/usr/share/backgrounds/mate"
mkdir -p "$mate/nature" "$sys/usr/share/doc/mate-backgrounds"
cp "$photos/dog.jpg" "$mate/nature/Meadow.jpg"
cp "$photos/dog.jpg" "$mate/nature/Meadow_3840x2160.jpg"
cp "$photos/scream.jpg" "$mate/nature/Secret.jpg"
cat > "$sys/usr/share/doc/mate-backgrounds/copyright" <<'DEP5'
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/

Files: nature/Meadow.jpg
Copyright: 2008, Ann Example <ann@example.org>
           2009 Bob Example
License: GPL-2+

Files: nature/Secret.jpg
Copyright: 2010 Someone
License: All-rights-reserved
DEP5

out="$work/out"
node "$root/scripts/demo-collection.mjs" --out "$out" --system-root "$sys" --min-per-label 1 2> "$work/log"
check "runs" test $? -eq 0
cat "$work/log"
records="$out/crawl.jsonl"
check "five images: three birds, one food, one photo (not the unsorted, linked, sized or unlicensed ones)" \
  test "$(wc -l < "$records")" -eq 5
check "labels are the category folders and photos" test -d "$out/animals" -a -d "$out/food" -a -d "$out/photos"
check "unsorted is no label" test ! -e "$out/unsorted"
check "a link is not taken twice" bash -c "! grep -q bird_again '$records'"
check "a sized copy of a background is left out" bash -c "! grep -q 3840x2160 '$records'"
check "a licence that does not allow republishing is left out and counted" \
  bash -c "! grep -q Secret '$records' && grep -q '1 images left out for their licence' '$work/log'"
check "DEP-5 owners without years and e-mail" grep -q '"owner":"Ann Example, Bob Example"' "$records"
check "licence and its address" grep -q '"licence":"GNU GPL 2.0 or later","licence_url":"https://www.gnu.org/licenses/old-licenses/gpl-2.0.html"' "$records"
check "clip art is public domain" grep -q '"title":"apple jane doe","owner":"Open Clip Art Library","licence":"Public domain' "$records"

node "$root/scripts/demo-collection.mjs" --out "$work/small" --system-root "$sys" 2> "$work/log"
check "labels under 20 images are dropped by default, so nothing is left" test $? -eq 4
grep -q "no image found" "$work/log"; check "and it says so" test $? -eq 0

cli="${LOOKALIKE_CLI:-$root/build/native/offline-tools/lookalike}"
if [ -x "$cli" ]; then
  "$cli" prep "$out" --out "$work/prep" --test-fraction 0 > "$work/prep.log" 2>&1
  check "prep takes all five" grep -q '"path": *"photos/' "$work/prep/manifest.json"
  check "prep carries the attribution into the manifest" grep -q 'Ann Example, Bob Example' "$work/prep/manifest.json"
fi

[ $failures -eq 0 ] && echo "demo-collection: all checks passed" || echo "demo-collection: $failures check(s) failed"
exit $((failures > 0))
