// The set of documents a query matches, without ranking, for counting.
#pragma once

#include <xapian.h>

#include "search_docset.h"
#include "search_term_sets.h"

namespace bp::search {

// The documents of `db` that `query` matches, as a DocSet over 1..last
// (`last` at least db.get_lastdocid()): the query tree evaluated on
// bitmaps of the posting lists, Xapian's matcher only for what needs
// positions or values, restricted to the documents still in question.
// `cache`, when given, must be the one of `db` (TermCache::of): the
// sets of frequent terms are taken from it and added to it. May throw
// Xapian::Error.
DocSet match_set(const Xapian::Database& db, const Xapian::Query& query, Xapian::docid last,
                 const TermCache* cache = nullptr);

}  // namespace bp::search
