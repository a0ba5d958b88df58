#!/usr/bin/env bash
# Formats the tree: C++ with clang-format (.clang-format), TypeScript and
# JavaScript with prettier (.prettierrc.json, .prettierignore).
#
#   scripts/format.sh           rewrite every file that differs
#   scripts/format.sh --check   change nothing; list the files that differ and fail
#
# scripts/test.sh runs the check before any build. Only files tracked by git
# (or about to be: new, not ignored) are formatted.
set -euo pipefail
source "$(dirname "$0")/lib.sh"

check=0
case "${1:-}" in
  --check) check=1 ;;
  "") ;;
  *) die "usage: scripts/format.sh [--check]" ;;
esac

command -v clang-format >/dev/null || die "clang-format is missing: run scripts/setup.sh (Debian package clang-format)"
prettier="$LOOKALIKE_ROOT/node_modules/prettier/bin/prettier.cjs"
[ -f "$prettier" ] || die "prettier is missing: run scripts/setup.sh (npm ci)"

cd "$LOOKALIKE_ROOT"
mapfile -t cpp_files < <(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.h' | while read -r f; do [ -f "$f" ] && echo "$f"; done)

if [ $check -eq 1 ]; then
  bad=$(clang-format --dry-run "${cpp_files[@]}" 2>&1 | sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: warning: code should be clang-formatted.*/\1/p' | sort -u)
  js_bad=$(node "$prettier" --list-different . 2>/dev/null || true)
  if [ -n "$bad$js_bad" ]; then
    log "these files are not formatted (scripts/format.sh fixes them):"
    printf '%s\n' $bad $js_bad | sed 's/^/  /' >&2
    exit 1
  fi
  log "formatting: all ${#cpp_files[@]} C++ files and the TypeScript/JavaScript files are formatted"
else
  clang-format -i "${cpp_files[@]}"
  node "$prettier" --write --log-level warn .
  log "formatted"
fi
