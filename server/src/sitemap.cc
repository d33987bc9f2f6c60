#include "sitemap.h"

#include "xml_writer.h"

namespace bp::server {

std::string sitemap_xml(const std::vector<SitemapUrl>& urls) {
  XmlWriter xml;
  xml.open("urlset", {{"xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"}});
  for (const auto& u : urls) {
    xml.open("url");
    xml.leaf("loc", u.loc);
    if (!u.lastmod.empty()) xml.leaf("lastmod", u.lastmod);
    xml.close();
  }
  return xml.finish();
}

std::string sitemap_index_xml(const std::string& base_url, std::size_t parts, const std::string& lastmod) {
  XmlWriter xml;
  xml.open("sitemapindex", {{"xmlns", "http://www.sitemaps.org/schemas/sitemap/0.9"}});
  for (std::size_t i = 1; i <= parts; ++i) {
    xml.open("sitemap");
    xml.leaf("loc", base_url + "/sitemap-" + std::to_string(i) + ".xml");
    if (!lastmod.empty()) xml.leaf("lastmod", lastmod);
    xml.close();
  }
  return xml.finish();
}

}  // namespace bp::server
