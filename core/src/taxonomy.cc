#include "bp/taxonomy.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <map>
#include <set>
#include <sstream>
#include <unordered_set>

#include "bp/file_bytes.h"
#include "bp/text.h"
#include "front_matter.h"
#include "varint.h"
#include "yaml_util.h"

namespace bp {
namespace {

using detail::line_of;
using detail::YamlSource;

// The longest expression of the `expressions:` lexicon, in words (the query
// side matches phrases of at most eight words: search_synonyms.h).
constexpr std::size_t kMaxExpressionWords = 8;

// One vocabulary list of taxonomy.yaml.
struct ListSpec {
  const char* key;         // YAML key ("hubs")
  const char* vocabulary;  // vocabulary name ("hub")
  const char* id_key;      // field holding the slug ("slug", "id", "number")
  std::set<std::string> fields;  // accepted fields besides id_key
  bool optional = false;         // a library without lesson sheets may leave it out
};

// The key an editor meant by an unknown top-level key of taxonomy.yaml: a
// list's Italian name ("temi" is 'themes'), else the closest known key
// ("theme"); "" for none.
std::string meant_key(const std::string& key, const std::set<std::string>& known) {
  static const std::map<std::string, std::string> kItalian = {{"versione", "version"},
                                                              {"poli", "hubs"},
                                                              {"dimensioni", "dimensions"},
                                                              {"regioni", "regions"},
                                                              {"temi", "themes"},
                                                              {"obiettivi", "sdgs"},
                                                              {"pubblici", "audiences"},
                                                              {"destinatari", "audiences"},
                                                              {"macro_azioni", "macro_actions"},
                                                              {"macroazioni", "macro_actions"},
                                                              {"moduli", "modules"},
                                                              {"livelli", "levels"},
                                                              {"ordini_di_scuola", "levels"},
                                                              {"materie", "subjects"},
                                                              {"discipline", "subjects"},
                                                              {"durate", "durations"},
                                                              {"sinonimi", "synonyms"},
                                                              {"acronimi", "acronyms"},
                                                              {"sigle", "acronyms"},
                                                              {"espressioni", "expressions"},
                                                              {"parole_di_tutti_i_giorni", "everyday_words"},
                                                              {"espansioni_bloccate", "blocked_expansions"}};
  if (auto it = kItalian.find(text::fold_lower(key)); it != kItalian.end()) return it->second;
  return detail::nearest({known.begin(), known.end()}, key);
}

// Processing order matters: regions need the hubs, modules the macro-actions.
const std::vector<ListSpec>& list_specs() {
  static const std::vector<ListSpec> k = {
      {"hubs", "hub", "slug", {"label", "label_en", "description"}},
      // A dimension's synonyms name it in a query ("sostenibilità
      // ambientale", "ambiente"); its bare label ("Sociale") is no key.
      {"dimensions", "dimension", "slug", {"label", "label_en", "description", "synonyms", "synonyms_en"}},
      {"regions", "region", "slug", {"label", "label_en", "hub"}},
      {"themes", "theme", "slug", {"label", "label_en", "description", "synonyms", "everyday", "synonyms_en"}},
      {"sdgs", "sdg", "number", {"label", "label_en", "color", "description"}},
      {"audiences", "audience", "slug", {"label", "label_en", "description"}},
      {"macro_actions", "macro_action", "id", {"label", "label_en", "description"}},
      {"modules", "module", "id", {"label", "label_en", "description", "macro_action"}},
      // The lesson sheet (didattica): school levels, subjects, duration bands
      // (whose bounds are in bp/teaching.h).
      {"levels", "level", "slug", {"label", "label_en", "description", "everyday"}, true},
      {"subjects", "subject", "slug", {"label", "label_en", "description"}, true},
      {"durations", "duration", "slug", {"label", "label_en", "description"}, true},
  };
  return k;
}

class Loader {
 public:
  Loader(YamlSource source, Diagnostics* d) : source_(std::move(source)), d_(d) {}

  void error(const YAML::Node& at, std::string message, int fallback = 0) {
    d_->push_back({source_.file, line_of(at, source_, fallback ? fallback : source_.first_line), 0,
                   Severity::kError, std::move(message)});
  }
  void warning(const YAML::Node& at, std::string message) {
    d_->push_back({source_.file, line_of(at, source_, source_.first_line), 0, Severity::kWarning,
                   std::move(message)});
  }

  // A scalar string field of `map` ("" when absent); errors when not a scalar.
  std::string text(const YAML::Node& map, const char* key, bool required,
                   const std::string& context) {
    const YAML::Node n = map[key];
    if (!n.IsDefined() || n.IsNull()) {
      if (required) error(map, context + ": manca il campo '" + key + "'");
      return "";
    }
    if (!n.IsScalar()) {
      error(n, context + ": '" + key + "' deve essere un testo");
      return "";
    }
    return n.Scalar();
  }

  std::vector<std::string> strings(const YAML::Node& n, const std::string& context) {
    std::vector<std::string> out;
    if (!n.IsDefined() || n.IsNull()) return out;
    if (!n.IsSequence()) {
      error(n, context + " deve essere una lista, per esempio [gas, \"gruppo d'acquisto\"]");
      return out;
    }
    for (const auto& item : n) {
      if (item.IsScalar() && !item.Scalar().empty())
        out.push_back(item.Scalar());
      else
        error(item, context + ": ogni voce deve essere un testo non vuoto");
    }
    return out;
  }

