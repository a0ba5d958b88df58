// The crawl itself: terms one after the other, each term's photos listed
// page by page by its source and downloaded by a bounded pool of workers
// until the term has --per-term photos or the source runs dry.
//
// Which photos end up kept does not depend on timing: a term never has more
// downloads in flight than it still needs, so it keeps the first photos of
// the source's order that download and decode, and a crawl stopped at any
// point and started again with the same command ends with the same photos.
#pragma once

#include "crawl/crawl_options.h"
#include "crawl/crawl_summary.h"

namespace lookalike::crawl {

// Runs the crawl. Throws lookalike::Error for problems with the output
// folder (cannot create, lock or write it) and for invalid options; all that
// concerns the network and the photos ends up in the summary.
CrawlSummary run_crawl(const CrawlOptions& options);

}  // namespace lookalike::crawl
