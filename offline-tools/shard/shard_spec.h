// Which part of the work one process does when a cluster runs many: shard I
// of N. Work is split by a stable hash of each input's key (an image's path
// inside its source, a photo's id), so the split depends on the inputs only:
// any shard can be rerun alone, on any machine, and does the same work.
//
// The shard comes from --shard I/N, or else from the scheduler's own
// variables, so that a job script needs no arithmetic:
//   Kubernetes Indexed Job  JOB_COMPLETION_INDEX=I, the count from --shards N
//                           or LOOKALIKE_SHARDS=N (the Job's completions)
//   Slurm job array         SLURM_ARRAY_TASK_ID=I with SLURM_ARRAY_TASK_COUNT=N,
//                           or with SLURM_ARRAY_TASK_MIN/MAX (I - MIN of MAX - MIN + 1)
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>

namespace lookalike::cli {

// The most shards a job may have: five digits in the folder names.
constexpr std::size_t kMaxShards = 99999;

struct ShardSpec {
  std::size_t index = 0, count = 1;

  // "shard-00002-of-00004": the folder a shard writes.
  std::string folder_name() const;
  // "2/4", as --shard takes it.
  std::string text() const;
  bool holds(const std::string& key) const { return shard_of_key(key, count) == index; }

  // Which of `count` shards a key belongs to: XXH3-64 of its bytes modulo
  // count (XXH3 is specified byte for byte, so every machine agrees).
  static std::size_t shard_of_key(const std::string& key, std::size_t count);
};

// XXH3-64 of a key's bytes: the stable hash shards and shard files are named by.
std::uint64_t stable_key_hash(const std::string& key);

// "I/N" with 0 <= I < N <= kMaxShards; throws Error(InvalidArgument) saying
// what is wrong.
ShardSpec parse_shard_spec(const std::string& text);

// "shard-IIIII-of-NNNNN" back to its spec; nullopt for any other name.
std::optional<ShardSpec> parse_shard_folder_name(const std::string& name);

// The variables a scheduler sets, read through `getenv` (tests pass their
// own). Returns nullopt when none is set (a run on one machine).
using EnvironmentLookup = std::function<const char*(const char*)>;

// The shard of this process: `flag` (--shard, may be empty), else the
// scheduler's variables; `shards` is --shards (0: not given). Throws
// Error(InvalidArgument) naming the variable when a value is malformed, out
// of range, or the count is unknown (JOB_COMPLETION_INDEX without --shards
// or LOOKALIKE_SHARDS).
std::optional<ShardSpec> resolve_shard(const std::string& flag, std::size_t shards, const EnvironmentLookup& getenv_fn);

}  // namespace lookalike::cli
