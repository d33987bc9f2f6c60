#include "proposal_pages.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <vector>

#include "bp/civil_time.h"
#include "bp/italian_date.h"
#include "bp/text.h"
#include "html_pages.h"
#include "image_check.h"

namespace bp::registration::html {
namespace {

using nlohmann::json;
namespace ps = proposal_status;


constexpr std::size_t kRows = 3;  // empty rows of results and resources offered

// A choice of the form (bp/proposal.h) as its radio button says it: the
// label, then what it means ("Alta: si riprende facilmente altrove").
std::string choice_words(const ProposalChoice& c) {
  return std::string(c.label) + (*c.hint ? std::string(": ") + c.hint : std::string());
}

// The choices (value, words) of one of the form's lists.
std::vector<std::pair<std::string, std::string>> choice_pairs(const std::vector<ProposalChoice>& choices) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const auto& c : choices) out.emplace_back(c.value, choice_words(c));
  return out;
}

// The form's words for `value` among `choices`, or `value` itself.
std::string words_of(const std::vector<ProposalChoice>& choices, const std::string& value) {
  for (const auto& c : choices)
    if (value == c.value) return choice_words(c);
  return value;
}

}  // namespace

std::string proposal_field_label(const std::string& field) {
  static const std::map<std::string, std::string> k = {
      {"title", "Titolo"},
      {"summary", "Riassunto"},
      {"in_parole_semplici", "In parole semplici"},
      {"domande", "Domande a cui risponde"},
      {"hub", "Hub"},
      {"region", "Regione"},
      {"city", "Comune"},
      {"themes", "Temi"},
      {"dimensions", "Dimensioni della sostenibilità"},
      {"sdgs", "Obiettivi di sviluppo sostenibile"},
      {"audience", "A chi si rivolge"},
      {"modules", "Moduli del programma"},
      {"organisation", "Ente che l'ha realizzata"},
      {"year", "Anno di avvio"},
      {"status", "Stato"},
      {"transferability", "Trasferibilità"},
      {"results", "Risultati in numeri"},
      {"resources", "Link utili"},
      {"license", "Licenza"},
      {"cover", "Immagine di copertina"},
      {"sections", "Racconto della pratica"},
      {"proposer.name", "Il tuo nome"},
      {"proposer.email", "La tua e-mail"},
      {"proposer.role", "Il tuo ruolo"},
      {"proposer.organisation", "Il tuo ente"},
      {"consent_publication", "Consenso alla pubblicazione"},
      {"consent_privacy", "Informativa sulla privacy"},
  };
  if (auto it = k.find(field); it != k.end()) return it->second;
  if (field.rfind("sections.", 0) == 0)
    for (const auto& s : proposal_sections())
      if (field.substr(9) == s.key) return s.heading;
  return "Proposta";
}

