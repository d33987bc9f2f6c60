#include "search_snippet.h"

#include <algorithm>
#include <array>
#include <bitset>
#include <memory>
#include <cstdint>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bp/text.h"
#include "search_tokens.h"
#include "varint.h"

namespace bp::search {
namespace detail {

// Which words of a text are marked, and as which distinct matched term.
class SnippetMatcher {
 public:
  SnippetMatcher(const HighlightSpec& spec, const Xapian::Stem& stemmer) : spec_(spec), stemmer_(stemmer) {
    // Most words of a body match nothing: they are turned away by their
    // first two letters before any string is built, hashed or stemmed (a
    // word and its stem begin alike).
    for (const std::string& t : spec.terms) {
      const bool stem = t.size() > 1 && t[0] == 'Z';
      const std::string bare = stem ? t.substr(1) : t;
      allow_start(bare);
      if (stem && bare.size() >= 2) stem_starts_[start_index(bare[0], bare[1])] = true;
    }
    for (const std::string& p : spec.prefixes) {
      if (p.size() == 1)
        for (int second = 0; second < 256; ++second) allow_pair(static_cast<unsigned char>(p[0]), second);
      allow_start(p);
    }
  }

  // A word as written.
  int match(std::string_view word) {
    if (word.empty()) return -1;
    if (is_ascii(word)) return match_ascii(word);
    plain_ = text::fold_lower(word);
    return match_plain();
  }

  // A word of plain ASCII as written.
  int match_ascii(std::string_view word) {
    if (!written_starts_.has(start_index(word[0], word.size() > 1 ? word[1] : '\0'))) return -1;
    plain_.assign(word);
    for (char& c : plain_)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return match_plain();
  }

  // A word that is not plain ASCII, by its folded form (text::fold_lower).
  int match_folded(std::string_view folded) {
    if (folded.empty() || !starts_.has(start_index(folded[0], folded.size() > 1 ? folded[1] : '\0'))) return -1;
    plain_.assign(folded);
    return match_plain();
  }

  std::size_t distinct_ids() const { return ids_.size(); }

 private:
  // plain_ holds the folded, lower-case word.
  int match_plain() {
    if (plain_.empty()) return -1;
    if (auto it = memo_.find(plain_); it != memo_.end()) return it->second;
    const int id = look_up();
    if (memo_.size() >= kMemoWords) memo_.clear();
    memo_.emplace(plain_, id);
    return id;
  }

  // What match_plain() answers, without the memo.
  int look_up() {
    int id = -1;
    if (spec_.terms.count(plain_) != 0) {
      id = id_of(plain_);
    } else {
      for (const std::string& p : spec_.prefixes)
        if (plain_.size() >= p.size() && plain_.compare(0, p.size(), p) == 0) id = id_of(p);
      if (id < 0 && plain_.size() >= 2 && stem_starts_[start_index(plain_[0], plain_[1])]) {
        stemmed_ = "Z";
        stemmed_ += stemmer_(plain_);
        if (spec_.terms.count(stemmed_) != 0) id = id_of(stemmed_);
      }
    }
    // Phrases put stopwords in the spec; marking every "di" helps no one.
    if (id >= 0 && text::italian_stopwords().count(plain_) != 0) return -1;
    return id;
  }

  // Which two first bytes (the second is 0 for a one-byte word) a word may
  // begin with to match anything: a term, a prefix or a stem begins with
  // the same two bytes as the words it matches, and a one-letter prefix
  // with the same one (a set of 65,536 bits).
  struct Starts {
    std::array<std::uint64_t, 1024> bits{};
    void add(std::size_t i) { bits[i >> 6] |= std::uint64_t{1} << (i & 63); }
    bool has(std::size_t i) const { return (bits[i >> 6] >> (i & 63) & 1) != 0; }
  };
  static std::size_t start_index(char first, char second) {
    return static_cast<std::size_t>(static_cast<unsigned char>(first)) << 8 |
           static_cast<unsigned char>(second);
  }
  // Allows a folded word beginning with (first, second), and a word as
  // written whose ASCII capitals lower-case to them.
  void allow_pair(int first, int second) {
    starts_.add(start_index(static_cast<char>(first), static_cast<char>(second)));
    for (int f : written_forms(first))
      for (int s : written_forms(second))
        if (f >= 0 && s >= 0) written_starts_.add(start_index(static_cast<char>(f), static_cast<char>(s)));
  }
  // The bytes that lower-case (A-Z only) to `c`; -1 for none.
  static std::array<int, 2> written_forms(int c) {
    if (c >= 'a' && c <= 'z') return {c, c - 'a' + 'A'};
    if (c >= 'A' && c <= 'Z') return {-1, -1};
    return {c, -1};
  }
  void allow_start(const std::string& s) {
    if (!s.empty()) allow_pair(static_cast<unsigned char>(s[0]), s.size() > 1 ? static_cast<unsigned char>(s[1]) : 0);
  }
  static bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0x80) == 0; });
  }
  int id_of(const std::string& key) {
    auto [it, inserted] = ids_.try_emplace(key, static_cast<int>(ids_.size()));
    return it->second;
  }

  const HighlightSpec& spec_;
  const Xapian::Stem& stemmer_;
  Starts starts_;          // of folded words
  Starts written_starts_;  // of plain ASCII words as written
  std::bitset<65536> stem_starts_;  // first two bytes of the stemmed terms
  std::unordered_map<std::string, int> ids_;
  // The answers for the words seen so far (of every hit of a search: the
  // same words come back), at most kMemoWords of them.
  static constexpr std::size_t kMemoWords = 16384;
  std::unordered_map<std::string, int> memo_;
  std::string plain_;    // buffers reused across words
  std::string stemmed_;
};

}  // namespace detail

