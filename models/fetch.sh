#!/usr/bin/env bash
# Installs the ONNX file a model card names, verified by size and sha256.
#
#   models/fetch.sh NAME|CARD.json [LOCAL_FILE]
#   models/fetch.sh --from DIR NAME|CARD.json
#   models/fetch.sh --text NAME|CARD.json
#
#   NAME         a card in models/ (clip-vit-b32, clip-vit-b32-q8, mobilenetv2-int8, …)
#   LOCAL_FILE   use this file instead of downloading (it is verified like a download)
#   --from DIR   look for the card's file (or its source file) in DIR, no network
#   --dest DIR   install there (default: $LOOKALIKE_MODELS_DIR, else the card's folder)
#   --text       install the text towers that pair with the image card NAME
#                (text cards naming it in pairs_with: text search in the page)
#
# Downloads with curl into DEST/<file>.part, resuming an interrupted download
# (curl -C -), then checks the size and sha256 the card pins before moving it
# into place; a file that fails the check is removed and nothing is installed.
# A card that pins no sha256 is fetched, its size checked, and the computed
# hash reported so it can be compared with the publisher's. Cards whose file
# is derived from another (model.source, e.g. MobileNetV2 with its embedding
# output) fetch and verify the source, derive the file with the named script
# (Debian's /usr/bin/python3 with python3-onnx) and verify the result.
#
# Exit codes: 0 installed (or already there), 2 wrong arguments, 3 a file
# failed verification, 4 a local file or folder problem, 5 network failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
usage() { sed -n '2,25p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { local code="$1"; shift; printf 'fetch.sh: error: %s\n' "$*" >&2; exit "$code"; }
say() { printf 'fetch.sh: %s\n' "$*" >&2; }

from_dir="" dest="" card_arg="" local_file="" text=0
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --text) text=1; shift ;;
    --from) [ $# -ge 2 ] || die 2 "--from needs a folder"; from_dir="$2"; shift 2 ;;
    --from=*) from_dir="${1#--from=}"; shift ;;
    --dest) [ $# -ge 2 ] || die 2 "--dest needs a folder"; dest="$2"; shift 2 ;;
    --dest=*) dest="${1#--dest=}"; shift ;;
    -*) die 2 "unknown option $1 (see --help)" ;;
    *) if [ -z "$card_arg" ]; then card_arg="$1"; elif [ -z "$local_file" ]; then local_file="$1"; else die 2 "too many arguments (see --help)"; fi; shift ;;
  esac
done
[ -n "$card_arg" ] || { usage >&2; exit 2; }
[ -z "$from_dir" ] || [ -z "$local_file" ] || die 2 "give either --from DIR or LOCAL_FILE, not both"
[ -z "$from_dir" ] || [ -d "$from_dir" ] || die 4 "--from: no such folder: $from_dir"
[ -z "$local_file" ] || [ -f "$local_file" ] || die 4 "no such file: $local_file"
command -v node >/dev/null || die 4 "Node.js (node) is needed to read the card; install nodejs"
command -v sha256sum >/dev/null || die 4 "sha256sum not found (coreutils)"

# The card: a path, or a name looked up in models/ and models/test/.
card="$card_arg"
card="${card#model:}"
if [ ! -f "$card" ]; then
  for candidate in "$here/$card.json" "$here/test/$card.json"; do
    [ -f "$candidate" ] && { card="$candidate"; break; }
  done
fi
if [ ! -f "$card" ]; then
  names="$(cd "$here" && ls *.json test/*.json 2>/dev/null | grep -v '\.reference\.json$' | sed 's/\.json$//;s|^test/||' | tr '\n' ' ')"
  die 2 "no model card \"$card_arg\" (cards: $names)"
fi
card_dir="$(cd "$(dirname "$card")" && pwd)"

