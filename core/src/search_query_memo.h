// What query understanding looks up in the index for one word, kept for the
// next queries: the close spellings of a word the index lacks (a scan of up
// to 20,000 terms, about 1.3 M instructions at 1k practices), the Italian
// cognates of an English word it lacks (search_cognates.h) and the most
// frequent completions of a prefix. Both depend only on the word and the
// database revision, so one memo per revision serves every Searcher of the
// process (search_revision_cache.h). Thread-safe; at most kMaxWords words
// of each kind (then it starts again empty). It changes no answer: a word
// gets what it would get without it (docs/performance.md, "Fourth round").
#pragma once

#include <cstddef>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <vector>
#include <xapian.h>

namespace bp::search {

class QueryMemo {
 public:
  static constexpr std::size_t kMaxWords = 4096;

  // The memo of `db`'s revision, shared with the other Searchers that read
  // it. May throw Xapian::Error.
  static std::shared_ptr<const QueryMemo> of(const Xapian::Database& db);

  explicit QueryMemo(Xapian::rev revision) : revision_(revision) {}
  // The database revision it was made for.
  Xapian::rev revision() const { return revision_; }

  // compute() when `word` was not asked before; the remembered answer
  // otherwise. What compute() throws is passed on and nothing is kept.
  template <typename Compute>
  std::vector<std::string> spellings(const std::string& word, Compute&& compute) const {
    return remembered(spellings_, word, compute);
  }
  template <typename Compute>
  std::vector<std::string> cognates(const std::string& word, Compute&& compute) const {
    return remembered(cognates_, word, compute);
  }
  template <typename Compute>
  std::vector<std::string> completions(const std::string& prefix, Compute&& compute) const {
    return remembered(completions_, prefix, compute);
  }

 private:
  using Table = std::unordered_map<std::string, std::vector<std::string>>;

  template <typename Compute>
  std::vector<std::string> remembered(Table& table, const std::string& word, Compute& compute) const {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      if (auto it = table.find(word); it != table.end()) return it->second;
    }
    std::vector<std::string> answer = compute();  // outside the lock: others go on meanwhile
    std::lock_guard<std::mutex> lock(mutex_);
    if (table.size() >= kMaxWords) table.clear();
    table.emplace(word, answer);
    return answer;
  }

  const Xapian::rev revision_;
  mutable std::mutex mutex_;
  mutable Table spellings_;
  mutable Table completions_;
  mutable Table cognates_;
};

}  // namespace bp::search
