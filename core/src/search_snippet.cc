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
    auto allow_term = [&](const std::string& t) {
      const bool stem = t.size() > 1 && t[0] == 'Z';
      const std::string bare = stem ? t.substr(1) : t;
      allow_start(bare);
      if (stem && bare.size() >= 2) stem_starts_[start_index(bare[0], bare[1])] = true;
    };
    for (const std::string& t : spec.terms) allow_term(t);
    for (const auto& [t, alternatives] : spec.phrase_words) allow_term(t);
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

  // The alternatives of several words that a match (an id) is a word of
  // (HighlightSpec::phrase_words); 0 for a word marked anywhere.
  std::uint64_t alternatives(int id) const { return alternatives_[static_cast<std::size_t>(id)]; }

  // Whether a word whose folded form begins with `pair` (first byte << 8 |
  // second byte, 0 for a one-byte word) may match anything: what
  // match_folded() and match_ascii() check first.
  bool may_start(std::uint16_t pair) const { return starts_.has(pair); }

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

  // What match_plain() answers, without the memo: a word marked anywhere
  // first, then a word of an alternative of several words.
  int look_up() {
    int id = -1;
    if (spec_.terms.count(plain_) != 0) {
      id = id_of(plain_);
    } else {
      for (const std::string& p : spec_.prefixes)
        if (plain_.size() >= p.size() && plain_.compare(0, p.size(), p) == 0) id = id_of(p);
      const bool stemmed = id < 0 && plain_.size() >= 2 && stem_starts_[start_index(plain_[0], plain_[1])];
      if (stemmed) {
        stemmed_ = "Z";
        stemmed_ += stemmer_(plain_);
        if (spec_.terms.count(stemmed_) != 0) id = id_of(stemmed_);
      }
      if (id < 0 && !spec_.phrase_words.empty()) {
        if (auto it = spec_.phrase_words.find(plain_); it != spec_.phrase_words.end()) {
          id = id_of(plain_, it->second);
        } else if (stemmed) {
          if (auto st = spec_.phrase_words.find(stemmed_); st != spec_.phrase_words.end())
            id = id_of(stemmed_, st->second);
        }
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
  int id_of(const std::string& key, std::uint64_t alternatives = 0) {
    auto [it, inserted] = ids_.try_emplace(key, static_cast<int>(ids_.size()));
    if (inserted) alternatives_.push_back(alternatives);
    return it->second;
  }

  const HighlightSpec& spec_;
  const Xapian::Stem& stemmer_;
  Starts starts_;          // of folded words
  Starts written_starts_;  // of plain ASCII words as written
  std::bitset<65536> stem_starts_;  // first two bytes of the stemmed terms
  std::unordered_map<std::string, int> ids_;
  std::vector<std::uint64_t> alternatives_;  // by id
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

// A matched word: its byte offsets in its text and the distinct matched
// term it is (SnippetMatcher's id).
struct Span {
  std::uint32_t begin;
  std::uint32_t end;
  int id;
};

// The matched words of a text, in text order, and whether the text has
// any word at all.
struct Matches {
  std::vector<Span> spans;
  bool has_words = false;
};

// Whether the text between two matched words joins them into one phrase:
// nothing but spaces, apostrophes, hyphens and at most two stopwords
// («welfare di comunità», «terza età»), no sentence break.
bool joined(std::string_view gap) {
  if (gap.size() > 24) return false;
  for (const char c : gap)
    if (c == '.' || c == ',' || c == ';' || c == ':' || c == '!' || c == '?' || c == '(' || c == ')' || c == '\n')
      return false;
  int words = 0;
  bool others = false;
  for_each_token(gap, [&](const Token& t) {
    ++words;
    if (text::italian_stopwords().count(text::fold_lower(gap.substr(t.begin, t.end - t.begin))) == 0) others = true;
  });
  return !others && words <= 2;
}

// Drops the matched words of alternatives of several words that stand
// alone: each is kept only joined to a different word of the same
// alternative (HighlightSpec::phrase_words).
void keep_phrases(std::string_view text, const Matcher& matcher, std::vector<Span>* spans) {
  std::vector<Span>& m = *spans;
  bool any = false;
  for (const Span& s : m) any = any || matcher.alternatives(s.id) != 0;
  if (!any) return;
  auto pair = [&](std::size_t a, std::size_t b) {
    return m[a].id != m[b].id && (matcher.alternatives(m[a].id) & matcher.alternatives(m[b].id)) != 0 &&
           m[a].end <= m[b].begin && joined(text.substr(m[a].end, m[b].begin - m[a].end));
  };
  std::vector<Span> kept;
  kept.reserve(m.size());
  for (std::size_t i = 0; i < m.size(); ++i)
    if (matcher.alternatives(m[i].id) == 0 || (i > 0 && pair(i - 1, i)) || (i + 1 < m.size() && pair(i, i + 1)))
      kept.push_back(m[i]);
  m.swap(kept);
}

// Every word of `source` (a summary) through the matcher.
Matches match_text(std::string_view source, Matcher& matcher) {
  Matches out;
  for_each_token(source, [&](const Token& t) {
    out.has_words = true;
    const int id = matcher.match(source.substr(t.begin, t.end - t.begin));
    if (id >= 0) out.spans.push_back({static_cast<std::uint32_t>(t.begin), static_cast<std::uint32_t>(t.end), id});
  });
  keep_phrases(source, matcher, &out.spans);
  return out;
}

// The two first bytes of a folded word, as SnippetMatcher::may_start()
// takes them.
std::uint16_t pair_of(std::string_view folded) {
  if (folded.empty()) return 0;
  return static_cast<std::uint16_t>(static_cast<unsigned char>(folded[0]) << 8 |
                                    (folded.size() > 1 ? static_cast<unsigned char>(folded[1]) : 0));
}

char ascii_lower_byte(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// The words of encode_snippet_words() that may match (their group's first
// two letters allow it), matched; the other groups are skipped unread. A
// damaged table ends the reading there (the words read so far count).
// With `together`, the words of alternatives of several words only where
// they stand together (keep_phrases()).
Matches match_words(SnippetSource source, Matcher& matcher, bool together = true) {
  Matches out;
  const std::string_view w = source.words;
  const auto* u = reinterpret_cast<const unsigned char*>(w.data());
  std::size_t at = 0;
  std::uint64_t groups = 0;
  if (!read_varint(w, &at, &groups) || groups > w.size()) return out;
  out.has_words = groups > 0;
  // The group headers, then the groups' words: where the words begin.
  std::size_t body = at;
  for (std::uint64_t g = 0; g < groups; ++g) {
    std::uint64_t pair = 0, bytes = 0;
    if (!read_varint(w, &body, &pair) || !read_varint(w, &body, &bytes)) return out;
  }
  const std::size_t text_size = source.text.size();
  // Nearly every number takes one byte.
  auto number = [&](std::size_t* pos, std::size_t end, std::uint64_t* v) {
    if (*pos < end && u[*pos] < 0x80) {
      *v = u[(*pos)++];
      return true;
    }
    return read_varint(w.substr(0, end), pos, v);
  };
  std::uint64_t pair = 0;
  bool damaged = false;
  for (std::uint64_t g = 0; g < groups && !damaged; ++g) {
    std::uint64_t step = 0, bytes = 0;
    read_varint(w, &at, &step);
    read_varint(w, &at, &bytes);
    pair += step;
    if (pair > 0xFFFF || bytes > w.size() - body) break;
    const std::size_t end = body + bytes;
    std::size_t pos = body;
    body = end;
    if (!matcher.may_start(static_cast<std::uint16_t>(pair))) continue;
    std::size_t begin = 0;
    while (pos < end) {
      std::uint64_t gap = 0;
      if (!number(&pos, end, &gap) || gap >= text_size - begin) {
        damaged = true;
        break;
      }
      begin += gap;
      // The word's end (and whether it is plain ASCII) from the text itself.
      const Token t = token_at(source.text, begin);
      if (t.end == begin) {
        damaged = true;
        break;
      }
      int id = -1;
      if (!t.ascii) {
        std::uint64_t flen = 0;
        if (!number(&pos, end, &flen) || flen > end - pos) {
          damaged = true;
          break;
        }
        id = matcher.match_folded(w.substr(pos, flen));
        pos += flen;
      } else {
        id = matcher.match_ascii(source.text.substr(begin, t.end - begin));
      }
      if (id >= 0)
        out.spans.push_back({static_cast<std::uint32_t>(begin), static_cast<std::uint32_t>(t.end), id});
    }
  }
  std::sort(out.spans.begin(), out.spans.end(), [](const Span& a, const Span& b) { return a.begin < b.begin; });
  if (together) keep_phrases(source.text, matcher, &out.spans);
  return out;
}

// The best run of matched words: spans [i, j) of a window of at most
// max_bytes with the most distinct matches, then the most matches, the
// earliest on ties; i == spans.size() when nothing matched.
//
// A window starting at byte L holds the matched words m with L <= m.begin
// and m.end <= L + max_bytes: for the windows whose first matched word is
// m_i (L in (m_{i-1}.begin, m_i.begin]) the best is at L = m_i.begin,
// holding m_i..m_j, and the earliest word start in that range that still
// reaches m_j.end gives the same matches (window_start()). This is what
// sliding over every word gave (two pointers), without reading the words
// that match nothing.
struct Best {
  std::size_t i = 0;
  std::size_t j = 0;
  int distinct = 0;
  int matches = 0;
};

Best best_run(const std::vector<Span>& m, std::size_t max_bytes, std::size_t ids) {
  Best best;
  best.i = m.size();
  if (m.empty()) return best;
  std::vector<int> in_window(ids, 0);
  int distinct = 0;
  std::size_t j = 0;  // m[i, j) is the window of m[i]
  for (std::size_t i = 0; i < m.size(); ++i) {
    const std::size_t start = m[i].begin;
    if (j < i) j = i;
    while (j < m.size() && m[j].end - start <= max_bytes) {
      if (in_window[static_cast<std::size_t>(m[j].id)]++ == 0) ++distinct;
      ++j;
    }
    const int matches = static_cast<int>(j - i);
    if (matches > 0 && (distinct > best.distinct || (distinct == best.distinct && matches > best.matches))) {
      best.distinct = distinct;
      best.matches = matches;
      best.i = i;
      best.j = j;
    }
    if (j > i && --in_window[static_cast<std::size_t>(m[i].id)] == 0) --distinct;
  }
  return best;
}

// The words of `text` from byte `from` (0, or just after a space: no word
// runs across a space, so they are the text's own words) to byte `to` (the
// text's end, or a space), as offsets.
struct Region {
  std::vector<std::uint32_t> begin;
  std::vector<std::uint32_t> end;
  bool from_start = false;  // its first word is the text's first
  bool to_end = false;      // its last word is the text's last
};

Region words_between(std::string_view text, std::size_t from, std::size_t to) {
  Region r;
  r.from_start = from == 0;
  r.to_end = to >= text.size();
  r.begin.reserve((to - from) / 4 + 4);
  r.end.reserve((to - from) / 4 + 4);
  for_each_token(text.substr(from, to - from), [&](const Token& t) {
    r.begin.push_back(static_cast<std::uint32_t>(from + t.begin));
    r.end.push_back(static_cast<std::uint32_t>(from + t.end));
  });
  return r;
}

// Just after the last space before byte `at`, or 0.
std::size_t restart_before(std::string_view text, std::size_t at) {
  at = std::min(at, text.size());
  while (at > 0 && text[at - 1] != ' ') --at;
  return at;
}

// The first space at or after byte `at`, or the text's end.
std::size_t stop_after(std::string_view text, std::size_t at) {
  while (at < text.size() && text[at] != ' ') ++at;
  return std::min(at, text.size());
}

// The snippet of `source` around the best run (or its start, when nothing
// matched): the window begins a third of the room the run leaves before
// its first match (never before the previous matched word, nor so early
// that the run's last match falls out), a little earlier when room is left
// (so that it reads as a sentence), and ends at the last word within
// max_bytes of its start. "…" marks a cut. Only the
// words around the window are found (words_between()), in a region grown
// until the window's ends are inside it.
std::string render(std::string_view source, const std::vector<Span>& spans, const Best& best,
                   std::size_t max_bytes) {
  const bool matched = best.i < spans.size();
  // The window's first word is the first word starting at or after `lower`.
  std::size_t lower = 0;
  if (matched) {
    // A third of the room left by the run before it, the rest after: the
    // matched words read with what follows them, not at the window's end.
    const std::size_t run_begin = spans[best.i].begin;
    const std::size_t reach = spans[best.j - 1].end;
    const std::size_t run = reach > run_begin ? reach - run_begin : 0;
    const std::size_t before = run < max_bytes ? (max_bytes - run) / 3 : 0;
    lower = run_begin > before ? run_begin - before : 0;
    if (best.i > 0) lower = std::max<std::size_t>(lower, spans[best.i - 1].begin + 1);
    if (reach > max_bytes) lower = std::max(lower, reach - max_bytes);
  }
  // Enough, nearly always: the window moves back only while the words
  // start a few bytes apart, and ends within max_bytes of its first word.
  std::size_t back = 64;
  std::size_t ahead = max_bytes + 64;
  for (;;) {
    const std::size_t from = lower > back ? restart_before(source, lower - back) : 0;
    const std::size_t to = stop_after(source, lower + ahead);
    const Region r = words_between(source, from, to);
    if (r.begin.empty()) {
      if (r.from_start && r.to_end) return {};
      back *= 4;
      ahead *= 4;
      continue;
    }
    const auto& b = r.begin;
    const auto& e = r.end;
    std::size_t first = 0;
    std::size_t last = 0;
    if (matched) {
      first = static_cast<std::size_t>(std::lower_bound(b.begin(), b.end(), static_cast<std::uint32_t>(lower)) -
                                       b.begin());
      if (first == b.size()) {
        if (!r.to_end) {  // the region ends before the window
          ahead *= 4;
          continue;
        }
        first = b.size() - 1;  // a damaged word table: a match where no word begins
      }
      // The last word ending within max_bytes of the window's start.
      const std::size_t limit = b[first] + max_bytes;
      last = static_cast<std::size_t>(
                 std::upper_bound(e.begin() + static_cast<std::ptrdiff_t>(first), e.end(),
                                  static_cast<std::uint32_t>(std::min<std::size_t>(limit, UINT32_MAX))) -
                 e.begin()) -
             1;
      if (last + 1 == first) last = first;  // a first word longer than max_bytes (damaged table)
      if (last + 1 == b.size() && !r.to_end) {
        ahead *= 4;
        continue;
      }
      // Room left: the window starts a little earlier, so that it reads as
      // a sentence; at the text's end (nothing more to show after the
      // run), as early as the room allows.
      const std::size_t used = e[last] - b[first];
      const bool at_end = r.to_end && last + 1 == b.size();
      const std::size_t budget =
          at_end ? max_bytes : std::min(max_bytes, used + (max_bytes > used ? (max_bytes - used) / 3 : 0));
      while (first > 0 && e[last] - b[first - 1] <= budget) --first;
      if (first == 0 && !r.from_start) {
        back *= 4;
        continue;
      }
    }
    while (last + 1 < b.size() && e[last + 1] - b[first] <= max_bytes) ++last;
    if (last + 1 == b.size() && !r.to_end) {
      ahead *= 4;
      continue;
    }
    const std::size_t begin = first == 0 && r.from_start ? 0 : b[first];
    std::size_t end = e[last];
    if (last + 1 == b.size()) end = source.size();
    std::string out;
    out.reserve(end > begin ? std::min<std::size_t>(2 * (end - begin), 4 * max_bytes) + 16 : 16);
    if (begin > 0) out += "… ";
    std::size_t pos = begin;
    auto next = std::lower_bound(spans.begin(), spans.end(), b[first],
                                 [](const Span& s, std::uint32_t at) { return s.begin < at; });
    for (std::size_t k = first; k <= last; ++k) {
      text::append_html_escaped(&out, source.substr(pos, b[k] - pos));
      const std::string_view word = source.substr(b[k], e[k] - b[k]);
      if (next != spans.end() && next->begin == b[k]) {
        out += "<mark>";
        text::append_html_escaped(&out, word);
        out += "</mark>";
        ++next;
      } else {
        text::append_html_escaped(&out, word);
      }
      pos = e[k];
    }
    if (end > pos) text::append_html_escaped(&out, source.substr(pos, end - pos));
    if (end < source.size()) out += " …";
    return out;
  }
}

}  // namespace

std::string encode_snippet_words(std::string_view text) {
  if (text.size() > kMaxScannedBytes) text = text.substr(0, kMaxScannedBytes);
  struct Word {
    std::uint16_t pair;
    std::uint32_t begin;
    std::string folded;  // only for a word that is not plain ASCII
    bool ascii;
  };
  std::vector<Word> words;
  for_each_token(text, [&](const Token& t) {
    const std::string_view written = text.substr(t.begin, t.end - t.begin);
    Word w{0, static_cast<std::uint32_t>(t.begin), {}, t.ascii};
    if (t.ascii) {
      const char lower[2] = {ascii_lower_byte(written[0]), written.size() > 1 ? ascii_lower_byte(written[1]) : '\0'};
      w.pair = pair_of(std::string_view(lower, written.size() > 1 ? 2 : 1));
    } else {
      w.folded = text::fold_lower(written);
      w.pair = pair_of(w.folded);
    }
    words.push_back(std::move(w));
  });
  // Grouped by their first two letters, in text order within a group.
  std::stable_sort(words.begin(), words.end(), [](const Word& a, const Word& b) { return a.pair < b.pair; });
  std::string head, body;
  std::size_t groups = 0;
  std::uint16_t previous_pair = 0;
  for (std::size_t i = 0; i < words.size();) {
    std::size_t j = i;
    std::string group;
    std::uint32_t previous = 0;
    for (; j < words.size() && words[j].pair == words[i].pair; ++j) {
      const Word& w = words[j];
      put_varint(&group, w.begin - previous);
      if (!w.ascii) {
        put_varint(&group, w.folded.size());
        group += w.folded;
      }
      previous = w.begin;
    }
    put_varint(&head, words[i].pair - previous_pair);
    put_varint(&head, group.size());
    previous_pair = words[i].pair;
    body += group;
    ++groups;
    i = j;
  }
  std::string out;
  put_varint(&out, groups);
  out += head;
  out += body;
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
  const Matches in_summary = match_text(summary, matcher);
  Matches in_text;
  Best wt;
  if (!spec.empty()) in_text = match_words(body, matcher);
  const std::size_t ids = matcher.distinct_ids();
  const Best ws = best_run(in_summary.spans, max_bytes, ids);
  if (in_text.has_words) wt = best_run(in_text.spans, max_bytes, ids);
  if (wt.distinct > ws.distinct || (wt.distinct == ws.distinct && ws.matches == 0 && wt.matches > 0)) {
    *matched = true;
    return render(body.text, in_text.spans, wt, max_bytes);
  }
  if (in_summary.has_words) {
    *matched = ws.matches > 0;
    return render(summary, in_summary.spans, ws, max_bytes);
  }
  wt = best_run(in_text.spans, max_bytes, matcher.distinct_ids());
  *matched = wt.matches > 0;
  return render(body.text, in_text.spans, wt, max_bytes);
}

Snippet SnippetMaker::make(std::string_view summary, SnippetSource body,
                           const std::function<SnippetSource()>& plain_words,
                           const std::function<SnippetSource()>& questions, std::size_t max_bytes) {
  Snippet out;
  bool matched = false;
  out.html = make(summary, body, max_bytes, &matched);
  if (matched || spec_.empty()) return out;
  Matcher& matcher = *matcher_;
  // The window of `source` holding the most matched words, when it holds
  // any; the words of an alternative of several words apart when none
  // stand together (the practice was found through them: they say why).
  auto cut = [&](const SnippetSource& source) {
    if (source.text.empty()) return false;
    Matches in_source = match_words(source, matcher);
    Best w = best_run(in_source.spans, max_bytes, matcher.distinct_ids());
    if (w.matches == 0) {
      in_source = match_words(source, matcher, false);
      w = best_run(in_source.spans, max_bytes, matcher.distinct_ids());
    }
    if (w.matches == 0) return false;
    out.html = render(source.text, in_source.spans, w, max_bytes);
    return true;
  };
  if (cut(plain_words())) {
    out.from_plain_words = true;
  } else if (questions && cut(questions())) {
    out.from_questions = true;
  }
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
