#!/usr/bin/env bash
# Sharded embedding of WANG with MobileNetV2, four shards run as four
# processes with Slurm's array variables, one of them killed part-way and
# the array run again; the merged site's index/ must equal, byte for byte,
# the one `lookalike index` makes on one machine. A shard made with another
# model file, and an unfinished shard, are refused at merge by name.
set -uo pipefail
source "$(dirname "$0")/scale_support.sh"
need_wang_and_mobilenet

shard() { # shard I [extra embed options…]: one array task, as Slurm would start it
  local i="$1"
  shift
  SLURM_ARRAY_TASK_ID="$i" SLURM_ARRAY_TASK_COUNT=4 "$lookalike" embed "$wang" --card mobilenetv2-int8 \
    -o "$work/shards" --checkpoint 50 "$@"
}

single_machine_site "$work/single" || { echo "FAIL: the single-machine index"; exit 1; }

# Shard 2 dies part-way (its whole process group, as when a node is lost),
# after its first checkpoint.
setsid env SLURM_ARRAY_TASK_ID=2 SLURM_ARRAY_TASK_COUNT=4 "$lookalike" -q embed "$wang" --card mobilenetv2-int8 \
  -o "$work/shards" --checkpoint 50 >"$work/killed.log" 2>&1 &
victim=$!
cleanups+=("kill -KILL -- -$victim 2>/dev/null")
for _ in $(seq 1 600); do
  [ -f "$work/shards/shard-00002-of-00004/parts/part-00000.json" ] && break
  sleep 0.2
done
kill -KILL -- "-$victim" 2>/dev/null
wait "$victim" 2>/dev/null
check "the killed shard left a checkpoint" test -f "$work/shards/shard-00002-of-00004/parts/part-00000.json"
check "the killed shard is not done" test ! -f "$work/shards/shard-00002-of-00004/done.json"
check "the killed shard wrote no embeddings.npy" test ! -f "$work/shards/shard-00002-of-00004/embeddings.npy"

# The merge refuses while a shard is unfinished, naming it.
"$lookalike" index "$work/shards" --site "$work/partial" --feature model:mobilenetv2-int8 2>"$work/partial.log"
check "merge of unfinished shards fails" test $? -ne 0
check "and names the unfinished shard" grep -q "shard-00002-of-00004 has not finished" "$work/partial.log"
check "and writes no site" test ! -e "$work/partial/index"

# The whole array again: shard 2 resumes, the others run once.
for i in 0 1 2 3; do shard "$i" 2>>"$work/array.log" || echo "FAIL: shard $i (exit $?)"; done
check "shard 2 resumed from its checkpoint" grep -q "resumed: 50 images" "$work/array.log"
for i in 0 1 2 3; do
  shard "$i" >"$work/again.log" 2>&1
  check "a finished shard $i is skipped on a rerun" grep -q "already done" "$work/again.log"
done
check "no partial file is left" test -z "$(find "$work/shards" -name '*.tmp-*' -o -name '*.partial' -o -name parts)"

"$lookalike" -q index "$work/shards" --site "$work/merged" --feature model:mobilenetv2-int8 --reproducible
check "the merge succeeds" test $? -eq 0
check "merged index/ equals the single-machine index/ byte for byte" diff -r "$work/single/index" "$work/merged/index"
check "and so do the thumbnails" diff -r "$work/single/thumbs" "$work/merged/thumbs"

# Shard 1 again with another model file (same card, other bytes): refused by name.
cp -r "$work/shards" "$work/mixed"
rm -rf "$work/mixed/shard-00001-of-00004"
SLURM_ARRAY_TASK_ID=1 SLURM_ARRAY_TASK_COUNT=4 "$lookalike" -q embed "$wang" --card mobilenetv2-int8 \
  --model "$shared/models/mobilenetv2-12-int8-embed.onnx" -o "$work/mixed" >/dev/null 2>&1
[ -f "$shared/models/mobilenetv2-12-int8-embed.onnx" ] || echo "FAIL: ../shared/models/mobilenetv2-12-int8-embed.onnx missing"
"$lookalike" index "$work/mixed" --site "$work/mixed-site" --feature model:mobilenetv2-int8 2>"$work/mixed.log"
check "a shard of another model file is refused" test $? -ne 0
check "naming that shard" grep -q "shard-00001-of-00004 was made with the model file" "$work/mixed.log"
cat "$work/mixed.log"
done_testing