  // True when the optional section `n` is there and a map; an error, with
  // `message`, when it is there and something else.
  bool map_section(const YAML::Node& n, const std::string& message) {
    if (!n.IsDefined() || n.IsNull()) return false;
    if (!n.IsMap()) error(n, message);
    return n.IsMap();
  }

  // The line of a map's key `key`, folded `folded`; 0 after an error when
  // `seen` (folded key -> its line) has it already.
  int new_key(const YAML::Node& key, const std::string& folded, const std::string& context,
              std::map<std::string, int>* seen) {
    const int line = line_of(key, source_, source_.first_line);
    if (auto [at, fresh] = seen->emplace(folded, line); !fresh) {
      error(key, context + ": compare già alla riga " + std::to_string(at->second) + ": tieni una voce sola");
      return 0;
    }
    return line;
  }

  Vocabulary load_list(const YAML::Node& root, const ListSpec& spec, Taxonomy& so_far,
                       const std::vector<Vocabulary>& loaded) {
    Vocabulary v;
    v.name = spec.vocabulary;
    const YAML::Node list = root[spec.key];
    if (!list.IsDefined() || list.IsNull()) {
      if (spec.optional) return v;
      error(root, std::string("manca l'elenco '") + spec.key + "'", 1);
      return v;
    }
    if (!list.IsSequence()) {
      error(list, std::string("'") + spec.key + "' deve essere una lista (righe che iniziano con '-')");
      return v;
    }
    std::unordered_set<std::string> seen;
    for (const auto& item : list) {
      const std::string where = spec.key;
      if (!item.IsMap()) {
        error(item, where + ": ogni voce deve avere i campi " + spec.id_key + " e label");
        continue;
      }
      Term t;
      const YAML::Node id = item[spec.id_key];
      if (std::string(spec.id_key) == "number") {
        int number = 0;
        if (!id.IsDefined() || !id.IsScalar() || !YAML::convert<int>::decode(id, number) ||
            number < 1 || number > 17) {
          error(id.IsDefined() ? id : item, where + ": 'number' deve essere un intero da 1 a 17");
          continue;
        }
        t.slug = std::to_string(number);
      } else {
        t.slug = text(item, spec.id_key, true, where);
        if (t.slug.empty()) continue;
        if (!text::is_slug(t.slug)) {
          error(id, where + ": '" + t.slug + "' non è uno slug valido (solo minuscole, cifre e '-'): forse '" +
                        text::slugify(t.slug) + "'?");
          continue;
        }
      }
      if (!seen.insert(t.slug).second) {
        error(id, where + ": '" + t.slug + "' compare due volte");
        continue;
      }
      const std::string context = where + " '" + t.slug + "'";
      t.label = text(item, "label", true, context);
      t.label_en = text(item, "label_en", false, context);
      t.description = text(item, "description", false, context);
      t.color = text(item, "color", false, context);
      t.synonyms = strings(item["synonyms"], context + ": 'synonyms'");
      t.everyday = strings(item["everyday"], context + ": 'everyday'");
      t.synonyms_en = strings(item["synonyms_en"], context + ": 'synonyms_en'");
      if (spec.fields.count("hub")) {
        t.hub = text(item, "hub", true, context);
        const Vocabulary* hubs = find(loaded, "hub");
        if (!t.hub.empty() && hubs && !hubs->find(t.hub))
          error(item["hub"], context + ": hub sconosciuto '" + t.hub + "'" + hint(so_far, loaded, "hub", t.hub));
      }
      if (spec.fields.count("macro_action")) {
        t.group = text(item, "macro_action", true, context);
        const Vocabulary* macro = find(loaded, "macro_action");
        if (!t.group.empty() && macro && !macro->find(t.group))
          error(item["macro_action"], context + ": macro-azione sconosciuta '" + t.group + "'");
      }
      for (auto it = item.begin(); it != item.end(); ++it) {
        const std::string key = it->first.Scalar();
        if (key != spec.id_key && !spec.fields.count(key))
          warning(it->first, context + ": campo sconosciuto '" + key + "' (ignorato)");
      }
      v.terms.push_back(std::move(t));
    }
    // Taxonomy::load() refuses a file without any term of a required list.
    if (!spec.optional && v.terms.empty())
      error(list, std::string("l'elenco '") + spec.key + "' non ha nessuna voce valida");
    return v;
  }

