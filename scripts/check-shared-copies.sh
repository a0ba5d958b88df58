#!/usr/bin/env bash
# Fails when a file tracked by git is a copy of a file in ../shared's
# datasets/ or models/. Data from ../shared is read from there at test time,
# and users get models and vocabularies by download (models/fetch.sh), so a
# copy in the repository is a mistake however it got there.
#
#   scripts/check-shared-copies.sh [SHARED_DIR [REPOSITORY]]
#
# SHARED_DIR defaults to $LOOKALIKE_SHARED_DIR, else ../shared; REPOSITORY
# (a git work tree) to this checkout.
#
# Fast: only the files whose size a file on the other side has are hashed
# (sha256). Exits 1 listing the copies; 77, which CTest reports as skipped,
# saying so, when SHARED_DIR has neither folder. Empty files are no copies.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

shared="${1:-${LOOKALIKE_SHARED_DIR:-$LOOKALIKE_ROOT/../shared}}"
folders=()
for folder in datasets models; do [ -d "$shared/$folder" ] && folders+=("$shared/$folder"); done
if [ ${#folders[@]} -eq 0 ]; then
  echo "SKIPPED: no $shared/datasets or $shared/models to compare the repository's files with (set LOOKALIKE_SHARED_DIR)"
  exit 77
fi

cd "${2:-$LOOKALIKE_ROOT}"
# "SIZE<TAB>PATH" lines of each side (tracked files as they are in the work tree).
tracked=$(git ls-files -z | xargs -0 -r stat -c $'%s\t%n' -- 2>/dev/null | awk -F'\t' '$1 > 0' || true)
theirs=$(find "${folders[@]}" -type f -size +0 -printf '%s\t%p\n')
# The files of one side whose size the other side has, hashed: "SHA256  PATH".
sizes_of() { cut -f1 <<<"$1" | sort -u; }
hash_matching() {  # hash_matching LINES OTHER_LINES
  awk -F'\t' 'NR == FNR { size[$1] = 1; next } ($1 in size) { print $2 }' <(sizes_of "$2") - <<<"$1" \
    | tr '\n' '\0' | xargs -0 -r sha256sum --
}
ours_hashed=$(hash_matching "$tracked" "$theirs")
theirs_hashed=$(hash_matching "$theirs" "$tracked")
copies=$(awk 'NR == FNR { path[$1] = substr($0, 67); next }
              ($1 in path) { print "  " substr($0, 67) " is " path[$1] }' \
           <(printf '%s\n' "$theirs_hashed") <(printf '%s\n' "$ours_hashed"))
if [ -n "$copies" ]; then
  log "files tracked by git that are copies of ../shared's (read them from $shared instead; git rm them):"
  printf '%s\n' "$copies" >&2
  exit 1
fi
log "no tracked file is a copy of one in ${folders[*]} ($(wc -l <<<"$tracked") tracked files compared)"
