#include "proposal_input.h"

#include <algorithm>
#include <cstring>

#include "bp/italian_number.h"
#include "bp/text.h"
#include "desk.h"

namespace bp::registration {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxRows = 20;
constexpr std::size_t kMaxProposerText = 200;

// A section's text as the case file can hold it:
// - a word processor's bullets at the start of a line ("• pochi spazi
//   verdi") as Markdown's list items ("- pochi spazi verdi"): a list on
//   the page, not one paragraph with dots;
// - a heading typed or pasted as Markdown ("## I risultati") as a bold
//   line ("**I risultati**"): in the case file a heading starts a section
//   of its own, which would split this one under a title nobody chose.
std::string section_text(const std::string& text) {
  static const char* const kBullets[] = {"\xE2\x80\xA2", "\xE2\x97\xA6", "\xE2\x96\xAA", "\xE2\x97\x8F",
                                         "\xEF\x82\xB7"};  // • ◦ ▪ ● and Word's Symbol bullet
  std::string out;
  for (std::size_t start = 0; start < text.size();) {
    std::size_t nl = text.find('\n', start);
    nl = nl == std::string::npos ? text.size() : nl + 1;
    std::string line = text.substr(start, nl - start);
    const std::size_t lead = line.find_first_not_of(" \t");
    for (const char* b : kBullets)
      if (lead != std::string::npos && line.compare(lead, std::strlen(b), b) == 0) {
        std::size_t rest = lead + std::strlen(b);
        while (rest < line.size() && (line[rest] == ' ' || line[rest] == '\t')) ++rest;
        line = "- " + line.substr(rest);
        break;
      }
    // "– " (a word processor's "- " as it autocorrects it): a list item; a
    // dash without a space after it ("–20%") stays.
    static const std::string kDash = "\xE2\x80\x93";  // –
    if (lead != std::string::npos && line.compare(lead, kDash.size(), kDash) == 0 &&
        lead + kDash.size() < line.size() && (line[lead + kDash.size()] == ' ' || line[lead + kDash.size()] == '\t')) {
      std::size_t rest = lead + kDash.size();
      while (rest < line.size() && (line[rest] == ' ' || line[rest] == '\t')) ++rest;
      line = "- " + line.substr(rest);
    }
    // CommonMark's ATX heading: up to 3 spaces, 1 to 6 '#', then a space
    // or the end of the line.
    std::size_t hashes = lead == std::string::npos || lead > 3 ? 0 : line.find_first_not_of('#', lead) - lead;
    if (hashes >= 1 && hashes <= 6) {
      const std::size_t after = lead + hashes;
      if (after >= line.size() || line[after] == ' ' || line[after] == '\t' || line[after] == '\n' ||
          line[after] == '\r') {
        const bool newline = !line.empty() && line.back() == '\n';
        std::string title = text::trim(line.substr(after));
        // A closing sequence of '#' ("## Titolo ##") is not part of the title.
        while (!title.empty() && title.back() == '#') title.pop_back();
        title = text::trim(title);
        line = (title.empty() ? std::string() : "**" + title + "**") + (newline ? "\n" : "");
      }
    }
    out += line;
    start = nl;
  }
  return out;
}

class Reader {
 public:
  Reader(const json& body, ProposalInput* out) : body_(body), out_(out) {}

  // A text: a string, or a number written as text ("2022"); "" when absent.
  // Without the invisible marks of pasted text (without_pasted_marks).
  std::string text(const json& v, const std::string& field) {
    if (v.is_null()) return "";
    if (v.is_string()) return without_pasted_marks(v.get<std::string>());
    if (v.is_number_integer()) return std::to_string(v.get<long long>());
    if (v.is_number()) return v.dump();
    error(field, "'" + field + "' deve essere un testo");
    return "";
  }
  std::string text(const std::string& key) {
    const std::string v = text(value(key), key);
    if (!v.empty()) out_->fields[key] = v;
    return v;
  }

  std::vector<std::string> list(const std::string& key) {
    std::vector<std::string> out;
    const json& v = value(key);
    if (v.is_null()) return out;
    if (!v.is_array()) {
      if (v.is_string() || v.is_number()) out.push_back(text(v, key));
      else error(key, "'" + key + "' deve essere una lista, per esempio [\"sociale\"]");
    } else {
      for (const auto& item : v) {
        if (item.is_string() || item.is_number()) {
          out.push_back(text(item, key));
        } else {
          error(key, "'" + key + "': ogni voce deve essere un testo");
          return {};
        }
      }
    }
    if (!out.empty()) out_->fields[key] = out;
    return out;
  }