namespace {

std::string text_of(const json& values, const std::string& key) {
  auto it = values.find(key);
  if (it == values.end()) return "";
  if (it->is_string()) return it->get<std::string>();
  if (it->is_number()) return it->dump();
  return "";
}

bool listed(const json& values, const std::string& key, const std::string& slug) {
  auto it = values.find(key);
  if (it == values.end()) return false;
  if (it->is_array())
    for (const auto& v : *it)
      if ((v.is_string() && v.get<std::string>() == slug) || (v.is_number() && v.dump() == slug)) return true;
  return it->is_string() && it->get<std::string>() == slug;
}

// A checkbox group of a vocabulary, its terms in taxonomy order.
json choices(const Taxonomy& t, const std::string& vocabulary, const json& values, const std::string& key) {
  json out = json::array();
  if (const Vocabulary* v = t.vocabulary(vocabulary))
    for (const auto& term : v->terms) {
      std::string label = term.label;
      if (vocabulary == "sdg") label = term.slug + ". " + term.label;
      out.push_back({{"id", key + "-" + term.slug}, {"name", key}, {"value", term.slug}, {"label", label},
                     {"description", term.description}, {"checked", listed(values, key, term.slug)}});
    }
  return out;
}

json options(const std::vector<std::pair<std::string, std::string>>& all, const std::string& name,
             const std::string& chosen) {
  json out = json::array();
  for (const auto& [value, label] : all)
    out.push_back({{"id", name + "-" + text::slugify(value)}, {"name", name}, {"value", value},
                   {"label", label}, {"checked", value == chosen}});
  return out;
}

json rows(const json& values, const std::string& key, const std::vector<std::string>& members) {
  json given = values.contains(key) && values[key].is_array() ? values[key] : json::array();
  json out = json::array();
  const std::size_t n = std::max(kRows, given.size() + 1);
  for (std::size_t i = 0; i < n && i < 20; ++i) {
    json row = {{"index", i}, {"number", i + 1}};
    for (const auto& m : members) {
      const json item = i < given.size() && given[i].is_object() ? given[i] : json::object();
      row[m] = text_of(item, m);
    }
    out.push_back(row);
  }
  return out;
}

// The labels of a list field's values (a vocabulary's terms, the value as
// given when the vocabulary lacks it), joined.
std::string labels_of(const Taxonomy& t, const std::string& vocabulary, const json& values, const std::string& key) {
  std::string out;
  auto it = values.find(key);
  if (it == values.end()) return out;
  const json list = it->is_array() ? *it : json::array({*it});
  for (const auto& v : list) {
    const std::string slug = v.is_string() ? v.get<std::string>() : v.is_number() ? v.dump() : "";
    if (slug.empty()) continue;
    std::string label = t.label(vocabulary, slug);
    if (vocabulary == "sdg") label = slug + ". " + label;
    out += (out.empty() ? "" : ", ") + label;
  }
  return out;
}

// A field's lines (a list, or a text of several lines), blank ones dropped.
std::vector<std::string> lines_of(const json& values, const std::string& key) {
  std::vector<std::string> out;
  auto it = values.find(key);
  if (it == values.end()) return out;
  const json list = it->is_array() ? *it : json::array({*it});
  for (const auto& v : list) {
    const std::string text = v.is_string() ? v.get<std::string>() : v.is_number() ? v.dump() : "";
    for (std::size_t start = 0; start <= text.size();) {
      std::size_t nl = text.find('\n', start);
      if (nl == std::string::npos) nl = text.size();
      if (std::string line = text::trim(text.substr(start, nl - start)); !line.empty()) out.push_back(line);
      start = nl + 1;
    }
  }
  return out;
}

}  // namespace

