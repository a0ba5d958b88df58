// The options every command that runs as one shard of a cluster job shares
// (crawl, prep, embed): --shard I/N and --shards N, and the shard they, or
// else the scheduler's variables, give this process (shard/shard_spec.h).
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "shard/shard_spec.h"

namespace CLI {
class App;
}

namespace lookalike::cli {

struct ShardArguments {
  std::string shard;  // I/N
  std::size_t shards = 0;
};

// `what` says what the shard does, e.g. "Embed shard I of N (I/N) into
// OUT/shard-IIIII-of-NNNNN/"; the help adds where the shard comes from otherwise.
void add_shard_options(CLI::App& command, ShardArguments& args, const std::string& what);

// The shard of this process, from the options or the environment; nullopt:
// not sharded. Throws Error(InvalidArgument) as resolve_shard.
std::optional<ShardSpec> process_shard(const ShardArguments& args);

}  // namespace lookalike::cli
