// The set of documents a query matches, without ranking, for counting.
#pragma once

#include <xapian.h>

#include "search_docset.h"

namespace bp::search {

// The documents of `db` that `query` matches, as a DocSet over 1..last
// (`last` at least db.get_lastdocid()). May throw Xapian::Error.
DocSet match_set(const Xapian::Database& db, const Xapian::Query& query, Xapian::docid last);

}  // namespace bp::search
