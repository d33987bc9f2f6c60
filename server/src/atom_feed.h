// Atom 1.0 feeds (RFC 4287) of new and updated practices, optionally
// filtered like /api/search: /feed.xml?theme=…&hub=….
#pragma once

#include <chrono>
#include <string>

#include "bp/search.h"
#include "bp/taxonomy.h"

namespace bp::server {

// At most this many entries, most recently added or changed first.
inline constexpr int kFeedEntries = 50;

struct FeedRequest {
  std::string base_url;  // absolute site root, no trailing slash
  std::string query;     // the request's query string ("theme=x&hub=y"), canonical order, or ""
  std::string filters_label;  // the filters in words, for the title ("Economia circolare, Nord"), or ""
};

// The feed: id and rel="self" are the feed's own URL (with its query), the
// alternate link the search page with the same filters; each entry has id
// (the page's URL, permanent), title, updated (the record's datestamp),
// published (the sheet's date), author (the organisation), summary,
// categories (themes, hub, region with their labels) and an alternate link.
// `now` is the feed's updated when it has no entries.
std::string atom_feed(const SearchResponse& answer, const FeedRequest& request, const Taxonomy& taxonomy,
                      std::chrono::system_clock::time_point now);

}  // namespace bp::server
