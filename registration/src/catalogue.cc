// Loading and checking library-content/programme.yaml. Every problem is
// reported with its line so the editors can fix it as they fix case files.
#include "bp/registration/catalogue.h"

#include <yaml-cpp/yaml.h>

#include <set>

#include "bp/text.h"

namespace bp::registration {

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

const Edition* Catalogue::tutoring_edition(const std::string& hub) const {
  for (const auto& a : activities)
    if (a.kind == "tutoraggio")
      for (const auto& e : a.editions)
        if (e.hub == hub) return &e;
  return nullptr;
}

namespace {

class Checker {
 public:
  Checker(std::string file, const Taxonomy& tax, Diagnostics* out)
      : file_(std::move(file)), tax_(tax), out_(out) {}

  void error(const YAML::Node& n, const std::string& msg) { add(n, msg, Severity::kError); }
  void warning(const YAML::Node& n, const std::string& msg) { add(n, msg, Severity::kWarning); }
  void error_at(int line, const std::string& msg) {
    out_->push_back({file_, line, 0, Severity::kError, msg});
    ++errors_;
  }
  int errors() const { return errors_; }

  // A required scalar; "" (with an error) when missing or not a scalar.
  std::string required(const YAML::Node& map, const char* key, const std::string& where) {
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

  std::string optional(const YAML::Node& map, const char* key, const std::string& where) {
    const YAML::Node n = map[key];
    if (!n || n.IsNull()) return {};
    if (!n.IsScalar()) {
      error(n, where + ": il campo '" + key + "' deve essere un testo");
      return {};
    }
    return n.Scalar();
  }

  std::vector<std::string> list(const YAML::Node& map, const char* key, const std::string& where) {
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

  // Checks that `slug` belongs to `vocabulary`, with a hint when close.
  bool known(const YAML::Node& n, const std::string& vocabulary, const std::string& slug,
             const std::string& what, const std::string& where) {
    const Vocabulary* v = tax_.vocabulary(vocabulary);
    if (v && v->find(slug)) return true;
    std::string msg = where + ": " + what + " '" + slug + "' sconosciuto";
    const std::string hint = tax_.closest(vocabulary, slug);
    if (!hint.empty()) msg += ": forse '" + hint + "'?";
    else if (v) msg += " (vedi taxonomy.yaml)";
    error(n, msg);
    return false;
  }

  const Taxonomy& taxonomy() const { return tax_; }

 private:
  void add(const YAML::Node& n, const std::string& msg, Severity sev) {
    const int line = n.Mark().line >= 0 ? n.Mark().line + 1 : 0;
    out_->push_back({file_, line, 0, sev, msg});
    if (sev == Severity::kError) ++errors_;
  }

  std::string file_;
  const Taxonomy& tax_;
  Diagnostics* out_;
  int errors_ = 0;
};

bool is_kind(const std::string& k) {
  for (const char* kind : kKinds)
    if (k == kind) return true;
  return false;
}

std::string kinds_list() { return "modulo, tutoraggio, residenza o corso-docenti"; }

void load_edition(Checker& c, const YAML::Node& n, Activity& a, std::set<std::string>& ids) {
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
  e.hub = c.required(n, "hub", where);
  if (!e.hub.empty()) c.known(n["hub"], "hub", e.hub, "hub", where);
  e.city = c.required(n, "city", where);
  e.notes = c.optional(n, "notes", where);

  auto date = [&](const char* key, std::string* local, std::int64_t* utc, bool end_of_day) {
    *local = c.required(n, key, where);
    if (local->empty()) return false;
    auto t = rome_to_utc(*local, end_of_day);
    if (!t) {
      c.error(n[key], where + ": data '" + *local + "' non valida in '" + key +
                          "': usare AAAA-MM-GGTHH:MM (ora italiana), per esempio 2027-03-02T17:00");
      return false;
    }
    *utc = *t;
    return true;
  };
  const bool has_start = date("start", &e.start_local, &e.start_utc, false);
  const bool has_end = date("end", &e.end_local, &e.end_utc, false);
  const bool has_deadline = date("deadline", &e.deadline_local, &e.deadline_utc, true);
  if (has_start && has_end && e.end_utc <= e.start_utc)
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
    bool ok = cap.IsScalar();
    if (ok) {
      try {
        v = cap.as<int>();
      } catch (const YAML::Exception&) {
        ok = false;
      }
    }
    if (!ok || v <= 0 || v > 100000)
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
  a.editions.push_back(std::move(e));
}

void load_activity(Checker& c, const YAML::Node& n, Catalogue& cat, std::set<std::string>& ids) {
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
  a.kind = c.required(n, "kind", where);
  if (!a.kind.empty() && !is_kind(a.kind))
    c.error(n["kind"], where + ": tipo '" + a.kind + "' sconosciuto: usare " + kinds_list());
  a.title = c.required(n, "title", where);
  a.description = c.required(n, "description", where);
  a.macro_action = c.optional(n, "macro_action", where);
  a.module = c.optional(n, "module", where);
  if (a.kind == "modulo") {
    if (a.module.empty()) c.error(n, where + ": un modulo deve indicare 'module' (da m01 a m12)");
    if (a.macro_action.empty()) c.error(n, where + ": un modulo deve indicare 'macro_action' (a1, a2 o a3)");
  }
  if (!a.macro_action.empty())
    c.known(n["macro_action"], "macro_action", a.macro_action, "macro-azione", where);
  if (!a.module.empty() && c.known(n["module"], "module", a.module, "modulo", where)) {
    const Term* m = c.taxonomy().vocabulary("module")->find(a.module);
    if (!a.macro_action.empty() && !m->group.empty() && m->group != a.macro_action)
      c.error(n["macro_action"], where + ": il modulo " + a.module + " appartiene alla macro-azione " +
                                     m->group + ", non a " + a.macro_action);
  }
  a.themes = c.list(n, "themes", where);
  if (a.themes.empty()) c.error(n, where + ": indicare almeno un tema in 'themes'");
  for (std::size_t i = 0; i < a.themes.size(); ++i) c.known(n["themes"][i], "theme", a.themes[i], "tema", where);
  a.topics = c.list(n, "topics", where);
  for (std::size_t i = 0; i < a.topics.size(); ++i) c.known(n["topics"][i], "theme", a.topics[i], "tema", where);
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

}  // namespace

std::optional<Catalogue> load_catalogue(const std::filesystem::path& file, const Taxonomy& taxonomy,
                                        Diagnostics* diagnostics) {
  Checker c(file.string(), taxonomy, diagnostics);
  YAML::Node root;
  try {
    root = YAML::LoadFile(file.string());
  } catch (const YAML::BadFile&) {
    c.error_at(0, "impossibile leggere il file del programma");
    return std::nullopt;
  } catch (const YAML::ParserException& e) {
    c.error_at(e.mark.line + 1, "errore di sintassi YAML: " + e.msg);
    return std::nullopt;
  }
  Catalogue cat;
  if (!root.IsMap()) {
    c.error_at(1, "il file deve contenere 'targets' e 'activities'");
    return std::nullopt;
  }
  try {
    std::set<std::string> ids;
    const YAML::Node acts = root["activities"];
    if (!acts || !acts.IsSequence())
      c.error(root, "manca l'elenco 'activities' delle attività del programma");
    else
      for (const auto& a : acts) load_activity(c, a, cat, ids);

    const YAML::Node targets = root["targets"];
    if (!targets || !targets.IsMap()) {
      c.error(root, "manca 'targets' (persone da raggiungere per tipo: modulo, tutoraggio, ...)");
    } else {
      for (const auto& kv : targets) {
        const std::string kind = kv.first.Scalar();
        if (!is_kind(kind)) {
          c.error(kv.first, "obiettivo per il tipo '" + kind + "' sconosciuto: usare " + kinds_list());
          continue;
        }
        int v = 0;
        try {
          v = kv.second.as<int>();
        } catch (const YAML::Exception&) {
          v = -1;
        }
        if (v < 0) c.error(kv.second, "l'obiettivo per '" + kind + "' deve essere un numero intero");
        else cat.targets[kind] = v;
      }
    }
  } catch (const YAML::Exception& e) {
    c.error_at(e.mark.line + 1, std::string("struttura del file non valida: ") + e.what());
  }
  if (c.errors() > 0) return std::nullopt;
  return cat;
}

Diagnostics check_catalogue(const std::filesystem::path& file, const Taxonomy& taxonomy) {
  Diagnostics d;
  load_catalogue(file, taxonomy, &d);
  return d;
}

}  // namespace bp::registration