json proposal_facts_view(const Taxonomy& t, const json& v, const std::string& image_name) {
  json facts = json::array();
  auto add = [&](const std::string& field, const std::string& text, std::vector<std::string> items = {}) {
    if (text::trim(text).empty() && items.empty()) return;
    facts.push_back({{"name", proposal_field_label(field)},
                     {"text", text_or_false(text::trim(text))},
                     {"has_items", !items.empty()},
                     {"items", items}});
  };
  add("summary", text_of(v, "summary"));
  add("in_parole_semplici", text_of(v, "in_parole_semplici"));
  add("domande", "", lines_of(v, "domande"));
  // Where: the city, the region and its hub (derived from the region, as
  // the case file will have it).
  const std::string region = text_of(v, "region");
  std::string hub = text_of(v, "hub");
  if (hub.empty() && !region.empty()) hub = t.hub_of_region(region);
  std::string place = text_of(v, "city");
  if (!region.empty()) place += (place.empty() ? "" : ", ") + t.label("region", region);
  if (!hub.empty()) place += (place.empty() ? "Hub " : " (Hub ") + t.label("hub", hub) + (place.empty() ? "" : ")");
  if (!place.empty()) facts.push_back({{"name", "Luogo"}, {"text", place}, {"has_items", false}});
  add("organisation", text_of(v, "organisation"));
  add("year", text_of(v, "year"));
  const std::string status = text_of(v, "status");
  add("status", words_of(proposal_statuses(), status));
  add("themes", labels_of(t, "theme", v, "themes"));
  add("dimensions", labels_of(t, "dimension", v, "dimensions"));
  add("sdgs", labels_of(t, "sdg", v, "sdgs"));
  add("audience", labels_of(t, "audience", v, "audience"));
  add("modules", labels_of(t, "module", v, "modules"));
  if (auto it = v.find("transferability"); it != v.end()) {
    const json tr = it->is_object() ? *it : json{{"level", *it}};
    const std::string level = text::capitalised(text_of(tr, "level"));
    const std::string notes = text::trim(text_of(tr, "notes"));
    add("transferability", level + (level.empty() || notes.empty() ? "" : ". ") + notes);
  }
  std::vector<std::string> results, resources;
  if (auto it = v.find("results"); it != v.end() && it->is_array())
    for (const auto& r : *it)
      if (r.is_object()) {
        std::string line = text::trim(text_of(r, "value") + " " + text_of(r, "unit"));
        const std::string indicator = text::trim(text_of(r, "indicator"));
        line = line.empty() ? indicator : indicator.empty() ? line : indicator + ": " + line;
        if (!line.empty()) results.push_back(line);
      }
  // Links: an address the checker accepts (http, https) is a link, its
  // title the text; anything else shows as typed.
  json links = json::array();
  if (auto it = v.find("resources"); it != v.end() && it->is_array())
    for (const auto& r : *it)
      if (r.is_object()) {
        const std::string title = text::trim(text_of(r, "title")), url = text::trim(text_of(r, "url"));
        const bool web = url.rfind("https://", 0) == 0 || url.rfind("http://", 0) == 0;
        if (web)
          links.push_back({{"url", url}, {"text", title.empty() ? url : title}});
        else if (!title.empty() || !url.empty())
          resources.push_back(title.empty() ? url : url.empty() ? title : title + ": " + url);
      }
  add("results", "", results);
  if (!links.empty() || !resources.empty()) {
    facts.push_back({{"name", proposal_field_label("resources")},
                     {"text", false},
                     {"has_items", true},
                     {"items", resources},
                     {"links", links}});
  }
  add("license", words_of(proposal_licences(), text_of(v, "license")));
  std::string alt = text_of(v, "cover_alt");
  if (auto it = v.find("cover"); it != v.end() && it->is_object()) alt = text_of(*it, "alt");
  if (!image_name.empty())
    add("cover", "inviata" + (text::trim(alt).empty() ? std::string() : ", descritta così: «" + text::trim(alt) + "»"));
  return facts;
}

