#!/usr/bin/env bash
# scripts/check-shared-copies.sh on a made-up shared folder and git
# repository: a tracked copy (renamed, in another folder) is found and named,
# a file of the same size with other bytes and an untracked copy are not,
# and a missing shared folder is a skip (exit 77), not a pass.
set -uo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
check_copies="$root/scripts/check-shared-copies.sh"
source "$root/tests/support/exit_checks.sh"
command -v git >/dev/null || { echo "SKIPPED: git is missing"; exit 77; }

mkdir -p "$work/shared/models/tokenizer" "$work/shared/datasets/set/a" "$work/repo/models" "$work/repo/data"
head -c 4096 /dev/urandom > "$work/shared/models/tokenizer/vocab.gz"
head -c 2048 /dev/urandom > "$work/shared/datasets/set/a/1.jpg"
head -c 4096 /dev/urandom > "$work/repo/models/same-size.gz"
echo "the repository's own file" > "$work/repo/README.md"
git -C "$work/repo" init -q && git -C "$work/repo" add . || exit 1
"$check_copies" "$work/shared" "$work/repo" > "$work/log" 2>&1; check "no copy: passes" 0 $?

cp "$work/shared/datasets/set/a/1.jpg" "$work/repo/data/untracked.jpg"
"$check_copies" "$work/shared" "$work/repo" > "$work/log" 2>&1; check "an untracked copy is not the repository's" 0 $?

cp "$work/shared/models/tokenizer/vocab.gz" "$work/repo/models/renamed vocab.gz"
git -C "$work/repo" add "models/renamed vocab.gz" || exit 1
"$check_copies" "$work/shared" "$work/repo" > "$work/log" 2>&1; check "a tracked copy fails" 1 $?
grep -q "models/renamed vocab.gz is $work/shared/models/tokenizer/vocab.gz" "$work/log"; check "names the copy and its original" 0 $?
[ "$(grep -c ' is ' "$work/log")" = 1 ]; check "names nothing else" 0 $?

"$check_copies" "$work/nowhere" "$work/repo" > "$work/log" 2>&1; check "no shared folder: skipped (77)" 77 $?
grep -q "^SKIPPED: no $work/nowhere/datasets or $work/nowhere/models" "$work/log"; check "says why it skipped" 0 $?

finish check-shared-copies.sh
