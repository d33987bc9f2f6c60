// bp::Searcher over a Xapian index: query understanding (search_query),
// disjunctive facet counts (search_facets), snippets (search_snippet),
// suggestions and related practices (search_extras).
#include <algorithm>
#include <memory>
#include <numeric>
#include <optional>
#include <set>
#include <utility>

#include "analyzer.h"
#include "bp/search.h"
#include "bp/text.h"
#include "record_store.h"
#include "schema.h"
#include "search_document.h"
#include "search_extras.h"
#include "search_facet_cache.h"
#include "search_facets.h"
#include "search_index.h"
#include "search_match_set.h"
#include "search_query.h"
#include "search_ranking.h"
#include "search_revision_cache.h"
#include "search_snippet.h"
#include "search_synonyms.h"
#include "search_tokens.h"

namespace bp {
namespace {

using search::QueryUnderstanding;

// The AND of all words is relaxed when it finds fewer than this.
constexpr Xapian::doccount kEnoughResults = 3;

// The ranked page [from, from + n) of `enquire`'s query, by Xapian's matcher.
std::vector<search::RankedDoc> ranked_by_xapian(Xapian::Enquire& enquire, Xapian::doccount from, Xapian::doccount n) {
  std::vector<search::RankedDoc> page;
  const Xapian::MSet mset = enquire.get_mset(from, n);
  for (auto it = mset.begin(); it != mset.end(); ++it) page.push_back({*it, it.get_weight()});
  return page;
}

// A taxonomy with the theme names suggest() completes from, shared by
// the Searchers that use it.
struct SearchTaxonomy {
  Taxonomy taxonomy;
  search::ThemeNames theme_names;
  explicit SearchTaxonomy(Taxonomy t) : taxonomy(std::move(t)), theme_names(search::ThemeNames::of(taxonomy)) {}
};

// The taxonomy an index stores under the hash `hash`, parsed once per
// process while some Searcher holds it (each server thread has its own
// Searcher: they would each parse the same 136 KB). nullptr when it cannot
// be read. May throw Xapian::Error.
std::shared_ptr<const SearchTaxonomy> stored_taxonomy(const Xapian::Database& db, const std::string& hash) {
  static search::RevisionCache<SearchTaxonomy> parsed;
  return parsed.get(hash, [&]() -> std::shared_ptr<const SearchTaxonomy> {
    Diagnostics ignored;  // bp-index reported them when it built the index
    std::optional<Taxonomy> stored =
        Taxonomy::from_bytes(db.get_metadata(std::string(schema::kMetaParsedTaxonomy)), "taxonomy.yaml", &ignored);
    if (!stored) return nullptr;
    return std::make_shared<const SearchTaxonomy>(std::move(*stored));
  });
}

class XapianSearcher final : public Searcher {
 public:
  XapianSearcher(const Taxonomy& taxonomy, TaxonomySource source)
      : taxonomy_(std::make_shared<const SearchTaxonomy>(taxonomy)), source_(source) {}

  Status init(const std::filesystem::path& dir) {
    Status s = index_.open(dir);
    if (!s.is_ok()) return s;
    try {
      const std::string version = index_.db().get_metadata(std::string(schema::kMetaSchema));
      if (!version.empty() && version != std::to_string(schema::kSchemaVersion))
        return Status::corruption("the index at " + dir.string() + " has schema version " +
                                  version + ", this program reads " +
                                  std::to_string(schema::kSchemaVersion) + ": rebuild it");
      sync();
    } catch (const Xapian::Error& e) {
      return Status::io("cannot read the index at " + dir.string() + ": " + e.get_description());
    }
    return Status::ok();
  }

  Result<SearchResponse> search(const SearchRequest& request) override {
    if (request.page < 1) return Status::invalid("page must be 1 or more");
    if (request.per_page < 1 || request.per_page > 100)
      return Status::invalid("per_page must be between 1 and 100");
    if (request.q.size() > kMaxQueryBytes || text::code_points(request.q) > kMaxQueryChars)
      return Status::invalid("q is longer than " + std::to_string(kMaxQueryChars) + " characters");
    for (const auto& [name, values] : request.filters)
      if (schema::find_facet(name) == nullptr) return Status::invalid("unknown facet '" + name + "'");
    return guarded<SearchResponse>([&] { return run_search(request); });
  }

