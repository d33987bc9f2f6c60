#include "bp/proposal.h"

#include <algorithm>
#include <cctype>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>

#include "bp/library.h"
#include "bp/text.h"
#include "index_document.h"
#include "markdown.h"
#include "yaml_util.h"

namespace fs = std::filesystem;

namespace bp {
namespace {

// Double-quoted YAML scalar: JSON's escapes are a subset of YAML's.
std::string yaml_quoted(std::string_view s) {
  std::string out = "\"";
  for (const unsigned char c : s) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          static const char* kHex = "0123456789abcdef";
          out += "\\x";
          out += kHex[c >> 4];
          out += kHex[c & 15];
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  return out + "\"";
}

// A vocabulary value, a licence id or a number as an editor types it: plain
// when made of letters, digits, '-' and '.' (and not a word YAML reads as a
// boolean or null), quoted otherwise so that the checker reads exactly the
// text given.
std::string plain_or_quoted(std::string_view s) {
  static const char* kReserved[] = {"null", "true", "false", "yes", "no", "on", "off", "y", "n"};
  const bool simple = !s.empty() && s.size() <= 64 && std::isalnum(static_cast<unsigned char>(s[0])) &&
                      std::all_of(s.begin(), s.end(), [](char c) {
                        return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '.';
                      });
  if (!simple) return yaml_quoted(s);
  const std::string lower = text::lower(s);
  for (const char* r : kReserved)
    if (lower == r) return yaml_quoted(s);
  return std::string(s);
}

// A flow list of vocabulary values or numbers: [a, b].
std::string list_of(const std::vector<std::string>& items) {
  std::string out = "[";
  for (std::size_t i = 0; i < items.size(); ++i) out += (i ? ", " : "") + plain_or_quoted(items[i]);
  return out + "]";
}

bool blank(std::string_view s) { return s.find_first_not_of(" \t\r\n") == std::string_view::npos; }

std::string trim_newlines(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  std::size_t start = 0;
  while (start < s.size() && (s[start] == '\n' || s[start] == '\r')) ++start;
  return s.substr(start);
}

class Writer {
 public:
  // Appends `text` (which may span lines, ending without '\n') as lines of
  // `field`.
  void line(const std::string& field, const std::string& text) {
    std::size_t start = 0;
    for (;;) {
      const std::size_t nl = text.find('\n', start);
      out_.markdown.append(text, start, nl == std::string::npos ? std::string::npos : nl - start);
      out_.markdown += '\n';
      out_.line_fields.push_back(field);
      if (nl == std::string::npos) break;
      start = nl + 1;
    }
  }
  ProposalFile take() { return std::move(out_); }

