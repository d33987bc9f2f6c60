// "Ricerche" (issue 17, item 7): what people searched in a chosen week, for
// the editors: top queries, queries that found nothing or little, queries
// whose results nobody opened, clicks by result position and the filters
// used; from each query that found nothing, the taxonomy.yaml line of a new
// synonym and "proponi una pratica su questo". Aggregates only; queries
// searched fewer than Options::analytics_min_searches times stay out.
#include <algorithm>
#include <chrono>
#include <cstdio>

#include "bp/civil_time.h"
#include "bp/italian_date.h"
#include "bp/registration/analytics_store.h"
#include "bp/text.h"
#include "staff_pages.h"

namespace bp::registration {
namespace {

using nlohmann::json;
using std::chrono::days;
using std::chrono::sys_days;

// Rows shown per list (the CSV has them all).
constexpr std::size_t kListRows = 30;
// Weeks offered in the week picker (about the default retention).
constexpr int kWeeksOffered = 57;

std::optional<sys_days> parse_day(const std::string& s) {
  int y = 0;
  unsigned m = 0, d = 0;
  char tail = 0;
  if (s.size() != 10 || std::sscanf(s.c_str(), "%4d-%2u-%2u%c", &y, &m, &d, &tail) != 3) return std::nullopt;
  const std::chrono::year_month_day ymd{std::chrono::year{y}, std::chrono::month{m}, std::chrono::day{d}};
  if (!ymd.ok()) return std::nullopt;
  return sys_days{ymd};
}

std::string day_text(sys_days d) {
  const std::chrono::year_month_day ymd{d};
  char buf[32];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()));
  return buf;
}

sys_days monday_of(sys_days d) { return d - (std::chrono::weekday{d} - std::chrono::Monday); }

std::string week_label(sys_days monday) {
  return after_preposition("dal", italian_date(day_text(monday))) + " " +
         after_preposition("al", italian_date(day_text(monday + days{6})));
}

std::string percent(std::int64_t part, std::int64_t whole) {
  if (whole <= 0) return "–";
  char buf[16];
  std::snprintf(buf, sizeof buf, "%.0f %%", 100.0 * static_cast<double>(part) / static_cast<double>(whole));
  return buf;
}

// A YAML double-quoted scalar.
std::string yaml_quoted(const std::string& s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + "\"";
}

// One word of 2 to 6 letters or digits: maybe a sector acronym nobody listed.
bool maybe_acronym(const std::string& q) {
  if (q.size() < 2 || q.size() > 6) return false;
  return std::all_of(q.begin(), q.end(), [](unsigned char c) { return std::isalnum(c); });
}

// The words of `q`, separated by spaces or tabs.
std::size_t word_count(const std::string& q) {
  std::size_t words = 0;
  bool in_word = false;
  for (unsigned char c : q) {
    const bool space = c == ' ' || c == '\t';
    if (!space && !in_word) ++words;
    in_word = !space;
  }
  return words;
}

// Two to eight words: maybe an everyday expression ("dare una mano"), which
// the taxonomy's `expressions:` lexicon takes (Taxonomy::load checks the
// same bounds; an expression of stopwords only is refused there, with its
// line).
bool maybe_expression(const std::string& q) {
  const std::size_t words = word_count(q);
  return words >= 2 && words <= 8;
}

// Three words or more, as one sentence: maybe a question a practice answers,
// which its case file's `domande` take (3 to 10, each 15 to 160 characters
// ending with "?": yaml_practice.cc checks the same). "" when not.
std::string as_question(const std::string& q) {
  if (word_count(q) < 3) return "";
  std::string out = text::capitalised(q);
  if (out.back() != '?') out += '?';
  const std::size_t n = text::code_points(out);
  return n >= 15 && n <= 160 ? out : "";
}

