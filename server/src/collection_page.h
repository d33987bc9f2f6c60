// A teacher's collection of practices, shared as a link that carries it
// whole (no server state, no account, no personal data):
//   /raccolta?titolo=Acqua+e+rifiuti&p=slug-a&n=nota+per+a&p=slug-b&n=
// `p` gives the practices in order and `n` the note of the `p` just before
// it (read from the query as sent: query_pairs.h). The page is rendered
// here, so it opens and prints without JavaScript: a cover with the title
// and the notes, then each practice's summary and lesson sheet.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "bp/search.h"
#include "bp/taxonomy.h"
#include "query_pairs.h"

namespace bp::server {

inline constexpr std::size_t kMaxCollectionItems = 30;
// Characters, as web/js/collections.js counts them (MAX_TITLE, MAX_NOTE).
inline constexpr std::size_t kMaxCollectionTitleChars = 120;
inline constexpr std::size_t kMaxCollectionNoteChars = 500;

struct CollectionItem {
  std::string slug;
  std::string note;
};

struct Collection {
  std::string title;  // "" = untitled
  std::vector<CollectionItem> items;
};

// The collection a link describes. Slugs that cannot be practices' slugs
// and repeated slugs are dropped, texts that are not UTF-8 emptied, long
// texts cut, items past kMaxCollectionItems ignored: a shared link never
// fails, it shows what it can.
Collection parse_collection(const QueryPairs& pairs);

// The share link's path and query for `collection` ("/raccolta?..."),
// as web/js/collections.js writes it.
std::string collection_link(const Collection& collection);

// The view of web/templates/collection.mustache: the cover (title, the
// numbered list with notes, the share link and its QR code) and each
// practice found through `searcher` (summary, note, lesson sheet,
// attribution, address); slugs the index does not know are listed as no
// longer available. `searcher` may be null (no index): every practice is
// then missing.
nlohmann::json collection_view(const Collection& collection, Searcher* searcher, const Taxonomy& taxonomy,
                               const std::string& base_url);

}  // namespace bp::server
