#include "crawl/crawl_runner.h"

#include <algorithm>
#include <atomic>
#include <cctype>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <set>
#include <thread>

#include "common/cli_context.h"
#include "common/log.h"
#include "common/progress.h"
#include "common/text.h"
#include "crawl/crawl_journal.h"
#include "crawl/crawl_metadata.h"
#include "crawl/flickr_api_source.h"
#include "crawl/flickr_feed_source.h"
#include "crawl/licences.h"
#include "crawl/photo_store.h"
#include "crawl/polite_client.h"
#include "crawl/safe_names.h"
#include "crawl/sha256.h"
#include "crawl/url.h"
#include "lookalike/common/error.h"
#include "lookalike/image/decode.h"

namespace lookalike::crawl {

using namespace lookalike::cli;  // logging, progress, interrupt flag
namespace {

using namespace std::chrono_literals;

struct Task {
  PhotoCandidate photo;
  std::string folder;
  std::size_t term_index = 0;
};

enum class Outcome { Downloaded, Recovered, SameId, SameContent, Failed, Stopped, Refused };

struct TaskResult {
  Outcome outcome = Outcome::Stopped;
  std::string detail;  // failure reason, or the path of the photo already kept
};

CrawlRecord make_record(const PhotoCandidate& photo, const std::string& relative,
                        const std::vector<std::uint8_t>& bytes, const DecodedImage& decoded) {
  CrawlRecord r;
  r.photo = photo;
  r.path = relative;
  r.format = format_key(decoded.format);
  r.width = decoded.image.width;
  r.height = decoded.image.height;
  r.bytes = bytes.size();
  r.sha256 = sha256_hex(bytes.data(), bytes.size());
  r.downloaded = cli::utc_timestamp();
  return r;
}

class Crawl {
 public:
  Crawl(const CrawlOptions& options, PhotoStore& store, CrawlJournal& journal, CrawlSummary& summary)
      : options_(options), store_(store), journal_(journal), summary_(summary), limiter_(options.rate) {}

  void run() {
    for (const std::string& term : options_.terms) {
      TermReport report;
      report.term = term;
      report.folder = folder_for_term(term);
      report.wanted = options_.per_term;
      report.had = std::min(journal_.count_for_term(term), options_.per_term);
      overall_have_ += report.had;
      summary_.terms.push_back(report);
    }
    overall_wanted_ = options_.terms.size() * options_.per_term;

    PoliteClient client(options_.http, options_.retry, limiter_, [this] { return should_stop(); });
    std::unique_ptr<PhotoSource> source = make_source(client);
    if (!source) return;

    // Downloads run on their own threads, fed through a queue while the
    // pages are listed: how many photos a term takes is only known as they
    // finish (failures are replaced by the next listed), so this is a
    // producer and consumers, not a loop over known items (parallel_for).
    std::vector<std::thread> workers;
    auto close_workers = [&] {
      {
        std::lock_guard<std::mutex> lock(mutex_);
        closing_ = true;
      }
      work_cv_.notify_all();
      for (auto& t : workers) t.join();
    };
    try {
      for (unsigned i = 0; i < std::max(1u, options_.parallel); ++i) workers.emplace_back([this] { worker(); });
      for (std::size_t i = 0; i < summary_.terms.size() && !should_stop(); ++i) crawl_term(*source, i);
    } catch (...) {
      stop_ = true;
      close_workers();
      throw;
    }
    close_workers();
    if (!fatal_error_.empty()) fail(ErrorKind::Io, fatal_error_);
  }

 private:
  bool should_stop() const { return cli::interrupted() || stop_.load(); }

  void refuse(const std::string& why) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (summary_.refused.empty()) summary_.refused = why;
    stop_ = true;
  }

