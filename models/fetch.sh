#!/usr/bin/env bash
# Installs the ONNX file a model card names, verified by size and sha256, and
# for a text card its tokenizer's vocabulary (tokenizer.file, verified alike).
#
#   models/fetch.sh NAME|CARD.json [LOCAL_FILE]
#   models/fetch.sh --from DIR NAME|CARD.json
#   models/fetch.sh --text NAME|CARD.json
#
#   NAME         a card in models/ (clip-vit-b32, clip-vit-b32-q8, mobilenetv2-int8, …)
#   LOCAL_FILE   use this file as the model file instead of downloading (it is
#                verified like a download)
#   --from DIR   look for the card's files (or the model's source file) in DIR,
#                no network; repeat it to look in several folders
#   --dest DIR   install there (default: $LOOKALIKE_MODELS_DIR, else the card's folder)
#   --text       install the text towers that pair with the image card NAME
#                (text cards naming it in pairs_with: text search in the page),
#                each with its vocabulary
#
# A file already next to the card (a committed test model, an earlier fetch
# into the default place) is copied from there when it verifies, before any
# download. The vocabulary is installed before the model file, so it stays
# installed when the model's download fails.
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
usage() { sed -n '2,/^[^#]/{/^#/p}' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'; }
die() { local code="$1"; shift; printf 'fetch.sh: error: %s\n' "$*" >&2; exit "$code"; }
say() { printf 'fetch.sh: %s\n' "$*" >&2; }

from_dirs=() dest="" card_arg="" local_file="" text=0
while [ $# -gt 0 ]; do
  case "$1" in
    -h|--help) usage; exit 0 ;;
    --text) text=1; shift ;;
    --from) [ $# -ge 2 ] || die 2 "--from needs a folder"; from_dirs+=("$2"); shift 2 ;;
    --from=*) from_dirs+=("${1#--from=}"); shift ;;
    --dest) [ $# -ge 2 ] || die 2 "--dest needs a folder"; dest="$2"; shift 2 ;;
    --dest=*) dest="${1#--dest=}"; shift ;;
    -*) die 2 "unknown option $1 (see --help)" ;;
    *) if [ -z "$card_arg" ]; then card_arg="$1"; elif [ -z "$local_file" ]; then local_file="$1"; else die 2 "too many arguments (see --help)"; fi; shift ;;
  esac
