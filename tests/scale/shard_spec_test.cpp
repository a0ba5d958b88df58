// Which shard a process is and which inputs it takes (shard/shard_spec.h),
// the shard folder's names, and the item record's validation fields.
#include <catch2/catch.hpp>

#include <map>

#include "lookalike/common/error.h"
#include "lookalike/index/item_record.h"
#include "shard/shard_spec.h"

using namespace lookalike;
using namespace lookalike::cli;

namespace {

EnvironmentLookup environment(std::map<std::string, std::string> variables) {
  return [variables = std::move(variables)](const char* name) -> const char* {
    const auto it = variables.find(name);
    return it == variables.end() ? nullptr : it->second.c_str();
  };
}

std::string resolve_error(const std::string& flag, std::size_t shards, const EnvironmentLookup& env) {
  try {
    resolve_shard(flag, shards, env);
  } catch (const Error& e) {
    return e.what();
  }
  return "(no error)";
}

}  // namespace

TEST_CASE("a shard I/N is parsed, checked and names its folder", "[scale][shard]") {
  const ShardSpec s = parse_shard_spec("2/4");
  CHECK(s.index == 2);
  CHECK(s.count == 4);
  CHECK(s.folder_name() == "shard-00002-of-00004");
  CHECK(s.text() == "2/4");
  const auto back = parse_shard_folder_name("shard-00002-of-00004");
  REQUIRE(back);
  CHECK((back->index == 2 && back->count == 4));
  for (const char* bad : {"4/4", "1/0", "a/4", "2", "", "-1/4", "1/100000", "2/4/6"})
    CHECK_THROWS_WITH(parse_shard_spec(bad), Catch::Contains("--shard"));
  for (const char* bad : {"shard-00004-of-00004", "shard-2-of-4", "shard-00002-of-00004x", "part-00002-of-00004"})
    CHECK_FALSE(parse_shard_folder_name(bad));
}

TEST_CASE("the shard comes from the scheduler's variables when --shard is not given", "[scale][shard]") {
  CHECK_FALSE(resolve_shard("", 0, environment({})));
  CHECK(resolve_shard("1/3", 0, environment({{"SLURM_ARRAY_TASK_ID", "2"}}))->index == 1);

  const auto slurm = resolve_shard("", 0, environment({{"SLURM_ARRAY_TASK_ID", "3"}, {"SLURM_ARRAY_TASK_COUNT", "4"}}));
  CHECK((slurm->index == 3 && slurm->count == 4));
  // --array=10-13: task 12 is the third of four.
  const auto offset = resolve_shard("", 0,
                                    environment({{"SLURM_ARRAY_TASK_ID", "12"},
                                                 {"SLURM_ARRAY_TASK_MIN", "10"},
                                                 {"SLURM_ARRAY_TASK_MAX", "13"},
                                                 {"SLURM_ARRAY_TASK_COUNT", "4"}}));
  CHECK((offset->index == 2 && offset->count == 4));

  const auto k8s = resolve_shard("", 0, environment({{"JOB_COMPLETION_INDEX", "5"}, {"LOOKALIKE_SHARDS", "8"}}));
  CHECK((k8s->index == 5 && k8s->count == 8));
  CHECK(resolve_shard("", 6, environment({{"JOB_COMPLETION_INDEX", "5"}, {"LOOKALIKE_SHARDS", "8"}}))->count == 6);

  CHECK_THAT(resolve_error("", 0, environment({{"JOB_COMPLETION_INDEX", "1"}})), Catch::Contains("LOOKALIKE_SHARDS"));
  CHECK_THAT(resolve_error("", 0, environment({{"SLURM_ARRAY_TASK_ID", "x"}, {"SLURM_ARRAY_TASK_COUNT", "4"}})),
             Catch::Contains("SLURM_ARRAY_TASK_ID must be"));
  CHECK_THAT(resolve_error("", 0, environment({{"SLURM_ARRAY_TASK_ID", "4"}, {"SLURM_ARRAY_TASK_COUNT", "4"}})),
             Catch::Contains("does not exist among 4"));
  CHECK_THAT(resolve_error("", 4, environment({})), Catch::Contains("needs the shard index"));
  CHECK_THAT(resolve_error("1/4", 3, environment({})), Catch::Contains("disagree"));
}

TEST_CASE("inputs are split by a stable hash of their key", "[scale][shard]") {
  // XXH3-64 is specified byte for byte: these values hold on every machine,
  // and changing them would split an existing job's inputs differently.
  CHECK(stable_key_hash("beach/101.jpg") == stable_key_hash(std::string("beach/") + "101.jpg"));
  CHECK(stable_key_hash("") == 0x2d06800538d394c2ULL);
  std::vector<std::size_t> counts(4, 0);
  for (int i = 0; i < 4000; ++i) {
    const std::string key = "label" + std::to_string(i % 10) + "/" + std::to_string(i) + ".jpg";
    std::size_t holders = 0;
    for (std::size_t s = 0; s < 4; ++s) holders += ShardSpec{s, 4}.holds(key) ? 1 : 0;
    CHECK(holders == 1);
    ++counts[ShardSpec::shard_of_key(key, 4)];
  }
  for (const std::size_t c : counts) CHECK((c > 850 && c < 1150));
}

TEST_CASE("an item record carries what validating the image learned", "[scale][item]") {
  ItemRecord r;
  r.source.path = "/data/wang1k/beach/101.jpg";
  r.label = "beach";
  r.format = "jpeg";
  r.bytes = 38211;
  r.pixel_hash = "0123456789abcdef0123456789abcdef";
  r.phash = "fedcba9876543210";
  r.luma = 0;
  const std::string line = item_record_to_json(r);
  const ItemRecord back = parse_item_record(line);
  CHECK(back.format == "jpeg");
  CHECK(back.bytes == 38211);
  CHECK(back.pixel_hash == r.pixel_hash);
  CHECK(back.phash == r.phash);
  CHECK(back.luma == 0);
  CHECK(item_record_to_json(back) == line);
  CHECK(parse_item_record(R"({"path":"a.jpg"})").luma == -1);
  CHECK_THROWS_WITH(parse_item_record(R"({"path":"a.jpg","luma":256})"), Catch::Contains("luma"));
  CHECK_THROWS_WITH(parse_item_record(R"({"path":"a.jpg","bytes":-1})"), Catch::Contains("bytes"));
}