  std::unique_ptr<PhotoSource> make_source(PoliteClient& client) {
    const bool use_api = options_.source == "api" || (options_.source == "auto" && !options_.api_key.empty());
    if (!use_api) {
      summary_.source = "flickr-feed";
      log_warning(
          "no Flickr API key (FLICKR_API_KEY or --api-key): using Flickr's public feed, which lists only the "
          "latest ~20 photos per tag and gives no licence. These photos are recorded with licence \"unknown\": "
          "fine for private experiments, not for a public site (see docs/CRAWLING.md).");
      if (lower_ascii(options_.licences) != "cc")
        log_warning("--licences is ignored: the public feed does not say which licence a photo has");
      FlickrFeedSettings settings;
      settings.base_url = options_.feed_base_url;
      settings.size = options_.size;
      return std::make_unique<FlickrFeedSource>(settings, client);
    }

    summary_.source = "flickr-api";
    std::vector<Licence> table;
    std::string problem;
    try {
      table = fetch_flickr_licences(client, options_.api_base_url, options_.api_key, problem);
    } catch (const CrawlRefused& e) {
      refuse(e.what());
      return nullptr;
    }
    if (should_stop()) return nullptr;
    if (table.empty()) {
      log_warning("cannot read Flickr's licence list (" + problem + "); using the documented list of licences");
      table = documented_flickr_licences();
    }
    const std::set<std::string> accepted = select_licences(options_.licences, table);
    filter_licences_ = lower_ascii(options_.licences) != "any";
    accepted_licences_ = accepted;
    log_info(std::string("licences accepted: ") +
             (filter_licences_ ? describe_licences(accepted, table) : "any (no filter)"));

    FlickrApiSettings settings;
    settings.base_url = options_.api_base_url;
    settings.api_key = options_.api_key;
    settings.tag_search = options_.tag_search;
    settings.size = options_.size;
    settings.per_page = options_.page_size;
    if (filter_licences_) settings.licences = accepted;
    settings.licence_table = table;
    return std::make_unique<FlickrApiSource>(settings, client);
  }

  // True when one more photo may be started for the current term: fewer
  // done and in flight than needed. False once enough are done or on stop.
  bool wait_for_slot(std::size_t need) {
    std::unique_lock<std::mutex> lock(mutex_);
    while (true) {
      if (should_stop() || done_in_term_ >= need) return false;
      if (done_in_term_ + in_flight_ < need) return true;
      done_cv_.wait_for(lock, 100ms);  // also wakes up to notice Ctrl-C
    }
  }

  void wait_for_idle() {
    std::unique_lock<std::mutex> lock(mutex_);
    while (in_flight_ > 0) done_cv_.wait_for(lock, 100ms);
  }

  std::string overall_note() const {
    return "overall " + std::to_string(overall_have_) + "/" + std::to_string(overall_wanted_);
  }

  // True when a listed photo is not to be downloaded (no URL, seen on an
  // earlier page, another shard's, already kept, a known duplicate, a licence not accepted),
  // counted in the term's report.
  bool skip_listed(const PhotoCandidate& photo, std::size_t index, const std::string& label,
                   std::set<std::string>& seen) {
    const auto count = [&](std::size_t TermReport::*counter, const std::string& why) {
      std::lock_guard<std::mutex> lock(mutex_);
      ++(summary_.terms[index].*counter);
      log_verbose(label + ": " + why);
      return true;
    };
    if (photo.id.empty() || photo.image_url.empty())
      return count(&TermReport::skipped_no_url, std::string("skipping a photo without ") +
                                                    (photo.id.empty() ? "id" : "usable image URL (" + photo.id + ")"));
    if (!seen.insert(photo.id).second) return true;
    if (options_.shard && !options_.shard->holds(photo.id)) {
      std::lock_guard<std::mutex> lock(mutex_);
      ++summary_.terms[index].other_shards;
      return true;
    }
    if (const auto kept = journal_.find_id(photo.id)) {
      // Same term: one of the photos counted as "from before".
      if (kept->photo.term == summary_.terms[index].term) return true;
      return count(&TermReport::skipped_same_id, "photo " + photo.id + " is already kept as " + kept->path);
    }
    if (const auto original = journal_.duplicate_of(photo.id))
      return count(&TermReport::skipped_same_content, "photo " + photo.id + " is the same image as " + *original);
    if (filter_licences_ && !accepted_licences_.count(photo.licence.id))
      return count(&TermReport::skipped_licence,
                   "photo " + photo.id + " has licence " + photo.licence.short_name + ", not accepted");
    return false;
  }

