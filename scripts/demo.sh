#!/usr/bin/env bash
# The main job: from a fresh Debian 12 machine to a searchable demo site,
# served locally. Run as root the first time (it installs what is missing).
#
#   scripts/demo.sh                   crawl a small set of photos from Flickr
#   scripts/demo.sh --images DIR      index a local folder instead (DIR/<class>/<file>, or flat)
#
# Options:
#   --images DIR     photos to index (folders per class, a labels.csv, or a crawl output)
#   --terms LIST     what to crawl when no --images is given (default: beach,mountain,forest,city,flowers,food)
#   --per-term N     photos per term (default: 40)
#   --model CARD     model card for learned embeddings (default: clip-vit-b32; models/README.md)
#   --no-model       traditional features only (no model download)
#   --no-text        no text tower (the page then takes images only, no text box)
#   --name NAME      collection name (default: demo)
#   --title TITLE    collection title (default: "Demo photos")
#   --out DIR        where the demo is built (default: demo/ in the repository)
#   --host ADDR      address to serve on (default: 127.0.0.1; 0.0.0.0 for the network)
#   --port N         port to serve on (default: 8000; 0 picks a free one)
#   --no-serve       build everything but do not start the server
#   --no-setup       do not check or install packages (the machine is set up)
#
# Steps: install what is missing; build the native tools, the WASM core and the
# web app; collect photos (--images, else a crawl; without network, the seven
# photos of Debian's darknet package, and it says so); prep (validate,
# de-duplicate); fetch the model (skipped with a warning when it cannot be
# downloaded); index; assemble the site; serve it and print the URL.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

images=""
name="demo"
title="Demo photos"
out="$LOOKALIKE_ROOT/demo"
host=127.0.0.1
port=8000
serve=1
setup=1
model="clip-vit-b32"
text=1
crawl_terms="beach,mountain,forest,city,flowers,food"
crawl_per_term=40
darknet_photos=/usr/share/darknet/data

need_value() { [ $# -ge 2 ] && [ -n "$2" ] || die "$1 needs a value (see scripts/demo.sh --help)"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --images) need_value "$@"; images="$2"; shift 2 ;;
    --terms) need_value "$@"; crawl_terms="$2"; shift 2 ;;
    --per-term) need_value "$@"; crawl_per_term="$2"; shift 2 ;;
    --model) need_value "$@"; model="$2"; shift 2 ;;
    --no-model) model=""; shift ;;
    --no-text) text=0; shift ;;
    --name) need_value "$@"; name="$2"; shift 2 ;;
    --title) need_value "$@"; title="$2"; shift 2 ;;
    --out) need_value "$@"; out="$2"; shift 2 ;;
    --host) need_value "$@"; host="$2"; shift 2 ;;
    --port) need_value "$@"; port="$2"; shift 2 ;;
    --no-serve) serve=0; shift ;;
    --no-setup) setup=0; shift ;;
    -h|--help) sed -n '2,27p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see scripts/demo.sh --help)" ;;
  esac
done
[ -z "$images" ] || [ -d "$images" ] || die "--images $images: no such folder"
[[ "$crawl_per_term" =~ ^[1-9][0-9]*$ ]] || die "--per-term must be a positive number, not \"$crawl_per_term\""
[[ "$port" =~ ^[0-9]+$ ]] || die "--port must be a number, not \"$port\""
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
[ -z "$images" ] || images="$(cd "$images" && pwd)"

# 1. What the machine needs; the native tools, the WASM core and the web app.
[ "$setup" -eq 0 ] || "$LOOKALIKE_ROOT/scripts/setup.sh"
build_preset native
build_preset wasm
build_web
cli="$LOOKALIKE_ROOT/build/native/offline-tools/lookalike"
[ -x "$cli" ] || die "the native build did not produce $cli"
mkdir -p "$out"

# 2. Photos: a local folder, a small crawl, or (offline) Debian's sample photos.
use_darknet_photos() {
  [ -f "$darknet_photos/dog.jpg" ] || die "$1, and Debian's darknet photos are not installed either: pass --images DIR (a folder of photos)"
  log "$1: building the demo from the seven photos of Debian's darknet package instead."
  log "For a real collection pass --images DIR (your photos), or run again with network for a Flickr crawl."
  images="$out/darknet-photos"
  mkdir -p "$images"
  cp "$darknet_photos"/*.jpg "$images/"
}
if [ -z "$images" ]; then
  if curl -sfI --max-time 10 https://www.flickr.com/ >/dev/null 2>&1; then
    log "crawling $crawl_per_term photos for each of: $crawl_terms"
    [ -n "${FLICKR_API_KEY:-}" ] || log "no FLICKR_API_KEY: using Flickr's public feed (licences unknown: fine for a local demo, not for publishing; see docs/CRAWLING.md)"
    "$cli" crawl --terms "$crawl_terms" --per-term "$crawl_per_term" --out "$out/raw" \
      || die "the crawl failed (see above); run the same command again to resume it, or pass --images DIR"
    images="$out/raw"
  else
    use_darknet_photos "cannot reach flickr.com (no network?)"
  fi
fi

# 3. Clean and describe: every photo decoded, duplicates and unusable files set aside.
log "prep: $images"
"$cli" prep "$images" --out "$out/prep" --test-fraction 0 || die "prep failed (see above)"

# 4. The model for learned embeddings, when it can be had.
features=(--feature pixels:size=32 --feature colour --feature colour-texture)
if [ -n "$model" ]; then
  if "$LOOKALIKE_ROOT/models/fetch.sh" "$model"; then
    features+=(--feature "model:$model")
    # Its text tower, for the page's text box (index publishes it when installed).
    if [ "$text" -eq 1 ] && ! "$LOOKALIKE_ROOT/models/fetch.sh" --text "$model"; then
      log "warning: the text tower of $model could not be installed (see above): the page takes images only."
    fi
  else
    log "warning: the model $model could not be installed (see above), so the demo has traditional features only."
    log "Add it later: models/fetch.sh $model, then run this script again."
  fi
fi

# 5. Index: thumbnails, items, sample queries and one bundle per feature and metric.
log "index: $name (${features[*]})"
"$cli" index "$out/prep/manifest.json" --site "$out/site" --name "$name" --title "$title" --default "${features[@]}" \
  || die "index failed (see above)"

# 6. The site: the web app next to the collection, every file it names checked.
"$LOOKALIKE_ROOT/scripts/build-site.sh" --no-build --out "$out/site" || die "the site could not be assembled (see above)"

# 7. Serve it.
# (build-site.sh has said where the site is and how to serve it.)
[ "$serve" -eq 0 ] && exit 0
log "serving $out/site (Ctrl-C to stop); open the URL below"
exec "$cli" serve "$out/site" --host "$host" --port "$port"
