#include "yaml_util.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <map>
#include <sstream>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "bp/text.h"

namespace bp::detail {
namespace {

constexpr int kMaxDepth = 64;

void add(Diagnostics* d, const YamlSource& s, int line, std::string message) {
  d->push_back({s.file, line, 0, Severity::kError, std::move(message)});
}

void find_duplicate_keys(const YAML::Node& node, const YamlSource& source, int depth,
                         Diagnostics* diagnostics) {
  if (depth > kMaxDepth) return;
  if (node.IsMap()) {
    std::unordered_map<std::string, int> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
      if (it->first.IsScalar()) {
        const std::string& key = it->first.Scalar();
        const int line = line_of(it->first, source, source.first_line);
        auto [pos, inserted] = seen.emplace(key, line);
        if (!inserted) {
          add(diagnostics, source, line,
              "chiave duplicata '" + key + "' (già alla riga " + std::to_string(pos->second) +
                  "): tieni una sola delle due");
        }
      }
      find_duplicate_keys(it->second, source, depth + 1, diagnostics);
    }
  } else if (node.IsSequence()) {
    for (const auto& item : node) find_duplicate_keys(item, source, depth + 1, diagnostics);
  }
}

}  // namespace

int line_of(const YAML::Node& node, const YamlSource& source, int fallback) {
  if (!node.IsDefined()) return fallback;
  const YAML::Mark mark = node.Mark();
  if (mark.line < 0) return fallback;
  return source.first_line + mark.line;
}

std::string translate_yaml_error(const std::string& m) {
  auto starts = [&](std::string_view p) { return m.compare(0, p.size(), p) == 0; };
  if (m == YAML::ErrorMsg::MAP_VALUE)
    return "YAML non valido: ':' inatteso; se il testo contiene ':' metti il valore tra "
           "virgolette (title: \"Prima parte: seconda parte\")";
  if (m == YAML::ErrorMsg::END_OF_MAP)
    return "YAML non valido: campo non chiuso; controlla il rientro (gli spazi a inizio riga) "
           "e le virgolette: un valore tra virgolette semplici con un apostrofo va messo tra "
           "virgolette doppie";
  if (m == YAML::ErrorMsg::END_OF_MAP_FLOW)
    return "YAML non valido: manca la '}' che chiude l'elenco tra graffe";
  if (m == YAML::ErrorMsg::END_OF_SEQ_FLOW)
    return "YAML non valido: manca la ']' che chiude la lista tra parentesi quadre";
  if (m == YAML::ErrorMsg::END_OF_SEQ)
    return "YAML non valido: lista non chiusa; controlla il rientro dei trattini '-'";
  if (m == YAML::ErrorMsg::TAB_IN_INDENTATION)
    return "YAML non valido: tabulazione nel rientro; usa solo spazi";
  if (m == YAML::ErrorMsg::BLOCK_ENTRY)
    return "YAML non valido: trattino '-' fuori posto; controlla il rientro della lista";
  if (m == YAML::ErrorMsg::MAP_KEY)
    return "YAML non valido: chiave fuori posto; controlla il rientro";
  if (m == YAML::ErrorMsg::UNKNOWN_TOKEN)
    return "YAML non valido: carattere inatteso; se il valore inizia con '@', '`', '%' o "
           "un altro simbolo, mettilo tra virgolette";
  if (m == YAML::ErrorMsg::EOF_IN_SCALAR)
    return "YAML non valido: testo tra virgolette non chiuso";
  if (m == YAML::ErrorMsg::CHAR_IN_SCALAR || m == YAML::ErrorMsg::DOC_IN_SCALAR)
    return "YAML non valido: carattere non ammesso nel testo; metti il valore tra virgolette";
  if (starts(YAML::ErrorMsg::INVALID_ESCAPE) || m == YAML::ErrorMsg::INVALID_HEX ||
      starts(YAML::ErrorMsg::INVALID_UNICODE))
    return "YAML non valido: sequenza con '\\' sconosciuta tra virgolette doppie; usa le "
           "virgolette semplici oppure scrivi '\\\\'";
  if (m == YAML::ErrorMsg::CHAR_IN_BLOCK || m == YAML::ErrorMsg::ZERO_INDENT_IN_BLOCK)
    return "YAML non valido: testo su più righe (dopo '|' o '>') scritto male; rientra le "
           "righe del testo con degli spazi";
  if (m == YAML::ErrorMsg::UNEXPECTED_END_SEQ || m == YAML::ErrorMsg::UNEXPECTED_END_MAP ||
      m == YAML::ErrorMsg::FLOW_END)
    return "YAML non valido: ']' o '}' di troppo";
  if (m == YAML::ErrorMsg::UNKNOWN_ANCHOR || m == YAML::ErrorMsg::ALIAS_NOT_FOUND ||
      m == YAML::ErrorMsg::ANCHOR_NOT_FOUND || m == YAML::ErrorMsg::ALIAS_CONTENT)
    return "YAML non valido: '*' o '&' all'inizio di un valore; mettilo tra virgolette";
  return "YAML non valido (" + m + ")";
}

