// The search engine over a built index: faceted full-text search, suggestions,
// practice lookup with related practices. Knows nothing of HTTP or JSON.
//
// A Searcher is NOT thread-safe (it owns Xapian::Database handles): give each
// server thread its own. All of them notice a new index by themselves
// (refresh()). Searchers of one index share, across threads, what is derived
// from one database revision and immutable: the in-memory copy of the facet
// values and the synonym table (their registries are guarded by a mutex).
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "bp/records.h"
#include "bp/status.h"
#include "bp/taxonomy.h"

namespace bp {

// Facet names, as used by the API parameters and answers.
inline const std::vector<std::string>& facet_names() {
  static const std::vector<std::string> k = {"hub",    "region", "theme", "dimension", "sdg",
                                             "audience", "module", "year", "level", "subject",
                                             "duration"};
  return k;
}

// kDate: newest sheet ("date" field) first; kUpdated: most recently added or
// changed in the index first (records.h datestamp), for feeds.
enum class SortOrder { kRelevance, kDate, kTitle, kUpdated };

struct SearchRequest {
  // Free text; empty = browse everything (newest first). Words are all
  // required (AND), accents and case ignored, Italian stems and stopwords,
  // the last word also a prefix unless followed by a space (or, in a query
  // of five content words or more, when the index has it as typed); "a phrase",
  // a OR b, -word or NOT word, +word (never dropped when relaxing). A word
  // absent from the index is matched by its close spellings; question and
  // filler words ("come", "posso", "how") are left out; when all the words
  // find fewer than 3 practices, they all become optional and the practices
  // that match all of them, then most of them best (BM25, each word's weight
  // saturated among the first results from three words), come first (see
  // QueryInterpretation).
  std::string q;
  // facet name -> accepted values: OR within a facet, AND across facets.
  std::map<std::string, std::vector<std::string>> filters;
  std::optional<int> year_from;
  std::optional<int> year_to;
  // Only practices whose lesson sheet (didattica) lasts at most this many
  // minutes; practices without a duration are then left out.
  std::optional<int> duration_max;
  SortOrder sort = SortOrder::kRelevance;
  int page = 1;       // from 1
  int per_page = 10;  // 1..100
};

// What a result list and a page show of a practice (from the document data).
struct PracticeSummary {
  std::string slug;
  std::string title;
  std::string summary;
  std::string hub;
  std::string region;
  std::string city;
  std::vector<std::string> themes;
  std::vector<std::string> dimensions;
  std::vector<int> sdgs;
  std::vector<std::string> audience;
  std::vector<std::string> modules;
  std::string organisation;
  int year = 0;
  std::string date;
  std::string language;  // of the case file's own texts ("it", "en", …; "" from an older index)
  // When the index learnt of this content (records.h datestamp), "" if unknown.
  std::string updated;
  // From the lesson sheet (didattica); empty / 0 when the practice has none.
  std::vector<std::string> levels;
  std::vector<std::string> subjects;
  int duration_minutes = 0;
};

struct SearchHit {
  PracticeSummary practice;
  std::string snippet_html;  // escaped text, matched words in <mark>
  // Only the editors' plain words (`in_parole_semplici`) have the query's
  // words, not the summary nor the body: snippet_html is cut from them.
  bool found_in_plain_words = false;
  // Nor the plain words: only the questions it answers (`domande`) have
  // them, and snippet_html is cut from those.
  bool found_in_questions = false;
  // In a relaxed answer (QueryInterpretation::relaxed), the query's words
  // (as `dropped` writes them) that this practice has nowhere: not in its
  // text, title, plain words or questions, nor through a synonym or its
  // themes. The page says so under the result ("Non contiene: …", as a
  // web search's "missing" words). Empty otherwise.
  std::vector<std::string> missing;
  double score = 0;
};

// How the query was understood, so the answer can say so.
struct QueryInterpretation {
  bool relaxed = false;                  // not every word was required
  // Words that were made optional (every word but +word), from the least
  // telling: results are ranked by how many and how well they match.
  std::vector<std::string> dropped;
  std::vector<std::string> ignored;      // question and filler words not searched ("come", "posso")
  // Content words past the first kMaxQueryWords distinct ones: a query is
  // read up to there, the rest is not searched.
  std::vector<std::string> unread;
  std::vector<std::string> required;     // words every result has (all of them unless relaxed)
  // misspelled word (folded) -> used spelling, as the case files write it
  // ("sostenibilta" -> "sostenibilità")
  std::map<std::string, std::string> corrected;
  std::vector<std::string> synonyms;     // synonyms added to the query
  // word or phrase as typed -> what it was expanded with (synonyms, everyday
  // words, English, acronyms), weighted below the typed words
  std::map<std::string, std::vector<std::string>> expanded;
};

// A school level named in a query's words (Searcher::level_in_words()).
struct LevelInWords {
  std::string level;  // its slug ("secondaria-1")
  std::string words;  // the words naming it, as typed ("seconda media")
  std::string rest;   // the query without them, its other words as typed
};

struct SearchResponse {
  std::string query;
  std::uint64_t total = 0;  // exact
  int page = 1;
  int per_page = 10;
  std::vector<SearchHit> results;
  // facet -> value -> count (disjunctive: a facet's counts ignore its own filter)
  std::map<std::string, std::map<std::string, std::uint64_t>> facets;
  std::optional<std::string> suggestion;  // "did you mean"
  QueryInterpretation interpretation;
};

struct PracticePage {
  PracticeSummary practice;
  std::string body_html;  // rendered by cmark, raw HTML and javascript: links neutralised
  std::string json;       // the full front matter as stored (JSON text) for the API
  // The practices the editors listed in `related` (those in the index, in
  // their order), then computed similar ones, up to 5 in all (or more when
  // the editors listed more).
  std::vector<PracticeSummary> related;
  std::size_t related_chosen = 0;  // how many of `related` the editors chose
};

struct Suggestion {
  std::string text;
  std::string kind;  // "theme" (slug: the theme's), "title" (slug: the practice's) or "term"
  std::string slug;
};

// The index a Searcher reads, as /healthz reports it: equal on every server
// that reads the same index (a replica carries its master's values).
struct IndexInfo {
  std::string revision;        // Searcher::revision()
  std::string built_at;        // "YYYY-MM-DDThh:mm:ssZ" of the last build that changed it; "" if unknown
  std::string content_commit;  // git commit of the content ("<sha>-dirty"), "" if not a checkout
};

// Counts of documents per vocabulary value, for /api/taxonomy.
using FacetCounts = std::map<std::string, std::map<std::string, std::uint64_t>>;

class Searcher {
 public:
  // Which taxonomy a Searcher reads its synonyms, acronyms, expressions
  // and everyday words from.
  enum class TaxonomySource {
    kGiven,  // the one given to open(), always
    // The one the index stores (schema.h kMetaParsedTaxonomy: each build
    // writes the taxonomy it indexed with), followed through rebuilds, so
    // that an editor's new line works without a restart and every Searcher
    // of a process answers alike, whenever it was opened; the one given
    // for an index that stores none, or one this program cannot read.
    kIndex,
  };