# --text: each text card (next to the card, in models/ or models/test/) that
# pairs with this image card, fetched like any card.
if [ "$text" -eq 1 ]; then
  [ -z "$local_file" ] || die 2 "--text takes no LOCAL_FILE"
  towers="$(node -e '
    const fs = require("fs"), path = require("path");
    const [card, ...dirs] = process.argv.slice(1);
    const name = JSON.parse(fs.readFileSync(card, "utf8")).name;
    const seen = new Set();
    for (const dir of dirs)
      for (const f of fs.existsSync(dir) ? fs.readdirSync(dir).sort() : []) {
        if (!f.endsWith(".json")) continue;
        try {
          const c = JSON.parse(fs.readFileSync(path.join(dir, f), "utf8"));
          if (c.tower === "text" && c.pairs_with === name && !seen.has(c.name)) seen.add(c.name), console.log(path.join(dir, f));
        } catch {}
      }
  ' "$card" "$card_dir" "$here" "$here/test" 2>&1)" || die 3 "model card $card: $towers"
  [ -n "$towers" ] || { say "no text card pairs with $(basename "$card" .json): nothing to fetch"; exit 0; }
  pass=()
  [ -n "$from_dir" ] && pass+=(--from "$from_dir")
  [ -n "$dest" ] && pass+=(--dest "$dest")
  while IFS= read -r tower; do
    "${BASH_SOURCE[0]}" "${pass[@]}" "$tower" || exit $?
  done <<<"$towers"
  exit 0
fi

# Reads the card's fields (separated by US, \x1f, so empty fields survive): name file url sha256 bytes source.file source.sha256 source.bytes source.derive
fields="$(node -e '
  const fs = require("fs");
  let c;
  try { c = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); }
  catch (e) { console.error("not valid JSON: " + e.message); process.exit(1); }
  const m = c.model || {}, s = m.source || {};
  if (typeof c.name !== "string" || typeof m.file !== "string") { console.error("name or model.file missing"); process.exit(1); }
  const v = (x) => (x === undefined || x === null ? "" : String(x));
  console.log([c.name, m.file, m.url, m.sha256, m.bytes, s.file, s.sha256, s.bytes, s.derive].map(v).join("\x1f"));