done
[ -n "$card_arg" ] || { usage >&2; exit 2; }
[ ${#from_dirs[@]} -eq 0 ] || [ -z "$local_file" ] || die 2 "give either --from DIR or LOCAL_FILE, not both"
for dir in "${from_dirs[@]}"; do [ -d "$dir" ] || die 4 "--from: no such folder: $dir"; done
[ -z "$local_file" ] || [ -f "$local_file" ] || die 4 "no such file: $local_file"
command -v node >/dev/null || die 4 "Node.js (node) is needed to read the card; install nodejs"
command -v sha256sum >/dev/null || die 4 "sha256sum not found (coreutils)"
from_list="${from_dirs[*]}"  # for messages

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
  for dir in "${from_dirs[@]}"; do pass+=(--from "$dir"); done
  [ -n "$dest" ] && pass+=(--dest "$dest")
  while IFS= read -r tower; do
    "${BASH_SOURCE[0]}" "${pass[@]}" "$tower" || exit $?
  done <<<"$towers"
  exit 0
fi

# Reads the card's fields (separated by US, \x1f, so empty fields survive): name file url sha256 bytes
# source.file source.sha256 source.bytes source.derive tokenizer.file tokenizer.url tokenizer.sha256 tokenizer.bytes
fields="$(node -e '
  const fs = require("fs");
  let c;
  try { c = JSON.parse(fs.readFileSync(process.argv[1], "utf8")); }
  catch (e) { console.error("not valid JSON: " + e.message); process.exit(1); }
  const m = c.model || {}, s = m.source || {}, t = c.tokenizer || {};
  if (typeof c.name !== "string" || typeof m.file !== "string") { console.error("name or model.file missing"); process.exit(1); }
  if (c.tower === "text" && typeof t.file !== "string") { console.error("tokenizer.file missing"); process.exit(1); }
  const v = (x) => (x === undefined || x === null ? "" : String(x));
  console.log([c.name, m.file, m.url, m.sha256, m.bytes, s.file, s.sha256, s.bytes, s.derive,
               t.file, t.url, t.sha256, t.bytes].map(v).join("\x1f"));
' "$card" 2>&1)" || die 3 "model card $card: $fields"
IFS=$'\x1f' read -r name file url sha256 bytes src_file src_sha256 src_bytes src_derive \
  tok_file tok_url tok_sha256 tok_bytes <<<"$fields"
case "$file" in /*|*..*) die 3 "model card $card: model.file must be a plain relative path" ;; esac
case "$tok_file" in /*|*..*) die 3 "model card $card: tokenizer.file must be a plain relative path" ;; esac

dest="${dest:-${LOOKALIKE_MODELS_DIR:-$card_dir}}"
mkdir -p "$dest" || die 4 "cannot create $dest"
dest="$(cd "$dest" && pwd)"

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

# download URL PART_FILE FIELD INSTEAD: resumes into PART_FILE; exits 5 with a clear message when the
# network fails. FIELD names the card's url field, INSTEAD says how to provide the file without network.
download() {
  local url="$1" part="$2" field="$3" instead="$4" code=0
  [ -n "$url" ] || die 2 "model card $card has no $field: fetch it by hand and $instead"
  command -v curl >/dev/null || die 4 "curl not found: install curl, or $instead"
  say "downloading $url"
  [ -f "$part" ] && say "resuming after $(size_of "$part") bytes already in $part"
  curl --fail --location --retry 3 --retry-delay 2 --connect-timeout 20 -C - \
       $([ -t 2 ] && echo --progress-bar || echo --silent --show-error) -o "$part" "$url" || code=$?
  case $code in
    0) ;;
    5|6|7|28|35|52|56) die 5 "cannot download $url (curl exit $code: no network, DNS or connection failure). Offline? Copy the file here and $instead" ;;
    22) die 5 "the server refused $url (HTTP error; curl exit 22)" ;;
    33) rm -f "$part"; die 5 "the server cannot resume $url; the partial file was removed, run again" ;;
    *) die 5 "download of $url failed (curl exit $code); run again to resume" ;;
  esac
}

# in_from_dirs FILE_NAME [URL]: prints the first copy of the file in the --from folders: under its
# path, its base name, or the name the publisher gives it (e.g. vision_model.onnx, as a browser
# download saves it); 1 when none has it.
in_from_dirs() {
  local fname="$1" url="${2:-}" dir candidate
  for dir in "${from_dirs[@]}"; do
    for candidate in "$dir/$fname" "$dir/$(basename "$fname")" ${url:+"$dir/$(basename "${url%%\?*}")"}; do
      [ -f "$candidate" ] && { printf '%s\n' "$candidate"; return 0; }
    done
  done
  return 1
}

# obtain FILE_NAME URL BYTES SHA LABEL OUT FIELD INSTEAD [LOCAL]: puts a verified copy at OUT, from
# LOCAL (a file given by hand), the --from folders, the card's folder, or the network (FIELD and
# INSTEAD as for download). 1 when --from folders are given and none has the file.
obtain() {
  local fname="$1" url="$2" want_bytes="$3" want_sha="$4" label="$5" out="$6" field="$7" instead="$8"
  local candidate="${9:-}"
  if [ -z "$candidate" ] && [ ${#from_dirs[@]} -gt 0 ]; then candidate="$(in_from_dirs "$fname" "$url")" || candidate=""; fi
  if [ -n "$candidate" ]; then
    say "using $candidate"
    verify "$candidate" "$want_bytes" "$want_sha" "$label" || die 3 "$candidate is not the file the card $name describes"
  elif [ -f "$card_dir/$fname" ] && ! [ "$card_dir/$fname" -ef "$out" ] \
       && verify "$card_dir/$fname" "$want_bytes" "$want_sha" "$label" >/dev/null 2>&1; then
    candidate="$card_dir/$fname"
    say "using $candidate (next to the card, verified)"
  elif [ ${#from_dirs[@]} -gt 0 ]; then
    return 1
  fi
  if [ -n "$candidate" ]; then
    # (writable whatever the source's mode: a read-only shared copy must not make the install read-only)
    { cp -f "$candidate" "$out.part" && chmod u+w "$out.part"; } || die 4 "cannot write $out.part"
    mv -f "$out.part" "$out"
    return 0
  fi
  download "$url" "$out.part" "$field" "$instead"
  if ! verify "$out.part" "$want_bytes" "$want_sha" "$label"; then
    rm -f "$out.part"
    die 3 "the download of $url does not match the card $name; it was removed"
  fi
  mv -f "$out.part" "$out"
}

# installed TARGET BYTES SHA LABEL: 0 when TARGET is there and verifies; a TARGET that does not is removed.
installed() {
  local target="$1"
  [ -f "$target" ] || return 1
  verify "$target" "$2" "$3" "$4" >/dev/null 2>&1 && return 0
  say "$target exists but does not match the card; fetching it again"
  rm -f "$target"
  return 1
}

# A text card's vocabulary: from --from, the card's folder, or tokenizer.url (a LOCAL_FILE is the model's).
install_tokenizer() {
  local target="$dest/$tok_file"
  if installed "$target" "$tok_bytes" "$tok_sha256" "$tok_file"; then
    say "$name: the vocabulary is already installed and verified: $target"
    return 0
  fi
  mkdir -p "$(dirname "$target")" || die 4 "cannot create $(dirname "$target")"
  obtain "$tok_file" "$tok_url" "$tok_bytes" "$tok_sha256" "$tok_file" "$target" tokenizer.url \
    "run: fetch.sh --from DIR $name (DIR holding $tok_file)" \
    || die 4 "--from $from_list: no $tok_file (the vocabulary of $name${tok_url:+, from $tok_url}) there"
  say "$name: installed $target"
}

# The model file: a file the card names directly (from a local file, --from, the card's folder or
# its url), or one derived from a source file.
install_model() {
  local target="$dest/$file"
  mkdir -p "$(dirname "$target")" || die 4 "cannot create $(dirname "$target")"
  if [ -z "$local_file" ] && installed "$target" "$bytes" "$sha256" "$file"; then
    say "$name: already installed and verified: $target"
    return 0
  fi
  local instead="run: fetch.sh $name FILE, or fetch.sh --from DIR $name"
  # (for a derived file, --from DIR holding the final file wins over deriving it from the source)
  if [ -z "$src_file" ] || { [ -n "$local_file" ] && verify "$local_file" "$bytes" "$sha256" "$file" >/dev/null 2>&1; } \
     || in_from_dirs "$file" >/dev/null; then
    obtain "$file" "$url" "$bytes" "$sha256" "$file" "$target" model.url "$instead" "$local_file" \
      || die 4 "--from $from_list: no $file there"
    say "$name: installed $target"
    return 0
  fi
  install_derived "$target" "$instead"
}

# install_derived TARGET INSTEAD: fetches and verifies the source, derives, verifies the result.
install_derived() {
  local target="$1" instead="$2" script="$here/$src_derive" work
  [ -f "$script" ] || die 3 "model card $card: model.source.derive names $src_derive, which is not in $here"
  [ -x /usr/bin/python3 ] || die 4 "deriving $file needs Debian's /usr/bin/python3 with python3-onnx"
  work="$dest/.$(basename "$src_file").fetch"
  obtain "$src_file" "$url" "$src_bytes" "$src_sha256" "$src_file" "$work" model.url "$instead" "$local_file" \
    || die 4 "--from $from_list: neither $file nor its source $src_file is there"
  say "deriving $file with $src_derive"
  /usr/bin/python3 "$script" "$work" "$target.part" >&2 || { rm -f "$target.part"; die 3 "$src_derive failed on $src_file"; }
  rm -f "$work"
  if ! verify "$target.part" "$bytes" "$sha256" "$file"; then
    rm -f "$target.part"
    die 3 "the derived $file does not match the card (another python3-onnx version may serialise differently)"
  fi
  mv -f "$target.part" "$target"
  say "$name: installed $target"
}

[ -z "$tok_file" ] || install_tokenizer
install_model
