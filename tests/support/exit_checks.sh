# Shared by the shell tests that check a script's exit codes: sourced, it
# makes a scratch folder $work (removed at exit) and a failure count;
# `check DESCRIPTION EXPECTED_EXIT ACTUAL_EXIT` records one check and
# `finish NAME` prints the summary and exits 1 if any check failed.
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
failures=0
check() {  # check DESCRIPTION EXPECTED_EXIT ACTUAL_EXIT
  if [ "$2" = "$3" ]; then echo "ok: $1"; else echo "FAIL: $1 (exit $3, expected $2)"; failures=$((failures + 1)); fi
}
finish() {  # finish NAME
  [ "$failures" -eq 0 ] && echo "$1: all checks passed" || echo "$1: $failures check(s) failed"
  exit $((failures > 0))
}
