#!/usr/bin/env bash
# The main job: from a fresh Debian 12 machine to a searchable demo site,
# served locally. Run as root the first time (it installs what is missing).
#
#   scripts/demo.sh                   crawl a small set of photos (needs the network)
#   scripts/demo.sh --images DIR      index a local folder instead (DIR/<class>/<file>, or flat)
#
# Options:
#   --images DIR     photos to index (folders per class, a labels.csv, or a crawl output)
#   --name NAME      collection name (default: demo)
#   --title TITLE    collection title (default: "Demo photos")
#   --out DIR        where the demo is built (default: demo/ in the repository)
#   --port N         port to serve on (default: 8000; 0 picks a free one)
#   --no-serve       build everything but do not start the server
#   --no-setup       do not check or install packages (the machine is set up)
#
# Steps: install what is missing, build the native tools (and the web app with
# its WASM core), collect photos (crawl or --images), prep, index, assemble the
# site, serve it and print the URL. A step whose part is not built yet stops
# the script with a message saying so: it never pretends.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

images=""
name="demo"
title="Demo photos"
out="$LOOKALIKE_ROOT/demo"
port=8000
serve=1
setup=1
crawl_terms="beach,mountain,forest,city,flowers,food"
crawl_per_term=40

while [ $# -gt 0 ]; do
  case "$1" in
    --images) images="${2:?--images needs a folder}"; shift 2 ;;
    --name) name="${2:?--name needs a value}"; shift 2 ;;
    --title) title="${2:?--title needs a value}"; shift 2 ;;
    --out) out="${2:?--out needs a folder}"; shift 2 ;;
    --port) port="${2:?--port needs a number}"; shift 2 ;;
    --no-serve) serve=0; shift ;;
    --no-setup) setup=0; shift ;;
    -h|--help) sed -n '2,22p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see scripts/demo.sh --help)" ;;
  esac
done
[ -z "$images" ] || [ -d "$images" ] || die "--images $images: no such folder"
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
[ -z "$images" ] || images="$(cd "$images" && pwd)"

# 1. What the machine needs, and the native tools.
[ "$setup" -eq 0 ] || "$LOOKALIKE_ROOT/scripts/setup.sh"
build_preset native
cli="$LOOKALIKE_ROOT/build/native/offline-tools/lookalike"
[ -x "$cli" ] || die "the native build did not produce $cli"
cli_help="$("$cli" --help 2>/dev/null || true)"
has_subcommand() { grep -qE "^  $1( |\$)" <<<"$cli_help"; }

# The web app and its WASM core, when this tree has them.
web_dist=""
if [ -f "$LOOKALIKE_ROOT/web/index.html" ] || [ -f "$LOOKALIKE_ROOT/web/package.json" ]; then
  build_preset wasm
  log "building the web app"
  (cd "$LOOKALIKE_ROOT" && npm run --silent build) || die "the web app build (npm run build) failed"
  web_dist="$LOOKALIKE_ROOT/web/dist"
  [ -f "$web_dist/index.html" ] || die "the web app build did not produce $web_dist/index.html"
fi

mkdir -p "$out"

# 2. Photos: a local folder, or a small crawl.
if [ -z "$images" ]; then
  if ! has_subcommand crawl; then
    die "this build has no crawler yet (lookalike crawl): pass a folder of photos instead, for example
      scripts/demo.sh --images ~/Pictures        (folders per class, or a flat folder)
  or, with the seven photos of Debian's darknet package:
      mkdir -p /tmp/photos && cp /usr/share/darknet/data/*.jpg /tmp/photos/ && scripts/demo.sh --images /tmp/photos"
  fi
  if ! curl -sfI --max-time 10 https://www.flickr.com/ >/dev/null 2>&1; then
    die "cannot reach flickr.com (no network?): pass a folder of photos instead, for example
      mkdir -p /tmp/photos && cp /usr/share/darknet/data/*.jpg /tmp/photos/ && scripts/demo.sh --images /tmp/photos"
  fi
  log "crawling $crawl_per_term photos for each of: $crawl_terms"
  "$cli" crawl --terms "$crawl_terms" --per-term "$crawl_per_term" --out "$out/raw" \
    || die "the crawl failed (see above); run the same command again to resume it, or pass --images DIR"
  images="$out/raw"
fi

# 3. Clean and describe: every photo decoded, duplicates and unusable files set aside.
log "prep: $images"
"$cli" prep "$images" --out "$out/prep" --test-fraction 0 || die "prep failed (see above)"

# 4. Index: thumbnails, items and one bundle per feature and metric.
if ! has_subcommand index; then
  die "prep is done ($out/prep/manifest.json), but this build has no index command yet (lookalike index),
  so no searchable site can be made from it. Stopping here."
fi
log "index: $name"
"$cli" index "$out/prep/manifest.json" --site "$out/site" --name "$name" --title "$title" || die "index failed (see above)"

# 5. The site: the web app next to the index.
[ -n "$web_dist" ] || die "the index is built in $out/site, but this tree has no web app yet (web/), so there is no page to serve"
log "assembling the site in $out/site"
cp -R "$web_dist/." "$out/site/"

# 6. Serve it.
if [ "$serve" -eq 0 ]; then
  log "site ready in $out/site (serve it with: $cli serve $out/site)"
  exit 0
fi
log "serving $out/site (Ctrl-C to stop); open the URL below"
exec "$cli" serve "$out/site" --port "$port"
