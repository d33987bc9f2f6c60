#include "yaml_practice.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <optional>
#include <set>

#include "bp/civil_time.h"
#include "bp/italian_number.h"
#include "bp/text.h"

namespace bp::detail {
namespace {

constexpr std::size_t kMaxSummaryChars = 400;

// This year, by the machine's clock (UTC: a day's difference at New Year
// does not matter to a start year's bound).
int current_year() {
  const std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  return tm.tm_year + 1900;
}
// A title shorter than this names nothing a person could recognise ("x"):
// a warning (a case file with it is still published).
constexpr std::size_t kMinTitleChars = 3;
// `in_parole_semplici`: 2-4 short sentences fit well within this.
constexpr std::size_t kMaxPlainWordsChars = 600;
// `domande`: how many questions, and how long each (one sentence).
constexpr std::size_t kMinQuestions = 3;
constexpr std::size_t kMaxQuestions = 10;
constexpr std::size_t kMinQuestionChars = 15;
constexpr std::size_t kMaxQuestionChars = 160;
// "da 3 a 10", for the messages: the bounds above, written once.
std::string questions_range() {
  return "da " + std::to_string(kMinQuestions) + " a " + std::to_string(kMaxQuestions);
}

// The code point of UTF-8 `s` starting at `i` (advancing `i`), or of the
// one ending just before `i` (moving `i` back to its start).
char32_t next_code_point(std::string_view s, std::size_t* i) {
  const unsigned char c = static_cast<unsigned char>(s[*i]);
  const int n = c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
  char32_t cp = n == 1 ? c : n == 2 ? (c & 0x1F) : n == 3 ? (c & 0x0F) : (c & 0x07);
  for (std::size_t k = 1; k < static_cast<std::size_t>(n) && *i + k < s.size(); ++k)
    cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  *i += static_cast<std::size_t>(n);
  return cp;
}
char32_t previous_code_point(std::string_view s, std::size_t* i) {
  std::size_t start = *i;
  do --start;
  while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80);
  std::size_t at = start;
  *i = start;
  return next_code_point(s, &at);
}

// A letter of a word as Italian (and the library's other languages) write
// them: ASCII letters and the accented Latin ones, without × and ÷.
bool is_word_letter(char32_t c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= 0xC0 && c <= 0x24F && c != 0xD7 && c != 0xF7);
}

// The first "word- word" in `text` (a hyphen between a letter and a space
// or a line break, then a letter), as «casa- scuola», or "": in a YAML text
// folded over several lines, a line ending in "casa-" joins the next one
// with a space.
// A hyphen left hanging before «e», «o», «ed» or «od» is Italian
// («pre- e post-scuola») and is not reported.
std::string broken_hyphen(std::string_view text) {
  for (std::size_t at = text.find('-'); at != std::string_view::npos; at = text.find('-', at + 1)) {
    if (at == 0 || at + 1 >= text.size() || (text[at + 1] != ' ' && text[at + 1] != '\n')) continue;
    std::size_t start = at;
    if (!is_word_letter(previous_code_point(text, &start))) continue;
    while (start > 0) {  // the word before the hyphen
      std::size_t before = start;
      if (!is_word_letter(previous_code_point(text, &before))) break;
      start = before;
    }
    std::size_t end = at + 2;
    std::string next;  // the word after the space, lower-cased (ASCII)
    while (end < text.size()) {
      std::size_t after = end;
      const char32_t c = next_code_point(text, &after);
      if (!is_word_letter(c)) break;
      next += c < 0x80 ? static_cast<char>(c | 0x20) : '?';
      end = after;
    }
    if (next.empty() || next == "e" || next == "o" || next == "ed" || next == "od") continue;
    return std::string(text.substr(start, end - start));
  }
  return "";
}

const std::vector<std::string>& known_fields() {
  static const std::vector<std::string> k = {
      "title",    "summary",   "hub",          "region",        "city",     "themes",
      "dimensions", "sdgs",    "organisation", "year",          "audience", "modules",
      "date",     "tags",      "status",       "transferability", "results", "contacts",
      "resources", "license",  "cover",        "related",       "last_reviewed", "language",
      "didattica", "in_parole_semplici", "domande"};
  return k;
}

const std::vector<std::string> kStatuses = {"in-corso", "concluso"};
const std::vector<std::string> kLevels = {"alta", "media", "bassa"};
const std::vector<std::string> kLicenses = {"CC-BY-4.0",       "CC-BY-SA-4.0",   "CC-BY-NC-4.0",
                                            "CC-BY-NC-SA-4.0", "CC-BY-ND-4.0",   "CC-BY-NC-ND-4.0",
                                            "CC0-1.0"};
const std::vector<std::string> kLanguages = {"it", "en", "de", "fr", "es", "sl"};

class Reader {
 public:
  Reader(const YamlSource& source, int open_line, const Taxonomy& taxonomy, Diagnostics* d)
      : source_(source), open_line_(open_line), tax_(taxonomy), d_(d) {}

  int line(const YAML::Node& n, int fallback) const { return line_of(n, source_, fallback); }

  void error(int line, std::string m) {
    d_->push_back({source_.file, line, 0, Severity::kError, std::move(m)});
  }
  void warning(int line, std::string m) {
    d_->push_back({source_.file, line, 0, Severity::kWarning, std::move(m)});
  }

