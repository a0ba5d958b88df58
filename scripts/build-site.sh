#!/usr/bin/env bash
# Assembles the static site: the web app (built here) plus a collection
# (index/, thumbs/, models/, samples/ as `lookalike index` writes them) into
# one self-contained folder with relative URLs, ready for GitHub Pages, any
# file host, or `lookalike serve`.
#
#   scripts/build-site.sh [--data DIR] [--out DIR] [--no-build]
#
#   --data DIR   folder holding index/, thumbs/, models/, samples/
#                (default: the output folder itself, where `lookalike index --site site` writes)
#   --out DIR    the site folder to write (default: site/)
#   --no-build   use the existing builds (build/wasm, web/dist) instead of building them
#
# The site works from a sub-path (https://user.github.io/repo/): every URL is relative.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

usage() { sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'; }

out="$LOOKALIKE_ROOT/site"
data=""
build=1
while [ $# -gt 0 ]; do
  case "$1" in
    --data) [ $# -ge 2 ] || die "--data needs a folder"; data="$2"; shift 2 ;;
    --out) [ $# -ge 2 ] || die "--out needs a folder"; out="$2"; shift 2 ;;
    --no-build) build=0; shift ;;
    -h|--help) usage; exit 0 ;;
    *) usage >&2; die "unknown argument: $1" ;;
  esac
done
[ -n "$data" ] || data="$out"
mkdir -p "$out"
out="$(cd "$out" && pwd)"
[ -d "$data" ] || die "no such data folder: $data"
data="$(cd "$data" && pwd)"

if [ $build -eq 1 ]; then
  build_preset wasm
  build_web
fi
dist="$LOOKALIKE_ROOT/web/dist"
[ -f "$dist/index.html" ] || die "no web build in $dist (run without --no-build)"

# Replace the previous web build's files, keep the collection's folders.
for stale in index.html sw.js assets .nojekyll; do rm -rf "${out:?}/$stale"; done
cp -R "$dist/." "$out/"
touch "$out/.nojekyll"  # GitHub Pages: serve files as they are
if [ "$data" != "$out" ]; then
  for folder in index thumbs models samples; do
    if [ -d "$data/$folder" ]; then
      rm -rf "${out:?}/$folder"
      cp -R "$data/$folder" "$out/$folder"
    fi
  done
fi

node "$LOOKALIKE_ROOT/scripts/check-site.mjs" "$out" || die "the site in $out is incomplete (see above)"
log "site ready in $out ($(du -sh "$out" | cut -f1)); try it with: $LOOKALIKE_ROOT/build/native/offline-tools/lookalike serve $out"