// The taxonomy.yaml lines an editor can copy to make `q` find practices: a
// group in `synonyms:`; for what looks like an acronym, an entry in
// `acronyms:`; for one word, an everyday word in `everyday_words:`; for
// several words, an everyday expression in `expressions:`;
// for three words or more, also a question for a practice's `domande` (a
// case file's line, not taxonomy.yaml's). The editor replaces the
// placeholder words.
json taxonomy_lines(const std::string& q) {
  json lines = json::array();
  lines.push_back({{"block", "synonyms"},
                   {"where", "Nuovo sinonimo nel blocco «synonyms:» (gruppi di parole equivalenti), con le parole usate nelle schede"},
                   {"line", "  - [" + yaml_quoted(q) + ", \"parola usata nelle schede\"]"}});
  if (maybe_acronym(q)) {
    std::string upper = q;
    std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
    lines.push_back({{"block", "acronyms"},
                     {"where", "Oppure, se è una sigla, nel blocco «acronyms:» (in fondo al file), con la sua area"},
                     {"line", "  - {acronym: " + upper + ", expansion: \"sigla per esteso\", area: terzo settore}"}});
  }
  if (word_count(q) == 1)
    lines.push_back({{"block", "everyday_words"},
                     {"where", "Oppure, se è una parola di tutti i giorni per una parola delle schede, nel blocco "
                               "«everyday_words:» (in fondo al file), sotto quella parola"},
                     {"line", "  parola_delle_schede: [" + yaml_quoted(q) + "]"}});
  if (maybe_expression(q))
    lines.push_back({{"block", "expressions"},
                     {"where", "Oppure, se è un modo di dire, nel blocco «expressions:» (in fondo al file), sotto la sua area, "
                               "con le parole semplici che lo dicono alla lettera"},
                     {"line", "    " + yaml_quoted(q) + ": [parola semplice, parola semplice]"}});
  if (const std::string question = as_question(q); !question.empty())
    lines.push_back({{"block", "domande"},
                     {"where", "Oppure, se una pratica risponde davvero a questa domanda, nel suo file (library-content/practices/…), "
                               "sotto «domande:», con parole vostre se serve"},
                     {"line", "  - " + yaml_quoted(question)}});
  return lines;
}

// A row of the report, with what an editor can do about the query: see its
// results as people see them (not counted: anteprima=1), the
// taxonomy.yaml lines to copy, and "proponi una pratica su questo".
json query_row(const QueryFigures& f) {
  const QueryCounts& c = f.counts;
  return {{"query", f.query},
          {"results_url", "/?q=" + text::form_encode(f.query) + "&anteprima=1"},
          {"lines", taxonomy_lines(f.query)},
          {"searches", c.searches},
          {"days", f.days},
          {"zero", c.zero_results},
          {"few", c.few_results},
          {"clicks", c.clicks},
          {"zero_share", percent(c.zero_results, c.searches)},
          {"searches_text", text::count_noun(c.searches, "ricerca", "ricerche")},
          {"zero_text", text::count_noun(c.zero_results, "ricerca", "ricerche")},
          {"few_text", text::count_noun(c.few_results, "ricerca", "ricerche")},
          {"days_text", text::count_noun(f.days, "giorno", "giorni")}};
}

struct WeekReport {
  SearchReport report;
  json view;
};