  // Collects the top-level fields (first occurrence wins, as in yaml-cpp).
  void index(const YAML::Node& root) {
    for (auto it = root.begin(); it != root.end(); ++it) {
      const std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
      if (fields_.count(key)) continue;
      const int key_line = line(it->first, open_line_);
      fields_[key] = {it->second, key_line};
      const auto& k = known_fields();
      if (const std::string fix = spaced_field(key);
          !fix.empty() && std::find(k.begin(), k.end(), key.substr(0, key.find(':'))) != k.end()) {
        error(key_line, spaced_field_error(fix));
      } else if (key.size() > 1 && key[0] == '-' && key[1] != ' ' && key[1] != '-') {
        error(key_line, "dopo il trattino di ogni voce della lista ci vuole uno spazio: scrivi '- " + key.substr(1) +
                            "', rientrato sotto il suo campo");
      } else if (std::find(k.begin(), k.end(), key) == k.end()) {
        std::string m = "campo sconosciuto '" + key + "' (viene ignorato)";
        if (std::string s = nearest(k, key); !s.empty()) m += ": forse '" + s + "'?";
        warning(key_line, m);
      }
    }
  }

  struct Field {
    YAML::Node value;
    int key_line = 0;
  };

  // The field, or nullopt when absent or written empty ("city:").
  std::optional<Field> field(const std::string& key) const {
    auto it = fields_.find(key);
    if (it == fields_.end() || it->second.value.IsNull()) return std::nullopt;
    return it->second;
  }
  bool present(const std::string& key) const { return fields_.count(key) > 0; }
  int key_line(const std::string& key) const {
    auto it = fields_.find(key);
    return it == fields_.end() ? open_line_ : it->second.key_line;
  }

  int value_line(const Field& f) const { return line(f.value, f.key_line); }

  // The file line, from `from` on, that has `word`: the line of a value of
  // several lines that has it. `broken_word`: `word` is a word and its
  // hyphen, starting a word and ending a line or followed by a space.
  // `from` when the YAML text is unknown or lacks it.
  int line_with(int from, std::string_view word, bool broken_word = true) const {
    const std::string_view text = source_.text;
    std::size_t at = 0;
    for (int l = source_.first_line; l < from && at != std::string_view::npos; ++l) {
      at = text.find('\n', at);
      if (at != std::string_view::npos) ++at;
    }
    for (int l = from; at != std::string_view::npos && at < text.size(); ++l) {
      const std::size_t end = std::min(text.find('\n', at), text.size());
      const std::string_view row = text.substr(at, end - at);
      for (std::size_t k = row.find(word); k != std::string_view::npos; k = row.find(word, k + 1)) {
        std::size_t before = k;
        const bool starts = k == 0 || !is_word_letter(previous_code_point(row, &before));
        const std::size_t after = k + word.size();
        if (!broken_word || (starts && (after == row.size() || row[after] == ' '))) return l;
      }
      at = end == text.size() ? std::string_view::npos : end + 1;
    }
    return from;
  }

  // A required field must be there; a required text must not be blank
  // (`empty` is then the message, on the field's line).
  void require(const std::string& key, const std::string& what, const std::string& empty = "") {
    if (!present(key)) {
      error(open_line_, "campo obbligatorio mancante: '" + key + "' (" + what + ")");
      return;
    }
    if (empty.empty()) return;
    auto f = field(key);
    if (!f) {
      error(key_line(key), empty);
    } else if (f->value.IsScalar() && f->value.Scalar().find_first_not_of(" \t") == std::string::npos) {
      error(value_line(*f), empty);
    }
  }

  // A text value; errors when it is a list or a mapping.
  std::optional<std::string> scalar(const YAML::Node& n, int fallback, const std::string& name) {
    if (n.IsScalar()) return n.Scalar();
    error(line(n, fallback), "'" + name + "' deve essere un testo, non una lista o un elenco di campi");
    return std::nullopt;
  }
  std::string text_field(const std::string& key) {
    auto f = field(key);
    if (!f) return "";
    return scalar(f->value, f->key_line, key).value_or("");
  }

  // A list of texts with their lines; a single text counts as a list of one.
  std::vector<std::pair<std::string, int>> list(const YAML::Node& n, int fallback,
                                                const std::string& name) {
    std::vector<std::pair<std::string, int>> out;
    if (!n.IsDefined() || n.IsNull()) return out;
    if (n.IsScalar()) {
      // "themes: a, b" is one text to YAML, not two values.
      if (n.Scalar().find(',') != std::string::npos) {
        error(line(n, fallback), "'" + name + "' è scritto come un testo con le virgole ('" + n.Scalar() +
                                     "'): un elenco va tra parentesi quadre, " + name + ": [" + n.Scalar() + "]");
        return out;
      }
      out.emplace_back(n.Scalar(), line(n, fallback));
      return out;
    }
    if (!n.IsSequence()) {
      error(line(n, fallback), "'" + name + "' deve essere una lista, per esempio [a, b]");
      return out;
    }
    for (const auto& item : n) {
      const int l = line(item, line(n, fallback));
      if (item.IsScalar() && !item.Scalar().empty())
        out.emplace_back(item.Scalar(), l);
      else
        error(l, "'" + name + "': ogni voce deve essere un testo");
    }
    return out;
  }
  std::vector<std::string> strings(const std::string& key) {
    std::vector<std::string> out;
    if (auto f = field(key))
      for (auto& [v, l] : list(f->value, f->key_line, key)) out.push_back(v);
    return out;
  }