  Result<std::vector<Suggestion>> suggest(const std::string& prefix, int limit) override {
    if (prefix.size() > kMaxQueryBytes)
      return Status::invalid("q is longer than " + std::to_string(kMaxQueryBytes) + " bytes");
    return guarded<std::vector<Suggestion>>([&] {
      // The themes first (two at most), then titles and words.
      std::vector<Suggestion> out =
          search::theme_suggestions(taxonomy_->theme_names, index_.db(), prefix, std::min(limit, kMaxThemeSuggestions));
      const int rest = limit - static_cast<int>(out.size());
      // A theme filters the practices, a word searches the text: "Spreco
      // alimentare" (theme) and "spreco alimentare" (words) are both offered.
      if (rest > 0) {
        const Xapian::Database& db = index_.db();
        if (query_memo_->revision() != db.get_revision()) query_memo_ = search::QueryMemo::of(db);
        QueryUnderstanding understanding(db, analyzer_, *synonyms_, query_memo_.get(), term_cache_.get());
        // A misspelled word typed before counts as the search corrects it,
        // and a word the search does not correct is not corrected here.
        search::CompletionOptions options;
        options.correction = [&](const std::string& word) { return understanding.correction(word); };
        // After English words, a few of the taxonomy's English phrases.
        constexpr std::size_t kMaxEnglishContinuations = 3;
        options.continuations = [&](const std::vector<std::string>& lead, const std::string& partial) {
          return synonyms_->english_continuations(lead, partial, kMaxEnglishContinuations);
        };
        // A class or a school of a level: its names, then what its practices say.
        options.level_names = [&](const std::vector<std::string>& lead, const std::string& partial) {
          return synonyms_->level_name_completions(lead, partial);
        };
        options.level_at = [&](const std::vector<std::string>& words) -> std::pair<std::size_t, std::string> {
          const auto mention = synonyms_->school_level_at(words, analyzer_);
          if (mention.level == nullptr) return {0, ""};
          return {mention.words, mention.level->term};
        };
        // Hunspell and the thesaurus: "come si fa" is not "come sì fa" (a
        // word as typed stays so); "posso pa" -> "pagare" (an infinitive).
        if (const search::Thesaurus* thesaurus = synonyms_->thesaurus();
            thesaurus != nullptr && thesaurus->has_dictionary()) {
          options.is_word = [thesaurus](const std::string& word) { return thesaurus->is_word(word); };
          options.is_infinitive = [thesaurus](const std::string& word) { return thesaurus->is_infinitive(word); };
        }
        for (auto& s : search::suggestions(db, analyzer_, prefix, rest, options)) out.push_back(std::move(s));
      }
      return out;
    });
  }

  std::optional<LevelInWords> level_in_words(const std::string& q) override {
    if (q.size() > kMaxQueryBytes) return std::nullopt;
    // The typed words (split at spaces) and the folded words of each
    // ("sull'acqua": "sull", "acqua").
    std::vector<std::string> tokens;
    std::vector<std::string> words;
    std::vector<std::size_t> token_of;
    for (std::size_t at = 0; at < q.size();) {
      const std::size_t end = std::min(q.find(' ', at), q.size());
      if (end > at) {
        tokens.push_back(q.substr(at, end - at));
        for (const std::string& raw : search::split_words(text::fold(tokens.back()))) {
          std::string w = text::fold_lower(raw);
          if (w.empty()) continue;
          words.push_back(std::move(w));
          token_of.push_back(tokens.size() - 1);
        }
      }
      at = end + 1;
    }
    for (std::size_t i = 0; i < words.size(); ++i) {
      if (i > 0 && token_of[i] == token_of[i - 1]) continue;  // not a typed word's start
      const std::vector<std::string> from(
          words.begin() + static_cast<std::ptrdiff_t>(i),
          words.begin() +
              static_cast<std::ptrdiff_t>(std::min(words.size(), i + search::SynonymTable::kMaxLevelMentionWords)));
      const auto mention = synonyms_->school_level_at(from, analyzer_);
      const search::SynonymTable::SchoolLevel* level = mention.level;
      std::size_t n = level != nullptr ? mention.words : 0;
      if (level == nullptr) {
        level = synonyms_->level_named(words[i]);
        n = 1;
      }
      if (level == nullptr) continue;
      const std::size_t last = i + n - 1;
      if (last + 1 < words.size() && token_of[last + 1] == token_of[last]) continue;  // ends inside a word
      LevelInWords found;
      found.level = level->term.substr(schema::kLevelPrefix.size());
      // The articles and prepositions just before the name go with it
      // ("lezione sull'acqua per la primaria": "lezione sull'acqua").
      std::size_t first = token_of[i];
      for (std::size_t k = i; k > 0 && text::italian_stopwords().count(words[k - 1]) != 0; --k)
        if (token_of[k - 1] < first) first = token_of[k - 1];
      for (std::size_t k = 0; k < words.size(); ++k)  // a token partly a stopword stays whole
        if (token_of[k] >= first && token_of[k] < token_of[i] && text::italian_stopwords().count(words[k]) == 0)
          first = token_of[i];
      for (std::size_t t = 0; t < tokens.size(); ++t) {
        if (t >= first && t < token_of[i]) continue;
        std::string& part = t >= token_of[i] && t <= token_of[last] ? found.words : found.rest;
        part += (part.empty() ? "" : " ") + tokens[t];
      }
      return found;
    }
    return std::nullopt;
  }

