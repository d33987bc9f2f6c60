#include "search_docset.h"

#include <algorithm>

// Counting is POPCNT's job; the default x86-64 target lacks it and calls
// libgcc's __popcountdi2 per word, so the counting loops are built twice
// and the loader picks the POPCNT one where the CPU has it.
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define BP_POPCNT_CLONES __attribute__((target_clones("popcnt", "default")))
#else
#define BP_POPCNT_CLONES
#endif

namespace bp::search {

void DocSet::intersect(const DocSet& other) {
  const std::size_t n = std::min(words_.size(), other.words_.size());
  for (std::size_t i = 0; i < n; ++i) words_[i] &= other.words_[i];
  std::fill(words_.begin() + static_cast<std::ptrdiff_t>(n), words_.end(), 0);
}

void DocSet::unite(const DocSet& other) {
  if (other.words_.size() > words_.size()) words_.resize(other.words_.size(), 0);
  for (std::size_t i = 0; i < other.words_.size(); ++i) words_[i] |= other.words_[i];
}

void DocSet::subtract(const DocSet& other) {
  const std::size_t n = std::min(words_.size(), other.words_.size());
  for (std::size_t i = 0; i < n; ++i) words_[i] &= ~other.words_[i];
}

Xapian::docid DocSet::next(Xapian::docid from) const {
  std::size_t w = from >> 6;
  if (w >= words_.size()) return 0;
  std::uint64_t bits = words_[w] & (~std::uint64_t{0} << (from & 63));
  while (bits == 0) {
    if (++w == words_.size()) return 0;
    bits = words_[w];
  }
  return static_cast<Xapian::docid>(w * 64 + static_cast<std::size_t>(std::countr_zero(bits)));
}

BP_POPCNT_CLONES std::uint64_t DocSet::count() const {
  std::uint64_t n = 0;
  for (std::uint64_t w : words_) n += static_cast<std::uint64_t>(std::popcount(w));
  return n;
}

BP_POPCNT_CLONES std::uint64_t DocSet::count_common(const DocSet& a, const DocSet& b) {
  const std::size_t n = std::min(a.words_.size(), b.words_.size());
  std::uint64_t c = 0;
  for (std::size_t i = 0; i < n; ++i) c += static_cast<std::uint64_t>(std::popcount(a.words_[i] & b.words_[i]));
  return c;
}

}  // namespace bp::search
