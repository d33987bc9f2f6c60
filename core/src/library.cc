#include "bp/library.h"

#include <cmark.h>

#include <algorithm>
#include <atomic>
#include <cstdio>
#include <fstream>
#include <iterator>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <unordered_set>

#include "bp/file_bytes.h"
#include "bp/proposal.h"
#include "bp/text.h"
#include "front_matter.h"
#include "yaml_practice.h"
#include "yaml_util.h"

namespace fs = std::filesystem;

namespace bp {
namespace {

using detail::PracticeRefs;
using detail::SlugRef;

struct LoadedWithRefs {
  LoadedPractice loaded;
  PracticeRefs refs;
  std::string slug;  // the file's slug even when the file has errors
};

// The line of a case file's "title:" (1 when it has none: the error about
// the missing field is there).
int title_line(const fs::path& file) {
  std::ifstream in(file);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n)
    if (line.rfind("title:", 0) == 0) return n;
  return 1;
}

void add_error(Diagnostics* d, const std::string& file, int line, std::string message) {
  d->push_back({file, line, 0, Severity::kError, std::move(message)});
}

// "https:" -> "https"; "" when the URL has no scheme.
std::string scheme_of(std::string_view url) {
  if (url.empty() || !std::isalpha(static_cast<unsigned char>(url[0]))) return "";
  for (std::size_t i = 1; i < url.size(); ++i) {
    const char c = url[i];
    if (c == ':') {
      std::string s(url.substr(0, i));
      for (char& ch : s) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      return s;
    }
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return "";
  }
  return "";
}

fs::path absolute_normal(const fs::path& p) {
  std::error_code ec;
  fs::path a = fs::absolute(p, ec);
  return (ec ? p : a).lexically_normal();
}

// True when `p` (absolute, normal) lies inside `root` (absolute, normal).
bool inside(const fs::path& p, const fs::path& root) {
  const fs::path rel = p.lexically_relative(root);
  return !rel.empty() && *rel.begin() != "..";
}

struct BodyCheck {
  const std::string& file;
  const fs::path& dir;   // the case file's folder
  const fs::path& root;  // content root, absolute and normal
  const std::string& slug;
  Diagnostics* d;
  PracticeRefs* refs;
};

// The text of a heading node, its inline children's literals joined.
std::string heading_text(cmark_node* heading) {
  std::string out;
  cmark_iter* it = cmark_iter_new(heading);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node* n = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER || n == heading) continue;
    const cmark_node_type t = cmark_node_get_type(n);
    if (t == CMARK_NODE_TEXT || t == CMARK_NODE_CODE) {
      const char* literal = cmark_node_get_literal(n);
      if (literal) out += literal;
    } else if (t == CMARK_NODE_SOFTBREAK || t == CMARK_NODE_LINEBREAK) {
      out += ' ';
    }
  }
  cmark_iter_free(it);
  return text::trim(out);
}

// The story's sections (docs/content-guide.md §4): the eight headings of
// the second level, written as the guide writes them (the list the
// proposal form uses, bp/proposal.h). Warnings, on the heading's line: a
// heading of another level with a section's name, a section's name with
// other capitals, accents or a typo, a heading of the second level that is
// no section, a section's heading without the space after its «##». (A section left out is not said: a proposal has
// only the sections its proposer wrote, and short stories may do without some.)
void check_sections(cmark_node* doc, int body_line, const BodyCheck& c) {
  const auto& sections = proposal_sections();
  auto warn = [&](int line, std::string message) {
    c.d->push_back({c.file, line, 0, Severity::kWarning, std::move(message)});
  };
  for (cmark_node* n = cmark_node_first_child(doc); n; n = cmark_node_next(n)) {
    // "##Risultati": without the space CommonMark reads a line of text, and
    // the section is gone from the page.
    if (cmark_node_get_type(n) == CMARK_NODE_PARAGRAPH) {
      cmark_node* first = cmark_node_first_child(n);
      const char* literal =
          first && cmark_node_get_type(first) == CMARK_NODE_TEXT ? cmark_node_get_literal(first) : nullptr;
      const std::string_view text = literal ? literal : "";
      const std::size_t hashes = text.find_first_not_of('#');
      if (hashes == 0 || hashes == std::string_view::npos || hashes > 3) continue;
      const std::string_view rest = text.substr(hashes, text.find('\n') - hashes);
      for (const auto& section : sections)
        if (text::edit_distance(text::fold_lower(rest), text::fold_lower(section.heading)) <= 2) {
          warn(body_line + std::max(cmark_node_get_start_line(n), 1) - 1,
               "«" + std::string(text.substr(0, hashes)) + std::string(rest) + "» non è un titolo: dopo «" +
                   std::string(hashes, '#') + "» va uno spazio, scrivi «## " + section.heading + "»");
          break;
        }
      continue;
    }
    if (cmark_node_get_type(n) != CMARK_NODE_HEADING) continue;
    const int level = cmark_node_get_heading_level(n);
    const std::string written = heading_text(n);
    const std::string folded = text::fold_lower(written);
    const int line = body_line + std::max(cmark_node_get_start_line(n), 1) - 1;
    // The section this heading names, and how far from its exact title.
    std::size_t best = sections.size();
    int best_distance = 3;
    for (std::size_t i = 0; i < sections.size(); ++i) {
      const int d = text::edit_distance(folded, text::fold_lower(sections[i].heading));
      if (d < best_distance) best = i, best_distance = d;
    }
    const bool exact = best < sections.size() && written == sections[best].heading;
    if (best < sections.size() && level == 2 && exact) continue;
    // A third-level heading may name a part of a section after another's
    // name ("### Risultati" of a phase): only the first level is a slip.
    if (best < sections.size() && best_distance <= 2 && level <= 2) {
      const std::string right = std::string("«## ") + sections[best].heading + "»";
      if (level == 1) {
        warn(line, "«# " + written + "»: le sezioni del racconto sono titoli di secondo livello, scrivi " + right);
      } else {
        warn(line, "titolo di sezione «## " + written + "»: scrivilo come nella guida, " + right);
      }
      continue;
    }
    if (level == 2)
      warn(line, "«## " + written +
                     "» non è una delle otto sezioni del racconto (guida per la redazione, §4): per un titolo "
                     "dentro una sezione usa il terzo livello, «### " +
                     written + "»");
  }
}

