// bp-relevance-explain: why a practice ranks where it does on the relevance
// collection. For each query of the kinds asked for (never a held-out kind:
// those are refused), runs bp::Searcher, and for the first results and the
// first best answer prints each clause's share of the BM25 weight, broken
// down into its alternatives (the typed words, a theme's filter term, an
// acronym's or a concept's expansions, the thesaurus, the plain words, the
// full-match bonus), with each term's wdf in the document and whether it is
// a title word. Diagnostic only (docs/search-quality.md, "Distractors").
//
//   bp-relevance-explain --index DIR --content DIR --queries FILE --kinds a,b
//                        [--all] [--top N]
//
// Without --all only the queries whose best answer is not in the first 3.
// The query is rebuilt as the searcher builds it (strict AND, or the relaxed
// query when the strict one finds fewer than 3, with the plain words'
// weight chosen the same way, and its first results ranked again with
// saturated clauses, search::saturate_clauses, whose total is shown too); a
// page that differs from the searcher's is flagged.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>
#include <xapian.h>

#include "analyzer.h"
#include "bp/cli.h"
#include "bp/search.h"
#include "bp/taxonomy.h"
#include "relevance_collection.h"
#include "schema.h"
#include "search_query.h"
#include "search_ranking.h"
#include "search_synonyms.h"

namespace fs = std::filesystem;
using bp::search::QueryUnderstanding;

namespace {

using bp::relevance::Judged;
using bp::relevance::split;

// The collection's queries of `kinds`; held-out kinds are never returned.
std::vector<Judged> read_kinds(const fs::path& file, const std::vector<std::string>& kinds) {
  std::vector<std::string> errors;  // bp-relevance --check reports them
  std::vector<Judged> out;
  for (Judged& j : bp::relevance::read_collection(file, &errors)) {
    if (j.kind.find("heldout") != std::string::npos) continue;
    if (std::find(kinds.begin(), kinds.end(), j.kind) != kinds.end()) out.push_back(std::move(j));
  }
  return out;
}

Xapian::docid docid_of(const Xapian::Database& db, const std::string& slug) {
  const std::string id = std::string(bp::schema::kIdPrefix) + slug;
  Xapian::PostingIterator p = db.postlist_begin(id);
  return p == db.postlist_end(id) ? 0 : *p;
}

// The weight `q` gives document `did` (0 when it does not match).
double weight_of(const Xapian::Database& db, const Xapian::Query& q, Xapian::docid did) {
  if (q.empty()) return 0;
  Xapian::Enquire e(db);
  Xapian::Document doc = db.get_document(did);
  std::string id;
  for (auto t = doc.termlist_begin(); t != doc.termlist_end(); ++t)
    if ((*t).rfind(bp::schema::kIdPrefix, 0) == 0) {
      id = *t;
      break;
    }
  e.set_query(Xapian::Query(Xapian::Query::OP_FILTER, q, Xapian::Query(id)));
  e.set_weighting_scheme(bp::search::bm25_weight());
  const Xapian::MSet m = e.get_mset(0, 1);
  return m.empty() ? 0 : m.begin().get_weight();
}

Xapian::termcount wdf_of(const Xapian::Database& db, Xapian::docid did, const std::string& term) {
  Xapian::TermIterator t = db.termlist_begin(did);
  t.skip_to(term);
  return (t != db.termlist_end(did) && *t == term) ? t.get_wdf() : 0;
}

std::string shorten(std::string s, std::size_t n = 110) {
  if (s.size() > n) s = s.substr(0, n) + "…";
  return s;
}

// The terms under `q`, with their wdf in `did`, and "T" for a title word.
std::string terms_here(const Xapian::Database& db, const Xapian::Query& q, Xapian::docid did) {
  std::string out;
  for (auto t = q.get_unique_terms_begin(); t != q.get_unique_terms_end(); ++t) {
    const std::string term = *t;
    const Xapian::termcount wdf = wdf_of(db, did, term);
    if (wdf == 0) continue;
    std::string title_term;
    if (term.rfind("Z", 0) == 0)
      title_term = "Z" + std::string(bp::schema::kTitlePrefix) + term.substr(1);
    else
      title_term = std::string(bp::schema::kTitlePrefix) + term;
    const bool in_title = wdf_of(db, did, title_term) > 0;
    out += " " + term + "=" + std::to_string(wdf) + (in_title ? "T" : "") + "/df" +
           std::to_string(db.get_termfreq(term));
  }
  return out;
}

void explain_doc(const Xapian::Database& db, const bp::search::ParsedQuery& parsed, const Xapian::Query& full,
                 bool relaxed, double plain_weight, Xapian::docid did, const std::string& label) {
  if (did == 0) {  // a judged slug the index lacks (bp-relevance says so, with the line)
    std::cout << "    " << label << ": pratica non nell'indice\n";
    return;
  }
  const double total = weight_of(db, full, did);
  std::cout << "    " << label << " total " << std::fixed << std::setprecision(3) << total;
  if (relaxed && parsed.clauses.size() >= bp::search::kMinClausesToSaturate)
    std::cout << " saturated "
              << bp::search::saturate_clauses(db, {{did, total}}, QueryUnderstanding::relaxed_clauses(parsed)).front().weight;
  std::cout << " len " << db.get_doclength(did) << "\n";
  for (const auto& c : parsed.clauses) {
    const double w = weight_of(db, c.query, did);
    double pw = 0;
    if (relaxed && c.plain) pw = plain_weight * weight_of(db, *c.plain, did);
    if (w == 0 && pw == 0) {
      std::cout << "      [" << c.display << "] 0\n";
      continue;
    }
    std::cout << "      [" << c.display << "] " << w;
    if (pw > 0) std::cout << " + plain " << pw;
    std::cout << "\n";
    // One level down: the alternatives of an OR, or the node itself.
    std::vector<Xapian::Query> parts;
    if (c.query.get_type() == Xapian::Query::OP_OR)
      for (std::size_t i = 0; i < c.query.get_num_subqueries(); ++i) parts.push_back(c.query.get_subquery(i));
    else
      parts.push_back(c.query);
    for (const auto& p : parts) {
      const double pwt = weight_of(db, p, did);
      if (pwt == 0) continue;
      std::cout << "        " << std::setprecision(3) << pwt << "  " << shorten(p.get_description()) << "\n"
                << "           terms:" << terms_here(db, p, did) << "\n";
    }
  }
  if (relaxed && total >= QueryUnderstanding::kFullMatchBonus) std::cout << "      (+ full-match bonus)\n";
}

}  // namespace