  Result<PracticePage> practice(const std::string& slug) override {
    if (!text::is_slug(slug)) return Status::not_found("no practice '" + slug + "'");
    std::optional<PracticePage> page;
    Result<bool> r = guarded<bool>([&] {
      page = find_practice(slug);
      return page.has_value();
    });
    if (!r.ok()) return r.status();
    if (!page) return Status::not_found("no practice '" + slug + "'");
    return std::move(*page);
  }

  Result<FacetCounts> facet_counts() override {
    return guarded<FacetCounts>([&] { return search::whole_index_counts(index_.db()); });
  }

  std::uint64_t document_count() override {
    Result<std::uint64_t> r =
        guarded<std::uint64_t>([&] { return std::uint64_t{index_.db().get_doccount()}; });
    return r.ok() ? *r : 0;
  }

  Result<std::vector<RecordHeader>> record_headers() override {
    // A harvest asks for the whole list once per page: kept until the index
    // changes (refresh() bumps the generation), one list per revision for
    // every Searcher of the process (a read of every record at 100k).
    if (headers_ && headers_generation_ == index_.generation()) return *headers_;
    using Headers = std::vector<RecordHeader>;
    auto read = guarded<std::shared_ptr<const Headers>>([&] {
      static search::RevisionCache<Headers> shared;
      return shared.get(search::revision_key(index_.db()), [&] {
        return std::make_shared<const Headers>(records::read_headers(index_.db()));
      });
    });
    if (!read.ok()) return read.status();
    headers_ = *read;
    headers_generation_ = index_.generation();
    return *headers_;
  }

  Result<Record> record(const std::string& slug) override {
    if (!text::is_slug(slug)) return Status::not_found("no record '" + slug + "'");
    std::optional<Record> found;
    Result<bool> r = guarded<bool>([&] {
      found = records::read_record(index_.db(), slug);
      return found.has_value();
    });
    if (!r.ok()) return r.status();
    if (!found) return Status::not_found("no record '" + slug + "'");
    return std::move(*found);
  }

  Result<std::vector<Record>> records() override {
    return guarded<std::vector<Record>>([&] { return records::read_live(index_.db()); });
  }

  std::string revision() override {
    Result<std::string> r = guarded<std::string>([&] { return search::revision_key(index_.db()); });
    return r.ok() ? *r : std::string();
  }

  Result<IndexInfo> index_info() override {
    return guarded<IndexInfo>([&] {
      Xapian::Database& db = index_.db();
      return IndexInfo{search::revision_key(db), db.get_metadata(std::string(schema::kMetaBuiltAt)),
                        db.get_metadata(std::string(schema::kMetaContentCommit))};
    });
  }

  bool refresh() override {
    const bool changed = index_.refresh();
    if (changed) {
      try {
        sync();
      } catch (const Xapian::Error&) {
        // Keep the previous synonyms; the next request retries.
      }
    }
    return changed;
  }

 private:
  // Runs `f` turning Xapian's exceptions into a Status. A writer committing
  // meanwhile (DatabaseModifiedError) gets one reopen and one retry.
  template <typename T, typename F>
  Result<T> guarded(F&& f) {
    for (int attempt = 0;; ++attempt) {
      try {
        return Result<T>(f());
      } catch (const Xapian::DatabaseModifiedError& e) {
        if (attempt > 0) return Status::io("the index keeps changing: " + e.get_msg());
        try {
          index_.reopen();
        } catch (const Xapian::Error& e2) {
          return Status::io("cannot reopen the index: " + e2.get_description());
        }
        // The retry reads the new revision: its facet counts, synonyms and
        // memo too, not the ones of the revision that was replaced (every
        // caller's `f` is a whole request, holding none of them).
        try {
          sync();
        } catch (const Xapian::Error&) {
          // As in refresh(): the next request syncs again.
        }
      } catch (const Xapian::Error& e) {
        return Status::io("search failed: " + e.get_description());
      } catch (const std::exception& e) {
        return Status::io(std::string("search failed: ") + e.what());
      }
    }
  }