' "$card" 2>&1)" || die 3 "model card $card: $fields"
IFS=$'\x1f' read -r name file url sha256 bytes src_file src_sha256 src_bytes src_derive <<<"$fields"
case "$file" in /*|*..*) die 3 "model card $card: model.file must be a plain relative path" ;; esac

dest="${dest:-${LOOKALIKE_MODELS_DIR:-$card_dir}}"
mkdir -p "$dest" || die 4 "cannot create $dest"
dest="$(cd "$dest" && pwd)"
target="$dest/$file"
mkdir -p "$(dirname "$target")" || die 4 "cannot create $(dirname "$target")"

size_of() { stat -c %s "$1"; }

# verify FILE EXPECTED_BYTES EXPECTED_SHA256 LABEL -> 0 ok, 1 mismatch (message printed)
verify() {
  local path="$1" want_bytes="$2" want_sha="$3" label="$4" got_bytes got_sha
  got_bytes="$(size_of "$path")"
  if [ -n "$want_bytes" ] && [ "$got_bytes" != "$want_bytes" ]; then
    say "$label: size $got_bytes bytes, the card says $want_bytes"
    return 1
  fi
  say "$label: computing sha256 of $got_bytes bytes…"
  got_sha="$(sha256sum "$path" | cut -d' ' -f1)"
  if [ -z "$want_sha" ]; then
    say "$label: the card pins no sha256; computed sha256 $got_sha (compare it with the publisher's before trusting the file)"
    return 0
  fi
  if [ "$got_sha" != "$want_sha" ]; then
    say "$label: sha256 $got_sha, the card says $want_sha"
    return 1
  fi
  return 0
}

# download URL PART_FILE: resumes into PART_FILE; exits 5 with a clear message when the network fails.
download() {
  local url="$1" part="$2" code=0
  [ -n "$url" ] || die 2 "model card $card has no model.url: fetch it by hand and pass the file (fetch.sh $name FILE) or --from DIR"
  command -v curl >/dev/null || die 4 "curl not found: install curl, or pass a local file / --from DIR"
  say "downloading $url"
  [ -f "$part" ] && say "resuming after $(size_of "$part") bytes already in $part"
  curl --fail --location --retry 3 --retry-delay 2 --connect-timeout 20 -C - \
       $([ -t 2 ] && echo --progress-bar || echo --silent --show-error) -o "$part" "$url" || code=$?
  case $code in
    0) ;;
    5|6|7|28|35|52|56) die 5 "cannot download $url (curl exit $code: no network, DNS or connection failure). Offline? Copy the file here and run: fetch.sh $name FILE, or fetch.sh --from DIR $name" ;;
    22) die 5 "the server refused $url (HTTP error; curl exit 22)" ;;
    33) rm -f "$part"; die 5 "the server cannot resume $url; the partial file was removed, run again" ;;
    *) die 5 "download of $url failed (curl exit $code); run again to resume" ;;
  esac
}

# obtain FILE_NAME URL BYTES SHA LABEL OUT: puts a verified copy at OUT (from --from, a local file, or the network)
obtain() {
  local fname="$1" url="$2" want_bytes="$3" want_sha="$4" label="$5" out="$6" candidate=""
  if [ -n "$local_file" ]; then
    candidate="$local_file"
  elif [ -n "$from_dir" ]; then
    [ -f "$from_dir/$fname" ] && candidate="$from_dir/$fname"
    [ -z "$candidate" ] && [ -f "$from_dir/$(basename "$fname")" ] && candidate="$from_dir/$(basename "$fname")"
    # the name the publisher gives it (e.g. vision_model.onnx), as a browser download saves it
    [ -z "$candidate" ] && [ -n "$url" ] && [ -f "$from_dir/$(basename "${url%%\?*}")" ] && candidate="$from_dir/$(basename "${url%%\?*}")"
    [ -n "$candidate" ] || return 1
  fi
  if [ -n "$candidate" ]; then
    say "using $candidate"
    verify "$candidate" "$want_bytes" "$want_sha" "$label" || die 3 "$candidate is not the file the card $name describes"
    cp -f "$candidate" "$out.part" || die 4 "cannot write $out.part"
    mv -f "$out.part" "$out"
    return 0
  fi
  download "$url" "$out.part"
  if ! verify "$out.part" "$want_bytes" "$want_sha" "$label"; then
    rm -f "$out.part"
    die 3 "the download of $url does not match the card $name; it was removed"
  fi
  mv -f "$out.part" "$out"
}

if [ -f "$target" ] && [ -z "$local_file" ]; then
  if verify "$target" "$bytes" "$sha256" "$file" >/dev/null 2>&1; then
    say "$name: already installed and verified: $target"
    exit 0
  fi
  say "$target exists but does not match the card; fetching it again"
  rm -f "$target"
fi

# A file the card names directly: from a local file, --from, or its url.
if [ -z "$src_file" ] || { [ -n "$local_file" ] && verify "$local_file" "$bytes" "$sha256" "$file" >/dev/null 2>&1; } \
   || { [ -n "$from_dir" ] && { [ -f "$from_dir/$file" ] || [ -f "$from_dir/$(basename "$file")" ]; }; }; then
  # (for a derived file, --from DIR holding the final file wins over deriving it from the source)
  obtain "$file" "$url" "$bytes" "$sha256" "$file" "$target" || die 4 "--from $from_dir: no $file there"
  say "$name: installed $target"
  exit 0
fi

# A derived file: fetch and verify the source, derive, verify the result.
script="$here/$src_derive"
[ -f "$script" ] || die 3 "model card $card: model.source.derive names $src_derive, which is not in $here"
[ -x /usr/bin/python3 ] || die 4 "deriving $file needs Debian's /usr/bin/python3 with python3-onnx"
work="$dest/.$(basename "$src_file").fetch"
obtain "$src_file" "$url" "$src_bytes" "$src_sha256" "$src_file" "$work" \
  || die 4 "--from $from_dir: neither $file nor its source $src_file is there"
say "deriving $file with $src_derive"
/usr/bin/python3 "$script" "$work" "$target.part" >&2 || { rm -f "$target.part"; die 3 "$src_derive failed on $src_file"; }
rm -f "$work"
if ! verify "$target.part" "$bytes" "$sha256" "$file"; then
  rm -f "$target.part"
  die 3 "the derived $file does not match the card (another python3-onnx version may serialise differently)"
fi
mv -f "$target.part" "$target"
say "$name: installed $target"