  // The `acronyms:` list: {acronym, expansion (text or list), en, area,
  // lowercase}.
  std::vector<Acronym> load_acronyms(const YAML::Node& list) {
    std::vector<Acronym> out;
    if (!list.IsDefined() || list.IsNull()) return out;
    if (!list.IsSequence()) {
      error(list, "'acronyms' deve essere una lista di voci {acronym: APS, expansion: \"...\"}");
      return out;
    }
    std::unordered_set<std::string> seen;
    for (const auto& item : list) {
      if (!item.IsMap()) {
        error(item, "acronyms: ogni voce deve avere i campi acronym ed expansion");
        continue;
      }
      Acronym a;
      a.acronym = text(item, "acronym", true, "acronyms");
      if (a.acronym.empty()) continue;
      const std::string context = "acronyms '" + a.acronym + "'";
      const bool well_formed =
          a.acronym.size() >= 2 && a.acronym.size() <= 10 &&
          std::all_of(a.acronym.begin(), a.acronym.end(), [](char c) {
            return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
          });
      if (!well_formed) {
        error(item["acronym"], context + ": una sigla è fatta di 2-10 lettere o cifre, senza spazi né punti");
        continue;
      }
      if (!seen.insert(text::fold_lower(a.acronym)).second) {
        error(item["acronym"], context + ": la sigla compare due volte: unisci le due voci");
        continue;
      }
      const YAML::Node expansion = item["expansion"];
      if (expansion.IsDefined() && expansion.IsScalar() && !expansion.Scalar().empty())
        a.expansion = {expansion.Scalar()};
      else
        a.expansion = strings(expansion, context + ": 'expansion'");
      if (a.expansion.empty()) {
        error(expansion.IsDefined() ? expansion : item,
              context + ": manca 'expansion', cioè che cosa significa la sigla per esteso");
        continue;
      }
      const YAML::Node en = item["en"];
      if (en.IsDefined() && en.IsScalar() && !en.Scalar().empty())
        a.en = {en.Scalar()};
      else
        a.en = strings(en, context + ": 'en'");
      a.area = text(item, "area", false, context);
      if (const YAML::Node lowercase = item["lowercase"]; lowercase.IsDefined()) {
        bool value = false;
        if (!lowercase.IsScalar() || !YAML::convert<bool>::decode(lowercase, value))
          error(lowercase, context + ": 'lowercase' è true (la sigla si cerca anche in minuscolo) o false");
        a.lowercase = value;
      }
      for (auto it = item.begin(); it != item.end(); ++it) {
        const std::string key = it->first.Scalar();
        if (key != "acronym" && key != "expansion" && key != "en" && key != "area" && key != "lowercase")
          warning(it->first, context + ": campo sconosciuto '" + key + "' (ignorato)");
      }
      out.push_back(std::move(a));
    }
    return out;
  }

  // The `expressions:` lexicon: domains, each a map of expression -> the
  // plain words that say it (a text or a list).
  std::vector<Expression> load_expressions(const YAML::Node& domains) {
    std::vector<Expression> out;
    const char* shape = "per area, 'espressione: [parole semplici]', per esempio\n"
                        "  aiuto e relazioni:\n    \"dare una mano\": [aiutare, aiuto]";
    if (!map_section(domains, std::string("'expressions' deve elencare i modi di dire ") + shape)) return out;
    std::map<std::string, int> seen;  // folded expression -> its line
    for (auto d = domains.begin(); d != domains.end(); ++d) {
      const std::string domain = d->first.IsScalar() ? d->first.Scalar() : "";
      if (domain.empty()) {
        error(d->first, "expressions: ogni area ha un nome, per esempio 'aiuto e relazioni'");
        continue;
      }
      if (!d->second.IsMap()) {
        error(d->second.IsNull() ? d->first : d->second,
              "expressions '" + domain + "': l'area deve elencare i modi di dire " + shape);
        continue;
      }
      for (auto e = d->second.begin(); e != d->second.end(); ++e) {
        Expression x;
        x.domain = domain;
        x.phrase = e->first.IsScalar() ? e->first.Scalar() : "";
        const std::string context = "expressions '" + x.phrase + "'";
        const std::string folded = text::fold_lower(x.phrase);
        std::size_t words = 0, content = 0;
        {
          std::istringstream in(folded);
          for (std::string w; in >> w;) {
            ++words;
            content += text::italian_stopwords().count(w) == 0 ? 1 : 0;
          }
        }
        if (words < 2 || content == 0) {
          error(e->first, context + ": un modo di dire ha almeno due parole, non tutte articoli o "
                                    "preposizioni; una parola sola va nei gruppi 'synonyms'");
          continue;
        }
        if (words > kMaxExpressionWords) {
          error(e->first, context + ": al massimo " + std::to_string(kMaxExpressionWords) +
                              " parole: scrivi il cuore dell'espressione");
          continue;
        }
        if (new_key(e->first, folded, context, &seen) == 0) continue;
        if (e->second.IsScalar() && !e->second.Scalar().empty())
          x.means = {e->second.Scalar()};
        else if (e->second.IsSequence())
          x.means = strings(e->second, context);
        if (x.means.empty()) {
          error(e->second.IsDefined() && !e->second.IsNull() ? e->second : e->first,
                context + ": mancano le parole semplici che dicono la stessa cosa, per esempio "
                          "\"dare una mano\": [aiutare, aiuto]");
          continue;
        }
        bool same = false;
        for (const std::string& m : x.means) same = same || text::fold_lower(m) == folded;
        if (same) {
          error(e->second, context + ": tra le parole semplici c'è l'espressione stessa");
          continue;
        }
        out.push_back(std::move(x));
      }
    }
    return out;
  }

