#!/usr/bin/env bash
# The main job: from a fresh Debian 12 machine to a searchable demo site,
# served locally, offline. Run as root the first time (it installs what is missing).
#
#   scripts/demo.sh                   the demo collection: Debian's public-domain clip art and photos
#   scripts/demo.sh --images DIR      index a local folder instead (DIR/<class>/<file>, or flat)
#   scripts/demo.sh --crawl           crawl photos from Flickr instead (FLICKR_API_KEY for licensed ones)
#
# Options:
#   --images DIR       photos to index (folders per class, a labels.csv, or a crawl output)
#   --crawl            crawl Flickr (--terms, --per-term) instead of the demo collection
#   --terms LIST       what to crawl (default: beach,mountain,forest,city,flowers,food)
#   --per-term N       photos per term (default: 40)
#   --model CARD       model card for learned embeddings (default: clip-vit-b32-q8 when it can be
#                      downloaded, else mobilenetv2-int8; models/README.md)
#   --models-from DIR  a folder holding model files (and CLIP's vocabulary in DIR/clip-tokenizer), used
#                      without network (default: ../shared/models beside the repository, when it exists)
#   --no-model         traditional features only (no model download)
#   --no-text          no text tower (the page then takes images only, no text box)
#   --name NAME        collection name (default: demo)
#   --title TITLE      collection title (default: the collection's description)
#   --out DIR          where the demo is built (default: demo/ in the repository)
#   --host ADDR        address to serve on (default: 127.0.0.1; 0.0.0.0 for the network)
#   --port N           port to serve on (default: 8000; 0 picks a free one)
#   --no-serve         build everything but do not start the server
#   --no-setup         do not check or install packages (the machine is set up)
#
# Steps: install what is missing (the demo collection's Debian packages
# included); build the native tools, the WASM core and the web app; collect
# the images (scripts/demo-collection.mjs: openclipart-png, darknet's and
# mate-backgrounds' photos, each with its author and licence; or --images, or
# a crawl); prep (validate, de-duplicate); the model (the 8-bit CLIP when it
# can be downloaded, else MobileNetV2 from the network or --models-from,
# else none, and it says so); index; assemble the site; serve it and print the URL.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

images=""
crawl=0
name="demo"
title=""
out="$LOOKALIKE_ROOT/demo"
host=127.0.0.1
port=8000
serve=1
setup=1
model=""
models_from=""
[ -d "$LOOKALIKE_ROOT/../shared/models" ] && models_from="$(cd "$LOOKALIKE_ROOT/../shared/models" && pwd)"
no_model=0
text=1
crawl_terms="beach,mountain,forest,city,flowers,food"
crawl_per_term=40

need_value() { [ $# -ge 2 ] && [ -n "$2" ] || die "$1 needs a value (see scripts/demo.sh --help)"; }
while [ $# -gt 0 ]; do
  case "$1" in
    --images) need_value "$@"; images="$2"; shift 2 ;;
    --crawl) crawl=1; shift ;;
    --terms) need_value "$@"; crawl_terms="$2"; crawl=1; shift 2 ;;
    --per-term) need_value "$@"; crawl_per_term="$2"; crawl=1; shift 2 ;;
    --model) need_value "$@"; model="$2"; shift 2 ;;
    --models-from) need_value "$@"; models_from="$2"; shift 2 ;;
    --no-model) no_model=1; shift ;;
    --no-text) text=0; shift ;;
    --name) need_value "$@"; name="$2"; shift 2 ;;
    --title) need_value "$@"; title="$2"; shift 2 ;;
    --out) need_value "$@"; out="$2"; shift 2 ;;
    --host) need_value "$@"; host="$2"; shift 2 ;;
    --port) need_value "$@"; port="$2"; shift 2 ;;
    --no-serve) serve=0; shift ;;
    --no-setup) setup=0; shift ;;
    -h|--help) sed -n '2,/^[^#]/{/^#/p}' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
    *) die "unknown option $1 (see scripts/demo.sh --help)" ;;
  esac