  // A list of texts given as a list, or as one text with an item per line
  // (a textarea); blank lines dropped. At most kMaxRows (the checker then
  // says how many it takes); more is refused whole, with one message
  // (what was typed stays in the form).
  std::vector<std::string> lines(const std::string& key) {
    const json& v = value(key);
    const auto capped = [&](std::vector<std::string> out) {
      if (out.size() <= kMaxRows) return out;
      error(key, "'" + key + "': al massimo " + std::to_string(kMaxRows) + " righe");
      return std::vector<std::string>{};
    };
    if (!v.is_string()) return capped(list(key));
    std::vector<std::string> out;
    const std::string text = without_pasted_marks(v.get<std::string>());
    for (std::size_t start = 0; start <= text.size();) {
      std::size_t nl = text.find('\n', start);
      if (nl == std::string::npos) nl = text.size();
      std::string line = text.substr(start, nl - start);
      const auto b = line.find_first_not_of(" \t\r");
      const auto e = line.find_last_not_of(" \t\r");
      if (b != std::string::npos) out.push_back(line.substr(b, e - b + 1));
      start = nl + 1;
    }
    if (!out.empty()) out_->fields[key] = out;
    return capped(std::move(out));
  }

  // A list of objects with text members `keys` (blank rows dropped).
  std::vector<std::vector<std::string>> rows(const std::string& key, const std::vector<std::string>& keys) {
    std::vector<std::vector<std::string>> out;
    const json& v = value(key);
    if (v.is_null()) return out;
    if (!v.is_array() || v.size() > kMaxRows) {
      error(key, "'" + key + "' deve essere una lista di al massimo " + std::to_string(kMaxRows) + " voci");
      return out;
    }
    json kept = json::array();
    for (const auto& item : v) {
      if (!item.is_object()) {
        error(key, "'" + key + "': ogni voce deve avere i campi " + join(keys));
        return {};
      }
      std::vector<std::string> row;
      json stored = json::object();
      bool any = false;
      for (const auto& k : keys) {
        row.push_back(text(item.contains(k) ? item[k] : json(), key + "." + k));
        stored[k] = row.back();
        any = any || row.back().find_first_not_of(" \t") != std::string::npos;
      }
      if (!any) continue;
      out.push_back(std::move(row));
      kept.push_back(std::move(stored));
    }
    if (!kept.empty()) out_->fields[key] = kept;
    return out;
  }

  const json& value(const std::string& key) const {
    static const json kNull;
    auto it = body_.find(key);
    return it == body_.end() ? kNull : *it;
  }

  void error(const std::string& field, std::string message) { out_->errors.push_back({field, std::move(message)}); }

  static std::string join(const std::vector<std::string>& v) {
    std::string s;
    for (std::size_t i = 0; i < v.size(); ++i) s += (i ? ", " : "") + v[i];
    return s;
  }

 private:
  const json& body_;
  ProposalInput* out_;
};

bool truthy(const json& v) {
  if (v.is_boolean()) return v.get<bool>();
  if (v.is_string()) {
    const std::string s = v.get<std::string>();
    return s == "1" || s == "on" || s == "true" || s == "si" || s == "sì";
  }
  return v.is_number_integer() && v.get<long long>() == 1;
}

void read_proposer(const json& body, ProposalInput* in) {
  const json p = body.contains("proposer") && body["proposer"].is_object() ? body["proposer"] : json::object();
  auto get = [&](const char* k) {
    return p.contains(k) && p[k].is_string() ? p[k].get<std::string>() : std::string();
  };
  in->proposer = {get("name"), get("email"), get("role"), get("organisation")};
  Proposer& who = in->proposer;
  who.name = text::trim(who.name);
  who.email = text::trim(who.email);
  who.role = text::trim(who.role);
  who.organisation = text::trim(who.organisation);
  if (who.name.empty()) in->errors.push_back({"proposer.name", "scrivi il tuo nome e cognome"});
  if (who.email.empty()) {
    in->errors.push_back({"proposer.email", "indica un indirizzo e-mail: ti scriveremo lì l'esito"});
  } else if (std::string why = email_address_problem(who.email); !why.empty()) {
    in->errors.push_back({"proposer.email", why});
  }
  for (auto [field, value] : {std::pair{"proposer.name", &who.name}, {"proposer.role", &who.role},
                              {"proposer.organisation", &who.organisation}})
    if (text::code_points(*value) > kMaxProposerText)
      in->errors.push_back({field, "al massimo " + std::to_string(kMaxProposerText) + " caratteri"});
  in->consent_publication = truthy(body.value("consent_publication", json()));
  in->consent_privacy = truthy(body.value("consent_privacy", json()));
  if (!in->consent_publication)
    in->errors.push_back({"consent_publication",
                          "per proporre la pratica serve il consenso alla pubblicazione con la licenza scelta"});
  if (!in->consent_privacy)
    in->errors.push_back({"consent_privacy", "serve la presa visione dell'informativa sulla privacy"});
  if (body.contains("website") && body["website"].is_string()) in->honeypot = body["website"].get<std::string>();
}

}  // namespace