  // The `everyday_words:` list: a map of a case files' word -> the everyday
  // words people type for it (a list of single words).
  std::vector<EverydayWords> load_everyday_words(const YAML::Node& map) {
    std::vector<EverydayWords> out;
    if (!map_section(map, "'everyday_words' deve elencare 'parola delle schede: [parole di tutti i giorni]', "
                          "per esempio\n  spiaggia: [sabbia, lido]"))
      return out;
    auto one_word = [](const std::string& folded) {
      return !folded.empty() && folded.find_first_of(" \t'") == std::string::npos;
    };
    std::map<std::string, int> keys;   // folded word -> its line
    std::map<std::string, std::pair<std::string, int>> words;  // everyday word -> key, line
    for (auto e = map.begin(); e != map.end(); ++e) {
      EverydayWords x;
      x.word = e->first.IsScalar() ? e->first.Scalar() : "";
      const std::string context = "everyday_words '" + x.word + "'";
      const std::string folded = text::fold_lower(x.word);
      if (!one_word(folded)) {
        error(e->first, context + ": la parola delle schede è una parola sola; "
                                  "le espressioni vanno in 'expressions'");
        continue;
      }
      const int line = new_key(e->first, folded, context, &keys);
      if (line == 0) continue;
      if (e->second.IsSequence()) x.everyday = strings(e->second, context);
      if (x.everyday.empty()) {
        error(e->second.IsDefined() && !e->second.IsNull() ? e->second : e->first,
              context + ": mancano le parole di tutti i giorni, per esempio spiaggia: [sabbia, lido]");
        continue;
      }
      bool ok = true;
      for (const std::string& w : x.everyday) {
        const std::string f = text::fold_lower(w);
        if (!one_word(f)) {
          error(e->second, context + ": '" + w + "' non è una parola sola");
          ok = false;
        } else if (f == folded) {
          error(e->second, context + ": tra le parole di tutti i giorni c'è la parola stessa");
          ok = false;
        } else if (auto [at, fresh] = words.emplace(f, std::make_pair(x.word, line)); !fresh) {
          error(e->second, context + ": '" + w + "' è già di '" + at->second.first + "' alla riga " +
                               std::to_string(at->second.second) + ": una parola va sotto una voce sola");
          ok = false;
        }
      }
      if (ok) out.push_back(std::move(x));
    }
    return out;
  }

  // The `blocked_expansions:` list: a map of a query word -> the words or
  // phrases it must never be expanded to (a list, at least one).
  std::vector<BlockedExpansion> load_blocked_expansions(const YAML::Node& map) {
    std::vector<BlockedExpansion> out;
    if (!map_section(map, "'blocked_expansions' deve elencare 'parola cercata: [parole da non cercare al suo "
                          "posto]', per esempio\n  ospizio: [asilo]"))
      return out;
    std::map<std::string, int> keys;  // folded word -> its line
    for (auto e = map.begin(); e != map.end(); ++e) {
      BlockedExpansion x;
      x.word = e->first.IsScalar() ? e->first.Scalar() : "";
      const std::string context = "blocked_expansions '" + x.word + "'";
      const std::string folded = text::fold_lower(x.word);
      if (folded.empty() || folded.find_first_of(" \t") != std::string::npos) {
        error(e->first, context + ": la parola cercata è una parola sola, come la si scrive nella ricerca");
        continue;
      }
      x.line = new_key(e->first, folded, context, &keys);
      if (x.line == 0) continue;
      if (!e->second.IsSequence()) {
        error(e->second.IsDefined() && !e->second.IsNull() ? e->second : e->first,
              context + ": le parole da non cercare vanno in una lista, per esempio ospizio: [asilo]");
        continue;
      }
      x.blocked = strings(e->second, context);
      if (x.blocked.empty()) {
        error(e->second, context + ": la lista è vuota: scrivi almeno una parola da non cercare, "
                                   "o togli la voce");
        continue;
      }
      bool ok = true;
      std::set<std::string> seen;
      for (const std::string& w : x.blocked) {
        const std::string f = text::fold_lower(w);
        if (f == folded) {
          error(e->second, context + ": tra le parole da non cercare c'è la parola stessa");
          ok = false;
        } else if (!seen.insert(f).second) {
          error(e->second, context + ": '" + w + "' compare due volte");
          ok = false;
        }
      }
      if (ok) out.push_back(std::move(x));
    }
    return out;
  }

  static const Vocabulary* find(const std::vector<Vocabulary>& loaded, const std::string& name) {
    for (const auto& v : loaded)
      if (v.name == name) return &v;
    return nullptr;
  }

  static std::string hint(const Taxonomy&, const std::vector<Vocabulary>& loaded,
                          const std::string& name, const std::string& value) {
    const Vocabulary* v = find(loaded, name);
    if (!v) return "";
    std::string best;
    int best_d = 3;
    for (const auto& t : v->terms) {
      const int d = text::edit_distance(text::fold_lower(value), t.slug);
      if (d < best_d) best_d = d, best = t.slug;
    }
    return best.empty() ? "" : ": forse '" + best + "'?";
  }

  const YamlSource& source() const { return source_; }

 private:
  YamlSource source_;
  Diagnostics* d_;
};

}  // namespace

const Term* Vocabulary::find(const std::string& slug) const {
  for (const auto& t : terms)
    if (t.slug == slug) return &t;
  return nullptr;
}

std::vector<std::string> Vocabulary::slugs() const {
  std::vector<std::string> out;
  out.reserve(terms.size());
  for (const auto& t : terms) out.push_back(t.slug);
  return out;
}

namespace {

// The binary form of to_bytes: a format byte, then every field in
// declaration order; strings and lists as a varint count then the items.
// Change the format byte with the form (a field added to Term, say): an
// index holding another form is then parsed from the YAML again and its
// stored form replaced by the next build that writes.
constexpr char kBytesFormat = 5;

struct BytesReader {
  std::string_view s;
  std::size_t at = 0;
  bool ok = true;