// The line (0-based) of the first alias ("*name") in `yaml`, or -1; found
// by yaml-cpp's event parser, which reads each alias once: a loaded node
// graph repeats an alias's target wherever it is walked, so a few lines of
// nested aliases (a "billion laughs") would take exponential time to check.
int first_alias_line(const std::string& yaml) {
  class FirstAlias : public YAML::EventHandler {
   public:
    int line = -1;
    void OnDocumentStart(const YAML::Mark&) override {}
    void OnDocumentEnd() override {}
    void OnNull(const YAML::Mark&, YAML::anchor_t) override {}
    void OnAlias(const YAML::Mark& mark, YAML::anchor_t) override {
      if (line < 0) line = mark.line;
    }
    void OnScalar(const YAML::Mark&, const std::string&, YAML::anchor_t, const std::string&) override {}
    void OnSequenceStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnSequenceEnd() override {}
    void OnMapStart(const YAML::Mark&, const std::string&, YAML::anchor_t, YAML::EmitterStyle::value) override {}
    void OnMapEnd() override {}
  };
  std::istringstream in(yaml);
  YAML::Parser parser(in);
  FirstAlias handler;
  try {
    while (handler.line < 0 && parser.HandleNextDocument(handler)) {
    }
  } catch (const YAML::Exception&) {
    // Reported by the load that follows.
  }
  return handler.line;
}