ProposalInput read_proposal(const json& body, bool with_proposer) {
  ProposalInput in;
  if (!body.is_object()) {
    in.errors.push_back({"", "il corpo della richiesta deve essere un oggetto JSON (o il modulo della pagina)"});
    return in;
  }
  Reader r(body, &in);
  Proposal& p = in.proposal;
  p.title = r.text("title");
  p.summary = r.text("summary");
  p.plain_words = r.text("in_parole_semplici");
  p.questions = r.lines("domande");
  p.hub = r.text("hub");
  p.region = r.text("region");
  p.city = r.text("city");
  p.themes = r.list("themes");
  p.dimensions = r.list("dimensions");
  p.sdgs = r.list("sdgs");
  p.organisation = r.text("organisation");
  p.year = r.text("year");
  p.audience = r.list("audience");
  p.modules = r.list("modules");
  p.status = r.text("status");
  // transferability: "alta" or {level, notes}, as in a case file.
  if (const json& t = r.value("transferability"); t.is_object()) {
    p.transferability = r.text(t.value("level", json()), "transferability");
    p.transferability_notes = r.text(t.value("notes", json()), "transferability");
  } else {
    p.transferability = r.text(t, "transferability");
    p.transferability_notes = r.text(r.value("transferability_notes"), "transferability");
  }
  if (!p.transferability.empty() || !p.transferability_notes.empty())
    in.fields["transferability"] = {{"level", p.transferability}, {"notes", p.transferability_notes}};
  // People type figures the Italian way ("1.200", "0,5"); the case file
  // writes them as YAML numbers.
  for (auto& row : r.rows("results", {"indicator", "value", "unit"}))
    p.results.push_back({row[0], number_from_italian(row[1]), row[2]});
  for (auto& row : r.rows("resources", {"title", "url"})) p.resources.push_back({row[0], row[1]});
  const std::string license = r.text("license");
  p.license = license.empty() ? "CC-BY-4.0" : license;
  in.fields["license"] = p.license;
  std::string alt;
  if (const json& c = r.value("cover"); c.is_object()) alt = r.text(c.value("alt", json()), "cover");
  else alt = r.text(r.value("cover_alt"), "cover");
  if (!alt.empty()) in.fields["cover"] = {{"alt", alt}};
  if (const json& s = r.value("sections"); s.is_object()) {
    json kept = json::object();
    for (const auto& section : proposal_sections()) {
      if (!s.contains(section.key)) continue;
      const std::string v = section_text(r.text(s[section.key], std::string("sections.") + section.key));
      if (v.empty()) continue;
      p.sections.emplace_back(section.key, v);
      kept[section.key] = v;
    }
    for (const auto& [key, v] : s.items()) {
      const auto& k = proposal_sections();
      if (std::none_of(k.begin(), k.end(), [&](const ProposalSection& x) { return key == x.key; }))
        in.errors.push_back({"sections", "sezione sconosciuta '" + key + "'"});
    }
    if (!kept.empty()) in.fields["sections"] = kept;
  } else if (!s.is_null()) {
    in.errors.push_back({"sections", "'sections' deve essere un oggetto, per esempio {\"contesto\": \"...\"}"});
  }
  // The cover's alt travels with the fields; its src is the stored image's.
  if (!alt.empty()) p.cover = Cover{"", alt};
  if (with_proposer) read_proposer(body, &in);
  return in;
}

json form_to_json(const std::multimap<std::string, std::string>& form) {
  json out = json::object();
  static const std::vector<std::string> kLists = {"themes", "dimensions", "sdgs", "audience", "modules"};
  for (const auto& [name, value] : form) {
    if (std::find(kLists.begin(), kLists.end(), name) != kLists.end()) {
      if (!out.contains(name)) out[name] = json::array();
      if (!value.empty()) out[name].push_back(value);
      continue;
    }
    const std::size_t dot = name.find('.');
    if (dot == std::string::npos) {
      out[name] = value;
      continue;
    }
    const std::string head = name.substr(0, dot), rest = name.substr(dot + 1);
    // A name given both plain and dotted ("sections=a&sections.contesto=b",
    // only from a crafted form): the dotted fields win.
    if (head == "sections" || head == "proposer") {
      if (!out[head].is_object()) out[head] = json::object();
      out[head][rest] = value;
    } else if (head == "results" || head == "resources") {
      const std::size_t dot2 = rest.find('.');
      if (dot2 == std::string::npos) continue;
      const std::string index = rest.substr(0, dot2);
      if (index.empty() || index.size() > 2 || !std::all_of(index.begin(), index.end(), ::isdigit)) continue;
      const std::size_t i = std::stoul(index);
      if (i >= kMaxRows) continue;
      if (!out[head].is_array()) out[head] = json::array();
      while (out[head].size() <= i) out[head].push_back(json::object());
      out[head][i][rest.substr(dot2 + 1)] = value;
    }
  }
  return out;
}

}  // namespace bp::registration
