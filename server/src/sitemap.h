// Sitemaps (sitemaps.org/protocol.html): every practice page with its
// lastmod and the public pages; past kSitemapMaxUrls URLs, /sitemap.xml is
// a sitemap index of /sitemap-N.xml files.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

namespace bp::server {

inline constexpr std::size_t kSitemapMaxUrls = 50000;

struct SitemapUrl {
  std::string loc;      // absolute
  std::string lastmod;  // W3C datetime, or ""
};

// One <urlset> of `urls` (at most kSitemapMaxUrls: the caller splits).
std::string sitemap_xml(const std::vector<SitemapUrl>& urls);

// A <sitemapindex> listing base_url + "/sitemap-1.xml" … "/sitemap-<parts>.xml".
std::string sitemap_index_xml(const std::string& base_url, std::size_t parts, const std::string& lastmod);

}  // namespace bp::server
