// Loading and checking library-content/programme.yaml with the YAML layer of
// the case files, so the editors read the same kind of message for both.
#include "bp/catalogue.h"

#include <fstream>
#include <iterator>
#include <set>

#include "bp/civil_time.h"
#include "bp/italian_date.h"
#include "bp/text.h"
#include "catalogue_checker.h"
#include "front_matter.h"
#include "yaml_util.h"

namespace bp {

const Activity* Catalogue::activity(const std::string& id) const {
  for (const auto& a : activities)
    if (a.id == id) return &a;
  return nullptr;
}

const Edition* Catalogue::edition(const std::string& id) const {
  for (const auto& a : activities)
    for (const auto& e : a.editions)
      if (e.id == id) return &e;
  return nullptr;
}

const std::string& Catalogue::topic_label(const Activity& a, const std::string& topic) {
  for (std::size_t i = 0; i < a.topics.size() && i < a.topic_labels.size(); ++i)
    if (a.topics[i] == topic) return a.topic_labels[i];
  return topic;
}

const Edition* Catalogue::tutoring_edition(const std::string& hub) const {
  for (const auto& a : activities)
    if (a.kind == "tutoraggio")
      for (const auto& e : a.editions)
        if (e.hub == hub) return &e;
  return nullptr;
}

std::string format_session(const Session& s) { return italian_meeting(s.date, s.start, s.end); }

namespace detail {

void CatalogueChecker::add(const YAML::Node& n, const std::string& msg, Severity sev) {
  out_->push_back({source_.file, line_of(n, source_, 1), 0, sev, msg});
}

void CatalogueChecker::error_at(int line, const std::string& msg) {
  out_->push_back({source_.file, line, 0, Severity::kError, msg});
}

std::string CatalogueChecker::required(const YAML::Node& map, const char* key, const std::string& where) {
  const YAML::Node n = map[key];
  if (!n || n.IsNull()) {
    error(map, where + ": manca il campo obbligatorio '" + key + "'");
    return {};
  }
  if (!n.IsScalar() || n.Scalar().empty()) {
    error(n, where + ": il campo '" + key + "' deve essere un testo non vuoto");
    return {};
  }
  return n.Scalar();
}

std::string CatalogueChecker::optional(const YAML::Node& map, const char* key, const std::string& where) {
  const YAML::Node n = map[key];
  if (!n || n.IsNull()) return {};
  if (!n.IsScalar()) {
    error(n, where + ": il campo '" + key + "' deve essere un testo");
    return {};
  }
  return n.Scalar();
}

std::vector<std::string> CatalogueChecker::list(const YAML::Node& map, const char* key,
                                                const std::string& where) {
  std::vector<std::string> out;
  const YAML::Node n = map[key];
  if (!n || n.IsNull()) return out;
  if (!n.IsSequence()) {
    error(n, where + ": il campo '" + key + "' deve essere un elenco, per esempio [a, b]");
    return out;
  }
  for (const auto& item : n) {
    if (!item.IsScalar()) {
      error(item, where + ": ogni voce di '" + key + "' deve essere un testo");
      continue;
    }
    out.push_back(item.Scalar());
  }
  return out;
}

bool CatalogueChecker::known(const YAML::Node& n, const std::string& vocabulary, const std::string& slug,
                             const std::string& where) {
  const Vocabulary* v = tax_.vocabulary(vocabulary);
  const bool is_known = v && v->find(slug);
  if (terms_ != nullptr) terms_->push_back({source_.file, line_of(n, source_, 1), vocabulary, slug, is_known});
  if (is_known) return true;
  error(n, where + ": " + unknown_term_message(tax_, vocabulary, slug));
  return false;
}

void CatalogueChecker::unknown_keys(const YAML::Node& map, const std::set<std::string>& allowed,
                                    const std::string& where) {
  report_unknown_keys(map, allowed, where, source_, line_of(map, source_, 1), out_);
}

}  // namespace detail

namespace {

using detail::CatalogueChecker;

const std::set<std::string> kTopKeys = {"version", "targets", "activities"};
const std::set<std::string> kActivityKeys = {"id",     "kind",   "title",     "description", "macro_action",
                                             "module", "themes", "topics",    "workshops",   "editions"};
const std::set<std::string> kEditionKeys = {"id",       "hub",      "city", "start", "end",     "deadline",
                                            "capacity", "open",     "notes", "sessions"};

bool is_kind(const std::string& k) {
  for (const char* kind : kKinds)
    if (k == kind) return true;
  return false;
}

std::vector<std::string> kinds() { return {std::begin(kKinds), std::end(kKinds)}; }

std::string unknown_kind(const std::string& kind) {
  std::string m = "tipo '" + kind + "' sconosciuto: usa " + detail::quoted_list(kinds());
  if (std::string s = detail::nearest(kinds(), kind); !s.empty()) m += " (forse '" + s + "'?)";
  return m;
}

void load_edition(CatalogueChecker& c, const YAML::Node& n, Activity& a, std::set<std::string>& ids) {
  if (!n.IsMap()) {
    c.error(n, "attività '" + a.id + "': ogni edizione deve essere un elenco di campi (id, hub, ...)");
    return;
  }
  Edition e;
  e.activity_id = a.id;
  e.id = c.required(n, "id", "edizione di '" + a.id + "'");
  const std::string where = "edizione '" + (e.id.empty() ? a.id + "/?" : e.id) + "'";
  if (!e.id.empty()) {
    if (!text::is_slug(e.id))
      c.error(n["id"], where + ": l'identificativo deve contenere solo lettere minuscole, cifre e trattini");
    if (!ids.insert(e.id).second)
      c.error(n["id"], where + ": identificativo già usato da un'altra edizione o attività");
  }
  c.unknown_keys(n, kEditionKeys, e.id);
  e.hub = c.required(n, "hub", where);
  if (!e.hub.empty()) c.known(n["hub"], "hub", e.hub, where);
  e.city = c.required(n, "city", where);
  e.notes = c.optional(n, "notes", where);

  auto date = [&](const char* key, std::string* local, std::int64_t* utc, bool end_of_day) {
    *local = c.required(n, key, where);
    if (local->empty()) return false;
    auto t = rome_to_utc(*local, end_of_day);
    if (!t.ok()) {
      c.error(n[key], where + ": '" + key + "': " + t.status().message());
      return false;
    }
    *utc = *t;
    return true;
  };
  const bool has_start = date("start", &e.start_local, &e.start_utc, false);
  const bool has_end = date("end", &e.end_local, &e.end_utc, false);
  const bool has_deadline = date("deadline", &e.deadline_local, &e.deadline_utc, true);
  const bool span_ok = has_start && has_end && e.end_utc > e.start_utc;
  if (has_start && has_end && !span_ok)
    c.error(n["end"], where + ": la fine (" + e.end_local + ") non è dopo l'inizio (" + e.start_local + ")");
  if (has_deadline && has_end && e.deadline_utc > e.end_utc)
    c.error(n["deadline"], where + ": la scadenza delle iscrizioni (" + e.deadline_local +
                               ") è dopo la fine dell'edizione (" + e.end_local + ")");
  else if (has_deadline && has_start && e.deadline_utc > e.start_utc && a.kind != "tutoraggio")
    c.warning(n["deadline"], where + ": la scadenza delle iscrizioni (" + e.deadline_local +
                                 ") è dopo l'inizio (" + e.start_local + ")");

  const YAML::Node cap = n["capacity"];
  if (!cap || cap.IsNull()) {
    c.error(n, where + ": manca il campo obbligatorio 'capacity' (numero di posti)");
  } else {
    int v = 0;
    if (!cap.IsScalar() || !YAML::convert<int>::decode(cap, v) || v <= 0 || v > 100000)
      c.error(cap, where + ": 'capacity' deve essere un numero intero di posti maggiore di zero");
    else
      e.capacity = v;
  }
  const YAML::Node open = n["open"];
  if (open && !open.IsNull()) {
    if (open.IsScalar() && (open.Scalar() == "false" || open.Scalar() == "true"))
      e.closed = open.Scalar() == "false";
    else
      c.error(open, where + ": 'open' deve essere true oppure false");
  }
  detail::load_sessions(c, n, a.kind, span_ok, where, &e);
  a.editions.push_back(std::move(e));
}

void load_activity(CatalogueChecker& c, const YAML::Node& n, Catalogue& cat, std::set<std::string>& ids) {
  if (!n.IsMap()) {
    c.error(n, "ogni attività deve essere un elenco di campi (id, kind, title, ...)");
    return;
  }
  Activity a;
  a.id = c.required(n, "id", "attività");
  const std::string where = "attività '" + (a.id.empty() ? std::string("?") : a.id) + "'";
  if (!a.id.empty()) {
    if (!text::is_slug(a.id))
      c.error(n["id"], where + ": l'identificativo deve contenere solo lettere minuscole, cifre e trattini");
    if (!ids.insert(a.id).second) c.error(n["id"], where + ": identificativo già usato");
  }
  c.unknown_keys(n, kActivityKeys, a.id);
  a.kind = c.required(n, "kind", where);
  if (!a.kind.empty() && !is_kind(a.kind)) c.error(n["kind"], where + ": " + unknown_kind(a.kind));
  a.title = c.required(n, "title", where);
  a.description = c.required(n, "description", where);
  a.macro_action = c.optional(n, "macro_action", where);
  a.module = c.optional(n, "module", where);
  if (a.kind == "modulo") {
    if (a.module.empty()) c.error(n, where + ": un modulo deve indicare 'module' (da m01 a m12)");
    if (a.macro_action.empty()) c.error(n, where + ": un modulo deve indicare 'macro_action' (a1, a2 o a3)");
  }
  if (!a.macro_action.empty()) c.known(n["macro_action"], "macro_action", a.macro_action, where);
  if (!a.module.empty() && c.known(n["module"], "module", a.module, where)) {
    const Term* m = c.taxonomy().vocabulary("module")->find(a.module);
    if (!a.macro_action.empty() && !m->group.empty() && m->group != a.macro_action)
      c.error(n["macro_action"], where + ": il modulo " + a.module + " appartiene alla macro-azione " +
                                     m->group + ", non a " + a.macro_action);
  }
  a.themes = c.list(n, "themes", where);
  if (a.themes.empty()) c.error(n, where + ": indicare almeno un tema in 'themes'");
  for (std::size_t i = 0; i < a.themes.size(); ++i) c.known(n["themes"][i], "theme", a.themes[i], where);
  a.topics = c.list(n, "topics", where);
  for (std::size_t i = 0; i < a.topics.size(); ++i) {
    c.known(n["topics"][i], "theme", a.topics[i], where);
    a.topic_labels.push_back(c.taxonomy().label("theme", a.topics[i]));
  }
  if (a.kind == "tutoraggio" && a.topics.empty())
    c.error(n, where + ": il tutoraggio deve elencare gli argomenti in 'topics' (temi di taxonomy.yaml)");
  a.workshops = c.list(n, "workshops", where);

  const YAML::Node eds = n["editions"];
  if (!eds || !eds.IsSequence() || eds.size() == 0) {
    c.error(eds ? eds : n, where + ": indicare almeno un'edizione in 'editions'");
  } else {
    for (const auto& e : eds) load_edition(c, e, a, ids);
  }
  if (a.kind == "tutoraggio") {
    std::set<std::string> hubs;
    for (const auto& e : a.editions)
      if (!hubs.insert(e.hub).second)
        c.error(n["editions"], where + ": il tutoraggio ha una sola edizione per hub (doppia: " + e.hub + ")");
  }
  cat.activities.push_back(std::move(a));
}

void load_targets(CatalogueChecker& c, const YAML::Node& root, Catalogue& cat) {
  const YAML::Node targets = root["targets"];
  if (!targets || !targets.IsMap()) {
    c.error(targets ? targets : root,
            "manca 'targets' (persone da raggiungere per tipo: modulo, tutoraggio, ...)");
    return;
  }
  for (const auto& kv : targets) {
    const std::string kind = kv.first.IsScalar() ? kv.first.Scalar() : "";
    if (!is_kind(kind)) {
      c.error(kv.first, "obiettivo per il " + unknown_kind(kind));
      continue;
    }
    int v = -1;
    if (!kv.second.IsScalar() || !YAML::convert<int>::decode(kv.second, v) || v < 0)
      c.error(kv.second, "l'obiettivo per '" + kind + "' deve essere un numero intero");
    else
      cat.targets[kind] = v;
  }
}

}  // namespace

std::optional<Catalogue> load_catalogue(const std::filesystem::path& file, const Taxonomy& taxonomy,
                                        Diagnostics* diagnostics) {
  return load_catalogue(file, taxonomy, diagnostics, nullptr);
}

std::optional<Catalogue> load_catalogue(const std::filesystem::path& file, const Taxonomy& taxonomy,
                                        Diagnostics* diagnostics, std::vector<TermUse>* terms) {
  Diagnostics local;
  if (!diagnostics) diagnostics = &local;
  const detail::YamlSource source{file.string(), 1};
  std::ifstream in(file, std::ios::binary);
  if (!in) {
    diagnostics->push_back({source.file, 0, 0, Severity::kError,
                            "impossibile leggere il file del programma (esiste?)"});
    return std::nullopt;
  }
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  std::size_t bad = 0;
  if (!text::is_valid_utf8(bytes, &bad)) {
    diagnostics->push_back({source.file, detail::line_of_offset(bytes, bad), 0, Severity::kError,
                            "testo non in UTF-8: salva il file con codifica UTF-8"});
    return std::nullopt;
  }
  const std::size_t before = diagnostics->size();
  std::optional<YAML::Node> root = detail::parse_yaml(detail::normalise_newlines(bytes), source, diagnostics);
  if (!root) return std::nullopt;
  CatalogueChecker c(source, taxonomy, diagnostics);
  c.record_terms(terms);
  if (!root->IsMap()) {
    c.error_at(1, "il file deve contenere 'targets' e 'activities'");
    return std::nullopt;
  }
  Catalogue cat;
  try {
    c.unknown_keys(*root, kTopKeys, "");
    const YAML::Node version = (*root)["version"];
    int v = 0;
    if (version && (!version.IsScalar() || !YAML::convert<int>::decode(version, v) || v != 1))
      c.error(version, "versione non supportata: usa 'version: 1'");
    std::set<std::string> ids;
    const YAML::Node acts = (*root)["activities"];
    if (!acts || !acts.IsSequence())
      c.error(acts ? acts : *root, "manca l'elenco 'activities' delle attività del programma");
    else
      for (const auto& a : acts) load_activity(c, a, cat, ids);
    load_targets(c, *root, cat);
  } catch (const YAML::Exception& e) {
    c.error_at(e.mark.line >= 0 ? e.mark.line + 1 : 1,
               std::string("struttura del file non valida: ") + e.what());
  }
  const Diagnostics found(diagnostics->begin() + static_cast<std::ptrdiff_t>(before), diagnostics->end());
  if (has_errors(found)) return std::nullopt;
  return cat;
}

Diagnostics check_catalogue(const std::filesystem::path& file, const Taxonomy& taxonomy, std::vector<TermUse>* terms) {
  Diagnostics d;
  load_catalogue(file, taxonomy, &d, terms);
  return d;
}

}  // namespace bp
