// What people search, counted for the editors (issue 17, item 7; the store
// and the report are the registration module's, the tally is
// bp/query_tally.h). Only people are counted: a request counts when it
// comes from a browser (User-Agent "Mozilla/…") that is not a known crawler
// or link previewer, and is not a prefetch. Nothing of the request but the
// query, the answer's total and the hub/theme filters reaches the tally: no
// address, no user agent, no cookie is kept or set.
#pragma once

#include <httplib.h>

#include <string>

#include "bp/search.h"
#include "server_impl.h"

namespace bp::server {

// Whether `req` looks automated: no browser User-Agent, a crawler's or a
// link previewer's, or a prefetch (Sec-Purpose / Purpose: prefetch).
bool is_automated(const httplib::Request& req);

// Counts `answer` as a search a person saw, when the server has a tally, the
// query is not empty, the page is the first and is_automated() is false.
// The search page (GET /) counts unless anteprima=1, the editors' look at
// a query from their report (/staff/ricerche), which must not add to it;
// /api/search only with analytics=1, which the front end sends for
// deliberate searches (not for every pause while typing).
void count_search(Server::Impl& s, const httplib::Request& req, const SearchRequest& request,
                  const SearchResponse& answer);

// The link of the result at 1-based `position` of a search for `q`: the
// counting redirect /vai/{position}/{slug}?q=… when `q` is not empty, else
// the practice page itself.
std::string result_link(const std::string& q, int position, const std::string& slug);

// GET /vai/{position}/{slug}?q=…: counts a click on the result at
// `position` (unless is_automated()) and answers 303 to /pratiche/{slug};
// 404 for an unknown practice, so the route never sends anyone elsewhere.
// Answers carry no-store and X-Robots-Tag: noindex, nofollow.
void get_result_click(Server::Impl& s, const httplib::Request& req, httplib::Response& res);

}  // namespace bp::server