  // Lists pages of the term and queues its photos for the workers until
  // enough are done (or in flight), the source has no more, or a stop.
  void list_and_queue(PhotoSource& source, std::size_t index, const std::string& label, std::size_t need) {
    const std::string term = summary_.terms[index].term, folder = summary_.terms[index].folder;
    std::set<std::string> seen;
    // flickr.photos.search returns at most 4000 results; later pages repeat.
    const int max_pages = std::max(2, 4000 / std::max(1, options_.page_size) + 1);
    for (int page = 1; page <= max_pages; ++page) {
      if (!wait_for_slot(need)) return;  // a page is fetched only while a photo is still wanted
      SourcePage listed;
      try {
        listed = source.fetch_page(term, page);
      } catch (const TermFailed& e) {
        std::lock_guard<std::mutex> lock(mutex_);
        summary_.terms[index].error = e.what();
        log_warning(e.what());
        return;
      } catch (const CrawlRefused& e) {
        refuse(e.what());
        return;
      }
      if (listed.stopped) return;
      for (PhotoCandidate& photo : listed.photos) {
        if (skip_listed(photo, index, label, seen)) continue;
        if (!wait_for_slot(need)) return;
        {
          std::lock_guard<std::mutex> lock(mutex_);
          ++in_flight_;
          queue_.push_back(Task{std::move(photo), folder, index});
        }
        work_cv_.notify_one();
      }
      if (listed.last) return;
    }
  }

  void crawl_term(PhotoSource& source, std::size_t index) {
    const std::size_t wanted = options_.per_term;
    std::string term;
    std::size_t had = 0;
    {
      std::lock_guard<std::mutex> lock(mutex_);
      term = summary_.terms[index].term;
      had = summary_.terms[index].had;
    }
    const std::string label =
        term + " [" + std::to_string(index + 1) + "/" + std::to_string(summary_.terms.size()) + "]";
    if (had >= wanted) {
      log_info(label + ": already has " + std::to_string(had) + " photos");
      return;
    }
    const std::size_t need = wanted - had;
    if (had > 0)
      log_info(label + ": " + std::to_string(had) + " photos from before, " + std::to_string(need) + " to go");

    Progress progress(label, need, "photos");
    {
      std::lock_guard<std::mutex> lock(mutex_);
      done_in_term_ = 0;
      progress_ = &progress;
      progress.set_note(overall_note());
    }
    list_and_queue(source, index, label, need);
    wait_for_idle();

    std::lock_guard<std::mutex> lock(mutex_);
    progress_ = nullptr;
    TermReport& report = summary_.terms[index];
    if (!should_stop() && report.error.empty() && report.have() < wanted) {
      report.exhausted = true;
      log_warning(term + ": only " + std::to_string(report.have()) + " of " + std::to_string(wanted) +
                  " photos: the source has no more for this term" +
                  (summary_.source == "flickr-feed"
                       ? " (the keyless feed lists only the latest ~20; an API key gives more)"
                       : ""));
    }
    progress.finish();
  }