  // A value of a taxonomy vocabulary; returns the slug or "" after reporting.
  std::string vocabulary_value(const std::string& vocabulary, const std::string& value, int l) {
    const Vocabulary* v = tax_.vocabulary(vocabulary);
    if (!v || v->find(value)) return used(vocabulary, value, l, true);
    // "-sociale": a list's item without the space after its dash is text
    // for YAML (two such lines are one text, "-sociale -ambientale").
    if (value.size() > 1 && value[0] == '-' && value[1] != ' ') {
      error(l, "dopo il trattino di ogni voce della lista ci vuole uno spazio: scrivi '- " +
                   value.substr(1, value.find(' ') - 1) + "', una voce per riga");
      return "";
    }
    const VocabularyNoun noun = vocabulary_noun(vocabulary);
    if (std::string slug = tax_.slug_for_label(vocabulary, value); !slug.empty()) {
      warning(l, std::string(noun.word) + " '" + value + "' scritt" + (noun.feminine ? "a" : "o") +
                     " per esteso: usa lo slug '" + slug + "'");
      return used(vocabulary, slug, l, true);
    }
    const std::string m = unknown_term_message(tax_, vocabulary, value);
    error(l, m);
    used(vocabulary, value, l, false);
    return "";
  }

  // Where vocabulary values are recorded (PracticeRefs::terms), or nullptr.
  void record_terms(std::vector<TermUse>* terms) { terms_ = terms; }

  std::vector<std::string> vocabulary_list(const std::string& key, const std::string& vocabulary,
                                           bool required, const std::string& example) {
    std::vector<std::string> out;
    auto f = field(key);
    if (!f) {
      if (required && present(key))
        error(fields_.at(key).key_line, "'" + key + "' è vuoto: indica almeno un valore, per esempio " + example);
      return out;
    }
    auto items = list(f->value, f->key_line, key);
    if (required && items.empty() && f->value.IsSequence())
      error(value_line(*f), "'" + key + "' è vuoto: indica almeno un valore, per esempio " + example);
    for (auto& [value, l] : items) {
      std::string slug = vocabulary_value(vocabulary, value, l);
      if (!slug.empty() && std::find(out.begin(), out.end(), slug) == out.end()) out.push_back(slug);
    }
    return out;
  }

  // `what` is a feminine noun phrase ("la lingua" -> "lingua ... non valida").
  std::string one_of(const std::string& name, const YAML::Node& n, int fallback,
                     const std::vector<std::string>& allowed, const std::string& what,
                     bool feminine) {
    auto s = scalar(n, fallback, name);
    if (!s) return "";
    if (std::find(allowed.begin(), allowed.end(), *s) != allowed.end()) return *s;
    std::string m = what + " non valid" + (feminine ? "a" : "o") + " '" + *s +
                    "': usa " + quoted_list(allowed);
    if (std::string c = nearest(allowed, *s); !c.empty()) m += " (forse '" + c + "'?)";
    error(line(n, fallback), m);
    return "";
  }

  std::optional<int> integer(const YAML::Node& n, int fallback, const std::string& message) {
    int v = 0;
    if (n.IsScalar() && YAML::convert<int>::decode(n, v)) return v;
    error(line(n, fallback), message);
    return std::nullopt;
  }

  std::string date(const std::string& key) {
    auto f = field(key);
    if (!f) return "";
    auto s = scalar(f->value, f->key_line, key);
    if (!s) return "";
    std::string why;
    if (check_date(*s, &why)) return *s;
    error(value_line(*f), "'" + key + "': " + why);
    return "";
  }

  // Reports keys of the mapping `n` outside `allowed`, as warnings.
  void unknown_keys(const YAML::Node& n, const std::set<std::string>& allowed,
                    const std::string& where) {
    report_unknown_keys(n, allowed, where, source_, open_line_, d_);
  }

  // Each item of the list `key` must be a mapping; calls `each` on them.
  template <typename F>
  void maps(const std::string& key, const std::string& example, F each) {
    auto f = field(key);
    if (!f) return;
    if (!f->value.IsSequence()) {
      error(value_line(*f), "'" + key + "' deve essere una lista di voci, per esempio " + example);
      return;
    }
    for (const auto& item : f->value) {
      const int l = line(item, value_line(*f));
      if (!item.IsMap()) {
        error(l, "'" + key + "': ogni voce deve avere i suoi campi, per esempio " + example);
        continue;
      }
      each(item, l);
    }
  }

  std::string sub_text(const YAML::Node& map, const char* key, int fallback, const std::string& where) {
    const YAML::Node n = map[key];
    if (!n.IsDefined() || n.IsNull()) return "";
    return scalar(n, fallback, where + "." + key).value_or("");
  }

  // The checks of a prose field (`text`, starting on `line`): markup and
  // a word broken by a hyphen and a space.
  void prose_check(const std::string& text, int line) {
    markup_check(text, line);
    hyphen_check(text, line);
  }