  std::shared_ptr<const Taxonomy> taxonomy() override {
    // Shares the ownership of the SearchTaxonomy that holds it.
    return std::shared_ptr<const Taxonomy>(taxonomy_, &taxonomy_->taxonomy);
  }

  void sync() {
    if (synced_generation_ == index_.generation()) return;
    follow_taxonomy();
    synonyms_ = search::SynonymTable::of(taxonomy_->taxonomy, index_.db());
    facet_cache_ = search::FacetCache::of(index_.db());
    term_cache_ = search::TermCache::of(index_.db());
    query_memo_ = search::QueryMemo::of(index_.db());
    synced_generation_ = index_.generation();
  }

  // TaxonomySource::kIndex: the taxonomy the index stores, looked up again
  // only when its hash changed (a short value; the parsed taxonomy is
  // larger, 136 KB for the starter library's). Kept as it is when the
  // index holds none or one this program cannot read.
  void follow_taxonomy() {
    if (source_ != TaxonomySource::kIndex) return;
    const Xapian::Database& db = index_.db();
    std::string hash = db.get_metadata(std::string(schema::kMetaTaxonomyHash));
    if (hash.empty() || hash == taxonomy_hash_) return;
    taxonomy_hash_ = std::move(hash);
    if (std::shared_ptr<const SearchTaxonomy> stored = stored_taxonomy(db, taxonomy_hash_))
      taxonomy_ = std::move(stored);
  }

  SearchResponse run_search(const SearchRequest& request);
  // Fills SearchHit::missing of `hits`, the documents `dids` in the same
  // order, for a relaxed answer to `parsed`: one boolean match per
  // droppable clause over those documents only.
  static void mark_missing_words(const Xapian::Database& db, const search::ParsedQuery& parsed,
                                 const std::vector<Xapian::docid>& dids, std::vector<SearchHit>* hits);
  std::optional<PracticePage> find_practice(const std::string& slug);

