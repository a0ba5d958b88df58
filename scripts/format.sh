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
mkdir -p build
mapfile -t cpp_files < <(git ls-files --cached --others --exclude-standard -- '*.cpp' '*.h' | while read -r f; do [ -f "$f" ] && echo "$f"; done)

if [ $check -eq 1 ]; then
  # With --Werror clang-format fails when a file differs or when it cannot
  # run at all (a bad .clang-format): no file named means the latter.
  cpp_status=0
  cpp_out=$(clang-format --dry-run --Werror "${cpp_files[@]}" 2>&1) || cpp_status=$?
  bad=$(sed -n 's/^\([^:]*\):[0-9]*:[0-9]*: error: code should be clang-formatted.*/\1/p' <<<"$cpp_out" | sort -u)
  [ "$cpp_status" -eq 0 ] || [ -n "$bad" ] || die "clang-format could not check the files: $cpp_out"
  # prettier --list-different exits 1 when files differ, 2 when it could not
  # check them (a syntax error): the latter is a failure, never a pass.
  js_status=0
  js_bad=$(node "$prettier" --list-different . 2>"$LOOKALIKE_ROOT/build/prettier-errors.log") || js_status=$?
  [ "$js_status" -le 1 ] || die "prettier could not check the files: $(cat "$LOOKALIKE_ROOT/build/prettier-errors.log")"
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
