#!/usr/bin/env bash
# Throughput of one shard process of a sharded embedding job: the whole
# `lookalike embed --shard` (scan, read, decode once, prep's checks and
# hashes, thumbnail, preprocessing, the model, writing the shard) on 1 and
# on 2 cores (taskset; -j and --model-threads set to match), for MobileNetV2
# and the ViT-B/32-shaped model. Prints images/s per process, the 2-core /
# 1-core ratio measured in this run, and what a million images costs in
# core-hours. Results and the command go to docs/BENCHMARKS.md;
# docs/SCALE.md turns them into cluster sizes.
#
#   bench/shard_throughput.sh [IMAGES_FOLDER] [SHARDS]
#
# IMAGES_FOLDER defaults to ../shared/datasets/wang1k; each run embeds shard
# 0 of SHARDS (default 4: about 250 WANG images). Needs the native build,
# models/fetch.sh mobilenetv2-int8 (into build/models) and
# /usr/bin/python3 models/export_vit_b32_random.py.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
lookalike="${LOOKALIKE_CLI:-$root/build/native/offline-tools/lookalike}"
images="${1:-$root/../shared/datasets/wang1k}"
shards="${2:-4}"
export LOOKALIKE_MODELS_DIR="${LOOKALIKE_MODELS_DIR:-$root/build/models}"
[ -x "$lookalike" ] || { echo "build the CLI first (cmake --build --preset native)" >&2; exit 1; }
[ -d "$images" ] || { echo "no images at $images" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

cards=()
[ -f "$LOOKALIKE_MODELS_DIR/mobilenetv2-12-int8-embed-float-add.onnx" ] && cards+=(mobilenetv2-int8)
[ -f "$LOOKALIKE_MODELS_DIR/vit-b32-random.json" ] && cards+=("$LOOKALIKE_MODELS_DIR/vit-b32-random.json")
[ ${#cards[@]} -gt 0 ] || { echo "no model installed in $LOOKALIKE_MODELS_DIR (see the header)" >&2; exit 1; }

run() { # run CARD CORES: prints "images seconds"
  local out="$work/out-$RANDOM" start end
  local cpus=0
  [ "$2" -gt 1 ] && cpus="0-$(($2 - 1))"
  start=$(date +%s.%N)
  taskset -c "$cpus" "$lookalike" -q --json -j "$2" embed "$images" --card "$1" --model-threads "$2" \
    --shard "0/$shards" -o "$out" >"$work/summary.json"
  end=$(date +%s.%N)
  node -e 'const s=require(process.argv[1]); console.log(s.counts.images, process.argv[2]-process.argv[3])' \
    "$work/summary.json" "$end" "$start"
  rm -rf "$out"
}

echo "one shard process (shard 0/$shards of $images), whole command wall time, $(nproc) cores on this machine"
printf '%-18s %6s %12s %12s %10s %22s\n' model images "1 core /s" "2 cores /s" "2c / 1c" "core-hours / 1M (1c)"
for card in "${cards[@]}"; do
  read -r n1 s1 < <(run "$card" 1)
  read -r n2 s2 < <(run "$card" 2)
  node -e '
    const [name, n1, s1, n2, s2] = process.argv.slice(1);
    const r1 = n1 / s1, r2 = n2 / s2;
    console.log(name.padEnd(18), String(n1).padStart(6), r1.toFixed(1).padStart(12), r2.toFixed(1).padStart(12),
      (r2 / r1).toFixed(2).padStart(10), (1e6 / r1 / 3600).toFixed(1).padStart(22));
  ' "$(basename "$card" .json)" "$n1" "$s1" "$n2" "$s2"
done
