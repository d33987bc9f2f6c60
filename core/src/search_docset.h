// A set of document ids as a bitmap over 1..last, for counting: the
// documents a query matches, those with a facet value, and their
// intersections. At 100,000 documents a set is 12.5 KB, and intersecting
// two and counting the result is 1,563 AND and POPCNT steps, where a
// Xapian match spy pays a virtual call and a few loads per document.
#pragma once

#include <bit>
#include <cstdint>
#include <string>
#include <utility>
#include <vector>
#include <xapian.h>

namespace bp::search {

class DocSet {
 public:
  // An empty set that can hold the ids 1..last.
  explicit DocSet(Xapian::docid last = 0) : words_(static_cast<std::size_t>(last) / 64 + 1, 0) {}

  Xapian::docid last() const { return static_cast<Xapian::docid>(words_.size() * 64 - 1); }

  // `did` must be at most last().
  void add(Xapian::docid did) { words_[did >> 6] |= std::uint64_t{1} << (did & 63); }
  bool contains(Xapian::docid did) const {
    return (did >> 6) < words_.size() && (words_[did >> 6] >> (did & 63) & 1) != 0;
  }

  // In place; `other` may be of another size (ids past it count as absent).
  void intersect(const DocSet& other);
  void unite(const DocSet& other);
  void subtract(const DocSet& other);

  std::uint64_t count() const;
  // |a ∩ b|, without building it.
  static std::uint64_t count_common(const DocSet& a, const DocSet& b);

  // Calls f(did) for each id, ascending.
  template <typename F>
  void for_each(F&& f) const {
    for (std::size_t w = 0; w < words_.size(); ++w)
      for (std::uint64_t bits = words_[w]; bits != 0; bits &= bits - 1)
        f(static_cast<Xapian::docid>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits))));
  }

  // The least id at or after `from` in the set; 0 when there is none.
  Xapian::docid next(Xapian::docid from) const;

  std::size_t word_count() const { return words_.size(); }
  // The bits of ids 64 i .. 64 i + 63; i must be below word_count().
  std::uint64_t word(std::size_t i) const { return words_[i]; }

 private:
  std::vector<std::uint64_t> words_;
};

// A DocSet as a posting list without weight, to restrict Xapian's matcher to
// it (Query(&source) under OP_FILTER).
class DocSetSource final : public Xapian::PostingSource {
 public:
  explicit DocSetSource(DocSet docs) : docs_(std::move(docs)), count_(static_cast<Xapian::doccount>(docs_.count())) {}

  Xapian::doccount get_termfreq_min() const override { return count_; }
  Xapian::doccount get_termfreq_est() const override { return count_; }
  Xapian::doccount get_termfreq_max() const override { return count_; }
  void init(const Xapian::Database&) override { at_ = 0; }
  void next(double) override { at_ = docs_.next(at_ + 1); }
  void skip_to(Xapian::docid did, double) override {
    if (did > at_) at_ = docs_.next(did);
  }
  bool at_end() const override { return at_ == 0; }
  Xapian::docid get_docid() const override { return at_; }
  std::string get_description() const override { return "bp::DocSetSource"; }

 private:
  DocSet docs_;
  Xapian::doccount count_;
  Xapian::docid at_ = 0;  // 0 before the start and at the end
};

}  // namespace bp::search