namespace {

using Matcher = detail::SnippetMatcher;


// The words of a text with the matched ones: each word's byte offsets, and
// (word index, distinct matched term) of the matched words, in order. Most
// words match nothing, so the window search works on the matched ones and
// reads the offsets only where a window begins or ends.
struct Marks {
  std::vector<std::uint32_t> begin;  // byte offsets of word i
  std::vector<std::uint32_t> end;
  struct Match {
    std::uint32_t word;
    int id;  // index of the distinct matched term
  };
  std::vector<Match> matched;

  std::size_t size() const { return begin.size(); }
  bool empty() const { return begin.empty(); }
  void add(std::size_t b, std::size_t e, int id) {
    if (id >= 0) matched.push_back({static_cast<std::uint32_t>(begin.size()), id});
    begin.push_back(static_cast<std::uint32_t>(b));
    end.push_back(static_cast<std::uint32_t>(e));
  }
};

struct Window {
  std::size_t first = 0;  // token indexes, inclusive
  std::size_t last = 0;
  int distinct = 0;
  int matches = 0;
};

Marks mark(std::string_view source, Matcher& matcher) {
  Marks out;
  for (const Token& t : tokenize(source))
    out.add(t.begin, t.end, matcher.match(source.substr(t.begin, t.end - t.begin)));
  return out;
}

// The words of encode_snippet_words(), marked. Stops at the first word that
// does not fit `text` (a damaged record).
Marks mark(SnippetSource body, Matcher& matcher) {
  Marks out;
  // Every word takes at least two bytes of the table: the offsets are
  // written by index into arrays of that many (not zeroed first), then
  // copied to size.
  const std::size_t most = body.words.size() / 2 + 1;
  const auto begins = std::make_unique_for_overwrite<std::uint32_t[]>(most);
  const auto ends = std::make_unique_for_overwrite<std::uint32_t[]>(most);
  std::size_t count = 0;
  const auto* w = reinterpret_cast<const unsigned char*>(body.words.data());
  const std::size_t n = body.words.size();
  std::size_t at = 0, end = 0;
  // Nearly every gap and length fits one byte.
  auto number = [&](std::size_t* v) {
    if (at < n && w[at] < 0x80) {
      *v = w[at++];
      return true;
    }
    std::uint64_t wide = 0;
    const bool ok = read_varint(body.words, &at, &wide);
    *v = static_cast<std::size_t>(wide);
    return ok;
  };
  const std::size_t text_size = body.text.size();
  while (at < n && count < most) {
    std::size_t gap = 0, len = 0;
    if (at + 1 < n && (w[at] | w[at + 1]) < 0x80) {  // both one byte: nearly every word
      gap = w[at];
      len = w[at + 1];
      at += 2;
    } else if (!number(&gap) || !number(&len)) {
      break;
    }
    const bool folded = (len & 1) != 0;
    len >>= 1;
    const std::size_t begin = end + gap;
    if (len == 0 || begin > text_size || len > text_size - begin) break;
    end = begin + len;
    int match = -1;
    if (folded) {
      std::size_t flen = 0;
      if (!number(&flen) || flen > n - at) break;
      match = matcher.match_folded(body.words.substr(at, flen));
      at += flen;
    } else {
      match = matcher.match_ascii(body.text.substr(begin, len));
    }
    if (match >= 0) out.matched.push_back({static_cast<std::uint32_t>(count), match});
    begins[count] = static_cast<std::uint32_t>(begin);
    ends[count] = static_cast<std::uint32_t>(end);
    ++count;
  }
  out.begin.assign(begins.get(), begins.get() + count);
  out.end.assign(ends.get(), ends.get() + count);
  return out;
}

// The span of at most max_bytes with the most distinct matches, then the
// most matches; the earliest on ties: `first` is the earliest word whose
// window (it and the words after it that end within max_bytes of its start)
// holds the best matches, `last` the last word of that window. `ids`: how
// many distinct matches there are.
//
// Only the matched words are visited. A window starting at byte L holds the
// matched words m with L <= m.begin and m.end <= L + max_bytes: for the
// windows whose first matched word is m_i (L in (m_{i-1}.begin,
// m_i.begin]) the best is at L = m_i.begin, holding m_i..m_j, and the
// earliest word start in that range that still reaches m_j.end gives the
// same matches. This is what sliding over every word gave (two pointers),
// without reading the words that match nothing.
Window best_window(const Marks& marks, std::size_t max_bytes, std::size_t ids) {
  Window best;
  const auto& m = marks.matched;
  if (m.empty()) return best;
  std::vector<int> in_window(ids, 0);
  int distinct = 0;
  std::size_t j = 0;  // m[i, j) is the window of m[i]
  std::size_t best_i = m.size();
  std::size_t best_j = 0;
  for (std::size_t i = 0; i < m.size(); ++i) {
    const std::size_t start = marks.begin[m[i].word];
    if (j < i) j = i;
    while (j < m.size() && marks.end[m[j].word] - start <= max_bytes) {
      if (in_window[static_cast<std::size_t>(m[j].id)]++ == 0) ++distinct;
      ++j;
    }
    const int matches = static_cast<int>(j - i);
    if (matches > 0 && (distinct > best.distinct || (distinct == best.distinct && matches > best.matches))) {
      best.distinct = distinct;
      best.matches = matches;
      best_i = i;
      best_j = j;
    }
    if (j > i && --in_window[static_cast<std::size_t>(m[i].id)] == 0) --distinct;
  }
  if (best_i == m.size()) return best;
  // The earliest word start L after the previous matched word's start with
  // L + max_bytes reaching the last match of the window.
  const std::size_t reach = marks.end[m[best_j - 1].word];
  std::size_t lo = best_i == 0 ? 0 : m[best_i - 1].word + 1;
  const std::size_t hi = m[best_i].word;
  if (reach > max_bytes) {
    const auto from = marks.begin.begin() + static_cast<std::ptrdiff_t>(lo);
    const auto to = marks.begin.begin() + static_cast<std::ptrdiff_t>(hi);
    lo = static_cast<std::size_t>(
        std::lower_bound(from, to, static_cast<std::uint32_t>(reach - max_bytes)) - marks.begin.begin());
  }
  best.first = lo;
  // The last word ending within max_bytes of the window's start.
  const std::size_t limit = marks.begin[lo] + max_bytes;
  best.last = static_cast<std::size_t>(
                  std::upper_bound(marks.end.begin() + static_cast<std::ptrdiff_t>(lo), marks.end.end(),
                                   static_cast<std::uint32_t>(std::min<std::size_t>(limit, UINT32_MAX))) -
                  marks.end.begin()) -
              1;
  return best;
}

std::string render(std::string_view source, const Marks& marks, Window w, std::size_t max_bytes) {
  if (marks.empty()) return {};
  const auto& b = marks.begin;
  const auto& e = marks.end;
  // Start a little before the first match, so that it reads as a sentence.
  if (w.matches > 0) {
    const std::size_t used = e[w.last] - b[w.first];
    std::size_t slack = max_bytes > used ? (max_bytes - used) / 3 : 0;
    while (w.first > 0 && e[w.last] - b[w.first - 1] <= e[w.last] - b[w.first] + slack) --w.first;
  }
  while (w.last + 1 < marks.size() && e[w.last + 1] - b[w.first] <= max_bytes) ++w.last;
  const std::size_t begin = w.first == 0 ? 0 : b[w.first];
  std::size_t end = e[w.last];
  if (w.last + 1 == marks.size()) end = source.size();
  std::string out;
  out.reserve(end > begin ? std::min<std::size_t>(2 * (end - begin), 4 * max_bytes) + 16 : 16);
  if (begin > 0) out += "… ";
  std::size_t pos = begin;
  auto next_match = std::lower_bound(marks.matched.begin(), marks.matched.end(), w.first,
                                     [](const Marks::Match& m, std::size_t word) { return m.word < word; });
  for (std::size_t i = w.first; i <= w.last; ++i) {
    text::append_html_escaped(&out, source.substr(pos, b[i] - pos));
    const std::string_view word = source.substr(b[i], e[i] - b[i]);
    if (next_match != marks.matched.end() && next_match->word == i) {
      out += "<mark>";
      text::append_html_escaped(&out, word);
      out += "</mark>";
      ++next_match;
    } else {
      text::append_html_escaped(&out, word);
    }
    pos = e[i];
  }
  if (end > pos) text::append_html_escaped(&out, source.substr(pos, end - pos));
  if (end < source.size()) out += " …";
  return out;
}

}  // namespace