json proposal_form_view(const Taxonomy& t, const ProposalFormState& s) {
  const json& v = s.values;
  json view;
  view["action"] = s.action;
  view["token"] = text_or_false(s.token);
  view["csrf"] = text_or_false(s.csrf);
  view["editing"] = s.editing;
  view["stored_image"] = text_or_false(s.stored_image);
  view["max_image_mb"] = static_cast<int>(kMaxImageBytes / (1024 * 1024));
  for (const char* k : {"title", "summary", "in_parole_semplici", "city", "organisation", "year"})
    view["v"][k] = text_of(v, k);
  std::string level, notes = text_of(v, "transferability_notes");
  if (v.contains("transferability") && v["transferability"].is_object()) {
    level = text_of(v["transferability"], "level");
    notes = text_of(v["transferability"], "notes");
  } else {
    level = text_of(v, "transferability");
  }
  view["v"]["transferability_notes"] = notes;
  std::string alt = text_of(v, "cover_alt");
  if (v.contains("cover") && v["cover"].is_object()) alt = text_of(v["cover"], "alt");
  view["v"]["cover_alt"] = alt;
  view["summary_length"] = text::code_points(text_of(v, "summary"));
  view["plain_words_length"] = text::code_points(text_of(v, "in_parole_semplici"));
  // `domande`: a list once read (or a text as typed), one question per line.
  std::string questions = text_of(v, "domande");
  if (auto it = v.find("domande"); it != v.end() && it->is_array())
    for (const auto& q : *it)
      if (q.is_string()) questions += (questions.empty() ? "" : "\n") + q.get<std::string>();
  view["v"]["domande"] = questions;

  // Regions grouped by hub: the hub is derived from the region.
  json hubs = json::array();
  const std::string region = text_of(v, "region");
  if (const Vocabulary* hv = t.vocabulary("hub"))
    for (const auto& hub : hv->terms) {
      json regions = json::array();
      if (const Vocabulary* rv = t.vocabulary("region"))
        for (const auto& r : rv->terms)
          if (r.hub == hub.slug) regions.push_back({{"value", r.slug}, {"label", r.label}, {"selected", r.slug == region}});
      hubs.push_back({{"label", "Hub " + hub.label}, {"regions", regions}});
    }
  view["hubs"] = hubs;
  view["themes"] = choices(t, "theme", v, "themes");
  view["dimensions"] = choices(t, "dimension", v, "dimensions");
  view["sdgs"] = choices(t, "sdg", v, "sdgs");
  view["audience"] = choices(t, "audience", v, "audience");
  view["modules"] = choices(t, "module", v, "modules");
  view["statuses"] = options(choice_pairs(proposal_statuses()), "status", text_of(v, "status"));
  view["levels"] = options(choice_pairs(proposal_transferability_levels()), "transferability", level);
  const std::string license = text_of(v, "license").empty() ? "CC-BY-4.0" : text_of(v, "license");
  view["licenses"] = options(choice_pairs(proposal_licences()), "license", license);
  view["results"] = rows(v, "results", {"indicator", "value", "unit"});
  view["resources"] = rows(v, "resources", {"title", "url"});

  // Errors: beside each field and listed on top, in the form's order (the
  // checks run in another: the proposer's own fields, at the form's end,
  // are checked first).
  static const std::vector<std::string> kFormOrder = {
      "form",   "title",    "summary",  "in_parole_semplici", "domande",        "region",     "hub",
      "city",   "organisation", "year", "status",             "themes",         "dimensions", "sdgs",
      "audience", "modules", "sections", "results",           "transferability", "resources", "cover",
      "license", "proposer", "consent_publication", "consent_privacy"};
  const auto rank = [](const std::string& id) {
    for (std::size_t i = 0; i < kFormOrder.size(); ++i)
      if (id == kFormOrder[i] || id.rfind(kFormOrder[i] + "-", 0) == 0) return i;
    return kFormOrder.size();
  };
  std::vector<FieldError> ordered = s.errors;
  std::stable_sort(ordered.begin(), ordered.end(), [&](const FieldError& x, const FieldError& y) {
    return rank(field_id(x.field.empty() ? "form" : x.field)) < rank(field_id(y.field.empty() ? "form" : y.field));
  });
  std::map<std::string, std::string> by_id;
  json list = json::array();
  for (const auto& e : ordered) {
    const std::string id = field_id(e.field.empty() ? "form" : e.field);
    std::string& m = by_id[id];
    m += (m.empty() ? "" : " · ") + e.message;
    list.push_back({{"id", id}, {"label", proposal_field_label(e.field)}, {"message", e.message}});
  }
  json errors = json::object();
  for (const auto& [id, m] : by_id) errors[id] = m;
  view["e"] = errors;
  view["error_list"] = list;
  view["has_errors"] = !list.empty();

  const json sections = v.contains("sections") && v["sections"].is_object() ? v["sections"] : json::object();
  json sv = json::array();
  for (const auto& sec : proposal_sections()) {
    const std::string id = field_id(std::string("sections.") + sec.key);
    sv.push_back({{"id", id}, {"name", std::string("sections.") + sec.key}, {"heading", sec.heading},
                  {"help", sec.help}, {"value", text_of(sections, sec.key)},
                  {"error", by_id.count(id) ? by_id[id] : ""}});
  }
  view["sections"] = sv;

  if (!s.editing) {
    const json who = v.contains("proposer") && v["proposer"].is_object() ? v["proposer"] : json::object();
    for (const char* k : {"name", "email", "role", "organisation"}) view["p"][k] = text_of(who, k);
    auto on = [&](const char* k) {
      const std::string x = text_of(v, k);
      return x == "1" || x == "on" || x == "true" || (v.contains(k) && v[k].is_boolean() && v[k].get<bool>());
    };
    view["consent_publication"] = on("consent_publication");
    view["consent_privacy"] = on("consent_privacy");
  }
  return view;
}