namespace {

// The lines of `yaml`, without their '\n'.
std::vector<std::string_view> lines_of(const std::string& yaml) {
  std::vector<std::string_view> out;
  for (std::size_t pos = 0; pos <= yaml.size();) {
    std::size_t end = yaml.find('\n', pos);
    if (end == std::string::npos) end = yaml.size();
    out.push_back(std::string_view(yaml).substr(pos, end - pos));
    pos = end + 1;
  }
  return out;
}

// For yaml-cpp's "illegal map value" at 0-based `line`: the key of that line
// when the line is a field ("region: liguria") indented deeper than the
// field above it, which has a value on its own line ("hub: nord"), the
// shape of a field indented by mistake; "" otherwise (then the ':' is more
// likely inside an unquoted text).
std::string indented_key(const std::string& yaml, int line) {
  const std::vector<std::string_view> lines = lines_of(yaml);
  if (line <= 0 || static_cast<std::size_t>(line) >= lines.size()) return "";
  auto indent = [](std::string_view l) { return l.find_first_not_of(' '); };
  const std::string_view here = lines[static_cast<std::size_t>(line)];
  const std::size_t at = indent(here);
  if (at == 0 || at == std::string_view::npos) return "";
  const std::size_t colon = here.find(':', at);
  if (colon == std::string_view::npos) return "";
  // "    role: referente: scuole": a second ':' in the value is the
  // unquoted text's, not a field indented by mistake.
  if (here.find(": ", colon + 1) != std::string_view::npos) return "";
  const std::string_view key = here.substr(at, colon - at);
  if (key.empty() || !std::all_of(key.begin(), key.end(), [](char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
      }))
    return "";
  for (int i = line - 1; i >= 0; --i) {
    const std::string_view above = lines[static_cast<std::size_t>(i)];
    const std::size_t a = indent(above);
    if (a == std::string_view::npos) continue;  // a blank line
    if (a >= at) return "";
    const std::size_t c = above.find(": ", a);
    if (c == std::string_view::npos) return "";
    const std::string_view value = above.substr(c + 2);
    const std::size_t v = value.find_first_not_of(' ');
    if (v == std::string_view::npos || value[v] == '|' || value[v] == '>' || value[v] == '#') return "";
    return std::string(key);
  }
  return "";
}

// Where the value of a line of YAML starts: after its indentation, a
// list's "- " and a "key: " (a ": " after a double quote is the value's own);
// npos for a blank line or a key without a value on the line.
std::size_t value_start(std::string_view row) {
  std::size_t value = row.find_first_not_of(' ');
  if (value == std::string_view::npos) return value;
  if (row.compare(value, 2, "- ") == 0) value += 2;
  if (const std::size_t colon = row.find(": ", value);
      colon != std::string_view::npos && row.substr(value, colon - value).find('"') == std::string_view::npos)
    value = colon + 2;
  return row.find_first_not_of(' ', value);
}

// The 0-based line, at or before `upto`, that opens a value in double
// quotes ("title: \"…", "  - \"…") still open at `upto`: the line to fix
// when the parser stumbles further down, where the quote is at last closed
// by the next value's opening quote. A value in quotes over several lines
// that closes is no such line. -1 when there is none.
int unclosed_quote_line(const std::string& yaml, int upto) {
  int open = -1;
  std::size_t pos = 0;
  for (int line = 0; line <= upto && pos <= yaml.size(); ++line) {
    std::size_t end = yaml.find('\n', pos);
    if (end == std::string::npos) end = yaml.size();
    const std::string_view row(yaml.data() + pos, end - pos);
    pos = end + 1;
    auto odd_quotes_from = [&](std::size_t from) {
      int quotes = 0;
      for (std::size_t i = from; i < row.size(); ++i) {
        if (row[i] == '\\')
          ++i;  // an escaped character, \" included
        else if (row[i] == '"')
          ++quotes;
      }
      return quotes % 2 == 1;
    };
    if (open >= 0) {  // inside a quoted value: an odd count closes it
      if (odd_quotes_from(0)) open = -1;
      continue;
    }
    const std::size_t value = value_start(row);
    if (value != std::string_view::npos && row[value] == '"' && odd_quotes_from(value)) open = line;
  }
  return open;
}

// The quote ('"' or '\'') of a quoted value on 0-based line `line` that
// closes before the line's text ends (title: "Il progetto "Orti" di Bari",
// title: 'L'orto'): yaml-cpp then stumbles on that line with a message
// about maps. 0 when the line has no such value.
char closed_too_early(const std::string& yaml, int line) {
  const std::vector<std::string_view> lines = lines_of(yaml);
  if (line < 0 || static_cast<std::size_t>(line) >= lines.size()) return 0;
  const std::string_view row = lines[static_cast<std::size_t>(line)];
  const std::size_t value = value_start(row);
  if (value == std::string_view::npos || (row[value] != '"' && row[value] != '\'')) return 0;
  const char quote = row[value];
  for (std::size_t i = value + 1; i < row.size(); ++i) {
    if (quote == '"' && row[i] == '\\') {
      ++i;
    } else if (row[i] == quote) {
      if (quote == '\'' && i + 1 < row.size() && row[i + 1] == '\'') {  // '' is one quote
        ++i;
        continue;
      }
      const std::size_t after = row.find_first_not_of(" \r", i + 1);
      return after == std::string_view::npos || row[after] == '#' ? 0 : quote;
    }
  }
  return 0;
}

// "hub:nord": a field's name, ':' and its value with no space between
// (YAML reads the row as text and stumbles on the next field). The 0-based
// row of the first such one among `line` and the non-blank row above it,
// -1 for none; `*fix` gets the row as it should be ("hub: nord").
// A value on 0-based line `line` that opens with typographic quotes (“…”,
// «…», ‘…’, as a word processor types them): text for YAML, which then
// stumbles on a ':' inside it.
bool typographic_quote(const std::string& yaml, int line) {
  const std::vector<std::string_view> lines = lines_of(yaml);
  if (line < 0 || static_cast<std::size_t>(line) >= lines.size()) return false;
  const std::string_view row = lines[static_cast<std::size_t>(line)];
  const std::size_t value = value_start(row);
  if (value == std::string_view::npos) return false;
  const std::string_view v = row.substr(value);
  for (std::string_view q : {"\u201C", "\u201D", "\u00AB", "\u2018", "\u2019"})
    if (v.starts_with(q)) return true;
  return false;
}

// "-sociale": a list's item without the space after its dash, among
// `line` and the non-blank row above it; -1 for none, else the row, with
// `*fix` "- sociale". ("---" and "-1" are not such items.)
int dash_without_space(const std::string& yaml, int line, std::string* fix) {
  const std::vector<std::string_view> lines = lines_of(yaml);
  for (int l = std::max(line - 1, 0); l <= line; ++l) {
    if (static_cast<std::size_t>(l) >= lines.size()) continue;
    const std::string_view row = lines[static_cast<std::size_t>(l)];
    const std::size_t at = row.find_first_not_of(' ');
    if (at == std::string_view::npos || at + 1 >= row.size() || row[at] != '-') continue;
    const char next = row[at + 1];
    if ((next >= 'a' && next <= 'z') || (next >= 'A' && next <= 'Z')) {
      *fix = "- " + std::string(row.substr(at + 1));
      while (!fix->empty() && (fix->back() == '\r' || fix->back() == ' ')) fix->pop_back();
      return l;
    }
  }
  return -1;
}

int colon_without_space(const std::string& yaml, int line, std::string* fix) {
  const std::vector<std::string_view> lines = lines_of(yaml);
  int above = line - 1;
  while (above >= 0 && static_cast<std::size_t>(above) < lines.size() &&
         lines[static_cast<std::size_t>(above)].find_first_not_of(" \r") == std::string_view::npos)
    --above;
  for (int l : {above, line}) {
    if (l < 0 || static_cast<std::size_t>(l) >= lines.size()) continue;
    const std::string_view row = lines[static_cast<std::size_t>(l)];
    const std::size_t at = row.find_first_not_of(' ');
    if (at == std::string_view::npos) continue;
    if (const std::string spaced = spaced_field(std::string(row.substr(at))); !spaced.empty()) {
      *fix = spaced;
      return l;
    }
  }
  return -1;
}

}  // namespace

