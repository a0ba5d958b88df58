#include "commands/shard_options.h"

#include <CLI/CLI.hpp>

#include <cstdlib>

namespace lookalike::cli {

void add_shard_options(CLI::App& command, ShardArguments& args, const std::string& what) {
  command.add_option("--shard", args.shard,
                     what +
                         "; without it, JOB_COMPLETION_INDEX (Kubernetes) or SLURM_ARRAY_TASK_ID (Slurm) choose the "
                         "shard (docs/SCALE.md)");
  command
      .add_option("--shards", args.shards,
                  "How many shards (with JOB_COMPLETION_INDEX; default: LOOKALIKE_SHARDS, or Slurm's array size)")
      ->check(CLI::Range(std::size_t(1), kMaxShards));
}

std::optional<ShardSpec> process_shard(const ShardArguments& args) {
  return resolve_shard(args.shard, args.shards, [](const char* name) { return std::getenv(name); });
}

}  // namespace lookalike::cli
