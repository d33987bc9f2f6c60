#include "search_snippet.h"

#include <algorithm>
#include <bitset>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "bp/text.h"
#include "search_tokens.h"
#include "varint.h"

namespace bp::search {
namespace {

struct Marked {
  Token token;
  int match = -1;  // index of the distinct matched term, -1 when not matched
};

class Matcher {
 public:
  Matcher(const HighlightSpec& spec, const Xapian::Stem& stemmer) : spec_(spec), stemmer_(stemmer) {
    // Most words of a body match nothing: they are turned away by their
    // first two letters before any string is built, hashed or stemmed (a
    // word and its stem begin alike).
    for (const std::string& t : spec.terms) {
      const bool stem = t.size() > 1 && t[0] == 'Z';
      const std::string bare = stem ? t.substr(1) : t;
      allow_start(bare);
      if (stem && bare.size() >= 2) stem_starts_.insert(bare.substr(0, 2));
    }
    for (const std::string& p : spec.prefixes) {
      if (p.size() == 1) one_letter_prefixes_ += p;
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
    const char first = lower(word[0]);
    const char second = word.size() > 1 ? lower(word[1]) : '\0';
    if (!starts_[start_index(first, second)] && one_letter_prefixes_.find(first) == std::string::npos)
      return -1;
    plain_.assign(word);
    for (char& c : plain_)
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    return match_plain();
  }

  // A word that is not plain ASCII, by its folded form (text::fold_lower).
  int match_folded(std::string_view folded) {
    plain_.assign(folded);
    return match_plain();
  }

  std::size_t distinct_ids() const { return ids_.size(); }

 private:
  // plain_ holds the folded, lower-case word.
  int match_plain() {
    if (plain_.empty()) return -1;
    int id = -1;
    if (spec_.terms.count(plain_) != 0) {
      id = id_of(plain_);
    } else {
      for (const std::string& p : spec_.prefixes)
        if (plain_.size() >= p.size() && plain_.compare(0, p.size(), p) == 0) id = id_of(p);
      if (id < 0 && plain_.size() >= 2 && stem_starts_.count(std::string_view(plain_).substr(0, 2)) != 0) {
        stemmed_ = "Z";
        stemmed_ += stemmer_(plain_);
        if (spec_.terms.count(stemmed_) != 0) id = id_of(stemmed_);
      }
    }
    // Phrases put stopwords in the spec; marking every "di" helps no one.
    if (id >= 0 && text::italian_stopwords().count(plain_) != 0) return -1;
    return id;
  }

  static std::size_t start_index(char first, char second) {
    return static_cast<std::size_t>(static_cast<unsigned char>(first)) << 8 |
           static_cast<unsigned char>(second);
  }
  void allow_start(const std::string& s) {
    if (!s.empty()) starts_[start_index(s[0], s.size() > 1 ? s[1] : '\0')] = true;
  }
  static char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }
  static bool is_ascii(std::string_view s) {
    return std::all_of(s.begin(), s.end(), [](char c) { return (static_cast<unsigned char>(c) & 0x80) == 0; });
  }
  int id_of(const std::string& key) {
    auto [it, inserted] = ids_.try_emplace(key, static_cast<int>(ids_.size()));
    return it->second;
  }