std::optional<YAML::Node> parse_yaml(const std::string& yaml, const YamlSource& source,
                                     Diagnostics* diagnostics) {
  bool tabs = false;
  int line = source.first_line;
  for (std::size_t pos = 0; pos < yaml.size(); ++line) {
    std::size_t end = yaml.find('\n', pos);
    if (end == std::string::npos) end = yaml.size();
    for (std::size_t i = pos; i < end && (yaml[i] == ' ' || yaml[i] == '\t'); ++i) {
      if (yaml[i] == '\t') {
        // A tab-only line is harmless to YAML; only indentation before text counts.
        if (yaml.find_first_not_of(" \t", i) < end) {
          add(diagnostics, source, line,
              "tabulazione usata per il rientro: in YAML il rientro si fa solo con gli spazi");
          tabs = true;
        }
        break;
      }
    }
    pos = end + 1;
  }
  if (const std::vector<int> conflicts = conflict_lines(yaml); !conflicts.empty()) {
    for (int l : conflicts) add(diagnostics, source, source.first_line + l - 1, conflict_message());
    return std::nullopt;
  }
  if (const int alias = first_alias_line(yaml); alias >= 0) {
    add(diagnostics, source, source.first_line + alias,
        "YAML non valido: i riferimenti '*nome' (alias) non sono ammessi; scrivi il valore per intero, o mettilo "
        "tra virgolette se inizia con '*'");
    return std::nullopt;
  }
  try {
    YAML::Node root = YAML::Load(yaml);
    find_duplicate_keys(root, source, 0, diagnostics);
    return root;
  } catch (const YAML::DeepRecursion& e) {
    const int l = e.mark.line >= 0 ? source.first_line + e.mark.line : source.first_line;
    add(diagnostics, source, l, "YAML non valido: troppe parentesi o livelli annidati");
  } catch (const YAML::ParserException& e) {
    // The tab errors above already explain this failure.
    if (!tabs) {
      const int l = e.mark.line >= 0 ? source.first_line + e.mark.line : source.first_line;
      // A quote left open a line or more above: said there, where it is
      // mended (yaml-cpp notices only at the next value's quote).
      if (const int open = e.mark.line > 0 ? unclosed_quote_line(yaml, e.mark.line - 1) : -1; open >= 0) {
        add(diagnostics, source, source.first_line + open,
            "YAML non valido: le virgolette aperte in questa riga non sono chiuse; aggiungi \" alla fine del "
            "valore");
        return std::nullopt;
      }
      if (const char quote = e.mark.line >= 0 ? closed_too_early(yaml, e.mark.line) : 0; quote != 0) {
        add(diagnostics, source, l,
            quote == '"'
                ? "YAML non valido: il valore tra virgolette doppie finisce alla seconda \" e il testo dopo non è "
                  "ammesso; per citare un nome dentro il valore usa le virgolette basse «…» o quelle semplici "
                  "(title: \"Il progetto «Orti» di Bari\")"
                : "YAML non valido: il valore tra virgolette semplici finisce al primo apostrofo; metti il valore "
                  "tra virgolette doppie (title: \"L'orto di tutti\")");
        return std::nullopt;
      }
      if (std::string fix; e.mark.line >= 0) {
        if (const int at = colon_without_space(yaml, e.mark.line, &fix); at >= 0) {
          add(diagnostics, source, source.first_line + at,
              "YAML non valido: dopo i due punti ci vuole uno spazio; scrivi '" + fix + "'");
          return std::nullopt;
        }
        if (const int at = dash_without_space(yaml, e.mark.line, &fix); at >= 0) {
          add(diagnostics, source, source.first_line + at,
              "YAML non valido: dopo il trattino di ogni voce della lista ci vuole uno spazio; scrivi '" + fix + "'");
          return std::nullopt;
        }
      }
      if (e.mark.line >= 0 && typographic_quote(yaml, e.mark.line)) {
        add(diagnostics, source, l,
            "YAML non valido: per YAML le virgolette tipografiche (“…”, «…») fanno parte del testo e non lo "
            "racchiudono; metti tutto il valore tra virgolette diritte (title: \"“Torino: orti”\")");
        return std::nullopt;
      }
      const std::string key = e.msg == YAML::ErrorMsg::MAP_VALUE ? indented_key(yaml, e.mark.line) : "";
      add(diagnostics, source, l,
          key.empty() ? translate_yaml_error(e.msg)
                      : "YAML non valido: la riga di '" + key +
                            "' ha degli spazi all'inizio, come se continuasse il campo sopra; se è un campo a sé "
                            "toglili, così che inizi come gli altri campi");
    }
  } catch (const YAML::Exception& e) {
    add(diagnostics, source, source.first_line, translate_yaml_error(e.msg));
  }
  return std::nullopt;
}