  // Opens the index at `index_dir` (as written by bp-index build) and reads
  // the synonyms from the taxonomy. Fails with kNotFound/kIo when there is no
  // usable index.
  static Result<std::unique_ptr<Searcher>> open(const std::filesystem::path& index_dir, const Taxonomy& taxonomy,
                                                TaxonomySource source = TaxonomySource::kGiven);
  virtual ~Searcher() = default;

  // InvalidArgument for a request out of range (page < 1, per_page > 100,
  // q longer than kMaxQueryBytes, a filter on an unknown facet name; an
  // unknown facet value just matches nothing); kIo when the index cannot be
  // read. Never throws.
  virtual Result<SearchResponse> search(const SearchRequest& request) = 0;
  // Completions while typing, at most `limit`: the themes one of whose
  // names starts with `prefix` (kMaxThemeSuggestions at most), then titles,
  // then words (search_extras.h).
  virtual Result<std::vector<Suggestion>> suggest(const std::string& prefix, int limit = 8) = 0;
  // kNotFound for an unknown slug.
  virtual Result<PracticePage> practice(const std::string& slug) = 0;
  virtual Result<FacetCounts> facet_counts() = 0;
  virtual std::uint64_t document_count() = 0;

  // Records for harvesters and open data (records.h). The defaults answer
  // kIo ("not available"), for searchers that keep no records.
  // Every live practice's header and every tombstone, by (datestamp, slug).
  virtual Result<std::vector<RecordHeader>> record_headers();
  // The practice `slug`, or its tombstone; kNotFound when neither exists.
  virtual Result<Record> record(const std::string& slug);
  // Every live practice's record, in slug order.
  virtual Result<std::vector<Record>> records();
  // A token that changes whenever the index content may have changed (new
  // database or new revision): for ETags of derived files. "" if unknown.
  // "<database UUID>:<revision>": a replica reports its master's token.
  virtual std::string revision();
  // Which index this is, for /healthz; the default answers kIo.
  virtual Result<IndexInfo> index_info();
  // The taxonomy this Searcher reads as of its last refresh() or request:
  // the one given to open(), or with TaxonomySource::kIndex the index's, so
  // that the pages' labels follow an editor's change as the search does.
  // The default answers nullptr, for searchers that keep none (the caller
  // then uses its own).
  virtual std::shared_ptr<const Taxonomy> taxonomy();