  std::uint64_t num() {
    std::uint64_t v = 0;
    if (ok && !read_varint(s, &at, &v)) ok = false;
    return ok ? v : 0;
  }
  // A count of items that take at least a byte each.
  std::size_t count() {
    const std::uint64_t n = num();
    if (n > s.size() - at) ok = false;
    return ok ? static_cast<std::size_t>(n) : 0;
  }
  std::string str() {
    const std::size_t n = count();
    std::string v(s.substr(at, n));
    at += n;
    return v;
  }
  std::vector<std::string> strs() {
    std::vector<std::string> v(count());
    for (auto& x : v) x = str();
    return v;
  }
};

}  // namespace

std::string Taxonomy::to_bytes(const Diagnostics& diagnostics, const std::string& file) const {
  std::string out(1, kBytesFormat);
  put_varint(&out, vocabularies_.size());
  for (const auto& v : vocabularies_) {
    put_string(&out, v.name);
    put_varint(&out, v.terms.size());
    for (const auto& t : v.terms) {
      put_string(&out, t.slug);
      put_string(&out, t.label);
      put_string(&out, t.label_en);
      put_string(&out, t.description);
      put_strings(&out, t.synonyms);
      put_strings(&out, t.everyday);
      put_strings(&out, t.synonyms_en);
      put_string(&out, t.hub);
      put_string(&out, t.group);
      put_string(&out, t.color);
    }
  }
  put_varint(&out, synonyms_.size());
  for (const auto& g : synonyms_) put_strings(&out, g.terms);
  put_varint(&out, acronyms_.size());
  for (const auto& a : acronyms_) {
    put_string(&out, a.acronym);
    put_strings(&out, a.expansion);
    put_strings(&out, a.en);
    put_string(&out, a.area);
    put_varint(&out, a.lowercase ? 1 : 0);
  }
  put_varint(&out, expressions_.size());
  for (const auto& x : expressions_) {
    put_string(&out, x.phrase);
    put_strings(&out, x.means);
    put_string(&out, x.domain);
  }
  put_varint(&out, everyday_words_.size());
  for (const auto& x : everyday_words_) {
    put_string(&out, x.word);
    put_strings(&out, x.everyday);
  }
  put_varint(&out, blocked_expansions_.size());
  for (const auto& x : blocked_expansions_) {
    put_string(&out, x.word);
    put_strings(&out, x.blocked);
    put_varint(&out, static_cast<std::uint64_t>(std::max(x.line, 0)));
  }
  put_varint(&out, diagnostics.size());
  for (const auto& d : diagnostics) {
    // Empty for `file` itself, so that another spelling of the content
    // folder names its own path.
    put_string(&out, d.file == file ? std::string() : d.file);
    put_varint(&out, static_cast<std::uint64_t>(std::max(d.line, 0)));
    put_varint(&out, static_cast<std::uint64_t>(std::max(d.column, 0)));
    put_varint(&out, d.severity == Severity::kError ? 0 : 1);
    put_string(&out, d.message);
  }
  return out;
}

std::optional<Taxonomy> Taxonomy::from_bytes(std::string_view bytes, const std::string& file,
                                             Diagnostics* diagnostics) {
  if (bytes.empty() || bytes[0] != kBytesFormat) return std::nullopt;
  BytesReader in{bytes, 1};
  Taxonomy tax;
  tax.vocabularies_.resize(in.count());
  for (auto& v : tax.vocabularies_) {
    v.name = in.str();
    v.terms.resize(in.count());
    for (auto& t : v.terms) {
      t.slug = in.str();
      t.label = in.str();
      t.label_en = in.str();
      t.description = in.str();
      t.synonyms = in.strs();
      t.everyday = in.strs();
      t.synonyms_en = in.strs();
      t.hub = in.str();
      t.group = in.str();
      t.color = in.str();
    }
  }
  tax.synonyms_.resize(in.count());
  for (auto& g : tax.synonyms_) g.terms = in.strs();
  tax.acronyms_.resize(in.count());
  for (auto& a : tax.acronyms_) {
    a.acronym = in.str();
    a.expansion = in.strs();
    a.en = in.strs();
    a.area = in.str();
    a.lowercase = in.count() != 0;
  }
  tax.expressions_.resize(in.count());
  for (auto& x : tax.expressions_) {
    x.phrase = in.str();
    x.means = in.strs();
    x.domain = in.str();
  }
  tax.everyday_words_.resize(in.count());
  for (auto& x : tax.everyday_words_) {
    x.word = in.str();
    x.everyday = in.strs();
  }
  tax.blocked_expansions_.resize(in.count());
  for (auto& x : tax.blocked_expansions_) {
    x.word = in.str();
    x.blocked = in.strs();
    x.line = static_cast<int>(in.num());
  }
  Diagnostics diags(in.count());
  for (auto& d : diags) {
    d.file = in.str();
    if (d.file.empty()) d.file = file;
    d.line = static_cast<int>(in.num());
    d.column = static_cast<int>(in.num());
    d.severity = in.num() == 0 ? Severity::kError : Severity::kWarning;
    d.message = in.str();
  }
  if (!in.ok || in.at != bytes.size()) return std::nullopt;
  if (diagnostics) diagnostics->insert(diagnostics->end(), diags.begin(), diags.end());
  return tax;
}

std::optional<Taxonomy> Taxonomy::load(const std::filesystem::path& file,
                                       Diagnostics* diagnostics) {
  Diagnostics local;
  if (!diagnostics) diagnostics = &local;
  const std::string name = file.generic_string();
  Result<std::string> read = read_file(file);
  if (!read.ok()) {
    diagnostics->push_back({name, 0, 0, Severity::kError,
                            "impossibile leggere il file dei vocabolari (esiste?)"});
    return std::nullopt;
  }
  const std::string& bytes = *read;
  std::size_t bad = 0;
  if (!text::is_valid_utf8(bytes, &bad)) {
    diagnostics->push_back({name, detail::line_of_offset(bytes, bad), 0, Severity::kError,
                            "testo non in UTF-8: salva il file con codifica UTF-8"});
    return std::nullopt;
  }
  std::optional<Taxonomy> tax = from_yaml(detail::normalise_newlines(bytes), name, diagnostics);
  if (!tax) return std::nullopt;
  // Without one of its lists (a key renamed, "temi:" for "themes:") the
  // file would make every case file's value of that list unknown: one
  // error says why (Loader::load_list), rather than one on every case file.
  const bool usable = std::all_of(list_specs().begin(), list_specs().end(), [&](const ListSpec& spec) {
    const Vocabulary* v = tax->vocabulary(spec.vocabulary);
    return spec.optional || (v && !v->terms.empty());
  });
  if (!usable) return std::nullopt;
  return tax;
}

std::optional<Taxonomy> Taxonomy::from_yaml(const std::string& yaml, const std::string& file,
                                            Diagnostics* diagnostics) {
  Diagnostics local;
  if (!diagnostics) diagnostics = &local;
  Loader loader({file, 1}, diagnostics);
  std::optional<YAML::Node> root = detail::parse_yaml(yaml, loader.source(), diagnostics);
  if (!root) return std::nullopt;
  if (!root->IsMap()) {
    diagnostics->push_back({file, 1, 0, Severity::kError,
                            "il file dei vocabolari deve contenere campi 'nome: valore' "
                            "(hubs, regions, themes, ...)"});
    return std::nullopt;
  }
  Taxonomy tax;
  const YAML::Node version = (*root)["version"];
  int v = 0;
  if (version.IsDefined() && (!version.IsScalar() || !YAML::convert<int>::decode(version, v) || v != 1))
    loader.error(version, "versione non supportata: usa 'version: 1'");

  std::set<std::string> known = {"version", "synonyms", "acronyms", "expressions", "everyday_words",
                                 "blocked_expansions"};
  for (const auto& spec : list_specs()) {
    known.insert(spec.key);
    if (spec.optional && (!(*root)[spec.key].IsDefined() || (*root)[spec.key].IsNull())) continue;
    tax.vocabularies_.push_back(loader.load_list(*root, spec, tax, tax.vocabularies_));
  }
  for (auto it = root->begin(); it != root->end(); ++it) {
    const std::string key = it->first.Scalar();
    if (known.count(key)) continue;
    std::string m = "campo sconosciuto '" + key + "' (ignorato)";
    if (const std::string meant = meant_key(key, known); !meant.empty())
      m += ": forse '" + meant + "'? I nomi dei campi si scrivono in inglese";
    loader.warning(it->first, m);
  }

  // Query synonyms: each theme's label with its synonyms, then the free groups.
  if (const Vocabulary* themes = tax.vocabulary("theme")) {
    for (const auto& t : themes->terms) {
      const std::vector<std::string> more = search_synonyms(t);
      if (more.empty()) continue;
      SynonymGroup g;
      g.terms.push_back(t.label);
      g.terms.insert(g.terms.end(), more.begin(), more.end());
      tax.synonyms_.push_back(std::move(g));
    }
  }
  const YAML::Node groups = (*root)["synonyms"];
  if (groups.IsDefined() && !groups.IsNull()) {
    if (!groups.IsSequence()) {
      loader.error(groups, "'synonyms' deve essere una lista di gruppi, per esempio - [cer, \"comunità energetica\"]");
    } else {
      for (const auto& g : groups) {
        if (!g.IsSequence() || g.size() < 2) {
          loader.error(g, "synonyms: ogni gruppo deve essere una lista di almeno due parole, "
                          "per esempio [bici, bicicletta]");
          continue;
        }
        SynonymGroup group;
        group.terms = loader.strings(g, "synonyms");
        if (group.terms.size() >= 2) tax.synonyms_.push_back(std::move(group));
      }
    }
  }
  tax.acronyms_ = loader.load_acronyms((*root)["acronyms"]);
  tax.expressions_ = loader.load_expressions((*root)["expressions"]);
  tax.everyday_words_ = loader.load_everyday_words((*root)["everyday_words"]);
  tax.blocked_expansions_ = loader.load_blocked_expansions((*root)["blocked_expansions"]);
  for (const Acronym& a : tax.acronyms_) {
    SynonymGroup group;
    group.terms.push_back(a.acronym);
    group.terms.insert(group.terms.end(), a.expansion.begin(), a.expansion.end());
    group.terms.insert(group.terms.end(), a.en.begin(), a.en.end());
    tax.synonyms_.push_back(std::move(group));
  }
  // English labels of the other vocabularies people search by ("Science"
  // finds "Scienze", "Volunteers" "Volontari"); regions, SDGs and modules
  // have none or long ones.
  for (const char* name : {"hub", "dimension", "audience", "level", "subject"}) {
    const Vocabulary* v = tax.vocabulary(name);
    if (!v) continue;
    for (const auto& t : v->terms)
      if (!t.label_en.empty() && text::fold_lower(t.label_en) != text::fold_lower(t.label))
        tax.synonyms_.push_back({{t.label, t.label_en}});
  }
  return tax;
}

Diagnostics missing_search_names(const Taxonomy& taxonomy, const std::string& file) {
  // The line of each term in `file`, read again (a Taxonomy keeps no
  // lines); 0 when the file cannot be read.
  std::map<std::pair<std::string, std::string>, int> lines;
  if (Result<std::string> bytes = read_file(file); bytes.ok()) {
    Diagnostics ignored;
    const YamlSource source{file, 1};
    if (std::optional<YAML::Node> root = detail::parse_yaml(detail::normalise_newlines(*bytes), source, &ignored);
        root && root->IsMap())
      for (const auto& spec : list_specs()) {
        const YAML::Node list = (*root)[spec.key];
        if (!list.IsSequence()) continue;
        for (const auto& item : list)
          if (item.IsMap() && item[spec.id_key].IsScalar())
            lines[{spec.vocabulary, item[spec.id_key].Scalar()}] = line_of(item, source, 0);
      }
  }
  Diagnostics out;
  int line = 0;
  auto warn = [&](const std::string& message) { out.push_back({file, line, 0, Severity::kWarning, message}); };
  for (const char* name : {"hub", "dimension", "theme", "audience", "level", "subject"}) {
    const Vocabulary* v = taxonomy.vocabulary(name);
    if (!v) continue;
    for (const Term& t : v->terms) {
      const std::string which = std::string(detail::vocabulary_noun(v->name).word) + " '" + t.slug + "'";
      auto at = lines.find({v->name, t.slug});
      line = at == lines.end() ? 0 : at->second;
      if (t.label_en.empty())
        warn(which + ": manca 'label_en', il nome in inglese: chi cerca in inglese non trova questa voce");
      if (v->name != "theme") continue;
      if (t.everyday.empty())
        warn(which + ": manca 'everyday', le parole di tutti i giorni con cui la gente dice il tema "
                     "(\"pannelli sul tetto\")");
      if (t.synonyms_en.empty()) warn(which + ": manca 'synonyms_en', i sinonimi in inglese del tema");
    }
  }
  return out;
}

std::vector<std::string> search_synonyms(const Term& term) {
  std::vector<std::string> out;
  std::set<std::string> seen = {text::fold_lower(term.label)};
  auto add = [&](const std::string& s) {
    if (!s.empty() && seen.insert(text::fold_lower(s)).second) out.push_back(s);
  };
  for (const auto& s : term.synonyms) add(s);
  for (const auto& s : term.everyday) add(s);
  add(term.label_en);
  for (const auto& s : term.synonyms_en) add(s);
  return out;
}

const Vocabulary* Taxonomy::vocabulary(const std::string& name) const {
  for (const auto& v : vocabularies_)
    if (v.name == name) return &v;
  return nullptr;
}

std::string Taxonomy::hub_of_region(const std::string& region_slug) const {
  const Vocabulary* regions = vocabulary("region");
  const Term* t = regions ? regions->find(region_slug) : nullptr;
  return t ? t->hub : "";
}

std::string Taxonomy::label(const std::string& vocabulary_name, const std::string& slug) const {
  if (const Vocabulary* v = vocabulary(vocabulary_name))
    if (const Term* t = v->find(slug); t && !t->label.empty()) return t->label;
  return slug;
}

std::string Taxonomy::slug_for_label(const std::string& vocabulary_name,
                                     const std::string& value) const {
  const Vocabulary* v = vocabulary(vocabulary_name);
  if (!v) return "";
  const std::string folded = text::fold_lower(value);
  const std::string slugged = text::slugify(value);
  for (const auto& t : v->terms) {
    if (t.slug == slugged || (!t.label.empty() && text::fold_lower(t.label) == folded) ||
        (!t.label_en.empty() && text::fold_lower(t.label_en) == folded))
      return t.slug;
  }
  return "";
}

std::string Taxonomy::closest(const std::string& vocabulary_name, const std::string& value) const {
  const Vocabulary* v = vocabulary(vocabulary_name);
  if (!v || value.empty()) return "";
  if (std::string s = slug_for_label(vocabulary_name, value); !s.empty()) return s;
  const std::string folded = text::fold_lower(value);
  for (const auto& t : v->terms)
    for (const auto& synonym : t.synonyms)
      if (text::fold_lower(synonym) == folded) return t.slug;
  const std::string slugged = text::slugify(value);
  std::string best;
  int best_distance = 0;
  for (const auto& t : v->terms) {
    int d = std::min(text::edit_distance(slugged, t.slug), text::edit_distance(folded, t.slug));
    if (!t.label.empty()) d = std::min(d, text::edit_distance(folded, text::fold_lower(t.label)));
    if (best.empty() || d < best_distance) best = t.slug, best_distance = d;
  }
  // Accept about one typo every four characters, at most three.
  const int length = static_cast<int>(std::max(slugged.size(), std::size_t{1}));
  const int limit = std::clamp(length / 4, 1, 3);
  return best_distance <= limit ? best : "";
}

namespace {

// The line of `slug`'s entry in the taxonomy file's text ("slug: x" or
// "{slug: x, ..."); 0 when not found.
int slug_line(const std::string& text, const std::string& slug) {
  std::istringstream in(text);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    for (std::size_t at = line.find("slug:"); at != std::string::npos; at = line.find("slug:", at + 1)) {
      std::size_t v = line.find_first_not_of(" \t\"'", at + 5);
      if (v == std::string::npos || line.compare(v, slug.size(), slug) != 0) continue;
      const std::size_t end = v + slug.size();
      if (end == line.size() || std::string_view(" \t,}\"'#").find(line[end]) != std::string_view::npos) return n;
    }
  }
  return 0;
}

}  // namespace