std::string nearest(const std::vector<std::string>& values, const std::string& value) {
  std::string best;
  int best_d = 0;
  const std::string v = text::fold_lower(value);
  for (const auto& c : values) {
    const int d = text::edit_distance(v, text::fold_lower(c));
    if (best.empty() || d < best_d) best = c, best_d = d;
  }
  return best_d <= std::clamp((static_cast<int>(v.size()) + 1) / 3, 1, 3) ? best : "";
}

std::string quoted_list(const std::vector<std::string>& values) {
  std::string out;
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i) out += i + 1 == values.size() ? " o " : ", ";
    out += "'" + values[i] + "'";
  }
  return out;
}

VocabularyNoun vocabulary_noun(const std::string& vocabulary) {
  static const std::map<std::string, VocabularyNoun> k = {
      {"hub", {"hub", false}},          {"region", {"regione", true}},
      {"theme", {"tema", false}},       {"dimension", {"dimensione", true}},
      {"audience", {"pubblico", false}}, {"module", {"modulo", false}},
      {"sdg", {"obiettivo SDG", false}}, {"macro_action", {"macro-azione", true}},
      {"level", {"ordine di scuola", false}}, {"subject", {"disciplina", true}},
      {"duration", {"durata", true}}};
  auto it = k.find(vocabulary);
  return it == k.end() ? VocabularyNoun{"valore", false} : it->second;
}

