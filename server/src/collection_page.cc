#include "collection_page.h"

#include <set>

#include "bp/text.h"
#include "html_pages.h"
#include "practice_sections.h"
#include "qr_svg.h"

namespace bp::server {
namespace {

bool is_slug(const std::string& s) {
  if (s.empty() || s.size() > 200) return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return true;
}

// At most `limit` characters (code points, as the editor counts them: 120
// accented letters are 240 bytes), cut with "…"; "" when not UTF-8.
std::string clean_text(const std::string& s, std::size_t limit) {
  if (!text::is_valid_utf8(s)) return "";
  std::size_t at = 0;
  for (std::size_t chars = 0; at < s.size() && chars < limit; ++chars) {
    ++at;
    while (at < s.size() && (static_cast<unsigned char>(s[at]) & 0xC0) == 0x80) ++at;
  }
  return at >= s.size() ? s : s.substr(0, at) + "…";
}

}  // namespace

Collection parse_collection(const QueryPairs& pairs) {
  Collection out;
  std::set<std::string> seen;
  // Each note belongs to the `p` before it; a `p` without one has none.
  std::vector<std::string> slugs, notes;
  bool title_seen = false;
  for (const auto& [key, value] : pairs) {
    if (key == "titolo" && !title_seen) {
      out.title = clean_text(value, kMaxCollectionTitleChars);
      title_seen = true;
    } else if (key == "p") {
      slugs.push_back(value);
      notes.emplace_back();
    } else if (key == "n" && !notes.empty()) {
      notes.back() = value;
    }
  }
  for (std::size_t i = 0; i < slugs.size() && out.items.size() < kMaxCollectionItems; ++i) {
    if (!is_slug(slugs[i]) || !seen.insert(slugs[i]).second) continue;
    out.items.push_back({slugs[i], clean_text(notes[i], kMaxCollectionNoteChars)});
  }
  return out;
}

std::string collection_link(const Collection& collection) {
  std::string link = "/raccolta?";
  if (!collection.title.empty()) link += "titolo=" + text::form_encode(collection.title) + "&";
  for (const auto& item : collection.items) link += "p=" + item.slug + "&n=" + text::form_encode(item.note) + "&";
  link.pop_back();
  return link;
}

nlohmann::json collection_view(const Collection& collection, Searcher* searcher, const Taxonomy& taxonomy,
                               const std::string& base_url) {
  using nlohmann::json;
  json practices = json::array(), contents = json::array(), missing = json::array();
  for (const auto& item : collection.items) {
    auto page = searcher ? searcher->practice(item.slug) : Result<PracticePage>(Status::not_found(item.slug));
    if (!page.ok()) {
      missing.push_back(item.slug);
      continue;
    }
    json v = practice_view(*page, taxonomy, base_url);
    const std::string n = std::to_string(practices.size() + 1);
    // Under the practice's <h2>: the sheet is an <h3>, with its own id.
    const json metadata = json::parse(page->json, nullptr, false);
    if (metadata.is_object()) v["lesson_sheet"] = lesson_sheet_view(metadata, taxonomy, 3, "-" + n);
    const json note = item.note.empty() ? json(false) : json(item.note);
    contents.push_back({{"n", n}, {"title", v["title"]}, {"note", note}, {"anchor", "pratica-" + n}});
    practices.push_back({{"n", n},
                         {"anchor", "pratica-" + n},
                         {"slug", item.slug},
                         {"title", v["title"]},
                         {"summary", v["summary"]},
                         {"url", v["url"]},
                         {"note", note},
                         {"lesson_sheet", v["lesson_sheet"]},
                         {"attribution", v["attribution"]},
                         {"qr_svg", v["qr_svg"]}});
  }
  const std::string link = base_url + collection_link(collection);
  const std::string title = collection.title.empty() ? "Raccolta di buone pratiche" : collection.title;
  return {{"title", title},
          {"shared", !collection.items.empty()},
          {"contents", contents},
          {"practices", practices},
          {"has_practices", !practices.empty()},
          {"missing", missing},
          {"has_missing", !missing.empty()},
          {"link", link},
          {"qr_svg", collection.items.empty() ? std::string() : qr_svg(link, "Codice QR del link a questa raccolta")}};
}

}  // namespace bp::server