// "[Regolamento](prova/Regolamento 2023.pdf)": an address with a space is
// no link in Markdown, and the page shows the brackets as text. Looked for
// in each paragraph's or heading's runs of plain text (cmark leaves the
// brackets there as text); a title after the address ("… "Titolo"") is
// Markdown's own and fine.
void check_unlinked_brackets(cmark_node* block, int body_line, const BodyCheck& c) {
  std::string run;
  // A scan, not std::regex: libstdc++'s matcher recurses per character, and
  // a paragraph may be a megabyte long.
  const auto check_run = [&] {
    for (std::size_t close = run.find("]("); close != std::string::npos; close = run.find("](", close + 2)) {
      const std::size_t end = run.find(')', close + 2);
      if (end == std::string::npos) break;
      const std::string url = text::trim(run.substr(close + 2, end - close - 2));
      const std::size_t open = run.rfind('[', close);
      if (url.find(' ') == std::string::npos || url[0] == '<' || url.find_first_of("\"'") != std::string::npos ||
          open == std::string::npos)
        continue;
      const bool image = open > 0 && run[open - 1] == '!';
      const std::string label = run.substr(open + 1, close - open - 1);
      std::string plain = url;
      std::replace(plain.begin(), plain.end(), ' ', '-');
      add_error(c.d, c.file, body_line + std::max(cmark_node_get_start_line(block), 1) - 1,
                std::string(image ? "immagine" : "collegamento") + " con uno spazio nell'indirizzo '" + url +
                    "': il sito lo mostrerebbe come testo; rinomina il file senza spazi ('" + plain +
                    "') o scrivi l'indirizzo tra < > (" + (image ? "!" : "") + "[" + label + "](<" + url + ">))");
      break;
    }
    run.clear();
  };
  for (cmark_node* n = cmark_node_first_child(block); n; n = cmark_node_next(n)) {
    if (cmark_node_get_type(n) == CMARK_NODE_TEXT) {
      const char* literal = cmark_node_get_literal(n);
      run += literal ? literal : "";
    } else {
      check_run();
    }
  }
  check_run();
}