std::string unknown_term_message(const Taxonomy& taxonomy, const std::string& vocabulary,
                                 const std::string& value) {
  const VocabularyNoun noun = vocabulary_noun(vocabulary);
  std::string m = std::string(noun.word) + " sconosciut" + (noun.feminine ? "a" : "o") + " '" + value + "'";
  const Vocabulary* v = taxonomy.vocabulary(vocabulary);
  if (std::string c = taxonomy.closest(vocabulary, value); !c.empty())
    m += ": forse '" + c + "'?";
  else if (!v || v->terms.empty())
    m += ": taxonomy.yaml non ne elenca nessuno";
  else if (v->terms.size() <= 8)
    m += ": i valori ammessi sono " + quoted_list(v->slugs());
  else
    m += ": i valori ammessi sono elencati in taxonomy.yaml";
  return m;
}

std::vector<int> conflict_lines(std::string_view text) {
  std::vector<int> out;
  int line = 1;
  for (std::size_t at = 0; at < text.size(); ++line) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    const std::string_view row = text.substr(at, end - at);
    if (row.starts_with("<<<<<<<") && (row.size() == 7 || row[7] == ' ' || row[7] == '\r')) out.push_back(line);
    at = end + 1;
  }
  return out;
}

std::string conflict_message() {
  return "conflitto di git non risolto: da questa riga a '>>>>>>>' ci sono due versioni del testo, separate da "
         "'======='; tieni quella giusta e cancella le righe '<<<<<<<', '=======' e '>>>>>>>'";
}

std::string spaced_field(const std::string& text) {
  const std::size_t colon = text.find(':');
  if (colon == std::string::npos || colon + 1 >= text.size() || text[0] < 'a' || text[0] > 'z') return "";
  const char next = text[colon + 1];
  if (next == ' ' || next == '\r' || next == '/' || next == ':') return "";  // a field, a URL, "::"
  for (std::size_t i = 0; i < colon; ++i)
    if (!((text[i] >= 'a' && text[i] <= 'z') || (text[i] >= '0' && text[i] <= '9') || text[i] == '_')) return "";
  // "ore:10:30" is text with colons, not a field; "url:http…" is a field.
  if (text.find(": ", colon + 1) != std::string::npos) return "";
  std::string row = text;
  while (!row.empty() && (row.back() == '\r' || row.back() == ' ')) row.pop_back();
  return row.substr(0, colon + 1) + " " + row.substr(colon + 1);
}

std::string spaced_field_error(const std::string& fix) {
  return "dopo i due punti ci vuole uno spazio: scrivi '" + fix + "' (così il campo non viene letto)";
}

void report_unknown_keys(const YAML::Node& map, const std::set<std::string>& allowed,
                         const std::string& where, const YamlSource& source, int fallback_line,
                         Diagnostics* diagnostics) {
  if (!map.IsMap()) return;
  for (auto it = map.begin(); it != map.end(); ++it) {
    const std::string key = it->first.IsScalar() ? it->first.Scalar() : "";
    if (allowed.count(key)) continue;
    if (const std::string fix = spaced_field(key); !fix.empty() && allowed.count(key.substr(0, key.find(':')))) {
      diagnostics->push_back(
          {source.file, line_of(it->first, source, fallback_line), 0, Severity::kError, spaced_field_error(fix)});
      continue;
    }
    std::string m = "campo sconosciuto '" + key + "'" + (where.empty() ? "" : " in '" + where + "'") +
                    " (viene ignorato)";
    if (std::string s = nearest({allowed.begin(), allowed.end()}, key); !s.empty())
      m += ": forse '" + s + "'?";
    diagnostics->push_back(
        {source.file, line_of(it->first, source, fallback_line), 0, Severity::kWarning, std::move(m)});
  }
}

bool is_http_url(std::string_view url) {
  for (std::string_view scheme : {"http://", "https://"}) {
    if (url.size() > scheme.size() && url.substr(0, scheme.size()) == scheme &&
        url.find_first_of(" \t\n") == std::string_view::npos)
      return true;
  }
  return false;
}

}  // namespace bp::detail