Result<WeekReport> make_week_report(Context& ctx, const Req& req) {
  const sys_days today = parse_day(rome_local(ctx.desk->now()).substr(0, 10)).value_or(sys_days{});
  const sys_days this_week = monday_of(today);
  sys_days monday = this_week - days{7};  // the last full week
  if (const std::string chosen = req.get_param_value("settimana"); !chosen.empty()) {
    auto d = parse_day(chosen);
    if (!d) return Status::invalid("settimana non valida: scrivi la data di un giorno (AAAA-MM-GG)");
    monday = monday_of(*d);
  }
  const std::string from = day_text(monday), to = day_text(monday + days{6});
  const std::int64_t min_searches = std::max(1, ctx.options.analytics_min_searches);
  auto report = ctx.store->analytics().report(from, to, min_searches);
  if (!report.ok()) return report.status();
  const SearchReport& r = *report;

  json top = json::array(), none = json::array(), few = json::array(), unopened = json::array();
  std::vector<const QueryFigures*> by_zero, by_few;
  for (const auto& q : r.queries) {
    if (top.size() < kListRows) top.push_back(query_row(q));
    if (q.counts.zero_results > 0) by_zero.push_back(&q);
    if (q.counts.few_results > 0) by_few.push_back(&q);
    if (q.counts.clicks == 0 && q.counts.searches > q.counts.zero_results && unopened.size() < kListRows)
      unopened.push_back(query_row(q));
  }
  std::stable_sort(by_zero.begin(), by_zero.end(),
                   [](auto* a, auto* b) { return a->counts.zero_results > b->counts.zero_results; });
  std::stable_sort(by_few.begin(), by_few.end(),
                   [](auto* a, auto* b) { return a->counts.few_results > b->counts.few_results; });
  for (const auto* q : by_zero) {
    if (none.size() >= kListRows) break;
    none.push_back(query_row(*q));
  }
  for (const auto* q : by_few) {
    if (few.size() >= kListRows) break;
    few.push_back(query_row(*q));
  }

  json positions = json::array();
  std::int64_t max_clicks = 1;
  for (const auto& [p, n] : r.positions) max_clicks = std::max(max_clicks, n);
  for (const auto& [p, n] : r.positions)
    positions.push_back({{"position", p == kMaxTalliedPosition ? std::to_string(p) + " e oltre" : std::to_string(p)},
                         {"clicks", n},
                         {"share", percent(n, r.clicks)},
                         {"width", static_cast<int>(200 * n / max_clicks)}});

  const Taxonomy& tax = ctx.desk->taxonomy();
  std::vector<std::pair<std::int64_t, json>> filter_rows;
  for (const auto& [key, n] : r.filters)
    filter_rows.push_back({n,
                           {{"facet", key.first == "hub" ? "Hub" : "Tema"},
                            {"label", tax.label(key.first, key.second)},
                            {"searches", n},
                            {"searches_text", text::count_noun(n, "ricerca", "ricerche")}}});
  std::stable_sort(filter_rows.begin(), filter_rows.end(), [](auto& a, auto& b) { return a.first > b.first; });
  json filters = json::array();
  for (auto& [n, row] : filter_rows) filters.push_back(std::move(row));

  json weeks = json::array();
  for (int i = 0; i < kWeeksOffered; ++i) {
    const sys_days w = this_week - days{7 * i};
    weeks.push_back({{"value", day_text(w)},
                     {"label", week_label(w) + (i == 0 ? " (in corso)" : "")},
                     {"selected", w == monday}});
  }

  WeekReport out;
  out.view = {{"section", "ricerche"},
              {"week", from},
              {"week_label", week_label(monday)},
              {"weeks", weeks},
              {"previous", day_text(monday - days{7})},
              {"next", monday + days{7} <= this_week ? json(day_text(monday + days{7})) : json(false)},
              {"totals",
               {{"searches", r.searches},
                {"zero", r.zero_results},
                {"zero_share", percent(r.zero_results, r.searches)},
                {"few", r.few_results},
                {"clicks", r.clicks}}},
              {"min_searches", min_searches},
              {"min_text", text::count_noun(min_searches, "volta", "volte")},
              {"rare", r.rare_queries},
              {"retention_months", text::count_noun(ctx.options.analytics_retention_months, "mese", "mesi")},
              {"enabled", ctx.tally != nullptr},
              {"top", top},
              {"has_top", !top.empty()},
              {"none", none},
              {"has_none", !none.empty()},
              {"few", few},
              {"has_few", !few.empty()},
              {"unopened", unopened},
              {"has_unopened", !unopened.empty()},
              {"positions", positions},
              {"has_positions", !positions.empty()},
              {"filters", filters},
              {"has_filters", !filters.empty()}};
  out.report = std::move(*report);
  return out;
}

}  // namespace

void get_searches(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto w = make_week_report(ctx, req);
  if (!w.ok()) return send_staff_error(ctx, who, res, w.status());
  ctx.guard->send_page(who, res, "staff_searches", "Ricerche", w->view);
}

void get_searches_csv(Context& ctx, const Principal& who, const Req& req, Res& res) {
  auto w = make_week_report(ctx, req);
  if (!w.ok()) return send_staff_error(ctx, who, res, w.status());
  const SearchReport& r = w->report;
  audit(ctx, who, req, "export", "ricerche", w->view["week_label"].get<std::string>() + " (CSV)");
  std::vector<std::vector<std::string>> out = {
      {"Ricerche nella biblioteca", "settimana " + w->view["week_label"].get<std::string>()},
      {"Sezione", "Voce", "Ricerche", "Giorni", "Senza risultati", "Con pochi risultati", "Risultati aperti"}};
  out.push_back({"Totale", "tutte le ricerche", std::to_string(r.searches), "", std::to_string(r.zero_results),
                 std::to_string(r.few_results), std::to_string(r.clicks)});
  for (const auto& q : r.queries)
    out.push_back({"Ricerca", q.query, std::to_string(q.counts.searches), std::to_string(q.days),
                   std::to_string(q.counts.zero_results), std::to_string(q.counts.few_results),
                   std::to_string(q.counts.clicks)});
  out.push_back({"Ricerche rare non mostrate", "meno di " + std::to_string(w->view["min_searches"].get<std::int64_t>()) +
                                                   " volte",
                 std::to_string(r.rare_queries), "", "", "", ""});
  for (const auto& p : w->view["positions"])
    out.push_back({"Posizione aperta", p["position"], "", "", "", "", std::to_string(p["clicks"].get<std::int64_t>())});
  for (const auto& f : w->view["filters"])
    out.push_back({"Filtro", f["facet"].get<std::string>() + ": " + f["label"].get<std::string>(),
                   std::to_string(f["searches"].get<std::int64_t>()), "", "", "", ""});
  res.set_header("Content-Disposition", "attachment; filename=\"ricerche-" + w->view["week"].get<std::string>() + ".csv\"");
  res.set_content(staff_view::csv_document(out), "text/csv; charset=utf-8");
}

}  // namespace bp::registration