  // An HTML tag in a field of text ("<b>Orto</b>") is shown as typed, tag
  // and all, on every page and in every e-mail: an error, as raw HTML in
  // the body is (library.cc).
  void markup_check(const std::string& text, int line) {
    for (std::size_t at = text.find('<'); at != std::string::npos; at = text.find('<', at + 1)) {
      std::size_t name = at + 1;
      if (name < text.size() && (text[name] == '/' || text[name] == '!')) ++name;
      if (name >= text.size() || !std::isalpha(static_cast<unsigned char>(text[name]))) continue;
      const std::size_t close = text.find('>', name);
      const std::size_t next_open = text.find('<', name);
      if (close == std::string::npos || close - at > 200 || (next_open != std::string::npos && next_open < close))
        continue;
      std::string tag = text.substr(at, close - at + 1);
      if (tag.size() > 40) tag = tag.substr(0, 40) + "…";
      // Its first characters: a long tag may go on over a line's end.
      error(line_with(line, text.substr(at, std::min<std::size_t>(close - at + 1, 3)), false),
            "codice HTML «" + tag + "»: il sito lo mostrerebbe così com'è; scrivi solo testo");
      return;
    }
  }

  // Warns when `text` (a prose field starting on `line`) has a word broken
  // by a hyphen and a space (broken_hyphen), on the line that has it.
  void hyphen_check(const std::string& text, int line) {
    const std::string broken = broken_hyphen(text);
    if (broken.empty()) return;
    std::string shown = broken, joined = broken;
    const std::size_t hyphen = broken.find('-');  // the word before it has letters only
    shown[hyphen + 1] = ' ';
    joined.erase(hyphen + 1, 1);
    warning(line_with(line, broken.substr(0, hyphen + 1)),
            "trattino seguito da uno spazio in «" + shown + "»: se è una parola sola scrivila unita, «" + joined +
                "» (in un testo su più righe non andare a capo dopo il trattino)");
  }

  const Taxonomy& taxonomy() const { return tax_; }
  int open_line() const { return open_line_; }

 private:
  // Records a vocabulary value when asked to (record_terms); returns `slug`.
  std::string used(const std::string& vocabulary, const std::string& slug, int l, bool known) {
    if (terms_ != nullptr) terms_->push_back({source_.file, l, vocabulary, slug, known});
    return slug;
  }

  const YamlSource& source_;
  int open_line_;
  const Taxonomy& tax_;
  Diagnostics* d_;
  std::map<std::string, Field> fields_;
  std::vector<TermUse>* terms_ = nullptr;
};

// `domande`: a list of 3 to 10 questions, each one sentence ending with "?";
// none repeated (in folded form) nor the title. Each question's problem is
// reported on its own line; a question with one is left out.
void read_questions(Reader& r, Practice* p) {
  const auto f = r.field("domande");
  if (!f) {
    r.error(r.key_line("domande"), "'domande' è vuoto: scrivi " + questions_range() + " domande, oppure togli il campo");
    return;
  }
  if (!f->value.IsSequence()) {
    r.error(r.value_line(*f), "'domande' deve essere una lista: una domanda per riga, che comincia con «- »");
    return;
  }
  const auto items = r.list(f->value, f->key_line, "domande");
  if (items.empty()) {
    r.error(r.value_line(*f), "'domande' è vuoto: scrivi " + questions_range() + " domande, oppure togli il campo");
    return;
  }
  const std::string title = text::fold_lower(p->title);
  std::set<std::string> seen;  // folded questions
  for (const auto& [written, l] : items) {
    const auto b = written.find_first_not_of(" \t\r\n");
    const auto e = written.find_last_not_of(" \t\r\n");
    const std::string q = b == std::string::npos ? "" : written.substr(b, e - b + 1);
    const std::size_t n = text::code_points(q);
    const std::string folded = text::fold_lower(q);
    const std::string shown = "«" + q + "»";
    if (n < kMinQuestionChars) {
      r.error(l, "la domanda " + shown + " è troppo corta (" + std::to_string(n) +
                     " caratteri): scrivila per intero, almeno " + std::to_string(kMinQuestionChars));
    } else if (n > kMaxQuestionChars) {
      r.error(l, "una domanda è lunga " + std::to_string(n) + " caratteri: il massimo è " +
                     std::to_string(kMaxQuestionChars) + ", una frase sola");
    } else if (q.back() != '?') {
      r.error(l, "la domanda " + shown + " deve finire con il punto di domanda");
    } else if (q.find('\n') != std::string::npos) {
      r.error(l, "la domanda " + shown + " va su una riga sola");
    } else if (seen.count(folded) != 0) {
      r.error(l, "la domanda " + shown + " è già nell'elenco: toglila o chiedi un'altra cosa");
    } else if (!title.empty() && folded.substr(0, folded.size() - 1) == title) {
      r.error(l, "la domanda " + shown + " ripete il titolo: chiedi con le parole di chi ha il bisogno");
    } else {
      seen.insert(folded);
      p->questions.push_back(q);
      r.prose_check(q, l);
    }
  }
  if (items.size() > kMaxQuestions)
    r.error(r.value_line(*f), "'domande' ha " + std::to_string(items.size()) + " domande: al massimo " +
                                  std::to_string(kMaxQuestions) + ", le più utili");
  else if (items.size() < kMinQuestions)
    r.warning(r.value_line(*f), "'domande' ha " + text::count_noun(items.size(), "domanda", "domande") +
                                    ": se ne consigliano " + questions_range());
}

