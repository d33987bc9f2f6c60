// The meetings of an edition (`sessions:` in programme.yaml).
#include <string>
#include <tuple>

#include "bp/civil_time.h"
#include "bp/italian_date.h"
#include "catalogue_checker.h"
#include "yaml_practice.h"

namespace bp::detail {
namespace {

const std::set<std::string> kSessionKeys = {"date", "start", "end", "place", "online"};
constexpr const char* kSessionExample = "- {date: 2027-06-08, start: \"17:00\", end: \"19:00\"}";
constexpr std::size_t kModuleMeetings = 4;

// One session; false (after reporting) when it cannot be placed in time.
bool read_session(CatalogueChecker& c, const YAML::Node& n, const std::string& where,
                  const std::string& key_path, Session* s) {
  bool ok = true;
  s->date = c.required(n, "date", where);
  if (!s->date.empty()) {
    std::string why;
    if (!check_date(s->date, &why)) {
      c.error(n["date"], where + ": 'date': " + why);
      ok = false;
    }
  }
  for (auto [key, value, what] : {std::tuple{"start", &s->start, "di inizio"}, std::tuple{"end", &s->end, "di fine"}}) {
    *value = c.required(n, key, where);
    if (!value->empty() && !is_clock_time(*value)) {
      c.error(n[key], where + ": ora " + what + " non valida '" + *value +
                          "': usa il formato HH:MM, per esempio 17:00");
      ok = false;
    }
  }
  s->place = c.optional(n, "place", where);
  s->online_url = c.optional(n, "online", where);
  if (!s->online_url.empty() && !is_http_url(s->online_url))
    c.error(n["online"], where + ": indirizzo del collegamento non valido '" + s->online_url +
                             "': deve iniziare con https:// o http://");
  c.unknown_keys(n, kSessionKeys, key_path);
  if (!ok || s->date.empty() || s->start.empty() || s->end.empty()) return false;
  for (auto [key, time, utc] : {std::tuple{"start", &s->start, &s->start_utc}, std::tuple{"end", &s->end, &s->end_utc}}) {
    auto t = rome_to_utc(s->date + "T" + *time);
    if (!t.ok()) {
      c.error(n[key], where + ": " + t.status().message());
      return false;
    }
    *utc = *t;
  }
  if (s->end_utc <= s->start_utc) {
    c.error(n["end"], where + ": l'incontro finisce (" + s->end + ") prima di iniziare (" + s->start + ")");
    return false;
  }
  return true;
}

}  // namespace

void load_sessions(CatalogueChecker& c, const YAML::Node& node, const std::string& kind, bool span_ok,
                   const std::string& where, Edition* e) {
  const YAML::Node list = node["sessions"];
  if (!list || list.IsNull()) {
    if (kind != "tutoraggio")
      c.warning(node, where + ": mancano gli incontri in 'sessions' (data e orari di ogni incontro, "
                              "per esempio " + kSessionExample + ")");
    return;
  }
  if (!list.IsSequence()) {
    c.error(list, where + ": 'sessions' deve essere una lista di incontri, per esempio " + kSessionExample);
    return;
  }
  bool all_ok = true;
  std::size_t index = 0;
  for (const auto& item : list) {
    const std::string number = std::to_string(++index);
    const Session* previous = e->sessions.empty() ? nullptr : &e->sessions.back();
    if (!item.IsMap()) {
      c.error(item, where + ", incontro " + number + ": ogni incontro deve avere date, start ed end, per esempio " + kSessionExample);
      all_ok = false;
      continue;
    }
    Session s;
    const std::string label = where + ", incontro " + number;
    if (!read_session(c, item, label, e->id + ", incontro " + number, &s)) {
      all_ok = false;
      continue;
    }
    const std::string meeting = format_session(s);
    if (span_ok && (s.start_utc < e->start_utc || s.end_utc > e->end_utc))
      c.error(item, label + ": l'incontro di " + meeting + " è fuori dal periodo dell'edizione (" +
                        italian_datetime_after("dal", e->start_local) + " " +
                        italian_datetime_after("al", e->end_local) + ")");
    if (previous && s.start_utc < previous->start_utc)
      c.error(item, label + ": gli incontri vanno elencati in ordine di data (" + meeting + " viene prima di " +
                        format_session(*previous) + ")");
    else if (previous && s.start_utc < previous->end_utc)
      c.error(item, label + ": l'incontro di " + meeting + " si sovrappone a quello di " +
                        format_session(*previous));
    e->sessions.push_back(std::move(s));
  }
  if (kind == "modulo" && e->sessions.size() != kModuleMeetings && all_ok)
    c.warning(list, where + ": un modulo ha quattro incontri settimanali, qui ce ne sono " +
                        std::to_string(e->sessions.size()));
  if (span_ok && all_ok && !e->sessions.empty()) {
    if (e->sessions.front().start_utc != e->start_utc)
      c.warning(list, where + ": il primo incontro (" + format_session(e->sessions.front()) +
                          ") non comincia all'inizio dell'edizione (" + italian_datetime(e->start_local) + ")");
    if (e->sessions.back().end_utc != e->end_utc)
      c.warning(list, where + ": l'ultimo incontro (" + format_session(e->sessions.back()) +
                          ") non finisce alla fine dell'edizione (" + italian_datetime(e->end_local) + ")");
  }
}

}  // namespace bp::detail