  void worker() {
    std::unique_ptr<PoliteClient> client;
    try {
      client =
          std::make_unique<PoliteClient>(options_.http, options_.retry, limiter_, [this] { return should_stop(); });
    } catch (const std::exception& e) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (fatal_error_.empty()) fatal_error_ = e.what();
      stop_ = true;
    }
    while (true) {
      Task task;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        work_cv_.wait(lock, [this] { return closing_ || !queue_.empty(); });
        if (queue_.empty()) return;
        task = std::move(queue_.front());
        queue_.pop_front();
      }
      TaskResult result;
      try {
        if (client) result = download(*client, task);
      } catch (const Error& e) {
        if (e.kind() == ErrorKind::Io) {
          // A file we cannot write (disk full, permissions) stops the crawl:
          // every further photo would fail the same way.
          std::lock_guard<std::mutex> lock(mutex_);
          if (fatal_error_.empty()) fatal_error_ = e.what();
          stop_ = true;
          result = {Outcome::Stopped, {}};
        } else {
          result = {Outcome::Failed, e.what()};
        }
      } catch (const std::exception& e) {
        result = {Outcome::Failed, std::string("unexpected failure: ") + e.what()};
      }
      finish(task, result);
    }
  }

  void finish(const Task& task, const TaskResult& result) {
    std::lock_guard<std::mutex> lock(mutex_);
    --in_flight_;
    TermReport& report = summary_.terms[task.term_index];
    const bool kept = result.outcome == Outcome::Downloaded || result.outcome == Outcome::Recovered;
    switch (result.outcome) {
      case Outcome::Downloaded: ++report.downloaded; break;
      case Outcome::Recovered: ++report.recovered; break;
      case Outcome::SameId: ++report.skipped_same_id; break;
      case Outcome::SameContent:
        ++report.skipped_same_content;
        log_verbose(report.term + ": photo " + task.photo.id + " is the same image as " + result.detail);
        break;
      case Outcome::Failed:
        ++report.failed;
        summary_.failures.push_back({report.term, task.photo.id, task.photo.image_url, result.detail});
        log_warning(report.term + ": photo " + task.photo.id + " failed: " + result.detail);
        break;
      case Outcome::Refused:
        if (summary_.refused.empty()) summary_.refused = result.detail;
        stop_ = true;
        break;
      case Outcome::Stopped: break;
    }
    if (kept) {
      ++done_in_term_;
      ++overall_have_;
      if (progress_) {
        progress_->set_note(overall_note());
        progress_->advance();
      }
    }
    done_cv_.notify_all();
  }

  TaskResult download(PoliteClient& client, const Task& task) {
    const PhotoCandidate& photo = task.photo;
    const std::string stem = file_stem_for_id(photo.id);

    // A complete file under this photo's name but no journal line: a crawl
    // was killed between the two. The file was decodable when it was
    // placed; record it instead of downloading it again.
    const std::string existing = store_.find_existing(task.folder, stem);
    if (!existing.empty()) {
      try {
        const std::vector<std::uint8_t> bytes = store_.read(existing);
        const DecodedImage decoded = decode_image(bytes.data(), bytes.size());
        std::string kept;
        switch (journal_.commit(make_record(photo, existing, bytes, decoded), {}, &kept)) {
          case CrawlJournal::Commit::Committed: return {Outcome::Recovered, existing};
          case CrawlJournal::Commit::SameId: return {Outcome::SameId, kept};
          case CrawlJournal::Commit::SameContent: return {Outcome::SameContent, kept};
        }
      } catch (const Error& e) {
        if (e.kind() == ErrorKind::Io) throw;
        log_warning("replacing " + existing + ", which is not a usable image: " + e.what());
      }
    }

    FetchOutcome fetched = client.fetch(photo.image_url);
    PhotoCandidate fetched_photo = photo;
    const long gone = fetched.response.transfer == HttpResponse::Transfer::Complete ? fetched.response.status : 0;
    if (fetched.kind == FetchOutcome::Kind::Failed && (gone == 404 || gone == 410) && !photo.fallback_url.empty() &&
        is_web_url(photo.fallback_url)) {
      log_verbose(photo.term + ": photo " + photo.id + ": " + fetched.failure +
                  " for the size asked, taking the size listed");
      fetched = client.fetch(photo.fallback_url);
      fetched_photo.image_url = photo.fallback_url;
    }
    if (fetched.kind == FetchOutcome::Kind::Stopped) return {Outcome::Stopped, {}};
    if (!fetched.ok()) {
      if (fetched.throttled) return {Outcome::Refused, "the image host keeps refusing requests: " + fetched.failure};
      return {Outcome::Failed, fetched.failure};
    }
    const std::vector<std::uint8_t>& body = fetched.response.body;
    DecodedImage decoded;
    try {
      decoded = decode_image(body.data(), body.size());
    } catch (const Error& e) {
      const std::string& type = fetched.response.content_type;
      if (!type.empty() && type.rfind("image/", 0) != 0)
        return {Outcome::Failed, "not an image (" + type + ", " + std::to_string(body.size()) + " bytes)"};
      return {Outcome::Failed, std::string("not a usable image: ") + e.what()};
    }

    const std::string relative = PhotoStore::relative_path(task.folder, stem, decoded.format);
    const CrawlRecord record = make_record(fetched_photo, relative, body, decoded);
    const std::filesystem::path temporary = store_.write_temporary(relative, body);
    std::string kept;
    CrawlJournal::Commit commit;
    try {
      commit = journal_.commit(
          record, [&] { store_.place(temporary, relative); }, &kept);
    } catch (...) {
      store_.discard(temporary);
      throw;
    }
    switch (commit) {
      case CrawlJournal::Commit::Committed: return {Outcome::Downloaded, relative};
      case CrawlJournal::Commit::SameId: store_.discard(temporary); return {Outcome::SameId, kept};
      case CrawlJournal::Commit::SameContent: store_.discard(temporary); return {Outcome::SameContent, kept};
    }
    return {Outcome::Failed, "unreachable"};
  }

  const CrawlOptions& options_;
  PhotoStore& store_;
  CrawlJournal& journal_;
  CrawlSummary& summary_;
  RateLimiter limiter_;
  std::atomic<bool> stop_{false};
  bool filter_licences_ = false;
  std::set<std::string> accepted_licences_;

  std::mutex mutex_;  // guards everything below and summary_
  std::condition_variable work_cv_, done_cv_;
  std::deque<Task> queue_;
  bool closing_ = false;
  std::size_t in_flight_ = 0, done_in_term_ = 0;
  std::size_t overall_have_ = 0, overall_wanted_ = 0;
  Progress* progress_ = nullptr;
  std::string fatal_error_;
};

}  // namespace

