// DIR/crawl.json, what a crawl folder holds as a whole, and the checks
// that go with it: what its photos' licences allow, and photo files that
// crawl.jsonl does not account for.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

#include "crawl/crawl_options.h"
#include "crawl/crawl_record.h"
#include "crawl/crawl_summary.h"

namespace lookalike::crawl {

// One or two sentences on what may be done with these photos (unknown and
// All Rights Reserved: not republished; CC and public domain: with
// attribution; NC and ND terms). Fills counts (photos per licence short
// name) and republishable (every photo CC or public domain).
std::string licence_note(const std::vector<CrawlRecord>& records, std::map<std::string, std::size_t>& counts,
                         bool& republishable);

// Writes DIR/crawl.json from the journal's records (so it stays true when
// crawls with and without a key add to one folder) and sets
// summary.licence_note:
// {"schema":1,"updated":…,"journal":"crawl.jsonl","photos":N,"sources":[…],
//  "terms":[{"term","folder","photos"}],"licences":{"CC BY 2.0":12,…},
//  "republishable":bool,"licence_note":"…","last_crawl":{…}}
void write_crawl_metadata(const std::filesystem::path& root, const std::vector<CrawlRecord>& records,
                          CrawlSummary& summary, const CrawlOptions& options);

// Photo files in DIR's folders that crawl.jsonl does not list ("beach/x.jpg").
std::vector<std::string> unrecorded_files(const std::filesystem::path& root, const std::vector<CrawlRecord>& records);

}  // namespace lookalike::crawl
