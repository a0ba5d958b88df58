#!/usr/bin/env bash
# models/fetch.sh: verification, resume, --from, local files, offline failure, --text with vocabularies.
# Uses file:// and a closed local port, so it needs no network.
#
#   fetch_test.sh            the checks on made-up cards
#   fetch_test.sh derived    MobileNetV2 derived from ../shared/models' zoo file;
#   fetch_test.sh vocabulary CLIP's vocabulary from ../shared/models/clip-tokenizer;
#                            without the file each ends with exit 77, which CTest
#                            reports as skipped (SKIP_RETURN_CODE), never as passed
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
fetch="$root/models/fetch.sh"
source "$root/tests/support/exit_checks.sh"

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

  text_towers "$tiny" "$sha" "$bytes"
  "$fetch" --text "$work/good.json" 2> "$work/log"; check "--text without a pairing text card is no error" 0 $?
  grep -q "no text card pairs with good" "$work/log"; check "--text says none pairs" 0 $?
  "$fetch" --text tiny-embed "$tiny" 2> "$work/log"; check "--text with a local file is a usage error" 2 $?
}

# --text: the text towers that pair with an image card, each with its vocabulary (installed first,
# verified like a model file): downloaded, from --from folders, or copied from next to the card.
text_towers() {  # text_towers MODEL_FILE MODEL_SHA MODEL_BYTES (the tiny model stands in for a text tower)
  local model="$1" sha="$2" bytes="$3" vocab vsha vbytes
  mkdir -p "$work/text/src" "$work/text/vocab-only" "$work/text/model-only"
  vocab="$work/text/src/vocab.txt.gz"
  printf 'a made-up vocabulary\n' | gzip -n > "$vocab"
  vsha="$(sha256sum "$vocab" | cut -d' ' -f1)"
  vbytes="$(stat -c %s "$vocab")"
  cp "$vocab" "$work/text/vocab-only/" && cp "$model" "$work/text/model-only/tower.onnx"
  text_card() {  # text_card FOLDER NAME MODEL_URL VOCAB_URL VOCAB_SHA
    printf '{"schema":1,"name":"%s"' "$2" > "$1/$2.json"  # the image card it pairs with
    printf ',"model":{"file":"%s.onnx","url":"file:///nowhere"},"input":{"name":"pixel_values","width":8,"height":8,
    "resize":{"mode":"exact","filter":"bilinear"},"mean":[0,0,0],"std":[1,1,1]},"output":{"name":"e","dim":32}}' "$2" >> "$1/$2.json"
    printf '{"schema":1,"tower":"text","name":"%s-text","pairs_with":"%s",
    "model":{"file":"tower.onnx","url":"%s","sha256":"%s","bytes":%s},
    "tokenizer":{"file":"vocab.txt.gz","url":"%s","sha256":"%s","bytes":%s},
    "input":{"ids":"input_ids"},"output":{"name":"text_embeds","dim":32}}' \
      "$2" "$2" "$3" "$sha" "$bytes" "$4" "$5" "$vbytes" > "$1/$2-text.json"
  }
  local offline="http://127.0.0.1:9/file"

  text_card "$work/text" paired "file://$model" "file://$vocab" "$vsha"
  "$fetch" --text "$work/text/paired.json" --dest "$work/text/d1" 2> "$work/log"; check "--text installs the tower and its vocabulary" 0 $?
  cmp -s "$vocab" "$work/text/d1/vocab.txt.gz" && cmp -s "$model" "$work/text/d1/tower.onnx"; check "both installed in --dest" 0 $?
  "$fetch" --text "$work/text/paired.json" --dest "$work/text/d1" 2> "$work/log"; check "second run: already installed" 0 $?
  grep -q "paired-text: the vocabulary is already installed" "$work/log"; check "says the vocabulary is there" 0 $?

  text_card "$work/text" badvocab "file://$model" "file://$vocab" "$(printf '0%.0s' {1..64})"
  "$fetch" --text "$work/text/badvocab.json" --dest "$work/text/d2" 2> "$work/log"; check "a vocabulary with the wrong sha256 fails with exit 3" 3 $?
  grep -q "vocab.txt.gz: sha256 $vsha, the card says 000" "$work/log"; check "says which sha256 differs" 0 $?
  [ -d "$work/text/d2" ] && [ -z "$(ls -A "$work/text/d2")" ]; check "neither the vocabulary nor the model is installed" 0 $?

  # No network: the files from --from folders (repeated), then from next to the card.
  text_card "$work/text" offline "$offline" "$offline" "$vsha"
  "$fetch" --text "$work/text/offline.json" --dest "$work/text/d3" --from "$work/text/vocab-only" --from "$work/text/model-only" \
    2> "$work/log"; check "--from twice: vocabulary from one folder, model from the other" 0 $?
  cmp -s "$vocab" "$work/text/d3/vocab.txt.gz" && cmp -s "$model" "$work/text/d3/tower.onnx"; check "both installed from the folders" 0 $?
  "$fetch" --text "$work/text/offline.json" --dest "$work/text/d4" --from "$work/text/model-only" 2> "$work/log"
  check "--from without the vocabulary fails with exit 4" 4 $?
  grep -q "no vocab.txt.gz (the vocabulary of offline-text, from $offline) there" "$work/log"; check "says the vocabulary is missing" 0 $?
  "$fetch" --text "$work/text/offline.json" --dest "$work/text/d4" 2> "$work/log"; check "offline vocabulary download fails with exit 5" 5 $?
  grep -q "fetch.sh --from DIR offline-text" "$work/log"; check "the offline message names --from" 0 $?
  cp "$model" "$work/text/tower.onnx"
  "$fetch" --text "$work/text/offline.json" --dest "$work/text/d5" --from "$work/text/vocab-only" 2> "$work/log"
  check "a model next to the card is copied, verified" 0 $?
  grep -q "next to the card, verified" "$work/log" && cmp -s "$model" "$work/text/d5/tower.onnx"; check "says it took the card's copy" 0 $?
}

# CLIP's vocabulary for the committed tiny text tower, from ../shared/models/clip-tokenizer, verified
# by the sha256 the card pins.
vocabulary() {
  local shared="${LOOKALIKE_SHARED_DIR:-$root/../shared}/models/clip-tokenizer"
  if [ ! -f "$shared/bpe_simple_vocab_16e6.txt.gz" ]; then
    echo "SKIPPED: CLIP's vocabulary: needs $shared/bpe_simple_vocab_16e6.txt.gz"
    exit 77
  fi
  "$fetch" --text tiny-embed --from "$shared" --dest "$work/clip" 2> "$work/log"; check "--text tiny-embed installs CLIP's vocabulary" 0 $?
  cmp -s "$shared/bpe_simple_vocab_16e6.txt.gz" "$work/clip/bpe_simple_vocab_16e6.txt.gz"; check "the vocabulary is the shared copy" 0 $?
  cmp -s "$root/models/test/tiny-text.onnx" "$work/clip/tiny-text.onnx"; check "the tiny text tower comes from next to its card" 0 $?
  [ -w "$work/clip/bpe_simple_vocab_16e6.txt.gz" ]; check "the installed copy is writable (the shared one is not)" 0 $?
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
  vocabulary) vocabulary ;;
  "") made_up_cards ;;
  *) echo "usage: fetch_test.sh [derived|vocabulary]" >&2; exit 2 ;;
esac
finish fetch.sh