void read_didattica(Reader& r, const Reader::Field& f, Practice* p) {
  if (!f.value.IsMap()) {
    r.error(r.value_line(f), "'didattica' deve contenere i campi levels, subjects, objectives, "
                             "duration_minutes e activities");
    return;
  }
  Teaching t;
  const YAML::Node& d = f.value;
  const int base = r.value_line(f);
  auto strings = [&](const char* key) {
    std::vector<std::string> out;
    for (auto& [v, l] : r.list(d[key], base, std::string("didattica.") + key)) out.push_back(v);
    return out;
  };
  // Levels and subjects are slugs of taxonomy.yaml's `levels` and `subjects`;
  // a subject may be written as its label ("educazione civica"), as the
  // guide suggests to teachers.
  auto vocabulary_slugs = [&](const char* key, const std::string& vocabulary, bool labels_ok) {
    std::vector<std::string> out;
    for (auto& [v, l] : r.list(d[key], base, std::string("didattica.") + key)) {
      const Vocabulary* known = r.taxonomy().vocabulary(vocabulary);
      std::string slug = v;
      if (known && !known->find(v)) {
        const std::string by_label = labels_ok ? r.taxonomy().slug_for_label(vocabulary, v) : "";
        slug = by_label.empty() ? r.vocabulary_value(vocabulary, v, l) : by_label;
      }
      if (!slug.empty() && std::find(out.begin(), out.end(), slug) == out.end()) out.push_back(slug);
    }
    return out;
  };
  t.levels = vocabulary_slugs("levels", "level", false);
  t.subjects = vocabulary_slugs("subjects", "subject", true);
  t.objectives = strings("objectives");
  if (!t.objectives.empty() && (t.objectives.size() < 2 || t.objectives.size() > 4))
    r.warning(r.line(d["objectives"], base),
              "'didattica.objectives' ha " + std::to_string(t.objectives.size()) +
                  (t.objectives.size() == 1 ? " obiettivo" : " obiettivi") +
                  ": se ne consigliano da 2 a 4, ciascuno una frase");
  if (t.levels.empty() && !d["levels"].IsDefined())
    r.warning(base, "'didattica' senza 'levels': indica gli ordini di scuola, per esempio levels: [secondaria-1]");
  auto minutes = [&](const YAML::Node& n, int fallback, const std::string& name) {
    if (!n.IsDefined() || n.IsNull()) return 0;
    auto v = r.integer(n, fallback, "'" + name + "' deve essere un numero intero di minuti, per esempio 90");
    if (v && *v <= 0) {
      r.error(r.line(n, fallback), "'" + name + "' deve essere un numero di minuti maggiore di zero");
      return 0;
    }
    return v.value_or(0);
  };
  t.duration_minutes = minutes(d["duration_minutes"], base, "didattica.duration_minutes");
  const YAML::Node acts = d["activities"];
  if (acts.IsDefined() && !acts.IsNull()) {
    if (!acts.IsSequence()) {
      r.error(r.line(acts, base), "'didattica.activities' deve essere una lista di attività, "
                                  "per esempio - {title: \"...\", duration_minutes: 45}");
    } else {
      for (const auto& a : acts) {
        const int l = r.line(a, base);
        if (!a.IsMap()) {
          r.error(l, "'didattica.activities': ogni attività deve avere title, description e duration_minutes");
          continue;
        }
        TeachingActivity act;
        act.title = r.sub_text(a, "title", l, "didattica.activities");
        if (act.title.empty()) r.error(l, "attività didattica senza 'title'");
        act.description = r.sub_text(a, "description", l, "didattica.activities");
        act.duration_minutes = minutes(a["duration_minutes"], l, "didattica.activities.duration_minutes");
        r.unknown_keys(a, {"title", "description", "duration_minutes"}, "didattica.activities");
        t.activities.push_back(std::move(act));
      }
    }
  }
  r.unknown_keys(d, {"levels", "subjects", "objectives", "duration_minutes", "activities"}, "didattica");
  p->didattica = std::move(t);
}

}  // namespace

bool check_date(const std::string& s, std::string* why) {
  // Digits everywhere but the two dashes: "2023-03---" or "2023-3--14" is
  // not a date with a digit missing but no date at all.
  bool shape = s.size() == 10;
  for (std::size_t i = 0; shape && i < s.size(); ++i)
    shape = (i == 4 || i == 7) ? s[i] == '-' : (s[i] >= '0' && s[i] <= '9');
  if (!shape) {
    *why = "data non valida '" + s + "': usa il formato AAAA-MM-GG, per esempio 2023-03-14";
    return false;
  }
  const int y = std::stoi(s.substr(0, 4)), m = std::stoi(s.substr(5, 2)), d = std::stoi(s.substr(8, 2));
  if (m < 1 || m > 12) {
    *why = "data impossibile '" + s + "': il mese va da 01 a 12";
    return false;
  }
  const int days = days_in_month(y, m);
  if (d < 1 || d > days) {
    static const char* kMonths[] = {"gennaio", "febbraio", "marzo",     "aprile",  "maggio",   "giugno",
                                    "luglio",  "agosto",   "settembre", "ottobre", "novembre", "dicembre"};
    *why = "data impossibile '" + s + "': " + kMonths[m - 1] + " " + std::to_string(y) + " ha " +
           std::to_string(days) + " giorni";
    return false;
  }
  return true;
}