int main(int argc, char** argv) try {
  fs::path index, content = "library-content", queries = "bench/relevance/queries.tsv";
  std::string kinds_arg;
  bool all = false;
  int top = 3;
  bp::cli::App app("Spiega il peso dei primi risultati per le query della collezione di rilevanza.",
                   "bp-relevance-explain");
  app.add_option("--index", index, "indice")->type_name("DIR")->required();
  app.add_option("--content", content, "biblioteca (taxonomy.yaml)")->type_name("DIR");
  app.add_option("--queries", queries, "collezione")->type_name("FILE");
  app.add_option("--kinds", kinds_arg, "tipi di query, separati da virgole (mai quelli tenuti da parte)")
      ->required();
  app.add_flag("--all", all, "anche le query riuscite");
  app.add_option("--top", top, "quanti primi risultati spiegare (3)");
  if (auto exit = bp::cli::parse(app, argc, argv)) return *exit;

  const std::optional<bp::Taxonomy> taxonomy = bp::relevance::load_taxonomy(content);
  if (!taxonomy) return bp::cli::kExitFailure;
  Xapian::Database db = bp::relevance::open_index(index);
  auto searcher = bp::Searcher::open(index, *taxonomy);
  if (!searcher.ok()) return bp::cli::kExitFailure;
  auto synonyms = bp::search::SynonymTable::of(*taxonomy, db);
  bp::Analyzer analyzer;

  for (const Judged& j : read_kinds(queries, split(kinds_arg, ','))) {
    bp::SearchRequest request;
    request.q = j.q;
    request.filters = j.filters;
    auto answer = (*searcher)->search(request);
    if (!answer.ok()) continue;
    std::vector<std::string> ranked;
    for (const auto& h : answer->results) ranked.push_back(h.practice.slug);
    std::size_t first_best = ranked.size();
    for (std::size_t i = 0; i < ranked.size(); ++i) {
      auto it = j.grades.find(ranked[i]);
      if (it != j.grades.end() && it->second == 2) {
        first_best = i;
        break;
      }
    }
    if (!all && first_best < 3) continue;

    // The query as the searcher builds it.
    QueryUnderstanding understanding(db, analyzer, *synonyms);
    bp::search::ParsedQuery parsed = understanding.parse(j.q);
    std::optional<Xapian::Query> filter;
    {
      std::vector<Xapian::Query> parts;
      for (const auto& facet : bp::schema::kFacets) {
        auto it = j.filters.find(std::string(facet.name));
        if (it == j.filters.end()) continue;
        std::vector<Xapian::Query> terms;
        for (const auto& v : it->second) terms.emplace_back(std::string(facet.prefix) + v);
        parts.emplace_back(Xapian::Query::OP_OR, terms.begin(), terms.end());
      }
      if (!parts.empty()) filter = Xapian::Query(Xapian::Query::OP_AND, parts.begin(), parts.end());
    }
    auto filtered = [&](const Xapian::Query& q) {
      return filter ? Xapian::Query(Xapian::Query::OP_FILTER, q, *filter) : q;
    };
    Xapian::Query text = QueryUnderstanding::combine(parsed);
    Xapian::doccount strict_count;
    {
      Xapian::Enquire e(db);
      e.set_query(filtered(text));
      strict_count = e.get_mset(0, 0, db.get_doccount()).get_matches_estimated();
    }
    bool relaxed = false;
    const double plain_weight = QueryUnderstanding::kPlainWordsWeight;
    const double strict_share = bp::search::best_weight_share(db, filtered(text));
    const bool weak_strict = parsed.clauses.size() >= 3 && strict_count >= 3 &&
                             strict_share < QueryUnderstanding::kWeakFullMatchShare;
    if (((parsed.clauses.size() >= 2 || (parsed.clauses.size() == 1 && parsed.clauses.front().plain)) &&
         strict_count < 3) || weak_strict) {
      relaxed = true;
      text = QueryUnderstanding::combine_any(parsed, !weak_strict);
    }
    const Xapian::Query full = filtered(text);

    std::cout << (first_best < 3 ? "HIT " : "MISS ") << j.kind << " \"" << j.q << "\" (line " << j.line << ")"
              << (relaxed ? (weak_strict ? " relaxed (weak full matches)" : " relaxed") : " strict") << " strict matches " << strict_count << " (best share " << std::setprecision(3) << strict_share << "), plain weight "
              << (relaxed ? plain_weight : 0.0) << "; best answer at "
              << (first_best < ranked.size() ? std::to_string(first_best + 1) : std::string(">10")) << "\n";
    for (const auto& [w, alts] : parsed.expanded) {
      std::cout << "  expanded " << w << ":";
      for (const auto& a : alts) std::cout << " " << a << ";";
      std::cout << "\n";
    }
    {
      // Sanity: the page of the rebuilt query is the searcher's.
      Xapian::Enquire e(db);
      e.set_query(full);
      e.set_weighting_scheme(bp::search::bm25_weight());
      const Xapian::MSet m = e.get_mset(0, bp::search::kSaturationWindow);
      std::vector<bp::search::RankedDoc> page;
      for (auto it = m.begin(); it != m.end(); ++it) page.push_back({*it, it.get_weight()});
      if (relaxed && parsed.clauses.size() >= bp::search::kMinClausesToSaturate)
        page = bp::search::saturate_clauses(db, std::move(page), QueryUnderstanding::relaxed_clauses(parsed));
      if (page.size() > 10) page.resize(10);
      std::size_t i = 0;
      bool same = page.size() == ranked.size() || ranked.size() == 10;
      for (; i < page.size() && i < ranked.size(); ++i) {
        if (docid_of(db, ranked[i]) != page[i].did) same = false;
      }
      if (!same) std::cout << "  (the rebuilt query ranks differently from the searcher)\n";
    }
    for (std::size_t i = 0; i < ranked.size() && i < static_cast<std::size_t>(top); ++i) {
      auto g = j.grades.find(ranked[i]);
      explain_doc(db, parsed, full, relaxed, plain_weight, docid_of(db, ranked[i]),
                  std::to_string(i + 1) + ". " + ranked[i] + " [" + std::to_string(g == j.grades.end() ? 0 : g->second) +
                      "]");
    }
    if (first_best >= static_cast<std::size_t>(top)) {
      std::string best;
      if (first_best < ranked.size()) best = ranked[first_best];
      else
        for (const auto& [slug, grade] : j.grades)
          if (grade == 2) {
            best = slug;
            break;
          }
      explain_doc(db, parsed, full, relaxed, plain_weight, docid_of(db, best),
                  "best " + (first_best < ranked.size() ? std::to_string(first_best + 1) : std::string(">10")) +
                      ". " + best);
    }
    std::cout << "\n";
  }
  return bp::cli::kExitOk;
} catch (const std::exception& e) {
  std::cerr << "bp-relevance-explain: errore: " << e.what() << "\n";
  return bp::cli::kExitFailure;
} catch (const Xapian::Error& e) {
  std::cerr << "bp-relevance-explain: errore dell'indice: " << e.get_description() << "\n";
  return bp::cli::kExitFailure;
}