done
[ -z "$images" ] || [ -d "$images" ] || die "--images $images: no such folder"
[ -z "$images" ] || [ "$crawl" -eq 0 ] || die "give --images DIR or --crawl, not both"
[ -z "$models_from" ] || [ -d "$models_from" ] || die "--models-from $models_from: no such folder"
[ "$no_model" -eq 0 ] || [ -z "$model" ] || die "give --model CARD or --no-model, not both"
[[ "$crawl_per_term" =~ ^[1-9][0-9]*$ ]] || die "--per-term must be a positive number, not \"$crawl_per_term\""
[[ "$port" =~ ^[0-9]+$ ]] || die "--port must be a number, not \"$port\""
case "$out" in /*) ;; *) out="$PWD/$out" ;; esac
[ -z "$images" ] || images="$(cd "$images" && pwd)"

# 1. What the machine needs (and the demo collection's packages); the native tools, the WASM core and the web app.
demo_collection=0
[ -n "$images" ] || [ "$crawl" -eq 1 ] || demo_collection=1
if [ "$setup" -eq 1 ]; then
  "$LOOKALIKE_ROOT/scripts/setup.sh"
  [ "$demo_collection" -eq 0 ] || ensure_apt_packages "${LOOKALIKE_DEMO_APT_PACKAGES[@]}"
fi
build_preset native lookalike
build_preset wasm
build_web
cli="$LOOKALIKE_ROOT/build/native/offline-tools/lookalike"
[ -x "$cli" ] || die "the native build did not produce $cli"
mkdir -p "$out"

# 2. Images: the demo collection (Debian packages, offline), a local folder, or a crawl.
if [ "$demo_collection" -eq 1 ]; then
  log "the demo collection: public-domain clip art and photos from Debian packages, with their attribution"
  node "$LOOKALIKE_ROOT/scripts/demo-collection.mjs" --out "$out/debian-images" \
    || die "the demo collection could not be assembled (see above); or pass --images DIR"
  images="$out/debian-images"
  [ -n "$title" ] || title="Public-domain clip art and photos from Debian"
elif [ "$crawl" -eq 1 ]; then
  log "crawling $crawl_per_term photos for each of: $crawl_terms"
  [ -n "${FLICKR_API_KEY:-}" ] || log "no FLICKR_API_KEY: using Flickr's public feed (licences unknown: fine for a local demo, not for publishing; see docs/CRAWLING.md)"
  "$cli" crawl --terms "$crawl_terms" --per-term "$crawl_per_term" --out "$out/raw" \
    || die "the crawl failed (see above); run the same command again to resume it, or pass --images DIR"
  images="$out/raw"
  [ -n "$title" ] || title="Photos from Flickr: $crawl_terms"
fi
[ -n "$title" ] || title="Demo photos"

# 3. Clean and describe: every image decoded, duplicates and unusable files set aside.
log "prep: $images"
"$cli" prep "$images" --out "$out/prep" --test-fraction 0 || die "prep failed (see above)"

# 4. The model for learned embeddings, when it can be had: the card asked
# for, else the 8-bit CLIP (89 MB for visitors), else MobileNetV2 (3.6 MB),
# each from --models-from when it holds the file, else from the network.
# Then its text tower, when it has one, for the page's text box (index
# publishes an installed text tower unless told --no-text), with CLIP's
# vocabulary: from --models-from's clip-tokenizer/ when it is there (as in
# ../shared/models), which fetch.sh installs first, so that a text tower
# downloaded afterwards finds it installed.
fetch_model() {  # fetch_model [--text] CARD
  local from=()
  if [ -n "$models_from" ]; then
    from=(--from "$models_from")
    [ -d "$models_from/clip-tokenizer" ] && from+=(--from "$models_from/clip-tokenizer")
    "$LOOKALIKE_ROOT/models/fetch.sh" "${from[@]}" "$@" 2>/dev/null && return 0
  fi
  "$LOOKALIKE_ROOT/models/fetch.sh" "$@"
}
features=(--feature colour --feature colour-texture)
text_towers=()
[ "$text" -eq 1 ] || text_towers=(--no-text)
if [ "$no_model" -eq 0 ]; then
  candidates=("$model")
  [ -n "$model" ] || candidates=(clip-vit-b32-q8 mobilenetv2-int8)
  chosen=""
  for card in "${candidates[@]}"; do
    if fetch_model "$card"; then chosen="$card"; break; fi
    log "the model $card could not be installed (see above)"
  done
  if [ -n "$chosen" ]; then
    features+=(--feature "model:$chosen")
    if [ "$text" -eq 1 ] && ! fetch_model --text "$chosen"; then
      log "warning: the text tower of $chosen could not be installed (see above): the page takes images only."
    fi
  else
    log "warning: no model could be installed, so the demo has traditional features only."
    log "Add one later: models/fetch.sh ${candidates[0]} (or --from DIR), then run this script again."
  fi
fi

# 5. Index: thumbnails, items, sample queries and one bundle per feature and metric.
log "index: $name (${features[*]})"
"$cli" index "$out/prep/manifest.json" --site "$out/site" --name "$name" --title "$title" --default --samples 12 "${features[@]}" "${text_towers[@]}" \
  || die "index failed (see above)"

# 6. The site: the web app next to the collection, every file it names checked.
"$LOOKALIKE_ROOT/scripts/build-site.sh" --no-build --out "$out/site" || die "the site could not be assembled (see above)"

# 7. Serve it.
# (build-site.sh has said where the site is and how to serve it.)
[ "$serve" -eq 0 ] && exit 0
log "serving $out/site (Ctrl-C to stop); open the URL below"
exec "$cli" serve "$out/site" --host "$host" --port "$port"