void read_practice_fields(const YAML::Node& root, const YamlSource& source, int open_line,
                          const Taxonomy& taxonomy, Practice* p, PracticeRefs* refs,
                          Diagnostics* diagnostics) {
  Reader r(source, open_line, taxonomy, diagnostics);
  if (refs != nullptr) r.record_terms(&refs->terms);
  r.index(root);

  r.require("title", "il titolo della pratica", "il titolo (title) è vuoto");
  r.require("summary", "una o due frasi, al massimo 400 caratteri",
            "il riassunto (summary) è vuoto: scrivi una o due frasi");
  r.require("hub", "nord, centro o sud", "l'hub è vuoto: scrivi nord, centro o sud");
  r.require("region", "la regione, per esempio piemonte",
            "la regione è vuota: scrivi lo slug della regione, per esempio piemonte");
  r.require("themes", "almeno un tema, per esempio [economia-circolare]");
  r.require("dimensions", "almeno una tra economica, sociale e ambientale");

  p->title = r.text_field("title");
  if (auto f = r.field("title")) {
    r.prose_check(p->title, r.value_line(*f));
    const std::string seen = text::trim(p->title);
    if (!seen.empty() && text::code_points(seen) < kMinTitleChars)
      r.warning(r.value_line(*f), "il titolo '" + seen +
                                      "' è molto breve: scrivi il nome della pratica, come la "
                                      "chiamereste presentandola (per esempio «Orti condivisi al quartiere Libertà»)");
  }
  if (auto f = r.field("summary")) {
    p->summary = r.text_field("summary");
    r.prose_check(p->summary, r.value_line(*f));
    if (const std::size_t n = text::code_points(p->summary); n > kMaxSummaryChars)
      r.error(r.value_line(*f), "il riassunto (summary) è lungo " + std::to_string(n) +
                                    " caratteri: il massimo è 400");
  }
  if (r.present("in_parole_semplici")) {
    const auto f = r.field("in_parole_semplici");
    const int l = f ? r.value_line(*f) : r.key_line("in_parole_semplici");
    const bool is_text = f && f->value.IsScalar();
    if (f) p->plain_words = r.scalar(f->value, f->key_line, "in_parole_semplici").value_or("");
    const std::size_t n = text::code_points(p->plain_words);
    if (!f || (is_text && p->plain_words.find_first_not_of(" \t\r\n") == std::string::npos)) {
      r.error(l, "'in_parole_semplici' è vuoto: scrivi da due a quattro frasi brevi, oppure togli il campo");
    } else if (n > kMaxPlainWordsChars) {
      r.error(l, "il testo 'in_parole_semplici' è lungo " + std::to_string(n) + " caratteri: il massimo è " +
                     std::to_string(kMaxPlainWordsChars) + " (da due a quattro frasi brevi)");
      p->plain_words.clear();
    } else if (is_text && p->plain_words == p->summary) {
      r.warning(l, "'in_parole_semplici' ripete il riassunto: racconta la pratica con le parole di tutti i giorni");
    } else {
      r.prose_check(p->plain_words, l);
    }
  }
  if (r.present("domande")) read_questions(r, p);
  int region_line = 0;
  if (auto f = r.field("hub")) {
    refs->hub_line = r.value_line(*f);
    if (auto s = r.scalar(f->value, f->key_line, "hub")) p->hub = r.vocabulary_value("hub", *s, r.value_line(*f));
  }
  if (auto f = r.field("region")) {
    region_line = r.value_line(*f);
    if (auto s = r.scalar(f->value, f->key_line, "region")) p->region = r.vocabulary_value("region", *s, region_line);
  }
  if (!p->hub.empty() && !p->region.empty()) {
    const std::string hub = taxonomy.hub_of_region(p->region);
    if (!hub.empty() && hub != p->hub)
      r.error(region_line, "la regione '" + p->region + "' appartiene all'hub '" + hub + "', non '" + p->hub + "'");
  }
  p->themes = r.vocabulary_list("themes", "theme", true, "[economia-circolare]");
  p->dimensions = r.vocabulary_list("dimensions", "dimension", true, "[sociale]");
  p->audience = r.vocabulary_list("audience", "audience", false, "[volontari]");
  p->modules = r.vocabulary_list("modules", "module", false, "[m03]");

  if (auto f = r.field("sdgs")) {
    for (auto& [value, l] : r.list(f->value, f->key_line, "sdgs")) {
      int n = 0;
      const bool digits = !value.empty() && value.size() <= 3 &&
                          std::all_of(value.begin(), value.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (digits) n = std::stoi(value);
      if (!digits || n < 1 || n > 17) {
        r.error(l, "obiettivo SDG non valido '" + value + "': deve essere un numero intero da 1 a 17");
      } else if (std::find(p->sdgs.begin(), p->sdgs.end(), n) == p->sdgs.end()) {
        p->sdgs.push_back(n);
      }
    }
  }
  if (auto f = r.field("year")) {
    int y = 0;
    const std::string shown = f->value.IsScalar() ? f->value.Scalar() : "...";
    // A practice may be about to start (next year), not later.
    const int latest = current_year() + 1;
    if (!f->value.IsScalar() || !YAML::convert<int>::decode(f->value, y) || shown.size() != 4) {
      r.error(r.value_line(*f), "anno non valido '" + shown +
                                    "': scrivi l'anno di avvio con quattro cifre, per esempio 2022");
    } else if (y < 1900) {
      r.error(r.value_line(*f), "anno di avvio " + shown + " troppo lontano: scrivi un anno dal 1900 in poi");
    } else if (y > latest) {
      r.error(r.value_line(*f), "anno di avvio " + shown +
                                    " nel futuro: scrivi l'anno in cui la pratica è "
                                    "cominciata (al più tardi nel " +
                                    std::to_string(latest) + ")");
    } else {
      p->year = y;
    }
  }
  p->city = r.text_field("city");
  p->organisation = r.text_field("organisation");
  p->date = r.date("date");
  p->last_reviewed = r.date("last_reviewed");
  if (auto f = r.field("tags")) {
    for (auto& [tag, l] : r.list(f->value, f->key_line, "tags")) {
      std::string lower = tag;
      std::transform(lower.begin(), lower.end(), lower.begin(),
                     [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; });
      if (lower != tag)
        r.warning(l, "parola chiave '" + tag + "' con maiuscole: le parole chiave si scrivono in minuscolo ('" +
                         lower + "')");
      refs->tags.push_back({tag, l});
      p->tags.push_back(tag);
    }
  }

  if (auto f = r.field("status"))
    p->status = r.one_of("status", f->value, f->key_line, kStatuses, "stato (status)", false);
  if (auto f = r.field("license"))
    p->license = r.one_of("license", f->value, f->key_line, kLicenses, "licenza (license)", true);
  if (auto f = r.field("language"))
    p->language = r.one_of("language", f->value, f->key_line, kLanguages, "lingua (language)", true);
  if (p->license.empty()) p->license = "CC-BY-4.0";
  if (p->language.empty()) p->language = "it";

  if (auto f = r.field("transferability")) {
    const int l = r.value_line(*f);
    if (f->value.IsScalar()) {
      p->transferability = r.one_of("transferability", f->value, f->key_line, kLevels, "livello di trasferibilità", false);
    } else if (f->value.IsMap()) {
      const YAML::Node level = f->value["level"];
      if (!level.IsDefined() || level.IsNull())
        r.error(l, "'transferability' senza 'level': indica alta, media o bassa");
      else
        p->transferability = r.one_of("transferability.level", level, l, kLevels, "livello di trasferibilità", false);
      p->transferability_notes = r.sub_text(f->value, "notes", l, "transferability");
      r.prose_check(p->transferability_notes, r.line(f->value["notes"], l));
      r.unknown_keys(f->value, {"level", "notes"}, "transferability");
    } else {
      r.error(l, "'transferability' deve avere i campi level (alta, media o bassa) e notes");
    }
  }

  r.maps("results", "- {indicator: \"Famiglie servite\", value: 120, unit: famiglie}",
         [&](const YAML::Node& item, int l) {
           Indicator i;
           i.indicator = r.sub_text(item, "indicator", l, "results");
           if (i.indicator.empty()) r.error(l, "risultato senza 'indicator': scrivi che cosa è stato misurato");
           i.value = r.sub_text(item, "value", l, "results");
           // A key figure: a number, its unit apart ("tanti" is no figure).
           if (i.value.empty() && !i.indicator.empty())
             r.error(l, "risultato «" + i.indicator + "» senza valore: scrivi la cifra misurata, per esempio 120");
           else if (const std::size_t comma = i.value.find(',');
                    comma != std::string::npos && comma > 0 && comma + 1 < i.value.size() &&
                    i.value.find_first_not_of("0123456789,") == std::string::npos &&
                    i.value.find(',', comma + 1) == std::string::npos) {
             // "1,200" or "21,5" written the Italian way, on the value's line.
             const std::string whole = i.value.substr(0, comma), part = i.value.substr(comma + 1);
             r.error(r.line(item["value"], l),
                     "il valore '" + i.value + "': nel file i decimali si scrivono con il punto (value: " + whole +
                         "." + part + ")" +
                         (part.size() == 3 ? " e le migliaia senza separatore (value: " + whole + part + ")" : "") +
                         "; sul sito compare comunque all'italiana");
           } else if (!i.value.empty() && !is_plain_number(i.value))
             r.error(l, "il valore '" + i.value +
                            "' non è un numero: scrivi solo la cifra (per esempio 120) e metti l'unità a parte");
           if (reads_as_thousands(i.value))
             r.warning(l, "il valore " + i.value + " compare sul sito come " + italian_number(i.value) +
                              " (il punto separa i decimali): se intendi " + number_from_italian(i.value) +
                              " scrivi value: " + number_from_italian(i.value));
           i.unit = r.sub_text(item, "unit", l, "results");
           std::set<std::string> allowed = {"indicator", "value", "unit"};
           // "value: 21,5" between braces is "value: 21" and a field "5":
           // the comma separates fields there, the figure would lose its decimals.
           for (auto it = item.begin(); it != item.end(); ++it) {
             const std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
             const bool digits = !key.empty() && key.find_first_not_of("0123456789") == std::string::npos;
             if (!digits || !it->second.IsNull() || i.value.empty() ||
                 i.value.find_first_not_of("0123456789") != std::string::npos)
               continue;
             r.error(l, "il valore '" + i.value + "," + key +
                            "': nei numeri si usa il punto per i decimali, scrivi value: " + i.value + "." + key +
                            " (tra parentesi graffe la virgola separa i campi)");
             allowed.insert(key);
           }
           r.unknown_keys(item, allowed, "results");
           p->results.push_back(std::move(i));
         });
  if (auto f = r.field("results"); f && (p->results.size() == 1 || p->results.size() > 4))
    r.warning(f->key_line, "'results' ha " + std::to_string(p->results.size()) +
                               (p->results.size() == 1 ? " indicatore" : " indicatori") +
                               ": se ne consigliano da 2 a 4, i più significativi");
  r.maps("contacts", "- {name: \"Giulia Ferrero\", role: coordinatrice, email: info@example.org}",
         [&](const YAML::Node& item, int l) {
           Contact c;
           c.name = r.sub_text(item, "name", l, "contacts");
           c.role = r.sub_text(item, "role", l, "contacts");
           c.email = r.sub_text(item, "email", l, "contacts");
           c.url = r.sub_text(item, "url", l, "contacts");
           if (const YAML::Node opt = item["email_public"]; opt.IsDefined() && !opt.IsNull()) {
             bool yes = false;
             if (opt.IsScalar() && YAML::convert<bool>::decode(opt, yes))
               c.email_public = yes;
             else
               r.error(r.line(opt, l), "'email_public' deve essere true oppure false");
           }
           if (c.name.empty() && c.email.empty() && c.url.empty())
             r.error(l, "contatto senza 'name', 'email' né 'url'");
           if (!c.email.empty() && (c.email.find('@') == std::string::npos || c.email.find(' ') != std::string::npos))
             r.error(r.line(item["email"], l), "indirizzo email non valido '" + c.email + "'");
           if (!c.url.empty() && !is_http_url(c.url))
             r.error(r.line(item["url"], l), "indirizzo non valido '" + c.url + "': deve iniziare con https:// o http://");
           r.unknown_keys(item, {"name", "role", "email", "email_public", "url"}, "contacts");
           p->contacts.push_back(std::move(c));
         });
  r.maps("resources", "- {title: \"Regolamento\", url: \"https://example.org/regolamento.pdf\"}",
         [&](const YAML::Node& item, int l) {
           Link link;
           link.title = r.sub_text(item, "title", l, "resources");
           link.url = r.sub_text(item, "url", l, "resources");
           if (link.title.empty()) r.error(l, "risorsa senza 'title': scrivi il nome del documento o del sito");
           if (link.url.empty())
             r.error(l, "risorsa senza 'url': indica l'indirizzo https://...");
           else if (!is_http_url(link.url))
             r.error(r.line(item["url"], l), "indirizzo della risorsa non valido '" + link.url +
                                                 "': deve iniziare con https:// o http://");
           r.unknown_keys(item, {"title", "url"}, "resources");
           if (!link.title.empty() && is_http_url(link.url)) p->resources.push_back(std::move(link));
         });

  if (auto f = r.field("cover")) {
    const int l = r.value_line(*f);
    if (!f->value.IsMap()) {
      r.error(l, "'cover' deve avere src e alt, per esempio cover: {src: copertina.jpg, alt: \"Volontari al lavoro\"}");
    } else {
      Cover c;
      c.src = r.sub_text(f->value, "src", l, "cover");
      c.alt = r.sub_text(f->value, "alt", l, "cover");
      if (c.src.empty()) r.error(l, "'cover' senza 'src': indica il file dell'immagine");
      if (c.alt.find_first_not_of(" \t") == std::string::npos)
        r.error(r.line(f->value["alt"], f->key_line),
                "immagine di copertina senza testo alternativo 'alt': descrivi l'immagine per chi non la vede");
      r.unknown_keys(f->value, {"src", "alt"}, "cover");
      // The page shows a cover served from the library (/media/), never
      // one from another site: said, rather than a practice without it.
      if (is_http_url(c.src))
        r.error(r.line(f->value["src"], l),
                "'cover': l'immagine deve essere un file della biblioteca, non un indirizzo web: scaricala, "
                "mettila nella cartella della pratica (con lo stesso nome della scheda, senza .md) e scrivi "
                "solo il nome del file, per esempio src: copertina.jpg");
      else if (!c.src.empty())
        refs->cover_line = r.line(f->value["src"], l);
      p->cover = std::move(c);
    }
  }
  if (auto f = r.field("related")) {
    for (auto& [value, l] : r.list(f->value, f->key_line, "related")) {
      if (!text::is_slug(value)) {
        r.error(l, "'related': '" + value + "' non è lo slug di una pratica (il nome del file senza .md)");
        continue;
      }
      refs->related.push_back({value, l});
      p->related.push_back(value);
    }
  }
  if (auto f = r.field("didattica")) read_didattica(r, *f, p);
}

}  // namespace bp::detail