 private:
  ProposalFile out_;
};

// The first 'name' in `message` that is a front-matter field of a proposal.
std::string quoted_field(const std::string& message) {
  static const char* kFields[] = {"title",   "summary", "in_parole_semplici", "domande", "hub",          "region",   "city",
                                  "themes",  "dimensions", "sdgs",      "organisation", "year",
                                  "audience", "modules", "status",      "transferability", "results",
                                  "resources", "license", "cover"};
  for (std::size_t q = message.find('\''); q != std::string::npos; q = message.find('\'', q + 1)) {
    const std::size_t end = message.find('\'', q + 1);
    if (end == std::string::npos) break;
    const std::string word = message.substr(q + 1, end - q - 1);
    for (const char* f : kFields)
      if (word == f) return word;
    q = end;
  }
  return "";
}

std::string random_suffix() {
  std::random_device rd;
  std::uniform_int_distribution<unsigned long long> dist;
  const unsigned long long n = dist(rd);
  static const char* kHex = "0123456789abcdef";
  std::string s;
  for (int i = 0; i < 16; ++i) s += kHex[(n >> (i * 4)) & 15];
  return s;
}

// A private folder removed with everything in it when the object goes.
class TempRoot {
 public:
  TempRoot() {
    std::error_code ec;
    const fs::path base = fs::temp_directory_path(ec);
    if (ec) return;
    fs::path p = base / ("bp-proposal-" + random_suffix());
    if (fs::create_directory(p, ec) && !ec) {
      fs::permissions(p, fs::perms::owner_all, fs::perm_options::replace, ec);
      path_ = p;
    }
  }
  ~TempRoot() {
    std::error_code ec;
    if (!path_.empty()) fs::remove_all(path_, ec);
  }
  TempRoot(const TempRoot&) = delete;
  TempRoot& operator=(const TempRoot&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

}  // namespace

const std::vector<ProposalSection>& proposal_sections() {
  static const std::vector<ProposalSection> k = {
      {"contesto", "Contesto", "Il territorio, il bisogno, chi c'era prima. Pochi numeri essenziali."},
      {"obiettivi", "Obiettivi", "Che cosa vi proponevate, in 3–5 punti concreti."},
      {"cosa-e-stato-fatto", "Cosa è stato fatto",
       "Azioni, fasi, chi ha fatto cosa, strumenti e partner: come si fa."},
      {"risultati", "Risultati", "Che cosa è cambiato, con numeri e qualche osservazione."},
      {"risorse-necessarie", "Risorse necessarie",
       "Persone, spazi, attrezzature, costi indicativi, competenze, accordi."},
      {"difficolta-e-lezioni-apprese", "Difficoltà e lezioni apprese",
       "Che cosa non ha funzionato e come l'avete affrontato."},
      {"trasferibilita", "Trasferibilità", "Dove e a quali condizioni altri possono riprenderla."},
      {"per-approfondire", "Per approfondire", "Documenti, siti, visite possibili."},
  };
  return k;
}

const std::vector<ProposalChoice>& proposal_statuses() {
  static const std::vector<ProposalChoice> k = {{"in-corso", "In corso", ""}, {"concluso", "Conclusa", ""}};
  return k;
}

const std::vector<ProposalChoice>& proposal_transferability_levels() {
  static const std::vector<ProposalChoice> k = {{"alta", "Alta", "si riprende facilmente altrove"},
                                                {"media", "Media", "serve qualche adattamento"},
                                                {"bassa", "Bassa", "dipende molto dal contesto"}};
  return k;
}

const std::vector<ProposalChoice>& proposal_licences() {
  static const std::vector<ProposalChoice> k = {
      {"CC-BY-4.0", "CC BY 4.0", "chiunque può riusare il testo citando la fonte"},
      {"CC-BY-SA-4.0", "CC BY-SA 4.0",
       "chiunque può riusare il testo citando la fonte, e chi lo modifica lo condivide con la stessa licenza"}};
  return k;
}

ProposalFile write_proposal_file(const Proposal& p) {
  Writer w;
  w.line("", "---");
  w.line("title", "title: " + yaml_quoted(p.title));
  w.line("summary", "summary: " + yaml_quoted(p.summary));
  if (!blank(p.plain_words))
    w.line("in_parole_semplici", "in_parole_semplici: " + yaml_quoted(p.plain_words));
  if (!p.questions.empty()) {
    w.line("domande", "domande:");
    for (const auto& q : p.questions) w.line("domande", "  - " + yaml_quoted(q));
  }
  w.line("hub", "hub: " + plain_or_quoted(p.hub));
  w.line("region", "region: " + plain_or_quoted(p.region));
  if (!blank(p.city)) w.line("city", "city: " + yaml_quoted(p.city));
  w.line("themes", "themes: " + list_of(p.themes));
  w.line("dimensions", "dimensions: " + list_of(p.dimensions));
  if (!p.sdgs.empty()) w.line("sdgs", "sdgs: " + list_of(p.sdgs));
  if (!blank(p.organisation)) w.line("organisation", "organisation: " + yaml_quoted(p.organisation));
  if (!blank(p.year)) w.line("year", "year: " + plain_or_quoted(p.year));
  if (!p.audience.empty()) w.line("audience", "audience: " + list_of(p.audience));
  if (!p.modules.empty()) w.line("modules", "modules: " + list_of(p.modules));
  if (!blank(p.status)) w.line("status", "status: " + plain_or_quoted(p.status));
  if (!blank(p.transferability) || !blank(p.transferability_notes)) {
    w.line("transferability", "transferability:");
    w.line("transferability", "  level: " + plain_or_quoted(p.transferability));
    if (!blank(p.transferability_notes))
      w.line("transferability", "  notes: " + yaml_quoted(p.transferability_notes));
  }
  if (!p.results.empty()) {
    w.line("results", "results:");
    for (const auto& r : p.results)
      w.line("results", "  - {indicator: " + yaml_quoted(r.indicator) + ", value: " + plain_or_quoted(r.value) +
                            ", unit: " + yaml_quoted(r.unit) + "}");
  }
  if (!p.resources.empty()) {
    w.line("resources", "resources:");
    for (const auto& r : p.resources)
      w.line("resources", "  - {title: " + yaml_quoted(r.title) + ", url: " + yaml_quoted(r.url) + "}");
  }
  w.line("license", "license: " + plain_or_quoted(p.license));
  if (p.cover)
    w.line("cover", "cover: {src: " + yaml_quoted(p.cover->src) + ", alt: " + yaml_quoted(p.cover->alt) + "}");
  w.line("", "language: it");
  w.line("sections", "---");
  for (const auto& section : proposal_sections()) {
    auto it = std::find_if(p.sections.begin(), p.sections.end(),
                           [&](const auto& s) { return s.first == section.key; });
    if (it == p.sections.end() || blank(it->second)) continue;
    const std::string field = std::string("sections.") + section.key;
    w.line(field, "");
    w.line(field, std::string("## ") + section.heading);
    w.line(field, "");
    std::string body = trim_newlines(it->second);
    body.erase(std::remove(body.begin(), body.end(), '\r'), body.end());
    w.line(field, body);
  }
  return w.take();
}

std::string field_of_diagnostic(const ProposalFile& file, int line, const std::string& message) {
  if (line >= 2 && static_cast<std::size_t>(line) <= file.line_fields.size()) {
    const std::string& f = file.line_fields[static_cast<std::size_t>(line) - 1];
    if (!f.empty()) return f;
  }
  return quoted_field(message);
}

ProposalCheck check_proposal(const Proposal& proposal, const Taxonomy& taxonomy, const std::string& slug) {
  Proposal p = proposal;
  if (blank(p.hub) && !p.region.empty()) p.hub = taxonomy.hub_of_region(p.region);
  ProposalCheck out;
  out.slug = slug.empty() ? text::slugify(p.title) : slug;
  if (out.slug.empty() || !text::is_slug(out.slug)) out.slug = "proposta";
  if (out.slug.size() > 80) {
    out.slug.resize(80);
    while (!out.slug.empty() && out.slug.back() == '-') out.slug.pop_back();
  }
  const ProposalFile file = write_proposal_file(p);
  out.markdown = file.markdown;

  const Vocabulary* hubs = taxonomy.vocabulary("hub");
  const std::string folder = hubs && hubs->find(p.hub) ? p.hub : "proposte";
  const fs::path relative = fs::path("practices") / folder / (out.slug + ".md");
  TempRoot root;
  if (p.cover && !root.path().empty()) {
    std::error_code ec;
    const fs::path media = (root.path() / relative).parent_path() / out.slug;
    fs::create_directories(media, ec);
    const fs::path image = (media / fs::u8path(p.cover->src)).lexically_normal();
    // Only a plain file name is made: a src that climbs out is the checker's
    // to report.
    if (!ec && image.parent_path() == media.lexically_normal()) std::ofstream(image).put('\0');
  }
  const fs::path content_root = root.path().empty() ? fs::path("/nonexistent-proposal-root") : root.path();
  const LoadedPractice loaded = parse_practice(out.markdown, content_root / relative, content_root, taxonomy);
  for (const Diagnostic& d : loaded.diagnostics) {
    FieldError e{field_of_diagnostic(file, d.line, d.message), d.message};
    (d.severity == Severity::kError ? out.errors : out.warnings).push_back(std::move(e));
  }
  if (root.path().empty() && p.cover)
    out.errors.push_back({"cover", "impossibile controllare l'immagine in questo momento: riprova"});

  const std::size_t body_start = out.markdown.find("\n---\n");
  const std::string_view body = body_start == std::string::npos
                                    ? std::string_view()
                                    : std::string_view(out.markdown).substr(body_start + 5);
  out.html = render_markdown(body, media_dir_of(relative.generic_string())).html;
  return out;
}

namespace {

// The editors' words of a message (a case file's keys, its folder) in the
// words of the form, which shows the message beside its field.
std::string in_form_words(std::string message) {
  static const std::pair<const char*, const char*> kWords[] = {
      {"il riassunto (summary)", "il riassunto"},
      {"il testo 'in_parole_semplici'", "il testo «In parole semplici»"},
      {"'in_parole_semplici'", "«In parole semplici»"},
      {"'results' ha", "«Risultati in numeri» ha"},
      {": usa un indirizzo https:// o un file accanto alla scheda", ": usa un indirizzo che inizia con https://"},
      {"risorsa senza 'title': scrivi il nome del documento o del sito",
       "un link senza nome: scrivi il nome del documento o del sito"},
      {"risorsa senza 'url': indica l'indirizzo https://...", "un link senza indirizzo: scrivi l'indirizzo https://…"},
  };
  for (const auto& [editor, form] : kWords)
    if (const std::size_t at = message.find(editor); at != std::string::npos)
      message.replace(at, std::string_view(editor).size(), form);
  return message;
}

}  // namespace

namespace {

// "«In corso» o «Conclusa»": the form's words for its choices.
std::string choice_list(const std::vector<ProposalChoice>& choices) {
  std::string out;
  for (std::size_t i = 0; i < choices.size(); ++i)
    out += std::string(i == 0 ? "" : i + 1 == choices.size() ? " o " : ", ") + "«" + choices[i].label + "»";
  return out;
}

bool is_choice(const std::vector<ProposalChoice>& choices, const std::string& value) {
  return std::any_of(choices.begin(), choices.end(), [&](const ProposalChoice& c) { return value == c.value; });
}

// The proposer's message for a choice field whose value the form does not
// offer, or "" when the value is one of its choices.
std::string choice_message(const Proposal& given, const std::string& field) {
  if (field == "status" && !is_choice(proposal_statuses(), given.status))
    return "stato non valido: scegli " + choice_list(proposal_statuses());
  if (field == "transferability" && !is_choice(proposal_transferability_levels(), given.transferability))
    return blank(given.transferability)
               ? "scegli quanto si può riprendere altrove: " + choice_list(proposal_transferability_levels())
               : "trasferibilità non valida: scegli " + choice_list(proposal_transferability_levels());
  if (field == "license" && !is_choice(proposal_licences(), given.license))
    return "licenza non valida: scegli " + choice_list(proposal_licences());
  return "";
}

// The proposer's message in place of the checker's `message` about a value
// outside the taxonomy (detail::unknown_term_message, which names slugs and
// taxonomy.yaml), or "" when `message` is not one.
std::string unknown_value_message(const Proposal& given, const Taxonomy& taxonomy, const std::string& field,
                                  const std::string& message) {
  static const std::pair<const char*, const char*> kVocabularies[] = {{"region", "region"},
                                                                      {"themes", "theme"},
                                                                      {"dimensions", "dimension"},
                                                                      {"audience", "audience"},
                                                                      {"modules", "module"}};
  for (const auto& [name, vocabulary] : kVocabularies) {
    if (field != name) continue;
    const std::vector<std::string> values = field == "region"       ? std::vector<std::string>{given.region}
                                            : field == "themes"     ? given.themes
                                            : field == "dimensions" ? given.dimensions
                                            : field == "audience"   ? given.audience
                                                                    : given.modules;
    for (const auto& value : values) {
      if (message != detail::unknown_term_message(taxonomy, vocabulary, value)) continue;
      const detail::VocabularyNoun noun = detail::vocabulary_noun(vocabulary);
      std::string m = std::string(noun.word) + " sconosciut" + (noun.feminine ? "a" : "o") + " «" + value + "»: ";
      if (const std::string close = taxonomy.closest(vocabulary, value); !close.empty())
        return m + "forse «" + taxonomy.label(vocabulary, close) + "»?";
      return m + "scegli dall'elenco";
    }
  }
  return "";
}

}  // namespace

std::vector<FieldError> errors_for_proposer(const Proposal& given, const Taxonomy& taxonomy,
                                            std::vector<FieldError> errors) {
  const bool no_body = std::all_of(given.sections.begin(), given.sections.end(),
                                   [](const auto& s) { return blank(s.second); });
  const std::pair<const char*, std::pair<bool, const char*>> kRequired[] = {
      {"title", {blank(given.title), "scrivi il titolo della pratica"}},
      {"summary", {blank(given.summary), "scrivi il riassunto: una o due frasi su che cosa avete fatto"}},
      {"region", {blank(given.region), "scegli la regione in cui si è svolta la pratica"}},
      {"themes", {given.themes.empty(), "scegli almeno un tema"}},
      {"dimensions", {given.dimensions.empty(), "scegli almeno una dimensione della sostenibilità"}},
      {"sections", {no_body, "racconta la pratica: scrivi almeno una sezione del racconto"}},
  };
  std::vector<FieldError> out;
  std::set<std::string> worded;
  for (FieldError& e : errors) {
    if (e.field == "hub" && blank(given.hub)) continue;
    bool replaced = false;
    for (const auto& [field, rule] : kRequired) {
      if (e.field != field || !rule.first) continue;
      if (worded.insert(field).second) out.push_back({field, rule.second});
      replaced = true;
    }
    if (replaced) continue;
    if (const std::string m = choice_message(given, e.field); !m.empty()) {
      if (worded.insert(e.field).second) out.push_back({e.field, m});
      continue;
    }
    if (std::string m = unknown_value_message(given, taxonomy, e.field, e.message); !m.empty()) {
      out.push_back({e.field, std::move(m)});
      continue;
    }
    out.push_back({e.field, in_form_words(std::move(e.message))});
  }
  return out;
}

std::vector<FieldError> warnings_for_proposer(std::vector<FieldError> warnings) {
  for (FieldError& w : warnings) w.message = in_form_words(std::move(w.message));
  return warnings;
}

}  // namespace bp