// Lines of relative links and images, /pratiche/<slug> links kept for later.
void check_body_links(cmark_node* doc, int body_line, const BodyCheck& c) {
  cmark_iter* it = cmark_iter_new(doc);
  cmark_event_type ev;
  while ((ev = cmark_iter_next(it)) != CMARK_EVENT_DONE) {
    cmark_node* node = cmark_iter_get_node(it);
    if (ev != CMARK_EVENT_ENTER) continue;
    const cmark_node_type type = cmark_node_get_type(node);
    if (type == CMARK_NODE_PARAGRAPH || type == CMARK_NODE_HEADING) check_unlinked_brackets(node, body_line, c);
    // Raw HTML is dropped by the page (CMARK_OPT_SAFE would not show it):
    // said, so that no text disappears without a word. A comment is the
    // editors' note to themselves, hidden on purpose.
    if (type == CMARK_NODE_HTML_BLOCK || type == CMARK_NODE_HTML_INLINE) {
      const char* literal = cmark_node_get_literal(node);
      std::string html = literal ? text::trim(literal) : "";
      if (html.rfind("<!--", 0) == 0) continue;
      if (html.size() > 40) html = html.substr(0, 40) + "…";
      int l = 0;
      for (cmark_node* n = node; n && l <= 0; n = cmark_node_parent(n)) l = cmark_node_get_start_line(n);
      add_error(c.d, c.file, body_line + std::max(l, 1) - 1,
                "codice HTML '" + html +
                    "': il sito non lo mostra; scrivi solo testo (per un collegamento: "
                    "[testo](https://…))");
      continue;
    }
    if (type != CMARK_NODE_LINK && type != CMARK_NODE_IMAGE) continue;
    const bool image = type == CMARK_NODE_IMAGE;
    const char* raw = cmark_node_get_url(node);
    const std::string url = raw ? raw : "";
    int l = 0;
    for (cmark_node* n = node; n && l <= 0; n = cmark_node_parent(n)) l = cmark_node_get_start_line(n);
    const int line = body_line + std::max(l, 1) - 1;
    const char* what = image ? "immagine" : "collegamento";
    if (url.empty()) {
      add_error(c.d, c.file, line, std::string(what) + " senza indirizzo: scrivi l'indirizzo tra le parentesi tonde");
      continue;
    }
    if (url[0] == '#' || url.rfind("//", 0) == 0) continue;
    if (const std::string scheme = scheme_of(url); !scheme.empty()) {
      if (scheme == "javascript" || scheme == "vbscript" || scheme == "data" || scheme == "file")
        add_error(c.d, c.file, line,
                  std::string(what) + (image ? " non consentita '" : " non consentito '") + url +
                      "': usa un indirizzo https:// o un file accanto alla scheda");
      continue;
    }
    std::string target = url.substr(0, url.find_first_of("?#"));
    if (target.rfind("/pratiche/", 0) == 0) {
      std::string s = target.substr(10);
      if (!s.empty() && s.back() == '/') s.pop_back();
      if (!text::is_slug(s))
        add_error(c.d, c.file, line, "collegamento a una pratica non valido '" + url +
                                         "': scrivi /pratiche/<slug>, lo slug è il nome del file senza .md");
      else
        c.refs->links.push_back({s, line});
      continue;
    }
    if (target.empty() || target[0] == '/') continue;  // site pages: not files of the library
    const fs::path resolved = (c.dir / fs::u8path(text::percent_decode(target))).lexically_normal();
    if (!inside(resolved, c.root)) {
      add_error(c.d, c.file, line, std::string(what) + " '" + url +
                                       "' punta fuori dalla cartella della biblioteca: metti il file in '" +
                                       c.slug + "/' accanto alla scheda");
      continue;
    }
    // The site serves no .md file (a case file is a page, /pratiche/<slug>;
    // /media/ refuses .md): another case file by its file name
    // ("../sud/orti.md") is written as its page, a note as a PDF.
    if (resolved.extension() == ".md") {
      if (!inside(resolved, (c.dir / c.slug).lexically_normal()))
        add_error(c.d, c.file, line, "collegamento a un'altra scheda '" + url + "': sul sito scrivi /pratiche/" +
                                         resolved.stem().string() + " (il file .md non è una pagina del sito)");
      else
        add_error(c.d, c.file, line, std::string(what) + " '" + url +
                                         "': il sito non pubblica i file .md; allega un PDF o scrivi il testo nella scheda");
      continue;
    }
    std::error_code ec;
    // The file is in the practice's folder, the link lacks the folder's name.
    if (const fs::path in_folder = (c.dir / c.slug / fs::u8path(text::percent_decode(target))).lexically_normal();
        !fs::exists(resolved, ec) && inside(in_folder, c.root) && fs::exists(in_folder, ec)) {
      add_error(c.d, c.file, line,
                std::string(image ? "immagine" : "collegamento") + " '" + url + "': il file è nella cartella '" +
                    c.slug + "/', scrivi '" + c.slug + "/" + target + "'");
      continue;
    }
    if (!fs::exists(resolved, ec)) {
      add_error(c.d, c.file, line,
                std::string(image ? "immagine mancante" : "collegamento rotto") + ": '" + url +
                    "' non esiste (i file vanno nella cartella '" + c.slug + "/' accanto alla scheda)");
    }
  }
  cmark_iter_free(it);
}

// The body's checks, on one parse of it: links and images, then sections.
void check_body(const std::string& body, int body_line, const BodyCheck& c) {
  cmark_node* doc = cmark_parse_document(body.data(), body.size(), CMARK_OPT_DEFAULT);
  if (!doc) return;
  check_body_links(doc, body_line, c);
  check_sections(doc, body_line, c);
  cmark_node_free(doc);
}

std::string display_path(const fs::path& p) { return p.lexically_normal().generic_string(); }