  std::shared_ptr<const SearchTaxonomy> taxonomy_;  // never null
  const TaxonomySource source_;
  std::string taxonomy_hash_;  // with kIndex, the hash of the index's taxonomy last read
  search::IndexHandle index_;
  Analyzer analyzer_;
  // Shared with the other Searchers of this revision (search_revision_cache.h),
  // held between requests so that they outlive them.
  std::shared_ptr<const search::SynonymTable> synonyms_;
  std::shared_ptr<const search::FacetCache> facet_cache_;
  std::shared_ptr<const search::TermCache> term_cache_;
  std::shared_ptr<const search::QueryMemo> query_memo_;  // spellings and completions of this revision
  search::TwoStageRanking ranking_;  // its caches follow the revision of each query's database
  std::uint64_t synced_generation_ = 0;
  std::shared_ptr<const std::vector<RecordHeader>> headers_;  // record_headers() of headers_generation_ (shared)
  std::uint64_t headers_generation_ = 0;
};

// One facet's filter: OR of its values' terms.
struct ActiveFilter {
  const schema::FacetField* facet;
  Xapian::Query query;
};

std::optional<Xapian::Query> filter_except(const std::vector<ActiveFilter>& filters,
                                           const std::optional<Xapian::Query>& range,
                                           const schema::FacetField* skip) {
  std::vector<Xapian::Query> parts;
  for (const auto& f : filters)
    if (f.facet != skip) parts.push_back(f.query);
  if (range) parts.push_back(*range);
  if (parts.empty()) return std::nullopt;
  return Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
}

Xapian::Query filtered(const Xapian::Query& q, const std::optional<Xapian::Query>& filter) {
  return filter ? Xapian::Query(Xapian::Query::OP_FILTER, q, *filter) : q;
}

SearchResponse XapianSearcher::run_search(const SearchRequest& request) {
  sync();
  Xapian::Database& db = index_.db();
  const Xapian::doccount doccount = db.get_doccount();
  SearchResponse response;
  response.query = request.q;
  response.page = request.page;
  response.per_page = request.per_page;

  std::vector<ActiveFilter> filters;
  for (const auto& facet : schema::kFacets) {
    auto it = request.filters.find(std::string(facet.name));
    if (it == request.filters.end() || it->second.empty()) continue;
    std::vector<Xapian::Query> terms;
    for (const auto& value : it->second) terms.emplace_back(std::string(facet.prefix) + value);
    filters.push_back({&facet, Xapian::Query(Xapian::Query::OP_OR, terms.begin(), terms.end())});
  }
  std::optional<Xapian::Query> range;
  if (request.year_from || request.year_to) {
    const std::string lo = Xapian::sortable_serialise(request.year_from.value_or(-1000000));
    const std::string hi = Xapian::sortable_serialise(request.year_to.value_or(1000000));
    range = Xapian::Query(Xapian::Query::OP_VALUE_RANGE, schema::kSlotYear, lo, hi);
  }
  if (request.duration_max) {
    // From 1 minute, so that practices without a duration are left out.
    Xapian::Query shorter(Xapian::Query::OP_VALUE_RANGE, schema::kSlotDuration,
                          Xapian::sortable_serialise(1), Xapian::sortable_serialise(*request.duration_max));
    range = range ? Xapian::Query(Xapian::Query::OP_FILTER, *range, shorter) : shorter;
  }
  const std::optional<Xapian::Query> all_filters = filter_except(filters, range, nullptr);

  if (query_memo_->revision() != db.get_revision()) query_memo_ = search::QueryMemo::of(db);
  QueryUnderstanding understanding(db, analyzer_, *synonyms_, query_memo_.get(), term_cache_.get());
  search::ParsedQuery parsed = understanding.parse(request.q);
  Xapian::Query text = QueryUnderstanding::combine(parsed);

  // The total and every facet's disjunctive counts: one unranked pass over
  // what the text and the ranges match, then the facet cache
  // (search_facets.h), instead of a ranked match with a spy plus one more
  // match per filtered facet. Not needed to browse the whole library.
  const bool whole_library = parsed.browse() && !all_filters;
  auto count_matches = [&](const Xapian::Query& q) {
    if (facet_cache_->last_docid() < db.get_lastdocid()) {
      facet_cache_ = search::FacetCache::of(db);
      term_cache_ = search::TermCache::of(db);
    }
    const search::DocSet matches =
        search::match_set(db, filtered(q, range), facet_cache_->last_docid(), term_cache_.get());
    std::vector<search::FacetFilter> facet_filters;
    for (const ActiveFilter& f : filters)
      facet_filters.push_back({static_cast<std::size_t>(f.facet - schema::kFacets),
                               request.filters.at(std::string(f.facet->name))});
    return search::count_facets(*facet_cache_, matches, facet_filters);
  };
  std::optional<search::FacetTally> tally;
  if (!whole_library) tally = count_matches(text);

  // Relaxation, when all the words find fewer than kEnoughResults (the
  // total of the pass above, no extra match): every word becomes optional
  // and practices are ranked by BM25 over all of them, those that match
  // them all first (QueryUnderstanding::combine_any).
  // Measured on the relevance collection (docs/search-quality.md) against
  // Meilisearch's "drop the last/least telling word until enough match": a
  // question keeps its rare but unrelated words ("creare", "paese") and
  // loses the concept, where BM25 lets the concept's words decide.
  // One word relaxes too when the editors' plain words have it (its only
  // alternative, clause.plain).
  // Enough practices have every word, but only in passing
  // (QueryUnderstanding::kWeakFullMatchShare): ranked as relaxed, the full
  // matches no longer first. One more ranked match of one document, for
  // queries of three clauses or more only (from two: the same answers on
  // the relevance collection, +22 % instructions at 10,000 practices).
  bool relaxed = false;
  // Enough practices match every concept, but none in its own words: each
  // has one only through a loose theme or a guess (combine_full()). Ranked
  // as relaxed, those still first (combine_any()'s any-way tier). One more
  // boolean match of one document, for the queries that have such a
  // concept.
  //
  // All three are decided on the words alone, not on the filters: a filter
  // only narrows what the words found. Decided on the filtered matches, a
  // filter that left fewer than kEnoughResults relaxed the words within it,
  // and ticking a theme counted 1 showed 14 practices, 13 of them without
  // some of the words.
  std::uint64_t word_total = tally ? tally->total : 0;
  if (tally && all_filters) {
    Xapian::Enquire count(db);
    count.set_query(text);
    count.set_weighting_scheme(Xapian::BoolWeight());
    word_total = count.get_mset(0, 0, kEnoughResults).get_matches_lower_bound();
  }
  bool none_full = false;
  if (tally && word_total >= kEnoughResults) {
    if (std::optional<Xapian::Query> full = QueryUnderstanding::combine_full(parsed)) {
      Xapian::Enquire count(db);
      count.set_query(*full);
      count.set_weighting_scheme(Xapian::BoolWeight());
      none_full = count.get_mset(0, 1, 1).empty();
    }
  }
  const bool weak_strict = parsed.clauses.size() >= 3 && tally && word_total >= kEnoughResults &&
                           search::best_weight_share(db, text) < QueryUnderstanding::kWeakFullMatchShare;
  if (((parsed.clauses.size() >= 2 || (parsed.clauses.size() == 1 && parsed.clauses.front().plain)) && tally &&
       word_total < kEnoughResults) ||
      weak_strict || none_full) {
    text = QueryUnderstanding::combine_any(parsed, !weak_strict, none_full && !weak_strict);
    relaxed = true;
    tally = count_matches(text);
    // One word is not dropped: it is still what every result has, in its
    // own text or in its plain words, so the page does not say "not all
    // the words are in every result" about a one-word search.
    if (parsed.clauses.size() >= 2) {
      // Reported from the least telling word: words that match nothing,
      // then the commonest.
      std::vector<std::size_t> order;
      for (std::size_t i = 0; i < parsed.clauses.size(); ++i)
        if (parsed.clauses[i].droppable) order.push_back(i);
      std::stable_sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) {
        const auto& ca = parsed.clauses[a];
        const auto& cb = parsed.clauses[b];
        if (ca.matches_nothing != cb.matches_nothing) return ca.matches_nothing;
        return ca.frequency > cb.frequency;
      });
      for (std::size_t i : order) response.interpretation.dropped.push_back(parsed.clauses[i].display);
    }
    response.interpretation.relaxed = !response.interpretation.dropped.empty();
  } else {
    // Decided on the words' own weights above; ranked with the region's
    // practices first (relaxed, combine_any() has its own place rule).
    text = QueryUnderstanding::region_first(parsed, text);
  }
  // As the case files write the word, as "did you mean" does: the page says
  // «sostenibilta» was corrected into «sostenibilità», not «sostenibilita».
  response.interpretation.corrected = parsed.corrected_written;
  // The page speaks Italian: an English name of the taxonomy is searched
  // (`expanded` says so) but not named ("energia" is not said to be
  // searched as "energy").
  for (const std::string& s : parsed.synonyms)
    if (!synonyms_->english_name(s)) response.interpretation.synonyms.push_back(s);
  response.interpretation.ignored = parsed.ignored;
  response.interpretation.unread = parsed.unread;
  response.interpretation.expanded = parsed.expanded;
  for (const auto& c : parsed.clauses)
    if (!response.interpretation.relaxed || !c.droppable)
      response.interpretation.required.push_back(c.display);
  if (!parsed.corrected.empty()) response.suggestion = parsed.suggestion;

