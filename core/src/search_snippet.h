// Result snippets: the best passage of a practice with the matched words in
// <mark>, everything else HTML-escaped.
//
// Xapian's MSet::snippet() cannot be used: it re-tokenises the original
// text and compares raw words and stems with the query terms, but our terms
// are made from folded text (città -> citta, dell'ambiente -> dell ambiente),
// so accented words, elisions and our own typo and synonym expansions would
// never be marked. We tokenise the original text keeping byte offsets, fold
// and stem each word the way the indexer does, and mark it when one of its
// terms is among the query's (HighlightSpec; a word of a synonym of
// several words only beside another of its words). The spec is built by the
// query understanding itself rather than from Enquire::get_matching_terms():
// it already holds every expansion (typo corrections, synonym phrases, the
// prefix of the last word, which OP_WILDCARD only expands inside the
// matcher), and a word found in the document's own text is by construction
// one of the document's terms. Words of excluded (-word) clauses are never
// in it.
//
// The body's words are found and folded once, at index time
// (encode_snippet_words(), stored in the result record), grouped by the
// first two letters of their folded form: a snippet then reads only the
// groups whose letters a query term, prefix or stem can begin with (most
// words of a body are in no such group), and finds the words of the
// window itself by tokenising the few hundred bytes around it. The result
// is the same as tokenising and folding the whole text at query time
// (bench/equivalence compares the snippets; docs/performance.md, "Seventh
// round").
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <xapian.h>

#include "search_query.h"

namespace bp::search {

inline constexpr std::size_t kSnippetBytes = 240;
// Only so much of a long body is looked at.
inline constexpr std::size_t kMaxScannedBytes = 64 * 1024;

// The words of the first kMaxScannedBytes of `text` (search_tokens.h), with
// the folded form of those that are not plain ASCII, in a compact binary
// form for make_snippet(): varint(number of groups); per group, in
// ascending order of the two first bytes of its words' folded form (first
// byte << 8 | second, 0 for a one-byte word), varint(those bytes minus the
// previous group's) and varint(bytes of its words); then each group's
// words in text order: varint(start - the previous word's start in the
// group) and, for a word that is not plain ASCII, varint(size) and its
// folded form. A word's end is found in the text (search_tokens.h).
std::string encode_snippet_words(std::string_view text);

// A body text and encode_snippet_words() of it.
struct SnippetSource {
  std::string_view text;
  std::string_view words;
};

namespace detail {
class SnippetMatcher;
}

// A hit's snippet and the text it was cut from.
struct Snippet {
  std::string html;
  // Neither the summary nor the body marks a query word and the editors'
  // plain words (`in_parole_semplici`) do: the snippet is cut from them,
  // so that the person sees why the practice was found.
  bool from_plain_words = false;
  // Nor do the plain words, and the questions it answers (`domande`) do:
  // the snippet is cut from them.
  bool from_questions = false;
};

// The snippets of the hits of one search: make() is make_snippet() below,
// and which written words match which query term is remembered from one
// hit to the next (the hits of a search share most of their words).
// `spec` and `stemmer` must outlive it.
class SnippetMaker {
 public:
  SnippetMaker(const HighlightSpec& spec, const Xapian::Stem& stemmer);
  ~SnippetMaker();
  SnippetMaker(const SnippetMaker&) = delete;
  SnippetMaker& operator=(const SnippetMaker&) = delete;

  std::string make(std::string_view summary, SnippetSource body, std::size_t max_bytes = kSnippetBytes);

  // make(), unless it marks no query word: then the window of the plain
  // words that `plain_words()` gives (called only then, and only when the
  // query has words to mark) holding the most matched words, when it holds
  // any; else the same of the questions that `questions()` gives (when
  // given). A hit whose summary or body marks a word gets exactly make().
  // There the words of an alternative of several words (HighlightSpec::
  // phrase_words) are marked apart when they nowhere stand together: the
  // hit was found through them.
  Snippet make(std::string_view summary, SnippetSource body,
               const std::function<SnippetSource()>& plain_words,
               const std::function<SnippetSource()>& questions = {}, std::size_t max_bytes = kSnippetBytes);

 private:
  // make(), telling in `*matched` whether the snippet marks a word.
  std::string make(std::string_view summary, SnippetSource body, std::size_t max_bytes, bool* matched);

  const HighlightSpec& spec_;
  std::unique_ptr<detail::SnippetMatcher> matcher_;
};

// The window of about `max_bytes` of `summary` or the body text holding the
// most distinct matched words (the summary wins ties); the start of the
// summary when nothing matches. "…" marks a cut. A damaged word table (a
// damaged record) is read up to the damage.
std::string make_snippet(std::string_view summary, SnippetSource body, const HighlightSpec& spec,
                         const Xapian::Stem& stemmer, std::size_t max_bytes = kSnippetBytes);

// Same, finding the body's words now.
std::string make_snippet(std::string_view summary, std::string_view text,
                         const HighlightSpec& spec, const Xapian::Stem& stemmer,
                         std::size_t max_bytes = kSnippetBytes);

}  // namespace bp::search