  // The first school level that `q` names, for a page where a level is
  // what a class needs (the teachers' page filters by it): a class or a
  // school of the level, as the search reads it ("seconda media", "scuole
  // elementari", "scuola primaria"), or one of its one-word names alone,
  // exactly as taxonomy.yaml writes it ("medie", "elementari", "primaria",
  // "liceo"; not "media": "educazione ai media" is a subject). Whole typed
  // words only. nullopt when none, or for searchers without levels (the
  // default).
  virtual std::optional<LevelInWords> level_in_words(const std::string& q);

  // Picks up a newer index if bp-index build wrote one (cheap when nothing
  // changed: call it before each request). Returns true when it reopened.
  virtual bool refresh() = 0;
};

// The taxonomy to label and check with: `searcher`'s (see
// Searcher::taxonomy()), or `given` without a searcher or from one that
// keeps none. The result does not own `given`, which must outlive it; it
// owns the searcher's, so a rebuild does not free it while it is held.
std::shared_ptr<const Taxonomy> taxonomy_or(Searcher* searcher, const Taxonomy& given);

// A query is at most this many characters (code points), as the search
// box's maxlength counts them, whatever the accents cost in bytes; and so
// at most kMaxQueryBytes bytes of UTF-8, the guard checked before decoding.
inline constexpr std::size_t kMaxQueryChars = 500;
inline constexpr std::size_t kMaxQueryBytes = 4 * kMaxQueryChars;

// A query is read up to this many distinct content words (neither
// stopwords nor filler words); the words after them are not searched
// (QueryInterpretation::unread). Each content word is a clause whose
// postings are read: 500 bytes of distinct common words (60 of them) took
// 26 ms on 1,044 practices, 5 ms read up to 16 (docs/performance.md).
// Meilisearch reads ten words, Google 32. Measured on the relevance
// collection (docs/search-quality.md, "A word typed twice, and a query's
// length"): 16 and 24 change no figure; 12 lowers question-heldout13.
inline constexpr std::size_t kMaxQueryWords = 16;
inline constexpr int kMaxThemeSuggestions = 2;

}  // namespace bp