  Xapian::Enquire enquire(db);
  enquire.set_query(filtered(text, all_filters));
  // Without words to rank by (empty q, or only excluded words), relevance
  // means nothing: newest first.
  const bool no_words = parsed.clauses.empty();
  SortOrder sort = request.sort;
  if (no_words && sort == SortOrder::kRelevance) sort = SortOrder::kDate;
  if (no_words) enquire.set_weighting_scheme(Xapian::BoolWeight());
  else enquire.set_weighting_scheme(search::bm25_weight());
  if (sort == SortOrder::kDate) enquire.set_sort_by_value_then_relevance(schema::kSlotDate, true);
  if (sort == SortOrder::kTitle) enquire.set_sort_by_value_then_relevance(schema::kSlotTitle, false);
  if (sort == SortOrder::kUpdated) enquire.set_sort_by_value_then_relevance(schema::kSlotModified, true);

  const std::uint64_t offset =
      static_cast<std::uint64_t>(request.page - 1) * static_cast<std::uint64_t>(request.per_page);
  const Xapian::doccount first =
      static_cast<Xapian::doccount>(std::min<std::uint64_t>(offset, doccount));
  const auto count = static_cast<Xapian::doccount>(request.per_page);

  std::optional<std::vector<search::RankedDoc>> ranked;
  const bool ranked_by_words = tally && sort == SortOrder::kRelevance && !no_words;
  // A relaxed query of three clauses or more: its first documents ranked
  // again with each clause's weight saturated (search::saturate_clauses),
  // so that a practice about several of the query's concepts comes before
  // one with a single rare word.
  const bool saturated = relaxed && ranked_by_words && parsed.clauses.size() >= search::kMinClausesToSaturate &&
                         first < search::kSaturationWindow;
  if (!tally) {
    response.facets = search::whole_index_counts(db);
    response.total = doccount;
  } else {
    response.total = tally->total;
    response.facets = std::move(tally->facets);
    // Ranked by relevance: the page from our own BM25 scores when their
    // order is certain, or from the documents whose bounds can reach it
    // (search_ranking.h); the same page as below.
    if (ranked_by_words && !saturated)
      ranked = ranking_.page(db, filtered(text, all_filters), tally->matching, first, count);
  }
  // The page, ranked: no spy and no check_at_least, so that Xapian can skip
  // the documents that cannot reach it (the counts come from the pass above).
  if (saturated) {
    std::optional<std::vector<search::RankedDoc>> window =
        ranking_.page(db, filtered(text, all_filters), tally->matching, 0, search::kSaturationWindow);
    if (!window) window = ranked_by_xapian(enquire, 0, search::kSaturationWindow);
    const std::vector<search::RankedDoc> rescored =
        ranking_.saturated(db, std::move(*window), QueryUnderstanding::relaxed_clauses(parsed));
    ranked.emplace(rescored.begin() + std::min<std::size_t>(first, rescored.size()),
                   rescored.begin() + std::min<std::size_t>(first + count, rescored.size()));
    if (first + count > search::kSaturationWindow && rescored.size() == search::kSaturationWindow)
      for (const search::RankedDoc& d : ranked_by_xapian(enquire, search::kSaturationWindow, first + count - search::kSaturationWindow))
        ranked->push_back(d);
  }
  if (!ranked) ranked = ranked_by_xapian(enquire, first, count);