Diagnostics taxonomy_slug_typos(const Taxonomy& taxonomy, const std::string& taxonomy_file,
                                const std::vector<TermUse>& uses, Diagnostics* diagnostics) {
  std::set<std::pair<std::string, std::string>> used;  // (vocabulary, slug) of known uses
  std::map<std::pair<std::string, std::string>, std::vector<const TermUse*>> unknown;
  for (const auto& u : uses) {
    if (u.known)
      used.emplace(u.vocabulary, u.value);
    else
      unknown[{u.vocabulary, u.value}].push_back(&u);
  }
  // The taxonomy's slug each unknown value may be a typo of, and the
  // unknown value most files use for it (one error per taxonomy line).
  struct Suspect {
    std::string vocabulary, typo, value;
    std::vector<const TermUse*> uses;
    std::size_t files = 0;
  };
  std::map<std::pair<std::string, std::string>, Suspect> by_slug;
  for (const auto& [key, of_value] : unknown) {
    const auto& [vocabulary, value] = key;
    const Vocabulary* v = taxonomy.vocabulary(vocabulary);
    if (v == nullptr) continue;
    const Term* near = nullptr;
    int best = 3;
    for (const auto& t : v->terms) {
      const int d = text::edit_distance(value, t.slug);
      if (d < best) best = d, near = &t;
    }
    if (near == nullptr || used.count({vocabulary, near->slug})) continue;
    // Which of the two is written wrong: the one further from the term's
    // label ("Consumo responsabile" is consumo-responsabile). Two files
    // with the same typo of a theme nobody else uses are not the taxonomy's.
    const std::string from_label = text::slugify(near->label);
    if (text::edit_distance(value, from_label) >= text::edit_distance(near->slug, from_label)) continue;
    const std::string& typo = near->slug;
    std::set<std::string> files;
    for (const TermUse* u : of_value) files.insert(u->file);
    if (files.size() < 2) continue;
    Suspect& s = by_slug[{vocabulary, typo}];
    if (files.size() > s.files) s = Suspect{vocabulary, typo, value, of_value, files.size()};
  }
  Diagnostics out;
  if (by_slug.empty()) return out;
  const Result<std::string> text = read_file(taxonomy_file);
  for (const auto& [key, s] : by_slug) {
    const detail::VocabularyNoun noun = detail::vocabulary_noun(s.vocabulary);
    const int line = text.ok() ? slug_line(*text, s.typo) : 0;
    // "8 schede e programme.yaml"
    std::size_t case_files = 0;
    std::set<std::string> counted, others;
    for (const TermUse* u : s.uses)
      if (counted.insert(u->file).second) {
        if (u->file.ends_with(".md"))
          ++case_files;
        else
          others.insert(u->file.substr(u->file.rfind('/') + 1));
      }
    std::string who = case_files > 0 ? text::count_noun(case_files, "scheda", "schede") : "";
    for (const auto& name : others) who += (who.empty() ? "" : " e ") + name;
    out.push_back({taxonomy_file, line, 0, Severity::kError,
                   std::string(noun.word) + " '" + s.typo + "': non " + (noun.feminine ? "la" : "lo") +
                       " usa nessun file, mentre " + who + " usano '" + s.value + "', che taxonomy.yaml non ha: se '" +
                       s.typo + "' è scritto male, correggilo qui; se lo hai rinominato, aggiorna anche quei file"});
    const std::string was = detail::unknown_term_message(taxonomy, s.vocabulary, s.value);
    const std::string now = std::string(noun.word) + " sconosciut" + (noun.feminine ? "a" : "o") + " '" + s.value +
                            "': taxonomy.yaml" + (line > 0 ? ":" + std::to_string(line) : "") + " ha '" + s.typo +
                            "', che nessun file usa: forse è scritto male lì";
    for (const TermUse* u : s.uses)
      for (auto& d : *diagnostics)
        if (d.file == u->file && d.line == u->line)
          if (const std::size_t at = d.message.find(was); at != std::string::npos)
            d.message.replace(at, was.size(), now);
  }
  return out;
}

}  // namespace bp