CrawlSummary run_crawl(const CrawlOptions& options) {
  PhotoStore store(options.out);
  if (const std::size_t removed = store.remove_leftover_temporaries())
    log_info("removed " + std::to_string(removed) + " unfinished download(s) left by an interrupted crawl");
  CrawlJournal journal(options.out / "crawl.jsonl", options.out / ".crawl-duplicates.jsonl");
  const auto& opened = journal.open_report();
  if (opened.torn_bytes_removed)
    log_warning("crawl.jsonl ended in an unfinished line (an interrupted crawl); removed it (" +
                std::to_string(opened.torn_bytes_removed) + " bytes)");
  if (opened.bad_lines)
    log_warning("crawl.jsonl has " + std::to_string(opened.bad_lines) + " unreadable line(s), ignored (" +
                opened.first_problem + ")");
  if (opened.records) log_info("resuming: crawl.jsonl already lists " + std::to_string(opened.records) + " photos");

  CrawlSummary summary;
  Crawl crawl(options, store, journal, summary);
  crawl.run();
  summary.interrupted = cli::interrupted();
  const std::vector<CrawlRecord> records = journal.records();
  write_crawl_metadata(options.out, records, summary, options);
  const std::vector<std::string> unrecorded = unrecorded_files(options.out, records);
  if (!unrecorded.empty())
    log_warning(std::to_string(unrecorded.size()) + " photo file(s) in " + options.out.string() +
                " have no line in crawl.jsonl, so no attribution (e.g. " + unrecorded.front() +
                "): a later crawl that meets them records them; otherwise delete them before publishing");
  return summary;
}

}  // namespace lookalike::crawl
