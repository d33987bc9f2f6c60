#include "practice_sections.h"

#include <map>

#include "bp/italian_date.h"
#include "bp/italian_number.h"
#include "bp/text.h"
#include "qr_svg.h"

namespace bp::server {
namespace {

using nlohmann::json;

std::string str(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int integer(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<int>() : 0;
}

// A text for a Mustache section: false when empty, so that no empty element
// or separator is printed.
json text_or_false(const std::string& s) { return s.empty() ? json(false) : json(s); }

json list(const json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_array() ? *it : json::array();
}

json labels(const Taxonomy& taxonomy, const std::string& vocabulary, const json& slugs) {
  json out = json::array();
  for (const auto& s : slugs)
    if (s.is_string()) out.push_back(taxonomy.label(vocabulary, s.get<std::string>()));
  return out;
}

// An address the page may link to: http(s) only (the engine already checked,
// this guards the page against an index written by an older version).
bool is_web_url(const std::string& url) {
  return url.starts_with("https://") || url.starts_with("http://");
}

}  // namespace

std::string italian_duration(int minutes) {
  if (minutes <= 0) return "";
  const int hours = minutes / 60, rest = minutes % 60;
  std::string out;
  if (hours > 0) out = std::to_string(hours) + (hours == 1 ? " ora" : " ore");
  if (rest > 0) out += (out.empty() ? "" : " e ") + std::to_string(rest) + (rest == 1 ? " minuto" : " minuti");
  return out;
}

LicenceInfo licence_info(const std::string& spdx) {
  static const std::map<std::string, LicenceInfo> k = {
      {"CC-BY-4.0", {"CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/deed.it"}},
      {"CC-BY-SA-4.0", {"CC BY-SA 4.0", "https://creativecommons.org/licenses/by-sa/4.0/deed.it"}},
      {"CC-BY-NC-4.0", {"CC BY-NC 4.0", "https://creativecommons.org/licenses/by-nc/4.0/deed.it"}},
      {"CC-BY-NC-SA-4.0", {"CC BY-NC-SA 4.0", "https://creativecommons.org/licenses/by-nc-sa/4.0/deed.it"}},
      {"CC-BY-ND-4.0", {"CC BY-ND 4.0", "https://creativecommons.org/licenses/by-nd/4.0/deed.it"}},
      {"CC-BY-NC-ND-4.0", {"CC BY-NC-ND 4.0", "https://creativecommons.org/licenses/by-nc-nd/4.0/deed.it"}},
      {"CC0-1.0", {"CC0 1.0", "https://creativecommons.org/publicdomain/zero/1.0/deed.it"}},
  };
  auto it = k.find(spdx);
  return it != k.end() ? it->second : LicenceInfo{spdx, ""};
}

json lesson_sheet_view(const json& metadata, const Taxonomy& taxonomy, int heading, const std::string& id_suffix) {
  auto it = metadata.find("didattica");
  if (it == metadata.end() || !it->is_object()) return false;
  const json& d = *it;
  json activities = json::array();
  for (const auto& a : list(d, "activities")) {
    if (!a.is_object()) continue;
    const std::string duration = italian_duration(integer(a, "duration_minutes"));
    activities.push_back({{"title", str(a, "title")},
                          {"description", text_or_false(str(a, "description"))},
                          {"duration", duration.empty() ? json(false) : json(duration)}});
  }
  json objectives = json::array();
  for (const auto& o : list(d, "objectives"))
    if (o.is_string()) objectives.push_back(o);
  const json levels = labels(taxonomy, "level", list(d, "levels"));
  const json subjects = labels(taxonomy, "subject", list(d, "subjects"));
  const std::string duration = italian_duration(integer(d, "duration_minutes"));
  return {{"sheet_h", std::to_string(heading)},
          {"sub_h", std::to_string(heading + 1)},
          {"item_h", std::to_string(heading + 2)},
          {"id_suffix", id_suffix},
          {"levels", levels},
          {"has_levels", !levels.empty()},
          {"subjects", subjects},
          {"has_subjects", !subjects.empty()},
          {"duration", duration.empty() ? json(false) : json(duration)},
          {"objectives", objectives},
          {"has_objectives", !objectives.empty()},
          {"activities", activities},
          {"has_activities", !activities.empty()}};
}

json case_file_view(const json& metadata, const Taxonomy& taxonomy, const std::string& url) {
  const std::string title = str(metadata, "title");
  const std::string organisation = str(metadata, "organisation");

  json figures = json::array();
  for (const auto& r : list(metadata, "results"))
    if (r.is_object() && !str(r, "value").empty())
      figures.push_back({{"value", italian_number(str(r, "value"))}, {"unit", text_or_false(str(r, "unit"))},
                         {"indicator", str(r, "indicator")}});

  static const std::map<std::string, std::string> kStatus = {{"in-corso", "In corso"}, {"concluso", "Concluso"}};
  const auto status = kStatus.find(str(metadata, "status"));

  json transferability = false;
  if (auto t = metadata.find("transferability"); t != metadata.end() && t->is_object()) {
    static const std::map<std::string, std::string> kLevel = {{"alta", "Alta"}, {"media", "Media"}, {"bassa", "Bassa"}};
    const auto level = kLevel.find(str(*t, "level"));
    const std::string notes = str(*t, "notes");
    if (level != kLevel.end())
      transferability = {{"level", level->second}, {"level_slug", level->first},
                         {"notes", notes.empty() ? json(false) : json(notes)}};
  }

  const std::string spdx = str(metadata, "license").empty() ? "CC-BY-4.0" : str(metadata, "license");
  const LicenceInfo licence = licence_info(spdx);
  const std::string attribution = "«" + title + "», " + (organisation.empty() ? "" : organisation + ", ") +
                                  "Buone Pratiche – Reti solidali e competenti, " + licence.name + ", " + url;

  json resources = json::array();
  for (const auto& r : list(metadata, "resources"))
    if (r.is_object() && is_web_url(str(r, "url")))
      resources.push_back({{"title", str(r, "title").empty() ? str(r, "url") : str(r, "title")}, {"url", str(r, "url")}});

  // The engine stores an e-mail only when the editors opted in to show it.
  json contacts = json::array();
  for (const auto& c : list(metadata, "contacts")) {
    if (!c.is_object()) continue;
    const std::string email = str(c, "email"), site = str(c, "url");
    json contact = {{"name", text_or_false(str(c, "name"))},
                    {"role", text_or_false(str(c, "role"))},
                    {"email", text_or_false(email)},
                    {"site", is_web_url(site) ? json(site) : json(false)}};
    if (!str(c, "name").empty() || !email.empty() || is_web_url(site)) contacts.push_back(std::move(contact));
  }

  json tags = json::array();
  for (const auto& t : list(metadata, "tags"))
    if (t.is_string() && !t.get<std::string>().empty())
      tags.push_back({{"text", t}, {"url", "/?q=" + text::form_encode(t.get<std::string>())}});

  std::string reviewed = str(metadata, "last_reviewed");
  if (reviewed.empty()) reviewed = str(metadata, "date");

  json cover = false;
  if (auto c = metadata.find("cover"); c != metadata.end() && c->is_object() && str(*c, "url").starts_with("/media/"))
    cover = {{"src", str(*c, "url")}, {"alt", str(*c, "alt")}};

  const std::string plain_words = str(metadata, "in_parole_semplici");
  // The first kShownQuestions in view; the rest behind «Altre N domande», so
  // that ten questions do not push the key figures and the story a phone's
  // screens down.
  constexpr std::size_t kShownQuestions = 3;
  json questions = json::array(), more_questions = json::array();
  for (const auto& q : list(metadata, "domande"))
    if (q.is_string() && !q.get<std::string>().empty())
      (questions.size() < kShownQuestions ? questions : more_questions).push_back(q);
  return {{"plain_words", plain_words.empty() ? json(false) : json(plain_words)},
          {"questions", questions},
          {"has_questions", !questions.empty()},
          {"more_questions", more_questions},
          {"more_questions_label", more_questions.size() == 1
                                       ? std::string("Un'altra domanda")
                                       : "Altre " + std::to_string(more_questions.size()) + " domande"},
          {"has_more_questions", !more_questions.empty()},
          {"key_figures", figures},
          {"has_key_figures", !figures.empty()},
          {"status", status != kStatus.end() ? json(status->second) : json(false)},
          {"transferability", transferability},
          {"licence", {{"name", licence.name}, {"url", licence.deed_url.empty() ? json(false) : json(licence.deed_url)}}},
          {"attribution", attribution},
          {"resources", resources},
          {"has_resources", !resources.empty()},
          {"contacts", contacts},
          {"has_contacts", !contacts.empty()},
          {"tags", tags},
          {"has_tags", !tags.empty()},
          {"reviewed", reviewed.empty() ? json(false) : json(italian_date(reviewed))},
          {"cover", cover},
          {"lesson_sheet", lesson_sheet_view(metadata, taxonomy)},
          {"qr_svg", qr_svg(url, "Codice QR dell'indirizzo di questa pagina: " + url)}};
}

}  // namespace bp::server