std::string encode_snippet_words(std::string_view text) {
  if (text.size() > kMaxScannedBytes) text = text.substr(0, kMaxScannedBytes);
  std::string out;
  std::size_t end = 0;
  for (const Token& t : tokenize(text)) {
    put_varint(&out, t.begin - end);
    put_varint(&out, (t.end - t.begin) << 1 | (t.ascii ? 0 : 1));
    if (!t.ascii) {
      const std::string folded = text::fold_lower(text.substr(t.begin, t.end - t.begin));
      put_varint(&out, folded.size());
      out += folded;
    }
    end = t.end;
  }
  return out;
}

SnippetMaker::SnippetMaker(const HighlightSpec& spec, const Xapian::Stem& stemmer)
    : spec_(spec), matcher_(std::make_unique<detail::SnippetMatcher>(spec, stemmer)) {}

SnippetMaker::~SnippetMaker() = default;

std::string SnippetMaker::make(std::string_view summary, SnippetSource body, std::size_t max_bytes) {
  bool matched = false;
  return make(summary, body, max_bytes, &matched);
}

std::string SnippetMaker::make(std::string_view summary, SnippetSource body, std::size_t max_bytes,
                               bool* matched) {
  const HighlightSpec& spec = spec_;
  Matcher& matcher = *matcher_;
  if (body.text.size() > kMaxScannedBytes) body.text = body.text.substr(0, kMaxScannedBytes);
  const Marks in_summary = mark(summary, matcher);
  Window wt;
  Marks in_text;
  if (!spec.terms.empty() || !spec.prefixes.empty()) in_text = mark(body, matcher);
  const std::size_t ids = matcher.distinct_ids();
  const Window ws = best_window(in_summary, max_bytes, ids);
  if (!in_text.empty()) wt = best_window(in_text, max_bytes, ids);
  if (wt.distinct > ws.distinct || (wt.distinct == ws.distinct && ws.matches == 0 && wt.matches > 0)) {
    *matched = true;
    return render(body.text, in_text, wt, max_bytes);
  }
  if (!in_summary.empty()) {
    *matched = ws.matches > 0;
    return render(summary, in_summary, ws, max_bytes);
  }
  if (in_text.empty()) in_text = mark(body, matcher);
  wt = best_window(in_text, max_bytes, matcher.distinct_ids());
  *matched = wt.matches > 0;
  return render(body.text, in_text, wt, max_bytes);
}