  const HighlightSpec& spec_;
  const Xapian::Stem& stemmer_;
  struct StringHash {
    using is_transparent = void;
    std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
  };
  std::bitset<65536> starts_;  // first two bytes of the words that may match
  std::unordered_set<std::string, StringHash, std::equal_to<>> stem_starts_;
  std::string one_letter_prefixes_;
  std::unordered_map<std::string, int> ids_;
  std::string plain_;    // buffers reused across words
  std::string stemmed_;
};

struct Window {
  std::size_t first = 0;  // token indexes, inclusive
  std::size_t last = 0;
  int distinct = 0;
  int matches = 0;
};

std::vector<Marked> mark(std::string_view source, Matcher& matcher) {
  std::vector<Marked> out;
  for (const Token& t : tokenize(source))
    out.push_back({t, matcher.match(source.substr(t.begin, t.end - t.begin))});
  return out;
}

// The words of encode_snippet_words(), marked. Stops at the first word that
// does not fit `text` (a damaged record).
std::vector<Marked> mark(SnippetSource body, Matcher& matcher) {
  std::vector<Marked> out;
  out.reserve(body.words.size() / 2);  // at least two bytes per word
  std::size_t at = 0, end = 0;
  while (at < body.words.size()) {
    std::size_t gap = 0, len = 0;
    if (!read_varint(body.words, &at, &gap) || !read_varint(body.words, &at, &len)) break;
    const bool folded = (len & 1) != 0;
    len >>= 1;
    const std::size_t begin = end + gap;
    if (len == 0 || begin > body.text.size() || len > body.text.size() - begin) break;
    end = begin + len;
    Marked m{Token{begin, end, !folded}, -1};
    if (folded) {
      std::size_t flen = 0;
      if (!read_varint(body.words, &at, &flen) || flen > body.words.size() - at) break;
      m.match = matcher.match_folded(body.words.substr(at, flen));
      at += flen;
    } else {
      m.match = matcher.match_ascii(body.text.substr(begin, len));
    }
    out.push_back(m);
  }
  return out;
}

// Two pointers over the tokens: the span of at most max_bytes with the most
// distinct matches, then the most matches; the earliest on ties. `ids`: how
// many distinct matches there are.
Window best_window(const std::vector<Marked>& tokens, std::size_t max_bytes, std::size_t ids) {
  Window best;
  std::vector<int> in_window(ids, 0);
  int distinct = 0;
  int matches = 0;
  std::size_t right = 0;
  for (std::size_t left = 0; left < tokens.size(); ++left) {
    while (right < tokens.size() &&
           tokens[right].token.end - tokens[left].token.begin <= max_bytes) {
      if (tokens[right].match >= 0) {
        ++matches;
        if (in_window[static_cast<std::size_t>(tokens[right].match)]++ == 0) ++distinct;
      }
      ++right;
    }
    if (right > left && (distinct > best.distinct ||
                         (distinct == best.distinct && matches > best.matches))) {
      best = {left, right - 1, distinct, matches};
    }
    if (right > left && tokens[left].match >= 0) {
      --matches;
      if (--in_window[static_cast<std::size_t>(tokens[left].match)] == 0) --distinct;
    } else if (right == left) {
      ++right;  // a single token longer than max_bytes
    }
  }
  return best;
}

std::string render(std::string_view source, const std::vector<Marked>& tokens, Window w,
                   std::size_t max_bytes) {
  if (tokens.empty()) return {};
  // Start a little before the first match, so that it reads as a sentence.
  if (w.matches > 0) {
    const std::size_t used = tokens[w.last].token.end - tokens[w.first].token.begin;
    std::size_t slack = max_bytes > used ? (max_bytes - used) / 3 : 0;
    while (w.first > 0 && tokens[w.last].token.end - tokens[w.first - 1].token.begin <=
                              tokens[w.last].token.end - tokens[w.first].token.begin + slack)
      --w.first;
  }
  while (w.last + 1 < tokens.size() &&
         tokens[w.last + 1].token.end - tokens[w.first].token.begin <= max_bytes)
    ++w.last;
  const std::size_t begin = w.first == 0 ? 0 : tokens[w.first].token.begin;
  std::size_t end = tokens[w.last].token.end;
  if (w.last + 1 == tokens.size()) end = source.size();
  std::string out;
  if (begin > 0) out += "… ";
  std::size_t pos = begin;
  for (std::size_t i = w.first; i <= w.last; ++i) {
    const Token& t = tokens[i].token;
    out += text::html_escape(source.substr(pos, t.begin - pos));
    const std::string word = text::html_escape(source.substr(t.begin, t.end - t.begin));
    if (tokens[i].match >= 0) {
      out += "<mark>" + word + "</mark>";
    } else {
      out += word;
    }
    pos = t.end;
  }
  if (end > pos) out += text::html_escape(source.substr(pos, end - pos));
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

std::string make_snippet(std::string_view summary, SnippetSource body, const HighlightSpec& spec,
                         const Xapian::Stem& stemmer, std::size_t max_bytes) {
  if (body.text.size() > kMaxScannedBytes) body.text = body.text.substr(0, kMaxScannedBytes);
  Matcher matcher(spec, stemmer);
  const std::vector<Marked> in_summary = mark(summary, matcher);
  Window wt;
  std::vector<Marked> in_text;
  if (!spec.terms.empty() || !spec.prefixes.empty()) in_text = mark(body, matcher);
  const std::size_t ids = matcher.distinct_ids();
  const Window ws = best_window(in_summary, max_bytes, ids);
  if (!in_text.empty()) wt = best_window(in_text, max_bytes, ids);
  if (wt.distinct > ws.distinct || (wt.distinct == ws.distinct && ws.matches == 0 && wt.matches > 0))
    return render(body.text, in_text, wt, max_bytes);
  if (!in_summary.empty()) return render(summary, in_summary, ws, max_bytes);
  if (in_text.empty()) in_text = mark(body, matcher);
  return render(body.text, in_text, best_window(in_text, max_bytes, matcher.distinct_ids()), max_bytes);
}

std::string make_snippet(std::string_view summary, std::string_view text, const HighlightSpec& spec,
                         const Xapian::Stem& stemmer, std::size_t max_bytes) {
  const std::string words = encode_snippet_words(text);
  return make_snippet(summary, SnippetSource{text, words}, spec, stemmer, max_bytes);
}

}  // namespace bp::search
