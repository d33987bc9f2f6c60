#include "search_query_memo.h"

#include "search_revision_cache.h"

namespace bp::search {

std::shared_ptr<const QueryMemo> QueryMemo::of(const Xapian::Database& db) {
  static RevisionCache<QueryMemo> memos;
  const Xapian::rev revision = db.get_revision();
  return memos.get(revision_key(db), [&] { return std::make_shared<const QueryMemo>(revision); });
}

}  // namespace bp::search
