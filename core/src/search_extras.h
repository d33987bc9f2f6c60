// The lookups around search: completions while typing, related practices,
// whole-index facet counts.
#pragma once

#include <string>
#include <vector>
#include <xapian.h>

#include "analyzer.h"
#include "bp/search.h"

namespace bp::search {

// Titles whose words start with the typed words (kind "title"), then
// frequent words of the index that complete the last one (kind "term").
// May throw Xapian::Error.
std::vector<Suggestion> suggestions(const Xapian::Database& db, Analyzer& analyzer,
                                    const std::string& prefix, int limit);

// Up to `limit` practices like `docid` (more-like-this over its most
// telling stems, with a bonus for each theme in common). May throw
// Xapian::Error.
std::vector<PracticeSummary> related_practices(const Xapian::Database& db, Xapian::docid docid,
                                               const std::vector<std::string>& themes,
                                               const std::string& slug, int limit);

// Documents per facet value over the whole index, from the filter terms'
// frequencies (exact, and no document is read). May throw Xapian::Error.
FacetCounts whole_index_counts(const Xapian::Database& db);

// The written form of a folded index word ("citta" -> "città"), as the
// builder recorded it (schema::kMetaWordPrefix); the word itself otherwise.
std::string written_form(const Xapian::Database& db, const std::string& folded_word);

}  // namespace bp::search
