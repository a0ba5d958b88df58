#!/usr/bin/env bash
# A real single-node Slurm cluster (munged, slurmctld, slurmd from Debian's
# slurm-wlm and munge, configured in a temporary folder and started here)
# runs deploy/slurm/embed-array.sbatch as a 4-task array over WANG with
# MobileNetV2; one task is cancelled part-way and the array submitted again;
# deploy/slurm/merge.sbatch then merges the shards as a dependent job. The
# site's index/ must equal the single-machine one byte for byte. Skips, saying
# which and why, only when a daemon cannot start (or WANG or the model is
# missing).
set -uo pipefail
source "$(dirname "$0")/scale_support.sh"
need_wang_and_mobilenet
for tool in munged slurmctld slurmd sbatch squeue scontrol scancel sinfo; do
  command -v "$tool" >/dev/null || skip "$tool is not installed (scripts/setup.sh installs slurm-wlm and munge)"
done
[ "$(id -u)" -eq 0 ] || skip "the Slurm daemons are started as root here, and this test runs as $(id -un)"

cluster="$work/cluster"
mkdir -p "$cluster/state" "$cluster/spool" "$cluster/munge" && chmod 700 "$cluster/munge"
free_port() { # a TCP port nobody listens on
  local port
  while :; do
    port=$((20000 + RANDOM % 20000))
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null || { echo "$port"; return; }
  done
}
tail_log() { [ -f "$1" ] && tail -n 5 "$1" | sed 's/^/    /'; }

# munge: its own key and socket, nothing of the machine's.
dd if=/dev/urandom of="$cluster/munge/munge.key" bs=1024 count=1 status=none && chmod 400 "$cluster/munge/munge.key"
munged --force --key-file="$cluster/munge/munge.key" --socket="$cluster/munge/socket" \
  --pid-file="$cluster/munge/munged.pid" --log-file="$cluster/munge/munged.log" \
  --seed-file="$cluster/munge/seed" 2>"$cluster/munge/start.log" ||
  skip "munged cannot start: $(cat "$cluster/munge/start.log") $(tail_log "$cluster/munge/munged.log")"
cleanups+=('kill "$(cat "$cluster/munge/munged.pid")" 2>/dev/null')

host="$(hostname -s)"
export SLURM_CONF="$cluster/slurm.conf"
cat >"$SLURM_CONF" <<CONF
ClusterName=lookalike-test
SlurmctldHost=$host
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$cluster/munge/socket
StateSaveLocation=$cluster/state
SlurmdSpoolDir=$cluster/spool
SlurmctldPidFile=$cluster/slurmctld.pid
SlurmdPidFile=$cluster/slurmd.pid
SlurmctldLogFile=$cluster/slurmctld.log
SlurmdLogFile=$cluster/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MinJobAge=600
NodeName=$host NodeAddr=127.0.0.1 CPUs=$(nproc) State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF

slurmctld -D -i -f "$SLURM_CONF" >"$cluster/slurmctld.out" 2>&1 &
ctld=$!
cleanups+=("kill $ctld 2>/dev/null; wait $ctld 2>/dev/null")
slurmd -D -N "$host" -f "$SLURM_CONF" >"$cluster/slurmd.out" 2>&1 &
node=$!
cleanups+=("scancel --quiet --full --signal=KILL -u root 2>/dev/null; kill $node 2>/dev/null; wait $node 2>/dev/null")
for _ in $(seq 1 120); do
  state="$(sinfo -h -o %T 2>/dev/null)"
  case "$state" in idle* | mixed* | allocated*) break ;; esac
  kill -0 "$ctld" 2>/dev/null || skip "slurmctld cannot start: $(tail_log "$cluster/slurmctld.log")$(tail_log "$cluster/slurmctld.out")"
  kill -0 "$node" 2>/dev/null || skip "slurmd cannot start: $(tail_log "$cluster/slurmd.log")$(tail_log "$cluster/slurmd.out")"
  sleep 0.5
done
case "$state" in idle* | mixed* | allocated*) echo "ok: single-node cluster up ($host: $state)" ;;
  *) skip "the node did not come up in 60 s (state '$state'): $(tail_log "$cluster/slurmd.log")" ;;
esac

# What the job scripts read, as a user exports it before sbatch.
export LOOKALIKE="$lookalike" LOOKALIKE_SOURCES="$wang" LOOKALIKE_OUT="$work/shards" LOOKALIKE_CARD=mobilenetv2-int8
export LOOKALIKE_SITE="$work/merged" LOOKALIKE_EMBED_OPTIONS="--checkpoint 50" LOOKALIKE_INDEX_OPTIONS="--reproducible"
submit_array() { sbatch --parsable --array=0-3 --cpus-per-task=1 --chdir="$work" "$root/deploy/slurm/embed-array.sbatch"; }
job_state() { scontrol show job "$1" 2>/dev/null | grep -o 'JobState=[A-Z_]*' | cut -d= -f2 | sort -u | tr '\n' ' '; }
wait_for_job() { # wait_for_job ID SECONDS: until no task is pending or running
  for _ in $(seq 1 $(($2 * 2))); do
    case "$(job_state "$1")" in *PENDING* | *RUNNING* | *CONFIGURING* | *COMPLETING*) sleep 0.5 ;; *) return 0 ;; esac
  done
  echo "FAIL: job $1 still not finished after $2 s ($(job_state "$1"))"
  return 1
}

first="$(submit_array)" || { echo "FAIL: sbatch refused the array: $first"; exit 1; }
echo "ok: array job $first submitted"
# Task 2 is cancelled once it has saved its first checkpoint.
for _ in $(seq 1 1200); do
  [ -f "$work/shards/shard-00002-of-00004/parts/part-00000.json" ] && break
  sleep 0.5
done
scancel --signal=KILL "${first}_2"
wait_for_job "$first" 900
check "the cancelled task left shard 2 unfinished" test ! -f "$work/shards/shard-00002-of-00004/done.json"

second="$(submit_array)" || { echo "FAIL: sbatch refused the second array: $second"; exit 1; }
merge="$(sbatch --parsable --dependency="afterok:$second" --cpus-per-task=1 --chdir="$work" \
  "$root/deploy/slurm/merge.sbatch")" || { echo "FAIL: sbatch refused the merge: $merge"; exit 1; }
wait_for_job "$second" 900
wait_for_job "$merge" 300
check "the second array completed" test "$(job_state "$second")" = "COMPLETED "
check "the merge job completed" test "$(job_state "$merge")" = "COMPLETED "
check "shard 2 resumed from its checkpoint" grep -q "resumed:" "$work/lookalike-embed-${second}_2.log"
for i in 0 1 3; do
  check "finished shard $i was skipped by the second array" grep -q "already done" "$work/lookalike-embed-${second}_$i.log"
done

single_machine_site "$work/single" || echo "FAIL: the single-machine index"
check "the cluster's index/ equals the single-machine index/ byte for byte" diff -r "$work/single/index" "$work/merged/index"
if [ "$failures" -ne 0 ]; then
  for log in "$work"/lookalike-*.log "$cluster/slurmctld.log"; do echo "--- $log"; tail -n 20 "$log"; done
fi
done_testing
