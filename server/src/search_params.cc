#include "search_params.h"

#include <charconv>
#include <optional>

#include "bp/text.h"

namespace bp::server {
namespace {

ApiError bad(std::string code, std::string message) {
  return ApiError{400, std::move(code), std::move(message)};
}

// A base-10 integer with nothing around it ("+1", " 1", "1.0" and "" fail).
std::optional<int> parse_int(const std::string& s) {
  int value = 0;
  const char* end = s.data() + s.size();
  auto [ptr, ec] = std::from_chars(s.data(), end, value);
  if (s.empty() || ec != std::errc() || ptr != end) return std::nullopt;
  return value;
}

const std::string* last_value(const Params& params, const std::string& key) {
  auto [begin, end] = params.equal_range(key);
  if (begin == end) return nullptr;
  return &std::prev(end)->second;
}

std::optional<ApiError> parse_query(const Params& params, std::string* q) {
  // The value the pages read and show (Params::find, as httplib's
  // get_param_value), when a link repeats q.
  const auto it = params.find("q");
  if (it == params.end()) return std::nullopt;
  const std::string* value = &it->second;
  const auto too_long = [] {
    return bad("query_too_long", "La ricerca è troppo lunga: accorciala a qualche parola (al massimo " +
                                     std::to_string(kMaxQueryChars) + " caratteri).");
  };
  // The limit is on the words, as the search box keeps them: a paste with
  // line breaks or runs of spaces is not refused for its spaces. The raw
  // value is bounded too (httplib's request line already is, 8 KiB).
  if (value->size() > 4 * kMaxQueryBytes) return too_long();
  if (!text::is_valid_utf8(*value)) return bad("invalid_encoding", "La ricerca contiene caratteri non validi (UTF-8).");
  *q = query_text(*value);
  if (q->size() > kMaxQueryBytes || text::code_points(*q) > kMaxQueryChars) return too_long();
  return std::nullopt;
}

}  // namespace

bool is_facet_value(const std::string& facet, const std::string& value) {
  if (value.size() > kMaxFacetValueBytes || !text::is_valid_utf8(value)) return false;
  return !(facet == "sdg" || facet == "year") || parse_int(value).has_value();
}

std::string query_text(std::string q) {
  std::string out;
  out.reserve(q.size());
  for (char c : q) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  return out;
}

std::variant<SearchRequest, ApiError> parse_search_params(const Params& params) {
  SearchRequest request;
  if (auto error = parse_query(params, &request.q)) return *error;

  std::size_t filter_values = 0;
  for (const auto& facet : facet_names()) filter_values += params.count(facet);
  if (filter_values > kMaxFilterValues)
    return bad("too_many_filters", "Troppi filtri insieme: al massimo " + std::to_string(kMaxFilterValues) + ".");
  for (const auto& facet : facet_names()) {
    auto [begin, end] = params.equal_range(facet);
    for (auto it = begin; it != end; ++it) {
      const std::string& value = it->second;
      // An empty value is no filter, as the form's «tutti» sends it (the
      // page ignored it, the search matched nothing and said «controlla
      // come hai scritto le parole»).
      if (value.empty()) continue;
      if (!is_facet_value(facet, value))
        return bad("invalid_" + facet, facet == "sdg" || facet == "year"
                                           ? "Il filtro '" + facet + "' deve essere un numero intero."
                                           : "Valore non valido per il filtro '" + facet + "'.");
      request.filters[facet].push_back(value);
    }
  }

  for (const char* key : {"year_from", "year_to"}) {
    if (const std::string* value = last_value(params, key)) {
      auto year = parse_int(*value);
      if (!year)
        return bad(std::string("invalid_") + key,
                   std::string("Il parametro '") + key + "' deve essere un anno (numero intero).");
      (std::string(key) == "year_from" ? request.year_from : request.year_to) = *year;
    }
  }

  if (const std::string* value = last_value(params, "duration_max"); value && !value->empty()) {
    auto minutes = parse_int(*value);
    if (!minutes || *minutes < 1)
      return bad("invalid_duration_max",
                 "Il parametro 'duration_max' deve essere una durata in minuti (intero positivo).");
    request.duration_max = *minutes;
  }

  if (const std::string* sort = last_value(params, "sort")) {
    if (*sort == "relevance" || sort->empty()) request.sort = SortOrder::kRelevance;
    else if (*sort == "date") request.sort = SortOrder::kDate;
    else if (*sort == "title") request.sort = SortOrder::kTitle;
    else return bad("invalid_sort", "Ordinamento sconosciuto: usa relevance, date o title.");
  }

  if (const std::string* page = last_value(params, "page")) {
    auto n = parse_int(*page);
    if (!n || *n < 1)
      return bad("invalid_page", "Il parametro 'page' deve essere un intero positivo.");
    if (*n > kMaxPage)
      return bad("invalid_page", "Il parametro 'page' può arrivare al massimo a " +
                                     std::to_string(kMaxPage) + ".");
    request.page = *n;
  }

  if (const std::string* per_page = last_value(params, "per_page")) {
    auto n = parse_int(*per_page);
    if (!n || *n < 1 || *n > 100)
      return bad("invalid_per_page", "Il parametro 'per_page' deve essere un intero da 1 a 100.");
    request.per_page = *n;
  }
  return request;
}

std::variant<std::string, ApiError> parse_suggest_params(const Params& params) {
  std::string q;
  if (auto error = parse_query(params, &q)) return *error;
  return q;
}

std::variant<SearchRequest, ApiError> lenient_search_params(Params params) {
  // A filter's value the API would refuse goes alone, its facet's other
  // values stay (as the page shows them: search_page_state).
  for (const auto& facet : facet_names()) {
    auto [begin, end] = params.equal_range(facet);
    for (auto it = begin; it != end;) it = is_facet_value(facet, it->second) ? std::next(it) : params.erase(it);
  }
  for (;;) {
    auto parsed = parse_search_params(params);
    const auto* bad = std::get_if<ApiError>(&parsed);
    if (!bad || bad->code.rfind("invalid_", 0) != 0 || bad->code == "invalid_encoding") return parsed;
    const std::string key = bad->code.substr(std::string("invalid_").size());
    if (key == "q" || params.erase(key) == 0) return parsed;
  }
}

}  // namespace bp::server