Snippet SnippetMaker::make(std::string_view summary, SnippetSource body,
                           const std::function<SnippetSource()>& plain_words, std::size_t max_bytes) {
  Snippet out;
  bool matched = false;
  out.html = make(summary, body, max_bytes, &matched);
  if (matched || (spec_.terms.empty() && spec_.prefixes.empty())) return out;
  const SnippetSource plain = plain_words();
  if (plain.text.empty()) return out;
  Matcher& matcher = *matcher_;
  const Marks in_plain = mark(plain, matcher);
  const Window w = best_window(in_plain, max_bytes, matcher.distinct_ids());
  if (w.matches == 0) return out;
  out.html = render(plain.text, in_plain, w, max_bytes);
  out.from_plain_words = true;
  return out;
}

std::string make_snippet(std::string_view summary, SnippetSource body, const HighlightSpec& spec,
                         const Xapian::Stem& stemmer, std::size_t max_bytes) {
  return SnippetMaker(spec, stemmer).make(summary, body, max_bytes);
}

std::string make_snippet(std::string_view summary, std::string_view text, const HighlightSpec& spec,
                         const Xapian::Stem& stemmer, std::size_t max_bytes) {
  const std::string words = encode_snippet_words(text);
  return make_snippet(summary, SnippetSource{text, words}, spec, stemmer, max_bytes);
}

}  // namespace bp::search
