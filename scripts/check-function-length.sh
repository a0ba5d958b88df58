#!/usr/bin/env bash
# Lists the functions in core/ and offline-tools/ longer than 80 lines that
# no comment explains (the project's rule: split long work into named steps).
#
#   scripts/check-function-length.sh [--max N] [PATH…]   (default: 80 lines; core offline-tools)
#
# A function may stay longer when the comment just above it says why and
# contains the words "longer than 80 lines". Functions are found by
# universal-ctags (Debian package universal-ctags), which reads the source as
# text: a guide for reviews, not a compiler, so it is not part of
# scripts/test.sh. Exits 1 when it lists any function.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

max=80
if [ "${1:-}" = "--max" ]; then max="$2"; shift 2; fi
[ $# -gt 0 ] || set -- core offline-tools
command -v ctags >/dev/null && ctags --version 2>/dev/null | grep -q 'Universal Ctags' \
  || die "universal-ctags is missing (apt-get install universal-ctags)"

cd "$LOOKALIKE_ROOT"
long=$(ctags -R --languages=C++ --kinds-C++=f --fields=+ne -o - "$@" | awk -F'\t' -v max="$max" '
  {
    line = ""; end = ""
    for (i = 4; i <= NF; i++) {
      if ($i ~ /^line:/) line = substr($i, 6)
      if ($i ~ /^end:/) end = substr($i, 5)
    }
    if (end != "" && end - line + 1 > max) print $2 "\t" line "\t" end - line + 1 "\t" $1
  }' | sort -u | while IFS=$'\t' read -r file line length name; do
    # The comment block right above the function (or its template line).
    above=$(head -n $((line - 1)) "$file" | tail -n 6)
    grep -qi 'longer than 80 lines' <<<"$above" || printf '%s:%s: %s is %s lines\n' "$file" "$line" "$name" "$length"
  done)
if [ -n "$long" ]; then
  log "functions longer than $max lines without a comment saying why:"
  printf '%s\n' "$long" | sed 's/^/  /' >&2
  exit 1
fi
log "no function in $* is longer than $max lines without a comment saying why"