  // The hits' values, read one slot at a time in document id order: each
  // read is a descent of the B-tree by the database's one value cursor,
  // which reads again only the blocks off its previous path, and reading
  // both slots of each hit in rank order left it little to keep (about 48
  // block reads for ten hits at 10,000 practices, docs/performance.md,
  // "Sixth round").
  const std::size_t n_hits = ranked->size();
  std::vector<std::size_t> by_id(n_hits);
  std::iota(by_id.begin(), by_id.end(), std::size_t{0});
  std::sort(by_id.begin(), by_id.end(),
            [&](std::size_t a, std::size_t b) { return (*ranked)[a].did < (*ranked)[b].did; });
  std::vector<Xapian::Document> docs(n_hits);
  std::vector<std::string> stored(n_hits), updated(n_hits);
  for (std::size_t i : by_id) {
    // The id comes from this database's postings: no lookup to check it.
    docs[i] = db.get_document((*ranked)[i].did, Xapian::DOC_ASSUME_VALID);
    stored[i] = docs[i].get_value(schema::kSlotResult);
  }
  for (std::size_t i : by_id) updated[i] = docs[i].get_value(schema::kSlotModified);

  std::string body_buffer;  // reused by the hits
  std::string plain_words_buffer, questions_buffer;
  search::SnippetMaker snippets(parsed.highlight, analyzer_.stemmer());
  for (std::size_t i = 0; i < n_hits; ++i) {
    search::ResultRecord record;
    search::decode_result(stored[i], &record, &body_buffer);
    SearchHit hit;
    hit.practice = std::move(record.practice);
    hit.practice.updated = std::move(updated[i]);
    hit.score = (*ranked)[i].weight;
    // The plain words and the questions are decompressed only for a hit
    // whose own text marks no query word (found through them, or through a
    // theme or a title).
    search::Snippet snippet = snippets.make(
        hit.practice.summary, record.body, [&] { return search::unpack(record.plain_words, &plain_words_buffer); },
        [&] { return search::unpack(record.questions, &questions_buffer); });
    hit.snippet_html = std::move(snippet.html);
    hit.found_in_plain_words = snippet.from_plain_words;
    hit.found_in_questions = snippet.from_questions;
    response.results.push_back(std::move(hit));
  }
  if (response.interpretation.relaxed) {
    std::vector<Xapian::docid> dids;
    for (const search::RankedDoc& d : *ranked) dids.push_back(d.did);
    mark_missing_words(db, parsed, dids, &response.results);
  }
  return response;
}