void check_name(const fs::path& file, LoadedWithRefs* out) {
  const std::string name = display_path(file);
  out->slug = file.stem().string();
  if (file.extension() != ".md")
    add_error(&out->loaded.diagnostics, name, 1, "una scheda deve avere l'estensione .md");
  const std::string file_name = file.filename().string();
  // "._orti.md" is the Mac's shadow of "orti.md" on a USB stick or a shared
  // folder, not a case file: renaming it as suggested would overwrite one.
  if (file_name.starts_with("._")) {
    add_error(&out->loaded.diagnostics, name, 1,
              "file nascosto creato dal Mac ('" + file_name + "'): non è una scheda, cancellalo");
    return;
  }
  if (!text::is_slug(out->slug)) {
    std::string stem = out->slug;
    // "orti.md.md": the extension typed twice.
    while (stem.size() > 3 && stem.ends_with(".md")) stem.resize(stem.size() - 3);
    std::string suggestion = text::slugify(stem);
    add_error(&out->loaded.diagnostics, name, 1,
              "nome del file non valido '" + file.filename().string() +
                  "': usa solo lettere minuscole senza accenti, cifre e '-'" +
                  (suggestion.empty() ? "" : ", per esempio '" + suggestion + ".md'"));
  }
}

void report_oversize(const fs::path& file, std::uintmax_t size, LoadedWithRefs* out) {
  add_error(&out->loaded.diagnostics, display_path(file), 1,
            "file troppo grande (" + std::to_string(size / 1024) +
                " KB): il limite è 1 MB; metti immagini e allegati nella cartella '" + out->slug +
                "/' accanto alla scheda");
}

