#include "bp/query_tally.h"

#include <chrono>

#include "bp/civil_time.h"
#include "bp/text.h"

namespace bp {
namespace {

std::int64_t system_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

bool is_space(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// An e-mail address or a phone number typed in the search box is personal
// data: such queries are not kept at all.
bool looks_personal(std::string_view q) {
  if (q.find('@') != std::string_view::npos) return true;
  int digits = 0;
  for (char c : q) {
    if (c >= '0' && c <= '9') {
      if (++digits >= 6) return true;
    } else if (c != ' ' && c != '.' && c != '-' && c != '/') {
      digits = 0;
    }
  }
  return false;
}

// The query as held until drain() normalises it: cut to a bound (at a
// character boundary) so a long query costs little memory.
std::string raw_key(std::string_view q) {
  constexpr std::size_t kMaxRawBytes = 4 * kMaxTalliedQueryBytes;
  if (q.size() > kMaxRawBytes) {
    std::size_t cut = kMaxRawBytes;
    while (cut > 0 && (static_cast<unsigned char>(q[cut]) & 0xC0) == 0x80) --cut;
    q = q.substr(0, cut);
  }
  return std::string(q);
}

}  // namespace

std::string normalise_query(std::string_view q) {
  const std::string folded = text::fold_lower(q);
  std::string out;
  out.reserve(folded.size());
  for (unsigned char c : folded) {
    if (is_space(c) || c < 0x20 || c == 0x7f) {
      if (!out.empty() && out.back() != ' ') out += ' ';
    } else {
      out += static_cast<char>(c);
    }
  }
  // "come si fa?" and "come si fa" are one query: punctuation around it
  // does not change what the search finds.
  auto edge = [](char c) { return c == ' ' || c == '?' || c == '!' || c == '.' || c == ',' || c == ';' || c == ':' ||
                                  c == '"' || c == '\''; };
  while (!out.empty() && edge(out.back())) out.pop_back();
  std::size_t lead = 0;
  while (lead < out.size() && edge(out[lead])) ++lead;
  out.erase(0, lead);
  if (out.size() > kMaxTalliedQueryBytes) {
    std::size_t cut = kMaxTalliedQueryBytes;
    // Back to the start of a character (never split a UTF-8 sequence).
    while (cut > 0 && (static_cast<unsigned char>(out[cut]) & 0xC0) == 0x80) --cut;
    out.resize(cut);
    while (!out.empty() && out.back() == ' ') out.pop_back();
  }
  if (looks_personal(out)) return "";
  return out;
}

QueryCounts& QueryCounts::operator+=(const QueryCounts& o) {
  searches += o.searches;
  zero_results += o.zero_results;
  few_results += o.few_results;
  clicks += o.clicks;
  return *this;
}

void TallyBatch::merge(const TallyBatch& other) {
  for (const auto& [k, v] : other.queries) queries[k] += v;
  for (const auto& [k, v] : other.positions) positions[k] += v;
  for (const auto& [k, v] : other.filters) filters[k] += v;
}

QueryTally::QueryTally(std::size_t max_keys, std::int64_t (*clock)())
    : max_keys_(max_keys), clock_(clock ? clock : system_seconds) {}

std::string QueryTally::today_locked() {
  const std::int64_t now = clock_();
  if (now >= day_until_ || now < day_until_ - 60) {
    day_ = rome_local(now).substr(0, 10);
    // Rome's days change on a whole minute: recompute at the next one.
    day_until_ = now - now % 60 + 60;
  }
  return day_;
}

QueryCounts* QueryTally::counts_locked(const std::string& day, const std::string& query) {
  if (query.empty()) return nullptr;
  auto key = std::make_pair(day, query);
  auto it = batch_.queries.find(key);
  if (it == batch_.queries.end()) {
    if (batch_.queries.size() >= max_keys_) return nullptr;
    it = batch_.queries.emplace(std::move(key), QueryCounts{}).first;
  }
  return &it->second;
}

void QueryTally::record_search(std::string_view query, std::int64_t total,
                               const std::vector<std::pair<std::string, std::string>>& filters) {
  const std::string q = raw_key(query);
  std::lock_guard<std::mutex> lock(mu_);
  const std::string day = today_locked();
  if (day.empty()) return;
  for (const auto& [facet, value] : filters)
    if ((facet == "hub" || facet == "theme") && batch_.filters.size() < max_keys_)
      ++batch_.filters[{day, facet, value}];
  QueryCounts* c = counts_locked(day, q);
  if (!c) return;
  ++c->searches;
  if (total <= 0) ++c->zero_results;
  else if (total < kFewResults) ++c->few_results;
}

void QueryTally::record_click(std::string_view query, int position) {
  if (position < 1) return;
  const std::string q = raw_key(query);
  std::lock_guard<std::mutex> lock(mu_);
  const std::string day = today_locked();
  if (day.empty()) return;
  ++batch_.positions[{day, std::min(position, kMaxTalliedPosition)}];
  if (QueryCounts* c = counts_locked(day, q)) ++c->clicks;
}

TallyBatch QueryTally::drain() {
  TallyBatch raw;
  {
    std::lock_guard<std::mutex> lock(mu_);
    std::swap(raw, batch_);
  }
  // Normalised here, on the worker's thread, not on the request's: the
  // Unicode folding costs more than the rest of a record.
  TallyBatch out;
  out.positions = std::move(raw.positions);
  out.filters = std::move(raw.filters);
  for (const auto& [key, counts] : raw.queries)
    if (std::string q = normalise_query(key.second); !q.empty()) out.queries[{key.first, std::move(q)}] += counts;
  return out;
}

void QueryTally::restore(const TallyBatch& batch) {
  std::lock_guard<std::mutex> lock(mu_);
  batch_.merge(batch);
}

}  // namespace bp