namespace {

std::string render(const site::Pages& pages, const std::string& name, const json& view, const std::string& title,
                   bool noindex) {
  site::Shell shell;
  shell.title = title;
  shell.section = "proponi";
  shell.noindex = noindex;
  shell.styles = {"/css/programma.css", "/css/practice.css", "/css/proponi.css"};
  shell.scripts = {"/js/proponi.js"};
  shell.description = "Proponi alla biblioteca \"Buone Pratiche\" un'esperienza del tuo territorio: la redazione la "
                      "legge e, se accettata, la pubblica.";
  return render_page(pages, name, view, shell);
}

}  // namespace

json text_or_false(const std::string& s) { return s.empty() ? json(false) : json(s); }

std::string field_id(const std::string& field) {
  std::string id = field;
  std::replace(id.begin(), id.end(), '.', '-');
  return id;
}

std::string proposal_form_page(const site::Pages& pages, const Taxonomy& taxonomy, const ProposalFormState& state) {
  json view = proposal_form_view(taxonomy, state);
  return render(pages, "proponi", {{"form", view}, {"has_errors", view["has_errors"]}},
                state.errors.empty() ? "Proponi una buona pratica" : "Controlla la proposta",
                !state.errors.empty());
}

std::string proposal_status_explanation(const std::string& status) {
  if (status == ps::kNew)
    return "La proposta è arrivata e aspetta di essere letta dalla redazione (di solito entro tre settimane).";
  if (status == ps::kInReview) return "La redazione sta leggendo la proposta.";
  if (status == ps::kChangesRequested)
    return "La redazione chiede qualche modifica: leggi il commento qui sotto, correggi i campi e invia di nuovo.";
  if (status == ps::kAccepted)
    return "La proposta è accettata: entrerà nella biblioteca con la prossima pubblicazione e riceverai il link.";
  if (status == ps::kRejected) return "La redazione non ha potuto accogliere la proposta: trovi il motivo qui sotto.";
  if (status == ps::kPublished) return "La pratica è pubblicata nella biblioteca.";
  if (status == ps::kWithdrawn) return "Hai ritirato la proposta.";
  return "";
}

std::string proposal_status_page(const site::Pages& pages, const Taxonomy& taxonomy, const StoredProposal& p,
                                 const std::string& token, const std::string& preview_html,
                                 const ProposalFormState* edit, const std::string& notice, bool confirm_withdraw,
                                 const std::vector<FieldError>& advice) {
  json history = json::array();
  for (const auto& e : p.history)
    history.push_back({{"at", italian_date(rome_day(e.at))},
                       {"actor", public_actor(e.actor)},
                       {"status", text_or_false(e.status)},
                       {"comment", text_or_false(e.comment)},
                       {"from_editors", public_actor(e.actor) == "redazione"}});
  const bool can_withdraw = p.status == ps::kNew || p.status == ps::kInReview || p.status == ps::kChangesRequested;
  json view = {{"code", p.code},
               {"title", p.title},
               {"status", p.status},
               {"status_class", text::slugify(p.status)},
               {"explanation", proposal_status_explanation(p.status)},
               {"history", history},
               {"preview_html", preview_html},
               {"public_url", text_or_false(p.public_url)},
               {"notice", text_or_false(notice)},
               {"token", token},
               {"can_withdraw", can_withdraw},
               {"confirm_withdraw", can_withdraw && confirm_withdraw},
               {"created_at", after_preposition("il", italian_date(rome_day(p.created_at)))}};
  if (edit) view["form"] = proposal_form_view(taxonomy, *edit);
  const json stored = json::parse(p.fields, nullptr, false);
  view["facts"] = proposal_facts_view(taxonomy, stored.is_object() ? stored : json::object(), p.image_name);
  view["has_facts"] = !view["facts"].empty();
  json tips = json::array();
  if (can_withdraw)  // open: new, being read, or changes requested
    for (const auto& w : advice) tips.push_back({{"field", proposal_field_label(w.field)}, {"message", w.message}});
  view["has_advice"] = !tips.empty();
  view["advice"] = std::move(tips);
  // Advice the proposer can act on only while the form is open to them.
  view["editable"] = edit != nullptr;
  return render(pages, "proposta", view, "La tua proposta", true);
}

}  // namespace bp::registration::html
