#include "search_analytics.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string_view>

#include "bp/query_tally.h"
#include "bp/site/respond.h"
#include "html_pages.h"
#include "search_page.h"

namespace bp::server {
namespace {

bool contains_lower(std::string_view haystack_lower, std::string_view needle) {
  return haystack_lower.find(needle) != std::string_view::npos;
}

}  // namespace

bool is_automated(const httplib::Request& req) {
  const std::string purpose = req.get_header_value("Sec-Purpose") + req.get_header_value("Purpose");
  if (purpose.find("prefetch") != std::string::npos) return true;
  std::string ua = req.get_header_value("User-Agent");
  if (!ua.starts_with("Mozilla/")) return true;
  std::transform(ua.begin(), ua.end(), ua.begin(), [](unsigned char c) { return std::tolower(c); });
  // Crawlers, link previewers and scripted browsers: enough of the common
  // markers without a list that needs keeping up to date.
  static constexpr std::array<std::string_view, 10> kMarkers = {
      "bot", "crawl", "spider", "slurp", "preview", "facebookexternalhit", "headless", "lighthouse",
      "validator", "archiver"};
  return std::any_of(kMarkers.begin(), kMarkers.end(), [&](std::string_view m) { return contains_lower(ua, m); });
}

void count_search(Server::Impl& s, const httplib::Request& req, const SearchRequest& request,
                  const SearchResponse& answer) {
  if (!s.tally || request.q.empty() || request.page != 1) return;
  if (site::is_api_path(req.path) && req.get_param_value("analytics") != "1") return;
  if (req.get_param_value("anteprima") == "1") return;
  if (is_automated(req)) return;
  std::vector<std::pair<std::string, std::string>> filters;
  for (const char* facet : {"hub", "theme"})
    if (auto it = request.filters.find(facet); it != request.filters.end())
      for (const auto& value : it->second) filters.emplace_back(facet, value);
  s.tally->record_search(request.q, static_cast<std::int64_t>(answer.total), filters);
}

std::string result_link(const std::string& q, int position, const std::string& slug) {
  if (q.empty()) return "/pratiche/" + slug;
  SearchPageState state;
  state.q = q;
  return "/vai/" + std::to_string(position) + "/" + slug + search_query_string(state);
}

void get_result_click(Server::Impl& s, const httplib::Request& req, httplib::Response& res) {
  const int position = std::stoi(req.matches[1]);
  const std::string slug = req.matches[2];
  Searcher* searcher = s.searchers.acquire();
  if (!searcher) {
    // The index is away: the practice page will say so; never lose the link.
    res.status = 303;
    res.set_header("Location", "/pratiche/" + slug);
    return;
  }
  auto page = searcher->practice(slug);
  if (!page.ok() && page.status().code() == Code::kNotFound) {
    site::send_html(res, 404, render_error_page(s.pages, 404), "no-store");
    return;
  }
  if (s.tally && position >= 1 && !is_automated(req)) s.tally->record_click(req.get_param_value("q"), position);
  res.status = 303;
  res.set_header("Location", "/pratiche/" + slug);
  res.set_header("Cache-Control", "no-store");  // every click reaches the server
  res.set_header("X-Robots-Tag", "noindex, nofollow");
}

}  // namespace bp::server
