#include "shard/shard_spec.h"

#define XXH_INLINE_ALL  // header-only use, as prep/pixel_hash.cpp
#include <xxhash.h>

#include <cstdio>

#include "lookalike/common/error.h"

namespace lookalike::cli {
namespace {

// A decimal number of at most 9 digits; nullopt for anything else.
std::optional<std::size_t> parse_count(const std::string& text) {
  if (text.empty() || text.size() > 9 || text.find_first_not_of("0123456789") != std::string::npos) return std::nullopt;
  return std::size_t(std::stoul(text));
}

std::size_t variable(const EnvironmentLookup& getenv_fn, const char* name) {
  const char* value = getenv_fn(name);
  const auto number = parse_count(value ? value : "");
  if (!number)
    fail(ErrorKind::InvalidArgument,
         std::string(name) + " must be a non-negative integer, not \"" + (value ? value : "") + "\"");
  return *number;
}

bool is_set(const EnvironmentLookup& getenv_fn, const char* name) {
  const char* value = getenv_fn(name);
  return value && *value;
}

ShardSpec checked(std::size_t index, std::size_t count, const std::string& source) {
  if (count < 1 || count > kMaxShards)
    fail(ErrorKind::InvalidArgument, source + ": the shard count must be between 1 and " + std::to_string(kMaxShards) +
                                         ", not " + std::to_string(count));
  if (index >= count)
    fail(ErrorKind::InvalidArgument, source + ": shard " + std::to_string(index) + " does not exist among " +
                                         std::to_string(count) + " (shards count from 0)");
  return {index, count};
}

std::optional<ShardSpec> from_environment(std::size_t shards, const EnvironmentLookup& getenv_fn) {
  if (is_set(getenv_fn, "JOB_COMPLETION_INDEX")) {
    const std::size_t index = variable(getenv_fn, "JOB_COMPLETION_INDEX");
    std::size_t count = shards;
    if (count == 0 && is_set(getenv_fn, "LOOKALIKE_SHARDS")) count = variable(getenv_fn, "LOOKALIKE_SHARDS");
    if (count == 0)
      fail(ErrorKind::InvalidArgument,
           "JOB_COMPLETION_INDEX is set (a Kubernetes Indexed Job) but not how many shards there are: pass "
           "--shards N or set LOOKALIKE_SHARDS to the Job's completions");
    return checked(index, count, "JOB_COMPLETION_INDEX");
  }
  if (is_set(getenv_fn, "SLURM_ARRAY_TASK_ID")) {
    const std::size_t id = variable(getenv_fn, "SLURM_ARRAY_TASK_ID");
    if (shards == 0 && is_set(getenv_fn, "SLURM_ARRAY_TASK_COUNT") && !is_set(getenv_fn, "SLURM_ARRAY_TASK_MIN"))
      return checked(id, variable(getenv_fn, "SLURM_ARRAY_TASK_COUNT"), "SLURM_ARRAY_TASK_ID");
    const std::size_t min = is_set(getenv_fn, "SLURM_ARRAY_TASK_MIN") ? variable(getenv_fn, "SLURM_ARRAY_TASK_MIN") : 0;
    if (id < min)
      fail(ErrorKind::InvalidArgument,
           "SLURM_ARRAY_TASK_ID " + std::to_string(id) + " is below SLURM_ARRAY_TASK_MIN " + std::to_string(min));
    std::size_t count = shards;
    if (count == 0 && is_set(getenv_fn, "SLURM_ARRAY_TASK_MAX"))
      count = variable(getenv_fn, "SLURM_ARRAY_TASK_MAX") - min + 1;
    if (count == 0 && is_set(getenv_fn, "SLURM_ARRAY_TASK_COUNT"))
      count = variable(getenv_fn, "SLURM_ARRAY_TASK_COUNT");
    if (count == 0)
      fail(ErrorKind::InvalidArgument,
           "SLURM_ARRAY_TASK_ID is set but neither SLURM_ARRAY_TASK_COUNT nor SLURM_ARRAY_TASK_MAX: pass --shards N");
    return checked(id - min, count, "SLURM_ARRAY_TASK_ID");
  }
  if (shards > 0)
    fail(ErrorKind::InvalidArgument,
         "--shards " + std::to_string(shards) +
             " needs the shard index too: --shard I/N, or JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID");
  return std::nullopt;
}

}  // namespace

std::string ShardSpec::folder_name() const {
  char name[40];
  std::snprintf(name, sizeof name, "shard-%05zu-of-%05zu", index, count);
  return name;
}

std::string ShardSpec::text() const { return std::to_string(index) + "/" + std::to_string(count); }

std::size_t ShardSpec::shard_of_key(const std::string& key, std::size_t count) {
  return std::size_t(stable_key_hash(key) % std::uint64_t(count));
}

std::uint64_t stable_key_hash(const std::string& key) { return XXH3_64bits(key.data(), key.size()); }

ShardSpec parse_shard_spec(const std::string& text) {
  const std::size_t slash = text.find('/');
  const auto index = parse_count(slash == std::string::npos ? "" : text.substr(0, slash));
  const auto count = parse_count(slash == std::string::npos ? "" : text.substr(slash + 1));
  if (!index || !count)
    fail(ErrorKind::InvalidArgument,
         "--shard takes I/N (shard I of N, counted from 0, e.g. 0/4), not \"" + text + "\"");
  return checked(*index, *count, "--shard " + text);
}

std::optional<ShardSpec> parse_shard_folder_name(const std::string& name) {
  // shard-IIIII-of-NNNNN
  if (name.size() != 20 || name.compare(0, 6, "shard-") != 0 || name.compare(11, 4, "-of-") != 0) return std::nullopt;
  const auto index = parse_count(name.substr(6, 5));
  const auto count = parse_count(name.substr(15, 5));
  if (!index || !count || *count < 1 || *index >= *count) return std::nullopt;
  return ShardSpec{*index, *count};
}

std::optional<ShardSpec> resolve_shard(const std::string& flag, std::size_t shards,
                                       const EnvironmentLookup& getenv_fn) {
  if (!flag.empty()) {
    const ShardSpec spec = parse_shard_spec(flag);
    if (shards != 0 && shards != spec.count)
      fail(ErrorKind::InvalidArgument,
           "--shard " + flag + " and --shards " + std::to_string(shards) + " disagree on the shard count");
    return spec;
  }
  return from_environment(shards, getenv_fn);
}

}  // namespace lookalike::cli
