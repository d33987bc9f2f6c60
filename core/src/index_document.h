// Turning one Practice into the Xapian::Document the index holds (terms,
// values and data as schema.h fixes them), and the taxonomy's synonyms into
// the synonym table. Used by the index builder; exposed for its tests.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>
#include <xapian.h>

#include "analyzer.h"
#include "bp/practice.h"
#include "bp/taxonomy.h"

namespace bp {

struct MadeDocument {
  Xapian::Document document;
  std::string id_term;  // "Q" + slug
  // Distinct unprefixed word terms of the document (folded, lower-case, not
  // starting with a digit), for the spelling table.
  std::vector<std::string> spelling_words;
  // Folded word -> written lower-case form, for words with accents in the
  // title, summary, headings and body (schema::kMetaWordPrefix).
  std::unordered_map<std::string, std::string> display_forms;
};

// Builds the document of `practice` with `analyzer` (one per thread).
// `stat` goes in kSlotStat ("<mtime_ns>:<size>"), `hash` in kSlotHash.
//
// Text, folded, with positions and wdf increments: title x6 (and under the
// "S" prefix), summary x3, the plain-words description `in_parole_semplici`
// (when given; unprefixed, with the summary's words) x1, section headings x2, tags, city and organisation
// x2, body text x1, the Italian labels of hub, region, themes and dimensions
// x1, teaching block, results, resources and transferability notes x1.
// Fields are separated by a position gap (no phrase spans two fields).
// Boolean terms: Q<slug> and one per facet value (schema.h prefixes).
// Values: schema.h slots; multi-valued facets joined by kFacetSeparator.
// Data: none. kSlotResult: the result record (search_document.h: the
// summary, the plain body text and its words for snippets). kSlotPage: the page data, a JSON object
// with every front-matter field under its YAML name (always present: "" /
// [] / null when not given; "year" is null when 0; "transferability" is
// {"level","notes"} or null; "cover" is {"src","alt","url"} with the /media
// URL, or null), plus "slug", "path", "body_html" and "headings" (H2/H3
// texts).
MadeDocument make_document(const Practice& practice, const Taxonomy& taxonomy,
                           Analyzer& analyzer, const std::string& stat,
                           const std::string& hash);

// The folder of a case file relative to the practices/ folder, which /media/
// serves ("nord" for "practices/nord/x.md", "nord/piemonte" for
// "practices/nord/piemonte/x.md"), as render_markdown() wants it: the body's
// "x/foto.jpg" becomes "/media/nord/x/foto.jpg".
std::string media_dir_of(std::string_view relative_path);

// One synonym entry: key -> value, both as the QueryParser looks them up.
struct SynonymPair {
  std::string key;
  std::string value;
};

// The synonym table built from `taxonomy.synonyms()`:
//  * words and phrases are folded and lower-cased (text::fold_lower), and
//    split as the TermGenerator splits them, words joined by one space
//    ("gruppi d'acquisto" -> "gruppi d acquisto"): the keys
//    FLAG_AUTO_MULTIWORD_SYNONYMS looks up;
//  * a theme's group (its label first, then its synonyms) is a star: label
//    <-> each synonym, both ways; the synonyms of a theme are loose
//    associations ("bici", "trasporto pubblico") and not synonyms of each
//    other. A free group from `synonyms:` links every pair both ways;
//  * for a single-word member its stemmed term "Z"+stem is added as a value
//    next to the word itself, and its stemmed form is also a key (with the
//    stemmed forms of the single-word partners and the phrases as values),
//    because the QueryParser looks up "Z"+stem when the plain word has no
//    entry. Phrase values are stored as text ("gruppo di acquisto solidale"):
//    the QueryParser cannot use them as terms, a searcher should turn them
//    into phrase queries.
// Sorted and without duplicates or self-pairs.
std::vector<SynonymPair> synonym_pairs(const Taxonomy& taxonomy, Analyzer& analyzer);

}  // namespace bp