void XapianSearcher::mark_missing_words(const Xapian::Database& db, const search::ParsedQuery& parsed,
                                        const std::vector<Xapian::docid>& dids, std::vector<SearchHit>* hits) {
  if (hits->empty() || dids.size() != hits->size()) return;
  std::vector<Xapian::Query> ids;
  for (const SearchHit& hit : *hits) ids.emplace_back(std::string(schema::kIdPrefix) + hit.practice.slug);
  const Xapian::Query page(Xapian::Query::OP_OR, ids.begin(), ids.end());
  Xapian::Enquire enquire(db);
  enquire.set_weighting_scheme(Xapian::BoolWeight());
  for (const search::Clause& clause : parsed.clauses) {
    if (!clause.droppable) continue;  // required: every result has it
    // The clause as the relaxed query weighs it: its words, their
    // expansions and themes, and the editors' plain words and questions.
    std::set<Xapian::docid> having;
    if (const std::optional<Xapian::Query> q = QueryUnderstanding::relaxed_clause(clause)) {
      enquire.set_query(Xapian::Query(Xapian::Query::OP_FILTER, *q, page));
      const Xapian::MSet mset = enquire.get_mset(0, static_cast<Xapian::doccount>(hits->size()));
      for (auto it = mset.begin(); it != mset.end(); ++it) having.insert(*it);
    }
    for (std::size_t i = 0; i < hits->size(); ++i)
      if (having.count(dids[i]) == 0) (*hits)[i].missing.push_back(clause.display);
  }
}

std::optional<PracticePage> XapianSearcher::find_practice(const std::string& slug) {
  Xapian::Database& db = index_.db();
  const std::string id = std::string(schema::kIdPrefix) + slug;
  Xapian::PostingIterator p = db.postlist_begin(id);
  if (p == db.postlist_end(id)) return std::nullopt;
  const Xapian::docid docid = *p;
  const Xapian::Document doc = db.get_document(docid);
  nlohmann::json data = search::page_data(doc);
  PracticePage page;
  page.practice = search::summary_of(doc);
  page.practice.updated = doc.get_value(schema::kSlotModified);
  if (page.practice.slug.empty()) page.practice.slug = slug;
  page.body_html = search::string_field(data, "body_html");
  data.erase("body_html");
  data.erase("text");
  page.json = data.dump();
  // The editors' `related` first, in their order, then the computed ones.
  std::set<std::string> shown = {slug};
  for (const std::string& other : search::strings_field(data, "related")) {
    const std::string other_id = std::string(schema::kIdPrefix) + other;
    Xapian::PostingIterator q = db.postlist_begin(other_id);
    if (q == db.postlist_end(other_id) || !shown.insert(other).second) continue;
    page.related.push_back(search::summary_of(db.get_document(*q)));
  }
  page.related_chosen = page.related.size();
  for (auto& computed : search::related_practices(db, docid, page.practice.themes, slug, 5 + static_cast<int>(shown.size()))) {
    if (page.related.size() >= std::max<std::size_t>(5, page.related_chosen)) break;
    if (shown.insert(computed.slug).second) page.related.push_back(std::move(computed));
  }
  return page;
}

}  // namespace

Result<std::vector<RecordHeader>> Searcher::record_headers() {
  return Status::io("records are not available");
}
Result<Record> Searcher::record(const std::string&) { return Status::io("records are not available"); }
Result<std::vector<Record>> Searcher::records() { return Status::io("records are not available"); }
std::string Searcher::revision() { return {}; }

std::optional<LevelInWords> Searcher::level_in_words(const std::string&) { return std::nullopt; }

std::shared_ptr<const Taxonomy> Searcher::taxonomy() { return nullptr; }

std::shared_ptr<const Taxonomy> taxonomy_or(Searcher* searcher, const Taxonomy& given) {
  if (searcher != nullptr)
    if (std::shared_ptr<const Taxonomy> t = searcher->taxonomy()) return t;
  return std::shared_ptr<const Taxonomy>(std::shared_ptr<const Taxonomy>(), &given);
}
Result<IndexInfo> Searcher::index_info() { return Status::io("index information is not available"); }

Result<std::unique_ptr<Searcher>> Searcher::open(const std::filesystem::path& index_dir, const Taxonomy& taxonomy,
                                                 TaxonomySource source) {
  try {
    auto searcher = std::make_unique<XapianSearcher>(taxonomy, source);
    Status s = searcher->init(index_dir);
    if (!s.is_ok()) return s;
    return std::unique_ptr<Searcher>(std::move(searcher));
  } catch (const std::exception& e) {
    return Status::io(std::string("cannot open the index: ") + e.what());
  }
}

}  // namespace bp