LoadedWithRefs parse_with_refs(std::string_view bytes, const fs::path& file, const fs::path& root_abs,
                               const Taxonomy& taxonomy) {
  LoadedWithRefs out;
  Diagnostics& d = out.loaded.diagnostics;
  const std::string name = display_path(file);
  check_name(file, &out);
  if (bytes.size() > kMaxCaseFileBytes) {
    report_oversize(file, bytes.size(), &out);
    return out;
  }
  if (std::size_t nul = bytes.find('\0'); nul != std::string_view::npos) {
    add_error(&d, name, detail::line_of_offset(bytes, nul),
              "file binario (contiene byte nulli): una scheda è un file di testo Markdown");
    return out;
  }
  std::size_t bad = 0;
  if (!text::is_valid_utf8(bytes, &bad)) {
    add_error(&d, name, detail::line_of_offset(bytes, bad),
              "testo non in UTF-8 (primo carattere non valido in questa riga): salva il file con "
              "codifica UTF-8");
    return out;
  }
  // Control characters pasted from a word processor (a vertical tab, a form
  // feed, an escape) are invisible in the editor but reach the pages: one
  // warning per line that has one, at most five.
  int control_lines = 0, last_line = 0;
  for (std::size_t i = 0; i < bytes.size() && control_lines < 5; ++i) {
    const unsigned char c = static_cast<unsigned char>(bytes[i]);
    if (!((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7f)) continue;
    const int line = detail::line_of_offset(bytes, i);
    if (line == last_line) continue;
    last_line = line;
    ++control_lines;
    char code[8];
    std::snprintf(code, sizeof code, "U+%04X", c);
    d.push_back({name, line, 0, Severity::kWarning,
                 std::string("carattere invisibile (") + code +
                     ") in questa riga, di solito incollato da un documento: cancellalo"});
  }
  const std::string text = detail::normalise_newlines(bytes);
  if (const std::vector<int> conflicts = detail::conflict_lines(text); !conflicts.empty()) {
    for (int l : conflicts) add_error(&d, name, l, detail::conflict_message());
    return out;
  }
  std::optional<detail::FrontMatter> fm = detail::split_front_matter(text, name, &d);
  if (!fm) return out;

  Practice p;
  const detail::YamlSource source{name, fm->yaml_line, fm->yaml};
  std::optional<YAML::Node> root = detail::parse_yaml(fm->yaml, source, &d);
  // The closing '---' forgotten, and a '---' rule further down the story
  // taken for it: the story's first heading sits among the fields (YAML
  // reads "## Contesto" as a comment and stumbles on the text after it).
  if (!root) {
    int line = fm->yaml_line;
    for (std::size_t at = 0; at < fm->yaml.size(); ++line) {
      const std::size_t end = std::min(fm->yaml.find('\n', at), fm->yaml.size());
      const std::string_view row = std::string_view(fm->yaml).substr(at, end - at);
      if (row.starts_with("## ")) {
        add_error(&d, name, fm->open_line,
                  "front matter non chiuso: manca la riga '---' che chiude i campi, prima di '" +
                      std::string(row.substr(0, 40)) + "' (riga " + std::to_string(line) + ")");
        break;
      }
      at = end + 1;
    }
  }
  if (root) {
    if (root->IsNull()) {
      detail::read_practice_fields(YAML::Node(YAML::NodeType::Map), source, fm->open_line, taxonomy, &p,
                                   &out.refs, &d);
    } else if (!root->IsMap()) {
      add_error(&d, name, fm->yaml_line,
                "il front matter deve contenere campi 'nome: valore' (title: ..., summary: ...)");
    } else {
      detail::read_practice_fields(*root, source, fm->open_line, taxonomy, &p, &out.refs, &d);
    }
  }

  if (fm->body.find_first_not_of(" \t\n") == std::string::npos) {
    add_error(&d, name, fm->close_line,
              "la scheda non ha testo dopo il front matter: scrivi il racconto della pratica "
              "(## Contesto, ## Obiettivi, ...)");
  }
  const fs::path dir = absolute_normal(file).parent_path();
  check_body(fm->body, fm->body_line, {name, dir, root_abs, out.slug, &d, &out.refs});
  if (out.refs.cover_line > 0 && p.cover) {
    std::error_code ec;
    const fs::path src = fs::u8path(text::percent_decode(p.cover->src));
    // As the build makes its address (index_document.cc, cover_url): in the
    // slug's folder, named alone or as "<slug>/name".
    const bool with_folder = p.cover->src.starts_with(out.slug + "/");
    const fs::path in_media = (with_folder ? dir / src : dir / out.slug / src).lexically_normal();
    const fs::path beside = (dir / src).lexically_normal();
    if (!inside(in_media, root_abs) || !inside(beside, root_abs)) {
      add_error(&d, name, out.refs.cover_line, "'cover': l'immagine '" + p.cover->src +
                                                   "' è fuori dalla cartella della biblioteca");
    } else if (!fs::exists(in_media, ec) && fs::exists(beside, ec)) {
      add_error(&d, name, out.refs.cover_line,
                "immagine di copertina accanto alla scheda: il sito la cerca nella cartella '" + out.slug +
                    "/', spostala lì ('" + out.slug + "/" + p.cover->src + "')");
    } else if (!fs::exists(in_media, ec)) {
      add_error(&d, name, out.refs.cover_line,
                "immagine di copertina mancante: '" + p.cover->src + "' non esiste nella cartella '" +
                    out.slug + "/' accanto alla scheda");
    }
  }

  // practices/<hub>/...: a file filed under another hub than it declares is
  // probably in the wrong folder (or has the wrong hub).
  const fs::path rel_to_root = absolute_normal(file).lexically_relative(root_abs);
  if (auto part = rel_to_root.begin(); !p.hub.empty() && part != rel_to_root.end() && *part == "practices") {
    const std::string folder = (++part != rel_to_root.end()) ? part->generic_string() : "";
    const bool in_a_folder = part != rel_to_root.end() && std::next(part) != rel_to_root.end();
    const Vocabulary* hubs = taxonomy.vocabulary("hub");
    const int line = out.refs.hub_line > 0 ? out.refs.hub_line : 1;
    if (hubs && hubs->find(folder) && folder != p.hub)
      d.push_back({name, line, 0, Severity::kWarning,
                   "la scheda è nella cartella 'practices/" + folder + "/' ma dichiara hub '" + p.hub +
                       "': spostala in 'practices/" + p.hub + "/' oppure correggi 'hub'"});
    else if (hubs && !hubs->find(folder))
      d.push_back({name, line, 0, Severity::kWarning,
                   (in_a_folder ? "la cartella 'practices/" + folder + "/' non è di un hub"
                                : std::string("la scheda non è nella cartella del suo hub")) +
                       ": spostala in 'practices/" + p.hub + "/'"});
  }

  std::stable_sort(d.begin(), d.end(), [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
  if (!has_errors(d)) {
    p.slug = out.slug;
    const fs::path rel = absolute_normal(file).lexically_relative(root_abs);
    p.path = rel.empty() ? name : rel.generic_string();
    p.body = std::move(fm->body);
    p.body_line = fm->body_line;
    p.content_hash = fnv1a_hex(bytes);
    out.loaded.practice = std::move(p);
  }
  return out;
}

LoadedWithRefs load_with_refs(const fs::path& file, const fs::path& root_abs, const Taxonomy& taxonomy) {
  const std::string name = display_path(file);
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec || !fs::is_regular_file(file, ec)) {
    LoadedWithRefs out;
    out.slug = file.stem().string();
    add_error(&out.loaded.diagnostics, name, 0, "impossibile leggere il file (esiste? è una cartella?)");
    return out;
  }
  if (size > kMaxCaseFileBytes) {
    LoadedWithRefs out;  // not read at all
    check_name(file, &out);
    report_oversize(file, size, &out);
    return out;
  }
  Result<std::string> bytes = read_file(file);
  if (!bytes.ok()) {
    LoadedWithRefs out;
    add_error(&out.loaded.diagnostics, name, 0, "impossibile leggere il file");
    return out;
  }
  return parse_with_refs(*bytes, file, root_abs, taxonomy);
}

// The name of a file that an editor meant as a case file but the walk
// skips for its ending ("Orti.MD", "orti.markdown", "orti.md.txt" saved by
// a word processor), without that ending; "" for any other file.
std::string misnamed_stem(const std::string& name) {
  std::string lower = name;
  for (char& c : lower) c = (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c;
  for (const char* ending : {".md.txt", ".markdown", ".md"}) {
    const std::string e = ending;
    if (lower.size() > e.size() && lower.ends_with(e) && !name.ends_with(".md"))
      return name.substr(0, name.size() - e.size());
  }
  return "";
}

// The files under `dir` with a misnamed_stem(), sorted.
std::vector<fs::path> misnamed_case_files(const fs::path& dir) {
  std::vector<fs::path> out;
  std::error_code ec;
  for (fs::recursive_directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec), end;
       !ec && it != end; it.increment(ec))
    if (it->is_regular_file(ec) && !misnamed_stem(it->path().filename().string()).empty()) out.push_back(it->path());
  std::sort(out.begin(), out.end());
  return out;
}

// Case files under `dir` (list_case_files), as paths.
void walk_md(const fs::path& dir, std::vector<fs::path>* out, std::vector<std::string>* unreadable = nullptr) {
  for (CaseFile& f : list_case_files(dir, unreadable)) out->emplace_back(std::move(f.path));
}

// The library-wide reference check of one file (LibrarySlugs, library.h):
// errors for `related` slugs and body links naming no practice. Returns
// whether it added any.
bool check_references(const LibrarySlugs& library, const std::string& name, const PracticeRefs& refs,
                      Diagnostics* d) {
  bool added = false;
  auto check_ref = [&](const SlugRef& ref, const std::string& what) {
    if (library.contains(ref.slug)) return;
    std::string m = what + ": la pratica '" + ref.slug + "' non esiste nella biblioteca";
    if (std::string c = library.closest(ref.slug); !c.empty()) m += ": forse '" + c + "'?";
    add_error(d, name, ref.line, m);
    added = true;
  };
  for (const auto& ref : refs.related) check_ref(ref, "'related'");
  for (const auto& ref : refs.links) check_ref(ref, "collegamento rotto");
  return added;
}

}  // namespace

// Slugs are kept sorted (a build passes them sorted: one move, no hashing of
// 100,000 strings for the one or two files an incremental build reads), and
// bucketed by length, on the first miss only, so that a suggestion only
// compares slugs of about the same length.
struct LibrarySlugs::Impl {
  static constexpr std::size_t kMaxSuggestions = 100;
  std::vector<std::string> slugs;  // sorted, unique
  std::mutex mu;  // guards by_length and cache
  std::vector<std::vector<const std::string*>> by_length;
  std::unordered_map<std::string, std::string> cache;
};

LibrarySlugs::LibrarySlugs(std::vector<std::string> slugs) : impl_(std::make_unique<Impl>()) {
  if (!std::is_sorted(slugs.begin(), slugs.end())) std::sort(slugs.begin(), slugs.end());
  slugs.erase(std::unique(slugs.begin(), slugs.end()), slugs.end());
  impl_->slugs = std::move(slugs);
}

LibrarySlugs::~LibrarySlugs() = default;

bool LibrarySlugs::contains(const std::string& slug) const {
  return std::binary_search(impl_->slugs.begin(), impl_->slugs.end(), slug);
}

std::string LibrarySlugs::closest(const std::string& slug) const {
  std::lock_guard lock(impl_->mu);
  if (auto it = impl_->cache.find(slug); it != impl_->cache.end()) return it->second;
  if (impl_->cache.size() >= Impl::kMaxSuggestions) return "";
  if (impl_->by_length.empty()) {
    impl_->by_length.resize(1);
    for (const std::string& s : impl_->slugs) {
      if (impl_->by_length.size() <= s.size()) impl_->by_length.resize(s.size() + 1);
      impl_->by_length[s.size()].push_back(&s);
    }
  }
  const int limit = std::clamp(static_cast<int>(slug.size()) / 4, 1, 3);
  std::string best;
  int best_d = limit + 1;
  const int n = static_cast<int>(slug.size());
  for (int len = std::max(0, n - limit); len <= n + limit && len < static_cast<int>(impl_->by_length.size()); ++len) {
    for (const std::string* s : impl_->by_length[static_cast<std::size_t>(len)]) {
      const int d = text::edit_distance(*s, slug);
      if (d < best_d || (d == best_d && !best.empty() && *s < best)) best_d = d, best = *s;
    }
  }
  impl_->cache.emplace(slug, best);
  return best;
}

namespace {

LoadedPractice checked_against(LoadedWithRefs l, const fs::path& file, const LibrarySlugs& library) {
  Diagnostics& d = l.loaded.diagnostics;
  if (check_references(library, display_path(file), l.refs, &d)) {
    std::stable_sort(d.begin(), d.end(), [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
    l.loaded.practice.reset();
  }
  return std::move(l.loaded);
}

}  // namespace

LoadedPractice load_practice(const fs::path& file, const fs::path& content_root, const Taxonomy& taxonomy,
                             const LibrarySlugs& library) {
  return checked_against(load_with_refs(file, absolute_normal(content_root), taxonomy), file, library);
}

LoadedPractice parse_practice(std::string_view bytes, const fs::path& file, const fs::path& content_root,
                              const Taxonomy& taxonomy, const LibrarySlugs& library) {
  if (bytes.size() > kMaxCaseFileBytes) return load_practice(file, content_root, taxonomy, library);
  return checked_against(parse_with_refs(bytes, file, absolute_normal(content_root), taxonomy), file, library);
}

LoadedPractice load_practice(const fs::path& file, const fs::path& content_root, const Taxonomy& taxonomy) {
  return load_with_refs(file, absolute_normal(content_root), taxonomy).loaded;
}

LoadedPractice parse_practice(std::string_view bytes, const fs::path& file, const fs::path& content_root,
                              const Taxonomy& taxonomy) {
  return parse_with_refs(bytes, file, absolute_normal(content_root), taxonomy).loaded;
}

std::vector<fs::path> find_case_files(const fs::path& content_root, const std::vector<fs::path>& paths,
                                      std::vector<std::string>* unreadable) {
  std::vector<fs::path> out;
  if (paths.empty()) {
    walk_md(content_root / "practices", &out, unreadable);
    return out;
  }
  for (const auto& p : paths) {
    std::error_code ec;
    if (fs::is_directory(p, ec)) {
      std::vector<fs::path> found;
      walk_md(p, &found, unreadable);
      out.insert(out.end(), found.begin(), found.end());
    } else {
      out.push_back(p);
    }
  }
  return out;
}

LibraryCheck check_library(const fs::path& content_root, const Taxonomy& taxonomy,
                           const std::vector<fs::path>& paths, const CheckProgress& progress) {
  LibraryCheck result;
  const fs::path root_abs = absolute_normal(content_root);
  std::vector<std::string> unreadable;
  const std::vector<fs::path> files = find_case_files(content_root, paths, &unreadable);
  result.files = files.size();

  std::vector<LoadedWithRefs> loaded(files.size());
  std::atomic<std::size_t> next{0}, done{0};
  std::mutex progress_mutex;
  auto work = [&] {
    for (std::size_t i; (i = next.fetch_add(1)) < files.size();) {
      loaded[i] = load_with_refs(files[i], root_abs, taxonomy);
      const std::size_t n = done.fetch_add(1) + 1;
      if (progress) {
        std::lock_guard lock(progress_mutex);
        progress(n, files.size());
      }
    }
  };
  const unsigned threads =
      files.size() < 64 ? 1 : std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  std::vector<std::thread> pool;
  for (unsigned t = 1; t < threads; ++t) pool.emplace_back(work);
  work();
  for (auto& t : pool) t.join();

  // Every slug of the library (names only) plus the files checked here.
  std::unordered_map<std::string, std::vector<std::string>> slugs;
  std::unordered_set<std::string> seen_files;
  auto note = [&](const fs::path& f) {
    if (!seen_files.insert(absolute_normal(f).string()).second) return;
    slugs[f.stem().string()].push_back(display_path(f));
  };
  for (const auto& f : files) note(f);
  if (!paths.empty()) {
    std::vector<fs::path> all;
    walk_md(content_root / "practices", &all);
    for (const auto& f : all) note(f);
  }

  // Each tag's spellings across the checked files, by its slug (accents,
  // case, hyphens, spaces and apostrophes aside): one concept written two
  // ways is two tags on the site, two searches and two subjects in the
  // open formats.
  struct Spelling {
    std::string text;
    std::size_t uses = 0;
    std::string first_file;
  };
  std::unordered_map<std::string, std::vector<Spelling>> spellings;  // by text::slugify()
  for (std::size_t i = 0; i < files.size(); ++i)
    for (const auto& tag : loaded[i].refs.tags) {
      auto& of_key = spellings[text::slugify(tag.tag)];
      auto it = std::find_if(of_key.begin(), of_key.end(), [&](const Spelling& s) { return s.text == tag.tag; });
      if (it == of_key.end()) it = of_key.insert(of_key.end(), Spelling{tag.tag, 0, display_path(files[i])});
      ++it->uses;
    }
  // Each key's usual spelling: the one most files use; on a tie the one in
  // lower case, then the one written as read (more spaces and accented
  // letters), then the first in byte order.
  std::unordered_map<std::string, Spelling> usual_spelling;
  for (const auto& [key, of_key] : spellings) {
    if (of_key.size() < 2) continue;
    auto lower = [](const std::string& t) {
      return std::none_of(t.begin(), t.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    };
    auto as_read = [](const std::string& t) {
      return std::count_if(t.begin(), t.end(), [](char c) { return c == ' ' || (c & 0x80); });
    };
    usual_spelling[key] = *std::max_element(of_key.begin(), of_key.end(), [&](const Spelling& a, const Spelling& b) {
      if (a.uses != b.uses) return a.uses < b.uses;
      if (lower(a.text) != lower(b.text)) return lower(b.text);
      if (as_read(a.text) != as_read(b.text)) return as_read(a.text) < as_read(b.text);
      return a.text > b.text;
    });
  }

  // The checked files by title (accents and capitals aside): two case files
  // with one title read as one practice in the results, twice.
  std::unordered_map<std::string, std::vector<std::size_t>> by_title;
  for (std::size_t i = 0; i < files.size(); ++i)
    if (const auto& p = loaded[i].loaded.practice; p && !p->title.empty())
      by_title[text::fold_lower(text::trim(p->title))].push_back(i);

  std::vector<std::string> names;
  names.reserve(slugs.size());
  for (const auto& entry : slugs) names.push_back(entry.first);
  const LibrarySlugs library(std::move(names));
  for (std::size_t i = 0; i < files.size(); ++i) {
    LoadedWithRefs& l = loaded[i];
    Diagnostics& d = l.loaded.diagnostics;
    const std::string name = display_path(files[i]);
    const std::size_t before = d.size();
    if (auto it = slugs.find(l.slug); it != slugs.end() && it->second.size() > 1) {
      std::string others;
      for (const auto& f : it->second)
        if (f != name) others += (others.empty() ? "'" : ", '") + f + "'";
      add_error(&d, name, 1, "slug duplicato '" + l.slug + "': anche " + others +
                                 " ha lo stesso nome; ogni scheda deve avere un nome di file unico");
    }
    if (const auto& p = l.loaded.practice; p && !p->title.empty()) {
      const auto& same = by_title[text::fold_lower(text::trim(p->title))];
      // The first other file named, the rest counted: a library of copies
      // would otherwise print every name on every line.
      std::string others;
      std::size_t more = 0;
      for (std::size_t j : same)
        if (j != i && others.empty())
          others = "'" + display_path(files[j]) + "'";
        else if (j != i)
          ++more;
      if (more > 0) others += more == 1 ? " e di un'altra scheda" : " e di altre " + std::to_string(more) + " schede";
      if (!others.empty())
        d.push_back({name, title_line(files[i]), 0, Severity::kWarning,
                     "stesso titolo di " + others +
                         ": nei risultati si leggono come una pratica sola; se è la stessa pratica tienine una "
                         "scheda, altrimenti distingui i titoli (il luogo, l'ente)"});
    }
    check_references(library, name, l.refs, &d);
    for (const auto& tag : l.refs.tags) {
      const auto usual = usual_spelling.find(text::slugify(tag.tag));
      if (usual == usual_spelling.end() || usual->second.text == tag.tag) continue;
      d.push_back({name, tag.line, 0, Severity::kWarning,
                   "parola chiave '" + tag.tag + "' scritta in un altro modo in '" + usual->second.first_file +
                       "' ('" + usual->second.text + "'): scrivila allo stesso modo in tutte le schede, come si legge, "
                       "con accenti e spazi, così sul sito è una parola chiave sola"});
    }
    if (d.size() != before) {
      std::stable_sort(d.begin(), d.end(), [](const Diagnostic& a, const Diagnostic& b) { return a.line < b.line; });
      if (has_errors(d)) l.loaded.practice.reset();
    }
    if (l.loaded.practice) result.practices.push_back(std::move(*l.loaded.practice));
    result.terms.insert(result.terms.end(), std::make_move_iterator(l.refs.terms.begin()),
                        std::make_move_iterator(l.refs.terms.end()));
    result.diagnostics.insert(result.diagnostics.end(), std::make_move_iterator(d.begin()),
                              std::make_move_iterator(d.end()));
  }
  for (const std::string& folder : unreadable)
    result.diagnostics.push_back({display_path(folder), 0, 0, Severity::kError, kUnreadableFolder});
  if (paths.empty()) {
    for (const fs::path& f : misnamed_case_files(content_root / "practices")) {
      const std::string stem = text::slugify(misnamed_stem(f.filename().string()));
      result.diagnostics.push_back({display_path(f), 1, 0, Severity::kWarning,
                                    "il file non è letto: le schede hanno l'estensione '.md' in minuscolo" +
                                        (stem.empty() ? std::string() : ": rinominalo '" + stem + ".md'")});
    }
  }
  return result;
}

}  // namespace bp
