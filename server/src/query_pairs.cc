#include "query_pairs.h"

#include <httplib.h>

namespace bp::server {

void append_query_pairs(std::string_view text, QueryPairs* out) {
  std::size_t start = 0;
  while (start <= text.size()) {
    std::size_t end = text.find('&', start);
    if (end == std::string_view::npos) end = text.size();
    const std::string pair(text.substr(start, end - start));
    if (!pair.empty()) {
      const std::size_t eq = pair.find('=');
      out->emplace_back(httplib::detail::decode_url(pair.substr(0, eq), true),
                        eq == std::string::npos ? "" : httplib::detail::decode_url(pair.substr(eq + 1), true));
    }
    start = end + 1;
  }
}

QueryPairs target_query_pairs(std::string_view target) {
  QueryPairs out;
  if (const auto q = target.find('?'); q != std::string_view::npos) append_query_pairs(target.substr(q + 1), &out);
  return out;
}

}  // namespace bp::server
